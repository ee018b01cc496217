"""Small hand-made published tables for the metrics tests (text cells, as read from the CSVs)."""

import datetime as dt

import pandas as pd
import pytest

from pipeline import schema

BODY = "352152"
OTHER = "352071"
AS_OF = dt.date(2025, 6, 30)


def frame(resource: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    """Rows with some columns -> a text frame with every column of the resource ('' where not given)."""
    names = schema.field_names(resource)
    return pd.DataFrame([{n: row.get(n, "") for n in names} for row in rows], columns=names, dtype=object)


def case(
    sid: str,
    requested: str,
    category: str,
    channel: str,
    status: str,
    first: str = "",
    closed: str = "",
    code: str = BODY,
    **extra: str,
) -> dict[str, str]:
    return {
        "municipality_code": code,
        "service_request_id": sid,
        "requested_date": requested,
        "fiscal_year": "2025",
        "infrastructure": "road",
        "category": category,
        "channel": channel,
        "road_administrator": "municipal",
        "status": status,
        "first_response_date": first,
        "closed_date": closed,
        "reopened": "false",
        "mesh_level": "quarter",
        **extra,
    }


def municipalities(population: str = "1000", road_km: str = "50", engineers: str = "4") -> pd.DataFrame:
    return frame(
        "municipalities",
        [
            {"municipality_code": BODY, "population": population, "road_km": road_km, "civil_engineers": engineers},
            {"municipality_code": OTHER, "population": "500", "road_km": "", "civil_engineers": "2"},
        ],
    )


@pytest.fixture
def cases_table() -> pd.DataFrame:
    """Eight cases of one body in FY2025 (April to June), worked through by hand in the tests."""
    return frame(
        "cases",
        [
            case("c-0000000000000001", "2025-04-01", "pothole", "app", "completed", "2025-04-02", "2025-04-03"),
            case("c-0000000000000002", "2025-04-04", "pothole", "phone", "completed", "2025-04-07", "2025-04-14"),
            case("c-0000000000000003", "2025-04-28", "weeding", "app", "completed", "2025-04-28", "2025-04-28"),
            case(
                "c-0000000000000004",
                "2025-05-02",
                "weeding",
                "phone",
                "declined",
                "2025-05-07",
                "2025-05-08",
                decline_reason="private_property",
            ),
            case(
                "c-0000000000000005",
                "2025-05-10",
                "drainage",
                "app",
                "referred",
                "2025-05-12",
                "2025-05-20",
                referred_to="prefecture",
            ),
            case(
                "c-0000000000000006",
                "2025-05-20",
                "pothole",
                "web",
                "received",
                mesh_level="municipality",
                duplicate_of="c-0000000000000001",
            ),
            case(
                "c-0000000000000007",
                "2025-06-01",
                "other",
                "app",
                "in_progress",
                "2025-06-03",
                reopened="true",
                mesh_level="none",
            ),
            case("c-0000000000000008", "2025-06-10", "sign", "counter", "monitoring"),
        ],
    )


@pytest.fixture
def actions_table() -> pd.DataFrame:
    return frame(
        "actions",
        [
            {
                "municipality_code": BODY,
                "service_request_id": "c-0000000000000005",
                "step": "1",
                "action": "received",
                "action_date": "2025-05-10",
                "actor": "municipality",
            },
            {
                "municipality_code": BODY,
                "service_request_id": "c-0000000000000005",
                "step": "2",
                "action": "referred",
                "action_date": "2025-05-15",
                "actor": "municipality",
            },
        ],
    )


def contract(
    cid: str,
    kind: str,
    method: str,
    contractor: str,
    amount: str,
    estimate: str,
    category: str,
    start: str = "2025-04-01",
    end: str = "2026-03-31",
) -> dict[str, str]:
    return {
        "municipality_code": BODY,
        "contract_id": cid,
        "fiscal_year": "2025",
        "title": cid,
        "infrastructure": "road",
        "work_category": category,
        "contract_type": kind,
        "procurement_method": method,
        "contractor": contractor,
        "start_date": start,
        "end_date": end,
        "contract_amount": amount,
        "estimated_price": estimate,
    }


def order(wid: str, cid: str, category: str, status: str, amount: str) -> dict[str, str]:
    return {
        "municipality_code": BODY,
        "work_order_id": wid,
        "contract_id": cid,
        "fiscal_year": "2025",
        "infrastructure": "road",
        "work_category": category,
        "order_date": "2025-05-01",
        "completion_date": "2025-05-20" if status == "completed" else "",
        "status": status,
        "amount": amount,
        "mesh_level": "none",
    }


@pytest.fixture
def contracts_table() -> pd.DataFrame:
    return frame(
        "contracts",
        [
            # unit price: the 10,000,000 ceiling is never spending; its work orders are.
            contract("K1", "unit_price", "open_tender", "A社", "10000000", "11000000", "pavement"),
            # lump sum over 365 days, 182 of them in FY2025 (2025-10-01 .. 2026-03-31).
            contract(
                "K2",
                "lump_sum",
                "designated_tender",
                "B社",
                "3650000",
                "4000000",
                "general",
                "2025-10-01",
                "2026-09-30",
            ),
            # per job without a priced work order: the contract amount counts.
            contract("K3", "per_job", "negotiated", "A社", "500000", "600000", "drainage"),
            # per job with a priced work order: the work order counts, not the contract.
            contract("K4", "per_job", "proposal", "C社", "800000", "", "lighting"),
        ],
    )


@pytest.fixture
def work_orders_table() -> pd.DataFrame:
    return frame(
        "work_orders",
        [
            order("W1", "K1", "pavement", "completed", "200000"),
            order("W2", "K1", "pavement", "completed", "300000"),
            order("W3", "K1", "pavement", "cancelled", "999999"),
            order("W4", "K4", "lighting", "completed", "780000"),
            order("W5", "K2", "general", "completed", "50000"),
            order("W6", "K1", "pavement", "ordered", "100000"),
        ],
    )


@pytest.fixture
def tables(cases_table, actions_table, contracts_table, work_orders_table) -> dict[str, pd.DataFrame]:
    return {
        "cases": cases_table,
        "actions": actions_table,
        "contracts": contracts_table,
        "work_orders": work_orders_table,
    }


def _pick(
    df: pd.DataFrame,
    metric_id: str,
    *,
    scope: str = "body",
    code: str = BODY,
    category: str = "all",
    period: str = "2025",
) -> pd.Series:
    period_type = "month" if "-" in period else "fiscal_year"
    rows = df[
        (df["scope"] == scope)
        & (df["municipality_code"] == (code if scope == "body" else ""))
        & (df["category"] == category)
        & (df["period_type"] == period_type)
        & (df["period"] == period)
        & (df["metric_id"] == metric_id)
    ]
    assert len(rows) == 1, (metric_id, scope, code, category, period, len(rows))
    return rows.iloc[0]


@pytest.fixture
def pick():
    """pick(df, metric_id, scope=, code=, category=, period=) -> the one matching row."""
    return _pick
