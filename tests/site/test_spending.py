"""Spending per contract in a fiscal year (pipeline.site.figures.spending): the rules on hand-worked contracts,
and, on any contracts and work orders, the same rows as the rules applied one contract at a time."""

from datetime import date
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.site import figures

CONTRACT_COLUMNS = ["contract_id", "fiscal_year", "contract_type", "contractor", "start_date", "end_date",
                    "contract_amount"]
ORDER_COLUMNS = ["work_order_id", "contract_id", "fiscal_year", "status", "amount"]


def _contracts(rows: list[tuple[str, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=CONTRACT_COLUMNS, dtype=str)


def _orders(rows: list[tuple[str, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ORDER_COLUMNS, dtype=str)


def test_each_contract_type_counts_as_the_rules_say() -> None:
    contracts = _contracts([
        # 2024-10-01..2025-09-30: 365 days, 182 in FY2024 (to 2025-03-31) -> 3,650,000 * 182 / 365
        ("C1", "2024", "lump_sum", "A社", "2024-10-01", "2025-09-30", "3650000"),
        # unit price: its work orders, never its (estimated) amount
        ("C2", "2024", "unit_price", "B社", "2024-04-01", "2025-03-31", "9999999"),
        # per job without an order amount: its own amount in its own year
        ("C3", "2024", "per_job", "B社", "2024-05-01", "2024-05-31", "120000"),
        # per job with orders: the orders
        ("C4", "2024", "per_job", "A社", "2024-06-01", "2024-06-30", "500000"),
        # unknown dates: the whole amount
        ("C5", "2024", "lump_sum", "C社", "", "", "70000"),
        # a unit-price contract whose orders are all cancelled or in another year spends nothing
        ("C6", "2024", "unit_price", "C社", "2024-04-01", "2025-03-31", "100"),
    ])
    orders = _orders([
        ("W1", "C2", "2024", "completed", "300000"),
        ("W2", "C2", "2024", "completed", "250000"),
        ("W3", "C2", "2024", "cancelled", "999999"),
        ("W4", "C4", "2024", "completed", "450000"),
        ("W5", "C6", "2024", "cancelled", "100"),
        ("W6", "C6", "2025", "completed", "100"),
    ])
    rows = figures.spending(contracts, orders, 2024)
    assert [(r["contract_id"], r["spent"]) for r in rows] == [
        ("C1", 1820000), ("C2", 550000), ("C3", 120000), ("C4", 450000), ("C5", 70000)]
    assert rows[1]["contract_amount_value"] == 9999999 and rows[1]["contractor"] == "B社"
    assert [(r["contract_id"], r["spent"]) for r in figures.spending(contracts, orders, 2025)] == [
        ("C1", 1830000), ("C5", 70000), ("C6", 100)]


def _share(start: str, end: str, year: int) -> float:
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return 1.0
    total = (last - first).days + 1
    inside = (min(last, date(year + 1, 3, 31)) - max(first, date(year, 4, 1))).days + 1
    return max(inside, 0) / total if total > 0 else 1.0


def _one_at_a_time(contracts: pd.DataFrame, work_orders: pd.DataFrame, year: int) -> list[dict[str, Any]]:
    """The rules applied contract by contract, in plain Python."""
    sums: dict[str, int] = {}
    for order in work_orders.to_dict("records"):
        if order["status"] != "cancelled" and order["fiscal_year"] == str(year):
            sums[order["contract_id"]] = sums.get(order["contract_id"], 0) + int(order["amount"] or 0)
    rows = []
    for contract in sorted(contracts.to_dict("records"), key=lambda c: c["contract_id"]):
        amount = int(contract["contract_amount"] or 0)
        ordered = sums.get(contract["contract_id"], 0)
        if contract["contract_type"] == "lump_sum":
            spent = round(amount * _share(contract["start_date"], contract["end_date"], year))
        elif contract["contract_type"] == "per_job":
            spent = ordered or (amount if contract["fiscal_year"] == str(year) else 0)
        else:
            spent = ordered
        if spent:
            rows.append({**contract, "spent": spent, "contract_amount_value": amount})
    return rows


_DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31)).map(date.isoformat)
_CONTRACT = st.tuples(st.sampled_from(["2023", "2024", "2025"]),
                      st.sampled_from(["lump_sum", "unit_price", "per_job", "other"]),
                      st.sampled_from(["A社", "B社"]), st.one_of(_DAYS, st.just("")), st.one_of(_DAYS, st.just("")),
                      st.one_of(st.integers(0, 10**9).map(str), st.just("")))
_ORDER = st.tuples(st.integers(0, 30), st.sampled_from(["2023", "2024", "2025"]),
                   st.sampled_from(["completed", "cancelled", "in_progress"]),
                   st.one_of(st.integers(0, 10**8).map(str), st.just("")))


@settings(max_examples=200, deadline=None)
@given(st.lists(_CONTRACT, max_size=30), st.lists(_ORDER, max_size=40), st.sampled_from([2023, 2024, 2025]))
def test_the_table_at_once_equals_one_contract_at_a_time(contracts: list[tuple[str, ...]],
                                                          orders: list[tuple[Any, ...]], year: int) -> None:
    contract_frame = _contracts([(f"C{i:02d}", *row) for i, row in enumerate(contracts)])
    order_frame = _orders([(f"W{i:02d}", f"C{c:02d}", *rest) for i, (c, *rest) in enumerate(orders)])
    assert figures.spending(contract_frame, order_frame, year) == _one_at_a_time(contract_frame, order_frame, year)
