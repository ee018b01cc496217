"""The Japanese-labelled workbook beside the Excel copies: a README sheet first, Japanese headers,
Japanese labels for codes, はい/いいえ for booleans, dates as dates, the CSV's rows; the CSV keeps codes."""

import csv
import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl

from pipeline import schema


def _workbook(folder: Path) -> Path:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    entry = next(d for d in descriptor["mieruka"]["distributions"] if d["format"] == "xlsx")
    assert entry["path"].startswith("excel/")
    return folder / entry["path"]


def test_every_body_package_has_one_with_a_readme_first(bodies: list[Path]) -> None:
    for folder in bodies:
        book = openpyxl.load_workbook(_workbook(folder), read_only=True)
        assert book.sheetnames[0] == "はじめに（README）"
        assert book.sheetnames[1:] == ["団体の基本情報", "市民通報・要望", "対応の経過", "維持管理の契約",
                                       "作業指示・支出", "地域メッシュ別の通報件数（地図用）"]
        readme = [[c for c in row if c is not None] for row in book["はじめに（README）"].iter_rows(values_only=True)]
        text = "\n".join(" ".join(str(c) for c in row) for row in readme)
        assert "プログラムで処理するときは" in text and "CSV" in text
        assert "対応状況 status" in text  # column: Japanese header, CSV column name
        assert "status completed 完了 Completed" in text  # code table: code, Japanese, English
        book.close()


def test_sheets_hold_the_csv_rows_with_japanese_headers_and_labels(bodies: list[Path]) -> None:
    folder = next(f for f in bodies if f.name == "352152_shunan")
    book = openpyxl.load_workbook(_workbook(folder), read_only=True)
    sheet = [list(r) for r in book["市民通報・要望"].iter_rows(values_only=True)]
    fields = schema.load("cases")["fields"]
    assert sheet[0] == [f["title"] for f in fields]
    with (folder / "352152_cases.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(sheet) - 1 == len(rows)
    index = {f["name"]: i for i, f in enumerate(fields)}
    status_labels = {code: v["ja"] for code, v in fields[index["status"]]["enum_labels"].items()}
    for cells, row in zip(sheet[1:], rows, strict=True):
        assert cells[index["service_request_id"]] == row["service_request_id"]
        assert cells[index["status"]] == status_labels[row["status"]]
        assert cells[index["reopened"]] == {"true": "はい", "false": "いいえ"}[row["reopened"]]
        received = cells[index["requested_date"]]
        assert isinstance(received, dt.datetime) and received.date().isoformat() == row["requested_date"]
        assert cells[index["fiscal_year"]] == int(row["fiscal_year"])
        assert (cells[index["description"]] or "") == row["description"]
    assert {r["status"] for r in rows} <= set(status_labels)  # the CSV itself stays code-based
    assert "完了" in {c[index["status"]] for c in sheet[1:]}
    contracts = [list(r) for r in book["維持管理の契約"].iter_rows(values_only=True)]
    kinds = {c[[f["name"] for f in schema.load("contracts")["fields"]].index("contract_type")] for c in contracts[1:]}
    assert kinds <= {"単価契約", "総価契約", "個別発注"} and kinds
    book.close()


def _members(path: Path) -> list[tuple[str, tuple[int, ...], int, int, bytes]]:
    """A zip's members in order: name, time, attributes, compression and the uncompressed bytes."""
    with zipfile.ZipFile(path) as archive:
        return [(i.filename, i.date_time, i.external_attr, i.compress_type, archive.read(i))
                for i in archive.infolist()]


def test_workbooks_hold_the_files_of_the_cell_by_cell_writer(bodies: list[Path], tmp_path: Path) -> None:
    """The column-wise rows change nothing: every body's workbook holds the files XlsxWriter wrote cell by cell,
    byte for byte, in the same order and with the same zip headers; only the deflate differs (pipeline.deflate)."""
    from tests.formats import labelled_reference

    for folder in bodies:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        paths = {r["name"]: folder / r["path"] for r in descriptor["resources"]}
        reference = tmp_path / f"{folder.name}.xlsx"
        labelled_reference.write(reference, folder.name, descriptor, paths)
        published = _members(_workbook(folder))
        assert published == _members(reference), folder.name
        assert all(kind == zipfile.ZIP_DEFLATED for _, _, _, kind, _ in published)
