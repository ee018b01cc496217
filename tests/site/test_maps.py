"""Maps: self-hosted assets, escaping of hostile text, determinism, counting per mesh cell, browser run."""

import functools
import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.site import mapcells, maps
from pipeline.site.map_document import check_asset_prefix, neutral_text, script_json

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/shots")
PREFIX = "../static/vendor/"
HOSTILE = ["<script>alert(1)</script>", "{{7*7}}", "{% if %}", "${alert(1)}", "`"]
HOSTILE_TEXT = " ".join(HOSTILE)
STATUSES = ["received", "in_progress", "completed", "declined", "referred", "monitoring"]
ALLOWED_HOSTS = {"cyberjapandata.gsi.go.jp", "maps.gsi.go.jp", "www.w3.org"}


# ---------------------------------------------------------------- fixtures


def synthetic_cases(n: int, seed: int = 7, cells: int = 400) -> pd.DataFrame:
    """n fake cases of Shunan spread over `cells` quarter-mesh-like centres; 5 % without location."""
    rng = np.random.default_rng(seed)
    lat_centres = 34.03 + 0.0041667 * rng.integers(0, 40, size=cells)
    lon_centres = 131.70 + 0.00625 * rng.integers(0, 40, size=cells)
    pick = rng.integers(0, cells, size=n)
    withheld = rng.random(n) < 0.05
    lat = np.round(lat_centres[pick], 6).astype(str)
    lon = np.round(lon_centres[pick], 6).astype(str)
    return pd.DataFrame({
        "municipality_code": "352152",
        "status": rng.choice(STATUSES, size=n),
        "category": rng.choice(["pothole", "weeding", "drainage"], size=n),
        "town": rng.choice(["久米", "熊毛", "鹿野"], size=n),
        "mesh_code": np.where(withheld, "", (5131000000 + pick).astype(str)),
        "mesh_level": np.where(withheld, "municipality", "quarter"),
        "latitude": np.where(withheld, "", lat),
        "longitude": np.where(withheld, "", lon),
    })


def small_cases() -> pd.DataFrame:
    return pd.DataFrame({
        "status": ["completed", "completed", "declined", "received", "completed", "referred", "declined"],
        "category": ["pothole"] * 7,
        "town": ["久米"] * 7,
        "mesh_code": ["5131160541", "5131160541", "5131160541", "5131062534", "", "", "5131062534"],
        "mesh_level": ["quarter", "quarter", "quarter", "quarter", "municipality", "none", "quarter"],
        "latitude": ["34.088542", "34.088542", "34.088542", "34.023958", "", "", ""],
        "longitude": ["131.820312", "131.820312", "131.820312", "131.817188", "", "", "131.817188"],
    })


def all_values() -> dict[str, float | None]:
    codes = sorted(c for c in maps.municipality_names("ja") if c != "350001")
    return {c: float(i * 3 + 1) for i, c in enumerate(codes)}


def payload(document: str) -> dict[str, Any]:
    """The data our map script receives (the JSON after `var data =`)."""
    match = re.search(r"var data = (\{.*?\});\n  var ui", document, re.DOTALL)
    assert match, "map data not found"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


