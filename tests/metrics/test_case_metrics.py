"""Case metrics against the eight hand-made cases in conftest (min_n=1, k=1: nothing withheld)."""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import AS_OF, BODY, municipalities
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.metrics import COLUMNS, compute_metrics
from pipeline.metrics.registry import BY_ID


@pytest.fixture
def df(tables):
    return compute_metrics(tables, municipalities(), AS_OF, min_n=1, k=1)


def test_columns_and_types(df):
    assert tuple(df.columns) == COLUMNS
    assert str(df["n"].dtype) == "Int64"
    assert df["unreliable"].dtype == bool
    assert set(df["scope"]) == {"body", "all"}
    assert set(df.loc[df["scope"] == "all", "municipality_code"]) == {""}


def test_requests_and_rates(df, pick):
    # 8 cases; population 1,000, road 50 km, 4 civil engineers.
    assert pick(df, "requests_received")["value"] == 8
    assert pick(df, "requests_received")["n"] == 8
    assert pick(df, "requests_per_10k_residents")["value"] == pytest.approx(80.0)  # 8 / 1000 * 10000
    assert pick(df, "requests_per_100km_road")["value"] == pytest.approx(16.0)  # 8 / 50 * 100
    assert pick(df, "requests_per_civil_engineer")["value"] == pytest.approx(2.0)  # 8 / 4
    # months: April c1 c2 c3, May c4 c5 c6, June c7 c8
    assert [pick(df, "requests_received", period=p)["value"] for p in ("2025-04", "2025-05", "2025-06")] == [3, 3, 2]
    # categories: pothole c1 c2 c6, weeding c3 c4, drainage c5, other c7, sign c8
    assert pick(df, "requests_received", category="pothole")["value"] == 3
    assert pick(df, "requests_received", category="weeding")["value"] == 2
    assert pick(df, "requests_received", category="street_light")["value"] == 0
    # one body: all bodies together is the same
    assert pick(df, "requests_received", scope="all")["value"] == 8


def test_missing_denominator_stays_missing(tables, pick):
    df = compute_metrics(tables, municipalities(road_km=""), AS_OF, min_n=1, k=1)
    row = pick(df, "requests_per_100km_road")
    assert math.isnan(row["value"])
    assert "missing_denominator" in row["flags"].split()
    assert row["n"] == 8
    assert pick(df, "requests_per_10k_residents")["value"] == pytest.approx(80.0)


def test_channel_mix(df, pick):
    # app c1 c3 c5 c7 = 4/8, phone c2 c4 = 2/8, web c6, counter c8 = 1/8 each
    assert pick(df, "channel_share.app")["value"] == 0.5
    assert pick(df, "channel_share.phone")["value"] == 0.25
    assert pick(df, "channel_share.web")["value"] == 0.125
    assert pick(df, "channel_share.counter")["value"] == 0.125
    assert pick(df, "channel_share.email")["value"] == 0.0
    row = pick(df, "channel_share.app")
    assert row["lower"] < 0.5 < row["upper"]


def test_days_to_first_response(df, pick):
    # calendar days: c1 1, c2 3, c3 0, c4 5, c5 2, c7 2 -> sorted 0 1 2 2 3 5
    # median (2+2)/2 = 2; p90 at rank 4.5: 3 + 0.5 * (5 - 3) = 4
    assert pick(df, "days_to_first_response_median")["value"] == 2.0
    assert pick(df, "days_to_first_response_median")["n"] == 6
    assert pick(df, "days_to_first_response_p90")["value"] == 4.0


def test_business_days_to_first_response(df, pick):
    # business days after the day received up to and including the response day:
    # c1 Tue->Wed 1; c2 Fri->Mon 1; c3 0; c4 Fri 5/2 -> Wed 5/7 over Golden Week (5/3-5/6 closed) 1;
    # c5 Sat->Mon 1 (the written definition: the next business day counts 1); c7 Sun 6/1 -> Tue 6/3 2
    # -> sorted 0 1 1 1 1 2: median 1, p90 at rank 4.5: 1 + 0.5 * (2 - 1) = 1.5
    assert pick(df, "business_days_to_first_response_median")["value"] == 1.0
    assert pick(df, "business_days_to_first_response_p90")["value"] == 1.5


