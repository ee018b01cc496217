"""Legacy Excel (.xls, BIFF) sheets, multi-row headers included, as a frame of text cells.

A multi-row header (MLIT's bid results: 入札結果 / １回目 / 金額) becomes one name per column, its parts
joined with '/': a blank upper cell over a named lower one takes the name on its left (a merged cell).
Dates stay Excel serial numbers; the adapter reads them with the `excel_serial` date form.
"""

from pathlib import Path

import pandas as pd

from ..adapter import Source
from ..problems import ExportError
from .columns import ROW


def _text(value: object, kind: int) -> str:
    import xlrd

    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "true" if value else "false"
    if kind == xlrd.XL_CELL_ERROR:
        return ""
    if isinstance(value, float):
        # why: xls stores 190,700,000 as 190699999.99999997; twelve significant digits undo the binary noise
        rounded = float(f"{value:.12g}")
        return str(int(rounded)) if rounded.is_integer() else repr(rounded)
    return str(value)


def header_names(rows: list[list[str]]) -> list[str]:
    """Several header rows -> one name per column ('入札結果/１回目/金額'); merged cells filled from the left."""
    width = max((len(r) for r in rows), default=0)
    grid = [[(r[i] if i < len(r) else "").strip() for i in range(width)] for r in rows]
    original = [row[:] for row in grid]
    for level in range(len(grid) - 1):
        for col in range(1, width):
            below = any(grid[lower][col] for lower in range(level + 1, len(grid)))
            if not grid[level][col] and below and grid[level][col - 1] and not _starts_column(original, level, col):
                grid[level][col] = grid[level][col - 1]
    names = []
    for col in range(width):
        parts: list[str] = []
        for level in range(len(grid)):
            part = " ".join(grid[level][col].split())
            if part and (not parts or parts[-1] != part):
                parts.append(part)
        names.append("/".join(parts))
    return names


def _starts_column(grid: list[list[str]], level: int, col: int) -> bool:
    """True if the column at `col` has its own name in a row above `level` (it is not under the merge)."""
    return any(grid[upper][col] for upper in range(level))


def read_xls(path: Path, source: Source) -> pd.DataFrame:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd raises several kinds for a damaged or non-BIFF file
        raise ExportError(path.name, f"not a readable .xls workbook ({type(exc).__name__}: {exc})"[:200]) from exc
    try:
        names = book.sheet_names()
        if source.sheet is not None and source.sheet not in names:
            raise ExportError(path.name, f"sheet {source.sheet!r} not found; sheets: {names}")
        sheet = book.sheet_by_name(source.sheet) if source.sheet else book.sheet_by_index(0)
        rows = [[_text(c.value, c.ctype) for c in sheet.row(r)] for r in range(sheet.nrows)]
    finally:
        book.release_resources()
    first = source.header_row - 1
    if len(rows) < first + source.header_rows:
        raise ExportError(path.name, "empty sheet: no header row")
    header = header_names(rows[first:first + source.header_rows])
    while header and not header[-1]:
        header.pop()
    header = [h or f"column {i + 1}" for i, h in enumerate(header)]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ExportError(path.name, "duplicate column name in the header", row=source.header_row, column=name)
        seen.add(name)
    records = []
    for line, cells in enumerate(rows[first + source.header_rows:], start=first + source.header_rows + 1):
        cells = (cells + [""] * len(header))[: len(header)]
        if any(cells):
            records.append([line, *cells])
    return pd.DataFrame(records, columns=[ROW, *header]).astype({ROW: int})
