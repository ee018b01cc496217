"""Ingest and normalize on malformed exports: a clear error naming file, row, column and value,
never a traceback; one bad row is quarantined, the rest goes on."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import adapter as adapters
from pipeline import cells, ingest, normalize
from pipeline.problems import ExportError

HEADER = ("case_number,received,category,status,decline_reason,closed,town,latitude,longitude,description,"
          "reporter_name,reporter_phone")
GOOD = [
    "A-1,2025-04-10,pothole,completed,,2025-04-12,久米,34.05,131.80,穴があいている,山田太郎,0834-22-1234",
    "A-2,2025-04-11,weeding,declined,private_property,2025-04-15,熊毛,34.02,131.81,草が伸びている,,",
    "A-3,2025/4/12,street_light,received,,,徳山,,,街灯が消えている,,",
]


def _adapter() -> adapters.Adapter:
    return adapters.standard("352152", "shunan")


def _cases(tmp_path: Path, lines: list[str], *, encoding: str = "utf-8", header: str = HEADER) -> Path:
    path = tmp_path / "cases.csv"
    path.write_bytes(("\n".join([header, *lines]) + "\n").encode(encoding))
    return path


def _read(path: Path) -> normalize.Normalized:
    adapter = _adapter()
    source = adapter.sources["cases"]
    frame = ingest.select(ingest.read(path, source), source, adapter.pii_drop, path.name)
    parsed = normalize.parse_columns(frame, "cases", adapter, source, path.name)
    return normalize.normalize_cases(parsed, path.name)


def test_good_rows_parse_and_private_columns_are_dropped(tmp_path: Path) -> None:
    result = _read(_cases(tmp_path, GOOD))
    assert result.problems == []
    assert len(result.frame) == 3
    assert not {"reporter_name", "reporter_phone", "address"} & set(result.frame.columns)
    assert result.frame["received"].astype(str).tolist() == ["2025-04-10", "2025-04-11", "2025-04-12"]
    assert result.frame["fiscal_year"].tolist() == [2025, 2025, 2025]


@pytest.mark.parametrize(("line", "column", "reason"), [
    ("B-1,2025-02-30,pothole,completed,,,久米,,,x,,", "received", "impossible date"),
    ("B-1,2025-04-10,unicorn,completed,,,久米,,,x,,", "category", ""),
    ("B-1,2025-04-10,pothole,declined,,,久米,,,x,,", "decline_reason", "without a decline reason"),
    ("B-1,2025-04-10,pothole,declined,私有地（所有者 石田 久美子）,,久米,,,x,,", "decline_reason",
     "free text where a decline_reason code belongs"),
    ("B-1,2025-04-10,pothole,declined,unicorn_reason,,久米,,,x,,", "decline_reason",
     "add it to [values.decline_reason]"),
    ("B-1,2025-04-10,pothole,completed,,2025-04-01,久米,,,x,,", "closed", "closed before it was received"),
    ("B-1,2025-04-10,pothole,completed,,,久米,51.5,-0.1,x,,", "latitude", "outside Japan"),
    ("B-1,2025-04-10,pothole,completed,,,久米,34.05,,x,,", "latitude", "both"),
    ("A-1,2025-04-10,pothole,completed,,,久米,,,x,,", "case_number", "duplicate"),
])
def test_bad_row_is_quarantined_with_file_row_column_value(tmp_path: Path, line: str, column: str,
                                                          reason: str) -> None:
    result = _read(_cases(tmp_path, [*GOOD, line]))
    assert len(result.frame) == 3, "the good rows still publish"
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.file, problem.row, problem.column) == ("cases.csv", 5, column)
    assert reason in problem.reason
    assert problem.value is not None
    assert "cases.csv, line 5" in problem.describe()


def test_swapped_coordinates_are_repaired(tmp_path: Path) -> None:
    result = _read(_cases(tmp_path, ["C-1,2025-04-10,pothole,received,,,久米,131.80,34.05,x,,"]))
    assert result.problems == []
    assert (float(result.frame.at[0, "latitude"]), float(result.frame.at[0, "longitude"])) == (34.05, 131.80)


def test_full_width_digits_are_normalized(tmp_path: Path) -> None:
    result = _read(_cases(tmp_path, ["Ｄ－１,２０２５/４/１０,pothole,received,,,久米,,,カーブミラーが曲がっている,,"]))
    assert result.problems == []
    assert str(result.frame.at[0, "received"]) == "2025-04-10"
    assert result.frame.at[0, "description"] == "カーブミラーが曲がっている"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty file"),
    ((HEADER + "\n").encode("utf-16"), "UTF-16"),
    ((HEADER + "\n" + GOOD[0] + "\n").encode("cp932"), "not valid utf-8"),
    ((HEADER.replace(",", ";") + "\n" + GOOD[0].replace(",", ";") + "\n").encode(), "not delimited by"),
    ((HEADER + "\n").encode(), "header only"),
    ((HEADER + ",status\n" + GOOD[0] + ",x\n").encode(), "duplicate column"),
    ((b"case_number,received\nA-1,2025-04-10\n"), "is missing"),
    ((HEADER + '\n"A-1,2025-04-10,pothole\n').encode(), ""),
    (b"\x00\x01\x02binary", "NUL"),
])
def test_unusable_export_gives_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(content)
    with pytest.raises(ExportError) as caught:
        _read(path)
    text = str(caught.value)
    assert text.startswith("cases.csv")
    assert message in text


def test_completed_case_without_a_closed_date_is_published_and_logged(tmp_path: Path) -> None:
    result = _read(_cases(tmp_path, [*GOOD, "B-1,2025-04-10,pothole,completed,,,久米,,,x,,"]))
    assert result.frame["case_number"].tolist() == ["A-1", "A-2", "A-3", "B-1"]
    [problem] = result.problems
    assert (problem.row, problem.column) == (5, "closed") and "without a completion date" in problem.reason
    assert result.quarantined_rows == 0 and result.causes() == {}


@pytest.mark.parametrize("renamed", ["description（記入者 永井 090-1357-2468）", "Description", "description [2025]"])
def test_renamed_optional_column_is_an_error_not_an_empty_column(tmp_path: Path, renamed: str) -> None:
    header = HEADER.replace(",description,", f",{renamed},")
    with pytest.raises(ExportError) as caught:
        _read(_cases(tmp_path, GOOD, header=header))
    problem = caught.value.problem
    assert (problem.file, problem.row, problem.column) == ("cases.csv", 1, "description")
    assert repr(renamed) in problem.reason and "rename it back" in problem.reason


@pytest.mark.parametrize("other", ["description_en", "descriptions", "備考"])
def test_absent_optional_column_beside_another_column_publishes_empty(tmp_path: Path, other: str) -> None:
    result = _read(_cases(tmp_path, GOOD, header=HEADER.replace(",description,", f",{other},")))
    assert result.problems == []
    assert result.frame["description"].isna().all() or (result.frame["description"] == "").all()


def test_cp932_declared_utf8_file_is_named(tmp_path: Path) -> None:
    adapter = adapters.load(adapters.ADAPTERS / "352071_kudamatsu.toml")
    source = next(iter(adapter.sources.values()))
    path = tmp_path / source.file
    path.write_text("列1,列2\n値,値\n", encoding="utf-8")
    with pytest.raises(ExportError, match="declared encoding cp932, but the file is UTF-8"):
        ingest.read(path, source)


def test_cp932_decodes_characters_shift_jis_cannot(tmp_path: Path) -> None:
    adapter = adapters.load(adapters.ADAPTERS / "352071_kudamatsu.toml")
    source = next(iter(adapter.sources.values()))
    path = tmp_path / source.file
    path.write_bytes("業者,備考\n㈱髙田建設,①\n".encode("cp932"))
    frame = ingest.read(path, source)
    assert frame.iloc[0]["業者"] == "㈱髙田建設"
    assert frame.iloc[0]["備考"] == "①"


def test_sample_exports_of_every_pilot_adapter_normalize_cleanly(tmp_path: Path) -> None:
    from pipeline.build import read_body  # the full read path: ingest, normalize, cross-links
    from pipeline.sample import write_sample

    write_sample(tmp_path, scale=0.05)
    for adapter in adapters.discover():
        folder = tmp_path / adapter.package_name
        tables, files = read_body(adapter, folder)
        rejected = sum(t.rejected_rows for t in tables.values())
        rows = sum(t.rows_in for t in tables.values())
        assert rows > 0 and files
        assert rejected / rows < 0.05, (adapter.code, [p.describe() for t in tables.values() for p in t.problems][:5])
        assert isinstance(tables["cases"].frame, pd.DataFrame)
        assert {"reporter_name", "reporter_phone", "reporter_email", "address"}.isdisjoint(
            set().union(*(t.frame.columns for t in tables.values())))
    shutil.rmtree(tmp_path)


@pytest.mark.parametrize(("table", "message"), [
    ("[anonymize]\nk = 1\n", "k must be an integer of at least 2"),
    ('[anonymize]\nprivate_categories = ["unicorn"]\n', "unknown categories"),
])
def test_adapter_anonymize_settings_are_checked(tmp_path: Path, table: str, message: str) -> None:
    text = (adapters.ADAPTERS / "_standard.toml").read_text(encoding="utf-8").split("[anonymize]")[0]
    path = tmp_path / "352152_shunan.toml"
    path.write_text(text.replace('"000000"', '"352152"').replace('"romaji-name"', '"shunan"') + table,
                    encoding="utf-8")
    with pytest.raises(adapters.AdapterError, match=message):
        adapters.load(path)


def test_adapter_anonymize_settings_are_read(tmp_path: Path) -> None:
    text = (adapters.ADAPTERS / "_standard.toml").read_text(encoding="utf-8").split("[anonymize]")[0]
    path = tmp_path / "352152_shunan.toml"
    path.write_text(text.replace('"000000"', '"352152"').replace('"romaji-name"', '"shunan"')
                    + '[anonymize]\nk = 5\nprivate_categories = ["dumping"]\n', encoding="utf-8")
    adapter = adapters.load(path)
    assert (adapter.k, adapter.private_categories) == (5, ("dumping",))


# --- real-export capabilities and the smaller holes (issue 14 item 8, issue 15 item 6) ---

def _run(tmp_path: Path, lines: list[str], as_of: str | None = None) -> normalize.Normalized:
    import datetime as dt

    from pipeline.build import read_body

    folder = tmp_path / "352152_shunan"
    folder.mkdir(exist_ok=True)
    (folder / "cases.csv").write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    adapter = adapters.standard("352152", "shunan")
    adapter = adapters.Adapter(**{**adapter.__dict__, "sources": {"cases": adapter.sources["cases"]}})
    tables, _ = read_body(adapter, folder, as_of=dt.date.fromisoformat(as_of) if as_of else None)
    return tables["cases"]


@pytest.mark.parametrize(("case_number", "words"), [
    ("=HYPERLINK(1)", "formula"), ("+81-1", "formula"), ("@SUM(A1)", "formula"), ("-A1", "formula"),
    ("../../etc/passwd", "file path"), ("/etc/passwd", "file path"), ("C:\\x", "file path"),
    ("a\\b", "file path"), ("~/x", "file path"),
])
def test_case_numbers_like_formulas_or_paths_are_refused(tmp_path: Path, case_number: str, words: str) -> None:
    result = _run(tmp_path, [*GOOD, f"{case_number},2025-04-10,pothole,received,,,久米,,,x,,"])
    assert len(result.frame) == 3 and len(result.problems) == 1
    assert result.problems[0].column == "case_number" and words in result.problems[0].reason


def test_ordinary_case_numbers_with_dashes_and_slashes_pass(tmp_path: Path) -> None:
    result = _run(tmp_path, ["14-00684314,2025-04-10,pothole,received,,,久米,,,x,,",
                             "R7/123,2025-04-10,pothole,received,,,久米,,,x,,",
                             "-12,2025-04-10,pothole,received,,,久米,,,x,,"])
    assert result.problems == [] and len(result.frame) == 3


def test_dates_after_the_as_of_date_are_quarantined_and_an_undated_completion_logged(tmp_path: Path) -> None:
    lines = [*GOOD, "L-1,2025-05-01,pothole,received,,,久米,,,x,,",
             "L-2,2025-04-01,pothole,completed,,2025-05-02,久米,,,x,,",
             "L-3,2025-04-01,pothole,completed,,,久米,,,x,,"]
    result = _run(tmp_path, lines, as_of="2025-04-30")
    reasons = {p.value: p.reason for p in result.problems}
    assert sorted(result.frame["case_number"]) == ["A-1", "A-2", "A-3", "L-3"]
    assert "after the run's as-of date 2025-04-30" in reasons["2025-05-01"]
    assert "after the run's as-of date" in reasons["2025-05-02"]
    assert "completed case without a completion date" in next(p.reason for p in result.problems if p.row == 7)
    assert result.quarantined_rows == 2


def test_a_nul_byte_rejects_its_row_only(tmp_path: Path) -> None:
    path = _cases(tmp_path, [*GOOD, "N-1,2025-04-10,pothole,received,,,久\x00米,,,x,,"])
    result = _read(path)
    assert len(result.frame) == 3 and [(p.row, p.reason) for p in result.problems] == [
        (5, "NUL byte in this row: the row is damaged")]


def test_symbolic_links_in_a_raw_folder_are_refused(tmp_path: Path) -> None:
    real = _cases(tmp_path, GOOD)
    link = tmp_path / "link" / "cases.csv"
    link.parent.mkdir()
    link.symlink_to(real)
    with pytest.raises(ExportError, match="symbolic link: refused"):
        _read(link)
    folder_link = tmp_path / "folder_link"
    folder_link.symlink_to(tmp_path / "link", target_is_directory=True)
    source = adapters.Adapter(**{**_adapter().__dict__}).sources["cases"]
    with pytest.raises(ExportError, match="raw folder is a symbolic link"):
        ingest.files_for(folder_link, source)


@pytest.mark.parametrize(("value", "expected"), [
    ("1,234円", 1234), ("¥1,234", 1234), ("8923.94", 8924), ("8923.5", 8924), ("8922.5", 8922), ("$1,000", 1000),
    ("１２３", 123),
])
def test_amounts_with_decimals_and_currency_signs(value: str, expected: int) -> None:
    assert cells.parse_int(value) == expected


@pytest.mark.parametrize("value", ["△1,000", "▲5", "-1000", "(300)", "1,2a", "99999999999999999999999999",
                                   "1,000,000,000,000,000"])
def test_negative_broken_or_impossible_amounts_are_refused(value: str) -> None:
    """Refused, so the row is quarantined with its value; an amount of 16 digits or more would also not fit the
    published 64-bit integer (Parquet, SQLite)."""
    with pytest.raises(cells.Invalid):
        cells.parse_int(value)


def test_unix_second_and_millisecond_dates_in_the_body_time_zone() -> None:
    from pipeline.wareki import parse_date

    assert str(parse_date("1538492521", ("unix",), "America/New_York")) == "2018-10-02"
    assert str(parse_date("1538492521000", ("unix",), "Asia/Tokyo")) == "2018-10-03"
    assert str(parse_date("43634", ("excel_serial",))) == "2019-06-18"


def test_json_objects_are_located_by_file_line() -> None:
    from pipeline.jsonlines import object_lines

    text = '[\n {"a": 1,\n  "notes": [\n   {"x": "}{\\"]"},\n   {"y": 2}\n  ]},\n {"b": [1, 2]}\n]\n'
    lines = object_lines(text)
    assert lines[(0,)] == 2 and lines[(0, "notes", 0)] == 4 and lines[(0, "notes", 1)] == 5 and lines[(1,)] == 7


def test_multi_row_headers_take_merged_names_from_the_left() -> None:
    from pipeline.readers.xls import header_names

    rows = [["部局名", "入札結果", "", "", "", "備考", ""],
            ["", "１回目", "", "２回目", "", "", ""],
            ["", "金額", "評価値", "金額", "評価値", "", ""]]
    assert header_names(rows) == ["部局名", "入札結果/１回目/金額", "入札結果/１回目/評価値", "入札結果/２回目/金額",
                                  "入札結果/２回目/評価値", "備考", ""]


def test_encoding_is_detected_per_file() -> None:
    text = "列,値\n髙田,①\n"
    assert ingest.detect_encoding(b"\xef\xbb\xbf" + text.encode(), "a.csv") == "utf-8-sig"
    assert ingest.detect_encoding(text.encode("utf-8"), "a.csv") == "utf-8"
    assert ingest.detect_encoding(text.encode("cp932"), "a.csv") == "cp932"


def test_the_portal_group_is_configuration() -> None:
    from pipeline import portal

    group = portal.parse('[portal]\nprefecture = "130001"\nmembers = ["131016"]\n', "p.toml")
    assert group.prefecture == "130001" and group.includes("131016") and not group.includes("131024")
    assert portal.parse('[portal]\nprefecture = "350001"\n', "p.toml").includes("999999")
    for bad, words in [('[portal]\nprefecture = "352152"\n', "not a prefecture"),
                       ('[portal]\nprefecture = "350001"\nmember = []\n', "unknown key 'member'"),
                       ('[portal]\nprefecture = "350001"\nmembers = ["1"]\n', "members must be")]:
        with pytest.raises(portal.PortalError, match=words):
            portal.parse(bad, "p.toml")
