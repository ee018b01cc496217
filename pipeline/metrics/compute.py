"""Published tables -> the long-format benchmark metrics table (one row per cell and metric)."""

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..wareki import fiscal_year
from .cases import backlog_series, case_series, export_lag
from .denominators import Reference
from .grid import CATEGORIES, CellValues, Grid, cells_frame, make_grid
from .inputs import Cases, code, day, first_referral, join_cases, numbers, read_cases
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


@dataclass(frozen=True)
class Inputs:
    """The published tables as the metrics read them: counted cases, their referral dates, the money tables."""

    cases: Cases
    referral: np.ndarray
    contracts: pd.DataFrame
    work_orders: pd.DataFrame
    since: dict[str, str]
    money_codes: frozenset[str]

    @property
    def bodies(self) -> tuple[str, ...]:
        """Every body with a case, a contract, a work order or a data start."""
        return tuple(sorted(set(self.cases.code) | self.money_codes | set(self.since)))


def read_inputs(tables: dict[str, pd.DataFrame], data_since: dict[str, str] | None, as_of: dt.date) -> Inputs:
    """Published tables (cases, actions, contracts, work_orders) -> Inputs; codes of data_since zero-padded."""
    since = padded(data_since)
    contracts = tables.get("contracts", pd.DataFrame())
    work_orders = tables.get("work_orders", pd.DataFrame())
    cases = read_cases(tables.get("cases", pd.DataFrame()), since, as_of)
    referral = _referral_dates(cases, first_referral(tables.get("actions")))
    money_codes = frozenset(code(contracts)) | frozenset(code(work_orders))
    return Inputs(cases, referral, contracts, work_orders, since, money_codes)


def padded(data_since: dict[str, str] | None) -> dict[str, str]:
    """Data starts by zero-padded municipality code."""
    return {str(c).zfill(6): v for c, v in (data_since or {}).items()}


def _referral_dates(cases: Cases, referred: dict[str, np.datetime64]) -> np.ndarray:
    """Each case's first referral date (NaT where none), looked up by its key in one vectorized pass."""
    referral = np.full(len(cases), np.datetime64("NaT"), dtype="datetime64[D]")
    if not referred or cases.key is None or not len(cases.key):
        return referral
    where = pd.Index(list(referred), dtype=object).get_indexer(pd.Index(cases.key, dtype=object))
    dates = np.array(list(referred.values()), dtype="datetime64[D]")
    found = where >= 0
    referral[found] = dates[where[found]]
    return referral


def join_inputs(parts: list[tuple[Cases, np.ndarray]], since: dict[str, str], contracts: pd.DataFrame,
                work_orders: pd.DataFrame) -> Inputs:
    """The cases and referral dates of several bodies (each as read_inputs reads its own cases and actions, with
    these data starts) as one Inputs, with every body's money tables; what read_inputs gives for all their tables
    together where no two bodies share a code."""
    cases = join_cases([p for p, _ in parts])
    referral = np.concatenate([r for _, r in parts]).astype("datetime64[D]")
    money_codes = frozenset(code(contracts)) | frozenset(code(work_orders))
    return Inputs(cases, referral, contracts, work_orders, padded(since), money_codes)


def compute_metrics(
    tables: dict[str, pd.DataFrame],
    municipalities: pd.DataFrame,
    as_of: dt.date,
    data_since: dict[str, str] | None = None,
    min_n: int | None = None,
    k: int = 3,
    yearly: pd.DataFrame | None = None,
    coverage: dict[str, tuple[str, ...]] | None = None,
    yearly_sources: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Published tables (cases, actions, contracts, work_orders) -> the metrics table, rows sorted.

    data_since: {municipality_code: ISO date}; cases before it are not counted and earlier periods are
    flagged before_data_start. min_n: below it a figure is unreliable and quantiles are withheld (default:
    each metric's own min_n, pipeline/metrics/definitions/*.toml).
    k: the packages' anonymization k; no figure is withheld for it (each is computed from published rows).
    yearly: figures per municipality and fiscal year (reference.yearly_figures()), used before the single
    figures of `municipalities`; coverage: {body: municipalities its cases come from} (default: itself);
    yearly_sources: {figure: source text} of the yearly figures.
    """
    inputs = read_inputs(tables, data_since, as_of)
    if not inputs.bodies:
        return empty_metrics()
    grid = table_grid(inputs, as_of)
    ref = Reference(municipalities, yearly, coverage, yearly_sources)
    # why: every figure here is computed from the published tables, so none is withheld: a withheld count
    # could be recounted from the rows (docs/privacy.md, "Disclosure consistency").
    return finish(table_rows(inputs, grid, ref, min_n))


def table_rows(inputs: Inputs, grid: Grid, ref: Reference, min_n: int | None,
               targets: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every metric over the cells the grid emits, as rows with flag columns (before finish())."""
    cells = _mark_mid_period_start(cells_frame(grid, ref), grid, inputs.since)
    cases = inputs.cases
    series = [
        *case_series(grid, cases, inputs.referral, targets),
        *backlog_series(grid, cases),
        export_lag(grid, cases),
        *money_series(grid, inputs.contracts, inputs.work_orders),
        *context_series(grid),
    ]
    with_money = np.array([*(b in inputs.money_codes for b in grid.bodies), True])
    emitted = _Emitted(cells, grid)
    parts = [_rows(s, emitted.cells(BY_ID[s.metric]), min_n, with_money) for s in series]
    return pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in COLUMNS})


