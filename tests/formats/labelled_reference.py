"""The labelled workbook as it was written before the column-wise rows: XlsxWriter, cell by cell.

Kept as the reference that test_labelled_workbook.py compares the published workbooks with, byte for byte.
"""

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from pipeline import schema
from pipeline.formats import labelled, parquet


def _cells(table: Any, resource: str) -> list[list[Any]]:
    out = []
    for spec in schema.load(resource)["fields"]:
        values = table[spec["name"]]
        if str(values.type).startswith("dictionary"):
            values = values.cast("string")
        cells = values.to_pylist()
        if "enum_labels" in spec:
            labels = {code: v["ja"] for code, v in spec["enum_labels"].items()}
            cells = [labels.get(c, c) if c is not None else None for c in cells]
        elif spec["type"] == "boolean":
            cells = [labelled.YES_NO.get(c) if c is not None else None for c in cells]
        out.append(cells)
    return out


def write(target: Path, package_name: str, descriptor: dict[str, Any], paths: dict[str, Path]) -> None:
    created = str(descriptor.get("created", "2020-01-01"))[:10]
    workbook = xlsxwriter.Workbook(str(target), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "default_date_format": "yyyy-mm-dd"})
    workbook.set_properties({"title": str(descriptor.get("title", package_name)), "author": "mieruka",
                             "created": dt.datetime.fromisoformat(f"{created}T00:00:00")})
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
    readme = workbook.add_worksheet(labelled.README)
    taken = {labelled.README}
    sheets = [(r, labelled._sheet_name(r, taken), parquet.read_typed(p, r)) for r, p in paths.items()]
    labelled._readme(readme, bold, descriptor, sheets)
    for resource, name, table in sheets:
        if table.num_rows >= labelled.EXCEL_ROWS:
            continue
        sheet = workbook.add_worksheet(name)
        fields = schema.load(resource)["fields"]
        sheet.write_row(0, 0, [f.get("title", f["name"]) for f in fields], header)
        sheet.freeze_panes(1, 0)
        for column, f in enumerate(fields):
            sheet.set_column(column, column, 12 if f["type"] in ("date", "integer", "number", "boolean") else 18)
        for row, values in enumerate(zip(*_cells(table, resource), strict=True), start=1):
            sheet.write_row(row, 0, values)
        if table.num_rows:
            sheet.autofilter(0, 0, table.num_rows, len(fields) - 1)
    workbook.close()
