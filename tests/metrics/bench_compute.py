"""Time compute_metrics on a synthetic 100,000-case input (not a test: run it by hand).

Usage: .venv/bin/python tests/metrics/bench_compute.py [cases] [runs]
"""

import datetime as dt
import statistics
import sys
import time

import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.metrics import compute_metrics

CODES = [
    "350001",
    "352012",
    "352021",
    "352039",
    "352047",
    "352063",
    "352071",
    "352080",
    "352101",
    "352110",
    "352128",
    "352136",
    "352152",
    "352161",
    "353051",
    "353213",
    "353418",
    "353434",
    "355020",
]


def synthetic(n: int, seed: int = 7) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """n text cases over 19 bodies and FY2023..2025, with actions, contracts and work orders."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-04-01")
    requested = start + rng.integers(0, 960, n).astype("timedelta64[D]")
    status = rng.choice(schema.enum("cases", "status"), n, p=[0.1, 0.15, 0.5, 0.1, 0.1, 0.05])
    first = requested + rng.integers(0, 10, n).astype("timedelta64[D]")
    closed = first + rng.integers(0, 60, n).astype("timedelta64[D]")
    open_ = np.isin(status, ["received", "in_progress"])
    ids = np.array([f"c-{i:016x}" for i in range(n)], dtype=object)
    codes = rng.choice(CODES, n)
    cases = pd.DataFrame(
        {
            "municipality_code": codes,
            "service_request_id": ids,
            "requested_date": requested.astype(str),
            "fiscal_year": "",
            "category": rng.choice(schema.enum("cases", "category"), n),
            "channel": rng.choice(schema.enum("cases", "channel"), n),
            "status": status,
            "first_response_date": np.where(status == "received", "", first.astype(str)),
            "closed_date": np.where(open_, "", closed.astype(str)),
            "decline_reason": np.where(status == "declined", rng.choice(schema.enum("cases", "decline_reason"), n), ""),
            "reopened": np.where(rng.random(n) < 0.03, "true", "false"),
            "duplicate_of": np.where(rng.random(n) < 0.02, "c-0000000000000000", ""),
            "mesh_level": rng.choice(schema.enum("cases", "mesh_level"), n),
        }
    )
    ref = status == "referred"
    actions = pd.DataFrame(
        {
            "municipality_code": codes[ref],
            "service_request_id": ids[ref],
            "step": "2",
            "action": "referred",
            "action_date": first[ref].astype(str),
        }
    )
    nc = 300
    contracts = pd.DataFrame(
        {
            "municipality_code": rng.choice(CODES, nc),
            "contract_id": [f"K{i}" for i in range(nc)],
            "fiscal_year": rng.choice(["2023", "2024", "2025"], nc),
            "work_category": rng.choice(schema.enum("contracts", "work_category"), nc),
            "contract_type": rng.choice(schema.enum("contracts", "contract_type"), nc),
            "procurement_method": rng.choice(schema.enum("contracts", "procurement_method"), nc),
            "contractor": rng.choice([f"業者{i}" for i in range(60)], nc),
            "start_date": "",
            "end_date": "",
            "contract_amount": rng.integers(1_000_000, 50_000_000, nc).astype(str),
            "estimated_price": rng.integers(1_000_000, 55_000_000, nc).astype(str),
        }
    )
    nw = 10_000
    pick = rng.integers(0, nc, nw)
    work_orders = pd.DataFrame(
        {
            "municipality_code": contracts["municipality_code"].to_numpy()[pick],
            "work_order_id": [f"W{i}" for i in range(nw)],
            "contract_id": contracts["contract_id"].to_numpy()[pick],
            "fiscal_year": contracts["fiscal_year"].to_numpy()[pick],
            "work_category": contracts["work_category"].to_numpy()[pick],
            "status": rng.choice(schema.enum("work_orders", "status"), nw),
            "order_date": "",
            "amount": rng.integers(10_000, 2_000_000, nw).astype(str),
        }
    )
    municipalities = pd.DataFrame(
        {"municipality_code": CODES, "population": "50000", "road_km": "", "civil_engineers": "10"}
    )
    return {"cases": cases, "actions": actions, "contracts": contracts, "work_orders": work_orders}, municipalities


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    tables, municipalities = synthetic(n)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        df = compute_metrics(tables, municipalities, dt.date(2025, 11, 20))
        times.append(time.perf_counter() - t0)
    print(
        f"{n} cases -> {len(df)} rows; runs {[round(t, 2) for t in times]} s; median {statistics.median(times):.2f} s"
    )


if __name__ == "__main__":
    main()