def test_days_to_completion(df, pick):
    # completed: c1 2, c2 10, c3 0 -> median 2, p90 at rank 1.8: 2 + 0.8 * 8 = 8.4
    assert pick(df, "days_to_completion_median")["value"] == 2.0
    assert pick(df, "days_to_completion_p90")["value"] == pytest.approx(8.4)
    # business: c1 Tue 4/1 -> Thu 4/3 = 2; c2 Fri 4/4 -> Mon 4/14 = 6; c3 0 -> median 2, p90 2 + 0.8 * 4
    assert pick(df, "business_days_to_completion_median")["value"] == 2.0
    assert pick(df, "business_days_to_completion_p90")["value"] == pytest.approx(5.2)
    # the median's order-statistic interval brackets it
    row = pick(df, "days_to_completion_median")
    assert row["lower"] <= 2.0 <= row["upper"]


def test_completed_within(df, pick):
    # need completing (completed, received, in progress): c1 c2 c3 c6 c7; all at least 7 days old on 6/30
    # completed within 7 days: c1 (2), c3 (0) -> 2/5
    assert pick(df, "completed_within_7_days_share")["value"] == pytest.approx(0.4)
    assert pick(df, "completed_within_7_days_share")["n"] == 5
    # within 30: c7 (received 6/1, 29 days before 6/30) left out -> c1 c2 c3 of c1 c2 c3 c6 = 3/4
    assert pick(df, "completed_within_30_days_share")["value"] == pytest.approx(0.75)
    assert pick(df, "completed_within_30_days_share")["n"] == 4


def test_completed_case_without_a_closing_date(tables, pick):
    # c1 (completed on day 2) loses its closing date: it still counts as received and completed, but not in the
    # time to completion, nor in the within-N-days shares, whose base it leaves (it may or may not have been quick)
    cases = tables["cases"].copy()
    cases.loc[cases["service_request_id"] == "c-0000000000000001", "closed_date"] = ""
    df = compute_metrics({**tables, "cases": cases}, municipalities(), AS_OF, min_n=1, k=1)
    assert pick(df, "requests_received")["value"] == 8
    assert pick(df, "completed_within_7_days_share")["value"] == pytest.approx(1 / 4)  # c3 of c2 c3 c6 c7
    assert pick(df, "completed_within_7_days_share")["n"] == 4
    assert pick(df, "days_to_completion_median")["n"] == 2  # c2, c3
    assert pick(df, "closed_date_recorded_share")["value"] == pytest.approx(4 / 6)


def test_same_day_closures(df, pick, tables):
    # completed with a closing date: c1 c2 c3; same day: c3 -> 1/3, below the flag threshold
    row = pick(df, "same_day_closure_share")
    assert row["value"] == pytest.approx(1 / 3)
    assert "same_day_closures" not in row["flags"]
    cases = tables["cases"].copy()
    cases.loc[cases["service_request_id"] == "c-0000000000000001", "closed_date"] = "2025-04-01"
    flagged = compute_metrics({**tables, "cases": cases}, municipalities(), AS_OF, min_n=1, k=1)
    # now c1 and c3 are same day: 2/3 >= 0.5 -> the completion times carry the flag
    assert pick(flagged, "same_day_closure_share")["value"] == pytest.approx(2 / 3)
    assert "same_day_closures" in pick(flagged, "days_to_completion_median")["flags"].split()
    assert "same_day_closures" not in pick(flagged, "days_to_first_response_median")["flags"].split()


def test_declined_and_referred(df, pick):
    assert pick(df, "declined_share")["value"] == 0.125  # c4 of 8
    assert pick(df, "decline_reason_share.private_property")["value"] == 1.0  # c4 of the 1 declined
    assert pick(df, "decline_reason_share.private_property")["n"] == 1
    assert pick(df, "decline_reason_share.budget")["value"] == 0.0
    assert pick(df, "referred_share")["value"] == 0.125  # c5 of 8
    # c5: received 5/10, 'referred' step 5/15 -> 5 days (not the closing date 5/20)
    assert pick(df, "days_to_referral_median")["value"] == 5.0
    assert pick(df, "days_to_referral_p90")["value"] == 5.0


