"""Page weight and map readiness in headless Chromium, for the tests and for measuring a built site.

Usage on any built site: python tests/site/weigh.py OUTPUT_DIR [PAGE ...]
(serves OUTPUT_DIR on localhost and prints the bytes each page transfers on a first load, and the
seconds each map document takes to be ready).
"""

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
BUDGET = 600 * 1024
MAP_READY = "() => { const c = document.querySelector('.leaflet-container canvas, .leaflet-overlay-pane svg');" \
            " return !!c && document.querySelector('.leaflet-control') !== null; }"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closes a connection early (a closed page) is no error of the site."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Base URL of folder served by http.server on a free localhost port (no compression)."""
    httpd = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def weigh(browser: Any, base: str, path: str, scroll: bool = True) -> dict[str, int]:
    """{url: response body bytes} of a first load of base+path in a fresh context (empty cache).

    Requests to other hosts (the map tiles) are refused and not counted. With scroll, the page is also
    scrolled to the end so that lazy content (the map iframe) loads and is counted.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    finished: list[Any] = []
    page = context.new_page()
    page.on("requestfinished", lambda request: finished.append(request))
    try:
        page.goto(base + path, wait_until="networkidle")
        if scroll and page.evaluate("document.querySelector('iframe[loading=lazy]') !== null"):
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(300)
            page.wait_for_load_state("networkidle")
        return {request.url[len(base):]: int(request.sizes()["responseBodySize"]) for request in finished}
    finally:
        context.close()


def map_ready_seconds(browser: Any, base: str, path: str) -> float:
    """Seconds from navigation start until the map document has drawn its cases and legend."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page = context.new_page()
    try:
        page.goto(base + path, wait_until="commit")
        page.wait_for_function(MAP_READY, timeout=30_000)
        return float(page.evaluate("performance.now()")) / 1000
    finally:
        context.close()


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    folder = Path(argv[0])
    paths = argv[1:] or sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html")
                               if not {"downloads", "maps"} & set(p.relative_to(folder).parts))
    with serve(folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        weights = {path: sum(weigh(browser, base, path).values()) for path in paths}
        for path, total in sorted(weights.items(), key=lambda kv: -kv[1])[:15]:
            print(f"{total / 1024:8.1f} KB  {path}")
        maps = sorted(folder.glob("maps/frame/*.html"), key=lambda p: -p.stat().st_size)[:3]
        for map_path in maps:
            seconds = map_ready_seconds(browser, base, map_path.relative_to(folder).as_posix())
            print(f"map {map_path.name}: {map_path.stat().st_size / 1024:.0f} KB, ready in {seconds:.2f} s")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
