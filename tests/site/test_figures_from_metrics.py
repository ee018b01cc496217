"""One source for every number: the home, body and comparison pages built from the bundled sample show only
figures found in the published metrics CSV, name their period, and meet the comparison pages' promises
(the latest complete fiscal year by default, every year one click away, true denominators, per-km figures)."""

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from pipeline.cli import main
from pipeline.site.compare import format_value

KEY = ("scope", "municipality_code", "category", "period_type", "period", "metric_id")
CITIES = ("352071", "352101", "352152")
# Tables that list rows of other resources (contracts, work orders, package files), not metrics.
LISTINGS = {"contractor-caption", "contracts-caption", "work-caption", "status-caption", "anon-caption"}
# Parts of a cell that are not the figure itself: interval, n, notes, flags, units.
ASIDE = ".interval, .n, .note, .flag, .unit, .muted"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    code = main(["build", "--packages", str(root / "dp"), "--output", str(root / "out"), "--executor", "serial"])
    assert code == 0
    return root


@pytest.fixture(scope="module")
def metrics(built: Path) -> dict[tuple[str, ...], dict[str, str]]:
    path = built / "dp" / "350001_yamaguchi_all" / "350001_all_metrics.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {tuple(r[k] for k in KEY): r for r in csv.DictReader(handle)}


def figure_pages(out: Path) -> list[Path]:
    pages = [out / "index.html", *sorted((out / "compare").glob("*.html")),
             *sorted((out / "municipalities").glob("*.html"))]
    return [p for lang in ("", "en/") for p in (out / lang / q.relative_to(out) for q in pages)]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_figure_is_a_cell_of_the_metrics_csv(built: Path, metrics: dict) -> None:
    checked = 0
    for page in figure_pages(built / "out"):
        doc = soup(page)
        for node in doc.select("[data-metric]"):
            key = tuple(node["data-metric"].split("|"))
            assert key in metrics, (page, key)
            row = metrics[key]
            if node.has_attr("data-value"):
                assert node["data-value"] == row["value"], (page, key)
                assert node.get_text() == format_value(row["value"], row["unit"]), (page, key, node.get_text())
                cell = node.parent
                interval = cell.select_one(".interval")
                if interval is not None:
                    low, high = (format_value(row[b], row["unit"]) for b in ("lower", "upper"))
                    assert interval.get_text() == f"[{low}–{high}]", (page, key)
                n = cell.select_one(".n")
                if n is not None:
                    assert n.get_text() == f"n={row['n'] or '—'}", (page, key)
            elif node.has_attr("data-denominator-year"):  # the year of a rate's denominator, under a card
                assert node["data-denominator-year"] == row["denominator_year"], (page, key)
                assert row["denominator_year"] in node.get_text(), (page, key)
            else:
                assert node["data-denominator"] == row["denominator_value"], (page, key)
            checked += 1
    assert checked > 10_000


def _listing(caption: str) -> bool:
    return caption in LISTINGS or caption.startswith("dl-")


def test_no_number_in_a_figure_table_comes_from_elsewhere(built: Path) -> None:
    """Every number in the figure tables and cards sits in a traced metrics cell (listings excepted)."""
    for page in figure_pages(built / "out"):
        doc = soup(page)
        cells = [td for table in doc.select("main table") for td in table.select("td")
                 if not (table.caption and _listing(table.caption.get("id", "")))]
        cells += doc.select("dl.cards dd")
        for td in cells:
            for traced in td.select(f"[data-metric], {ASIDE}"):
                traced.decompose()
            rest = td.get_text(" ", strip=True)
            if td.find_parent("table") is not None and td.find_parent("table").select_one("caption#flows-caption"):
                rest = re.sub(r"FY\d{4}|\d{4}年度（令和\d+年度）", "", rest)
            assert not re.search(r"\d", rest), (page, rest)


def test_slices_hold_rows_of_the_metrics_csv(built: Path, metrics: dict) -> None:
    out = built / "out"
    links = {a["href"] for page in figure_pages(out) for a in soup(page).select(".csv-link a")}
    assert links
    for page in (out / "compare" / "pothole.html", out / "en" / "municipalities" / "352152.html"):
        for a in soup(page).select(".csv-link a"):
            path = (page.parent / a["href"]).resolve()
            # utf-8-sig: the Excel copy of the whole metrics resource, linked beside each slice, starts with a BOM
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
            assert rows
            for row in rows:
                assert metrics[tuple(row[k] for k in KEY)] == row


