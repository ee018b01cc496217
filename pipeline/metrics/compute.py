"""Published tables -> the long-format benchmark metrics table (one row per cell and metric)."""

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from ..wareki import fiscal_year
from .cases import backlog_series, case_series, export_lag
from .denominators import Reference
from .grid import CATEGORIES, CellValues, Grid, cells_frame, make_grid
from .inputs import code, day, first_referral, numbers, read_cases
from .money import money_series
from .registry import BY_ID, FLAGS, REGISTRY, Metric

COLUMNS = (
    "scope",
    "municipality_code",
    "category",
    "period_type",
    "period",
    "metric_id",
    "value",
    "lower",
    "upper",
    "n",
    "unreliable",
    "flags",
    "unit",
    "denominator_value",
    "denominator_year",
    "denominator_source",
)
CELL_FLAGS = ("no_data", "before_data_start", "data_start_in_period", "period_in_progress", "partial_coverage")
METRIC_ORDER = {m.id: i for i, m in enumerate(REGISTRY)}


def compute_metrics(
    tables: dict[str, pd.DataFrame],
    municipalities: pd.DataFrame,
    as_of: dt.date,
    data_since: dict[str, str] | None = None,
    min_n: int = 20,
    k: int = 3,
    yearly: pd.DataFrame | None = None,
    coverage: dict[str, tuple[str, ...]] | None = None,
    yearly_sources: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Published tables (cases, actions, contracts, work_orders) -> the metrics table, rows sorted.

    data_since: {municipality_code: ISO date}; cases before it are not counted and earlier periods are
    flagged before_data_start. min_n: below it a figure is unreliable and quantiles are withheld.
    k: the packages' anonymization k; no figure is withheld for it (each is computed from published rows).
    yearly: figures per municipality and fiscal year (reference.yearly_figures()), used before the single
    figures of `municipalities`; coverage: {body: municipalities its cases come from} (default: itself);
    yearly_sources: {figure: source text} of the yearly figures.
    """
    since = {str(c).zfill(6): v for c, v in (data_since or {}).items()}
    cases_frame = tables.get("cases", pd.DataFrame())
    contracts = tables.get("contracts", pd.DataFrame())
    work_orders = tables.get("work_orders", pd.DataFrame())
    cases = read_cases(cases_frame, since, as_of)
    referred = first_referral(tables.get("actions"))
    referral = np.array([referred.get(key, np.datetime64("NaT")) for key in cases.key], dtype="datetime64[D]")
    money_codes = set(code(contracts)) | set(code(work_orders))
    bodies = tuple(sorted(set(cases.code) | money_codes | set(since)))
    if not bodies:
        return empty_metrics()
    grid = _grid(bodies, cases.code, cases.requested, since, as_of, contracts)
    ref = Reference(municipalities, yearly, coverage, yearly_sources)
    cells = _mark_mid_period_start(cells_frame(grid, ref), grid, since)
    series = [
        *case_series(grid, cases, referral),
        *backlog_series(grid, cases),
        export_lag(grid, cases),
        *money_series(grid, contracts, work_orders),
        *context_series(grid),
    ]
    with_money = np.array([*(b in money_codes for b in bodies), True])
    frame = pd.concat([_rows(s, cells, grid, min_n, with_money) for s in series], ignore_index=True)
    # why: every figure here is computed from the published tables, so none is withheld: a withheld count
    # could be recounted from the rows (docs/privacy.md, "Disclosure consistency").
    return _finish(frame)


def empty_metrics() -> pd.DataFrame:
    """The metrics table with no rows, in its published column order and types."""
    return _finish(pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS}), empty=True)


def _grid(
    bodies: tuple[str, ...],
    codes: np.ndarray,
    requested: np.ndarray,
    since: dict[str, str],
    as_of: dt.date,
    contracts: pd.DataFrame,
) -> Grid:
    """The grid from the earliest data start (or contract year) to the as-of month."""
    first: dict[str, dt.date] = {}
    for b in bodies:
        mine = requested[codes == b]
        if b in since:
            first[b] = dt.date.fromisoformat(str(day(since[b])))
        elif len(mine):
            first[b] = dt.date.fromisoformat(str(mine.min()))
    grid = make_grid(bodies, first, as_of)
    years = numbers(contracts, "fiscal_year")
    years = years[~np.isnan(years) & (years <= fiscal_year(as_of))]
    if len(years) and int(years.min()) < grid.fy0:
        fy0 = int(years.min())
        grid = dataclasses.replace(grid, fy0=fy0, n_fy=fiscal_year(as_of) - fy0 + 1)
    return grid


def _mark_mid_period_start(cells: pd.DataFrame, grid: Grid, since: dict[str, str]) -> pd.DataFrame:
    """Flag data_start_in_period also where a data start date falls after the first day of its month."""
    starts = np.array(
        [day(since[b]) if b in since else np.datetime64("NaT") for b in grid.bodies] + ["NaT"], dtype="datetime64[D]"
    )
    first = grid.period_months()[0].astype("datetime64[M]").astype("datetime64[D]")
    start, p = starts[cells["b"].to_numpy()], cells["p"].to_numpy()
    inside = ~np.isnat(start) & (start > first[p]) & (start <= grid.period_ends()[p])
    return cells.assign(data_start_in_period=cells["data_start_in_period"].to_numpy() | inside)


def context_series(grid: Grid) -> list[CellValues]:
    """The reference figures shown beside a body's metrics (its road budget, its bridges)."""
    blank = np.full(grid.size, np.nan)
    return [CellValues(m.id, blank, blank, context=m.id) for m in REGISTRY if m.kind == "context"]


def _rows(s: CellValues, cells: pd.DataFrame, grid: Grid, min_n: int, with_money: np.ndarray) -> pd.DataFrame:
    """One series over the cells its metric is published for -> rows with flag columns."""
    metric = BY_ID[s.metric]
    sub = cells[_emitted(metric, cells, grid)]
    cell = sub["cell"].to_numpy()
    value, n = s.value[cell].astype("float64"), s.n[cell].astype("float64")
    lower = s.lower[cell] if s.lower is not None else np.full(len(cell), np.nan)
    upper = s.upper[cell] if s.upper is not None else np.full(len(cell), np.nan)
    flags = {name: np.zeros(len(cell), dtype=bool) for name in FLAGS}
    for name, mask in s.flags.items():
        flags[name] |= mask[cell]
    if s.per is not None:
        denominator = sub[s.per[0]].to_numpy(dtype="float64")
        missing = np.isnan(denominator)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(missing, np.nan, value / denominator * s.per[1])
        flags["missing_denominator"] = missing
    if s.context:
        value = sub[s.context].to_numpy(dtype="float64")
        flags["missing_denominator"] = np.isnan(value)
    if metric.source == "reference":
        flags["period_in_progress"] |= sub["period_in_progress"].to_numpy(dtype=bool)
        restricted = np.zeros(len(sub), dtype=bool)
    elif metric.source == "cases":
        for name in CELL_FLAGS:
            flags[name] |= sub[name].to_numpy(dtype=bool)
        restricted = flags["no_data"] | flags["before_data_start"]
    else:
        flags["period_in_progress"] |= sub["period_in_progress"].to_numpy(dtype=bool)
        restricted = ~with_money[sub["b"].to_numpy()]
        flags["no_data"] |= restricted
    value, lower, upper = (np.where(restricted, np.nan, a) for a in (value, lower, upper))
    n = np.where(restricted, 0.0, n)
    unreliable = n < min_n
    if metric.kind == "quantile":
        value, lower, upper = (np.where(unreliable, np.nan, a) for a in (value, lower, upper))
    flags["small_sample"] |= unreliable & ~restricted
    is_fy = sub["period"].to_numpy() == "FY"
    blank = np.full(len(sub), "", dtype=object)
    figure = metric.denominator
    out = pd.DataFrame(
        {
            "scope": sub["scope"].to_numpy(),
            "municipality_code": sub["municipality_code"].to_numpy(),
            "category": sub["category"].to_numpy(),
            "period_type": np.where(is_fy, "fiscal_year", "month"),
            "period": np.where(is_fy, sub["fiscal_year"].astype(str).to_numpy(), sub["period"].to_numpy()),
            "metric_id": f"{metric.id}.{s.dimension_value}" if s.dimension_value else metric.id,
            "value": value,
            "lower": lower,
            "upper": upper,
            "n": n,
            "unreliable": unreliable,
            "unit": metric.unit,
            "denominator_value": sub[figure].to_numpy(dtype="float64") if figure else np.full(len(sub), np.nan),
            "denominator_year": sub[f"{figure}_year"].to_numpy(dtype=object) if figure else blank,
            "denominator_source": sub[f"{figure}_source"].to_numpy(dtype=object) if figure else blank,
            "_metric": metric.id,
            "_dim": s.dimension_value,
            "_b": sub["b"].to_numpy(),
            "_c": sub["c"].to_numpy(),
            "_fy": sub["fiscal_year"].to_numpy(),
            "_end": grid.period_ends()[sub["p"].to_numpy()],
        }
    )
    for name, mask in flags.items():
        out[f"flag_{name}"] = mask
    return out


def _emitted(metric: Metric, cells: pd.DataFrame, grid: Grid) -> np.ndarray:
    """Which cells a metric is published for: by-category and monthly rows only where it has them."""
    is_fy = (cells["period"] == "FY").to_numpy()
    whole = (cells["c"] == 0).to_numpy()
    if metric.id == "export_lag_days":
        return whole & is_fy & (cells["p"] == grid.n_fy - 1).to_numpy()
    if metric.source != "cases":
        return whole & is_fy
    return (whole | metric.by_category) & (is_fy | metric.monthly)


def _finish(frame: pd.DataFrame, empty: bool = False) -> pd.DataFrame:
    """Flag columns -> the flags text; sort rows; keep the published columns with their types."""
    if not empty:
        flag_text = np.full(len(frame), "", dtype=object)
        for name in sorted(FLAGS):
            mask = frame[f"flag_{name}"].to_numpy(dtype=bool)
            flag_text = np.where(mask, flag_text + " " + name, flag_text)
        frame["flags"] = pd.Series(flag_text, index=frame.index).str.strip()
        order = np.lexsort(
            (
                frame["_dim"].to_numpy(dtype=str),
                frame["_metric"].map(METRIC_ORDER).to_numpy(),
                frame["period"].to_numpy(dtype=str),
                (frame["period_type"] == "month").to_numpy(),
                frame["_c"].to_numpy(),
                frame["municipality_code"].to_numpy(dtype=str),
                (frame["scope"] == "all").to_numpy(),
            )
        )
        frame = frame.iloc[order].reset_index(drop=True)
    out = frame[list(COLUMNS)].copy()
    for column in ("scope", "municipality_code", "category", "period_type", "period", "metric_id", "flags", "unit",
                   "denominator_year", "denominator_source"):
        out[column] = out[column].astype(object)
    for column in ("value", "lower", "upper", "denominator_value"):
        out[column] = out[column].astype("float64")
    out["n"] = pd.array(np.round(out["n"].to_numpy(dtype="float64")), dtype="Int64")
    out["unreliable"] = out["unreliable"].astype(bool)
    return out


def to_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Metrics table -> text cells as published: empty for missing, true/false, shortest float repr."""
    out = frame.copy()
    for column in ("value", "lower", "upper", "denominator_value"):
        out[column] = [("" if v != v else repr(float(v))) for v in out[column].to_numpy(dtype="float64")]
    out["n"] = out["n"].astype("string").fillna("").astype(object)
    out["unreliable"] = np.where(out["unreliable"].to_numpy(dtype=bool), "true", "false")
    return out


__all__ = ["CATEGORIES", "COLUMNS", "compute_metrics", "empty_metrics", "to_text"]
