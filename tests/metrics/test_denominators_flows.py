"""Yearly denominators over coverage, referral flows, completed share, spending per km by contract type and the
context figures, against small hand-made tables (min_n=1, k=1: nothing withheld)."""

import math

import pandas as pd
import pytest
from conftest import AS_OF, BODY, OTHER, case, frame, municipalities

from pipeline import reference
from pipeline.metrics import compute_metrics
from pipeline.metrics.denominators import NOT_AVAILABLE

PREFECTURE = "350001"
COVERAGE = {PREFECTURE: (OTHER, BODY), BODY: (BODY,), OTHER: (OTHER,)}
SOURCES = {"population": "pop-source", "road_km": "road-source", "road_bridge_spending": "budget-source"}


def yearly() -> pd.DataFrame:
    """BODY has FY2023-2024 only (FY2025 falls back to FY2024); OTHER has FY2024-2025."""
    rows = [
        (BODY, 2023, 2100, 90.0, 4e8, 80, 12),
        (BODY, 2024, 2000, 100.0, 5e8, 80, 10),
        (OTHER, 2024, 500, 40.0, 1e8, 30, 3),
        (OTHER, 2025, 480, 41.0, 1.2e8, 31, 4),
    ]
    names = ["municipality_code", "fiscal_year", "population", "road_km", "road_bridge_spending",
             "bridges_inspected", "bridges_need_repair"]
    return pd.DataFrame(rows, columns=names)


@pytest.fixture
def df(tables):
    extra = [
        case("p-1", "2025-04-10", "pothole", "phone", "referred", "2025-04-11", "2025-04-13", code=PREFECTURE,
             referred_to="municipality", referred_to_code=OTHER),
        case("p-2", "2025-04-20", "pothole", "phone", "completed", "2025-04-21", "2025-04-25", code=PREFECTURE),
        case("p-3", "2025-05-20", "weeding", "phone", "completed", "2025-05-21", "2025-05-22", code=PREFECTURE),
        case("p-4", "2025-06-01", "weeding", "phone", "received", code=PREFECTURE),
        case("o-1", "2025-05-01", "pothole", "app", "referred", "2025-05-02", "2025-05-03", code=OTHER,
             referred_to="prefecture", referred_to_code=PREFECTURE),
        case("o-2", "2025-05-05", "pothole", "app", "completed", "2025-05-06", "2025-05-09", code=OTHER),
    ]
    cases = pd.concat([tables["cases"], frame("cases", extra)], ignore_index=True)
    return compute_metrics({**tables, "cases": cases}, municipalities(), AS_OF, min_n=1, k=1, yearly=yearly(),
                           coverage=COVERAGE, yearly_sources=SOURCES)


def test_rates_use_the_period_year_or_the_latest_earlier(df, pick):
    row = pick(df, "requests_per_10k_residents")  # BODY: 8 cases, FY2025 falls back to FY2024's 2,000
    assert row["value"] == pytest.approx(40.0)
    assert (row["denominator_value"], row["denominator_year"], row["denominator_source"]) == (2000, "FY2024",
                                                                                            "pop-source")
    row = pick(df, "requests_per_100km_road")  # 8 / 100 km * 100; road length as of 31 March 2024
    assert row["value"] == pytest.approx(8.0)
    assert (row["denominator_value"], row["denominator_year"]) == (100, "2024-03-31")
    other = pick(df, "requests_per_10k_residents", code=OTHER)  # 2 cases / 480 (its own FY2025 figure)
    assert other["value"] == pytest.approx(2 / 480 * 10_000)
    assert other["denominator_year"] == "FY2025"


def test_prefecture_population_is_its_coverage_and_its_road_length_is_not_available(df, pick):
    row = pick(df, "requests_per_10k_residents", code=PREFECTURE)  # 4 cases / (480 + 2,000)
    assert row["denominator_value"] == 2480
    assert row["value"] == pytest.approx(4 / 2480 * 10_000)
    road = pick(df, "requests_per_100km_road", code=PREFECTURE)
    assert math.isnan(road["value"]) and math.isnan(road["denominator_value"])
    assert road["denominator_source"].startswith(NOT_AVAILABLE)
    assert "missing_denominator" in road["flags"].split()


