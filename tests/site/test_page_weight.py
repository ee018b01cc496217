"""Every page type, first load in headless Chromium: at most 600 KB transferred (map tiles excluded).

The maps' own documents are counted with the page that holds them (the page is scrolled to the end so
that the lazy map iframe loads); tiles come from another host and are refused here.
"""

from pathlib import Path

import pytest

from tests.site.weigh import BUDGET, CHROMIUM, map_ready_seconds, weigh

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]
PAGE_TYPES = ["index.html", "municipalities/350001.html", "municipalities/352152.html", "cases/352152.html",
              "cases/index.html", "compare/index.html", "compare/pothole.html", "data/index.html",
              "data/dictionary.html", "about.html", "methodology.html", "updates.html", "404.html",
              "cases/352152/index.html#c-8e902df732677e22", "works/index.html", "works/352152.html"]


@pytest.mark.parametrize("lang_root", ["", "en/"])
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_first_load_is_at_most_600_kb(browser: object, server: str, lang_root: str, path: str) -> None:
    responses = weigh(browser, server, lang_root + path)
    assert lang_root + path.split("#")[0] in responses, "the page itself was not loaded"
    total = sum(responses.values())
    biggest = sorted(responses.items(), key=lambda kv: -kv[1])[:4]
    assert total <= BUDGET, f"{lang_root + path}: {total / 1024:.0f} KB, biggest {biggest}"


def test_the_municipality_page_counts_its_map_and_chart(browser: object, server: str) -> None:
    responses = weigh(browser, server, "municipalities/352152.html")
    assert "maps/352152.html" in responses
    assert "static/vendor/chart.js/chart.umd.min.js" in responses
    assert all(size > 0 for size in responses.values())


def test_cases_page_loads_one_part_of_the_list(browser: object, server: str, site: Path) -> None:
    responses = weigh(browser, server, "cases/352152.html")
    loaded = [url for url in responses if url.startswith("data/cases/")]
    assert loaded == ["data/cases/352152/2025-1.json"]
    assert len(list((site / "data" / "cases" / "352152").glob("*.json"))) > 1


@pytest.mark.parametrize("path", ["maps/350001.html", "en/maps/352152.html", "maps/prefecture.html"])
def test_a_map_is_ready_within_a_second(browser: object, server: str, path: str) -> None:
    # why: the best of three loads, so that a busy shared machine does not decide the figure
    assert min(map_ready_seconds(browser, server, path) for _ in range(3)) < 1.0
