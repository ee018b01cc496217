"""SiteData -> the list of data pages of one language: output path, template and template context."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import casedetail, compare, figures, periodpages, works
from .bodyfigures import BodyFigures, Orders, body_figures
from .labels import enum_labels
from .loader import Package, SiteData
from .names import body_names
from .smallcells import DEFAULT_K, Withheld, k_of

# why: a city has tens of thousands of work orders and thousands of contracts; the page shows the newest
# work orders and the contracts that spent most, the CSVs have them all.
WORK_ROWS = 100
CONTRACT_ROWS = 100
CASE_COLUMNS = ("service_request_id", "requested_date", "fiscal_year", "category", "status", "town",
                "description", "status_detail", "closed_date", "mesh_code")
# why: about 1,500 cases are about 270 KB of JSON, within the first-load budget of a page (600 KB).
CASES_PER_FILE = 1500
UNKNOWN_YEAR = "unknown"
RESOURCES_SHOWN = ("cases", "actions", "contracts", "work_orders", "municipalities")


@dataclass
class Page:
    """One page to write: its path under the language root, its template and its own context."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    # files written once beside the pages (site path -> text), e.g. the CSV slices behind its tables
    attachments: dict[str, str] = field(default_factory=dict)
    # the body whose package alone the page is made from ("" for a page about every body)
    body: str = ""


def data_day(data: SiteData) -> date:
    """The day the published data last changed (pages never depend on the night they were built)."""
    try:
        return date.fromisoformat(data.data_date)
    except ValueError:
        return date(2000, 1, 1)


def body_date(data: SiteData, code: str) -> str:
    """The day one body's published data last changed (its last good date, else the site's data date).

    why: a body's pages speak of its own data, so a night that changes another body leaves them as they were.
    """
    return str(body_status(data).get(code, {}).get("last_good") or data.data_date)


def body_day(data: SiteData, code: str) -> date:
    try:
        return date.fromisoformat(body_date(data, code))
    except ValueError:
        return data_day(data)


def orders() -> Orders:
    return Orders(categories=list(enum_labels("cases", "category", "ja")),
                  statuses=list(enum_labels("cases", "status", "ja")),
                  decline_reasons=list(enum_labels("cases", "decline_reason", "ja")),
                  referred_to=list(enum_labels("cases", "referred_to", "ja")))


def counts(data: SiteData, package: Package, min_n: int) -> BodyFigures:
    """The body's case counts with small cells withheld; worked out once per build for every page."""
    key = f"counts:{package.code}:{min_n}"
    if key not in data.derived:
        data.derived[key] = body_figures(package.tables["cases"], orders(), body_day(data, package.code), min_n,
                                         k_of(package.descriptor))
    found: BodyFigures = data.derived[key]
    return found


def body_status(data: SiteData) -> dict[str, dict[str, Any]]:
    """{code: run.json entry} of tonight's run."""
    return {b["code"]: b for b in data.run.get("bodies", [])}


def report_year(data: SiteData) -> int:
    """The fiscal year the headline figures speak of: the latest with cases, up to the run date's.

    A run early in April would otherwise report a fiscal year only days old, with no spending yet. Worked out
    once per build: every body's headline print reads it."""
    if "report_year" not in data.derived:
        cap = figures.fiscal_year(data_day(data))
        years = {int(y) for package in data.bodies for y in package.tables["cases"]["fiscal_year"].unique()
                 if str(y).isdigit() and int(y) <= cap}
        data.derived["report_year"] = max(years, default=cap)
    found: int = data.derived["report_year"]
    return found


def body_spending(package: Package, year: int) -> list[dict[str, Any]]:
    """Spending per contract of one body in fiscal year `year` (worked out once per build; do not modify)."""
    return works.spending(package, year)


def _headline_key(package: Package, min_n: int) -> str:
    return f"headline:{package.code}:{min_n}"


def body_headline(data: SiteData, package: Package, min_n: int) -> dict[str, Any]:
    """The body's headline counts (small cells withheld with all its counts) and its spending in the report year:
    worked out once per build, or given by seed_headline."""
    key = _headline_key(package, min_n)
    if key not in data.derived:
        spent = sum(int(r["spent"]) for r in body_spending(package, report_year(data)))
        data.derived[key] = {**counts(data, package, min_n).headline, "spending": spent}
    found: dict[str, Any] = data.derived[key]
    return found