# ---------------------------------------------------------------- documents and assets


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_documents_are_standalone_with_language_and_title(lang: str) -> None:
    for document in (maps.prefecture_map(all_values(), "受付件数", lang, PREFIX),
                     maps.cases_map(small_cases(), lang, PREFIX)):
        assert document.startswith("<!DOCTYPE html>\n")
        assert f'<html lang="{lang}">' in document
        assert re.search(r"<title>[^<]+</title>", document)
        assert document.rstrip().endswith("</html>")
        assert "L.map(" in document and '"zoomControl": true' in document


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_only_vendor_assets_and_gsi_tiles(lang: str) -> None:
    for document in (maps.prefecture_map(all_values(), "受付件数", lang, PREFIX),
                     maps.cases_map(small_cases(), lang, PREFIX)):
        scripts = re.findall(r'<script src="([^"]*)"', document)
        styles = re.findall(r'<link rel="stylesheet" href="([^"]*)"', document)
        assert scripts == [f"{PREFIX}leaflet/leaflet.js"]
        assert styles == [f"{PREFIX}leaflet/leaflet.css"]
        hosts = {urlparse(u).hostname for u in re.findall(r"https?://[^\s\"'\\]+", document)}
        assert hosts <= ALLOWED_HOSTS
        for word in ("cdn", "jquery", "bootstrap", "awesome", "fontawesome", "unpkg", "openstreetmap"):
            assert word not in document.lower()
        assert "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png" in document
        assert "maps.gsi.go.jp/development/ichiran.html" in document


def test_attributions_in_page_language() -> None:
    ja = maps.prefecture_map(all_values(), "受付件数", "ja", PREFIX)
    en = maps.prefecture_map(all_values(), "Cases", "en", PREFIX)
    assert "\\u5730\\u7406\\u9662\\u30bf\\u30a4\\u30eb" in ja  # 地理院タイル, JSON-escaped by folium
    assert "GSI Tiles" in en
    assert "国土数値情報（行政区域データ）" in payload(ja)["attribution"]
    assert "MLIT" in payload(en)["attribution"]


@pytest.mark.parametrize("prefix", ["https://cdn.example/", "//cdn.example/", "/static/vendor/",
                                    '../x"><script>', "..\\vendor\\"])
def test_asset_prefix_must_be_relative_path(prefix: str) -> None:
    with pytest.raises(ValueError):
        maps.cases_map(small_cases(), "ja", prefix)


def test_asset_prefix_gets_trailing_slash() -> None:
    assert check_asset_prefix("../../static/vendor") == "../../static/vendor/"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        maps.prefecture_map(all_values(), "x", "fr", PREFIX)


# ---------------------------------------------------------------- determinism


def test_renders_are_byte_identical() -> None:
    cases = synthetic_cases(2_000)
    assert maps.cases_map(cases, "ja", PREFIX) == maps.cases_map(cases.copy(), "ja", PREFIX)
    values = all_values()
    assert maps.prefecture_map(values, "受付件数", "en", PREFIX) == maps.prefecture_map(
        dict(values), "受付件数", "en", PREFIX)


def test_no_random_element_ids() -> None:
    document = maps.cases_map(small_cases(), "en", PREFIX)
    assert not re.search(r"[0-9a-f]{32}", document)


def test_row_order_does_not_change_the_map() -> None:
    cases = synthetic_cases(500)
    shuffled = cases.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert maps.cases_map(cases, "en", PREFIX) == maps.cases_map(shuffled, "en", PREFIX)


# ---------------------------------------------------------------- escaping


def assert_inert(document: str) -> None:
    for text in HOSTILE:
        assert text not in document
    assert "{%" not in document


def test_town_never_reaches_the_document_and_a_category_only_as_a_schema_code() -> None:
    benign = small_cases()
    hostile = benign.assign(town=HOSTILE_TEXT, category=HOSTILE_TEXT)
    for lang in ("ja", "en"):
        document = maps.cases_map(hostile, lang, PREFIX)
        assert document == maps.cases_map(benign.assign(category="zzz"), lang, PREFIX)
        assert_inert(document)
        assert {fact[2] for fact in payload(document)["facts"]} == {""}
        assert {fact[2] for fact in payload(maps.cases_map(benign, lang, PREFIX))["facts"]} == {"pothole"}


def test_hostile_status_is_counted_as_unknown_without_its_text() -> None:
    cases = small_cases()
    for text in [*HOSTILE, HOSTILE_TEXT]:
        hostile = cases.assign(status=[text, *cases["status"][1:]])
        document = maps.cases_map(hostile, "en", PREFIX)
        assert_inert(document)
        assert document == maps.cases_map(cases.assign(status=["zzz", *cases["status"][1:]]), "en", PREFIX)
        data = payload(document)
        assert data["labels"][-1] == "Unknown status"
        assert sum(cell[5][-1] for cell in data["cells"]) == 1


