"""Real exports of other organisations (../shared/data/real, see its SOURCES.md) through the adapters in
examples/real/: every row read is published or quarantined with its cause, file and line."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import adapter as adapters
from pipeline.build import read_body
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[2]
REAL = Path("/work/shared/data/real") if Path("/work/shared/data/real").is_dir() else ROOT.parent / "shared/data/real"
EXAMPLES = ROOT / "examples" / "real"
AS_OF = pd.Timestamp("2026-12-01").date()
LAYOUT = {
    "352152_shunan": ("shunan_safemap_R5", "*.csv"),
    "990019_chicago": ("open311", "chicago_*.json"),
    "990027_hoboken": ("open311", "hoboken_*.csv"),
    "990035_montreal": ("ocds_montreal", "*.json"),
    "991015_mlit-chugoku": ("mlit_chugoku_bids", "*.xls"),
}

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="the real exports of ../shared/data/real are not here")


def _raw(tmp: Path, *bodies: str) -> Path:
    raw = tmp / "raw"
    for body in bodies or LAYOUT:
        folder, pattern = LAYOUT[body]
        (raw / body).mkdir(parents=True)
        for path in sorted((REAL / folder).glob(pattern)):
            shutil.copyfile(path, raw / body / path.name)
    return raw


def _adapter(body: str) -> adapters.Adapter:
    return adapters.load(EXAMPLES / f"{body}.toml")


def _read(tmp: Path, body: str) -> dict:
    tables, _ = read_body(_adapter(body), _raw(tmp, body) / body, as_of=AS_OF)
    for name, table in tables.items():  # nothing dropped without a quarantine entry
        assert table.rows_in == len(table.frame) + table.quarantined_rows, name
    return tables


def test_chicago_keeps_all_276_notes_as_actions(tmp_path: Path) -> None:
    tables = _read(tmp_path, "990019_chicago")
    assert (len(tables["cases"].frame), len(tables["actions"].frame)) == (50, 276)
    assert tables["cases"].problems == [] and tables["actions"].problems == []
    cases = tables["cases"].frame.set_index("case_number")
    assert cases["closed"].notna().sum() == 49, "the closed date comes from each request's closing note"
    assert str(cases.at["14-00684314", "closed"]) == "2015-10-10"
    assert cases.loc[cases["infrastructure"] == "other", "category"].eq("other").all()


def test_one_bad_open311_note_is_quarantined_alone_with_its_file_line(tmp_path: Path) -> None:
    raw = _raw(tmp_path, "990019_chicago")
    path = next((raw / "990019_chicago").glob("*.json"))
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if '"type": "activity"' in line)
    lines[target] = lines[target].replace('"activity"', '"teleported"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables, _ = read_body(_adapter("990019_chicago"), raw / "990019_chicago", as_of=AS_OF)
    actions = tables["actions"]
    assert len(actions.frame) == 275 and actions.quarantined_rows == 1
    problem = actions.problems[0]
    assert problem.column == "action" and problem.value == "teleported"
    opening = max(i for i in range(target + 1) if lines[i].strip() == "{") + 1
    assert problem.row == opening, "the line where the note's object starts, not a record number"
    assert problem.record is not None and "notes item" in problem.record
    assert f"line {opening} (record " in problem.describe()


def test_hoboken_unix_dates_and_repeated_tickets(tmp_path: Path) -> None:
    tables = _read(tmp_path, "990027_hoboken")
    cases = tables["cases"]
    assert cases.rows_in == 91
    causes = cases.causes()
    assert causes == {"identical repeat of an earlier row (the export repeats it)": 45}
    # the export has no completion dates: its 44 completed tickets are published without one, and logged
    undated = [p for p in cases.problems if "without a completion date" in p.reason]
    assert len(cases.frame) == 46 and len(undated) == 44
    frame = cases.frame
    assert frame.loc[frame["status"] == "completed", "closed"].isna().all()
    repeat = next(p for p in cases.problems if p.excluded)
    assert repeat.value.startswith("repeats line ") and int(repeat.value.split()[-1]) < repeat.row
    # 1538492521 is 2018-10-02 15:02 UTC, 11:02 in Hoboken
    assert str(cases.frame.set_index("case_number").at["4933221", "received"]) == "2018-10-02"


def test_shunan_safety_maps_fourteen_files_two_encodings(tmp_path: Path) -> None:
    tables = _read(tmp_path, "352152_shunan")
    cases = tables["cases"]
    assert cases.rows_in == 269 and len(cases.frame) == 128
    assert set(cases.frame["town"]) == {"周陽", "遠石"}
    assert set(cases.frame["infrastructure"]) == {"road", "other"}
    reasons = {p.reason for p in cases.problems}
    assert all(p.excluded for p in cases.problems) and len(reasons) == 2
    assert {p.file for p in cases.problems} >= {"R5周陽＿【災害】安全な場所 .csv", "R5周陽＿【防犯】危険な場所.csv"}
    ids = cases.frame["case_number"]
    assert ids.str.fullmatch(r"h-[0-9a-f]{16}").all() and ids.is_unique


def test_shunan_rows_name_the_file_line_of_a_record_after_a_multi_line_cell(tmp_path: Path) -> None:
    tables = _read(tmp_path, "352152_shunan")
    frame = tables["cases"].frame
    name = "R5周陽＿【交通】危険な場所.csv"
    text = (REAL / "shunan_safemap_R5" / name).read_bytes().decode("utf-8-sig")
    # the first record's description ends in a line break: the second record starts on line 4, not 3
    assert text.splitlines()[1].endswith("ほしいところです。")
    rows = sorted(frame.loc[frame["_file"] == name, "_row"])
    assert rows[0] == 2 and rows[1] == 4


def test_mlit_bid_results_publish_awards_with_bidders(tmp_path: Path) -> None:
    tables = _read(tmp_path, "991015_mlit-chugoku")
    contracts = tables["contracts"]
    assert contracts.rows_in == 359 and len(contracts.frame) == 11
    frame = contracts.frame.set_index("title")
    row = frame.loc["長門俵山道路柿木原地区第9改良工事"]
    assert (row["contract_amount"], row["estimated_price"], row["bidders"]) == (183_800_000, 196_050_000, 4)
    assert str(row["start_date"]) == "2019-06-05" == str(row["end_date"])
    assert contracts.frame["bidders"].between(1, 30).all()
    left_out = {p.row for p in contracts.problems}
    assert 274 not in left_out and 273 in left_out, "line 274 is the award of that tender, 273 a losing bid"


def test_montreal_ocds_awards_as_contracts(tmp_path: Path) -> None:
    tables = _read(tmp_path, "990035_montreal")
    contracts = tables["contracts"].frame.sort_values("contract_amount")
    assert contracts["contract_amount"].tolist() == [2356, 8924, 10786], "CAD with cents, rounded half to even"
    assert contracts["contractor"].tolist()[1] == "CENTRE DE TECHNOLOGIE PHYSIQUE ET PHOTONIQUE DE MONTREAL"
    assert contracts["title"].str.len().max() <= 200
    assert set(contracts["procurement_method"]) == {"other"}


def test_ocds_record_packages_and_updated_releases(tmp_path: Path) -> None:
    release = json.loads(next((REAL / "ocds_montreal").glob("*.json")).read_text(encoding="utf-8"))
    older = json.loads(json.dumps(release))
    older["date"] = "2017-01-01T00:00:00-04:00"
    older["awards"][0]["value"]["amount"] = 1.0
    folder = tmp_path / "raw" / "990035_montreal"
    folder.mkdir(parents=True)
    (folder / "ocds-records.json").write_text(json.dumps({"records": [{"ocid": release["ocid"],
                                                                      "compiledRelease": release}]}))
    (folder / "ocds-releases.json").write_text(json.dumps({"releases": [older, release]}, indent=1))
    tables, _ = read_body(_adapter("990035_montreal"), folder, as_of=AS_OF)
    contracts = tables["contracts"]
    assert contracts.rows_in == 3 and len(contracts.frame) == 1
    causes = contracts.causes()
    assert causes == {"an older version of an award that a later release of the same ocid updates": 1,
                      "duplicate identifier: an earlier row has the same one": 1}


def test_real_portal_run_json_counts_and_a_broken_adapter_fails_alone(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    raw = _raw(tmp_path)
    folder = tmp_path / "adapters"
    shutil.copytree(EXAMPLES, folder)
    broken = folder / "990027_hoboken.toml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("exclude_identical_repeats", "exclude_repeats"),
                      encoding="utf-8")
    monkeypatch.setenv("MIERUKA_SECRET", "a test secret of more than sixteen bytes")
    code = main(["build", "--raw", str(raw), "--adapters", str(folder), "--packages", str(tmp_path / "dp"),
                 "--output", str(tmp_path / "site"), "--date", "2026-12-01", "--no-site", "--executor", "serial"])
    assert code == 1, "one body failed, the others published"
    out = capsys.readouterr().out
    run = json.loads((tmp_path / "dp" / "run.json").read_text(encoding="utf-8"))
    status = {b["package"]: b["status"] for b in run["bodies"]}
    assert status.pop("990027_hoboken") == "failed"
    assert set(status.values()) == {"published"} and len(status) == 4
    hoboken = next(b for b in run["bodies"] if b["package"] == "990027_hoboken")
    # run.json says what failed without the quoted names; the run's output says all of it
    assert hoboken["error"].startswith("adapter not usable: ") and "unknown key …" in hoboken["error"]
    assert "unknown key 'exclude_repeats'" in out and "exclude_identical_repeats" in out
    for body in run["bodies"]:
        for name, table in body["tables"].items():
            assert table["rows_in"] == table["published"] + table["quarantined"], (body["package"], name)
            assert table["quarantined"] == sum(table["causes"].values())
            assert table["quarantined"] == table["rejected"] + table["left_out"]
            assert body["rows"][name] == table["published"]
    described = json.loads((tmp_path / "dp" / "990019_chicago" / "datapackage.json").read_text(encoding="utf-8"))
    assert described["mieruka"]["names"]["en"] == "City of Chicago (Illinois, USA)", "named outside the reference"
    chicago = next(b for b in run["bodies"] if b["package"] == "990019_chicago")
    assert {k: v for k, v in chicago["rows"].items() if k != "case_cells"} == {"cases": 50, "actions": 276}
    mlit = next(b for b in run["bodies"] if b["package"] == "991015_mlit-chugoku")["tables"]["contracts"]
    assert (mlit["rows_in"], mlit["published"], mlit["rejected"], mlit["left_out"]) == (359, 11, 0, 348)
    log = pd.read_csv(next((tmp_path / "dp").parent.glob(".work/logs/quarantine-*.csv")), dtype=str)
    assert len(log[log["body"] == "991015"]) == 348


def test_adapters_folder_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(adapters.ADAPTERS_ENV, str(EXAMPLES))
    assert adapters.adapters_dir() == EXAMPLES
    monkeypatch.setenv(adapters.ADAPTERS_ENV, str(tmp_path / "missing"))
    assert main(["build", "--raw", str(tmp_path), "--no-site"]) == 2


def test_an_ocds_award_that_is_not_an_object_is_quarantined_as_its_own_row(tmp_path: Path) -> None:
    release = json.loads(next((REAL / "ocds_montreal").glob("*.json")).read_text(encoding="utf-8"))
    release["awards"].append(7)
    folder = tmp_path / "990035_montreal"
    folder.mkdir()
    (folder / "ocds-one.json").write_text(json.dumps(release, indent=2), encoding="utf-8")
    tables, _ = read_body(_adapter("990035_montreal"), folder, as_of=AS_OF)
    contracts = tables["contracts"]
    assert contracts.rows_in == 2 and len(contracts.frame) == 1
    assert [p.record for p in contracts.problems] == ["release 1, award 2"]
