"""Adapters: one declarative TOML file per municipality says how to read its exports."""

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import adapter_schema, codes, identifiers, intake, schema
from .paths import ADAPTERS
from .wareki import DEFAULT_FORMATS
from .wareki import FORMATS as DATE_FORMATS

FILE_FORMATS = adapter_schema.FILE_FORMATS
ENCODINGS = adapter_schema.ENCODINGS
ADAPTERS_ENV = "MIERUKA_ADAPTERS"


class AdapterError(ValueError):
    """An adapter file that cannot be used, with the file and the key at fault."""


@dataclass(frozen=True)
class RowFilter:
    """Keep a row only if `column` passes every given test; `reason` names what is left out."""

    column: str
    equals: str | None = None
    contains: str | None = None
    not_contains: str | None = None
    one_of: tuple[str, ...] | None = None
    not_empty: bool | None = None
    reason: str | None = None

    def describe(self) -> str:
        tests = [f"= {self.equals}" if self.equals is not None else "",
                 f"contains {self.contains}" if self.contains is not None else "",
                 f"does not contain {self.not_contains}" if self.not_contains is not None else "",
                 f"in {', '.join(self.one_of)}" if self.one_of is not None else "",
                 "is not empty" if self.not_empty else ""]
        return f"{self.column} " + " and ".join(t for t in tests if t)


@dataclass(frozen=True)
class RowCount:
    """A derived column counting the rows that share the values of `by`."""

    by: tuple[str, ...]
    where: RowFilter | None = None


@dataclass(frozen=True)
class Source:
    """How to read one resource's export file(s)."""

    file: str
    format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    header_row: int = 1  # xlsx/csv: 1-based row of the header (title rows above it are skipped)
    sheet: str | None = None
    record_path: str | None = None  # json: key of the record list
    explode: str | None = None  # json: list field whose items become rows (Open311 notes)
    dates: tuple[str, ...] = DEFAULT_FORMATS
    columns: dict[str, str] = field(default_factory=dict)  # source column -> intake column
    constants: dict[str, str] = field(default_factory=dict)  # intake column -> fixed value
    optional: frozenset[str] = frozenset()  # source columns that may be absent from the export
    url: str | None = None  # fetched into the raw folder as `file` before each run
    header_rows: int = 1
    encodings: dict[str, str] = field(default_factory=dict)  # file name -> encoding (overrides `encoding`)
    captures: str | None = None  # regex over file names; named groups become columns @name
    filters: tuple[RowFilter, ...] = ()
    counts: dict[str, RowCount] = field(default_factory=dict)  # @name -> count
    ids: dict[str, tuple[str, ...]] = field(default_factory=dict)  # intake column -> hashed source columns
    also: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source column -> further intake columns
    closed_from_actions: tuple[str, ...] = ()
    exclude_identical_repeats: bool = False
    shorten: tuple[str, ...] = ()

    @property
    def is_pattern(self) -> bool:
        return identifiers.is_pattern(self.file)

    def encoding_for(self, name: str) -> str:
        return self.encodings.get(name, self.encoding)


@dataclass(frozen=True)
class Adapter:
    """A municipality's adapter file, parsed and checked."""

    code: str
    slug: str
    path: Path
    sources: dict[str, Source]
    values: dict[str, dict[str, str]]  # intake column -> {source word: enum code}
    pii_drop: tuple[str, ...]
    publish_free_text: bool = True
    data_since: str | None = None
    max_reject_share: float = 0.05
    k: int = 3  # [anonymize] k: smallest group published at a location or in an aggregate
    private_categories: tuple[str, ...] = ()  # [anonymize] categories published without coordinates
    coverage: tuple[str, ...] = ()  # local-government codes whose territory the cases come from
    currency: str = "JPY"
    timezone: str = "Asia/Tokyo"
    name_ja: str | None = None
    name_en: str | None = None
    broken: str | None = None  # the adapter file's error: the body fails alone with this message

    @property
    def package_name(self) -> str:
        return f"{self.code}_{self.slug}"


def adapters_dir(given: Path | None = None) -> Path:
    """The adapters folder: --adapters, else $MIERUKA_ADAPTERS, else the bundled pipeline/adapters/."""
    if given is not None:
        return given
    return Path(os.environ[ADAPTERS_ENV]) if os.environ.get(ADAPTERS_ENV) else ADAPTERS


