"""The location guarantee (docs/privacy.md): no published table or page, alone or joined on any key
(case pseudonym, work order, contract), locates a case more finely than its own published cell and town.

The attacker knows the raw exports (every case's exact point and town) and joins everything published."""

import shutil
from pathlib import Path

import pandas as pd

from pipeline import audit


def test_no_join_locates_a_case_more_finely_than_it_is_published(sample_build: Path,
                                                                 raw_truth: dict[str, audit.Raw]) -> None:
    leaks = audit.join_attack(sample_build / "datapackages", raw_truth, sample_build / "output")
    assert leaks == [], "\n".join(map(str, leaks[:20]))


def _copy(sample_build: Path, tmp_path: Path) -> Path:
    target = tmp_path / "datapackages"
    shutil.copytree(sample_build / "datapackages", target)
    return target


def _hidden_case(packages: Path, raw_truth: dict[str, audit.Raw], body: str) -> tuple[str, str]:
    """A case of `body` whose town was withheld, and its raw town."""
    cases = pd.read_csv(next((packages / body).glob("*_cases.csv")), dtype=str, keep_default_na=False)
    truth = raw_truth[body].cases.set_index("service_request_id")
    for sri in cases.loc[cases["town"] == "", "service_request_id"]:
        town = truth.at[sri, "town"]
        if len(town) >= 2:
            return sri, town
    raise AssertionError("the sample has no case with a withheld town")


def test_the_attack_finds_the_per_job_contract_leak(sample_build: Path, raw_truth: dict[str, audit.Raw],
                                                    tmp_path: Path) -> None:
    """Put back what was published before: a per-job contract naming the town of its one case."""
    packages = _copy(sample_build, tmp_path)
    body = packages / "352101_hikari"
    sri, town = _hidden_case(packages, raw_truth, body.name)
    orders = pd.read_csv(next(body.glob("*_work_orders.csv")), dtype=str, keep_default_na=False)
    contract = orders.loc[orders["service_request_id"] == sri, "contract_id"].iloc[0]
    path = next(body.glob("*_contracts.csv"))
    contracts = pd.read_csv(path, dtype=str, keep_default_na=False)
    chosen = contracts["contract_id"] == contract
    contracts.loc[chosen, ["district", "title"]] = [town, f"{town} 道路補修工事(個別発注)"]
    contracts.to_csv(path, index=False)
    leaks = audit.join_attack(packages, {body.name: raw_truth[body.name]})
    assert {(leak.case, leak.table) for leak in leaks} == {(sri, "contracts")}


def test_the_attack_finds_a_finer_cell_or_town_on_a_work_order(sample_build: Path, raw_truth: dict[str, audit.Raw],
                                                               tmp_path: Path) -> None:
    packages = _copy(sample_build, tmp_path)
    body = packages / "352152_shunan"
    sri, town = _hidden_case(packages, raw_truth, body.name)
    path = next(body.glob("*_work_orders.csv"))
    orders = pd.read_csv(path, dtype=str, keep_default_na=False)
    linked = orders["service_request_id"] != ""
    first = orders.index[linked][0]
    orders.loc[first, "mesh_code"] = orders.loc[first, "mesh_code"] + "1" if orders.loc[first, "mesh_code"] \
        else "5131"
    hidden = orders.index[orders["service_request_id"] == sri]
    orders.loc[hidden, "town"] = town
    orders.to_csv(path, index=False)
    leaks = audit.join_attack(packages, {body.name: raw_truth[body.name]})
    assert {leak.column for leak in leaks if leak.table == "work_orders"} == {"mesh_code", "town"}


def test_the_attack_finds_a_note_naming_the_withheld_town(sample_build: Path, raw_truth: dict[str, audit.Raw],
                                                         tmp_path: Path) -> None:
    packages = _copy(sample_build, tmp_path)
    body = packages / "352071_kudamatsu"
    sri, town = _hidden_case(packages, raw_truth, body.name)
    path = next(body.glob("*_actions.csv"))
    actions = pd.read_csv(path, dtype=str, keep_default_na=False)
    actions.loc[actions.index[actions["service_request_id"] == sri][0], "note"] = f"{town}の現地を確認"
    actions.to_csv(path, index=False)
    leaks = audit.join_attack(packages, {body.name: raw_truth[body.name]})
    assert [(leak.case, leak.table, leak.column) for leak in leaks] == [(sri, "actions", "note")]


def test_case_cells_add_nothing_to_the_cases_table(sample_build: Path, raw_truth: dict[str, audit.Raw],
                                                   tmp_path: Path) -> None:
    """A map count that differs from the rows would locate cases the rows do not: the attack sees it."""
    packages = _copy(sample_build, tmp_path)
    body = packages / "352152_shunan"
    path = next(body.glob("*_case_cells.csv"))
    cells = pd.read_csv(path, dtype=str, keep_default_na=False)
    cells.loc[0, "cases"] = str(int(cells.loc[0, "cases"]) + 1)
    cells.to_csv(path, index=False)
    leaks = audit.join_attack(packages, {body.name: raw_truth[body.name]})
    assert [leak.table for leak in leaks] == ["case_cells"]
