"""The Japanese-labelled workbook of a package: excel/<package>_ja.xlsx, beside the Excel-friendly CSVs.

One sheet per resource with Japanese column headers (the schema's titles) and Japanese labels for coded
values (the schemas' enum_labels; true/false as はい/いいえ), dates as dates and numbers as numbers,
and a README sheet first: what the file is, the licence, the columns (header, CSV column name,
description) and every code with its labels. The CSVs stay code-based for machines.
Written with XlsxWriter in constant-memory mode from the published CSVs, the data rows spliced in
column-wise (sheet_xml: the same XML XlsxWriter writes, without its cost a cell), and the zip written again with
the build's deflate (pipeline.deflate: 13x faster than XlsxWriter's zlib at level 6, for a file about a fifth
larger); the document properties carry the package's creation date, so the same package gives the same bytes.
"""

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter  # type: ignore[import-untyped]  # why: xlsxwriter ships no py.typed and has no stubs package
import xlsxwriter.exceptions  # type: ignore[import-untyped]

from .. import deflate, schema
from . import parquet, sheet_xml

EXCEL_ROWS = 1_048_576
YES_NO = {True: "はい", False: "いいえ"}
README = "はじめに（README）"
EXTRA_TITLES = {"metrics": "比較指標"}
TOO_LONG = "（行数がExcelの上限を超えるため、シートはありません。CSVをお使いください）"


def file_name(package_name: str) -> str:
    return f"excel/{package_name}_ja.xlsx"


def _title(resource: str) -> str:
    return EXTRA_TITLES.get(resource) or str(schema.load(resource).get("title", resource))


def _sheet_name(resource: str, taken: set[str]) -> str:
    name = "".join(c for c in _title(resource) if c not in "[]:*?/\\")[:31] or resource
    while name in taken:
        name = f"{name[:28]}_{len(taken)}"
    taken.add(name)
    return name


def _labelled_columns(table: pa.Table, resource: str) -> list[pa.Array]:
    """The table's columns as cell values: codes as Japanese labels, booleans as はい/いいえ."""
    out = []
    for spec in schema.load(resource)["fields"]:
        values = table[spec["name"]].combine_chunks()
        if pa.types.is_dictionary(values.type):
            values = values.cast(pa.string())
        if "enum_labels" in spec:
            labels = {code: v["ja"] for code, v in spec["enum_labels"].items()}
            found = pc.index_in(values, value_set=pa.array(list(labels), pa.string()))
            values = pc.if_else(pc.is_null(found), values, pc.take(pa.array(list(labels.values()), pa.string()), found))
        elif spec["type"] == "boolean":
            values = pc.if_else(values, YES_NO[True], YES_NO[False])
        out.append(values)
    return out


def write(directory: Path, package_name: str, descriptor: dict[str, Any], paths: dict[str, Path],
          tables: dict[str, pa.Table] | None = None) -> str | None:
    """The labelled workbook of the given resources (resource -> CSV path); returns its relative path.
    tables: resources already read (parquet.read_typed), which are not read again.

    XlsxWriter writes the workbook with each data sheet's header row only (styles, README, filters,
    properties); the data rows are then spliced into the sheets, built column-wise (sheet_xml)."""
    relative = file_name(package_name)
    target = directory / relative
    target.parent.mkdir(exist_ok=True)
    created = str(descriptor.get("created", "2020-01-01"))[:10]
    workbook = xlsxwriter.Workbook(str(target), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "default_date_format": "yyyy-mm-dd"})
    workbook.set_properties({"title": str(descriptor.get("title", package_name)), "author": "mieruka",
                             "created": dt.datetime.fromisoformat(f"{created}T00:00:00")})
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
    readme = workbook.add_worksheet(README)
    taken = {README}
    read = tables or {}
    sheets = [(resource, _sheet_name(resource, taken),
               read[resource] if resource in read else parquet.read_typed(path, resource))
              for resource, path in paths.items()]
    _readme(readme, bold, descriptor, sheets)
    data: dict[str, list[pa.Array]] = {}
    for resource, name, table in sheets:
        if table.num_rows < EXCEL_ROWS:  # why: a longer table has no sheet (the README says so)
            member = f"xl/worksheets/sheet{len(data) + 2}.xml"
            data[member] = _header_sheet(workbook, header, resource, name, table)
    date_style = _date_style(workbook, bold, header, data)
    _close(workbook)
    _splice(target, data, date_style)
    return relative


def _header_sheet(workbook: Any, header: Any, resource: str, name: str, table: pa.Table) -> list[pa.Array]:
    """A data sheet with its header row, column widths and filter; returns its data columns."""
    sheet = workbook.add_worksheet(name)
    fields = schema.load(resource)["fields"]
    sheet.write_row(0, 0, [f.get("title", f["name"]) for f in fields], header)
    sheet.freeze_panes(1, 0)
    for column, f in enumerate(fields):
        sheet.set_column(column, column, 12 if f["type"] in ("date", "integer", "number", "boolean") else 18)
    if table.num_rows:
        sheet.autofilter(0, 0, table.num_rows, len(fields) - 1)
    return _labelled_columns(table, resource)


