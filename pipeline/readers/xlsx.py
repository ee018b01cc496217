"""Excel workbooks (.xlsx) -> a frame of text cells, read with calamine (Rust), openpyxl where it must.

calamine reads a workbook about ten times faster than openpyxl and gives the same cells, with two
exceptions that are mended here so that the text is the same either way:
- a date cell without a time is a `date` in calamine and a midnight `datetime` in openpyxl: both
  become 'YYYY-MM-DD 00:00:00';
- a formula error (#DIV/0!, #N/A) is an empty cell in calamine and its code in openpyxl. A sheet
  holding one (a cell of type "e" in its XML) is read with openpyxl, so that the code reaches
  normalize and is reported there, never silently emptied.
tests/stages/test_xlsx_readers.py compares both readers cell by cell.
"""

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pandas as pd

from ..adapter import Source
from ..problems import ExportError
from .columns import ROW
from .delimited import check_header

# A cell of type error in SpreadsheetML (<c r="B8" t="e">), either quote.
ERROR_CELL = re.compile(rb"""<c\b[^>]*\st=["']e["']""")
RELATIONSHIP = re.compile(r"""<Relationship\b[^>]*>""")
SHEET = re.compile(r"""<sheet\b[^>]*>""")


def cell_text(value: object) -> str:
    """One cell as text, as openpyxl's value would print."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return f"{value.isoformat()} 00:00:00"  # why: openpyxl gives every date cell as a datetime
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _attribute(tag: str, name: str) -> str | None:
    match = re.search(rf"""\s{name}=["']([^"']*)["']""", tag)
    return match[1] if match else None


def _sheet_member(archive: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The zip member of the named sheet (the first sheet if None); None if the workbook does not say."""
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return None
    sheets = SHEET.findall(book)
    chosen = next((s for s in sheets if sheet is None or _attribute(s, "name") == sheet), None)
    target_id = _attribute(chosen, "r:id") if chosen else None
    for tag in RELATIONSHIP.findall(rels):
        if _attribute(tag, "Id") == target_id and (target := _attribute(tag, "Target")):
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return str(PurePosixPath(path))
    return None


def has_error_cells(path: Path, sheet: str | None) -> bool:
    """Whether the sheet holds a formula error (True also when the sheet's XML cannot be found)."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet)
            if member is None or member not in archive.namelist():
                return True
            return ERROR_CELL.search(archive.read(member)) is not None
    except (OSError, zipfile.BadZipFile):
        return True


def openpyxl_rows(path: Path, source: Source) -> list[list[str]]:
    from openpyxl import load_workbook  # why: only a workbook with error cells pays for importing openpyxl

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _unreadable(path, exc) from exc
    try:
        _check_sheet(path, source, book.sheetnames)
        sheet = book[source.sheet] if source.sheet else book.worksheets[0]
        return [[cell_text(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def calamine_rows(path: Path, source: Source) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own kinds (zip, XML, password) for a damaged workbook
        raise _unreadable(path, exc) from exc
    try:
        _check_sheet(path, source, book.sheet_names)
        sheet = book.get_sheet_by_name(source.sheet) if source.sheet else book.get_sheet_by_index(0)
        return [[cell_text(v) for v in r] for r in sheet.to_python(skip_empty_area=False)]
    finally:
        book.close()


def _unreadable(path: Path, exc: Exception) -> ExportError:
    hint = ': it is a legacy .xls file, declare format = "xls"' if path.suffix.lower() == ".xls" else ""
    return ExportError(path.name, f"not a readable .xlsx workbook ({type(exc).__name__}){hint}")


def _check_sheet(path: Path, source: Source, names: list[str]) -> None:
    if source.sheet is not None and source.sheet not in names:
        raise ExportError(path.name, f"sheet {source.sheet!r} not found; sheets: {names}")


def sheet_rows(path: Path, source: Source) -> list[list[str]]:
    """Every row of the adapter's sheet as text cells (calamine, or openpyxl for a sheet with error cells)."""
    reader: Callable[[Path, Source], list[list[str]]] = (
        openpyxl_rows if has_error_cells(path, source.sheet) else calamine_rows)
    return reader(path, source)


def read_xlsx(path: Path, source: Source) -> pd.DataFrame:
    """The adapter's sheet -> frame of text cells with ROW (the sheet's row number); empty rows left out."""
    rows = sheet_rows(path, source)
    if len(rows) < source.header_row:
        raise ExportError(path.name, "empty workbook: no header row")
    header = [h.strip() for h in rows[source.header_row - 1]]
    while header and not header[-1]:
        header.pop()
    check_header(header, path.name, source.header_row)
    records = []
    for offset, cells in enumerate(rows[source.header_row:], start=source.header_row + 1):
        cells = (cells + [""] * len(header))[: len(header)]
        if any(cells):
            records.append([offset, *cells])
    return pd.DataFrame(records, columns=[ROW, *header]).astype({ROW: int})
