"""Ingest: one raw export file -> a frame of text cells in intake columns, private data dropped.

Only columns the adapter maps survive this stage; everything else, and every column on the
adapter's PII drop list, is gone before any other stage sees the data.
"""

import csv
import datetime as dt
import fnmatch
import hashlib
import io
import json
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, SupportsInt, cast

import pandas as pd

from . import intake
from .adapter import RowFilter, Source
from .jsonlines import object_lines
from .problems import ExportError, Problem

ROW = "_row"  # 1-based line in the source file (CSV, xls/xlsx row; JSON: the line where the record starts)
KEY = "_key"  # the row's own number within its table: rows that share a line stay apart
FILE = "_file"  # the file a row came from (tables read from several files)
RECORD = "_record"  # JSON: 'record 3, note 2' beside the line, for people
MAX_HEADER = 65_536  # characters in a header row; a longer one is junk, not column names
# why: a NUL byte in a line or two is a damaged row; many of them, or one in the header, a binary file
MAX_NUL_SHARE = 0.01
DASHES = {"-", "－", "‐", "―", "—", "ー", "−"}


def cell_int(value: object) -> int:
    """A whole number read from a frame (a cell of ROW, KEY or a first line; a RangeIndex label) as an int.

    why: pandas-stubs types a cell as any scalar and a label as Hashable; these hold only whole numbers."""
    return int(cast(SupportsInt, value))


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
        frame[f"@{name}"] = _count(frame, count, name)
    kept, excluded = apply_filters(frame, source.filters)
    kept, superseded = _left_out(kept, kept.get(SUPERSEDED, pd.Series("", index=kept.index)) == "true", SUPERSEDED,
                                 "an older version of an award that a later release of the same ocid updates")
    excluded += superseded
    if source.exclude_identical_repeats:
        data = [c for c in kept.columns if c not in (*INTERNAL, "@file", "@line")]
        first = kept.groupby(data, sort=False, dropna=False)[ROW].transform("first")
        kept, repeats = _left_out(kept, kept.duplicated(data, keep="first"), None,
                                  "identical repeat of an earlier row (the export repeats it)", first)
        excluded += repeats
    return Read(kept.reset_index(drop=True), excluded, paths)


