"""Shared fixtures of the site tests: one built fixture site per session, served over localhost."""

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "tests" / "fixtures" / "packages"
CHROMIUM = Path("/usr/bin/chromium")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: needs Debian's chromium at /usr/bin/chromium")
    config.addinivalue_line("markers", "vnu: Nu Html Checker (java, node_modules/vnu-jar); fails in CI if absent")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture packages built into a temporary folder (Japanese root, English in en/)."""
    from pipeline.site.build import build_site

    output = tmp_path_factory.mktemp("site")
    build_site(PACKAGES, output)
    return output


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """Base URL of the built site served by http.server on a free localhost port."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian chromium for the browser tests of one module."""
    from tests.site.weigh import ARGS
    from tests.site.weigh import CHROMIUM as EXECUTABLE

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(EXECUTABLE), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A 1280 px tab of the served site; anything not served by the site is refused at once (tests run offline)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                  else route.abort())
    tab = context.new_page()
    yield tab
    context.close()
