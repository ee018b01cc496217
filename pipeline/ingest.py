"""Ingest: one raw export file -> a frame of text cells in intake columns, private data dropped.

Only columns the adapter maps survive this stage; everything else, and every column on the
adapter's PII drop list, is gone before any other stage sees the data.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import intake
from .adapter import Source
from .problems import ExportError

ROW = "_row"  # 1-based line (CSV, xlsx) or record number (JSON) in the source file
MAX_HEADER = 65_536  # characters in a header row; a longer one is junk, not column names


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


def read(path: Path, source: Source) -> pd.DataFrame:
    """Raw file -> frame of str cells with its source columns plus ROW; ExportError if unusable."""
    if not path.is_file():
        raise ExportError(path.name, "file not found")
    data = path.read_bytes()
    if not data.strip():
        raise ExportError(path.name, "empty file")
    if source.format == "xlsx":
        frame = _read_xlsx(path, source)
    else:
        text = decode(data, source.encoding, path.name)
        frame = _read_json(text, source, path.name) if source.format in ("json", "open311") \
            else _read_csv(text, source, path.name)
    if frame.empty:
        raise ExportError(path.name, "header only: the export has no data rows")
    return frame


def decode(data: bytes, encoding: str, name: str) -> str:
    """Bytes -> text in the declared encoding; a clear error if the file is in another one."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ExportError(name, "file is UTF-16; export it as UTF-8 or CP932")
    if (nul := data.find(b"\x00")) >= 0:
        raise ExportError(name, "file contains NUL bytes: it is binary, not a text export",
                          row=data[:nul].count(b"\n") + 1)
    if encoding == "cp932" and _is_utf8_with_non_ascii(data):
        raise ExportError(name, "declared encoding cp932, but the file is UTF-8: fix the adapter")
    codec = "utf-8-sig" if encoding.startswith("utf-8") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        other = "utf-8" if encoding == "cp932" else "cp932"
        if _decodes(data, other):
            hint = f" (it decodes as {other}: fix the adapter)"
        elif _decodes(_line_at(data, exc.start), other):
            hint = f" (this line is {other}: the file mixes encodings)"
        else:
            hint = ""
        raise ExportError(name, f"not valid {encoding} at byte {exc.start}{hint}", row=line) from exc


def _line_at(data: bytes, offset: int) -> bytes:
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return data[start:] if end < 0 else data[start:end]


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8_with_non_ascii(data: bytes) -> bool:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return not body.isascii() and _decodes(body, "utf-8")


def _read_csv(text: str, source: Source, name: str) -> pd.DataFrame:
    skip = source.header_row - 1
    try:
        with warnings.catch_warnings():
            # why: without index_col=False pandas silently turns the surplus fields of a first row that
            # is too long into an index, shifting every value into the column on its left.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text), sep=source.delimiter, dtype=str, keep_default_na=False,
                na_filter=False, skiprows=skip, header=0, engine="c", skip_blank_lines=True,
                index_col=False,
            )
    except pd.errors.EmptyDataError as exc:
        raise ExportError(name, "empty file: no header row") from exc
    except pd.errors.ParserError as exc:
        raise broken_csv(str(exc), name) from exc
    except pd.errors.ParserWarning as exc:
        raise _surplus_fields(text, source, name) from exc
    header = [str(c) for c in frame.columns]
    if len(header) == 1 and any(d in header[0] for d in (";", "\t", "|") if d != source.delimiter):
        raise ExportError(name, f"one column only: the file is not delimited by {source.delimiter!r}",
                          row=source.header_row, value=header[0])
    _check_header(_raw_header(text, source, name), name, source.header_row)
    frame.insert(0, ROW, range(source.header_row + 1, source.header_row + 1 + len(frame)))
    return frame


def broken_csv(message: str, name: str) -> ExportError:
    """pandas' tokenizer message -> one line naming the row (file line numbers, header included)."""
    flat = " ".join(message.split()).removeprefix("Error tokenizing data. C error: ")
    if m := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", flat):
        return ExportError(name, f"broken CSV: {m[3]} fields where the header has {m[1]} "
                                 "(an unquoted delimiter or a stray quote)", row=int(m[2]))
    if m := re.search(r"EOF inside string starting at row (\d+)", flat):
        return ExportError(name, "broken CSV: a quote opened here is never closed", row=int(m[1]) + 1)
    return ExportError(name, f"broken CSV: {flat}")


def _surplus_fields(text: str, source: Source, name: str) -> ExportError:
    """The first row with more fields than the header, as an error naming it."""
    lines = _after_title_rows(text, source)
    reader = csv.reader(lines, delimiter=source.delimiter)
    width = None
    try:
        for record in reader:
            width = len(record) if width is None else width
            if len(record) > width:
                break
    except csv.Error:
        pass
    row = reader.line_num + source.header_row - 1
    return ExportError(name, f"broken CSV: more fields than the header's {width} (an unquoted delimiter or a "
                             "delimiter at the end of the line)", row=row)