def test_hostile_label_is_data_not_markup() -> None:
    document = maps.prefecture_map(all_values(), HOSTILE_TEXT, "ja", PREFIX)
    assert_inert(document)
    data = payload(document)
    assert data["label"] == HOSTILE_TEXT  # not 49: never rendered as a template
    assert data["legend"]["title"] == HOSTILE_TEXT
    assert "<title>" + neutral_text(HOSTILE_TEXT) in document


def test_hostile_names_in_boundaries_are_data(tmp_path: Path) -> None:
    geojson = json.loads(maps.BOUNDARIES.read_text(encoding="utf-8"))
    for feature in geojson["features"]:
        feature["properties"]["N03_004"] = HOSTILE_TEXT
    geojson["features"][0]["properties"]["N03_007"] = "99999"  # not in the code table: GeoJSON name used
    path = tmp_path / "hostile.geojson"
    path.write_text(json.dumps(geojson, ensure_ascii=False), encoding="utf-8")
    document = maps.prefecture_map({"999997": 1.0}, "受付件数", "ja", PREFIX, boundaries=path)
    assert_inert(document)
    first = payload(document)["geojson"]["features"][0]["properties"]
    assert first == {"name": HOSTILE_TEXT, "text": "1", "fill": maps.CLASS_COLOURS[2]}


def test_script_json_escapes_everything_that_could_break_out() -> None:
    value = {"a": "</script><!-- {{7*7}} {% if %} ${x} ` ' & % \\{", "b": [1, None, {"c": "{%"}]}
    text = script_json(value)
    inside_strings = "".join(re.findall(r'"(?:[^"\\]|\\.)*"', text))
    for raw in "<>&'{}$%`":
        assert raw not in inside_strings
    assert json.loads(text) == value


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=12))
def test_script_json_of_any_value_reads_back_with_nothing_raw_inside_strings(value: Any) -> None:
    text = script_json(value)
    inside_strings = "".join(re.findall(r'"(?:[^"\\]|\\.)*"', text))
    assert not set("<>&'{}$%`") & set(inside_strings)
    assert json.loads(text) == value


@given(st.text())
def test_neutral_text_of_any_text_has_no_markup_or_template_character(text: str) -> None:
    assert not set("<>{}$%`\"'") & set(neutral_text(text))


def test_neutral_text() -> None:
    assert neutral_text("<b>{{x}}${y}`%") == "&lt;b&gt;&#123;&#123;x&#125;&#125;&#36;&#123;y&#125;&#96;&#37;"


# ---------------------------------------------------------------- counting


def test_counts_per_cell_equal_input_counts() -> None:
    cases = synthetic_cases(5_000)
    cells, unlocated = mapcells.count_cells(cases)
    located = cases[cases["latitude"] != ""]
    assert unlocated == len(cases) - len(located)
    assert int(cells["total"].sum()) == len(located)
    assert cells["total"].min() >= 1
    expected = located.groupby(["latitude", "longitude"]).size()
    assert len(cells) == len(expected)
    for status in STATUSES:
        assert int(cells[status].sum()) == int((located["status"] == status).sum())
    assert not cells.duplicated(["latitude", "longitude"]).any()