class _Emitted:
    """The cells a metric is published for, as numpy columns, worked out once per kind of metric (about 80
    series share four kinds), with their period labels: one text object per row shared by every series."""

    def __init__(self, cells: pd.DataFrame, grid: Grid) -> None:
        self.columns = {name: cells[name].to_numpy() for name in cells.columns}
        self.grid = grid
        self._kinds: dict[tuple[bool, bool, bool, bool], dict[str, np.ndarray]] = {}

    def cells(self, metric: Metric) -> dict[str, np.ndarray]:
        kind = (metric.id == "export_lag_days", metric.source != "cases", metric.by_category, metric.monthly)
        if kind not in self._kinds:
            keep = _emitted(metric, self.columns, self.grid)
            sub = {name: column[keep] for name, column in self.columns.items()}
            is_fy = sub["period"] == "FY"
            sub["period_type"] = np.where(is_fy, "fiscal_year", "month").astype(object)
            sub["period_label"] = np.where(is_fy, sub["fiscal_year"].astype(str), sub["period"]).astype(object)
            self._kinds[kind] = sub
        return self._kinds[kind]


def empty_metrics() -> pd.DataFrame:
    """The metrics table with no rows, in its published column order and types."""
    return typed(pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS}))


def table_grid(inputs: Inputs, as_of: dt.date) -> Grid:
    """The grid of every body, from the earliest data start (or contract year) to the as-of month."""
    bodies, since, contracts = inputs.bodies, inputs.since, inputs.contracts
    codes, requested = inputs.cases.code, inputs.cases.requested
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


def _rows(s: CellValues, sub: dict[str, np.ndarray], min_n: int | None,
          with_money: np.ndarray) -> dict[str, np.ndarray]:
    """One series over the cells its metric is published for (sub) -> its rows' columns (flags as text)."""
    metric = BY_ID[s.metric]
    cell = sub["cell"]
    value, n = s.value[cell].astype("float64"), s.n[cell].astype("float64")
    lower = s.lower[cell] if s.lower is not None else np.full(len(cell), np.nan)
    upper = s.upper[cell] if s.upper is not None else np.full(len(cell), np.nan)
    flags = {name: np.zeros(len(cell), dtype=bool) for name in FLAGS}
    for name, mask in s.flags.items():
        flags[name] |= mask[cell]
    value = _per_denominator(s, sub, value, flags)
    restricted = _restricted(metric, sub, flags, with_money)
    value, lower, upper = (np.where(restricted, np.nan, a) for a in (value, lower, upper))
    n = np.where(restricted, 0.0, n)
    unreliable = n < (metric.min_n if min_n is None else min_n)
    if metric.kind == "quantile":
        value, lower, upper = (np.where(unreliable, np.nan, a) for a in (value, lower, upper))
    flags["small_sample"] |= unreliable & ~restricted
    figures = {"value": value, "lower": lower, "upper": upper, "n": n, "unreliable": unreliable}
    return {**_labels(metric, s, sub), **figures, **_denominator_columns(metric.denominator, sub),
            "flags": flag_text(flags)}


def flag_text(flags: dict[str, np.ndarray]) -> np.ndarray:
    """Flag masks -> each row's flag codes, space-separated in alphabetical order ('' for none)."""
    names = sorted(flags)
    stacked = np.stack([flags[name] for name in names], axis=1)
    if not len(stacked):
        return np.array([], dtype=object)
    combinations, which = np.unique(stacked, axis=0, return_inverse=True)
    texts = [" ".join(name for name, on in zip(names, row, strict=True) if on) for row in combinations]
    out: np.ndarray = np.array(texts, dtype=object)[which.reshape(-1)]
    return out


