"""Published tables -> the figures a page shows (plain dicts and lists, language-neutral codes)."""

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

CLOSED = ("completed", "declined", "referred")
OPEN = ("received", "in_progress", "monitoring")


def fiscal_year(day: date) -> int:
    """Japanese fiscal year (April to March) of a date."""
    return day.year if day.month >= 4 else day.year - 1


def _days(frame: pd.DataFrame, start: str, end: str) -> pd.Series:
    begin = pd.to_datetime(frame[start], errors="coerce")
    finish = pd.to_datetime(frame[end], errors="coerce")
    days = (finish - begin).dt.days
    return days[days >= 0].dropna()


def median_or_none(values: pd.Series, min_n: int) -> float | None:
    """Median, or None when it would rest on fewer than min_n values."""
    if len(values) < min_n:
        return None
    return float(values.median())


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def headline(cases: pd.DataFrame, spending_total: int, min_n: int) -> dict[str, Any]:
    """Cases -> received, completed share, median days to close (closed cases), spending."""
    completed = int((cases["status"] == "completed").sum())
    days = _days(cases[cases["closed_date"] != ""], "requested_date", "closed_date")
    return {
        "cases": len(cases),
        "completed": completed,
        "completed_share": share(completed, len(cases)),
        "median_days": median_or_none(days, min_n),
        "median_n": len(days),
        "spending": spending_total,
    }


def months_between(first: date, last: date) -> list[str]:
    """Every month from first to last as YYYY-MM, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_counts(cases: pd.DataFrame, run_date: date) -> list[dict[str, Any]]:
    """Cases received per month from the first case to the run month (months without cases are 0)."""
    dates = pd.to_datetime(cases["requested_date"], errors="coerce").dropna()
    if dates.empty:
        return []
    counts = dates.dt.strftime("%Y-%m").value_counts().to_dict()
    first = dates.min().date()
    return [{"month": m, "count": int(counts.get(m, 0))} for m in months_between(first, run_date)]


def by_category(cases: pd.DataFrame, categories: list[str], min_n: int) -> list[dict[str, Any]]:
    """One row per category present: counts by outcome and the median days to close."""
    rows = []
    for code in categories:
        part = cases[cases["category"] == code]
        if part.empty:
            continue
        days = _days(part[part["closed_date"] != ""], "requested_date", "closed_date")
        rows.append({
            "category": code,
            "cases": len(part),
            "completed": int((part["status"] == "completed").sum()),
            "declined": int((part["status"] == "declined").sum()),
            "referred": int((part["status"] == "referred").sum()),
            "open": int(part["status"].isin(OPEN).sum()),
            "median_days": median_or_none(days, min_n),
            "median_n": len(days),
        })
    return rows


def counts_of(frame: pd.DataFrame, column: str, order: list[str]) -> list[dict[str, Any]]:
    """Value counts of a coded column in schema order, leaving out empty cells and zero counts."""
    counts = frame[column][frame[column] != ""].value_counts().to_dict()
    known = [{"code": c, "count": int(counts[c])} for c in order if c in counts]
    other = [{"code": c, "count": int(n)} for c, n in sorted(counts.items()) if c not in order]
    return known + other


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as dicts of plain values, column by column.

    why: DataFrame.to_dict("records") boxes every cell on its own and took most of the site's time on big
    bodies; Series.tolist gives the same plain values at a fraction of the cost."""
    names = [str(c) for c in frame.columns]
    columns = [frame[c].tolist() for c in frame.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _to_int(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").fillna(0).astype("int64")


def _fy_shares(start: pd.Series, end: pd.Series, year: int) -> np.ndarray:
    """Share of each contract's days that fall in fiscal year `year` (1.0 where the dates are unknown or the
    end comes before the start)."""
    fy_first = pd.Timestamp(year, 4, 1)
    fy_last = float((date(year + 1, 3, 31) - date(year, 4, 1)).days)  # days from fy_first
    first = (pd.to_datetime(start, format="%Y-%m-%d", errors="coerce") - fy_first).dt.days
    last = (pd.to_datetime(end, format="%Y-%m-%d", errors="coerce") - fy_first).dt.days
    first_days = first.to_numpy(dtype="float64", na_value=np.nan)
    last_days = last.to_numpy(dtype="float64", na_value=np.nan)
    total = last_days - first_days + 1
    inside = np.minimum(last_days, fy_last) - np.maximum(first_days, 0) + 1
    known = ~np.isnan(total) & (total > 0)
    shares = np.ones(len(total))
    shares[known] = np.maximum(inside[known], 0) / total[known]
    return shares


def spending(contracts: pd.DataFrame, work_orders: pd.DataFrame, year: int) -> list[dict[str, Any]]:
    """Spending per contract in fiscal year `year`, in contract ID order (contracts that spent nothing left out).

    why: a unit-price contract's amount is an estimate at its unit prices (its work orders can exceed it), so
    its spending is the sum of its work orders;
    lump-sum contracts are pro-rated by contract days; per-job contracts count their work orders, or the
    contract amount when no work order carries one. Cancelled work orders are left out.
    """
    orders = work_orders[(work_orders["status"] != "cancelled") & (work_orders["fiscal_year"] == str(year))]
    order_sum = orders.assign(amount=_to_int(orders["amount"])).groupby("contract_id")["amount"].sum()
    ordered = contracts.sort_values("contract_id")
    amounts = _to_int(ordered["contract_amount"]).to_numpy()
    ordered_amounts = ordered["contract_id"].map(order_sum).fillna(0).astype("int64").to_numpy()
    kind = ordered["contract_type"].to_numpy()
    in_year = (ordered["fiscal_year"].astype(str) == str(year)).to_numpy()
    # why: np.rint rounds half to even, as Python's round does
    lump = np.rint(amounts * _fy_shares(ordered["start_date"], ordered["end_date"], year)).astype("int64")
    per_job = np.where(ordered_amounts != 0, ordered_amounts, np.where(in_year, amounts, 0))
    spent = np.where(kind == "lump_sum", lump, np.where(kind == "per_job", per_job, ordered_amounts))
    keep = spent != 0
    return [{**contract, "spent": value, "contract_amount_value": amount}
            for contract, value, amount in zip(records(ordered[keep]), spent[keep].tolist(), amounts[keep].tolist(),
                                               strict=True)]


def group_spending(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Spending rows -> totals per value of `key`, largest first (ties by name)."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row[key]] = totals.get(row[key], 0) + int(row["spent"])
    return [{"key": k, "spent": v} for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]


def work_table(work_orders: pd.DataFrame, contracts: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    """Work orders joined to their contract (title, contractor), newest order first (the first `limit`)."""
    titles = {row["contract_id"]: row for row in records(contracts[["contract_id", "title", "contractor",
                                                                     "contract_type"]])}
    rows = []
    ordered = work_orders.sort_values(["order_date", "work_order_id"], ascending=[False, True])
    shown = ordered.head(limit if limit is not None else len(ordered))
    for order in records(shown):
        contract = titles.get(order["contract_id"], {})
        rows.append({**order, "title": contract.get("title", ""), "contractor": contract.get("contractor", ""),
                     "contract_type": contract.get("contract_type", "")})
    return rows