def test_pothole_page_defaults_to_fy2025_with_cases_and_other_years_one_click_away(built: Path) -> None:
    for lang, fy in (("", "2025年度"), ("en/", "FY2025")):
        page = built / "out" / lang / "compare" / "pothole.html"
        doc = soup(page)
        assert fy in doc.title.get_text() and fy in doc.select_one("#metrics-caption").get_text()
        row = next(tr for tr in doc.select("#metrics-caption ~ tbody tr") if "requests_received" in tr.th.a["href"])
        for code in (*CITIES, "350001"):
            value = row.select_one(f"td[data-body='{code}'] .value")
            assert value["data-metric"].endswith("|fiscal_year|2025|requests_received")
            assert int(row.select_one(f"td[data-body='{code}'] .n").get_text().removeprefix("n=")) > 0
        links = {a["href"]: a.get_text() for a in doc.select("nav.periods a")}
        assert {"pothole-fy2023.html", "pothole-fy2024.html", "pothole-fy2026.html", "pothole-all.html"} <= {
            h.rsplit("/", 1)[-1] for h in links}
        partial = next(text for href, text in links.items() if href.endswith("fy2026.html"))
        assert ("途中" if not lang else "partial") in partial
    fy2023 = soup(built / "out" / "en" / "compare" / "pothole-fy2023.html")
    assert "FY2023" in fy2023.select_one("#metrics-caption").get_text()


def test_all_bodies_population_is_the_sum_over_distinct_coverage(metrics: dict) -> None:
    def row(scope: str, code: str) -> dict[str, str]:
        return metrics[(scope, code, "all", "fiscal_year", "2025", "requests_per_10k_residents")]

    cities = sum(float(row("body", c)["denominator_value"]) for c in CITIES)
    assert float(row("body", "350001")["denominator_value"]) == cities  # the prefecture's coverage
    assert float(row("all", "")["denominator_value"]) == cities  # never the prefecture plus the cities again
    assert row("all", "")["denominator_year"] == "FY2024"


def test_per_km_figures_for_the_three_cities_and_not_for_the_prefecture(metrics: dict) -> None:
    for code in CITIES:
        row = metrics[("body", code, "all", "fiscal_year", "2025", "requests_per_100km_road")]
        assert float(row["value"]) > 0 and row["denominator_year"] == "2024-03-31"
        spend = metrics[("body", code, "all", "fiscal_year", "2025", "spending_per_km_road")]
        assert float(spend["value"]) > 0
    pref = metrics[("body", "350001", "all", "fiscal_year", "2025", "requests_per_100km_road")]
    assert pref["value"] == "" and pref["denominator_source"].startswith("not available")


def test_the_all_bodies_rate_per_resident_says_why_it_is_above_every_body(built: Path, metrics: dict) -> None:
    """The prefecture and the cities take requests from the same residents: the all-bodies rate sums them."""
    def rate(scope: str, code: str) -> dict[str, str]:
        return metrics[(scope, code, "all", "fiscal_year", "2025", "requests_per_10k_residents")]

    everyone = float(rate("all", "")["value"])
    assert all(everyone > float(rate("body", c)["value"]) for c in (*CITIES, "350001"))
    added = sum(float(rate("body", c)["denominator_value"]) for c in (*CITIES, "350001"))
    for lang, words in (("", "団体ごとの人口の合計"), ("en/", "not an average of the bodies' rates")):
        for page in ("index.html", "compare/all.html", "compare/pothole.html"):
            note = next(p for p in soup(built / "out" / lang / page).select("p.note") if words in p.get_text())
            shown = note.select_one("[data-denominator]")
            assert shown["data-metric"].startswith("all||")
            assert shown["data-denominator"] == rate("all", "")["denominator_value"]
            assert f"{added:,.0f}" in note.get_text()
            # the all-bodies rate per 10,000 residents is marked, and the mark leads to the note; no other cell is
            assert note["id"] == "shared-residents"
            marks = soup(built / "out" / lang / page).select('a.note-ref[href="#shared-residents"]')
            assert len(marks) == 1, page
            shown_value = marks[0].find_parent("td").select_one("span.value")
            assert shown_value["data-metric"].startswith("all||")
            assert shown_value["data-metric"].endswith("|fiscal_year|2025|requests_per_10k_residents")


def test_no_shared_residents_note_where_the_populations_add_up(metrics: dict) -> None:
    from pipeline.site.compare import MetricIndex, shared_residents

    rows = [r for k, r in metrics.items() if k[4] == "2025" and k[2] == "all"]
    assert shared_residents(MetricIndex(pd.DataFrame(rows)), ["350001", *CITIES], 2025) is not None

    def population(r: dict[str, str], value: str) -> dict[str, str]:
        return {**r, "denominator_value": value} if r["metric_id"] == "requests_per_10k_residents" else r

    cities = sum(float(metrics[("body", c, "all", "fiscal_year", "2025", "requests_per_10k_residents")]
                       ["denominator_value"]) for c in CITIES)
    # cities alone, none of whose residents another body serves: their populations add up to all bodies'
    alone = [population(r, str(cities)) if r["scope"] == "all" else r for r in rows
             if r["municipality_code"] != "350001"]
    assert shared_residents(MetricIndex(pd.DataFrame(alone)), list(CITIES), 2025) is None
    unknown = [population(r, "") if r["municipality_code"] == "352101" else r for r in rows]
    assert shared_residents(MetricIndex(pd.DataFrame(unknown)), ["350001", *CITIES], 2025) is None
