"""Map pages in headless chromium: filters in the URL, the map and its table recounted, a cell's cases listed.

The counts are checked against the fixture package's cases CSV, read here with pandas.
"""

import pandas as pd
import pytest

from tests.site.conftest import CHROMIUM, PACKAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]
CELL_LEVELS = ("quarter", "half", "standard", "second")
CIRCLES = """() => { const map = window[document.querySelector('.folium-map').id]; let n = 0;
  map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }"""


def cases() -> pd.DataFrame:
    return pd.read_csv(PACKAGES / "352152_shunan" / "352152_cases.csv", dtype=str, keep_default_na=False)


def shown_rows(page: object) -> dict[str, str]:
    """{mesh code: count} of the table rows the page shows."""
    rows = page.locator("#map-table tbody tr:not([hidden])")  # type: ignore[attr-defined]
    return dict(rows.evaluate_all("rs => rs.map(r => [r.cells[0].textContent.trim(), r.cells[2].textContent])"))


@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_a_filtered_map_link_shows_those_cells_and_a_cell_opens_its_cases(page: object, server: str,
                                                                          lang_root: str) -> None:
    frame = cases()
    wanted = frame[(frame["category"] == "pothole") & frame["mesh_level"].isin(CELL_LEVELS)]
    expected = {code: str(n) for code, n in wanted.groupby("mesh_code").size().items()}
    assert 0 < len(expected) < frame["mesh_code"].replace("", pd.NA).nunique()

    page.goto(server + lang_root + "maps/352152.html?category=pothole")  # type: ignore[attr-defined]
    page.wait_for_selector("#map-filters:not([hidden])")  # type: ignore[attr-defined]
    assert page.input_value("select[name=category]") == "pothole"  # type: ignore[attr-defined]
    assert shown_rows(page) == expected
    assert page.get_attribute("#map-frame", "src") == "frame/352152.html?category=pothole"  # type: ignore[attr-defined]
    assert page.get_attribute("a.lang-switch", "href").endswith("maps/352152.html?category=pothole")  # type: ignore[attr-defined,union-attr]

    # the map document draws the same cells, and a cell's popup links to the cases list filtered to it
    map_frame = page.frame_locator("#map-frame")  # type: ignore[attr-defined]
    map_frame.locator(".mieruka-legend").wait_for()
    document = next(f for f in page.frames if f.url.endswith("frame/352152.html?category=pothole"))  # type: ignore[attr-defined]
    assert document.evaluate(CIRCLES) == len(expected)
    code, n = sorted(expected.items())[0]
    href = document.evaluate("""code => { const map = window[document.querySelector('.folium-map').id];
        let found = null;
        map.eachLayer(l => { if (!found && l instanceof L.CircleMarker) { l.openPopup();
          const a = document.querySelector('.leaflet-popup-content a');
          if (a && a.getAttribute('href').indexOf('cell=' + code) >= 0) { found = a.getAttribute('href'); }
          l.closePopup(); } });
        return found; }""", code)
    assert href == f"../../cases/352152.html?cell={code}&category=pothole"

    # the table's link to the same cell opens the cases list with exactly that cell's pothole cases
    page.click(f"#map-table tbody tr:not([hidden]) a[href*='cell={code}']")  # type: ignore[attr-defined]
    page.wait_for_url(f"**/{lang_root}cases/352152.html?cell={code}&category=pothole")  # type: ignore[attr-defined]
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    assert page.input_value("#case-filters input[name=cell]") == code  # type: ignore[attr-defined]
    page.wait_for_function(f"() => document.querySelectorAll('#cases-table tbody tr').length === {n}")  # type: ignore[attr-defined]
    dates = page.locator("#cases-table tbody time").evaluate_all("ts => ts.map(t => t.dateTime)")  # type: ignore[attr-defined]
    assert sorted(dates) == sorted(wanted[wanted["mesh_code"] == code]["requested_date"])