def test_all_bodies_count_each_covered_municipality_once(df, pick):
    row = pick(df, "requests_per_10k_residents", scope="all")  # 14 cases / distinct {OTHER, BODY} = 2,480
    assert row["denominator_value"] == 2480
    assert row["value"] == pytest.approx(14 / 2480 * 10_000)
    road = pick(df, "requests_per_100km_road", scope="all")  # the prefecture's road length is unknown
    assert math.isnan(road["value"]) and road["denominator_source"].startswith(NOT_AVAILABLE)


def test_referral_flows(df, pick):
    # p-1: prefecture -> OTHER, closed 3 days after receipt; o-1: OTHER -> prefecture, 2 days;
    # c5: BODY -> "prefecture" (no code), referred step 5 days after receipt
    assert pick(df, f"referrals_to.{OTHER}", code=PREFECTURE)["value"] == 1
    assert pick(df, f"referral_days_median_to.{OTHER}", code=PREFECTURE)["value"] == 3
    assert pick(df, f"referrals_to.{PREFECTURE}", code=OTHER)["value"] == 1
    assert pick(df, f"referral_days_median_to.{PREFECTURE}", code=OTHER)["value"] == 2
    assert pick(df, "referrals_to.prefecture")["value"] == 1
    assert pick(df, "referral_days_median_to.prefecture")["value"] == 5
    assert pick(df, f"referrals_to.{OTHER}", scope="all")["value"] == 1
    assert pick(df, f"referrals_to.{OTHER}")["value"] == 0  # BODY referred nothing to OTHER


def test_completed_share(df, pick):
    row = pick(df, "completed_share")  # c1 c2 c3 of 8
    assert row["value"] == pytest.approx(3 / 8)
    assert row["lower"] < 3 / 8 < row["upper"]
    assert pick(df, "completed_share", code=PREFECTURE)["value"] == pytest.approx(2 / 4)


def test_spending_per_km_by_contract_type(df, pick):
    # unit price: W1 + W2 + W6 = 600,000 over 100 km; lump sum 1,820,000 over 100 km
    assert pick(df, "spending_per_km_by_contract_type.unit_price")["value"] == pytest.approx(6_000)
    assert pick(df, "spending_per_km_by_contract_type.lump_sum")["value"] == pytest.approx(18_200)
    assert pick(df, "spending_per_km_by_contract_type.unit_price")["denominator_year"] == "2024-03-31"


def test_context_figures(df, pick):
    row = pick(df, "road_bridge_spending")
    assert row["value"] == 5e8 and row["denominator_source"] == "budget-source"
    assert pick(df, "bridges_need_repair")["value"] == 10
    assert pick(df, "bridges_inspected", code=OTHER)["value"] == 31
    pref = pick(df, "road_bridge_spending", code=PREFECTURE)
    assert math.isnan(pref["value"]) and pref["denominator_source"].startswith(NOT_AVAILABLE)
    assert math.isnan(pick(df, "road_bridge_spending", scope="all")["value"])


def test_real_reference_file():
    """The bundled 総務省 file: Kudamatsu's FY2024 row and the prefecture's declared coverage."""
    rows = reference.yearly_figures()
    kudamatsu = rows[(rows["municipality_code"] == "352071") & (rows["fiscal_year"] == 2024)].iloc[0]
    assert kudamatsu["population"] == 56637
    assert kudamatsu["road_km"] == pytest.approx(304.469)
    assert kudamatsu["road_bridge_spending"] == 408_047_000
    assert rows["municipality_code"].nunique() == 1741
    assert reference.coverage()["350001"] == ("352071", "352101", "352152")
    assert reference.coverage()["352152"] == ("352152",)


def test_adapter_coverage_defaults_to_itself_and_rejects_bad_codes(tmp_path):
    from pipeline.adapter import AdapterError, parse

    raw = {"municipality": {"code": "352152", "slug": "shunan"},
           "resources": {"cases": {"file": "cases.csv", "columns": "standard"}}}
    assert parse(raw, tmp_path / "352152_shunan.toml").coverage == ("352152",)
    raw["municipality"]["coverage"] = ["352071", "35207"]
    with pytest.raises(AdapterError, match=r"coverage: .* is not a valid 6-digit local government code"):
        parse(raw, tmp_path / "352152_shunan.toml")
