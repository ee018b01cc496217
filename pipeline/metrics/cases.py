"""Metrics over resident cases: counts, shares, times and backlog, for every cell of the grid."""

import datetime as dt

import numpy as np
import pandas as pd

from .. import schema
from .grid import CATEGORIES, CellValues, Grid, fy_of_month, month_index
from .inputs import Cases
from .stats import counts, quantiles, wilson
from .workdays import business_days, calendar_days

# why: a body that records most cases as closed on the day received probably enters them after the
# work is done, so its time metrics say little about how fast it responds.
SAME_DAY_SHARE = 0.5
NEEDS_COMPLETING = ("completed", "received", "in_progress")
OPEN_STATUSES = ("received", "in_progress")
CLOSED_STATUSES = ("completed", "declined", "referred", "monitoring")
LOCATED_MESH = ("quarter", "half", "standard")
QS = (0.5, 0.9)


class CaseCells:
    """Each case expanded to the cells it counts in: its body and all bodies, its fiscal year and month,
    its category and 'all' (up to 8 cells per case)."""

    def __init__(self, grid: Grid, cases: Cases) -> None:
        self.grid = grid
        self.cases = cases
        self.size = grid.size
        body = np.searchsorted(np.array(grid.bodies, dtype=object), cases.code)
        months = month_index(cases.requested)
        periods = (grid.fy_period(fy_of_month(months)), grid.month_period(months))
        index = {c: i for i, c in enumerate(CATEGORIES)}
        category = np.array([index.get(c, -1) for c in cases.category], dtype="int64")
        category[category == 0] = -1
        parts_cell, parts_case = [], []
        everyone = np.arange(len(cases))
        for b in grid.scopes(body):
            for p in periods:
                for c, valid in ((category, category > 0), (np.zeros(len(cases), dtype="int64"), None)):
                    keep = everyone if valid is None else everyone[valid]
                    parts_cell.append(grid.cell(b[keep], p[keep], c[keep]))
                    parts_case.append(keep)
        self.cell = np.concatenate(parts_cell) if parts_cell else np.array([], dtype="int64")
        self.case = np.concatenate(parts_case) if parts_case else np.array([], dtype="int64")

    def count(self, mask: np.ndarray) -> np.ndarray:
        """Cases where mask holds, per cell."""
        return counts(self.cell[mask[self.case]], self.size)

    def share(self, metric: str, hit: np.ndarray, base: np.ndarray, dim: str = "") -> CellValues:
        """Share of base cases where hit holds, with its Wilson interval."""
        x, n = self.count(hit & base), self.count(base)
        p, lower, upper = wilson(x, n)
        return CellValues(metric, p, n, lower, upper, dimension_value=dim)

    def quantile_pair(self, metric: str, values: np.ndarray, mask: np.ndarray) -> list[CellValues]:
        """Median and 90th percentile of values over the masked cases, per cell."""
        keep = mask[self.case] & ~np.isnan(values[self.case])
        qs = quantiles(self.cell[keep], values[self.case][keep], self.size, QS)
        return [
            CellValues(f"{metric}_{suffix}", q.value, q.n, q.lower, q.upper)
            for suffix, q in zip(("median", "p90"), qs, strict=True)
        ]


def case_series(grid: Grid, cases: Cases, referral: np.ndarray,
                targets: tuple[str, ...] | None = None) -> list[CellValues]:
    """Every case-based metric (except the backlog and the export lag) over all cells.

    referral: per case, the date of its first 'referred' step (NaT where none). targets: the receiving bodies
    the referral flows have rows for (default: those these cases were referred to).
    """
    cc = CaseCells(grid, cases)
    everyone = np.ones(len(cases), dtype=bool)
    status = cases.status
    received = cc.count(everyone)
    out = [CellValues("requests_received", received.copy(), received)]
    for metric, per in (
        ("requests_per_10k_residents", ("population", 10_000.0)),
        ("requests_per_100km_road", ("road_km", 100.0)),
        ("requests_per_civil_engineer", ("civil_engineers", 1.0)),
    ):
        out.append(CellValues(metric, received.copy(), received, per=per))
    for channel in schema.enum("cases", "channel"):
        out.append(cc.share("channel_share", cases.channel == channel, everyone, dim=channel))
    out.append(cc.share("completed_share", status == "completed", everyone))
    out += _times(cc, cases)
    out += _completion_shares(cc, cases, grid.as_of)
    declined = status == "declined"
    out.append(cc.share("declined_share", declined, everyone))
    for reason in schema.enum("cases", "decline_reason"):
        out.append(cc.share("decline_reason_share", cases.decline_reason == reason, declined, dim=reason))
    referred = status == "referred"
    out.append(cc.share("referred_share", referred, everyone))
    when = np.where(np.isnat(referral), cases.closed, referral)
    lost = calendar_days(cases.requested, when)
    bad = referred & (lost < 0)
    for s in cc.quantile_pair("days_to_referral", np.where(bad, np.nan, lost), referred):
        s.flags["inconsistent_dates_excluded"] = cc.count(bad) > 0
        out.append(s)
    out += _referral_flows(cc, cases, referred, np.where(bad, np.nan, lost), targets)
    out.append(cc.share("reopened_share", cases.reopened, everyone))
    out.append(cc.share("duplicate_share", cases.duplicate, everyone))
    out += _completeness(cc, cases)
    return out


