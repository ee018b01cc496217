"""The rows of a worksheet as SpreadsheetML, built a column at a time with Arrow instead of cell by cell.

The XML is the same, byte for byte, as XlsxWriter writes in constant-memory mode (its inline strings,
`%.16G` numbers, dates as serial numbers with the default date format, no cell for a null or empty
value, no row without a cell). XlsxWriter spends about 40 µs a cell in Python; a column-wise pass
costs well under 1 µs a cell. tests/formats/test_sheet_xml.py compares both on the same tables.

Two deliberate differences: XlsxWriter writes a text that starts with `<r>` and ends with `</r>` as raw
rich-text XML, here it is escaped like any other text, so a cell can never inject markup; and a text
longer than Excel's 32,767 characters is cut as XlsxWriter cuts it, but the cells after it in the row
are kept (XlsxWriter's write_row stopped the row there).
"""

import re
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

# Excel's limit on a cell's text, in UTF-16 code units (XlsxWriter truncates longer text to it).
MAX_TEXT = 32_767
# Excel serial number of 1970-01-01 (1900 date system, with Excel's phantom 1900-02-29 counted).
UNIX_EPOCH_SERIAL = 25_569
# Day number (since 1970-01-01) of 1900-03-01, before which Excel's serials have no phantom day.
FIRST_LEAP_SAFE_DAY = -25_508
# Rows turned into XML at a time (bounds the memory of a sheet's XML).
CHUNK_ROWS = 65_536
_CONTROL = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_CONTROL_ARROW = r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f]|\x{FFFE}|\x{FFFF}"
_SPACE_START = re.compile(r"^\s")
_SPACE_END = re.compile(r"\s$")


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape_control(text: str) -> str:
    """XlsxWriter's escape of control characters as _xHHHH_ (and of a literal _xHHHH_ as _x005F_xHHHH_)."""
    text = re.sub(r"(_x[0-9a-fA-F]{4}_)", r"_x005F\1", text)
    text = re.sub(r"([\x00-\x08\x0b-\x1f])", lambda m: f"_x{ord(m.group(1)):04X}_", text)
    return text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


def _utf16_truncate(text: str) -> str:
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > MAX_TEXT:
            return text[:index]
    return text


def _python_fix(values: pa.Array, mask: pa.Array, fix: Any) -> pa.Array:
    """values with fix() applied in Python to the few where mask is true."""
    if not pc.any(mask).as_py():
        return values
    fixed = [fix(v) if m else v for v, m in zip(values.to_pylist(), mask.to_pylist(), strict=True)]
    return pa.array(fixed, pa.string())


def _is_space_char(chars: pa.Array, pattern: re.Pattern[str]) -> pa.Array:
    """Whether each one-character string is whitespace by Python's \\s (as XlsxWriter checks it)."""
    unique = pc.unique(chars)
    spaces = pa.array([c for c in unique.to_pylist() if c is not None and pattern.search(c)], pa.string())
    return pc.is_in(chars, value_set=spaces)