def load(path: Path) -> Adapter:
    """Adapter TOML -> Adapter; AdapterError names the file and key at fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AdapterError(f"{path.name}: cannot read adapter: {exc}") from exc
    return parse(raw, path)


def _location(loc: tuple[Any, ...]) -> tuple[str, str]:
    """pydantic's error location -> ('[resources.cases]', 'key')."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    # why: a union type (str | list[str]) adds the member type's name after the key; it is not a key
    parts = [p for p in parts if p not in ("str", "list[str]", "dict[str,str]", "literal['standard']")
             and not p.startswith(("function-", "dict[", "list[", "literal["))]
    if not parts:
        return "", ""
    tables = {"municipality", "defaults", "resources", "values", "pii", "anonymize"}
    head = parts[:-1]
    if len(parts) >= 2 and parts[0] == "resources" and len(parts) == 2:
        head = parts
        return f"[{'.'.join(head)}]", ""
    if parts[0] in tables and len(parts) == 1:
        return f"[{parts[0]}]", ""
    return (f"[{'.'.join(head)}]" if head else ""), parts[-1]


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys the table holding the key at `loc` may have (for 'did you mean')."""
    parts = [str(p) for p in loc if not isinstance(p, int)][:-1]
    s = adapter_schema
    model: type[BaseModel] = s.AdapterFile
    if parts[:1] == ["resources"] or parts[:1] == ["defaults"]:
        model = s.Source
        rest = parts[2:] if parts[:1] == ["resources"] else parts[1:]
        if rest[:1] == ["filters"]:
            model = s.Filter
        elif rest[:1] == ["counts"]:
            model = s.Filter if rest[-1:] == ["where"] else s.Count
    elif parts:
        tables: dict[str, type[BaseModel]] = {"municipality": s.Municipality, "pii": s.Pii, "anonymize": s.Anonymize}
        model = tables.get(parts[0], s.AdapterFile)
    return [info.alias or name for name, info in model.model_fields.items()]


def suggest(word: str, known: list[str]) -> str:
    """'; did you mean 'columns'?' for a misspelt key, or ''."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _schema_errors(exc: ValidationError, where: str) -> AdapterError:
    lines = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        table, key = _location(loc)
        prefix = f"{where}: {table}" + (f" {key!r}" if key else "")
        if error["type"] == "extra_forbidden":
            known = _known_keys(loc)
            lines.append(f"{where}: {table or 'top level'} unknown key {key!r}{suggest(key, known)}"
                         + (f" (known keys: {', '.join(known)})" if known and not suggest(key, known) else ""))
        elif error["type"] == "missing":
            lines.append(f"{prefix}: required key is missing")
        elif error["type"] == "literal_error":
            expected = error.get("ctx", {}).get("expected", "")
            given = str(error.get("input"))
            options = re.findall(r"'([^']+)'", expected)
            lines.append(f"{prefix}: {given!r} is not one of {expected}{suggest(given, options)}")
        else:
            given = error.get("input")
            lines.append(f"{prefix}: {error['msg'].lower()}, not {given!r}"
                         if not isinstance(given, dict | list) else f"{prefix}: {error['msg'].lower()}")
    unique = list(dict.fromkeys(lines))
    more = f" (and {len(unique) - 1} more: {'; '.join(u.removeprefix(where + ': ') for u in unique[1:4])})" \
        if len(unique) > 1 else ""
    return AdapterError(unique[0] + more)


