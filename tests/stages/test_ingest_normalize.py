"""Ingest and normalize on malformed exports: a clear error naming file, row, column and value,
never a traceback; one bad row is quarantined, the rest goes on."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import adapter as adapters
from pipeline import ingest, normalize
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