def _text_cells(values: pa.Array, prefix: str, rows: pa.Array) -> pa.Array:
    """Inline-string cells of a text column ("" where the value is null or empty)."""
    values = values.cast(pa.string())
    long = pc.fill_null(pc.greater(pc.utf8_length(values), MAX_TEXT // 2), False)
    values = _python_fix(values, long, _utf16_truncate)
    control = pc.fill_null(pc.match_substring_regex(values, _CONTROL_ARROW), False)
    values = _python_fix(values, control, _escape_control)
    preserve = pc.or_(_is_space_char(pc.utf8_slice_codeunits(values, 0, 1), _SPACE_START),
                      _is_space_char(pc.utf8_slice_codeunits(values, -1), _SPACE_END))
    escaped = values
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        escaped = pc.replace_substring(escaped, raw, entity)
    t_open = pc.if_else(preserve, '<t xml:space="preserve">', "<t>")
    cells = pc.binary_join_element_wise(f'<c r="{prefix}', rows, '" t="inlineStr"><is>', t_open, escaped,
                                        "</t></is></c>", "")
    return pc.if_else(pc.fill_null(pc.not_equal(values, ""), False), cells, "")


def _number_text(values: pa.Array) -> pa.Array:
    """Numbers as XlsxWriter writes them (`%.16G` of the float); whole numbers below 2**53 as Arrow prints them."""
    if pa.types.is_integer(values.type):
        extremes = pc.min_max(values).as_py()
        if all(v is None or abs(v) < 2**53 for v in extremes.values()):
            return values.cast(pa.string())
    floats = values.to_pylist()
    for value in floats:
        if value is not None and (value != value or value in (float("inf"), float("-inf"))):
            raise TypeError("NAN/INF not supported in write_number() without 'nan_inf_to_errors' Workbook() option")
    return pa.array([None if v is None else f"{v:.16G}" for v in floats], pa.string())


def _number_cells(values: pa.Array, prefix: str, rows: pa.Array, style: str) -> pa.Array:
    cells = pc.binary_join_element_wise(f'<c r="{prefix}', rows, f'"{style}><v>', _number_text(values), "</v></c>",
                                        "")
    return pc.fill_null(cells, "")


def _date_serials(values: pa.Array) -> pa.Array:
    """date32 -> Excel serial numbers (1900 date system; whole days), as XlsxWriter computes them."""
    days = values.cast(pa.int32()).cast(pa.int64())
    leap = pc.if_else(pc.greater_equal(days, FIRST_LEAP_SAFE_DAY), UNIX_EPOCH_SERIAL, UNIX_EPOCH_SERIAL - 1)
    return pc.add(days, leap)


def cell_column(values: pa.Array, column: int, rows: pa.Array, date_style: int | None) -> pa.Array:
    """One column's cells as XML strings ("" for no cell); rows: the 1-based row numbers as text."""
    prefix = column_letters(column)
    kind = values.type
    if pa.types.is_date(kind):
        return _number_cells(_date_serials(values), prefix, rows, f' s="{date_style}"')
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return _number_cells(values, prefix, rows, "")
    return _text_cells(values, prefix, rows)


def has_dates(columns: list[pa.Array]) -> bool:
    """Whether any cell of the columns is a date (and so needs the default date format)."""
    return any(pa.types.is_date(c.type) and c.null_count < len(c) for c in columns)


def rows_xml(columns: list[pa.Array], first_row: int, date_style: int | None) -> Iterator[bytes]:
    """The <row> elements of the columns' values, the first one numbered first_row, a chunk at a time."""
    length = len(columns[0]) if columns else 0
    for start in range(0, length, CHUNK_ROWS):
        count = min(CHUNK_ROWS, length - start)
        numbers = pa.array(range(first_row + start, first_row + start + count), pa.int64()).cast(pa.string())
        cells = [cell_column(c.slice(start, count), i, numbers, date_style) for i, c in enumerate(columns)]
        content = pc.binary_join_element_wise(*cells, "") if cells else pa.array([""] * count)
        rows = pc.binary_join_element_wise('<row r="', numbers, '">', content, "</row>", "")
        rows = pc.if_else(pc.equal(content, ""), "", rows)
        yield "".join(rows.to_pylist()).encode("utf-8")


def last_row(columns: list[pa.Array], first_row: int) -> int | None:
    """The number of the last row with a cell (None if no row has one)."""
    if not columns:
        return None
    written = None
    for column in columns:
        present = pc.is_valid(column)
        if pa.types.is_string(column.type) or pa.types.is_dictionary(column.type):
            present = pc.and_(present, pc.not_equal(column.cast(pa.string()), ""))
        indices = pc.indices_nonzero(pc.fill_null(present, False))
        if len(indices):
            found = indices[-1].as_py()
            written = found if written is None else max(written, found)
    return None if written is None else first_row + written
