"""calamine and openpyxl give the same cells for every xlsx export, so the faster one can read them.

Compared cell by cell on the prefecture's sample workbook (every sheet, at the benchmark's scale) and
on a hand-made workbook with the cases that differ between spreadsheet readers: dates with and
without a time, times, a Japanese-era date format, booleans, numbers stored as text, float noise,
cached formula results, merged cells, a title row and blank rows above the header, leading blank
columns and formatted empty rows below the data. A sheet with a formula error is read with openpyxl.
"""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]

from pipeline import adapter
from pipeline.problems import ExportError
from pipeline.readers import xlsx
from pipeline.sample import write_sample

ADAPTER = Path(__file__).parents[2] / "pipeline" / "adapters" / "350001_yamaguchi.toml"


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Rows without trailing empty cells, and without empty rows at the end (readers pad differently)."""
    out = [list(r) for r in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


@pytest.fixture(scope="module")
def prefecture_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("xlsx") / "raw"
    written = write_sample(raw, ("350001",), (2021, 2022, 2023, 2024, 2025), scale=6.7)
    return next(p for p in written["350001"] if p.suffix == ".xlsx")


def test_both_readers_give_the_same_cells_on_every_sheet_of_the_prefecture_workbook(
        prefecture_workbook: Path) -> None:
    sources = adapter.load(ADAPTER).sources
    assert {s.sheet for s in sources.values()} == {"通報", "対応経過", "委託契約", "作業"}
    for source in sources.values():
        assert not xlsx.has_error_cells(prefecture_workbook, source.sheet)
        fast = _trimmed(xlsx.calamine_rows(prefecture_workbook, source))
        slow = _trimmed(xlsx.openpyxl_rows(prefecture_workbook, source))
        assert len(fast) > 1_000 or source.sheet == "委託契約"
        assert fast == slow, source.sheet
        assert xlsx.read_xlsx(prefecture_workbook, source).shape[0] == sum(
            1 for r in slow[source.header_row:] if any(r))


def _edge_workbook(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("data")
    sheet.write(0, 1, "題名の行")
    # why: a spreadsheet cell has no time zone; naive datetimes are what both readers give back
    cells = [
        ("datetime", dt.datetime(2024, 4, 1, 12, 30, 15, 123456), "yyyy-mm-dd hh:mm:ss"),  # noqa: DTZ001
        ("date", dt.date(2024, 4, 1), "yyyy/m/d"),
        ("midnight", dt.datetime(2024, 4, 2), "yyyy-mm-dd hh:mm"),  # noqa: DTZ001
        ("time", dt.time(12, 30), "hh:mm"),
        ("era", 45000, '[$-ja-JP]ggge"年"m"月"d"日"'),
        ("serial_general", 45000, None),
        ("text_number", "00123", "@"),
        ("float_noise", 190699999.99999997, None),
        ("half", 1.5, None),
        ("big", 1e20, None),
        ("negative", -3, None),
        ("sum", 0.1 + 0.2, None),
        ("true", True, None),
        ("empty_text", "", None),
        ("spaces", "  前後に空白  ", None),
    ]
    sheet.write_row(2, 1, [name for name, _v, _f in cells])
    for row in range(3, 6):
        for column, (_name, value, number_format) in enumerate(cells, start=1):
            fmt = book.add_format({"num_format": number_format}) if number_format else None
            if isinstance(value, dt.date | dt.time):
                sheet.write_datetime(row, column, value, fmt)
            else:
                sheet.write(row, column, value, fmt)
    sheet.write_formula(6, 1, "=1+1", None, 2)
    sheet.write_formula(6, 2, '="a"&"b"', None, "ab")
    sheet.merge_range(7, 1, 7, 4, "結合したセル")
    sheet.write(9, 1, "空行の後")
    for row in range(12, 20):
        sheet.set_row(row, None, book.add_format({"bold": True}))  # formatted, but empty
    errors = book.add_worksheet("errors")
    errors.write_row(0, 0, ["a", "b"])
    errors.write_formula(1, 0, "=1/0", None, "#DIV/0!")
    errors.write(1, 1, "x")
    book.close()


def test_both_readers_give_the_same_cells_on_a_hand_made_workbook(tmp_path: Path) -> None:
    path = tmp_path / "edge.xlsx"
    _edge_workbook(path)
    source = dataclasses.replace(adapter.load(ADAPTER).sources["cases"], sheet="data", header_row=3)
    assert not xlsx.has_error_cells(path, "data")
    fast = _trimmed(xlsx.calamine_rows(path, source))
    assert fast == _trimmed(xlsx.openpyxl_rows(path, source))
    assert fast[3][1:5] == ["2024-04-01 12:30:15.123000", "2024-04-01 00:00:00", "2024-04-02 00:00:00", "12:30:00"]
    assert fast[3][5:9] == ["2023-03-15 00:00:00", "45000", "00123", "190700000"]
    assert fast[7][1] == "結合したセル" and fast[9][1] == "空行の後"


def test_a_sheet_with_a_formula_error_keeps_the_error_code(tmp_path: Path) -> None:
    path = tmp_path / "edge.xlsx"
    _edge_workbook(path)
    source = dataclasses.replace(adapter.load(ADAPTER).sources["cases"], sheet="errors", header_row=1)
    assert xlsx.has_error_cells(path, "errors")
    assert xlsx.calamine_rows(path, source)[1][0] == ""  # why this sheet is not read with calamine
    frame = xlsx.read_xlsx(path, source)
    assert frame["a"].tolist() == ["#DIV/0!"] and frame["b"].tolist() == ["x"]


def test_a_damaged_workbook_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    source = adapter.load(ADAPTER).sources["cases"]
    with pytest.raises(ExportError, match=r"broken\.xlsx.*not a readable \.xlsx workbook"):
        xlsx.read_xlsx(path, source)
