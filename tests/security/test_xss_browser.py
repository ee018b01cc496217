"""Script injection, end to end: OWASP payloads in every free field of a raw export, the real pipeline, every
page of the built site opened in Chromium. No dialog opens, the canary `window.__pwned` stays unset, no
Content-Security-Policy violation is reported, and each payload that is published shows as plain text.

Every payload would call alert() or set window.__pwned if it ran (fixtures/xss_payloads.txt).
"""

import csv
import functools
import http.server
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape

from tests.security.hostile_export import BODY, CODE, write_hostile_export

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
# Fields a municipality or resident writes, as published in the package.
FREE_FIELDS = {"cases": ("town", "description", "status_detail"), "actions": ("note",),
               "contracts": ("contract_id", "title", "contractor", "district"),
               "work_orders": ("work_order_id", "contract_id", "town")}
HOSTILE = re.compile(r"[<>\"'`{}$\\%]|script|javascript|HYPERLINK|cmd\|", re.I)
# Recorded in every frame before any of the page's own scripts: CSP violations and the canary.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
// every Leaflet map made in the frame, to find its markers (the map documents keep theirs private)
window.__maps = [];
(function () {
  let leaflet;
  Object.defineProperty(window, 'L', {configurable: true, get: () => leaflet, set: value => {
    leaflet = value;
    if (value && value.Map && value.Map.addInitHook) value.Map.addInitHook(function () { window.__maps.push(this); });
  }});
})();
"""
DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
      if (['href', 'src', 'action', 'formaction', 'data', 'background', 'srcdoc'].includes(a.name)
          && (v.startsWith('javascript:') || a.name === 'srcdoc')) bad.push(el.tagName + ' ' + a.name + '=' + v);
    }
    // elements the site never writes into a page body, but payloads would
    const tag = el.tagName.toUpperCase();
    if (['OBJECT', 'EMBED', 'BASE', 'MATH', 'XSS', 'BGSOUND', 'MGLYPH', 'ANIMATE'].includes(tag)
        || (['META', 'LINK', 'STYLE'].includes(tag) && !el.closest('head'))
        || (tag === 'IFRAME' && !/(^|[/])(maps[/])?frame[/][^/?]+[.]html([?][a-z_=:0-9&]+)?$/
              .test(el.getAttribute('src') || ''))) {
      bad.push('element ' + tag);
    }
  }
  return bad;
}"""
# Page coordinates of every map layer that has a popup or tooltip (markers on a canvas, or polygons).
MARKER_POINTS = """() => {
  const map = window.__maps[0];
  if (!map) return [];
  const box = map.getContainer().getBoundingClientRect();
  const points = [];
  map.eachLayer(layer => {
    if (!(layer.getPopup && layer.getPopup()) && !(layer.getTooltip && layer.getTooltip())) return;
    const at = layer.getLatLng ? layer.getLatLng() : (layer.getCenter ? layer.getCenter() : null);
    if (!at) return;
    const p = map.latLngToContainerPoint(at);
    if (p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height) points.push([p.x + box.left, p.y + box.top]);
  });
  return points;
}"""
SHOWN_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('script, style, template').forEach(n => n.remove());
  return copy.textContent.replace(/\\s+/g, ' ');
}"""

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile export built by the real command line into a temporary release root."""
    root = tmp_path_factory.mktemp("hostile")
    write_hostile_export(root / "raw")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "build", "--raw", str(root / "raw"), "--packages",
         str(root / "datapackages"), "--output", str(root / "output"), "--date", "2026-04-05", "--executor", "serial"],
        cwd=ROOT, capture_output=True, encoding="utf-8", errors="replace", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def published_values(packages: Path) -> set[str]:
    """Every hostile-looking free-text value of the body's published package."""
    values: set[str] = set()
    for resource, fields in FREE_FIELDS.items():
        with (packages / BODY / f"{CODE}_{resource}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                values |= {row[f] for f in fields if row[f] and HOSTILE.search(row[f])}
    return values


def pages_holding(output: Path, values: set[str]) -> dict[str, set[str]]:
    """Page (relative path) -> the hostile values its HTML holds, HTML-escaped as text."""
    held: dict[str, set[str]] = {}
    for page in sorted(output.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        found = {v for v in values if str(escape(v)) in html}
        held[page.relative_to(output).as_posix()] = found
    return held


def test_payloads_reach_the_pages_escaped(hostile: Path) -> None:
    values = published_values(hostile / "datapackages")
    held = pages_holding(hostile / "output", values)
    reached = set().union(*held.values())
    print(f"{len(values)} hostile values published, {len(reached)} of them in the HTML of "
          f"{sum(bool(v) for v in held.values())} of {len(held)} pages")
    assert len(values) >= 100
    assert len(reached) >= 50
    for page in (hostile / "output").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for raw in ("<script>alert(1)", "<script>window.__pwned", "<svg/onload", "<img src=x onerror",
                    "<iframe srcdoc"):
            assert raw not in html, f"{page}: unescaped {raw!r}"


def test_feeds_are_well_formed_and_carry_text_only(hostile: Path) -> None:
    feeds = sorted((hostile / "output").rglob("*.atom.xml"))
    assert feeds
    for feed in feeds:
        tree = ET.parse(feed)
        tags = {el.tag.rsplit("}", 1)[-1].lower() for el in tree.iter()}
        assert not tags & {"script", "img", "svg", "iframe"}, feed


def test_published_csv_neutralizes_formula_cells(hostile: Path) -> None:
    for path in (hostile / "datapackages" / BODY).glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                assert not [c for c in row if c[:1] in ("=", "+", "@", "\t", "\r", "＝")], (path.name, row)


@pytest.fixture(scope="module")
def server(hostile: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(hostile / "output"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A browser tab that records dialogs, console errors and CSP violations in every frame."""

    def __init__(self, browser: object, server: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        self.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                           else route.abort())
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="load")
        # why: a lazy map frame below the fold never loads in a headless tab unless it is made eager; then
        # wait for every frame's own load, not for a guessed time
        self.page.evaluate("document.querySelectorAll('iframe[loading=lazy]').forEach(f => { f.loading = 'eager'; })")
        for frame in self.page.frames:
            frame.wait_for_load_state("load")

    def verdict(self) -> dict[str, object]:
        """What ran that should not have: dialogs, script errors, canaries, CSP violations, injected markup."""
        frames = self.page.frames
        return {
            "dialogs": self.dialogs,
            "errors": self.errors,
            "canary": [f.url for f in frames if f.evaluate("() => window.__pwned !== undefined")],
            "csp": [v for f in frames for v in f.evaluate("() => window.__csp || []")],
            "markup": [b for f in frames for b in f.evaluate(DOM_CHECK)],
        }

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: object, server: str) -> Iterator[Watched]:
    watched = Watched(browser, server)
    yield watched
    watched.close()


CLEAN = {"dialogs": [], "errors": [], "canary": [], "csp": [], "markup": []}


def test_the_watch_catches_a_payload_that_runs(hostile: Path, server: str, tab: Watched) -> None:
    """The checks themselves: an unescaped payload is caught, with and without the site's policy."""
    output = hostile / "output"
    (output / "selftest-open.html").write_text(
        "<!DOCTYPE html><html><head><title>t</title></head><body>"
        "<script>window.__pwned=1</script><script>alert(1)</script></body></html>", encoding="utf-8")
    (output / "selftest-csp.html").write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
        '<title>t</title></head><body><img src=x onerror="window.__pwned=1"></body></html>', encoding="utf-8")
    try:
        tab.open(server + "selftest-open.html")
        caught = tab.verdict()
        assert caught["canary"] and caught["dialogs"] == ["1"]
        tab.open(server + "selftest-csp.html")
        caught = tab.verdict()
        assert caught["csp"] and caught["markup"] == ["IMG onerror"] and not caught["canary"]
    finally:
        (output / "selftest-open.html").unlink()
        (output / "selftest-csp.html").unlink()


def test_no_script_runs_on_any_page_and_payloads_show_as_text(hostile: Path, server: str, tab: Watched) -> None:
    held = pages_holding(hostile / "output", published_values(hostile / "datapackages"))
    shown_somewhere: set[str] = set()
    for path in sorted(held):
        tab.open(server + path)
        assert tab.verdict() == CLEAN, path
        text = tab.page.evaluate(SHOWN_TEXT)
        for frame in tab.page.frames[1:]:
            frame.wait_for_load_state("load")
            text += frame.evaluate(SHOWN_TEXT)
        missing = sorted(v for v in held[path] if re.sub(r"\s+", " ", v) not in text)
        assert missing == [], f"{path}: published text not shown as text"
        shown_somewhere |= held[path]
    assert len(shown_somewhere) >= 50


@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_case_list_search_and_filters_show_payloads_as_text(server: str, tab: Watched, lang_root: str) -> None:
    tab.open(f"{server}{lang_root}cases/{CODE}.html")
    tab.page.wait_for_selector("#case-filters:not([hidden])")
    rows = tab.page.locator("#cases-table tbody tr:has(td:nth-child(2))")  # not the "no match" row
    for query in ("script", "onerror", "alert", "{", "<", "svg", "hyperlink", "%3c", "\\u003c"):
        tab.page.fill("input[name=q]", query)
        assert rows.count() > 0, query
        shown = " ".join(rows.all_inner_texts()).lower()
        assert query.lower() in shown, query
    tab.page.fill("input[name=q]", "")
    towns = tab.page.locator("select[name=town] option").all_text_contents()
    # a payload is no known town of Shunan, so the pipeline withholds it (docs/privacy.md): none is offered
    assert not any("<" in t for t in towns), "a hostile town name is offered as a filter"
    for value in tab.page.locator("select[name=town] option").evaluate_all("os => os.map(o => o.value)"):
        tab.page.select_option("select[name=town]", value)
        if value:
            cells = tab.page.locator("#cases-table tbody tr td:nth-child(4)").all_text_contents()
            assert set(cells) <= {value, "—"}, value
    while tab.page.locator("#case-more").is_visible():
        tab.page.click("#case-more")
    assert tab.verdict() == CLEAN


def test_map_popups_and_tooltips_run_no_script(server: str, tab: Watched) -> None:
    opened = 0
    for path in (f"maps/frame/{CODE}.html", "maps/frame/prefecture.html", f"en/maps/frame/{CODE}.html"):
        tab.open(server + path)
        points = tab.page.evaluate(MARKER_POINTS)
        assert points, path
        for x, y in points[:40]:
            tab.page.mouse.move(x, y)
            tab.page.mouse.click(x, y)
            opened += tab.page.locator(".leaflet-popup-content, .leaflet-tooltip").count() > 0
        assert tab.verdict() == CLEAN, path
    assert opened > 0, "no popup or tooltip opened"