def test_referral_without_action_uses_closed_date(tables, pick):
    df = compute_metrics({**tables, "actions": tables["actions"].iloc[:0]}, municipalities(), AS_OF, min_n=1, k=1)
    assert pick(df, "days_to_referral_median")["value"] == 10.0  # 5/10 -> closed 5/20


def test_reopened_duplicates(df, pick):
    assert pick(df, "reopened_share")["value"] == 0.125  # c7
    assert pick(df, "duplicate_share")["value"] == 0.125  # c6


def test_open_backlog(df, pick):
    # at 6/30 (as-of, FY2025 in progress): c6 received, c7 in progress; c8 is closed (monitoring) without a
    # closing date and is left out -> 2, ages 41 (5/20) and 29 (6/1) -> median 35
    row = pick(df, "open_backlog")
    assert row["value"] == 2
    assert "period_in_progress" in row["flags"].split()
    assert pick(df, "open_backlog_age_median")["value"] == 35.0
    # month ends: 4/30 none open (c1 c2 c3 closed in April), 5/31 c6 (11 days), 6/30 two
    assert pick(df, "open_backlog", period="2025-04")["value"] == 0
    assert pick(df, "open_backlog", period="2025-05")["value"] == 1
    assert pick(df, "open_backlog_age_median", period="2025-05")["value"] == 11.0
    assert pick(df, "open_backlog", period="2025-06")["value"] == 2
    assert pick(df, "open_backlog", category="pothole")["value"] == 1  # c6


def test_completeness(df, pick):
    assert pick(df, "category_known_share")["value"] == 0.875  # all but c7 ('other')
    assert pick(df, "location_known_share")["value"] == 0.75  # c6 municipality, c7 none
    assert pick(df, "first_response_recorded_share")["value"] == pytest.approx(6 / 7)  # c8 of 7 past received
    assert pick(df, "closed_date_recorded_share")["value"] == pytest.approx(5 / 6)  # c8 of 6 closed
    assert pick(df, "milestones_complete_share")["value"] == 0.875  # c8 misses both


def test_export_lag(df, pick):
    # latest case 6/10, as of 6/30
    assert pick(df, "export_lag_days")["value"] == 20.0
    assert pick(df, "export_lag_days", scope="all")["value"] == 20.0


def test_quantiles_withheld_below_min_n(tables, pick):
    df = compute_metrics(tables, municipalities(), AS_OF, min_n=20, k=1)
    row = pick(df, "days_to_first_response_median")
    assert math.isnan(row["value"]) and math.isnan(row["lower"])
    assert row["unreliable"] and row["n"] == 6
    assert "small_sample" in row["flags"].split()
    share = pick(df, "declined_share")
    assert share["value"] == 0.125 and share["unreliable"]


def test_inconsistent_dates_left_out(tables, pick):
    cases = tables["cases"].copy()
    cases.loc[cases["service_request_id"] == "c-0000000000000002", "first_response_date"] = "2025-03-30"
    df = compute_metrics({**tables, "cases": cases}, municipalities(), AS_OF, min_n=1, k=1)
    row = pick(df, "days_to_first_response_median")
    assert row["n"] == 5  # 0 1 2 2 5 -> median 2
    assert row["value"] == 2.0
    assert "inconsistent_dates_excluded" in row["flags"].split()


def test_data_start_respected(tables, pick):
    cases = tables["cases"]
    other = cases.iloc[[0]].assign(
        municipality_code="352071",
        requested_date="2024-05-01",
        fiscal_year="2024",
        first_response_date="2024-05-02",
        closed_date="2024-05-03",
    )
    more = {**tables, "cases": pd.concat([cases, other], ignore_index=True)}
    df = compute_metrics(more, municipalities(), AS_OF, data_since={BODY: "2025-05-01"}, min_n=1, k=1)
    before = pick(df, "requests_received", period="2024")
    assert math.isnan(before["value"]) and before["n"] == 0
    assert "before_data_start" in before["flags"].split()
    # FY2025 counts only cases from 5/1 on: c4..c8 = 5, and the period holds the data start
    row = pick(df, "requests_received")
    assert row["value"] == 5
    assert "data_start_in_period" in row["flags"].split()
    months = set(df.loc[(df["municipality_code"] == BODY) & (df["period_type"] == "month"), "period"])
    assert months == {"2025-05", "2025-06"}
    # all bodies in FY2024: only 352071 had data
    assert pick(df, "requests_received", scope="all", period="2024")["value"] == 1
    assert "partial_coverage" in pick(df, "requests_received", scope="all", period="2024")["flags"].split()


