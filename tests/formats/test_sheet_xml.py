"""The column-wise sheet rows are the XML XlsxWriter writes cell by cell, byte for byte.

Each case writes the same values both ways: XlsxWriter in constant-memory mode (as the labelled workbook
was written before) and sheet_xml.rows_xml, then compares the <sheetData> rows and the dimension.
"""

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import xlsxwriter  # type: ignore[import-untyped]

from pipeline.formats import sheet_xml

TEXTS = ["plain", "", None, " leading", "trailing ", "\u3000全角の空白", "末尾の全角空白\u3000", "a & b < c > d",
         'quote " and apostrophe \'', "line\nbreak", "\ttab first", "bell\x07 and nul\x00", "literal _x0041_ code",
         "\ufffe odd", "絵文字 😀", "x" * 40_000, "😀" * 20_000, "=1+1", "http://example.com", "0123", "\n",
         "end with newline\n", "\x1f unit separator", "\x85 next line", "\xa0 no-break"]
INTEGERS = [0, 1, -5, None, 2**40, 10**16, -(10**17), 9_999_999_999_999_999, 7, 12, 3, 4, 5, 6, 8, 9, 10, 11, 13,
            14, 15, 16, 17, 18, 19]
FLOATS = [3.5, 0.1, 1e-05, None, 12_345_678.9, 1234567.0, -0.0, 1e20, 2.5e-300, 1 / 3, 100.0, 0.5, 1.25, 2.0,
          33.3, 131.5, 34.1, 5e15, 6.02e23, 7.0, 8.5, 9.75, 10.125, 11.0, 12.0]
DATES = [dt.date(2024, 4, 1), None, dt.date(1900, 2, 28), dt.date(1900, 3, 1), dt.date(1900, 1, 1),
         dt.date(1970, 1, 1), dt.date(2099, 12, 31), *[dt.date(2020, 1, 1) + dt.timedelta(days=d) for d in range(18)]]


def _xlsxwriter_rows(tmp: Path, columns: list[list[Any]]) -> tuple[bytes, str]:
    path = tmp / "reference.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False, "strings_to_numbers": False,
                                           "default_date_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("data")
    for row, values in enumerate(zip(*columns, strict=True), start=1):
        for column, value in enumerate(values):
            sheet.write(row, column, value)  # why: write_row stops at a text it truncates (see sheet_xml)
    book.close()
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    rows = xml.split(b"<sheetData>", 1)[1].split(b"</sheetData>", 1)[0]
    dimension = re.search(rb'<dimension ref="([^"]*)"/>', xml)
    assert dimension is not None
    return rows, dimension[1].decode()


def _arrow(columns: list[list[Any]]) -> list[pa.Array]:
    return [pa.array(c) for c in columns]


@pytest.mark.parametrize("columns", [
    [TEXTS],
    [INTEGERS],
    [FLOATS],
    [DATES],
    [TEXTS, INTEGERS, FLOATS, DATES],
    [[None] * 5 + ["x"] + [None] * 3, [None] * 9],  # rows without a cell are left out
], ids=["text", "integers", "floats", "dates", "mixed", "sparse"])
def test_rows_match_xlsxwriter_cell_by_cell(tmp_path: Path, columns: list[list[Any]]) -> None:
    reference, dimension = _xlsxwriter_rows(tmp_path, columns)
    arrays = _arrow(columns)
    date_style = 1 if sheet_xml.has_dates(arrays) else None
    ours = b"".join(sheet_xml.rows_xml(arrays, 2, date_style))
    assert ours == reference
    last_number = re.search(r"(\d+)$", dimension)
    assert last_number is not None and sheet_xml.last_row(arrays, 2) == int(last_number[1])


def test_rows_are_built_in_chunks_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    arrays = _arrow([TEXTS * 4, INTEGERS * 4])
    whole = b"".join(sheet_xml.rows_xml(arrays, 2, None))
    monkeypatch.setattr(sheet_xml, "CHUNK_ROWS", 7)
    assert b"".join(sheet_xml.rows_xml(arrays, 2, None)) == whole


def test_rich_text_markup_in_a_cell_is_escaped_not_written_raw() -> None:
    # why: XlsxWriter writes "<r>…</r>" unescaped in constant-memory mode; a resident's text must not become markup
    xml = b"".join(sheet_xml.rows_xml([pa.array(["<r><t>x</t></r>"])], 2, None))
    assert b"&lt;r&gt;&lt;t&gt;x&lt;/t&gt;&lt;/r&gt;" in xml


def test_not_a_number_is_refused_as_xlsxwriter_refuses_it() -> None:
    with pytest.raises(TypeError, match="NAN/INF"):
        b"".join(sheet_xml.rows_xml([pa.array([1.0, float("nan")])], 2, None))


def test_column_letters() -> None:
    assert [sheet_xml.column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == \
        ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
