"""The red team's findings, end to end through the standard intake format: a name as a town, a name as a
contract district, an individual as contractor, a Kudamatsu-style point at Tokyo Station, a swapped pair."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.location import KEPT_REASON

INTAKE = Path(__file__).resolve().parents[2] / "docs" / "standard-intake"
TOKYO_STATION = ("35.681236", "139.767125")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    body = root / "raw" / "352152_hostile"  # no adapter of that name: the standard intake format, Shunan's code
    shutil.copytree(INTAKE, body)
    cases = pd.read_csv(body / "cases.csv", dtype=str, keep_default_na=False)
    cases.loc[0, "town"] = "山田太郎様方前"
    cases.loc[1, ["latitude", "longitude"]] = TOKYO_STATION
    cases.loc[2, ["latitude", "longitude"]] = [cases.loc[2, "longitude"], cases.loc[2, "latitude"]]
    cases.to_csv(body / "cases.csv", index=False)
    contracts = pd.read_csv(body / "contracts.csv", dtype=str, keep_default_na=False)
    contracts.loc[0, "district"] = "鈴木二郎様宅前"
    contracts.loc[0, "title"] = "鈴木二郎様宅前 側溝補修"
    contracts.loc[1, "contractor"] = "山田太郎"
    contracts.to_csv(body / "contracts.csv", index=False)
    orders = pd.read_csv(body / "work_orders.csv", dtype=str, keep_default_na=False)
    orders["contract_id"] = contracts["contract_id"].tolist()[: len(orders)]  # the excerpt's own contracts
    orders = orders[orders["case_number"].isin(cases["case_number"])]
    orders.to_csv(body / "work_orders.csv", index=False)
    patch = pytest.MonkeyPatch()
    patch.setenv("MIERUKA_SECRET", "a test secret for the hostile columns build")
    try:
        assert main(["build", "--raw", str(root / "raw"), "--packages", str(root / "packages"), "--no-site"]) == 0
    finally:
        patch.undo()
    return root


def _published(built: Path, resource: str) -> pd.DataFrame:
    return pd.read_csv(next((built / "packages" / "352152_hostile").glob(f"*_{resource}.csv")), dtype=str,
                       keep_default_na=False)


def test_no_name_is_published_in_any_column(built: Path) -> None:
    for path in (built / "packages" / "352152_hostile").glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        for name in ("山田太郎", "鈴木二郎", "太郎", "二郎"):
            assert name not in text, (path.name, name)


def test_the_name_town_is_withheld_and_counted(built: Path) -> None:
    descriptor = json.loads((built / "packages" / "352152_hostile" / "datapackage.json").read_text(encoding="utf-8"))
    columns = descriptor["mieruka"]["anonymization"]["columns"]
    assert columns["not_a_known_town"] >= 1
    assert columns["district_redacted"] == 1 and columns["contractor_sole_proprietor"] == 1
    contracts = _published(built, "contracts")
    assert contracts.loc[0, "district"] == "" and contracts.loc[1, "contractor"] == "個人事業主"


def test_points_outside_or_swapped_lose_their_location_and_are_reported(built: Path) -> None:
    cases = _published(built, "cases")
    raw = pd.read_csv(built / "raw" / "352152_hostile" / "cases.csv", dtype=str, keep_default_na=False)
    assert len(cases) == len(raw)  # the rows are kept
    log = pd.read_csv(next((built / ".work" / "logs").glob("quarantine-*.csv")), dtype=str, keep_default_na=False)
    kept = log[log["reason"].str.endswith(KEPT_REASON)]
    assert sorted(kept["row"].astype(int)) == [3, 4]  # the file's rows 3 and 4 (header = 1)
    assert kept["reason"].str.contains("exchanged").sum() == 1
    assert kept["reason"].str.contains("outside the body's boundary").sum() == 1
    descriptor = json.loads((built / "packages" / "352152_hostile" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["mieruka"]["anonymization"]["location"]["points_outside_body_or_swapped"] == 2
    run = json.loads((built / "packages" / "run.json").read_text(encoding="utf-8"))
    assert run["bodies"][0]["quarantined"] == 0  # a withheld location does not reject its row
