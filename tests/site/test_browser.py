"""Every page type in Japanese and English in headless chromium: axe-core, language switch, chart, filters."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]
# a case of the fixture's Shunan package with a work order (the case view shows one case, named in the hash)
CASE = "cases/352152/index.html#c-8e902df732677e22"
PAGE_TYPES = ["index.html", "municipalities/352152.html", "cases/352152.html", "cases/index.html",
              "compare/index.html", "compare/pothole.html", "data/index.html", "data/dictionary.html",
              "about.html", "methodology.html", "updates.html", "404.html", CASE, "works/index.html",
              "works/352152.html", "maps/352152.html", "maps/prefecture.html?period=fy:2024"]




def axe_source() -> str:
    """axe-core as shipped with axe-playwright-python, read as UTF-8 whatever the locale."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: object) -> list[dict[str, object]]:
    """Run axe-core in the page and in its frames (the map iframes); violations only."""
    source = axe_source()
    # why: a lazy iframe below the fold has no document yet, and evaluating in it waits forever
    page.evaluate("document.querySelectorAll('iframe[loading=lazy]').forEach(f => { f.loading = 'eager'; })")  # type: ignore[attr-defined]
    for frame in page.frames:  # type: ignore[attr-defined]
        frame.wait_for_load_state("load", timeout=30_000)
        frame.evaluate(source)
    return page.evaluate(  # type: ignore[attr-defined,no-any-return]
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def _open(page: object, url: str) -> None:
    page.goto(url, wait_until="load")  # type: ignore[attr-defined]
    if "/cases/352152/" in url:
        page.wait_for_selector("#case:not([hidden])")  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang_root", ["", "en/"])
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_axe_reports_no_violations(page: object, server: str, lang_root: str, path: str) -> None:
    _open(page, server + lang_root + path)
    violations = axe_violations(page)
    report = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in violations]  # type: ignore[index]
    assert report == []


@pytest.mark.parametrize("lang_root", ["", "en/"])
@pytest.mark.parametrize("path", ["cases/352152.html", CASE, "works/index.html", "works/352152.html",
                                  "data/index.html", "data/dictionary.html", "methodology.html",
                                  "maps/352152.html?category=pothole", "maps/prefecture.html"])
def test_axe_reports_no_violations_on_a_phone(browser: object, server: str, lang_root: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                  else route.abort())
    tab = context.new_page()
    try:
        _open(tab, server + lang_root + path)
        violations = axe_violations(tab)
    finally:
        context.close()
    report = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in violations]  # type: ignore[index]
    assert report == []


@pytest.mark.parametrize(("lang_root", "other", "lang"), [("", "en/", "en"), ("en/", "", "ja")])
def test_language_switch_goes_to_the_same_page(page: object, server: str, lang_root: str, other: str,
                                               lang: str) -> None:
    _open(page, server + lang_root + "municipalities/352152.html")
    page.click("a.lang-switch")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert page.url == server + other + "municipalities/352152.html"  # type: ignore[attr-defined]
    assert page.get_attribute("html", "lang") == lang  # type: ignore[attr-defined]


def test_trend_chart_renders(page: object, server: str) -> None:
    _open(page, server + "municipalities/352152.html")
    page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart')")  # type: ignore[attr-defined]
    box = page.locator("#trend-chart").bounding_box()  # type: ignore[attr-defined]
    assert box["width"] > 100 and box["height"] > 100


def test_cases_load_the_newest_year_first_and_others_on_demand(page: object, server: str) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/data/cases/" in r.url else None)  # type: ignore[attr-defined]
    _open(page, server + "en/cases/352152.html")
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    assert [u.rsplit("/", 2)[-2:] for u in fetched] == [["352152", "2025-1.json"]]
    rows = page.locator("#cases-table tbody tr")  # type: ignore[attr-defined]
    first = rows.count()
    assert 0 < first < 32
    assert "32" in page.inner_text("#case-count")  # type: ignore[attr-defined]
    page.click("#case-more")  # type: ignore[attr-defined]
    page.wait_for_function("() => document.querySelectorAll('#cases-table tbody tr').length === 32")  # type: ignore[attr-defined]
    assert fetched[-1].endswith("/352152/2024-1.json")
    page.select_option("select[name=period]", "fy:2024")  # type: ignore[attr-defined]
    page.wait_for_function("() => document.getElementById('case-count').textContent.indexOf('32') < 0")  # type: ignore[attr-defined]
    years = page.locator("#cases-table tbody tr td:nth-child(1) time").evaluate_all(  # type: ignore[attr-defined]
        "ts => ts.map(t => t.dateTime)")
    assert years and all("2024-04-01" <= d <= "2025-03-31" for d in years)
    assert len(fetched) == 2  # the year was loaded already


def test_a_filter_loads_every_year_it_needs(page: object, server: str) -> None:
    _open(page, server + "en/cases/352152.html")
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    page.select_option("select[name=category]", "pothole")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('#cases-table time')].some(t => t.dateTime < '2025-04-01')")
    dates = page.locator("#cases-table tbody time").evaluate_all("ts => ts.map(t => t.dateTime)")  # type: ignore[attr-defined]
    assert dates == sorted(dates, reverse=True)  # newest first across the years
    assert page.locator("#case-more").is_hidden()  # type: ignore[attr-defined]


