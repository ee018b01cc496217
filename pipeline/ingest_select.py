"""Source columns -> intake columns: only the mapped ones survive, personal data dropped, ids and constants added."""

import hashlib
import unicodedata

import pandas as pd

from . import intake
from .adapter import Source
from .ingest_filters import closest, column_text
from .problems import ExportError
from .readers.columns import FILE, INTERNAL, KEY, NOT_AN_OBJECT, NUL_MARK, RECORD, ROW

PRIVATE = frozenset(c.name for cols in intake.INTAKE.values() for c in cols if c.kind == "private")


def _renames(header: list[str], source: Source, name: str) -> dict[str, str]:
    """Header column -> intake column, for every mapped column the header has (private ones never)."""
    rename: dict[str, str] = {}
    for src, dst in source.columns.items():
        if dst in PRIVATE:
            continue  # why: direct identifiers never leave ingest, even when an adapter maps them
        actual = _actual(src, header)
        if actual is None and src in source.optional:
            if renamed := _annotated(src, header, source):
                # why: publishing the column empty would replace last night's text with nothing, silently
                raise ExportError(name, f"optional column {src!r} (for {dst}) is missing, but the header has "
                                  f"{renamed!r}, which looks like the same column renamed; rename it back, or map it "
                                  "in the adapter's columns", row=source.header_row, column=src)
            continue
        if actual is None:
            raise ExportError(name, f"column {src!r} (for {dst}) is missing; " + closest(src, header),
                              row=source.header_row, column=src)
        rename[actual] = dst
    return rename


def _copies(frame: pd.DataFrame, header: list[str], source: Source) -> dict[str, str]:
    """The adapter's `also`: a mapped column copied into further intake columns (added to frame)."""
    rename: dict[str, str] = {}
    for src, targets in source.also.items():
        if src in source.columns and source.columns[src] not in PRIVATE and (actual := _actual(src, header)):
            for target in targets:
                frame[f"_also_{target}"] = frame[actual]
                rename[f"_also_{target}"] = target
    return rename


def select(frame: pd.DataFrame, source: Source, pii_drop: tuple[str, ...], name: str) -> pd.DataFrame:
    """Source columns -> intake columns: mapped columns only, PII dropped, constants added."""
    if leaked := sorted(set(pii_drop) & set(source.columns)):
        raise ExportError(name, f"adapter maps columns that it also lists as personal data: {leaked}")
    header = [str(c) for c in frame.columns if c not in INTERNAL]
    rename = {**_renames(header, source, name), **_copies(frame, header, source)}
    keep = [c for c in (ROW, KEY, FILE, RECORD, NUL_MARK, NOT_AN_OBJECT) if c in frame.columns]
    out = frame[[*keep, *rename]].rename(columns=rename)
    for column, sources in source.ids.items():
        parts = [column_text(frame, c, f"ids.{column}") for c in sources]
        out[column] = generated_ids(parts)
    for column, value in source.constants.items():
        if column not in out.columns:
            out[column] = value
    return out.reset_index(drop=True)


# A note in brackets after a column's name, after NFKC: "description（記入者 …）", "Description [2025]".
_NOTE_START = ("(", "[", "【", "〔", "<", "{")


def _annotated(src: str, header: list[str], source: Source) -> str | None:
    """A header column that is src in other letter case or with a bracketed note after it, unused by the mapping.

    why: a column merely named otherwise ("town_code" beside an absent "town") is another column, not a rename."""
    want = unicodedata.normalize("NFKC", src).strip().casefold()
    used = {_actual(c, header) for c in source.columns}
    for column in header:
        folded = unicodedata.normalize("NFKC", column).strip().casefold()
        if column not in used and folded.startswith(want) and (
                folded == want or folded[len(want):].lstrip().startswith(_NOTE_START)):
            return column
    return None


def _actual(src: str, header: list[str]) -> str | None:
    normalized = {unicodedata.normalize("NFKC", c).strip(): c for c in header}
    return src if src in header else normalized.get(unicodedata.normalize("NFKC", src).strip())


def generated_ids(parts: list[pd.Series]) -> pd.Series:
    """A stable identifier from named columns: 'h-' + the first 16 hex digits of their SHA-256.

    Equal values give equal ids (a repeated row becomes a duplicate, quarantined as one)."""
    joined = parts[0].map(lambda v: unicodedata.normalize("NFKC", v).strip())
    for part in parts[1:]:
        joined = joined + "\x1f" + part.map(lambda v: unicodedata.normalize("NFKC", v).strip())
    return joined.map(lambda v: "h-" + hashlib.sha256(v.encode("utf-8")).hexdigest()[:16])