def parse(raw: dict[str, Any], path: Path) -> Adapter:
    where = path.name
    if isinstance(raw.get("resources"), dict):
        # why: a resource table's key may be misspelt ([resources.case]); say which ones are known
        for name in raw["resources"]:
            if name not in intake.INTAKE:
                raise AdapterError(f"{where}: unknown resource [resources.{name}]{suggest(name, list(intake.INTAKE))}"
                                   f" (known: {', '.join(intake.INTAKE)})")
    try:
        model = adapter_schema.AdapterFile.model_validate(raw)
    except ValidationError as exc:
        raise _schema_errors(exc, where) from None
    muni = model.municipality
    code = muni.code
    if not codes.is_valid(code):
        raise AdapterError(f"{where}: [municipality] code {code!r} is not a valid local government code")
    try:
        name = identifiers.package_name(code, muni.slug)
    except identifiers.IdentifierError as exc:
        raise AdapterError(f"{where}: [municipality] slug {exc}") from exc
    if not path.name.startswith("_") and path.stem != name:
        raise AdapterError(f"{where}: the file must be named {name}.toml after its code and slug")
    coverage = tuple(muni.coverage or ())
    if bad := [c for c in coverage if not codes.is_valid(c)]:
        raise AdapterError(f"{where}: [municipality] coverage: {bad[0]!r} is not a valid 6-digit local government "
                           "code")
    if not re.fullmatch(r"[A-Z]{3}", muni.currency):
        raise AdapterError(f"{where}: [municipality] currency {muni.currency!r} is not an ISO 4217 code such as JPY")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(muni.timezone)
    except Exception as exc:  # zoneinfo raises several kinds for an unknown name
        raise AdapterError(f"{where}: [municipality] timezone {muni.timezone!r} is not an IANA time zone") from exc
    if not 0 <= muni.max_reject_share <= 1:
        raise AdapterError(f"{where}: [municipality] max_reject_share must be between 0 and 1")
    defaults = raw.get("defaults", {}) or {}
    resources = raw.get("resources", {})
    if not resources:
        raise AdapterError(f"{where}: [resources] holds no table; add [resources.cases] or [resources.contracts]")
    sources = {res: _source(spec, defaults, f"{where} [resources.{res}]", res)
               for res, spec in resources.items()}
    if "actions" in sources and "cases" not in sources:
        raise AdapterError(f"{where}: [resources.actions] needs [resources.cases]: actions belong to cases")
    if "work_orders" in sources and "contracts" not in sources:
        raise AdapterError(f"{where}: [resources.work_orders] needs [resources.contracts]")
    if "cases" in sources and sources["cases"].closed_from_actions and "actions" not in sources:
        raise AdapterError(f"{where} [resources.cases]: closed_from_actions needs [resources.actions]")
    values = _values(raw.get("values", {}), where, set(sources))
    anon = model.anonymize
    if anon.k < 2:
        raise AdapterError(f"{where}: [anonymize] k must be an integer of at least 2, not {anon.k!r}")
    private_categories = tuple(anon.private_categories)
    if unknown_categories := sorted(set(private_categories) - set(schema.enum("cases", "category"))):
        raise AdapterError(f"{where}: [anonymize] private_categories has unknown categories {unknown_categories}")
    return Adapter(
        code=code, slug=muni.slug, path=path, sources=sources, values=values,
        pii_drop=tuple(model.pii.drop), publish_free_text=muni.publish_free_text,
        data_since=muni.data_since, max_reject_share=float(muni.max_reject_share),
        k=anon.k, private_categories=private_categories, coverage=coverage or (code,),
        currency=muni.currency, timezone=muni.timezone, name_ja=muni.name_ja, name_en=muni.name_en,
    )


def _values(raw: dict[str, Any], where: str, resources: set[str]) -> dict[str, dict[str, str]]:
    """[values.<column>] applies to every resource; [values.<resource>.<column>] to one only."""
    out: dict[str, dict[str, str]] = {}
    enum_columns = {c.name for cols in intake.INTAKE.values() for c in cols if c.kind == "enum"}
    for key, table in raw.items():
        if key in intake.INTAKE and all(isinstance(v, dict) for v in table.values()):
            scoped = {c.name for c in intake.columns(key) if c.kind == "enum"}
            for col, mapping in table.items():
                if col not in scoped:
                    raise AdapterError(f"{where}: [values.{key}.{col}]: {key} has no coded column {col!r}"
                                       f"{suggest(col, sorted(scoped))}")
                out[f"{key}.{col}"] = {str(a): str(b) for a, b in mapping.items()}
            continue
        if key not in enum_columns:
            raise AdapterError(f"{where}: [values.{key}]: no table has a coded column {key!r}"
                               f"{suggest(key, sorted(enum_columns))} "
                               f"(coded columns: {', '.join(sorted(enum_columns))})")
        if bad := [a for a, b in table.items() if not isinstance(b, str)]:
            raise AdapterError(f"{where}: [values.{key}] {bad[0]!r}: must be a code (a string)")
        out[key] = {str(a): str(b) for a, b in table.items()}
    for key, mapping in out.items():
        resource, _, column = key.rpartition(".")
        targets = [resource] if resource else [r for r in resources
                                               if column in {c.name for c in intake.columns(r) if c.kind == "enum"}]
        allowed: set[str] = set()
        for res in targets:
            field_name = intake.ENUM_FIELD.get((res, column), column)
            allowed |= set(schema.enum(res, field_name)) if field_name in schema.fields_by_name(res) else set()
        if allowed and (bad := sorted({v for v in mapping.values() if v not in allowed})):
            raise AdapterError(f"{where}: [values.{key}] maps to {bad[0]!r}, which is not a code of {column}"
                               f"{suggest(bad[0], sorted(allowed))} (codes: {', '.join(sorted(allowed))})")
    return out