def _date_style(workbook: Any, bold: Any, header: Any, data: dict[str, list[pa.Array]]) -> int | None:
    """The style index of the default date format, registered in the order XlsxWriter would use it.

    why: XlsxWriter numbers a format when a cell first uses it (bold in the README, then the header row,
    then the first date); the spliced cells never pass through it, so the numbers are taken here, in
    that order, and the date format is only registered (and so only in styles.xml) if a date is written."""
    bold._get_xf_index()  # noqa: SLF001 (XlsxWriter has no public call for a format's style number)
    header._get_xf_index()  # noqa: SLF001
    if not any(sheet_xml.has_dates(columns) for columns in data.values()):
        return None
    return int(workbook.default_date_format._get_xf_index())  # noqa: SLF001


def _close(workbook: Any) -> None:
    try:
        workbook.close()
    except xlsxwriter.exceptions.FileCreateError as exc:
        # why: XlsxWriter wraps the OSError (a full disk, say); callers handle OSError, as for any file
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc.__context__
        if isinstance(cause, OSError):
            raise cause from exc
        raise


def _dimension(xml: bytes, columns: list[pa.Array]) -> bytes:
    """The sheet's <dimension> widened to the last row with a cell, as XlsxWriter computes it."""
    last = sheet_xml.last_row(columns, 2)
    if last is None:
        return xml
    corner = f"{sheet_xml.column_letters(len(columns) - 1)}{last}"
    return re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{corner}"/>'.encode(), xml, count=1)


def _splice(target: Path, data: dict[str, list[pa.Array]], date_style: int | None) -> None:
    """Rewrite the workbook's zip with the data rows in the sheets (members, order and zip headers kept;
    deflated members are deflated by pipeline.deflate)."""
    spliced = target.with_name(f".{target.name}.tmp")
    try:
        with zipfile.ZipFile(target) as source, \
                zipfile.ZipFile(spliced, "w", compression=zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
                copy.create_system = info.create_system
                xml = source.read(info)
                columns = data.get(info.filename)
                deflated = copy.compress_type == zipfile.ZIP_DEFLATED
                with deflate.open_member(out, copy) if deflated else out.open(copy, "w") as member:
                    if not columns or not len(columns[0]):
                        member.write(xml)
                        continue
                    head, tail = _dimension(xml, columns).split(b"</sheetData>", 1)
                    member.write(head)
                    for chunk in sheet_xml.rows_xml(columns, 2, date_style):
                        member.write(chunk)
                    member.write(b"</sheetData>" + tail)
        spliced.replace(target)
    finally:
        spliced.unlink(missing_ok=True)


def _readme(sheet: Any, bold: Any, descriptor: dict[str, Any], sheets: list[tuple[str, str, pa.Table]]) -> None:
    licence = (descriptor.get("licenses") or [{}])[0]
    lines: list[list[Any]] = [
        [str(descriptor.get("title", ""))],
        [str(descriptor.get("description", ""))],
        [],
        ["このファイルについて", "列名と区分（コード）を日本語で表示したExcelファイルです。"
         "値は同じフォルダのCSVと同じです。プログラムで処理するときは、コードのまま収めたCSV（UTF-8）をお使いください。"],
        ["About this file", "Japanese column headers and Japanese labels for codes. The CSV files hold the same "
         "values as codes, for machines."],
        ["ライセンス", f"{licence.get('title', '')} {licence.get('path', '')}".strip()],
        ["作成日", str(descriptor.get("created", ""))[:10]],
        [],
        ["シート", "行数", "内容"],
    ]
    for resource, name, table in sheets:
        note = "" if table.num_rows < EXCEL_ROWS else TOO_LONG
        lines.append([name, table.num_rows, f"{schema.load(resource).get('description', '')}{note}"])
    lines += [[], ["シート", "列名", "CSVの列名", "説明"]]
    for resource, name, _table in sheets:
        lines += [[name, f.get("title", f["name"]), f["name"], f.get("description", "")]
                  for f in schema.load(resource)["fields"]]
    lines += [[], ["シート", "CSVの列名", "コード", "日本語", "English"]]
    for resource, name, _table in sheets:
        for f in schema.load(resource)["fields"]:
            lines += [[name, f["name"], code, v.get("ja", ""), v.get("en", "")]
                      for code, v in f.get("enum_labels", {}).items()]
            if f["type"] == "boolean":
                lines += [[name, f["name"], str(flag).lower(), label, "yes" if flag else "no"]
                          for flag, label in YES_NO.items()]
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 4, 24)
    for row, values in enumerate(lines):
        if values:
            sheet.write_row(row, 0, values, bold if row == 0 or values[0] in ("シート",) else None)