def test_small_counts_and_note() -> None:
    cells, unlocated = mapcells.count_cells(small_cases())
    # two municipality/none rows and one row with a longitude but no latitude
    assert unlocated == 3
    assert cells[["latitude", "longitude", "completed", "declined", "received", "total"]].to_dict("records") == [
        {"latitude": 34.023958, "longitude": 131.817188, "completed": 0, "declined": 0, "received": 1,
         "total": 1},
        {"latitude": 34.088542, "longitude": 131.820312, "completed": 2, "declined": 1, "received": 0,
         "total": 3},
    ]
    data = payload(maps.cases_map(small_cases(), "en", PREFIX))
    assert [c[2] for c in data["cells"]] == [1, 3]
    assert data["labels"][data["cells"][1][3]] == "Completed"  # dominant status colours the circle
    assert "3 cases without a published location" in data["legend"]["notes"]
    ja = payload(maps.cases_map(small_cases(), "ja", PREFIX))
    assert "位置を公開していない通報 3件" in ja["legend"]["notes"]
    assert ja["labels"][:6] == ["受付", "対応中", "完了", "対応不可", "回付", "経過観察"]


def test_no_count_is_withheld_and_case_cells_weigh_their_rows() -> None:
    """Every count on the map is a count of published rows (docs/privacy.md): none is withheld, and a
    case_cells row counts as its `cases`."""
    data = payload(maps.cases_map(small_cases(), "en", PREFIX))
    assert [c[2] for c in data["cells"]] == [1, 3]
    assert not any(isinstance(n, str) for c in data["cells"] for n in c[5])
    cells = pd.DataFrame({"municipality_code": "352152", "fiscal_year": ["2024", "2025", "2025", "2025"],
                          "mesh_level": ["half", "half", "second", "municipality"],
                          "mesh_code": ["513106644", "513106644", "513106", ""],
                          "latitude": ["34.052083", "34.052083", "34.041667", ""],
                          "longitude": ["131.809375", "131.809375", "131.8125", ""],
                          "status": ["completed", "declined", "completed", "completed"],
                          "cases": ["4", "3", "5", "2"]})
    data = payload(maps.cases_map(cells, "en", PREFIX))
    assert sorted(c[2] for c in data["cells"]) == [5, 7]
    square = next(c for c in data["cells"] if c[2] == 5)[6]
    assert square == [34.0, 131.75, 34.083333, 131.875]  # the 10 km cell's own bounds
    assert next(c for c in data["cells"] if c[2] == 7)[6] is None
    notes = " ".join(data["legend"]["notes"])
    assert "12 cases in 2 mesh cells on the map" in notes and "2 cases without a published location" in notes
    assert "All cases of fiscal years 2024–2025" in notes


def test_dominant_status_ties_go_to_schema_order() -> None:
    cases = pd.DataFrame({"status": ["declined", "received"], "latitude": ["34.0", "34.0"],
                          "longitude": ["131.8", "131.8"], "mesh_level": ["quarter", "quarter"]})
    data = payload(maps.cases_map(cases, "en", PREFIX))
    assert data["labels"][data["cells"][0][3]] == "Received"


def test_municipality_level_rows_are_not_plotted_even_with_coordinates() -> None:
    cases = pd.DataFrame({"status": ["completed"], "latitude": ["34.05"], "longitude": ["131.8"],
                          "mesh_level": ["municipality"]})
    cells, unlocated = mapcells.count_cells(cases)
    assert cells.empty and unlocated == 1


def test_empty_and_columnless_frames() -> None:
    for frame in (small_cases().iloc[0:0], pd.DataFrame({"status": ["completed", "declined"]})):
        document = maps.cases_map(frame, "ja", PREFIX)
        data = payload(document)
        assert data["cells"] == []
        assert f"位置を公開していない通報 {len(frame)}件" in data["legend"]["notes"]


def test_typed_frame_as_loaded_by_the_site() -> None:
    typed = small_cases().replace("", np.nan).astype({"latitude": float, "longitude": float})
    assert maps.cases_map(typed, "en", PREFIX) == maps.cases_map(small_cases(), "en", PREFIX)


# ---------------------------------------------------------------- choropleth


