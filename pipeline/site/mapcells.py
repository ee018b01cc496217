"""Cases counted per published mesh cell: what a body's map document and its map page show.

`cell_counts(cells)` gives, from the package's cases table (one case a row; the `case_cells` resource, the
same counts per fiscal year, cell and status, works too):
- `table`: one row per mesh cell with its counts per status, `total`, `level` and `code`, in cell order;
- `unlocated`: the number of cases without a published cell (counted in the map's note);
- `facts`: [cell index or -1, fiscal year, category, status index, count] rows, the counts behind the map by
  the filters its page offers.

A body's map document and its page are made from the same cases table, one after the other, so the counts
of the last table are kept and given again when the same table (the same object: the site's loaded tables
are not changed in place) comes back.
"""

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import schema

UNKNOWN_STATUS = "_unknown"
NO_LOCATION_LEVELS = ("municipality", "none")
_KEY = ["latitude", "longitude", "level"]


@dataclass(frozen=True)
class CellCounts:
    table: pd.DataFrame
    unlocated: int
    facts: list[list[Any]]


_LAST: list[tuple[pd.DataFrame, CellCounts]] = []


def status_codes() -> list[str]:
    """Status codes in schema order, then the bucket for values outside the schema."""
    return [*schema.enum("cases", "status"), UNKNOWN_STATUS]


def column(cases: pd.DataFrame, name: str) -> pd.Series:
    if name in cases.columns:
        return cases[name].astype("string")
    return pd.Series(pd.NA, index=cases.index, dtype="string")


def located(cases: pd.DataFrame) -> pd.Series:
    """Whether each row has a published cell centre."""
    return _located(pd.to_numeric(column(cases, "latitude"), errors="coerce"),
                    pd.to_numeric(column(cases, "longitude"), errors="coerce"), column(cases, "mesh_level"))


def _located(lat: pd.Series, lon: pd.Series, level: pd.Series) -> pd.Series:
    # why: a cell centre is published only for mesh-level rows; "municipality"/"none" rows, and rows
    # whose coordinates are empty or outside the schema's range, are counted in the note instead.
    withheld = level.isin(NO_LOCATION_LEVELS).fillna(False).astype(bool)
    return (lat.between(20, 46) & lon.between(122, 154) & ~withheld).fillna(False).astype(bool)


def count_cells(cells: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """cases, one a row (or case_cells) -> (one row per mesh cell with counts per status, `total`,
    `level` and `code`; the number of cases without a published cell)."""
    counts = cell_counts(cells)
    return counts.table, counts.unlocated


def cell_counts(cells: pd.DataFrame) -> CellCounts:
    """The table of cells, the cases without one and the counts by filter (see the module docstring)."""
    if _LAST and _LAST[0][0] is cells:
        return _LAST[0][1]
    counts = _count(cells)
    _LAST[:] = [(cells, counts)]
    return counts


def _count(cells: pd.DataFrame) -> CellCounts:
    statuses = status_codes()
    lat = pd.to_numeric(column(cells, "latitude"), errors="coerce")
    lon = pd.to_numeric(column(cells, "longitude"), errors="coerce")
    level = column(cells, "mesh_level")
    where = _located(lat, lon, level)
    status = column(cells, "status")
    status = status.where(status.isin(statuses[:-1]), UNKNOWN_STATUS).astype(str)
    weight = pd.to_numeric(column(cells, "cases"), errors="coerce").fillna(1).astype("int64") \
        if "cases" in cells.columns else pd.Series(1, index=cells.index, dtype="int64")
    keys = pd.DataFrame({"latitude": lat.round(6), "longitude": lon.round(6), "level": level.fillna("").astype(str)})
    frame = keys[where].assign(code=column(cells, "mesh_code").fillna("")[where].astype(str),
                               status=status[where], n=weight[where])
    table = _table(frame, statuses)
    return CellCounts(table, int(weight[~where].sum()), _facts(cells, keys, where, status, weight, table, statuses))


def _table(frame: pd.DataFrame, statuses: list[str]) -> pd.DataFrame:
    if frame.empty:
        out = pd.DataFrame(columns=[*_KEY, "code", *statuses, "total"])
    else:
        out = frame.groupby([*_KEY, "status"])["n"].sum().unstack("status", fill_value=0)
        out = out.reindex(columns=statuses, fill_value=0).reset_index()
        # the smallest mesh code of each cell (a cell's centre has one code; the smallest keeps it stable)
        codes = frame.sort_values("code", kind="stable").drop_duplicates(_KEY)[[*_KEY, "code"]]
        out = out.merge(codes, on=_KEY, how="left")
        out["total"] = out[statuses].sum(axis=1)
    return out.sort_values([*_KEY, "code"], kind="stable").reset_index(drop=True)


def _facts(cells: pd.DataFrame, keys: pd.DataFrame, where: pd.Series, status: pd.Series, weight: pd.Series,
           table: pd.DataFrame, statuses: list[str]) -> list[list[Any]]:
    index = {key: i for i, key in enumerate(zip(table["latitude"].tolist(), table["longitude"].tolist(),
                                                 table["level"].tolist(), strict=True))}
    cell = [index.get(key, -1) if ok else -1 for key, ok in
            zip(zip(keys["latitude"].tolist(), keys["longitude"].tolist(), keys["level"].tolist(), strict=True),
                where.tolist(), strict=True)]
    year = column(cells, "fiscal_year").fillna("").astype(str)
    category = column(cells, "category").fillna("").astype(str)
    frame = pd.DataFrame({"cell": cell, "year": year.where(year.str.isdigit(), ""),
                          "category": category.where(category.isin(schema.enum("cases", "category")), ""),
                          "status": status.map({s: i for i, s in enumerate(statuses)}).astype("int64"),
                          "n": weight})
    grouped = frame.groupby(["cell", "year", "category", "status"], as_index=False)["n"].sum()
    return [[int(c), y, k, int(s), int(n)] for c, y, k, s, n in grouped.itertuples(index=False, name=None)]
