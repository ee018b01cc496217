"""Metrics over contracts and work orders: spending, cost per job, contractors, competition, award ratio.

Spending follows the Open Contracting rule against double counting: what a unit-price contract spent is
the sum of its work orders, not its contract amount (an estimate at unit prices, which the orders can exceed).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema
from .grid import CellValues, Grid, fy_of_month, month_index
from .inputs import Columns
from .stats import counts, means, wilson

COMPETITIVE = ("open_tender", "designated_tender", "proposal")
PAID_BY_ORDER = ("unit_price", "per_job")


@dataclass(frozen=True)
class Items:
    """Amounts that count as spending, one per work order or (pro-rated) contract."""

    code: np.ndarray
    fiscal_year: np.ndarray
    contract_type: np.ndarray
    work_category: np.ndarray
    amount: np.ndarray


def _fy(frame: Columns, date_column: str) -> np.ndarray:
    """fiscal_year column, else the fiscal year of date_column; -1 where neither is known."""
    fy = frame.numbers("fiscal_year")
    when = frame.dates(date_column)
    from_date = np.where(np.isnat(when), -1, fy_of_month(month_index(when)))
    return np.where(np.isnan(fy), from_date, np.nan_to_num(fy, nan=-1)).astype("int64")


def contract_keys(contracts: Columns, work_orders: Columns) -> tuple[np.ndarray, np.ndarray]:
    """The contract each contract row and each work order names, (municipality code, contract_id), as one integer
    per pair that the two tables share (an equal pair gives an equal number, a different pair a different one)."""
    codes, _ = pd.factorize(np.concatenate([contracts.code(), work_orders.code()]), use_na_sentinel=False)
    ids, distinct = pd.factorize(np.concatenate([contracts.text("contract_id"), work_orders.text("contract_id")]),
                                 use_na_sentinel=False)
    pairs = codes.astype("int64") * max(len(distinct), 1) + ids
    return pairs[: len(contracts)], pairs[len(contracts):]


def order_types(contracts: Columns, keys: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The contract type of each work order's contract (the last listing of a repeated contract); None where
    its contract is not listed. keys: contract_keys() of the two tables."""
    types = pd.Series(contracts.text("contract_type"), index=keys[0], dtype=object)
    types = types[~types.index.duplicated(keep="last")]
    found: np.ndarray = types.reindex(keys[1]).to_numpy(dtype=object)
    found[pd.isna(found)] = None
    return found


def spending_items(contracts: Columns, work_orders: Columns, types: np.ndarray,
                   keys: tuple[np.ndarray, np.ndarray]) -> Items:
    """Contracts and work orders -> the amounts that count as spending, per fiscal year."""
    c_key, w_key = keys
    w_type = np.where(types == None, "unknown", types).astype(object)  # noqa: E711  # why: elementwise
    w_amount = work_orders.numbers("amount")
    live = work_orders.text("status") != "cancelled"
    # why: jobs under a lump-sum contract are already paid for by the contract amount.
    counted = live & ~np.isnan(w_amount) & (w_type != "lump_sum")
    parts = [
        Items(
            work_orders.code()[counted],
            _fy(work_orders, "order_date")[counted],
            w_type[counted],
            work_orders.text("work_category")[counted],
            w_amount[counted],
        )
    ]
    kind = contracts.text("contract_type")
    amount = contracts.numbers("contract_amount")
    fy = _fy(contracts, "start_date")
    per_job = (kind == "per_job") & ~np.isin(c_key, w_key[counted]) & ~np.isnan(amount)
    parts.append(
        Items(
            contracts.code()[per_job],
            fy[per_job],
            kind[per_job],
            contracts.text("work_category")[per_job],
            amount[per_job],
        )
    )
    parts.append(_lump_sums(contracts, kind == "lump_sum", amount, fy))
    return Items(*(np.concatenate([getattr(p, f) for p in parts]) for f in Items.__dataclass_fields__))


def _lump_sums(contracts: Columns, mask: np.ndarray, amount: np.ndarray, fy: np.ndarray) -> Items:
    """Lump-sum contract amounts pro-rated to fiscal years by the contract's days in each."""
    start, end = contracts.dates("start_date"), contracts.dates("end_date")
    rows: list[tuple[str, int, str, float]] = []
    codes, categories = contracts.code(), contracts.text("work_category")
    for i in np.flatnonzero(mask & ~np.isnan(amount)):
        if np.isnat(start[i]) or np.isnat(end[i]) or end[i] < start[i]:
            rows.append((codes[i], int(fy[i]), categories[i], float(amount[i])))
            continue
        total = int((end[i] - start[i]).astype("int64")) + 1
        first, last = (int(fy_of_month(month_index(np.array([d])))[0]) for d in (start[i], end[i]))
        for year in range(first, last + 1):
            lo = max(start[i], np.datetime64(f"{year:04d}-04-01", "D"))
            hi = min(end[i], np.datetime64(f"{year + 1:04d}-03-31", "D"))
            share = (int((hi - lo).astype("int64")) + 1) / total
            rows.append((codes[i], year, categories[i], float(amount[i]) * share))
    return Items(
        np.array([r[0] for r in rows], dtype=object),
        np.array([r[1] for r in rows], dtype="int64"),
        np.full(len(rows), "lump_sum", dtype=object),
        np.array([r[2] for r in rows], dtype=object),
        np.array([r[3] for r in rows], dtype="float64"),
    )