def _per_denominator(s: CellValues, sub: dict[str, np.ndarray], value: np.ndarray,
                     flags: dict[str, np.ndarray]) -> np.ndarray:
    """A rate divided by its cell's denominator, or a context figure's own value; flags a missing one."""
    if s.per is not None:
        denominator = sub[s.per[0]].astype("float64")
        missing = np.isnan(denominator)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(missing, np.nan, value / denominator * s.per[1])
        flags["missing_denominator"] = missing
    if s.context:
        value = sub[s.context].astype("float64")
        flags["missing_denominator"] = np.isnan(value)
    return value


def _restricted(metric: Metric, sub: dict[str, np.ndarray], flags: dict[str, np.ndarray],
                with_money: np.ndarray) -> np.ndarray:
    """Cells without data for the metric's source (no figure, n = 0); sets the cell flags that apply."""
    if metric.source == "reference":
        flags["period_in_progress"] |= sub["period_in_progress"].astype(bool)
        return np.zeros(len(sub["cell"]), dtype=bool)
    if metric.source == "cases":
        for name in CELL_FLAGS:
            flags[name] |= sub[name].astype(bool)
        withheld: np.ndarray = flags["no_data"] | flags["before_data_start"]
        return withheld
    flags["period_in_progress"] |= sub["period_in_progress"].astype(bool)
    restricted: np.ndarray = ~with_money[sub["b"]]
    flags["no_data"] |= restricted
    return restricted


def _labels(metric: Metric, s: CellValues, sub: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The label columns of a series' rows: scope, body, category, period, metric and unit."""
    metric_id = f"{metric.id}.{s.dimension_value}" if s.dimension_value else metric.id
    rows = len(sub["cell"])
    return {
        "scope": sub["scope"].astype(object),
        "municipality_code": sub["municipality_code"].astype(object),
        "category": sub["category"].astype(object),
        "period_type": sub["period_type"],
        "period": sub["period_label"],
        "metric_id": np.full(rows, metric_id, dtype=object),
        "unit": np.full(rows, metric.unit, dtype=object),
    }


def _denominator_columns(figure: str, sub: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The denominator's value, year and source of every row (NaN and '' where the metric has none)."""
    rows = len(sub["cell"])
    if not figure:
        blank = np.full(rows, "", dtype=object)
        return {"denominator_value": np.full(rows, np.nan), "denominator_year": blank,
                "denominator_source": blank}
    return {"denominator_value": sub[figure].astype("float64"),
            "denominator_year": sub[f"{figure}_year"].astype(object),
            "denominator_source": sub[f"{figure}_source"].astype(object)}


def _emitted(metric: Metric, cells: dict[str, np.ndarray], grid: Grid) -> np.ndarray:
    """Which cells a metric is published for: by-category and monthly rows only where it has them."""
    is_fy: np.ndarray = cells["period"] == "FY"
    whole: np.ndarray = cells["c"] == 0
    if metric.id == "export_lag_days":
        result: np.ndarray = whole & is_fy & (cells["p"] == grid.n_fy - 1)
        return result
    if metric.source != "cases":
        fiscal_whole: np.ndarray = whole & is_fy
        return fiscal_whole
    emitted: np.ndarray = (whole | metric.by_category) & (is_fy | metric.monthly)
    return emitted


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as table_rows() gives them -> the published columns in their types, rows sorted."""
    return sort_rows(typed(frame))


def sort_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in published order: bodies before all bodies, then code, category, years before months, period,
    metric in definition order and dimension value. The primary key decides, so any input order gives one."""
    metric_id = frame["metric_id"].to_numpy(dtype=str)
    parts = np.char.partition(metric_id, ".")
    category = {c: i for i, c in enumerate(CATEGORIES)}
    order = np.lexsort(
        (
            parts[:, 2],
            pd.Series(parts[:, 0]).map(METRIC_ORDER).to_numpy(),
            frame["period"].to_numpy(dtype=str),
            (frame["period_type"] == "month").to_numpy(),
            frame["category"].map(category).to_numpy(),
            frame["municipality_code"].to_numpy(dtype=str),
            (frame["scope"] == "all").to_numpy(),
        )
    )
    ordered: pd.DataFrame = frame.iloc[order].reset_index(drop=True)
    return ordered


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The published columns in their order and types (text as object, figures float64, n Int64)."""
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
