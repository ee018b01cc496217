"""The adapter file's declared schema: every table and key an adapter may hold, with its type and meaning.

An adapter is checked against these models when it loads: an unknown key, a value of the wrong type or a
missing required key gives one message naming the file, the table, the key and, for a misspelt key, the
closest known one. docs/adapters.md is generated from these models (`python -m pipeline.adapter_docs`).
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FILE_FORMATS = ("csv", "xlsx", "xls", "json", "open311", "ocds")
ENCODINGS = ("auto", "utf-8", "utf-8-sig", "cp932")
DATE_FORMATS = ("iso", "slash", "wareki", "excel_serial", "unix")


# why: the name goes into page titles, feeds, the catalogue and the workbook; markup has no place in a name
NAME_PATTERN = r"^[^<>\"'{}`\x00-\x1f\x7f]{1,80}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class Municipality(_Strict):
    """`[municipality]`: which body the adapter is for, and its publication settings."""

    code: str = Field(description="6-digit local-government code with its check digit (e.g. `352152`); bodies "
                                  "abroad use the `99xxxx` namespace (see *Bodies outside Japan*)")
    slug: str = Field(description="lower-case ASCII name; the adapter file is named `<code>_<slug>.toml`")
    name_ja: str | None = Field(None, pattern=NAME_PATTERN,
                                description="name in Japanese, for a body that is not in the reference list of "
                                            "Japanese local governments (at most 80 characters, no markup "
                                            "characters `<>\"'{}` or backquote)")
    name_en: str | None = Field(None, pattern=NAME_PATTERN,
                                description="name in English, for a body not in the reference list (as name_ja)")
    publish_free_text: bool = Field(True, description="publish scrubbed descriptions and notes (false: withhold)")
    data_since: str | None = Field(None, description="first day the exports cover, `YYYY-MM-DD`")
    max_reject_share: float = Field(0.05, description="share of rejected rows above which the body fails and keeps "
                                                      "its last good package")
    coverage: list[str] | None = Field(None, description="6-digit local-government codes whose territory the "
                                                         "body's cases come from (default: the body itself)")
    currency: str = Field("JPY", description="ISO 4217 currency of the amounts; amounts are published in whole "
                                             "units of it")
    timezone: str = Field("Asia/Tokyo", description="IANA time zone in which unix-second times become dates")


class Filter(_Strict):
    """One row filter: a row is kept only if its column passes every test given."""

    column: str = Field(description="source column (or a captured `@name`) to test")
    equals: str | None = Field(None, description="keep rows whose value equals this")
    contains: str | None = Field(None, description="keep rows whose value contains this")
    not_contains: str | None = Field(None, description="keep rows whose value does not contain this")
    one_of: list[str] | None = Field(None, alias="in", description="keep rows whose value is one of these")
    not_empty: bool | None = Field(None, description="true: keep rows whose value is not empty")
    reason: str | None = Field(None, description="why the other rows are left out (shown in the quarantine log)")


class Count(_Strict):
    """A derived column: how many rows of the file share the values of `by` (before any filter)."""

    by: list[str] = Field(description="source columns whose equal values make one group")
    where: Filter | None = Field(None, description="count only the rows of the group that pass this filter")


class Source(_Strict):
    """`[resources.<table>]` (and `[defaults]`): how to read one table's export file(s)."""

    file: str | None = Field(None, description="file name in the body's raw folder; `*` and `?` read several files "
                                               "into one table (required, here or in `[defaults]`)")
    format: Literal["csv", "xlsx", "xls", "json", "open311", "ocds"] = Field(
        "csv", description="`csv`, `xlsx`, `xls` (legacy Excel), `json`, `open311` (GeoReport v2), "
                           "`ocds` (Open Contracting releases or records: one row per award)")
    encoding: str = Field("utf-8", description="`utf-8`, `utf-8-sig`, `cp932` or `auto` (detected per file: "
                                               "BOM, UTF-8, else charset-normalizer)")
    encodings: dict[str, str] = Field(default_factory=dict, description="per-file override: file name = encoding")
    delimiter: str = Field(",", description="CSV field delimiter")
    header_row: int = Field(1, description="1-based row of the header (title rows above it are skipped)")
    header_rows: int = Field(1, description="rows the header spans (a multi-row header's names are joined with "
                                            "`/`, merged cells filled from the left)")
    sheet: str | None = Field(None, description="workbook sheet (default: the first)")
    record_path: str | None = Field(None, description="json: key of the record list")
    explode: str | None = Field(None, description="json: list field whose items become rows (Open311 `notes`); "
                                                  "the record's own fields are named `parent.<key>`")
    dates: list[str] = Field(default_factory=lambda: list(DATE_FORMATS[:4]),
                             description=f"accepted date forms, of {', '.join(DATE_FORMATS)}")
    columns: dict[str, str | list[str]] | Literal["standard"] = Field(
        default_factory=dict, description="source column = intake column (or a list of intake columns: one column "
                                          "mapped to two fields); `\"standard\"` for the standard intake format")
    constants: dict[str, str] = Field(default_factory=dict, description="intake column = fixed value")
    optional: list[str] = Field(default_factory=list, description=(
        "source columns that may be absent (then published empty); a header column that is one of them in other "
        "letter case or with a bracketed note after its name fails the export, as a renamed column"))
    url: str | None = Field(None, description="fetched into the raw folder as `file` before each run")
    captures: str | None = Field(None, description="regular expression over each file name; its named groups "
                                                   "become columns `@<name>` (e.g. year, district, category)")
    filters: list[Filter] = Field(default_factory=list, description="row filters; rows left out are logged "
                                                                    "with the filter's reason")
    counts: dict[str, Count] = Field(default_factory=dict, description="derived columns `@<name>` counting rows "
                                                                       "(e.g. bidders per tender)")
    ids: dict[str, list[str]] = Field(default_factory=dict, description="intake column = source columns whose "
                                                                        "stable hash is the generated identifier")
    exclude_identical_repeats: bool = Field(False, description="rows identical in every column to an earlier row "
                                                               "(an export that repeats a ticket) are left out, "
                                                               "logged with the line they repeat")
    shorten: list[str] = Field(default_factory=list, description="intake text columns cut at the published "
                                                                 "length limit with '…' instead of quarantining "
                                                                 "the row")
    closed_from_actions: list[str] = Field(default_factory=list, description="cases only: action codes whose "
                                                                              "latest date is the closed date of "
                                                                              "a completed or declined case "
                                                                              "where the export gives none")


