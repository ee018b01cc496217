"""The cells metrics are computed for: body (or all bodies) × period (fiscal year or month) × category."""

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import schema
from ..wareki import fiscal_year
from .denominators import FIGURES, Reference, all_bodies_figure, body_figure

CATEGORIES: tuple[str, ...] = ("all", *schema.enum("cases", "category"))
DENOMINATORS = FIGURES


def month_index(dates: np.ndarray) -> np.ndarray:
    """datetime64[D] -> months since 1970-01 (int64); NaT gives a meaningless value, mask it first."""
    return dates.astype("datetime64[M]").astype("int64")


def fy_of_month(months: np.ndarray) -> np.ndarray:
    """Months since 1970-01 -> fiscal year (April to March)."""
    return (months - 3) // 12 + 1970


def _month_of(date: dt.date) -> int:
    return (date.year - 1970) * 12 + date.month - 1


@dataclass(frozen=True)
class Grid:
    """Index arithmetic for cells; body index len(bodies) stands for all bodies together."""

    bodies: tuple[str, ...]
    starts: np.ndarray  # first month with a case per body (months since 1970-01), -1 if none
    fy0: int
    n_fy: int
    m0: int
    n_m: int
    as_of: dt.date
    # why: the per-body pass emits only its bodies' cells and the all-bodies pass only the all-bodies cells
    body_cells: bool = True
    all_cells: bool = True

    @property
    def n_periods(self) -> int:
        return self.n_fy + self.n_m

    @property
    def size(self) -> int:
        """The number of cell ids. A grid that emits the all-bodies cells only numbers those alone, so the
        arrays of its metrics do not grow with the bodies (1,741 bodies: 1,742 times smaller)."""
        return (len(self.bodies) + 1 if self.body_cells else 1) * self.n_periods * len(CATEGORIES)

    def cell(self, b: np.ndarray | int, p: np.ndarray | int, c: np.ndarray | int) -> np.ndarray:
        """(body, period, category) indices -> cell ids (every body index gives the all-bodies cell in a grid
        that emits those only)."""
        if not self.body_cells:
            return np.asarray(np.asarray(p) * len(CATEGORIES) + c, dtype="int64")
        return np.asarray((np.asarray(b) * self.n_periods + p) * len(CATEGORIES) + c, dtype="int64")

    def scopes(self, body: np.ndarray) -> list[np.ndarray]:
        """The body indices each row counts under: its own body and/or all bodies, as this grid emits them."""
        out = [body] if self.body_cells else []
        return [*out, np.full(len(body), len(self.bodies))] if self.all_cells else out

    def only_all(self) -> "Grid":
        """This grid emitting the all-bodies cells only."""
        return dataclasses.replace(self, body_cells=False)

    def for_bodies(self, bodies: tuple[str, ...]) -> "Grid":
        """The same periods for some of the bodies, emitting their own cells only (not all bodies)."""
        index = {b: i for i, b in enumerate(self.bodies)}
        starts = np.array([self.starts[index[b]] for b in bodies], dtype="int64")
        return dataclasses.replace(self, bodies=bodies, starts=starts, all_cells=False)

    def fy_period(self, fy: np.ndarray) -> np.ndarray:
        return np.asarray(fy - self.fy0, dtype="int64")

    def month_period(self, months: np.ndarray) -> np.ndarray:
        return np.asarray(self.n_fy + months - self.m0, dtype="int64")

    def period_months(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last month (months since 1970-01) of every period."""
        fy_first = (np.arange(self.n_fy) + self.fy0 - 1970) * 12 + 3
        m_first = np.arange(self.n_m) + self.m0
        return np.concatenate([fy_first, m_first]), np.concatenate([fy_first + 11, m_first])

    def period_ends(self) -> np.ndarray:
        """Last day of every period, capped at the as-of date, as datetime64[D]."""
        last = self.period_months()[1]
        ends = (last + 1).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
        return np.minimum(ends, np.datetime64(self.as_of, "D"))


def make_grid(bodies: tuple[str, ...], first_case: dict[str, dt.date], as_of: dt.date) -> Grid:
    """Bodies and each one's first case date -> the grid from the earliest data month to the as-of month."""
    m_asof = _month_of(as_of)
    starts = np.array([_month_of(first_case[b]) if b in first_case else -1 for b in bodies], dtype="int64")
    m0 = int(starts[starts >= 0].min()) if (starts >= 0).any() else m_asof
    fy0 = int(fy_of_month(np.array([m0]))[0])
    return Grid(bodies, starts, fy0, fiscal_year(as_of) - fy0 + 1, m0, m_asof - m0 + 1, as_of)


def cells_frame(grid: Grid, reference: Reference) -> pd.DataFrame:
    """One row per emitted cell, with its labels, cell-level flags and denominators (value, year, source).

    Bodies get fiscal-year cells from the first data year on (category 'all' only before their own data
    start, flagged) and month cells from their first data month; all bodies together get every period.
    """
    nb, n_p, nc = len(grid.bodies), grid.n_periods, len(CATEGORIES)
    b, p, c = (a.ravel() for a in np.meshgrid(np.arange(nb + 1), np.arange(n_p), np.arange(nc), indexing="ij"))
    first, last = grid.period_months()
    is_fy = p < grid.n_fy
    is_all = b == nb
    start = np.append(grid.starts, -1)[b]
    no_data = ~is_all & (start < 0)
    before = ~is_all & ~no_data & (last[p] < start)
    # why: before a body's data start there is nothing to compare, so one flagged row per year is enough.
    restricted = no_data | before
    keep = (is_fy | (c == 0)) & (~restricted | (is_fy & (c == 0)))
    keep &= np.where(is_all, grid.all_cells, grid.body_cells)
    b, p, c, is_fy, is_all, start, no_data, before = (a[keep] for a in (b, p, c, is_fy, is_all, start, no_data, before))
    starts = grid.starts
    late = (starts[None, :] < 0) | (starts[None, :] > first[:, None])
    out = pd.DataFrame(
        {
            "cell": grid.cell(b, p, c),
            "b": b,
            "p": p,
            "c": c,
            "scope": np.where(is_all, "all", "body"),
            "municipality_code": np.array([*grid.bodies, ""], dtype=object)[b],
            "fiscal_year": np.where(is_fy, grid.fy0 + p, fy_of_month(first[p])),
            "period": np.where(is_fy, "FY", _month_labels(first)[p]),
            "category": np.array(CATEGORIES, dtype=object)[c],
            "no_data": no_data,
            "before_data_start": before,
            "data_start_in_period": ~is_all & ~no_data & ~before & (start > first[p]),
            "period_in_progress": grid.period_ends()[p] < _month_end(last[p]),
            "partial_coverage": is_all & late.any(axis=1)[p],
        }
    )
    for name, (values, years, sources) in _denominators(grid, reference).items():
        out[name] = values[b, p]
        out[f"{name}_year"] = years[b, p]
        out[f"{name}_source"] = sources[b, p]
    return out


def _month_labels(months: np.ndarray) -> np.ndarray:
    return np.array([f"{m // 12 + 1970:04d}-{m % 12 + 1:02d}" for m in months], dtype=object)


def _month_end(months: np.ndarray) -> np.ndarray:
    return (months + 1).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")


def _denominators(grid: Grid, reference: Reference) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """{figure: (value, year, source) arrays[body or all, period]}; a period uses its fiscal year's figures,
    and all bodies add up those with data by the period's end."""
    last = grid.period_months()[1]
    fy = np.concatenate([grid.fy0 + np.arange(grid.n_fy), fy_of_month(grid.period_months()[0][grid.n_fy:])])
    contributing = (grid.starts[None, :] >= 0) & (grid.starts[None, :] <= last[:, None])
    lookup = reference.lookup
    shape = (len(grid.bodies) + 1, grid.n_periods)
    out = {}
    for name in DENOMINATORS:
        value = np.full(shape, np.nan)
        year, source = np.full(shape, "", dtype=object), np.full(shape, "", dtype=object)
        by_year: dict[tuple[int, tuple[str, ...]], tuple[float, str, str]] = {}
        for p in range(grid.n_periods):
            year_p = int(fy[p])
            for b, body in enumerate(grid.bodies):
                value[b, p], year[b, p], source[b, p] = body_figure(reference, lookup, body, name, year_p)
            with_data = tuple(body for b, body in enumerate(grid.bodies) if contributing[p, b])
            key = (year_p, with_data)
            if key not in by_year:
                by_year[key] = all_bodies_figure(reference, lookup, list(with_data), name, year_p)
            value[-1, p], year[-1, p], source[-1, p] = by_year[key]
        out[name] = (value, year, source)
    return out


@dataclass
class CellValues:
    """One metric (and dimension value) over every cell id; the assembler keeps the cells it emits."""

    metric: str
    value: np.ndarray
    n: np.ndarray
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    dimension_value: str = ""
    # why: rates are divided by the cell's denominator only when the cells are known (assembler).
    per: tuple[str, float] | None = None
    flags: dict[str, np.ndarray] = field(default_factory=dict)
    where: np.ndarray | None = None
    # why: a context figure (the body's road-and-bridge budget, its bridges) is the cell's reference figure.
    context: str = ""