def referral_targets(cases: Cases) -> np.ndarray:
    """Where each case was referred: the receiving body's code where recorded, else the kind of administrator
    (referred_to), else 'unknown'."""
    n = len(cases)
    codes = cases.referred_to_code if cases.referred_to_code is not None else np.full(n, "", dtype=object)
    kinds = cases.referred_to if cases.referred_to is not None else np.full(n, "", dtype=object)
    is_code = np.array([len(c) == 6 and c.isdigit() for c in codes], dtype=bool)
    return np.where(is_code, codes, np.where(kinds != "", kinds, "unknown")).astype(object)


def flow_targets(cases: Cases) -> tuple[str, ...]:
    """The receiving bodies (or kinds of administrator) the referred cases went to, sorted."""
    return tuple(sorted(set(referral_targets(cases)[cases.status == "referred"])))


def _referral_flows(cc: CaseCells, cases: Cases, referred: np.ndarray, lost: np.ndarray,
                    among: tuple[str, ...] | None) -> list[CellValues]:
    """Referred cases and the median days to referral, per receiving body: the flow table's cells."""
    targets = referral_targets(cases)
    out = []
    for target in flow_targets(cases) if among is None else among:
        hit = referred & (targets == target)
        n = cc.count(hit)
        out.append(CellValues("referrals_to", n.copy(), n, dimension_value=target))
        keep = hit[cc.case] & ~np.isnan(lost[cc.case])
        q = quantiles(cc.cell[keep], lost[cc.case][keep], cc.size, (0.5,))[0]
        out.append(CellValues("referral_days_median_to", q.value, q.n, q.lower, q.upper, dimension_value=target))
    return out


def _times(cc: CaseCells, cases: Cases) -> list[CellValues]:
    completed = cases.status == "completed"
    has_first = ~np.isnat(cases.first_response)
    out = []
    same_day = completed & (cases.closed == cases.requested)
    share_same = wilson(cc.count(same_day), cc.count(completed & ~np.isnat(cases.closed)))[0]
    many_same_day = share_same >= SAME_DAY_SHARE
    for name, end, mask in (
        ("days_to_first_response", cases.first_response, has_first),
        ("days_to_completion", cases.closed, completed),
    ):
        calendar = calendar_days(cases.requested, end)
        bad = mask & (calendar < 0)
        inconsistent = cc.count(bad) > 0
        for prefix, days in (("", calendar), ("business_", business_days(cases.requested, end))):
            for s in cc.quantile_pair(f"{prefix}{name}", np.where(bad, np.nan, days), mask & ~bad):
                s.flags["inconsistent_dates_excluded"] = inconsistent
                if name == "days_to_completion":
                    s.flags["same_day_closures"] = many_same_day
                out.append(s)
    s = cc.share("same_day_closure_share", same_day, completed & ~np.isnat(cases.closed))
    s.flags["same_day_closures"] = many_same_day
    return [*out, s]


def _completion_shares(cc: CaseCells, cases: Cases, as_of: dt.date) -> list[CellValues]:
    out = []
    needs = np.isin(cases.status, NEEDS_COMPLETING)
    age = calendar_days(cases.requested, np.full(len(cases), np.datetime64(as_of, "D")))
    took = calendar_days(cases.requested, cases.closed)
    # why: a case completed on an unknown date may or may not have been done within the days; it is left out
    undated = (cases.status == "completed") & np.isnat(cases.closed)
    for days in (7, 30):
        base = needs & (age >= days) & ~undated
        hit = (cases.status == "completed") & (took >= 0) & (took <= days)
        out.append(cc.share(f"completed_within_{days}_days_share", hit, base))
    return out