class Pii(_Strict):
    """`[pii]`: personal-data columns dropped at ingest."""

    drop: list[str] = Field(default_factory=list, description="source columns never read past ingest")


class Anonymize(_Strict):
    """`[anonymize]`: the body's anonymization settings."""

    k: int = Field(default=3, description="smallest group published at a location or in an aggregate (at least 2)")
    private_categories: list[str] = Field(default_factory=list, description="categories published with the town "
                                                                            "only, never a mesh cell")


class AdapterFile(_Strict):
    """A whole adapter file."""

    municipality: Municipality = Field(description="the body")
    defaults: Source | None = Field(None, description="keys shared by every `[resources.*]` table")
    resources: dict[Literal["cases", "actions", "contracts", "work_orders"], Source] = Field(
        description="one table per resource: `cases`, `actions`, `contracts`, `work_orders` (at least one)")
    values: dict[str, dict[str, str | dict[str, str]]] = Field(
        default_factory=dict, description="`[values.<column>]` (every table) or `[values.<table>.<column>]`: "
                                          "the body's own word = the schema's code; `\"*\"` maps every other word")
    pii: Pii = Field(default_factory=Pii, description="personal-data columns")
    anonymize: Anonymize = Field(default_factory=Anonymize, description="anonymization settings")


MODELS: tuple[type[BaseModel], ...] = (AdapterFile, Municipality, Source, Filter, Count, Pii, Anonymize)