def test_changing_a_filter_updates_the_url_the_table_and_the_map(page: object, server: str) -> None:
    frame = cases()
    page.goto(server + "en/maps/352152.html")  # type: ignore[attr-defined]
    page.wait_for_selector("#map-filters:not([hidden])")  # type: ignore[attr-defined]
    located = frame[frame["mesh_level"].isin(CELL_LEVELS)]
    assert shown_rows(page) == {c: str(n) for c, n in located.groupby("mesh_code").size().items()}
    page.select_option("select[name=status]", "declined")  # type: ignore[attr-defined]
    page.wait_for_url("**/en/maps/352152.html?status=declined")  # type: ignore[attr-defined]
    declined = located[located["status"] == "declined"]
    assert shown_rows(page) == {c: str(n) for c, n in declined.groupby("mesh_code").size().items()}
    unlocated = int((frame["status"] == "declined").sum()) - len(declined)
    assert f"{len(declined)} cases in {declined['mesh_code'].nunique()} mesh cells" in page.inner_text("#map-count")  # type: ignore[attr-defined]
    assert f"{unlocated} cases without a published location" in page.inner_text("#map-count")  # type: ignore[attr-defined]
    page.wait_for_function("() => document.getElementById('map-frame').contentWindow.location.search"  # type: ignore[attr-defined]
                           " === '?status=declined'")
    document = next(f for f in page.frames if f.url.endswith("frame/352152.html?status=declined"))  # type: ignore[attr-defined]
    document.wait_for_function("() => document.querySelector('.mieruka-legend')")
    assert document.evaluate(CIRCLES) == declined["mesh_code"].nunique()
    page.go_back()  # type: ignore[attr-defined]
    page.wait_for_url("**/en/maps/352152.html")  # type: ignore[attr-defined]
    assert page.input_value("select[name=status]") == ""  # type: ignore[attr-defined]
    assert len(shown_rows(page)) == located["mesh_code"].nunique()


def test_the_prefecture_map_recounts_each_municipality_for_the_filters(page: object, server: str) -> None:
    frame = cases()
    page.goto(server + "maps/prefecture.html?period=fy:2024&category=pothole")  # type: ignore[attr-defined]
    page.wait_for_selector("#map-filters:not([hidden])")  # type: ignore[attr-defined]
    expected = int(((frame["fiscal_year"] == "2024") & (frame["category"] == "pothole")).sum())
    assert page.inner_text("#map-table tr[data-code='352152'] td") == str(expected)  # type: ignore[attr-defined]
    document = page.frame_locator("#map-frame")  # type: ignore[attr-defined]
    document.locator(".mieruka-legend").wait_for()
    texts = document.locator(".mieruka-sr table").first.inner_text()
    assert f"周南市\t{expected}" in texts


@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_on_a_phone_the_cells_table_is_cards_behind_its_caption(browser: object, server: str, lang_root: str) -> None:
    located = cases()[lambda f: f["mesh_level"].isin(CELL_LEVELS)]
    cells = located["mesh_code"].nunique()
    assert cells > 10  # more than ten cards: the table collapses
    context = browser.new_context(viewport={"width": 375, "height": 800})  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server) else route.abort())
    try:
        phone = context.new_page()
        phone.goto(server + lang_root + "maps/352152.html")
        phone.wait_for_selector("#map-filters:not([hidden])")
        assert phone.evaluate("document.querySelector('#map-table').classList.contains('stack')")
        details = phone.locator("details.table-details:has(#map-table)")
        assert details.count() == 1 and details.get_attribute("open") is None
        assert not phone.locator("#map-table").is_visible()
        # the summary is the caption alone: the page's script redraws the rows, so no count is shown
        caption = phone.locator("#map-table caption").text_content().strip()
        assert details.locator("summary").text_content().strip() == caption
        details.locator("summary").click()
        assert phone.locator("#map-table").is_visible()
        # a filter still recounts the table inside the opened section
        phone.select_option("select[name=category]", "pothole")
        pothole = located[located["category"] == "pothole"]["mesh_code"].nunique()
        shown = "() => document.querySelectorAll('#map-table tbody tr:not([hidden])').length"
        phone.wait_for_function(f"{shown} === {pothole}")
    finally:
        context.close()