def _left_out(frame: pd.DataFrame, mask: pd.Series, column: str | None, reason: str,
              first: pd.Series | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    problems = [Problem(str(frame.at[i, FILE]), cell_int(frame.at[i, ROW]), column,
                        f"repeats line {cell_int(first.at[i])}" if first is not None else "", reason,
                        record=str(frame.at[i, RECORD]) if RECORD in frame.columns else None,
                        key=cell_int(frame.at[i, KEY]), excluded=True) for i in frame.index[mask]]
    return frame[~mask], problems


def _captures(name: str, source: Source) -> dict[str, str]:
    if source.captures is None:
        return {}
    match = re.search(source.captures, unicodedata.normalize("NFC", name))
    if match is None:
        raise ExportError(name, f"file name does not match the adapter's captures pattern {source.captures!r}")
    return {k: (v or "").strip() for k, v in match.groupdict().items()}


def _closest(name: str, header: list[str]) -> str:
    """'closest in the header: '予定価格 （税抜き）'; the header has [...]' for a column an adapter misnames."""
    import difflib

    folded = {unicodedata.normalize("NFKC", h).replace(" ", ""): h for h in header}
    close = difflib.get_close_matches(unicodedata.normalize("NFKC", name).replace(" ", ""), list(folded), n=1,
                                      cutoff=0.6)
    near = f"closest in the header: {folded[close[0]]!r}; " if close else ""
    return f"{near}the header has {header[:12]}" + (f" and {len(header) - 12} more" if len(header) > 12 else "")


def _column(frame: pd.DataFrame, name: str, what: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype(str)
    normalized = {unicodedata.normalize("NFKC", str(c)).strip(): c for c in frame.columns}
    actual = normalized.get(unicodedata.normalize("NFKC", name).strip())
    if actual is None:
        header = [str(c) for c in frame.columns if not str(c).startswith("_")]
        raise ExportError(str(frame[FILE].iat[0]) if FILE in frame.columns and len(frame) else "export",
                          f"{what} names column {name!r}, which the header does not have; "
                          + _closest(name, header), column=name)
    return frame[actual].astype(str)


def _passes(frame: pd.DataFrame, rule: RowFilter, what: str = "a filter") -> pd.Series:
    def norm(v: str) -> str:
        return unicodedata.normalize("NFKC", v).strip()

    values = _column(frame, rule.column, what).map(norm)
    keep = pd.Series(True, index=frame.index)
    if rule.equals is not None:
        keep &= values == norm(rule.equals)
    if rule.contains is not None:
        keep &= values.str.contains(norm(rule.contains), regex=False)
    if rule.not_contains is not None:
        keep &= ~values.str.contains(norm(rule.not_contains), regex=False)
    if rule.one_of is not None:
        keep &= values.isin([norm(v) for v in rule.one_of])
    if rule.not_empty:
        keep &= values != ""
    return keep


def _count(frame: pd.DataFrame, count: Any, name: str) -> pd.Series:
    keys = [_column(frame, c, f"counts.{name}") for c in count.by]
    group = pd.Series(list(zip(*keys, strict=True)), index=frame.index) if len(keys) > 1 else keys[0]
    counted = pd.Series(True, index=frame.index)
    if count.where is not None:
        counted = _passes(frame, count.where, f"counts.{name}.where")
    totals = counted.groupby(group).sum()
    return group.map(totals).astype(int).astype(str)


def apply_filters(frame: pd.DataFrame, filters: tuple[RowFilter, ...]) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows failing a filter leave the table, each with a problem naming the filter and its reason."""
    excluded: list[Problem] = []
    for rule in filters:
        keep = _passes(frame, rule)
        values = _column(frame, rule.column, "a filter")
        reason = f"left out by a filter of the adapter ({rule.describe()})"
        reason += f": {rule.reason}" if rule.reason else ""
        excluded += [Problem(str(frame.at[i, FILE]) if FILE in frame.columns else "", cell_int(frame.at[i, ROW]),
                             rule.column, str(values.at[i]), reason, key=cell_int(frame.at[i, KEY]), excluded=True,
                             record=str(frame.at[i, RECORD]) if RECORD in frame.columns else None)
                     for i in frame.index[~keep]]
        frame = frame[keep]
    return frame, excluded


def read(path: Path, source: Source) -> pd.DataFrame:
    """Raw file -> frame of str cells with its source columns plus ROW and KEY; ExportError if unusable."""
    if path.is_symlink():
        raise ExportError(path.name, "the file is a symbolic link: refused (copy the export into the raw folder)")
    if not path.is_file():
        raise ExportError(path.name, "file not found")
    data = path.read_bytes()
    if not data.strip():
        raise ExportError(path.name, "empty file")
    if source.format == "xlsx":
        frame = _read_xlsx(path, source)
    elif source.format == "xls":
        from .readers.xls import read_xls  # why: only .xls adapters pay for importing xlrd

        frame = read_xls(path, source)
    else:
        encoding = source.encoding_for(path.name)
        if encoding == "auto":
            encoding = detect_encoding(data, path.name)
        text, nul_lines = decode_rows(data, encoding, path.name)
        if source.format == "ocds":
            from .readers.ocds import read_ocds

            frame = read_ocds(text, path.name)
        elif source.format in ("json", "open311"):
            frame = _read_json(text, source, path.name)
        else:
            frame = _read_csv(text, source, path.name)
            frame = _mark_nul_rows(frame, nul_lines)
    if frame.empty:
        raise ExportError(path.name, "header only: the export has no data rows")
    frame[KEY] = range(len(frame))
    return frame


NUL_MARK = "_nul"  # a row with a NUL byte: rejected in normalize, the rest of the file goes on
NOT_AN_OBJECT = "_not_an_object"  # JSON: an exploded item that is not an object, quarantined as a row
SUPERSEDED = "_superseded"  # OCDS: an award a later release updates
INTERNAL = (ROW, KEY, FILE, RECORD, NUL_MARK, SUPERSEDED, NOT_AN_OBJECT)


def _mark_nul_rows(frame: pd.DataFrame, nul_lines: list[int]) -> pd.DataFrame:
    if not nul_lines or frame.empty:
        return frame
    starts = frame[ROW].tolist()
    ends = [*[s - 1 for s in starts[1:]], 1 << 60]
    marked = [any(start <= line <= end for line in nul_lines) for start, end in zip(starts, ends, strict=True)]
    frame[NUL_MARK] = marked
    return frame


def detect_encoding(data: bytes, name: str) -> str:
    """A file's encoding: a UTF-8 BOM, valid UTF-8, else what charset-normalizer finds (Shift_JIS read as cp932)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if _decodes(data, "utf-8"):
        return "utf-8"
    if _decodes(data, "cp932"):
        return "cp932"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ExportError(name, "encoding not recognised: declare it in the adapter (encoding or encodings)")
    found = best.encoding.lower().replace("_", "-")
    if found in ("shift-jis", "cp932", "ms932", "sjis"):
        return "cp932"
    if found in ("utf-8", "ascii"):
        return "utf-8"
    raise ExportError(name, f"the file looks like {found}; mieruka reads UTF-8 and cp932: re-export it or declare "
                            "the encoding in the adapter")


def decode_rows(data: bytes, encoding: str, name: str) -> tuple[str, list[int]]:
    """decode(), but a NUL byte in a few lines only marks those lines (returned) instead of failing the file."""
    nul = data.count(b"\x00")
    if not nul or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return decode(data, encoding, name), []
    first_line_end = data.find(b"\n")
    in_header = data.find(b"\x00") < (first_line_end if first_line_end >= 0 else len(data))
    if in_header or nul > max(1, len(data) * MAX_NUL_SHARE):
        return decode(data, encoding, name), []  # raises: a binary file
    lines: list[int] = []
    offset = data.find(b"\x00")
    while offset >= 0:
        lines.append(data[:offset].count(b"\n") + 1)
        offset = data.find(b"\x00", offset + 1)
    return decode(data.replace(b"\x00", b""), encoding, name), sorted(set(lines))


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
        if text.lstrip()[:1] in ("[", "{"):
            raise ExportError(name, 'not CSV: the file is JSON; declare format = "json", "open311" or "ocds"') from exc
        raise broken_csv(str(exc), name) from exc
    except pd.errors.ParserWarning as exc:
        raise _surplus_fields(text, source, name) from exc
    header = [str(c) for c in frame.columns]
    if len(header) == 1 and any(d in header[0] for d in (";", "\t", "|") if d != source.delimiter):
        raise ExportError(name, f"one column only: the file is not delimited by {source.delimiter!r}",
                          row=source.header_row, value=header[0])
    _check_header(_raw_header(text, source, name), name, source.header_row)
    frame.insert(0, ROW, _record_lines(text, source, len(frame)))
    return frame


def _record_lines(text: str, source: Source, records: int) -> list[int]:
    """The file line each data record starts on (multi-line cells and blank lines counted as the file has them)."""
    simple = source.header_row + 1
    if text.count("\n") + (not text.endswith("\n")) == source.header_row + records and "\r" not in text:
        return list(range(simple, simple + records))
    lines = _after_title_rows(text, source)
    reader = csv.reader(lines, delimiter=source.delimiter)
    starts: list[int] = []
    previous = 0
    try:
        for number, record in enumerate(reader):
            if number and record:
                starts.append(previous + source.header_row)
            previous = reader.line_num
    except csv.Error:
        pass
    if len(starts) != records:  # why: pandas and csv disagree only on broken files; keep the plain count
        return list(range(simple, simple + records))
    return starts


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
        hint = ': it is a legacy .xls file, declare format = "xls"' if path.suffix.lower() == ".xls" else ""
        raise ExportError(path.name, f"not a readable .xlsx workbook ({type(exc).__name__}){hint}") from exc
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
    base: tuple[Any, ...] = ()
    if isinstance(document, dict):
        key = source.record_path or next((k for k, v in document.items() if isinstance(v, list)), None)
        records = document.get(key) if key else None
        base = (key,)
    if not isinstance(records, list):
        raise ExportError(name, "no list of records found in the JSON document")
    lines = object_lines(text)
    rows: list[dict[str, Any]] = []
    for number, record in enumerate(records, start=1):
        line = lines.get((*base, number - 1), 1)
        if not isinstance(record, dict):
            raise ExportError(name, f"record {number} is not an object", row=line)
        flat = _flatten(record)
        if source.explode is None:
            rows.append({ROW: line, RECORD: f"record {number}", **flat})
            continue
        items = record.get(source.explode) or []
        if not isinstance(items, list):
            raise ExportError(name, f"record {number}: {source.explode!r} is not a list", row=line)
        parent = {f"parent.{k}": v for k, v in flat.items() if not k.startswith(source.explode)}
        for index, item in enumerate(items):
            at = lines.get((*base, number - 1, source.explode, index), line)
            label = f"record {number}, {source.explode} item {index + 1}"
            # why: an item that is not an object is still a row, so that it is quarantined, not lost
            fields = _flatten(item) if isinstance(item, dict) else {NOT_AN_OBJECT: json.dumps(item)[:200]}
            rows.append({ROW: at, RECORD: label, **parent, **fields})
    frame = pd.DataFrame(rows)
    # why: a key that one record leaves out is an empty cell, not the text 'nan'
    text_columns = [c for c in frame.columns if c != ROW]
    if frame.empty:
        return frame
    return frame.fillna(dict.fromkeys(text_columns, "")).astype(dict.fromkeys(text_columns, str))


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
    header = [str(c) for c in frame.columns if c not in INTERNAL]
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
            raise ExportError(name, f"column {src!r} (for {dst}) is missing; " + _closest(src, header),
                              row=source.header_row, column=src)
        rename[actual] = dst
    for src, targets in source.also.items():
        if src in source.columns and source.columns[src] not in private and (actual := _actual(src, header)):
            for target in targets:
                frame[f"_also_{target}"] = frame[actual]
                rename[f"_also_{target}"] = target
    keep = [c for c in (ROW, KEY, FILE, RECORD, NUL_MARK, NOT_AN_OBJECT) if c in frame.columns]
    out = frame[[*keep, *rename]].rename(columns=rename)
    for column, sources in source.ids.items():
        parts = [_column(frame, c, f"ids.{column}") for c in sources]
        out[column] = generated_ids(parts)
    for column, value in source.constants.items():
        if column not in out.columns:
            out[column] = value
    return out.reset_index(drop=True)


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
