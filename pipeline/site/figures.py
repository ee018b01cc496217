"""Published tables -> the figures a page shows (plain dicts and lists, language-neutral codes)."""

from datetime import date
from typing import Any, cast

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


def _to_int(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").fillna(0).astype("int64")


def _fy_share(start: str, end: str, year: int) -> float:
    """Share of a contract's days that fall in fiscal year `year` (1.0 when the dates are unknown)."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return 1.0
    total = (last - first).days + 1
    fy_first, fy_last = date(year, 4, 1), date(year + 1, 3, 31)
    inside = (min(last, fy_last) - max(first, fy_first)).days + 1
    return max(inside, 0) / total if total > 0 else 1.0


def spending(contracts: pd.DataFrame, work_orders: pd.DataFrame, year: int) -> list[dict[str, Any]]:
    """Spending per contract in fiscal year `year`.

    why: a unit-price contract's amount is an estimate at its unit prices (its work orders can exceed it), so
    its spending is the sum of its work orders;
    lump-sum contracts are pro-rated by contract days; per-job contracts count their work orders, or the
    contract amount when no work order carries one. Cancelled work orders are left out.
    """
    orders = work_orders[(work_orders["status"] != "cancelled") & (work_orders["fiscal_year"] == str(year))]
    order_sum = orders.assign(amount=_to_int(orders["amount"])).groupby("contract_id")["amount"].sum()
    rows = []
    ordered = contracts.sort_values("contract_id")
    amounts = _to_int(ordered["contract_amount"]).tolist()
    # why: pandas-stubs keys a record by Hashable; these are the table's (text) column names
    for contract, amount in zip(cast(list[dict[str, Any]], ordered.to_dict("records")), amounts, strict=True):
        kind = contract["contract_type"]
        ordered_amount = int(order_sum.get(contract["contract_id"], 0))
        if kind == "lump_sum":
            spent = round(amount * _fy_share(contract["start_date"], contract["end_date"], year))
        elif kind == "per_job":
            spent = ordered_amount or (amount if str(contract["fiscal_year"]) == str(year) else 0)
        else:
            spent = ordered_amount
        if spent:
            rows.append({**contract, "spent": spent, "contract_amount_value": amount})
    return rows


def group_spending(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Spending rows -> totals per value of `key`, largest first (ties by name)."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row[key]] = totals.get(row[key], 0) + int(row["spent"])
    return [{"key": k, "spent": v} for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]


def work_table(work_orders: pd.DataFrame, contracts: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    """Work orders joined to their contract (title, contractor), newest order first (the first `limit`)."""
    titles = contracts.set_index("contract_id")[["title", "contractor", "contract_type"]].to_dict("index")
    rows = []
    ordered = work_orders.sort_values(["order_date", "work_order_id"], ascending=[False, True])
    shown = ordered.head(limit if limit is not None else len(ordered))
    for order in cast(list[dict[str, Any]], shown.to_dict("records")):
        contract = titles.get(order["contract_id"], {})
        rows.append({**order, "title": contract.get("title", ""), "contractor": contract.get("contractor", ""),
                     "contract_type": contract.get("contract_type", "")})
    return rows
