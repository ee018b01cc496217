"""Contracts and work over every fiscal year: spending by contract type, contractors' work, their CSV."""

import csv
import io

import pandas as pd

from pipeline.site import works
from pipeline.site.loader import read_package
from tests.site.conftest import PACKAGES

SHUNAN = PACKAGES / "352152_shunan"


def csv_table(name: str) -> pd.DataFrame:
    return pd.read_csv(SHUNAN / f"352152_{name}.csv", dtype=str, keep_default_na=False)


def test_every_year_with_a_contract_or_work_order_is_shown_newest_first() -> None:
    package = read_package(SHUNAN)
    years = set(csv_table("contracts")["fiscal_year"]) | set(csv_table("work_orders")["fiscal_year"])
    assert works.years_of(package) == sorted((int(y) for y in years if y), reverse=True)
    rows = works.spending_rows(package)
    assert [r["fiscal_year"] for r in rows] == works.years_of(package)
    for row in rows:
        assert row["total"] == sum(row[t] for t in works.CONTRACT_TYPES) + row["other"]


def test_contractors_rows_count_their_work_orders_towns_and_dates() -> None:
    package = read_package(SHUNAN)
    orders, contracts = csv_table("work_orders"), csv_table("contracts")
    orders = orders[orders["status"] != "cancelled"]
    who = orders.assign(contractor=orders["contract_id"].map(contracts.set_index("contract_id")["contractor"]))
    rows = works.contractor_rows(package)
    assert rows
    for row in rows:
        mine = who[(who["contractor"] == row["contractor"]) & (who["fiscal_year"] == str(row["fiscal_year"]))]
        assert row["orders"] == len(mine)
        assert sum(t["orders"] for t in row["towns"]) <= len(mine)
        assert {t["town"] for t in row["towns"]} <= set(mine["town"])
        if len(mine):
            assert (row["first"], row["last"]) == (mine["order_date"].min(), mine["order_date"].max())


def test_the_tables_as_csv_keep_codes_and_every_row() -> None:
    package = read_package(SHUNAN)
    spending = list(csv.reader(io.StringIO(works.spending_csv([("352152", works.spending_rows(package))]))))
    assert tuple(spending[0]) == works.SPENDING_COLUMNS
    assert len(spending) - 1 == len(works.spending_rows(package))
    contractors = list(csv.DictReader(io.StringIO(works.contractors_csv("352152", works.contractor_rows(package)))))
    assert len(contractors) == len(works.contractor_rows(package))
    assert all(set(r["contract_types"].split(";")) <= {"unit_price", "lump_sum", "per_job", ""} for r in contractors)
