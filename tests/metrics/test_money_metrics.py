"""Spending, cost per job and procurement metrics against the hand-made contracts in conftest."""

import math

import pandas as pd
import pytest
from conftest import AS_OF, municipalities

from pipeline.metrics import compute_metrics


@pytest.fixture
def df(tables):
    return compute_metrics(tables, municipalities(), AS_OF, min_n=1, k=1)


def test_spending_counts_work_orders_never_unit_price_ceilings(df, pick):
    # unit price K1: work orders W1 200,000 + W2 300,000 + W6 100,000 (W3 cancelled) = 600,000, not 10,000,000
    # per job: K3 500,000 (no priced work order) + W4 780,000 (not K4's 800,000) = 1,280,000
    # lump sum K2: 3,650,000 * 182 / 365 days in FY2025 = 1,820,000; W5 under it is not counted again
    assert pick(df, "spending_by_contract_type.unit_price")["value"] == 600_000
    assert pick(df, "spending_by_contract_type.per_job")["value"] == 1_280_000
    assert pick(df, "spending_by_contract_type.lump_sum")["value"] == pytest.approx(1_820_000)
    assert pick(df, "spending_by_contract_type.unknown")["value"] == 0
    row = pick(df, "spending")
    assert row["value"] == pytest.approx(3_700_000)
    assert row["n"] == 6  # W1 W2 W6 W4, K3, K2's FY2025 part
    assert row["unit"] == "JPY"


def test_spending_by_work_category(df, pick):
    assert pick(df, "spending_by_work_category.pavement")["value"] == 600_000
    assert pick(df, "spending_by_work_category.drainage")["value"] == 500_000
    assert pick(df, "spending_by_work_category.lighting")["value"] == 780_000
    assert pick(df, "spending_by_work_category.general")["value"] == pytest.approx(1_820_000)


def test_spending_per_resident_and_km(df, pick):
    assert pick(df, "spending_per_resident")["value"] == pytest.approx(3_700.0)  # / 1,000 residents
    assert pick(df, "spending_per_km_road")["value"] == pytest.approx(74_000.0)  # / 50 km


def test_spending_per_km_missing_road_length(tables, pick):
    df = compute_metrics(tables, municipalities(road_km=""), AS_OF, min_n=1, k=1)
    row = pick(df, "spending_per_km_road")
    assert math.isnan(row["value"]) and "missing_denominator" in row["flags"].split()


def test_cost_per_completed_work_order(df, pick):
    # completed, priced, under unit price or per job: W1 200,000, W2 300,000, W4 780,000 (W5 is lump sum,
    # W6 not completed) -> mean 426,666.67
    row = pick(df, "cost_per_completed_work_order")
    assert row["value"] == pytest.approx(1_280_000 / 3)
    assert row["n"] == 3
    assert row["lower"] < row["value"] < row["upper"]
    assert pick(df, "cost_per_completed_work_order_by_work_category.pavement")["value"] == 250_000
    assert pick(df, "cost_per_completed_work_order_by_work_category.lighting")["value"] == 780_000
    empty = pick(df, "cost_per_completed_work_order_by_work_category.cleaning")
    assert math.isnan(empty["value"]) and empty["n"] == 0


def test_contracts_and_competition(df, pick):
    assert pick(df, "contracts_awarded")["value"] == 4
    assert pick(df, "contractors")["value"] == 3  # A社 twice, B社, C社
    # competitive: K1 open tender, K2 designated tender, K4 proposal; negotiated K3 -> 3 / 4
    assert pick(df, "competitive_procurement_share")["value"] == 0.75
    # award ratio over competitive contracts with an estimate: K1 10/11, K2 3.65/4 (K4 has none)
    row = pick(df, "award_ratio_mean")
    assert row["value"] == pytest.approx((10 / 11 + 3.65 / 4) / 2)
    assert row["n"] == 2


def test_money_rows_are_fiscal_year_and_category_all_only(df):
    money = df["metric_id"].str.startswith(("spending", "cost_per", "contract", "competitive", "award"))
    assert set(df.loc[money, "period_type"]) == {"fiscal_year"}
    assert set(df.loc[money, "category"]) == {"all"}


def test_body_without_money_data_is_missing_not_zero(tables, pick):
    cases = tables["cases"].copy()
    extra = cases.iloc[[0]].assign(municipality_code="352071")
    df = compute_metrics({**tables, "cases": pd.concat([cases, extra])}, municipalities(), AS_OF)
    row = pick(df, "spending", code="352071")
    assert math.isnan(row["value"]) and "no_data" in row["flags"].split()