def headline_inputs(data: SiteData, package: Package, min_n: int) -> list[Any]:
    """What body_headline is made from besides the code: printed to reuse last night's headline of a body."""
    return [package, min_n, body_date(data, package.code), report_year(data)]


def seed_headline(data: SiteData, package: Package, min_n: int, plain: dict[str, Any]) -> None:
    """Give body_headline a headline kept as plain data (headline_plain's)."""
    data.derived[_headline_key(package, min_n)] = {
        k: Withheld(v["withheld"], v["complementary"]) if isinstance(v, dict) else v for k, v in plain.items()}


def headline_plain(headline: dict[str, Any]) -> dict[str, Any]:
    """A headline as JSON-able data (a withheld count as its k and kind); seed_headline reads it back."""
    return {k: {"withheld": v.k, "complementary": v.complementary} if isinstance(v, Withheld) else v
            for k, v in headline.items()}


def body_summaries(data: SiteData, min_n: int) -> list[dict[str, Any]]:
    """One row per body (packages and run.json entries), sorted by code, with headline figures."""
    names = body_names(data)
    status = body_status(data)
    rows = []
    for code in sorted({*status, *(p.code for p in data.bodies)}):
        package = data.body(code)
        entry = status.get(code, {})
        headline = body_headline(data, package, min_n) if package is not None else None
        rows.append({"code": code, "names": names.get(code, {"ja": code, "en": code}),
                     "status": entry.get("status", "published" if package else "failed"),
                     "last_good": entry.get("last_good") or "", "error": entry.get("error") or "",
                     "package": package.name if package else "", "has_page": package is not None,
                     "headline": headline})
    return rows


def municipality_pages(data: SiteData, package: Package, min_n: int) -> list[Page]:
    """The municipality page for every period: the plain address shows the default period (the latest complete
    fiscal year), municipalities/<code>-<period>.html each period. Its figures come from the metrics."""
    tables = package.tables
    base = {
        "code": package.code,
        "package": package,
        "work": figures.work_table(tables["work_orders"], tables["contracts"], WORK_ROWS),
        "work_total": len(tables["work_orders"]),
        "files": package.files(),
        "run_entry": body_status(data).get(package.code, {}),
    }
    # why: a body without metrics has one page and no period
    as_of = body_date(data, package.code)
    periods: list[compare.Period | None] = [*periodpages.page_periods(data, as_of)] or [None]
    pages = []
    for period in periods:
        slices = periodpages.Slices(periodpages.metric_index(data))
        figures_ = (periodpages.body_context(data, package.code, period, slices, as_of) if period
                    else {"period": None})
        year = period.year if period and period.year else report_year(data)
        spent = body_spending(package, year)
        context = {**base, "view": figures_, "fiscal_year": year,
                   "spending_rows": sorted(spent, key=lambda r: (-int(r["spent"]), r["contract_id"]))[:CONTRACT_ROWS],
                   "spending_total": len(spent),
                   "spending_by_contractor": figures.group_spending(spent, "contractor")}
        if period is None or period.default:
            pages.append(Page(f"municipalities/{package.code}.html", "municipality.html",
                              {**context, "canonical": f"municipalities/{package.code}-{period.key}.html"
                               if period else ""}, attachments=slices.files if period else {}, body=package.code))
        if period is not None:
            pages.append(Page(f"municipalities/{package.code}-{period.key}.html", "municipality.html", context,
                              attachments=slices.files, body=package.code))
    return pages


def cases_rows(package: Package) -> list[dict[str, Any]]:
    """The cases list of one body, newest first (ties by ID), only the columns the list shows.

    Worked out once per build; callers must not modify the rows."""
    if "cases_rows" not in package.derived:
        frame = package.tables["cases"].sort_values(["requested_date", "service_request_id"],
                                                    ascending=[False, True])
        columns = [frame[k].tolist() for k in CASE_COLUMNS]
        package.derived["cases_rows"] = [dict(zip(CASE_COLUMNS, values, strict=True))
                                         for values in zip(*columns, strict=True)]
    rows: list[dict[str, Any]] = package.derived["cases_rows"]
    return rows


