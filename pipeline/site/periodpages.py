"""The comparison pages and the figure sections of the home and body pages, one static page per period.

Every period has its own stable address (compare/pothole-fy2024.html, municipalities/352152-all.html), so a
link shows what its author saw; the plain address (compare/pothole.html) shows the default period, the
latest complete fiscal year. Each table carries the CSV slice of the metrics rows it shows
(data/slices/...), with the filter that cut it.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from ..metrics.grid import CATEGORIES
from . import compare
from .compare import ALL, MetricIndex, Period
from .loader import SiteData
from .names import body_names

SLICES = "data/slices"
CATEGORY_COLUMNS = ("requests_received", "completed_share", "declined_share", "referred_share",
                    "days_to_completion_median")
MONEY = ("spending", "spending_per_resident", "spending_per_km_road", "contracts_awarded", "contractors",
         "competitive_procurement_share", "award_ratio_mean", "cost_per_completed_work_order")
CONTEXT = ("road_bridge_spending", "bridges_inspected", "bridges_need_repair")
MONEY_TREND = ("spending", "spending_per_km_road")


@dataclass
class Slices:
    """CSV slices of the metrics a page's tables show: {site path: CSV text}."""

    index: MetricIndex
    files: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, cells: list[dict[str, Any] | None], filter_: str) -> dict[str, Any]:
        """A table's slice: its path, row count and the filter that cut it (None when nothing to cut)."""
        records = compare.records_of(cells, self.index)
        if not records:
            return {}
        path = f"{SLICES}/{name}.csv"
        self.files[path] = compare.csv_text(self.index, records)
        return {"path": path, "rows": len(records), "filter": filter_}


def metric_index(data: SiteData) -> MetricIndex:
    if "metric_index" not in data.derived:
        data.derived["metric_index"] = MetricIndex(data.metrics)
    found: MetricIndex = data.derived["metric_index"]
    return found


def page_periods(data: SiteData, as_of: str = "") -> list[Period]:
    """The periods of the metrics; a year in progress runs to as_of (default: the site's data date)."""
    key = f"periods:{as_of or data.data_date}"
    if key not in data.derived:
        data.derived[key] = compare.periods(data.metrics, as_of or data.data_date)
    found: list[Period] = data.derived[key]
    return found


def body_rows(data: SiteData, code: str) -> list[Any]:
    """The metrics rows a body's pages can show, in the published order: its own and the referrals to it from other
    bodies; with the metrics' columns and the bodies they hold (the order of the referral flows)."""
    index = metric_index(data)
    if "body_rows" not in data.derived:
        found: dict[str, list[list[str]]] = {}
        for record in index.rows.values():
            owners = {record["municipality_code"]}
            metric, _, target = record["metric_id"].partition(".")
            if metric in ("referrals_to", "referral_days_median_to"):
                owners.add(target)
            for owner in sorted(owners):
                found.setdefault(owner, []).append(list(record.values()))
        data.derived["body_rows"] = found
    rows: dict[str, list[list[str]]] = data.derived["body_rows"]
    return [index.columns, index_codes(index), rows.get(code, [])]


def data_since(data: SiteData) -> dict[str, str]:
    """{code: first day of the body's data} from the packages' notes."""
    since = dict((data.combined.mieruka.get("data_since") or {}) if data.combined else {})
    for package in data.bodies:
        if package.mieruka.get("data_since"):
            since.setdefault(package.code, str(package.mieruka["data_since"]))
    return since


def partial_years(periods: list[Period]) -> dict[int, str]:
    return {p.year: p.end for p in periods if p.year is not None and p.partial}


def years(periods: list[Period]) -> list[int]:
    """Fiscal years of the periods, oldest first (the order of a trend)."""
    return sorted(p.year for p in periods if p.year is not None)