def _cells(grid: Grid, codes: np.ndarray, fy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cell ids for body and all bodies, index into the inputs); rows outside the grid are dropped."""
    known = {b: i for i, b in enumerate(grid.bodies)}
    body = np.array([known.get(c, -1) for c in codes], dtype="int64")
    period = grid.fy_period(fy)
    ok = np.flatnonzero((body >= 0) & (period >= 0) & (period < grid.n_fy))
    scopes = grid.scopes(body[ok])
    cell = np.concatenate([grid.cell(b, period[ok], 0) for b in scopes]) if scopes else np.array([], dtype="int64")
    return cell, np.concatenate([ok for _ in scopes]) if scopes else np.array([], dtype="int64")


def money_series(grid: Grid, contract_table: pd.DataFrame, order_table: pd.DataFrame) -> list[CellValues]:
    """Every contract and work-order metric over the fiscal-year cells (category 'all')."""
    size = grid.size
    contracts, work_orders = Columns(contract_table), Columns(order_table)
    keys = contract_keys(contracts, work_orders)
    types = order_types(contracts, keys)
    items = spending_items(contracts, work_orders, types, keys)
    cell, idx = _cells(grid, items.code, items.fiscal_year)
    n = counts(cell, size)
    total = counts(cell, size, items.amount[idx])
    out = [CellValues("spending", total, n)]
    out.append(CellValues("spending_per_resident", total.copy(), n, per=("population", 1.0)))
    out.append(CellValues("spending_per_km_road", total.copy(), n, per=("road_km", 1.0)))
    for kind in (*schema.enum("contracts", "contract_type"), "unknown"):
        hit = items.contract_type[idx] == kind
        spent, n_kind = counts(cell[hit], size, items.amount[idx][hit]), counts(cell[hit], size)
        out.append(CellValues("spending_by_contract_type", spent, n_kind, dimension_value=kind))
        out.append(
            CellValues("spending_per_km_by_contract_type", spent.copy(), n_kind, per=("road_km", 1.0),
                       dimension_value=kind)
        )
    for category in schema.enum("work_orders", "work_category"):
        hit = items.work_category[idx] == category
        out.append(
            CellValues(
                "spending_by_work_category",
                counts(cell[hit], size, items.amount[idx][hit]),
                counts(cell[hit], size),
                dimension_value=category,
            )
        )
    out += _cost_per_job(grid, work_orders, types)
    out += _contract_series(grid, contracts)
    return out


def _mean_ci(cell: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
    """(n, mean, lower, upper): normal-approximation 95 % interval of the mean, NaN below two values."""
    keep = ~np.isnan(values)
    cell, values = cell[keep], values[keep]
    n, mean = means(cell, values, size)
    square = counts(cell, size, values * values)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.maximum(square - n * mean * mean, 0.0) / (n - 1)
        half = 1.959963984540054 * np.sqrt(var / n)
    half = np.where(n >= 2, half, np.nan)
    return n, mean, mean - half, mean + half


def _cost_per_job(grid: Grid, work_orders: Columns, types: np.ndarray) -> list[CellValues]:
    amount = work_orders.numbers("amount")
    paid_by_order = np.isin(np.where(types == None, "", types).astype(str), PAID_BY_ORDER)  # noqa: E711
    done = (work_orders.text("status") == "completed") & paid_by_order & ~np.isnan(amount)
    codes, fy = work_orders.code()[done], _fy(work_orders, "order_date")[done]
    categories, amount = work_orders.text("work_category")[done], amount[done]
    cell, idx = _cells(grid, codes, fy)
    n, mean, lower, upper = _mean_ci(cell, amount[idx], grid.size)
    out = [CellValues("cost_per_completed_work_order", mean, n, lower, upper)]
    for category in schema.enum("work_orders", "work_category"):
        hit = categories[idx] == category
        n, mean, lower, upper = _mean_ci(cell[hit], amount[idx][hit], grid.size)
        out.append(
            CellValues(
                "cost_per_completed_work_order_by_work_category", mean, n, lower, upper, dimension_value=category
            )
        )
    return out


def _contract_series(grid: Grid, contracts: Columns) -> list[CellValues]:
    size = grid.size
    cell, idx = _cells(grid, contracts.code(), _fy(contracts, "start_date"))
    n = counts(cell, size)
    out = [CellValues("contracts_awarded", n.copy(), n)]
    names = contracts.text("contractor")[idx]
    named = names != ""
    distinct = pd.DataFrame({"cell": cell[named], "name": names[named]}).drop_duplicates()
    out.append(CellValues("contractors", counts(distinct["cell"].to_numpy(dtype="int64"), size), n))
    method = contracts.text("procurement_method")[idx]
    competitive = np.isin(method, COMPETITIVE)
    base = competitive | (method == "negotiated")
    x, trials = counts(cell[competitive], size), counts(cell[base], size)
    p, lower, upper = wilson(x, trials)
    out.append(CellValues("competitive_procurement_share", p, trials, lower, upper))
    amount = contracts.numbers("contract_amount")[idx]
    estimate = contracts.numbers("estimated_price")[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(competitive & (estimate > 0), amount / estimate, np.nan)
    n_r, mean, lower, upper = _mean_ci(cell, ratio, size)
    out.append(CellValues("award_ratio_mean", mean, n_r, lower, upper))
    return out