def _completeness(cc: CaseCells, cases: Cases) -> list[CellValues]:
    everyone = np.ones(len(cases), dtype=bool)
    status = cases.status
    has_first = ~np.isnat(cases.first_response)
    has_closed = ~np.isnat(cases.closed)
    past_received = status != "received"
    closed = np.isin(status, CLOSED_STATUSES)
    milestones = (~past_received | has_first) & (~closed | has_closed)
    return [
        cc.share("category_known_share", (cases.category != "other") & (cases.category != ""), everyone),
        cc.share("location_known_share", np.isin(cases.mesh_level, LOCATED_MESH), everyone),
        cc.share("first_response_recorded_share", has_first, past_received),
        cc.share("closed_date_recorded_share", has_closed, closed),
        cc.share("milestones_complete_share", milestones, everyone),
    ]


def backlog_series(grid: Grid, cases: Cases) -> list[CellValues]:
    """Open backlog at every period end (the as-of date for the current period) and its median age."""
    status = cases.status
    open_now = np.isin(status, OPEN_STATUSES)
    # why: a closed case without a closing date cannot be placed in time; it is left out, not counted open.
    eligible = ~np.isnat(cases.closed) | open_now
    eligible &= np.isnat(cases.closed) | (cases.closed >= cases.requested)
    ends = grid.period_ends()
    body = np.searchsorted(np.array(grid.bodies, dtype=object), cases.code)
    index = {c: i for i, c in enumerate(CATEGORIES)}
    category = np.array([index.get(c, -1) for c in cases.category], dtype="int64")
    pair_case, pair_period = [], []
    for offset, block in ((0, ends[: grid.n_fy]), (grid.n_fy, ends[grid.n_fy :])):
        lo = np.searchsorted(block, cases.requested, side="left")
        far = np.datetime64("9999-12-31", "D")
        hi = np.searchsorted(block, np.where(np.isnat(cases.closed), far, cases.closed), side="left")
        length = np.where(eligible, np.maximum(hi - lo, 0), 0)
        idx = np.repeat(np.arange(len(cases)), length)
        within = np.arange(len(idx)) - np.repeat(np.cumsum(length) - length, length)
        pair_case.append(idx)
        pair_period.append(offset + lo[idx] + within)
    case = np.concatenate(pair_case)
    period = np.concatenate(pair_period)
    age = (ends[period] - cases.requested[case]).astype("float64")
    cells, ages = [], []
    for b in grid.scopes(body[case]):
        for c, valid in ((category[case], category[case] > 0), (np.zeros(len(case), dtype="int64"), None)):
            keep = np.ones(len(case), dtype=bool) if valid is None else valid
            cells.append(grid.cell(b[keep], period[keep], c[keep]))
            ages.append(age[keep])
    cell = np.concatenate(cells)
    age_all = np.concatenate(ages)
    n = counts(cell, grid.size)
    median = quantiles(cell, age_all, grid.size, (0.5,))[0]
    return [
        CellValues("open_backlog", n.copy(), n),
        CellValues("open_backlog_age_median", median.value, median.n, median.lower, median.upper),
    ]


def export_lag(grid: Grid, cases: Cases) -> CellValues:
    """Days from each body's latest date received to the as-of date, in the as-of fiscal year's cell."""
    nb = len(grid.bodies)
    value, n = np.full(grid.size, np.nan), np.zeros(grid.size)
    body = np.searchsorted(np.array(grid.bodies, dtype=object), cases.code)
    p = grid.n_fy - 1
    if not len(cases):
        return CellValues("export_lag_days", value, n)
    # why: one grouped maximum, not a pass over every case per body (1,741 bodies nationally)
    latest = pd.Series(cases.requested.astype("int64")).groupby(body).max()
    latest = latest[latest.index < nb]
    if not len(latest):
        return CellValues("export_lag_days", value, n)
    per_body = np.bincount(body, minlength=nb)
    lags = float(np.datetime64(grid.as_of, "D").astype("int64")) - latest.to_numpy(dtype="float64")
    if grid.body_cells:
        for b, lag in zip(latest.index.to_numpy(), lags, strict=True):
            value[grid.cell(b, p, 0)] = lag
            n[grid.cell(b, p, 0)] = per_body[b]
    value[grid.cell(nb, p, 0)] = lags.max()
    n[grid.cell(nb, p, 0)] = len(cases)
    return CellValues("export_lag_days", value, n)
