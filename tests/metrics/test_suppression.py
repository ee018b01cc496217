"""Small-cell suppression: primary, complementary, what follows a withheld count, and a property test that
no withheld count can be recovered as a published total minus published parts."""

import math

import numpy as np
import pandas as pd
from conftest import AS_OF, BODY, OTHER, case, frame, municipalities
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.metrics import compute_metrics
from pipeline.metrics.suppress import complementary, primary, recoverable


def _cases(counts: dict[tuple[str, str, str], int]) -> pd.DataFrame:
    """{(body, category, month): number} -> that many cases on the 10th of the month; every other one is
    closed on the 20th, so the backlog differs from the count received."""
    rows, i = [], 0
    for (body, category, month), number in sorted(counts.items()):
        for _ in range(number):
            i += 1
            closed = {"status": "completed", "closed": f"{month}-20"} if i % 2 else {"status": "received"}
            rows.append(case(f"c-{i:016x}", f"{month}-10", category, "app", code=body, **closed))
    return frame("cases", rows)


def test_primary_and_complementary_within_a_body_year(pick):
    # pothole 10, weeding 2 (< k = 3: withheld), drainage 4: the total 16 would give weeding away as
    # 16 - 10 - 4, so the next smallest non-zero cell, drainage, is withheld too.
    cases = _cases(
        {(BODY, "pothole", "2025-04"): 10, (BODY, "weeding", "2025-04"): 2, (BODY, "drainage", "2025-04"): 4}
    )
    df = compute_metrics({"cases": cases}, municipalities(), AS_OF, k=3)
    weeding = pick(df, "requests_received", category="weeding")
    assert math.isnan(weeding["value"]) and pd.isna(weeding["n"])
    assert "suppressed" in weeding["flags"].split()
    drainage = pick(df, "requests_received", category="drainage")
    assert math.isnan(drainage["value"]) and "suppressed" in drainage["flags"].split()
    assert pick(df, "requests_received", category="pothole")["value"] == 10
    assert pick(df, "requests_received")["value"] == 16
    assert pick(df, "requests_received", category="sign")["value"] == 0
    # the rates and shares whose n is the withheld count are withheld with it
    rate = pick(df, "requests_per_10k_residents", category="weeding")
    assert math.isnan(rate["value"]) and pd.isna(rate["n"]) and "suppressed" in rate["flags"].split()
    assert math.isnan(pick(df, "declined_share", category="drainage")["value"])
    assert pick(df, "declined_share", category="pothole")["value"] == 0.0


def test_zero_is_published_and_k1_withholds_nothing(pick):
    cases = _cases({(BODY, "pothole", "2025-04"): 1})
    df = compute_metrics({"cases": cases}, municipalities(), AS_OF, k=1)
    assert pick(df, "requests_received", category="pothole")["value"] == 1
    df = compute_metrics({"cases": cases}, municipalities(), AS_OF, k=3)
    assert math.isnan(pick(df, "requests_received")["value"])
    assert math.isnan(pick(df, "requests_received", scope="all")["value"])


def test_small_n_of_any_case_metric_is_withheld(pick):
    cases = _cases({(BODY, "pothole", "2025-04"): 30})
    cases.loc[0, "status"] = "declined"
    cases.loc[0, "decline_reason"] = "budget"
    df = compute_metrics({"cases": cases}, municipalities(), AS_OF, k=3)
    row = pick(df, "decline_reason_share.budget")
    assert math.isnan(row["value"]) and pd.isna(row["n"]) and "suppressed" in row["flags"].split()


def test_unit_complementary_picks_smallest_nonzero_part():
    # group: total 16 = 10 + 2 + 4 + 0
    values = np.array([16.0, 10.0, 2.0, 4.0, 0.0])
    gid = np.zeros(5, dtype="int64")
    total = np.array([True, False, False, False, False])
    out = complementary(values, primary(values, 3), [(gid, total)])
    assert out.tolist() == [False, False, True, True, False]


def _table_groups(n_rows: int, n_cols: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """A (rows+1) x (cols+1) table flattened row-major, last row and column the totals."""
    r, c = np.meshgrid(np.arange(n_rows + 1), np.arange(n_cols + 1), indexing="ij")
    r, c = r.ravel(), c.ravel()
    return [(r.astype("int64"), c == n_cols), (c.astype("int64"), r == n_rows)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=5), min_size=1, max_size=5), st.integers(2, 5))
def test_property_no_withheld_cell_recoverable_from_margins(rows, k):
    width = min(len(r) for r in rows)
    body = np.array([r[:width] for r in rows], dtype="float64")
    table = np.zeros((body.shape[0] + 1, width + 1))
    table[:-1, :-1] = body
    table[:-1, -1] = body.sum(axis=1)
    table[-1, :] = table[:-1, :].sum(axis=0)
    values = table.ravel()
    groups = _table_groups(body.shape[0], width)
    hidden = complementary(values, primary(values, k), groups)
    assert (hidden | ~primary(values, k)).all()  # every small count is withheld
    assert not recoverable(values, hidden, groups).any()


def _exposed(df: pd.DataFrame, metric: str) -> list[tuple]:
    """Withheld cells of a count metric that the published table gives away: a published total minus
    published parts (categories, bodies, months of a year), or the year-end backlog equal to the year's."""
    rr = df[df["metric_id"] == metric].copy()
    rr["hidden"] = rr["flags"].str.contains("suppressed")
    exposed = []
    relations = (
        (["scope", "municipality_code", "period_type", "period"], rr["category"] == "all"),
        (["category", "period_type", "period"], rr["scope"] == "all"),
    )
    for keys, is_total in relations:
        for key, g in rr.assign(total=is_total).groupby(keys):
            if len(g) > 1 and g["total"].sum() == 1 and g["hidden"].sum() == 1:
                exposed.append(key)
    months = rr[rr["category"] == "all"].copy()
    months["fy"] = [int(p[:4]) - (int(p[5:]) < 4) if "-" in p else int(p) for p in months["period"]]
    for key, g in months.groupby(["scope", "municipality_code", "fy"]):
        if metric == "open_backlog":  # the year's backlog is the backlog at its last month's end
            g = g[(g["period_type"] == "fiscal_year") | (g["period"] == g["period"].max())]
        if len(g) > 1 and (g["period_type"] == "fiscal_year").sum() == 1 and g["hidden"].sum() == 1:
            exposed.append(key)
    return exposed


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(
        st.tuples(
            st.sampled_from([BODY, OTHER]),
            st.sampled_from(["pothole", "weeding", "drainage"]),
            st.sampled_from(["2025-04", "2025-05", "2025-06"]),
        ),
        st.integers(0, 6),
        min_size=1,
        max_size=12,
    )
)
def test_property_published_table_gives_nothing_away(counts):
    if sum(counts.values()) == 0:
        return
    df = compute_metrics({"cases": _cases(counts)}, municipalities(), AS_OF, k=3)
    assert _exposed(df, "requests_received") == []
    assert _exposed(df, "open_backlog") == []
    small = df[(df["metric_id"] == "requests_received") & ~df["flags"].str.contains("suppressed")]
    assert not ((small["value"] > 0) & (small["value"] < 3)).any()
