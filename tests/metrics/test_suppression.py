"""Small-cell suppression as a tool (primary, complementary, a property test that no withheld count can be
recovered from the margins), and the metrics' rule: figures computed from published rows are not withheld."""


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


def test_small_counts_are_published_as_the_rows_give_them(pick):
    """The metrics are computed from published rows: a count of 2 is published (withholding it would protect
    nothing, docs/privacy.md), and no figure is flagged suppressed, whatever k."""
    cases = _cases(
        {(BODY, "pothole", "2025-04"): 10, (BODY, "weeding", "2025-04"): 2, (BODY, "drainage", "2025-04"): 4}
    )
    df = compute_metrics({"cases": cases}, municipalities(), AS_OF, k=3)
    assert pick(df, "requests_received", category="weeding")["value"] == 2
    assert pick(df, "requests_received", category="drainage")["value"] == 4
    assert pick(df, "requests_received")["value"] == 16
    assert not df["flags"].str.split().map(lambda f: "suppressed" in f).any()
    cases.loc[0, "status"] = "declined"
    cases.loc[0, "decline_reason"] = "budget"
    df = compute_metrics({"cases": cases}, municipalities(), AS_OF, k=3)
    row = pick(df, "decline_reason_share.budget")
    assert row["n"] == 1 and row["value"] == 1.0  # the one declined case, published


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
def test_property_published_counts_are_the_row_counts(counts):
    """Whatever the counts, each published count of cases received is the number of rows it counts."""
    if sum(counts.values()) == 0:
        return
    df = compute_metrics({"cases": _cases(counts)}, municipalities(), AS_OF, k=3)
    rows = df[(df["metric_id"] == "requests_received") & (df["scope"] == "body")
              & (df["period_type"] == "fiscal_year")]
    totals: dict[tuple[str, str, str], int] = {}
    for (body, category, month), number in counts.items():
        year, mon = int(month[:4]), int(month[5:7])
        key = (body, category, str(year if mon >= 4 else year - 1))
        totals[key] = totals.get(key, 0) + number
    for (body, category, year), number in totals.items():
        if not any(n for (b, _, _), n in counts.items() if b == body):
            continue  # a body without a case has no rows at all
        cell = rows[(rows["municipality_code"] == body) & (rows["category"] == category) & (rows["period"] == year)]
        assert cell["value"].tolist() == [number]
