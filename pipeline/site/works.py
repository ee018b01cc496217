"""Contracts and work orders of a body over every fiscal year: who worked where and when, and how the money
went to unit-price, lump-sum and per-job contracts (spending counted as in pipeline.site.figures.spending)."""

import csv
import io
from collections import Counter
from typing import Any

import pandas as pd

from . import figures
from .loader import Package

CONTRACT_TYPES = ("unit_price", "lump_sum", "per_job")
TOWNS_SHOWN = 5


def years_of(package: Package) -> list[int]:
    """Fiscal years with a contract or a work order, newest first."""
    found = set(package.tables["contracts"]["fiscal_year"]) | set(package.tables["work_orders"]["fiscal_year"])
    return sorted((int(y) for y in found if str(y).isdigit()), reverse=True)


def spending(package: Package, year: int) -> list[dict[str, Any]]:
    """Spending per contract of one body in fiscal year `year`, worked out once per build (do not modify)."""
    key = ("spending", year)
    if key not in package.derived:
        package.derived[key] = figures.spending(package.tables["contracts"], package.tables["work_orders"], year)
    rows: list[dict[str, Any]] = package.derived[key]
    return rows


def spending_rows(package: Package) -> list[dict[str, Any]]:
    """Per fiscal year: spending per contract type (known types, then any other) and the total."""
    key = "works:spending"  # seed_spending_rows sets it too
    if key not in package.derived:
        rows = []
        for year in years_of(package):
            spent = spending(package, year)
            by_type = {row["key"]: row["spent"] for row in figures.group_spending(spent, "contract_type")}
            types = {t: by_type.get(t, 0) for t in CONTRACT_TYPES}
            other = sum(v for t, v in by_type.items() if t not in CONTRACT_TYPES)
            rows.append({"fiscal_year": year, **types, "other": other, "total": sum(by_type.values())})
        package.derived[key] = rows
    found: list[dict[str, Any]] = package.derived[key]
    return found


def seed_spending_rows(package: Package, rows: list[dict[str, Any]]) -> None:
    """Give spending_rows rows kept as plain data (last night's, while the package is as it was), their keys in
    spending_rows' order (the manifest sorts them; the pages' prints see the order)."""
    order = ("fiscal_year", *CONTRACT_TYPES, "other", "total")
    package.derived["works:spending"] = [{k: row[k] for k in order} for row in rows]


def contractor_rows(package: Package) -> list[dict[str, Any]]:
    """Per fiscal year and contractor: contract types, work orders, the towns worked in, first and last order
    date, and the spending; newest year first, then the largest spending."""
    key = "works:contractors"
    if key in package.derived:
        found: list[dict[str, Any]] = package.derived[key]
        return found
    contracts = package.tables["contracts"]
    info = {row["contract_id"]: row for row in figures.records(contracts[["contract_id", "contractor",
                                                                            "contract_type"]])}
    orders = package.tables["work_orders"]
    orders = orders[orders["status"] != "cancelled"]
    rows = []
    for year in years_of(package):
        spent = spending(package, year)
        by_contractor = {row["key"]: row["spent"] for row in figures.group_spending(spent, "contractor")}
        types: dict[str, set[str]] = {}
        for row in spent:
            types.setdefault(row["contractor"], set()).add(row["contract_type"])
        part = orders[orders["fiscal_year"] == str(year)]
        worked = _orders_by_contractor(part, info)
        for name in sorted(set(by_contractor) | set(worked), key=lambda n: (-by_contractor.get(n, 0), n)):
            if not name:
                continue
            done = worked.get(name, {"orders": 0, "towns": [], "more_towns": 0, "first": "", "last": "",
                                     "types": set()})
            kinds = types.get(name, set()) | done["types"]
            ordered = [t for t in CONTRACT_TYPES if t in kinds] + sorted(kinds - set(CONTRACT_TYPES))
            rows.append({"fiscal_year": year, "contractor": name, "spent": by_contractor.get(name, 0),
                         "contract_types": ordered,
                         "orders": done["orders"], "towns": done["towns"], "more_towns": done["more_towns"],
                         "first": done["first"], "last": done["last"]})
    package.derived[key] = rows
    return rows


def _orders_by_contractor(orders: pd.DataFrame,
                          info: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Work orders of one year grouped by the contractor of their contract."""
    grouped: dict[str, dict[str, Any]] = {}
    for order in figures.records(orders[["contract_id", "town", "order_date"]]):
        contract = info.get(order["contract_id"])
        if not contract or not contract["contractor"]:
            continue
        entry = grouped.setdefault(contract["contractor"], {"orders": 0, "towns": Counter(), "dates": [],
                                                            "types": set()})
        entry["orders"] += 1
        entry["types"].add(contract["contract_type"])
        if order["town"]:
            entry["towns"][order["town"]] += 1
        if order["order_date"]:
            entry["dates"].append(order["order_date"])
    for entry in grouped.values():
        towns = sorted(entry.pop("towns").items(), key=lambda kv: (-kv[1], kv[0]))
        entry["towns"] = [{"town": t, "orders": n} for t, n in towns[:TOWNS_SHOWN]]
        entry["more_towns"] = max(len(towns) - TOWNS_SHOWN, 0)
        dates = sorted(entry.pop("dates"))
        entry["first"], entry["last"] = (dates[0], dates[-1]) if dates else ("", "")
    return grouped


SPENDING_COLUMNS = ("municipality_code", "fiscal_year", *CONTRACT_TYPES, "other", "total")
CONTRACTOR_COLUMNS = ("municipality_code", "fiscal_year", "contractor", "contract_types", "work_orders", "towns",
                      "first_order_date", "last_order_date", "spent")


def _csv(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def spending_csv(bodies: list[tuple[str, list[dict[str, Any]]]]) -> str:
    """(code, spending_rows) of one or more bodies -> the spending-by-contract-type table as CSV (codes)."""
    return _csv(SPENDING_COLUMNS, [[code, *(row[c] for c in SPENDING_COLUMNS[1:])]
                                   for code, rows in bodies for row in rows])


def contractors_csv(code: str, rows: list[dict[str, Any]]) -> str:
    """contractor_rows of one body -> CSV; towns as "town:orders" joined by ";" (the page shows the same)."""
    return _csv(CONTRACTOR_COLUMNS, [
        [code, r["fiscal_year"], r["contractor"], ";".join(r["contract_types"]), r["orders"],
         ";".join(f"{t['town']}:{t['orders']}" for t in r["towns"]), r["first"], r["last"], r["spent"]]
        for r in rows])