def test_none_and_nan_values_are_no_data() -> None:
    values = all_values()
    values["352152"] = None
    values["352071"] = float("nan")
    values["350001"] = 999.0  # the prefecture itself has no polygon: ignored
    data = payload(maps.prefecture_map(values, "受付件数", "ja", PREFIX))
    by_name = {f["properties"]["name"]: f["properties"] for f in data["geojson"]["features"]}
    assert len(by_name) == 19
    assert by_name["周南市"] == {"name": "周南市", "text": "データなし", "fill": None}
    assert by_name["下松市"]["fill"] is None
    assert by_name["下関市"]["fill"] is not None
    assert data["legend"]["rows"][-1] == {"kind": "hatch", "color": None, "text": "データなし"}
    assert ["周南市", "データなし"] in data["table"]["rows"]
    assert all(row["text"] != "999" for row in data["legend"]["rows"])


def test_all_missing_and_single_value() -> None:
    nothing = payload(maps.prefecture_map({}, "Cases", "en", PREFIX))
    assert {f["properties"]["text"] for f in nothing["geojson"]["features"]} == {"No data"}
    assert nothing["legend"]["rows"] == [{"kind": "hatch", "color": None, "text": "No data"}]
    same = payload(maps.prefecture_map(dict.fromkeys(all_values(), 5.0), "Cases", "en", PREFIX))
    assert [r["text"] for r in same["legend"]["rows"]] == ["5"]


def test_english_names_and_value_format() -> None:
    values = {"352152": 1234.5, "352071": 0.25, "352101": None}
    data = payload(maps.prefecture_map(values, "Cases per 10,000 residents", "en", PREFIX))
    texts = {f["properties"]["name"]: f["properties"]["text"] for f in data["geojson"]["features"]}
    assert texts["Shunan"] == "1,234.5"
    assert texts["Kudamatsu"] == "0.2"
    assert texts["Hikari"] == "No data"
    assert texts["Sanyo-Onoda"] == "No data"


def test_class_edges() -> None:
    assert maps.class_edges([]) == []
    assert maps.class_edges([3.0, 3.0]) == [3.0]
    edges = maps.class_edges([float(v) for v in range(1, 20)])
    assert edges[0] == 1 and edges[-1] == 19 and edges == sorted(set(edges))


# ---------------------------------------------------------------- browser