def test_monthly_and_category_rows_only_where_defined(df):
    base = df["metric_id"].str.split(".").str[0]
    monthly = df["period_type"] == "month"
    assert all(BY_ID[m].monthly for m in set(base[monthly]))
    by_cat = df["category"] != "all"
    assert all(BY_ID[m].by_category for m in set(base[by_cat]))
    assert set(df.loc[monthly, "category"]) == {"all"}


def test_deterministic_and_sorted(tables):
    a = compute_metrics(tables, municipalities(), AS_OF)
    shuffled = {k: v.sample(frac=1, random_state=1) for k, v in tables.items()}
    b = compute_metrics(shuffled, municipalities(), AS_OF)
    assert a.equals(b)


def test_typed_input_matches_text_input(tables):
    typed = {k: v.copy() for k, v in tables.items()}
    c = typed["cases"]
    for col in ("requested_date", "first_response_date", "closed_date"):
        c[col] = pd.to_datetime(c[col].replace("", None))
    c["reopened"] = c["reopened"] == "true"
    c["fiscal_year"] = c["fiscal_year"].astype(int)
    w = typed["work_orders"]
    w["amount"] = pd.to_numeric(w["amount"])
    a = compute_metrics(tables, municipalities(), AS_OF)
    b = compute_metrics(typed, municipalities(), AS_OF)
    pd.testing.assert_frame_equal(a, b)


def test_cases_after_the_as_of_date_are_left_out(tables, pick):
    cases = tables["cases"].copy()
    cases.loc[0, "requested_date"] = "2026-04-01"  # a typo in the export: after the as-of date
    df = compute_metrics({**tables, "cases": cases}, municipalities(), AS_OF, min_n=1, k=1)
    assert pick(df, "requests_received")["value"] == 7
    assert set(df["period"]) <= {"2025", "2025-04", "2025-05", "2025-06"}


def test_contracts_without_cases(contracts_table, work_orders_table, pick):
    df = compute_metrics({"contracts": contracts_table, "work_orders": work_orders_table}, municipalities(), AS_OF)
    assert pick(df, "spending")["value"] == pytest.approx(3_700_000)
    row = pick(df, "requests_received")
    assert math.isnan(row["value"]) and "no_data" in row["flags"].split()


def test_no_tables_gives_an_empty_table():
    df = compute_metrics({}, municipalities(), AS_OF)
    assert df.empty and tuple(df.columns) == COLUMNS


def test_data_start_within_a_month_is_flagged(tables, pick):
    df = compute_metrics(tables, municipalities(), AS_OF, data_since={BODY: "2025-04-02"}, min_n=1, k=1)
    # c1 (4/1) is before the data start: 7 cases; April holds the start, May does not
    assert pick(df, "requests_received")["value"] == 7
    assert "data_start_in_period" in pick(df, "requests_received", period="2025-04")["flags"].split()
    assert "data_start_in_period" in pick(df, "requests_received")["flags"].split()
    assert "data_start_in_period" not in pick(df, "requests_received", period="2025-05")["flags"].split()


@given(st.lists(st.tuples(st.integers(-40_000, 60_000), st.integers(-400, 4_000)), min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_business_days_agree_with_numpy_busday_count(pairs: list[tuple[int, int]]) -> None:
    """The running-count table gives np.busday_count's figures (holidays, year-end closure, weekends)."""
    from pipeline.metrics.workdays import WEEKMASK, business_days, closed_days

    start = np.array([np.datetime64("2020-01-01") + np.timedelta64(a, "D") for a, _ in pairs])
    end = start + np.array([np.timedelta64(b, "D") for _, b in pairs])
    got = business_days(start, end)
    one = np.timedelta64(1, "D")
    for s, e, g in zip(start, end, got, strict=True):
        if e < s:
            assert np.isnan(g)
            continue
        years = [int(str(d)[:4]) for d in (s, e + one)]
        holidays = closed_days(min(years), max(years))
        assert g == np.busday_count(s + one, e + one, weekmask=WEEKMASK, holidays=holidays), (s, e)
