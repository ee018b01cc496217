"""SiteData -> the list of data pages of one language: output path, template and template context."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import compare, figures
from .labels import enum_labels
from .loader import Package, SiteData
from .names import body_names

# why: a city has tens of thousands of work orders; the page shows the newest, the CSV has them all.
WORK_ROWS = 100
RESOURCES_SHOWN = ("cases", "actions", "contracts", "work_orders", "municipalities")


@dataclass
class Page:
    """One page to write: its path under the language root, its template and its own context."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True


def run_day(data: SiteData) -> date:
    try:
        return date.fromisoformat(data.run_date)
    except ValueError:
        return date(2000, 1, 1)


def body_status(data: SiteData) -> dict[str, dict[str, Any]]:
    """{code: run.json entry} of tonight's run."""
    return {b["code"]: b for b in data.run.get("bodies", [])}


def report_year(data: SiteData) -> int:
    """The fiscal year the headline figures speak of: the latest with cases, up to the run date's.

    A run early in April would otherwise report a fiscal year only days old, with no spending yet."""
    cap = figures.fiscal_year(run_day(data))
    years = {int(y) for package in data.bodies for y in package.tables["cases"]["fiscal_year"].unique()
             if str(y).isdigit() and int(y) <= cap}
    return max(years, default=cap)


def body_spending(package: Package, year: int) -> list[dict[str, Any]]:
    tables = package.tables
    return figures.spending(tables["contracts"], tables["work_orders"], year)


def body_summaries(data: SiteData, min_n: int) -> list[dict[str, Any]]:
    """One row per body (packages and run.json entries), sorted by code, with headline figures."""
    names = body_names(data)
    status = body_status(data)
    year = report_year(data)
    rows = []
    for code in sorted({*status, *(p.code for p in data.bodies)}):
        package = data.body(code)
        entry = status.get(code, {})
        headline = None
        if package is not None:
            spent = sum(int(r["spent"]) for r in body_spending(package, year))
            headline = figures.headline(package.tables["cases"], spent, min_n)
        rows.append({"code": code, "names": names.get(code, {"ja": code, "en": code}),
                     "status": entry.get("status", "published" if package else "failed"),
                     "last_good": entry.get("last_good") or "", "error": entry.get("error") or "",
                     "package": package.name if package else "", "has_page": package is not None,
                     "headline": headline})
    return rows


def municipality_page(data: SiteData, package: Package, min_n: int) -> Page:
    """The municipality page: headline, trend, categories, outcomes, spending, contractors' work."""
    tables = package.tables
    cases = tables["cases"]
    year = report_year(data)
    spent = body_spending(package, year)
    categories = list(enum_labels("cases", "category", "ja"))
    context = {
        "code": package.code,
        "package": package,
        "fiscal_year": year,
        "headline": figures.headline(cases, sum(int(r["spent"]) for r in spent), min_n),
        "monthly": figures.monthly_counts(cases, run_day(data)),
        "categories": figures.by_category(cases, categories, min_n),
        "statuses": figures.counts_of(cases, "status", list(enum_labels("cases", "status", "ja"))),
        "decline_reasons": figures.counts_of(cases[cases["status"] == "declined"], "decline_reason",
                                             list(enum_labels("cases", "decline_reason", "ja"))),
        "referred_to": figures.counts_of(cases[cases["status"] == "referred"], "referred_to",
                                         list(enum_labels("cases", "referred_to", "ja"))),
        "spending_rows": spent,
        "spending_by_type": figures.group_spending(spent, "contract_type"),
        "spending_by_contractor": figures.group_spending(spent, "contractor"),
        "work": figures.work_table(tables["work_orders"], tables["contracts"], WORK_ROWS),
        "work_total": len(tables["work_orders"]),
        "files": package.files(),
        "run_entry": body_status(data).get(package.code, {}),
    }
    return Page(f"municipalities/{package.code}.html", "municipality.html", context)


def cases_rows(package: Package) -> list[dict[str, Any]]:
    """The cases list of one body, newest first (ties by ID), only the columns the list shows."""
    frame = package.tables["cases"].sort_values(["requested_date", "service_request_id"],
                                                ascending=[False, True])
    keep = ["service_request_id", "requested_date", "fiscal_year", "category", "status", "town",
            "description", "status_detail", "closed_date"]
    return [{k: row[k] for k in keep} for row in frame[keep].to_dict("records")]


def cases_page(package: Package, per_page: int) -> Page:
    """Cases list: the first page rendered server-side, the rest filtered by JS from static JSON."""
    rows = cases_rows(package)
    towns = sorted({r["town"] for r in rows if r["town"]})
    years = sorted({r["fiscal_year"] for r in rows if r["fiscal_year"]}, reverse=True)
    months = sorted({r["requested_date"][:7] for r in rows if r["requested_date"]}, reverse=True)
    context = {"code": package.code, "package": package, "rows": rows[:per_page], "total": len(rows),
               "per_page": per_page, "towns": towns, "years": years, "months": months}
    return Page(f"cases/{package.code}.html", "cases.html", context)


def compare_pages(data: SiteData, summaries: list[dict[str, Any]], min_n: int) -> list[Page]:
    """The comparison index and one page per category that any body has cases in."""
    with_data = [s for s in summaries if s["has_page"]]
    codes = [s["code"] for s in with_data]
    present = set()
    for package in data.bodies:
        present |= set(package.tables["cases"]["category"])
    categories = [c for c in enum_labels("cases", "category", "ja") if c in present]
    pages = [Page("compare/index.html", "compare_index.html", {"categories": categories, "bodies": with_data})]
    for category in categories:
        basics = []
        for code in codes:
            package = data.body(code)
            assert package is not None
            rows = figures.by_category(package.tables["cases"], [category], min_n)
            basics.append(rows[0] if rows else None)
        year, rows = compare.metric_rows(data.metrics, data.metric_definitions, category, codes)
        pages.append(Page(f"compare/{category}.html", "compare.html", {
            "category": category, "categories": categories, "bodies": with_data, "basics": basics,
            "metrics_year": year, "metric_rows": rows, "metrics_available": data.metrics is not None}))
    return pages


def data_pages(data: SiteData) -> list[Page]:
    packages = [*data.bodies, *([data.combined] if data.combined else [])]
    return [Page("data/index.html", "data.html", {"packages": packages}),
            Page("data/dictionary.html", "dictionary.html", {"resources": RESOURCES_SHOWN})]


def all_pages(data: SiteData, min_n: int, per_page: int) -> list[Page]:
    """Every data page of one language, in a fixed order."""
    summaries = body_summaries(data, min_n)
    pages = [Page("index.html", "home.html", {"summaries": summaries})]
    for package in data.bodies:
        pages.append(municipality_page(data, package, min_n))
        pages.append(cases_page(package, per_page))
    pages.append(Page("cases/index.html", "cases_index.html", {"summaries": summaries}))
    pages.extend(compare_pages(data, summaries, min_n))
    pages.extend(data_pages(data))
    pages.append(Page("methodology.html", "methodology.html", {
        "packages": data.bodies, "definitions": data.metric_definitions}))
    pages.append(Page("updates.html", "updates.html", {"summaries": summaries, "run_bodies": body_status(data)}))
    pages.append(Page("404.html", "404.html", {}, in_sitemap=False))
    return pages
