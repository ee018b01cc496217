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
from .ingest import ROW
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
    def rejected_rows(self) -> int:
        return len({p.row for p in self.problems})


def text(value: str) -> str:
    """NFKC (full-width digits and letters to ASCII), control characters removed, trimmed."""
    cleaned = _CONTROL.sub("", unicodedata.normalize("NFKC", value))
    return cleaned.replace("\r\n", "\n").replace("\r", "\n").strip()


def _word(value: str) -> str:
    return re.sub(r"\s+", "", text(value)).lower()


def _parse_int(value: str) -> int:
    s = re.sub(r"[,\s円¥\\]", "", text(value))
    if re.fullmatch(r"[0-9]+(\.0+)?", s):
        return int(float(s)) if "." in s else int(s)
    raise Invalid("not a whole non-negative amount")


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


def _parse_id(value: str) -> str:
    s = text(value)
    if len(s) > 64:
        raise Invalid("identifier longer than 64 characters")
    if _EXPONENT.fullmatch(s):
        raise Invalid("identifier in exponent notation: a spreadsheet rounded it; export the column as text")
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

    def parse(value: str) -> str:
        word = _word(value)
        code = mapping.get(word, word)
        if code not in allowed:
            raise Invalid(f"unknown {column} value; add it to [values.{column}] in the adapter")
        return code

    return parse


def _has_enum(resource: str, field_name: str) -> bool:
    spec = schema.fields_by_name(resource).get(field_name, {})
    return "enum" in spec.get("constraints", {})


def _parsers(resource: str, adapter: Adapter, source: Source) -> dict[str, Callable[[str], object]]:
    def date(value: str) -> dt.date:
        try:
            parsed = parse_date(value, source.dates)
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
    return {name: _limited(parse, published_limit(resource, name)) for name, parse in parsers.items()}


def published_limit(resource: str, column: str) -> int | None:
    """The schema's maxLength of a column published as it is (None if it has none or is transformed).

    why: a contractor name longer than the published limit would otherwise fail the whole body at
    validation; here it is one quarantined row. Scrubbed and town-only fields are shortened later."""
    spec = schema.fields_by_name(resource).get(column, {})
    if "anonymize" in spec:
        return None
    limit = spec.get("constraints", {}).get("maxLength")
    return int(limit) if limit is not None else None


def _limited(parse: Callable[[str], object], limit: int | None) -> Callable[[str], object]:
    if limit is None:
        return parse

    def parse_within(value: str) -> object:
        parsed = parse(value)
        if isinstance(parsed, str) and len(parsed) > limit:
            raise Invalid(f"longer than {limit} characters, the published limit")
        return parsed

    return parse_within


def parse_columns(frame: pd.DataFrame, resource: str, adapter: Adapter, source: Source,
                  file: str) -> Normalized:
    """Intake text frame -> typed frame; cells that fail become problems and their rows drop."""
    parsers = _parsers(resource, adapter, source)
    out = pd.DataFrame({ROW: frame[ROW].to_numpy()})
    problems: list[Problem] = []
    for column in intake.columns(resource):
        if column.kind == "private":
            continue  # why: never carried past ingest, not even as an empty column
        if column.name not in frame.columns:
            out[column.name] = None
            continue
        raw = frame[column.name].astype(str)
        values, bad = _map_unique(raw, parsers[column.name], column.required)
        out[column.name] = values
        problems.extend(
            Problem(file, int(frame.at[i, ROW]), column.name, raw.at[i], reason)
            for i, reason in bad.items()
        )
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
    bad = {int(i): errors[v] for i, v in raw[raw.isin(list(errors))].items()}
    return values, bad


def _drop_rejected(result: Normalized) -> Normalized:
    rows = {p.row for p in result.problems}
    frame = result.frame[~result.frame[ROW].isin(rows)].reset_index(drop=True)
    return Normalized(frame, result.problems, result.rows_in)


def reject(result: Normalized, mask: pd.Series, file: str, column: str, reason: str,
           values: pd.Series | None = None) -> Normalized:
    """Move the rows under `mask` to the problems, with one reason."""
    if not mask.any():
        return result
    shown = values if values is not None else result.frame[column]
    shown = shown.astype(object).where(shown.notna(), "").astype(str)
    new = [Problem(file, int(r), column, shown.at[i], reason)
           for i, r in result.frame.loc[mask, ROW].items()]
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
    f = result.frame.copy()
    f["fiscal_year"] = f["received"].map(fiscal_year)
    defaults = {"infrastructure": "road", "channel": "other", "road_administrator": "unknown",
                "reopened": False}
    for column, value in defaults.items():
        f[column] = f[column].where(f[column].notna(), value)
    return Normalized(f, result.problems, result.rows_in)
