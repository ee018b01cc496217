"""Normalize: intake text cells -> typed canonical values, one problem per rejected cell.

Pure functions over DataFrames. Every value is parsed once per distinct value (exports repeat
the same dates and words thousands of times), then mapped back onto the column.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from . import codes, intake, schema
from .adapter import Adapter, Source, value_map
from .ingest import DASHES, FILE, KEY, NOT_AN_OBJECT, NUL_MARK, RECORD, ROW, cell_int
from .location import KEPT_REASON
from .problems import Problem
from .wareki import DateError, fiscal_year, parse_date

# why: a single cell larger than this is junk or an attack, not a municipal export.
MAX_TEXT = 10_000
# why: '令和99年' is a valid era date (2117) but no export holds one; nor one before the road ledgers began.
DATE_RANGE = (1950, 2100)
_EXPONENT = re.compile(r"[0-9](\.[0-9]+)?[eE][+-]?[0-9]+")
JAPAN_LAT = (20.0, 46.0)
JAPAN_LON = (122.0, 154.0)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_TRUE = {"true", "1", "yes", "y", "はい", "有", "あり", "○", "◯", "t"}
_FALSE = {"false", "0", "no", "n", "いいえ", "無", "なし", "", "×", "f", "-"}


class Invalid(ValueError):
    """A cell value that cannot be used; the message is the reason shown to the municipality."""


@dataclass
class Normalized:
    """Typed rows of one resource and the rows it rejected."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_in: int = 0

    @property
    def withholding(self) -> list[Problem]:
        """Problems that keep the row out of the package (a withheld location keeps its row)."""
        return [p for p in self.problems if not p.reason.endswith(KEPT_REASON)]

    @property
    def rejected_rows(self) -> int:
        """Rows quarantined for an error (rows left out by an adapter filter are not errors)."""
        return len({_row_id(p) for p in self.withholding if not p.excluded})

    @property
    def quarantined_rows(self) -> int:
        """Every row that is not published: rejected or left out by a filter."""
        return len({_row_id(p) for p in self.withholding})

    def causes(self) -> dict[str, int]:
        """Quarantined rows by their first cause (a row with two bad cells counts once)."""
        first: dict[object, str] = {}
        for problem in self.withholding:
            first.setdefault(_row_id(problem), problem.cause)
        counts: dict[str, int] = {}
        for cause in first.values():
            counts[cause] = counts.get(cause, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _row_id(problem: Problem) -> object:
    return problem.key if problem.key is not None else (problem.file, problem.row)


def text(value: str) -> str:
    """NFKC (full-width digits and letters to ASCII), control characters removed, trimmed."""
    cleaned = _CONTROL.sub("", unicodedata.normalize("NFKC", value))
    return cleaned.replace("\r\n", "\n").replace("\r", "\n").strip()


def _word(value: str) -> str:
    return re.sub(r"\s+", "", text(value)).lower()


_CURRENCY = re.compile(r"[,\s円¥\\$€£]|(?:JPY|CAD|USD|EUR|GBP|千円)$|^(?:JPY|CAD|USD|EUR|GBP)")
_NEGATIVE = ("△", "▲", "-", "−", "－")


def _parse_int(value: str) -> int:
    """An amount: '1,234円', '¥1,234', '8923.94' (rounded half to even), '△1,000' (negative: refused)."""
    raw = text(value)
    s = _CURRENCY.sub("", raw)
    negative = s.startswith(_NEGATIVE) or (s.startswith("(") and s.endswith(")"))
    s = s.lstrip("".join(_NEGATIVE)).strip("()")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", s):
        raise Invalid("not an amount")
    if negative:
        raise Invalid("negative amount (△ or -): a decrease, not an amount the schema can publish (≥ 0)")
    from decimal import ROUND_HALF_EVEN, Decimal

    return int(Decimal(s).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _parse_number(value: str) -> float:
    try:
        number = float(text(value))
    except ValueError as exc:
        raise Invalid("not a number") from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise Invalid("not a finite number")
    return number


def _parse_bool(value: str) -> bool:
    word = _word(value)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise Invalid("not a yes/no value")


def _parse_code(value: str) -> str:
    repaired = codes.repair(text(value))
    if repaired is None:
        raise Invalid("not a local government code")
    return repaired


_PATH_LIKE = re.compile(r"^(?:[/\\~]|[A-Za-z]:[/\\])|(?:^|[/\\])\.\.(?:[/\\]|$)|\\")
_FORMULA = re.compile(r"^(?:[=+@]|-[^0-9])")


def _parse_id(value: str) -> str:
    s = text(value)
    if len(s) > 64:
        raise Invalid("identifier longer than 64 characters")
    if _EXPONENT.fullmatch(s):
        raise Invalid("identifier in exponent notation: a spreadsheet rounded it; export the column as text")
    if _FORMULA.match(s):
        raise Invalid("identifier starts like a spreadsheet formula (=, +, -, @): refused, as a spreadsheet "
                      "would run it; export the number as plain text")
    if _PATH_LIKE.search(s):
        raise Invalid("identifier looks like a file path (leading / \\ ~, a drive letter, '..' or a backslash): "
                      "refused")
    return s


def _parse_text(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise Invalid(f"text longer than {MAX_TEXT} characters")
    return text(value)


def _enum_parser(resource: str, column: str, adapter: Adapter) -> Callable[[str], str]:
    field_name = intake.ENUM_FIELD.get((resource, column), column)
    allowed = set(schema.enum(resource, field_name)) if _has_enum(resource, field_name) else set()
    # why: a shared map (e.g. [values.status]) only applies where its codes fit the field.
    mapping = {_word(k): v for k, v in value_map(adapter, resource, column).items() if v in allowed}

    default = mapping.pop("*", None)

    def parse(value: str) -> str:
        word = _word(value)
        code = mapping.get(word, word)
        if code not in allowed and default is not None:
            return default
        if code not in allowed:
            raise Invalid(f"unknown {column} value; add it to [values.{column}] in the adapter "
                          f"(or \"*\" = \"other\" for every other word)")
        return code

    return parse


def _has_enum(resource: str, field_name: str) -> bool:
    spec = schema.fields_by_name(resource).get(field_name, {})
    return "enum" in spec.get("constraints", {})


def _parsers(resource: str, adapter: Adapter, source: Source) -> dict[str, Callable[[str], object]]:
    def date(value: str) -> dt.date:
        try:
            parsed = parse_date(value, source.dates, timezone=adapter.timezone)
        except DateError as exc:
            raise Invalid(str(exc)) from exc
        if not DATE_RANGE[0] <= parsed.year <= DATE_RANGE[1]:
            raise Invalid(f"date outside the years {DATE_RANGE[0]}–{DATE_RANGE[1]}")
        return parsed

    by_kind: dict[str, Callable[[str], object]] = {
        "id": _parse_id, "date": date, "int": _parse_int, "number": _parse_number,
        "bool": _parse_bool, "code": _parse_code, "text": _parse_text, "private": str,
    }
    parsers = {
        c.name: _enum_parser(resource, c.name, adapter) if c.kind == "enum" else by_kind[c.kind]
        for c in intake.columns(resource)
    }
    return {name: (_shortened if name in source.shorten else _limited)(parse, published_limit(resource, name))
            for name, parse in parsers.items()}


def published_limit(resource: str, column: str) -> int | None:
    """The schema's maxLength of a column published as it is (None if it has none or is transformed).

    why: a contractor name longer than the published limit would otherwise fail the whole body at
    validation; here it is one quarantined row. Scrubbed and town-only fields are shortened later."""
    spec = schema.fields_by_name(resource).get(column, {})
    if "anonymize" in spec:
        return None
    limit = spec.get("constraints", {}).get("maxLength")
    return int(limit) if limit is not None else None


def _shortened(parse: Callable[[str], object], limit: int | None) -> Callable[[str], object]:
    """The adapter asked for this column to be cut at the published limit (ending in '…') rather than refused."""
    if limit is None:
        return parse

    def parse_shortened(value: str) -> object:
        parsed = parse(value)
        if isinstance(parsed, str) and len(parsed) > limit:
            return parsed[: limit - 1].rstrip() + "…"
        return parsed

    return parse_shortened


def _limited(parse: Callable[[str], object], limit: int | None) -> Callable[[str], object]:
    if limit is None:
        return parse

    def parse_within(value: str) -> object:
        parsed = parse(value)
        if isinstance(parsed, str) and len(parsed) > limit:
            raise Invalid(f"longer than {limit} characters, the published limit")
        return parsed

    return parse_within


def _problem(frame: pd.DataFrame, i: int, file: str, column: str | None, value: str, reason: str) -> Problem:
    """A problem for the row at index i: its own file, line, record label and key."""
    return Problem(str(frame.at[i, FILE]) if FILE in frame.columns else file, cell_int(frame.at[i, ROW]), column,
                   value, reason, record=str(frame.at[i, RECORD]) if RECORD in frame.columns else None,
                   key=cell_int(frame.at[i, KEY]) if KEY in frame.columns else None)


def parse_columns(frame: pd.DataFrame, resource: str, adapter: Adapter, source: Source,
                  file: str) -> Normalized:
    """Intake text frame -> typed frame; cells that fail become problems and their rows drop."""
    if KEY not in frame.columns:
        frame = frame.assign(**{KEY: range(len(frame))})
    parsers = _parsers(resource, adapter, source)
    carried = [c for c in (ROW, KEY, FILE, RECORD) if c in frame.columns]
    out = pd.DataFrame({c: frame[c].to_numpy() for c in carried})
    problems: list[Problem] = []
    if NUL_MARK in frame.columns:
        problems += [_problem(frame, i, file, None, "", "NUL byte in this row: the row is damaged")
                     for i in frame.index[frame[NUL_MARK].astype(bool)]]
    if NOT_AN_OBJECT in frame.columns:
        bad = ~frame[NOT_AN_OBJECT].astype(str).isin(["", "nan", "None"])
        problems += [_problem(frame, i, file, None, str(frame.at[i, NOT_AN_OBJECT]), "item is not a JSON object")
                     for i in frame.index[bad]]
    for column in intake.columns(resource):
        if column.kind == "private":
            continue  # why: never carried past ingest, not even as an empty column
        if column.name not in frame.columns:
            out[column.name] = None
            continue
        raw = frame[column.name].astype(str)
        if column.kind == "int" or (column.kind in ("date", "number", "code") and not column.required):
            raw = raw.where(~raw.str.strip().isin(DASHES), "")  # why: '-' in an amount or date cell means none
        values, failed = _map_unique(raw, parsers[column.name], column.required)
        out[column.name] = values
        problems.extend(_problem(frame, i, file, column.name, str(raw.at[i]), reason) for i, reason in failed.items())
    result = Normalized(out, problems, rows_in=len(frame))
    return _drop_rejected(result)


def _map_unique(raw: pd.Series, parse: Callable[[str], object],
                required: bool) -> tuple[pd.Series, dict[int, str]]:
    parsed: dict[str, object] = {}
    errors: dict[str, str] = {}
    for value in raw.unique():
        if not value.strip():
            if required:
                errors[value] = "required value is empty"
            continue
        try:
            parsed[value] = parse(value)
        except Invalid as exc:
            errors[value] = str(exc)
    values = raw.map(parsed).astype(object).where(raw.isin(list(parsed)), None)
    bad = {cell_int(i): errors[v] for i, v in raw[raw.isin(list(errors))].items()}
    return values, bad


def _drop_rejected(result: Normalized) -> Normalized:
    keys = {p.key for p in result.problems}
    frame = result.frame[~result.frame[KEY].isin(keys)].reset_index(drop=True)
    return Normalized(frame, result.problems, result.rows_in)


def reject(result: Normalized, mask: pd.Series, file: str, column: str, reason: str,
           values: pd.Series | None = None) -> Normalized:
    """Move the rows under `mask` to the problems, with one reason."""
    if not mask.any():
        return result
    shown = values if values is not None else result.frame[column]
    shown = shown.astype(object).where(shown.notna(), "").astype(str)
    new = [_problem(result.frame, i, file, column, str(shown.at[i]), reason) for i in result.frame.index[mask]]
    frame = result.frame[~mask].reset_index(drop=True)
    return Normalized(frame, result.problems + new, result.rows_in)


def check_coordinates(result: Normalized, file: str) -> Normalized:
    """Swap lat/lon given the wrong way round; reject coordinates outside Japan."""
    frame = result.frame
    if "latitude" not in frame.columns:
        return result
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    swapped = lat.between(*JAPAN_LON) & lon.between(*JAPAN_LAT)
    frame.loc[swapped, ["latitude", "longitude"]] = frame.loc[swapped, ["longitude", "latitude"]].to_numpy()
    lat, lon = lat.where(~swapped, lon), lon.where(~swapped, lat)
    half = lat.isna() != lon.isna()
    result = reject(result, half, file, "latitude", "latitude and longitude must both be given or both empty")
    frame = result.frame
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    outside = lat.notna() & ~(lat.between(*JAPAN_LAT) & lon.between(*JAPAN_LON))
    shown = frame["latitude"].astype(str) + "," + frame["longitude"].astype(str)
    return reject(result, outside, file, "latitude", "coordinates outside Japan", shown)


def check_unique(result: Normalized, column: str, file: str) -> Normalized:
    duplicated = result.frame[column].duplicated(keep="first") & result.frame[column].notna()
    return reject(result, duplicated, file, column, "duplicate identifier: an earlier row has the same one")


# why: events that a run dated D reports cannot have happened after D; contract periods may run beyond it
EVENT_DATES = {"cases": ("received", "first_response", "closed"), "actions": ("action_date",),
               "work_orders": ("order_date", "completion_date")}


def check_as_of(result: Normalized, resource: str, file: str, as_of: dt.date | None) -> Normalized:
    """Rows with an event date after the run's as-of date are quarantined, naming the date."""
    if as_of is None:
        return result
    for column in EVENT_DATES.get(resource, ()):
        if column not in result.frame.columns:
            continue
        later = result.frame[column].map(lambda d: d is not None and d == d and d > as_of).astype(bool)
        result = reject(result, later, file, column,
                        f"date after the run's as-of date {as_of.isoformat()}: an event cannot be reported "
                        "before it happens")
    return result


CLOSED_STATUSES = ("completed", "declined")


def closed_from_actions(cases: Normalized, actions: Normalized, codes_: tuple[str, ...]) -> Normalized:
    """A closed case's closed date, where the export gives none, is the latest date of its actions of these codes."""
    if not codes_ or cases.frame.empty:
        return cases
    done = actions.frame[actions.frame["action"].isin(codes_)]
    latest = done.groupby("case_number")["action_date"].max()
    f = cases.frame.copy()
    # why: only a case that is closed has a closed date; an open one's follow-up work does not close it
    missing = f["closed"].isna() & f["status"].isin(CLOSED_STATUSES)
    f.loc[missing, "closed"] = f.loc[missing, "case_number"].map(latest)
    f["closed"] = f["closed"].astype(object).where(f["closed"].notna(), None)
    return Normalized(f, cases.problems, cases.rows_in)


def normalize_cases(result: Normalized, file: str) -> Normalized:
    """Cross-field rules of a case; fills the derived and defaulted columns."""
    result = check_unique(result, "case_number", file)
    result = check_coordinates(result, file)
    f = result.frame
    declined = (f["status"] == "declined") & f["decline_reason"].isna()
    result = reject(result, declined, file, "decline_reason", "declined case without a decline reason")
    f = result.frame
    before = pd.Series([c is not None and c < r for c, r in zip(f["closed"], f["received"], strict=True)],
                       index=f.index, dtype=bool)
    result = reject(result, before, file, "closed", "closed before it was received")
    f = result.frame
    completed = (f["status"] == "completed") & f["closed"].isna()
    result = reject(result, completed, file, "closed",
                    "completed case without a completion date: give the date it was closed")
    f = result.frame.copy()
    f["fiscal_year"] = f["received"].map(fiscal_year)
    defaults = {"infrastructure": "road", "channel": "other", "road_administrator": "unknown",
                "reopened": False}
    for column, value in defaults.items():
        f[column] = f[column].where(f[column].notna(), value)
    return Normalized(f, result.problems, result.rows_in)