def value_map(adapter: "Adapter", resource: str, column: str) -> dict[str, str]:
    """The adapter's source words for one column of one resource (resource-scoped words win)."""
    return {**adapter.values.get(column, {}), **adapter.values.get(f"{resource}.{column}", {})}


def _filter(spec: adapter_schema.Filter) -> RowFilter:
    return RowFilter(column=spec.column, equals=spec.equals, contains=spec.contains, not_contains=spec.not_contains,
                     one_of=tuple(spec.one_of) if spec.one_of is not None else None, not_empty=spec.not_empty,
                     reason=spec.reason)


def _source(spec: dict[str, Any], defaults: dict[str, Any], where: str, resource: str) -> Source:
    merged = {**defaults, **spec}
    try:
        model = adapter_schema.Source.model_validate(merged)
    except ValidationError as exc:  # why: defaults are validated with the table they complete
        raise _schema_errors(exc, where.split(" ")[0]) from None
    fmt = model.format
    enc = _encoding(model.encoding, where)
    encodings = {str(k): _encoding(v, f"{where} encodings.{k}") for k, v in model.encodings.items()}
    dates = tuple(model.dates)
    if bad := [d for d in dates if d not in DATE_FORMATS]:
        raise AdapterError(f"{where}: unknown date formats {bad}{suggest(bad[0], list(DATE_FORMATS))}; "
                           f"known: {DATE_FORMATS}")
    if model.file is None:
        raise AdapterError(f"{where}: 'file' is required")
    file = model.file
    try:
        identifiers.check_file_pattern(file)
    except identifiers.IdentifierError as exc:
        raise AdapterError(f"{where}: file must be a plain name inside the raw folder: {exc}") from exc
    url = model.url
    if url is not None and not re.match(r"^https?://[^\s]+$", str(url)):
        raise AdapterError(f"{where}: url {url!r} must be an http:// or https:// address")
    if url is not None and identifiers.is_pattern(file):
        raise AdapterError(f"{where}: url needs one file name, not the pattern {file!r}")
    if model.captures is not None:
        try:
            re.compile(model.captures)
        except re.error as exc:
            raise AdapterError(f"{where}: captures is not a regular expression: {exc}") from exc
    if model.header_rows < 1 or model.header_row < 1:
        raise AdapterError(f"{where}: header_row and header_rows must be 1 or more")
    spec_columns = model.columns
    optional = frozenset(model.optional)
    if spec_columns == "standard":
        # why: the standard intake format uses the intake names; private columns stay unmapped, and
        # a municipality that does not record an optional column simply leaves it out.
        spec_columns = {c.name: c.name for c in intake.columns(resource) if c.kind != "private"}
        optional |= {c.name for c in intake.columns(resource) if not c.required}
    columns: dict[str, str] = {}
    also: dict[str, tuple[str, ...]] = {}
    for src, dst in spec_columns.items():
        targets = [dst] if isinstance(dst, str) else list(dst)
        if not targets:
            raise AdapterError(f"{where}: columns {src!r} maps to no intake column")
        columns[str(src)] = targets[0]
        if targets[1:]:
            also[str(src)] = tuple(targets[1:])
    known = intake.names(resource)
    mapped = [t for src in columns for t in (columns[src], *also.get(src, ()))]
    for src in columns:
        if bad := [t for t in (columns[src], *also.get(src, ())) if t not in known]:
            raise AdapterError(f"{where}: columns {src!r} maps to unknown intake column {bad[0]!r}"
                               f"{suggest(bad[0], known)} (intake columns of {resource}: {', '.join(known)})")
    if dupes := sorted({t for t in mapped if mapped.count(t) > 1}):
        raise AdapterError(f"{where}: intake column {dupes[0]!r} is mapped from two source columns")
    constants = dict(model.constants)
    if bad := [c for c in constants if c not in known]:
        raise AdapterError(f"{where}: constants for unknown intake column {bad[0]!r}{suggest(bad[0], known)}")
    ids = {k: tuple(v) for k, v in model.ids.items()}
    if bad := [c for c in ids if c not in known]:
        raise AdapterError(f"{where}: ids for unknown intake column {bad[0]!r}{suggest(bad[0], known)}")
    if empty := [c for c, v in ids.items() if not v]:
        raise AdapterError(f"{where}: ids.{empty[0]} names no source column to hash")
    closed_from = tuple(model.closed_from_actions)
    if closed_from and resource != "cases":
        raise AdapterError(f"{where}: closed_from_actions belongs in [resources.cases]")
    if bad := [a for a in closed_from if a not in schema.enum("actions", "action")]:
        raise AdapterError(f"{where}: closed_from_actions: {bad[0]!r} is not an action code"
                           f"{suggest(bad[0], schema.enum('actions', 'action'))}")
    texts = [c.name for c in intake.columns(resource) if c.kind == "text"]
    if bad := [c for c in model.shorten if c not in texts]:
        raise AdapterError(f"{where}: shorten: {bad[0]!r} is not a text column of {resource}"
                           f"{suggest(bad[0], texts)}")
    derived = set(constants) | set(ids) | ({"closed"} if closed_from else set())
    for column in intake.columns(resource):
        if column.required and column.name not in mapped and column.name not in derived:
            raise AdapterError(
                f"{where}: required intake column {column.name!r} is not mapped: add "
                f"\"<source column>\" = \"{column.name}\" under [{where.split('[', 1)[1].rstrip(']')}.columns], "
                f"a constant under .constants, or a generated id under .ids")
    return Source(
        file=file, format=fmt, encoding=enc, delimiter=model.delimiter,
        header_row=model.header_row, sheet=model.sheet,
        record_path=model.record_path, explode=model.explode,
        dates=dates, columns=columns, constants=constants, optional=optional,
        url=str(url) if url is not None else None, header_rows=model.header_rows, encodings=encodings,
        captures=model.captures, filters=tuple(_filter(f) for f in model.filters),
        counts={name: RowCount(tuple(c.by), _filter(c.where) if c.where else None) for name, c in model.counts.items()},
        ids=ids, also=also, closed_from_actions=closed_from,
        exclude_identical_repeats=model.exclude_identical_repeats, shorten=tuple(model.shorten),
    )


