"""Delimited text -> a frame of text cells with the file line of each record; broken files named by row."""

import csv
import io
import re
import warnings

import pandas as pd

from ..adapter import Source
from ..problems import ExportError
from .columns import NUL_MARK, ROW

MAX_HEADER = 65_536  # characters in a header row; a longer one is junk, not column names


def mark_nul_rows(frame: pd.DataFrame, nul_lines: list[int]) -> pd.DataFrame:
    if not nul_lines or frame.empty:
        return frame
    starts = frame[ROW].tolist()
    ends = [*[s - 1 for s in starts[1:]], 1 << 60]
    marked = [any(start <= line <= end for line in nul_lines) for start, end in zip(starts, ends, strict=True)]
    frame[NUL_MARK] = marked
    return frame


def read_csv(text: str, source: Source, name: str) -> pd.DataFrame:
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
    check_header(_raw_header(text, source, name), name, source.header_row)
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


def check_header(header: list[str], name: str, row: int) -> None:
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise ExportError(name, "duplicate column name in the header", row=row, column=column)
        seen.add(column)