@pytest.fixture
def served_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A tmp site with the vendor folder copied from node_modules, served on localhost."""
    vendor = tmp_path / "static" / "vendor"
    shutil.copytree(NODE_MODULES / "leaflet" / "dist", vendor / "leaflet")
    shutil.copytree(NODE_MODULES / "leaflet.markercluster" / "dist", vendor / "leaflet.markercluster")
    (tmp_path / "maps").mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium")
def test_maps_run_in_chromium_offline(served_site: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, root = served_site
    values = all_values()
    values["352152"] = None
    cases = synthetic_cases(10_000)
    cells, _ = mapcells.count_cells(cases)
    (root / "maps" / "prefecture.html").write_text(
        maps.prefecture_map(values, HOSTILE_TEXT, "ja", PREFIX), encoding="utf-8")
    (root / "maps" / "cases.html").write_text(maps.cases_map(cases, "en", PREFIX), encoding="utf-8")
    SHOTS.mkdir(parents=True, exist_ok=True)

    blocked: set[str] = set()
    dialogs: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        host = urlparse(request_route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost"):
            request_route.continue_()
        else:
            blocked.add(host)
            request_route.abort()

    count_layers = """() => {
        const map = window[document.querySelector('.folium-map').id];
        let circles = 0, polygons = 0;
        map.eachLayer(l => { if (l instanceof L.CircleMarker) circles++;
                             else if (l instanceof L.Polygon) polygons++; });
        return {circles, polygons};
    }"""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 900, "height": 700})
            page.route("**/*", route)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))

            page.goto(f"{base}/maps/prefecture.html")
            page.wait_for_function("() => window.L && document.querySelector('.mieruka-legend')")
            assert page.evaluate(count_layers) == {"circles": 0, "polygons": 19}
            assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 19
            assert page.locator("path[fill='url(#mieruka-hatch)']").count() == 1
            assert page.locator("#mieruka-hatch").count() == 1
            assert page.locator(".mieruka-legend-title").text_content() == HOSTILE_TEXT
            assert page.locator(".mieruka-sr table tr").count() == 20
            assert page.locator(".leaflet-control-zoom-in").get_attribute("href") == "#"  # keyboard-reachable
            tips = page.evaluate("""() => {
                const map = window[document.querySelector('.folium-map').id];
                const texts = [];
                map.eachLayer(l => { if (l instanceof L.Polygon) {
                    l.openTooltip(l.getBounds().getCenter());
                    texts.push(l.getTooltip().getElement().textContent);
                    l.closeTooltip(); } });
                return texts;
            }""")
            assert len(tips) == 19
            assert "周南市" + HOSTILE_TEXT + "：データなし" in tips
            assert "下関市" + HOSTILE_TEXT + "：1" in tips
            page.screenshot(path=str(SHOTS / "maps_prefecture.png"))

            page.goto(f"{base}/maps/cases.html")
            page.wait_for_function("() => window.L && document.querySelector('.mieruka-legend')")
            assert page.evaluate(count_layers) == {"circles": len(cells), "polygons": 1}  # Shunan outline
            assert page.locator(".leaflet-overlay-pane canvas").count() == 1
            tooltip = page.evaluate("""() => {
                const map = window[document.querySelector('.folium-map').id];
                let first = null;
                map.eachLayer(l => { if (!first && l instanceof L.CircleMarker) first = l; });
                first.openTooltip();
                return document.querySelector('.leaflet-tooltip').textContent;
            }""")
            assert re.match(r"^[0-9,]+ cases?", tooltip)
            page.screenshot(path=str(SHOTS / "maps_cases.png"))
        finally:
            browser.close()
    assert dialogs == []
    assert errors == []
    assert blocked <= {"cyberjapandata.gsi.go.jp"}


@pytest.mark.parametrize("csv", sorted((ROOT / "tests" / "fixtures" / "packages").glob("*/*_cases.csv")),
                         ids=lambda p: p.parent.name)
def test_fixture_packages(csv: Path) -> None:
    cases = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
    cells, unlocated = mapcells.count_cells(cases)
    assert int(cells["total"].sum()) + unlocated == len(cases)
    assert unlocated == int(cases["latitude"].eq("").sum())
    for lang in ("ja", "en"):
        data = payload(maps.cases_map(cases, lang, "../../static/vendor/"))
        assert len(data["cells"]) == len(cells)


def test_outline_of_the_municipality() -> None:
    shunan = payload(maps.cases_map(synthetic_cases(50), "ja", PREFIX))
    assert len(shunan["outline"]["features"]) == 1
    assert "国土数値情報（行政区域データ）" in shunan["attribution"]
    prefecture = payload(maps.cases_map(synthetic_cases(50).assign(municipality_code="350001"), "ja", PREFIX))
    assert len(prefecture["outline"]["features"]) == 19
    assert payload(maps.cases_map(small_cases(), "ja", PREFIX))["outline"] is None


def test_hostile_municipality_code_is_only_compared() -> None:
    cases = synthetic_cases(50)
    hostile = maps.cases_map(cases.assign(municipality_code=HOSTILE_TEXT), "en", PREFIX)
    assert_inert(hostile)
    assert hostile == maps.cases_map(cases.assign(municipality_code="999999"), "en", PREFIX)
    assert payload(hostile)["outline"] is None


def test_unmatched_codes_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    values = {**all_values(), "350001": 1.0, "35215": 2.0}
    maps.prefecture_map(values, "x", "en", PREFIX)
    assert "35215" in caplog.text and "350001" not in caplog.text