def _encoding(value: str, where: str) -> str:
    enc = value.lower().replace("_", "-")
    if enc in ("shift-jis", "sjis", "shift_jis"):
        raise AdapterError(f"{where}: encoding {enc!r}: declare 'cp932' (Windows exports use it; "
                           "shift_jis fails on ①, ㈱ and 髙)")
    if enc not in ENCODINGS:
        raise AdapterError(f"{where}: encoding {enc!r} is not one of {ENCODINGS}{suggest(enc, list(ENCODINGS))}")
    return enc


def discover(directory: Path = ADAPTERS) -> list[Adapter]:
    """Every adapter file in a folder (files starting with '_' are templates), by code; the first bad one raises."""
    adapters, broken = discover_isolated(directory)
    if broken:
        raise next(iter(broken.values()))
    return adapters


def discover_isolated(directory: Path = ADAPTERS) -> tuple[list[Adapter], dict[str, AdapterError]]:
    """Every adapter file in a folder, and the broken ones by file stem: a broken adapter fails only its body."""
    adapters: list[Adapter] = []
    broken: dict[str, AdapterError] = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name.startswith("_"):
            continue
        try:
            adapters.append(load(path))
        except AdapterError as exc:
            broken[path.stem] = exc
    return sorted(adapters, key=lambda a: a.code), broken


def standard(code: str, slug: str) -> Adapter:
    """The standard intake format's adapter for any body (`_standard.toml` with its code and slug)."""
    path = ADAPTERS / "_standard.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    raw["municipality"].update(code=code, slug=slug)
    try:
        return parse(raw, path)
    except AdapterError as exc:
        reason = str(exc).removeprefix(f"{path.name}: [municipality] ")
        raise AdapterError(f"raw folder {code}_{slug}: {reason} (a folder without an adapter is named "
                           "<code>_<slug>, e.g. 352152_shunan)") from exc
