"""Periods in the address and the year-over-year charts, in headless chromium on the fixture site."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]




@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_one_click_to_another_year_and_the_address_keeps_it(page: object, server: str, lang_root: str) -> None:
    page.goto(server + lang_root + "compare/pothole.html")  # type: ignore[attr-defined]
    current = page.locator("nav.periods a[aria-current=page]")  # type: ignore[attr-defined]
    assert "2024" in current.inner_text()  # the fixture's latest complete fiscal year
    page.click("nav.periods a[href$='pothole-fy2025.html']")  # type: ignore[attr-defined]
    assert page.url.endswith(lang_root + "compare/pothole-fy2025.html")  # type: ignore[attr-defined]
    caption = page.locator("#metrics-caption").inner_text()  # type: ignore[attr-defined]
    assert "2025" in caption
    partial = page.locator("nav.periods a[aria-current=page]").inner_text()  # type: ignore[attr-defined]
    assert ("途中" if not lang_root else "partial") in partial


def test_trend_charts_are_drawn_with_a_table_twin(page: object, server: str) -> None:
    page.goto(server + "en/compare/pothole-all.html")  # type: ignore[attr-defined]
    charts = page.locator("canvas.yoy-chart")  # type: ignore[attr-defined]
    assert charts.count() >= 3
    drawn = page.evaluate(  # type: ignore[attr-defined]
        "Array.from(document.querySelectorAll('canvas.yoy-chart')).every(c => window.Chart.getChart(c))")
    assert drawn
    table = page.locator("section.trend table").first  # type: ignore[attr-defined]
    assert "FY2024" in table.inner_text() and "n=" in table.inner_text()
    assert page.locator("a.chart-save").count() == charts.count()  # type: ignore[attr-defined]