def test_cases_filters_work(page: object, server: str) -> None:
    _open(page, server + "en/cases/352152.html")
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    rows = page.locator("#cases-table tbody tr")  # type: ignore[attr-defined]
    page.click("#case-more")  # type: ignore[attr-defined]
    page.wait_for_function("() => document.querySelectorAll('#cases-table tbody tr').length === 32")  # type: ignore[attr-defined]
    total = rows.count()
    assert total == 32
    page.select_option("select[name=category]", "pothole")  # type: ignore[attr-defined]
    pothole = rows.count()
    assert 0 < pothole < total
    texts = page.locator("#cases-table tbody tr td:nth-child(2)").all_text_contents()  # type: ignore[attr-defined]
    assert set(texts) == {"Pothole"}
    page.select_option("select[name=category]", "")  # type: ignore[attr-defined]
    page.fill("input[name=q]", "onerror")  # type: ignore[attr-defined]
    assert rows.count() == 1
    # the hostile description is shown as text, not turned into an element
    assert page.locator("#cases-table img").count() == 0  # type: ignore[attr-defined]
    assert "onerror=alert(1)" in rows.first.inner_text()


def test_compare_picker_hides_columns(page: object, server: str) -> None:
    _open(page, server + "compare/pothole.html")
    page.wait_for_selector("#body-picker:not([hidden])")  # type: ignore[attr-defined]
    page.uncheck("input[name=body][value='350001']")  # type: ignore[attr-defined]
    assert page.locator("th[data-body='350001']").first.is_hidden()  # type: ignore[attr-defined]
    assert page.locator("th[data-body='352152']").first.is_visible()  # type: ignore[attr-defined]


def every_page(site: Path) -> list[str]:
    """Every HTML page of the built site in both languages (the case views with a case in the hash),
    the map pages and the map documents they embed (maps/frame/) included."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "downloads" not in p.parts)
    return [page + "#c-8e902df732677e22" if page.endswith("cases/352152/index.html") else page for page in pages]


def test_no_horizontal_overflow_on_a_phone(browser: object, server: str, site: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                  else route.abort())
    tab = context.new_page()
    pages = every_page(site)
    assert len(pages) > 2 * len(PAGE_TYPES)
    wide = []
    try:
        for path in pages:
            tab.goto(server + path, wait_until="load")
            if "#c-" in path:
                tab.wait_for_selector("#case:not([hidden])")
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                wide.append((path, width))
    finally:
        context.close()
    assert wide == []


def test_site_fixture_is_served(site: Path, server: str) -> None:
    assert (site / "index.html").is_file() and server.startswith("http://127.0.0.1:")


def test_on_a_phone_tables_are_cards_and_hidden_columns_stay_hidden(browser: object, server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                  else route.abort())
    tab = context.new_page()
    try:
        tab.goto(server + "compare/pothole.html", wait_until="load")
        tab.wait_for_selector("#body-picker:not([hidden])")
        assert tab.locator("table.stack").count() > 0
        tab.uncheck("input[name=body][value='350001']")
        shown = ("body => [...document.querySelectorAll(`td[data-body='${body}']`)]"
                 ".map(td => getComputedStyle(td).display !== 'none')")
        assert not any(tab.evaluate(shown, "350001"))
        assert all(tab.evaluate(shown, "352152"))  # shown, though a long table may be folded behind its caption
        tab.goto(server + "works/352152.html", wait_until="load")
        cell = tab.locator("#spending-by-type tbody td").first
        assert cell.get_attribute("data-label") == "単価契約"
        assert tab.evaluate("getComputedStyle(document.querySelector('#spending-by-type tbody tr')).display") == "block"
        head = "getComputedStyle(document.querySelector('#spending-by-type thead')).position"
        assert tab.evaluate(head) == "absolute"  # the headers stay for screen readers, out of sight
    finally:
        context.close()


def long_table_page(rows: int) -> str:
    """A page of the site's shape with one long table; it loads the site's own stack.js."""
    body = "".join(f"<tr><td>{n}</td><td>町{n}</td></tr>" for n in range(rows))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            '<link rel="stylesheet" href="theme/css/portal.css"></head><body><main>'
            '<div class="table-scroll"><table><caption id="long-caption">Work orders</caption>'
            f'<thead><tr><th scope="col">No</th><th scope="col">Town</th></tr></thead><tbody>{body}</tbody>'
            '</table></div></main><script src="theme/js/stack.js"></script></body></html>')


@pytest.mark.parametrize(("width", "rows", "collapsed"), [(375, 11, True), (375, 10, False), (1280, 11, False)])
def test_on_a_phone_a_long_table_collapses_behind_its_caption(browser: object, server: str, width: int,
                                                               rows: int, collapsed: bool) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                  else route.abort())
    tab = context.new_page()
    tab.route(server + "long-table.html", lambda route: route.fulfill(body=long_table_page(rows),
                                                                      content_type="text/html"))
    try:
        tab.goto(server + "long-table.html", wait_until="load")
        summary = tab.locator("details:has(#long-caption) > summary")
        assert summary.count() == (1 if collapsed else 0)
        assert tab.locator("table.stack").count() == 1
        if collapsed:
            assert summary.inner_text() == f"Work orders ({rows} rows)"
            assert tab.locator("#long-caption").is_hidden()
            summary.click()
            assert tab.locator("#long-caption").is_visible()
    finally:
        context.close()
