"""Ingest: one raw export file -> a frame of text cells in intake columns, private data dropped.

Only columns the adapter maps survive this stage; everything else, and every column on the
adapter's PII drop list, is gone before any other stage sees the data.

The stage's parts: the readers (pipeline/readers: delimited text, xlsx, xls, JSON, OCDS, and the
encoding of text files), the adapter's filters and counts (ingest_filters) and the mapping to intake
columns (ingest_select). This module finds a table's files, reads them and applies the filters.
"""

import datetime as dt
import fnmatch
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .adapter import Source
from .ingest_filters import apply_filters, count_column, left_out
from .ingest_select import generated_ids, select
from .problems import ExportError, Problem
from .readers.columns import (
    FILE,
    INTERNAL,
    KEY,
    NOT_AN_OBJECT,
    NUL_MARK,
    RECORD,
    ROW,
    SUPERSEDED,
    cell_int,
)
from .readers.delimited import mark_nul_rows, read_csv
from .readers.encoding import decode, decode_rows, detect_encoding
from .readers.json_records import read_json

DASHES = {"-", "－", "‐", "―", "—", "ー", "−"}
__all__ = [
    "DASHES",
    "FILE",
    "INTERNAL",
    "KEY",
    "NOT_AN_OBJECT",
    "NUL_MARK",
    "RECORD",
    "ROW",
    "SUPERSEDED",
    "RawFile",
    "Read",
    "apply_filters",
    "cell_int",
    "decode",
    "decode_rows",
    "describe",
    "detect_encoding",
    "files_for",
    "generated_ids",
    "read",
    "read_table",
    "select",
]


@dataclass(frozen=True)
class RawFile:
    """Provenance of an input file, published in the package's `sources`."""

    path: str
    sha256: str
    bytes: int
    modified: str


def describe(path: Path) -> RawFile:
    data = path.read_bytes()
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date().isoformat()
    return RawFile(path.name, hashlib.sha256(data).hexdigest(), len(data), mtime)


@dataclass
class Read:
    """One table's rows from all its files: source columns plus ROW, KEY and FILE; rows left out by filters."""

    frame: pd.DataFrame
    excluded: list[Problem] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)

    @property
    def rows_in(self) -> int:
        return len(self.frame) + len(self.excluded)


def files_for(folder: Path, source: Source) -> list[Path]:
    """The files of a table: its one file, or every file in the folder matching its pattern (sorted)."""
    if folder.is_symlink():
        raise ExportError(folder.name, "the raw folder is a symbolic link: refused (copy the exports in)")
    if not source.is_pattern:
        return [folder / source.file]
    if not folder.is_dir():
        raise ExportError(source.file, f"raw folder {folder.name} not found")
    # why: names are compared after NFC, as macOS writes decomposed Japanese names (ダ as タ + ゛)
    pattern = unicodedata.normalize("NFC", source.file)
    found = sorted(p for p in folder.iterdir() if fnmatch.fnmatchcase(unicodedata.normalize("NFC", p.name), pattern))
    if not found:
        raise ExportError(source.file, "no file in the raw folder matches this pattern")
    return found


def read_table(folder: Path, source: Source) -> Read:
    """Every file of one table -> one frame with captured constants and counts; filters applied."""
    frames = []
    paths = files_for(folder, source)
    for path in paths:
        frame = read(path, source)
        frame.insert(1, FILE, path.name)
        frame["@file"] = path.name
        frame["@line"] = frame[ROW].astype(str)
        for name, value in _captures(path.name, source).items():
            frame[f"@{name}"] = value
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame[KEY] = range(len(frame))
    for name, count in source.counts.items():
        frame[f"@{name}"] = count_column(frame, count, name)
    kept, excluded = apply_filters(frame, source.filters)
    kept, superseded = left_out(kept, kept.get(SUPERSEDED, pd.Series("", index=kept.index)) == "true", SUPERSEDED,
                                 "an older version of an award that a later release of the same ocid updates")
    excluded += superseded
    if source.exclude_identical_repeats:
        data = [c for c in kept.columns if c not in (*INTERNAL, "@file", "@line")]
        first = kept.groupby(data, sort=False, dropna=False)[ROW].transform("first")
        kept, repeats = left_out(kept, kept.duplicated(data, keep="first"), None,
                                  "identical repeat of an earlier row (the export repeats it)", first)
        excluded += repeats
    return Read(kept.reset_index(drop=True), excluded, paths)


def _captures(name: str, source: Source) -> dict[str, str]:
    if source.captures is None:
        return {}
    match = re.search(source.captures, unicodedata.normalize("NFC", name))
    if match is None:
        raise ExportError(name, f"file name does not match the adapter's captures pattern {source.captures!r}")
    return {k: (v or "").strip() for k, v in match.groupdict().items()}


def read(path: Path, source: Source) -> pd.DataFrame:
    """Raw file -> frame of str cells with its source columns plus ROW and KEY; ExportError if unusable."""
    if path.is_symlink():
        raise ExportError(path.name, "the file is a symbolic link: refused (copy the export into the raw folder)")
    if not path.is_file():
        raise ExportError(path.name, "file not found")
    data = path.read_bytes()
    if not data.strip():
        raise ExportError(path.name, "empty file")
    frame = _read_workbook(path, source) if source.format in ("xlsx", "xls") else _read_text(data, path, source)
    if frame.empty:
        raise ExportError(path.name, "header only: the export has no data rows")
    frame[KEY] = range(len(frame))
    return frame


def _read_workbook(path: Path, source: Source) -> pd.DataFrame:
    if source.format == "xlsx":
        from .readers.xlsx import read_xlsx  # why: only workbook adapters pay for importing a workbook reader

        return read_xlsx(path, source)
    from .readers.xls import read_xls

    return read_xls(path, source)


def _read_text(data: bytes, path: Path, source: Source) -> pd.DataFrame:
    """A text export (CSV, JSON, Open311, OCDS) in its declared or detected encoding."""
    encoding = source.encoding_for(path.name)
    if encoding == "auto":
        encoding = detect_encoding(data, path.name)
    text, nul_lines = decode_rows(data, encoding, path.name)
    if source.format == "ocds":
        from .readers.ocds import read_ocds

        return read_ocds(text, path.name)
    if source.format in ("json", "open311"):
        return read_json(text, source, path.name)
    return mark_nul_rows(read_csv(text, source, path.name), nul_lines)