def _after_title_rows(text: str, source: Source) -> io.StringIO:
    lines = io.StringIO(text, newline="")  # why: CR, LF and CRLF all end a line, as for pandas
    for _ in range(source.header_row - 1):
        lines.readline()
    return lines


def _raw_header(text: str, source: Source, name: str) -> list[str]:
    lines = _after_title_rows(text, source)
    start = lines.tell()
    if len(lines.readline()) > MAX_HEADER:
        raise ExportError(name, f"header row longer than {MAX_HEADER:,} characters: not an export header",
                          row=source.header_row)
    lines.seek(start)
    try:
        return next(csv.reader(lines, delimiter=source.delimiter), [])
    except csv.Error as exc:
        raise ExportError(name, f"broken CSV header: {exc}", row=source.header_row) from exc


def _check_header(header: list[str], name: str, row: int) -> None:
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise ExportError(name, "duplicate column name in the header", row=row, column=column)
        seen.add(column)


def _read_xlsx(path: Path, source: Source) -> pd.DataFrame:
    from openpyxl import (
        load_workbook,  # why: only xlsx adapters pay for importing openpyxl
    )

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ExportError(path.name, f"not a readable .xlsx workbook ({type(exc).__name__})") from exc
    try:
        if source.sheet is not None and source.sheet not in book.sheetnames:
            raise ExportError(path.name, f"sheet {source.sheet!r} not found; sheets: {book.sheetnames}")
        sheet = book[source.sheet] if source.sheet else book.worksheets[0]
        rows = [[_cell(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    if len(rows) < source.header_row:
        raise ExportError(path.name, "empty workbook: no header row")
    header = [h.strip() for h in rows[source.header_row - 1]]
    while header and not header[-1]:
        header.pop()
    _check_header(header, path.name, source.header_row)
    records = []
    for offset, cells in enumerate(rows[source.header_row:], start=source.header_row + 1):
        cells = (cells + [""] * len(header))[: len(header)]
        if any(cells):
            records.append([offset, *cells])
    return pd.DataFrame(records, columns=[ROW, *header]).astype({ROW: int})


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_json(text: str, source: Source, name: str) -> pd.DataFrame:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(name, f"broken JSON: {exc.msg}", row=exc.lineno) from exc
    records = document
    if isinstance(document, dict):
        key = source.record_path or next((k for k, v in document.items() if isinstance(v, list)), None)
        records = document.get(key) if key else None
    if not isinstance(records, list):
        raise ExportError(name, "no list of records found in the JSON document")
    rows: list[dict[str, Any]] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise ExportError(name, "record is not an object", row=number)
        flat = _flatten(record)
        if source.explode is None:
            rows.append({ROW: number, **flat})
            continue
        items = record.get(source.explode) or []
        parent = {f"parent.{k}": v for k, v in flat.items() if not k.startswith(source.explode)}
        rows.extend({ROW: number, **parent, **_flatten(item)} for item in items if isinstance(item, dict))
    frame = pd.DataFrame(rows)
    return frame.astype({c: str for c in frame.columns if c != ROW}) if not frame.empty else frame


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            continue
        else:
            flat[name] = "" if value is None else str(value)
    return flat


def select(frame: pd.DataFrame, source: Source, pii_drop: tuple[str, ...], name: str) -> pd.DataFrame:
    """Source columns -> intake columns: mapped columns only, PII dropped, constants added."""
    if leaked := sorted(set(pii_drop) & set(source.columns)):
        raise ExportError(name, f"adapter maps columns that it also lists as personal data: {leaked}")
    header = [str(c) for c in frame.columns if c != ROW]
    normalized = {unicodedata.normalize("NFKC", c).strip(): c for c in header}
    rename: dict[str, str] = {}
    private = {c.name for cols in intake.INTAKE.values() for c in cols if c.kind == "private"}
    for src, dst in source.columns.items():
        if dst in private:
            continue  # why: direct identifiers never leave ingest, even when an adapter maps them
        actual = src if src in header else normalized.get(unicodedata.normalize("NFKC", src).strip())
        if actual is None and src in source.optional:
            continue
        if actual is None:
            raise ExportError(name, f"column {src!r} (for {dst}) is missing; the header has {header[:12]}",
                              row=source.header_row, column=src)
        rename[actual] = dst
    out = frame[[ROW, *rename]].rename(columns=rename)
    for column, value in source.constants.items():
        if column not in out.columns:
            out[column] = value
    return out.reset_index(drop=True)