def _cells(rows: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    return [c for row in rows for c in row.get("cells", [])]


def _flow_cells(flows: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    return [c for f in flows for c in (f["count"], f["days"])]


def _filter(category: str, period: Period, scope: str, metrics: str) -> str:
    when = "period_type=fiscal_year" + ("" if period.is_all else f", period={period.year}")
    return f"{scope}, category={category}, {when}, metric_id={metrics}"


def period_links(base: str, periods: list[Period]) -> list[dict[str, Any]]:
    """The period chooser: one stable address per period."""
    return [{"period": p, "href": f"{base}-{p.key}.html"} for p in periods]


def compare_context(data: SiteData, category: str, period: Period, codes: list[str], slices: Slices,
                    name: str) -> dict[str, Any]:
    """The figures of one comparison page (category x period) from the metrics only."""
    index, defs = metric_index(data), data.metric_definitions
    periods = page_periods(data)
    scope = f"scope=body|all, municipality_code={'|'.join(codes)}"
    out: dict[str, Any] = {"period": period, "periods": period_links(f"compare/{category}", periods),
                           "data_since": data_since(data), "columns": compare.columns(codes), "tables": {}}
    if period.is_all:
        all_years = years(periods)
        trend = compare.trends(index, defs, category, all_years, codes)
        names = body_names(data)
        out["trends"] = [{**t, "chart": compare.chart(t, all_years, names, partial_years(periods))} for t in trend]
        out["years"] = all_years
        out["tables"]["trends"] = slices.add(f"{name}-trends", [c for t in trend for s in t["series"]
                                                               for c in s["points"]],
                                             _filter(category, period, scope, "|".join(compare.TREND)))
        out["flows"] = compare.flows(index, defs, list(reversed(all_years)), codes) if category == ALL else []
    else:
        year = int(period.year or 0)
        rows = compare.metric_rows(index, defs, category, year, codes)
        out["metric_rows"] = rows
        out["tables"]["metrics"] = slices.add(f"{name}-metrics", _cells(rows),
                                              _filter(category, period, scope, "[^.]+"))
        out["decline_rows"] = compare.dimension_rows(index, defs, "decline_reason_share", category, year, codes)
        decline = [r for r in rows if r["definition"]["id"] == "declined_share"]
        out["decline_head"] = decline[0] if decline else None
        out["tables"]["decline"] = slices.add(
            f"{name}-decline", _cells(out["decline_rows"]) + _cells(decline),
            _filter(category, period, scope, "declined_share|decline_reason_share.*"))
        out["denominators"] = compare.denominators(index, codes, year)
        out["shared_residents"] = compare.shared_residents(index, codes, year)
        out["flows"] = compare.flows(index, defs, [year], codes) if category == ALL else []
        if category == ALL:
            money = [compare.dimension_rows(index, defs, m, ALL, year, codes)
                     for m in ("spending_by_contract_type", "spending_per_km_by_contract_type")]
            out["money_rows"] = money
            out["tables"]["money"] = slices.add(
                f"{name}-money", _cells(money[0]) + _cells(money[1]),
                _filter(category, period, scope, "spending_by_contract_type.*|spending_per_km_by_contract_type.*"))
            context = compare.metric_rows(index, defs, ALL, year, codes, include=CONTEXT)
            out["context_rows"] = context
            out["tables"]["context"] = slices.add(f"{name}-context", _cells(context),
                                                  _filter(category, period, scope, "|".join(CONTEXT)))
    if out.get("flows"):
        out["tables"]["flows"] = slices.add(f"{name}-flows", _flow_cells(out["flows"]),
                                            _filter(ALL, period, "scope=body",
                                                    "referrals_to.*|referral_days_median_to.*"))
    return out


def body_context(data: SiteData, code: str, period: Period, slices: Slices, as_of: str = "") -> dict[str, Any]:
    """The figure sections of one body's page for one period, from the metrics only (a year in progress runs
    to as_of, the body's data date)."""
    periods = page_periods(data, as_of)
    by_id = {d["id"]: d for d in data.metric_definitions}
    out: dict[str, Any] = {"period": period, "periods": period_links(f"municipalities/{code}", periods),
                           "data_since": data_since(data).get(code, ""), "tables": {}, "defs": by_id}
    if period.is_all:
        _body_trends(data, code, period, periods, slices, out)
    else:
        _body_year(data, code, period, slices, out)
    if out.get("flows"):
        out["tables"]["flows"] = slices.add(f"municipalities/{code}-{period.key}-flows", _flow_cells(out["flows"]),
                                            _filter(ALL, period, "scope=body",
                                                    f"referrals_to.*|referral_days_median_to.*, from|to={code}"))
    return out


def _body_trends(data: SiteData, code: str, period: Period, periods: list[Period], slices: Slices,
                 out: dict[str, Any]) -> None:
    """The all-years view of one body: its trends and its referral flows over every year."""
    index, defs = metric_index(data), data.metric_definitions
    all_years = years(periods)
    trend = compare.trends(index, defs, ALL, all_years, [code], ids=compare.TREND + MONEY_TREND)
    for t in trend:
        t["series"] = [s for s in t["series"] if s["code"] == code]
    partial = partial_years(periods)
    names = body_names(data)
    out["trends"] = [{**t, "chart": compare.chart(t, all_years, names, partial)} for t in trend if t["series"]]
    out["years"] = all_years
    out["tables"]["trends"] = slices.add(f"municipalities/{code}-{period.key}-trends",
                                         [c for t in trend for s in t["series"] for c in s["points"]],
                                         _filter(ALL, period, f"scope=body, municipality_code={code}",
                                                 "|".join(compare.TREND + MONEY_TREND)))
    out["flows"] = [f for f in compare.flows(index, defs, list(reversed(all_years)), [code])
                    if code in (f["from"], f["to"])]


def _body_monthly(index: MetricIndex, code: str, year: int, definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Cases received per month of the fiscal year (the months the metrics hold)."""
    monthly = []
    for (category, period_type, month), records in sorted(index.by_part.items()):
        if category != ALL or period_type != "month" or _fiscal_year(month) != year:
            continue
        record = next((r for r in records if r["scope"] == "body" and r["municipality_code"] == code
                       and r["metric_id"] == "requests_received"), None)
        if record is not None:
            monthly.append({"month": month, "cell": compare.cell(record, definition)})
    return monthly


def _body_year(data: SiteData, code: str, period: Period, slices: Slices, out: dict[str, Any]) -> None:
    """One fiscal year of one body: headline, months, categories, declines, flows, money and context."""
    index, defs, by_id = metric_index(data), data.metric_definitions, out["defs"]
    year, name = int(period.year or 0), f"municipalities/{code}-{period.key}"
    scope = f"scope=body, municipality_code={code}"

    def one(metric: str, category: str = ALL) -> dict[str, Any] | None:
        return compare.cell(index.get(code, category, year, metric), by_id.get(metric, {}))

    out["headline"] = {m: one(m) for m in compare.HEADLINE if m in by_id}
    out["tables"]["headline"] = slices.add(f"{name}-headline", list(out["headline"].values()),
                                           _filter(ALL, period, scope, "|".join(out["headline"])))
    monthly = _body_monthly(index, code, year, by_id["requests_received"])
    out["monthly"] = monthly
    out["monthly_counts"] = [float(m["cell"]["raw"]) if m["cell"] and m["cell"]["raw"] else None for m in monthly]
    out["tables"]["monthly"] = slices.add(f"{name}-monthly", [m["cell"] for m in monthly],
                                          f"{scope}, category=all, period_type=month, "
                                          f"period={year}-04…{year + 1}-03, metric_id=requests_received")
    categories: list[dict[str, Any]] = []
    for category in index_categories(index, year):
        cells = [one(m, category) for m in CATEGORY_COLUMNS]
        if cells[0] is not None and cells[0]["raw"] not in ("0", "0.0"):
            categories.append({"category": category, "cells": cells})
    out["category_columns"] = [by_id.get(m, {"id": m}) for m in CATEGORY_COLUMNS]
    out["categories"] = categories
    out["tables"]["categories"] = slices.add(f"{name}-categories", [c for r in categories for c in r["cells"]],
                                             f"{scope}, category≠all, period_type=fiscal_year, period={year}, "
                                             f"metric_id={'|'.join(CATEGORY_COLUMNS)}")
    decline = compare.dimension_rows(index, defs, "decline_reason_share", ALL, year, [code])
    out["decline_head"] = one("declined_share")
    out["decline_rows"] = [{**r, "cell": r["cells"][0]} for r in decline]
    out["tables"]["decline"] = slices.add(f"{name}-decline",
                                          [out["decline_head"]] + [r["cell"] for r in out["decline_rows"]],
                                          _filter(ALL, period, scope, "declined_share|decline_reason_share.*"))
    out["flows"] = [f for f in compare.flows(index, defs, [year], list(index_codes(index)))
                    if code in (f["from"], f["to"])]
    _body_money(data, code, year, period, slices, out, one)


def _body_money(data: SiteData, code: str, year: int, period: Period, slices: Slices, out: dict[str, Any],
                one: Any) -> None:
    """Spending, its split by contract type, and the context figures of one body's year."""
    index, defs, by_id = metric_index(data), data.metric_definitions, out["defs"]
    money = [one(m) for m in MONEY if m in by_id]
    out["money"] = [m for m in money if m is not None]
    out["money_rows"] = [[{**r, "cell": r["cells"][0]} for r in compare.dimension_rows(index, defs, m, ALL, year,
                                                                                        [code])]
                         for m in ("spending_by_contract_type", "spending_per_km_by_contract_type")]
    out["context"] = [c for c in (one(m) for m in CONTEXT if m in by_id) if c is not None]
    money_cells = out["money"] + [r["cell"] for rows in out["money_rows"] for r in rows] + out["context"]
    out["tables"]["money"] = slices.add(f"municipalities/{code}-{period.key}-money", money_cells,
                                        _filter(ALL, period, f"scope=body, municipality_code={code}",
                                                "spending*|" + "|".join(MONEY + CONTEXT)))
    out["denominators"] = compare.denominators(index, [code], year)[0]["figures"]


def home_context(data: SiteData, codes: list[str], slices: Slices) -> dict[str, Any]:
    """The home page's overview: the default period's headline figures per body and all bodies, and flows."""
    index, defs = metric_index(data), data.metric_definitions
    period = compare.default_period(page_periods(data))
    if period is None or period.year is None:
        return {"period": None}
    by_id = {d["id"]: d for d in defs}
    rows: list[dict[str, Any]] = []
    for code in compare.columns(codes):
        cells = {m: compare.cell(index.get(code, ALL, period.year, m), by_id.get(m, {})) for m in compare.HEADLINE
                 if m in by_id}
        rows.append({"code": code, "cells": cells})
    flows = compare.flows(index, defs, [period.year], codes)
    scope = f"scope=body|all, municipality_code={'|'.join(codes)}"
    return {
        "period": period,
        "glance": rows,
        "glance_metrics": [by_id[m] for m in compare.HEADLINE if m in by_id],
        "glance_csv": slices.add(f"home-{period.key}-glance", [c for r in rows for c in r["cells"].values()],
                                 _filter(ALL, period, scope, "|".join(compare.HEADLINE))),
        "shared_residents": compare.shared_residents(index, codes, period.year),
        "flows": flows,
        "flows_csv": slices.add(f"home-{period.key}-flows", _flow_cells(flows),
                                _filter(ALL, period, "scope=body", "referrals_to.*|referral_days_median_to.*")),
        "data_since": data_since(data),
    }


def conventions(data: SiteData) -> dict[str, dict[str, str]]:
    """The conventions the metric definitions rest on (closed statuses, business days, quantiles, periods,
    denominators), as published in the combined package's definitions file ({} before there is one)."""
    if data.combined is None:
        return {}
    for path in sorted(data.combined.folder.glob("*metric_definitions.json")):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            found: dict[str, dict[str, str]] = loaded.get("conventions", {})
            return found
    return {}


def _fiscal_year(month: str) -> int:
    year, mon = (int(x) for x in month.split("-"))
    return year if mon >= 4 else year - 1


def index_categories(index: MetricIndex, year: int) -> list[str]:
    """Categories other than 'all' with fiscal-year rows in that year, in schema order."""
    seen = {c for (c, t, p) in index.by_part if t == "fiscal_year" and p == str(year) and c != ALL}
    return [c for c in CATEGORIES if c in seen]


def index_codes(index: MetricIndex) -> list[str]:
    return sorted({k[1] for k in index.rows if k[0] == "body"})