def case_files(package: Package) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """The cases list cut into static files: (fiscal year, file name, rows), newest year first.

    why: one file per body grew to 10 MB; the page loads the newest year's first part and the rest only
    when a filter, the search or "more" asks for it. A year is cut into parts of CASES_PER_FILE rows.
    """
    by_year: dict[str, list[dict[str, Any]]] = {}
    for row in cases_rows(package):
        by_year.setdefault(row["fiscal_year"] or UNKNOWN_YEAR, []).append(row)
    files = []
    ordered = sorted((y for y in by_year if y != UNKNOWN_YEAR), reverse=True)
    ordered += [UNKNOWN_YEAR] if UNKNOWN_YEAR in by_year else []
    for year in ordered:
        rows = by_year[year]
        for part, start in enumerate(range(0, len(rows), CASES_PER_FILE), start=1):
            files.append((year, f"{year}-{part}.json", rows[start:start + CASES_PER_FILE]))
    return files


def case_file_json(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One case file's content: the column names once, then one list of values per case."""
    return {"columns": list(CASE_COLUMNS), "rows": [[row[c] for c in CASE_COLUMNS] for row in rows]}


def cases_page(package: Package, per_page: int) -> Page:
    """Cases list: the first page rendered server-side, the rest filtered by JS from static JSON per year."""
    rows = cases_rows(package)
    towns = sorted({r["town"] for r in rows if r["town"]})
    years = sorted({r["fiscal_year"] for r in rows if r["fiscal_year"]}, reverse=True)
    months = sorted({r["requested_date"][:7] for r in rows if r["requested_date"]}, reverse=True)
    files = [{"fy": year, "file": name, "n": len(part)} for year, name, part in case_files(package)]
    context = {"code": package.code, "package": package, "rows": rows[:per_page], "total": len(rows),
               "per_page": per_page, "towns": towns, "years": years, "months": months, "files": files,
               "columns": list(CASE_COLUMNS)}
    return Page(f"cases/{package.code}.html", "cases.html", context, body=package.code)


def category_medians(data: SiteData, package: Package, min_n: int) -> dict[str, list[Any]]:
    """{category: [median days to close or None, n or None]}: how long such reports take (n None if withheld)."""
    found = {}
    for row in counts(data, package, min_n).categories:
        n = row["median_n"]
        found[row["category"]] = [row["median_days"], n if isinstance(n, int) else None]
    return found


def case_view_page(data: SiteData, package: Package, min_n: int) -> Page:
    """The case view of one body: one static page, the case is picked by the pseudonym in the URL's hash."""
    context = {"code": package.code, "package": package,
               "digits": casedetail.shard_digits(len(package.tables["cases"])),
               "medians": category_medians(data, package, min_n)}
    return Page(f"cases/{package.code}/index.html", "case.html", context, in_sitemap=False, body=package.code)


def works_index_page(data: SiteData) -> Page:
    """The contracts-and-work index: every body, every year by contract type."""
    spending = {package.code: works.spending_rows(package) for package in data.bodies}
    return Page("works/index.html", "works_index.html", {"spending": spending, "contract_types": works.CONTRACT_TYPES})


def works_page(package: Package) -> Page:
    """One body's contracts and work."""
    return Page(f"works/{package.code}.html", "works.html", {
        "code": package.code, "package": package, "spending": works.spending_rows(package),
        "contract_types": works.CONTRACT_TYPES, "contractors": works.contractor_rows(package),
        "years": works.years_of(package)}, body=package.code)


def compare_pages(data: SiteData, summaries: list[dict[str, Any]], min_n: int) -> list[Page]:
    """The comparison index and, per category with cases (and 'all'), one page per period from the metrics:
    compare/<category>.html (the default period) and compare/<category>-<period>.html."""
    with_data = [s for s in summaries if s["has_page"]]
    codes = [s["code"] for s in with_data]
    present = set()
    for package in data.bodies:
        present |= set(package.tables["cases"]["category"])
    categories = [c for c in enum_labels("cases", "category", "ja") if c in present]
    periods = periodpages.page_periods(data)
    pages = [Page("compare/index.html", "compare_index.html", {"categories": categories, "bodies": with_data,
                                                                "periods": periods})]
    for category in [compare.ALL, *categories]:
        common = {"category": category, "categories": categories, "bodies": with_data,
                  "metrics_available": data.metrics is not None}
        if not periods:
            pages.append(Page(f"compare/{category}.html", "compare.html", {**common, "view": {"period": None}}))
            continue
        for period in periods:
            slices = periodpages.Slices(periodpages.metric_index(data))
            view = periodpages.compare_context(data, category, period, codes, slices,
                                               f"compare/{category}-{period.key}")
            context = {**common, "view": view}
            if period.default:
                pages.append(Page(f"compare/{category}.html", "compare.html",
                                  {**context, "canonical": f"compare/{category}-{period.key}.html"}))
            pages.append(Page(f"compare/{category}-{period.key}.html", "compare.html", context,
                              attachments=slices.files))
    return pages


def withheld_k(rows: list[dict[str, Any]]) -> int | None:
    """The k of the withheld counts among the rows' values (None when nothing is withheld)."""
    ks = [v.k for row in rows for v in row.values() if isinstance(v, Withheld)]
    return max(ks) if ks else None


def data_pages(data: SiteData) -> list[Page]:
    packages = [*data.bodies, *([data.combined] if data.combined else [])]
    return [Page("data/index.html", "data.html", {"packages": packages}),
            Page("data/dictionary.html", "dictionary.html", {"resources": RESOURCES_SHOWN})]


def body_inputs(data: SiteData, package: Package, min_n: int, per_page: int) -> list[Any]:
    """What body_pages' pages are made from besides the code, the site-wide values a body's page sees and the
    bodies' names: printed before the pages are built, so a night that leaves them as they were links the pages
    without building them. A test changes each input the pages read and checks the print changes."""
    code = package.code
    as_of = body_date(data, code)
    return [code, package, min_n, per_page, as_of, report_year(data), body_status(data).get(code, {}),
            periodpages.page_periods(data, as_of), periodpages.data_since(data).get(code, ""),
            data.metric_definitions, periodpages.body_rows(data, code)]


def body_pages(data: SiteData, package: Package, min_n: int, per_page: int) -> list[Page]:
    """The pages made from one body's package and its metrics rows: its municipality page for every period, its
    cases list, case view and contracts page."""
    return [*municipality_pages(data, package, min_n), cases_page(package, per_page),
            case_view_page(data, package, min_n), works_page(package)]


def shared_pages(data: SiteData, min_n: int) -> list[Page]:
    """Every page about every body, in a fixed order (the body pages are body_pages'); made once per build, as
    both languages render the same contexts."""
    key = f"shared_pages:{min_n}"
    if key not in data.derived:
        data.derived[key] = _shared_pages(data, min_n)
    found: list[Page] = data.derived[key]
    return found


def _shared_pages(data: SiteData, min_n: int) -> list[Page]:
    summaries = body_summaries(data, min_n)
    headlines = [s["headline"] for s in summaries if s["headline"]]
    slices = periodpages.Slices(periodpages.metric_index(data))
    overview = periodpages.home_context(data, [s["code"] for s in summaries if s["has_page"]], slices)
    pages = [Page("index.html", "home.html", {"summaries": summaries, "overview": overview},
                  attachments=slices.files),
             Page("cases/index.html", "cases_index.html", {"summaries": summaries,
                                                          "withheld_k": withheld_k(headlines)}),
             works_index_page(data)]
    pages.extend(compare_pages(data, summaries, min_n))
    pages.extend(data_pages(data))
    ks = sorted({k_of(p.descriptor) for p in data.bodies}) or [DEFAULT_K]
    pages.append(Page("methodology.html", "methodology.html", {
        "packages": data.bodies, "definitions": data.metric_definitions,
        "conventions": periodpages.conventions(data),
        "small_k": "/".join(str(k) for k in ks)}))
    pages.append(Page("updates.html", "updates.html", {"summaries": summaries, "run_bodies": body_status(data)}))
    pages.append(Page("404.html", "404.html", {}, in_sitemap=False))
    return pages
