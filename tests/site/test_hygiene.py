"""Site hygiene: absolute URLs with a site URL (and nightly refuses to run without one), a favicon, the
methodology page in words not keys, and `serve` (its 404 page, a clear error on a busy port)."""

import functools
import http.server
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from pipeline import cli, serve
from pipeline.site.build import build_site
from tests.site.conftest import PACKAGES

SITE_URL = "https://example.jp/roads"
ATOM = "{http://www.w3.org/2005/Atom}"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site_with_url(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("site-url")
    build_site(PACKAGES, output, site_url=SITE_URL + "/")
    return output


@pytest.mark.parametrize("page", ["index.html", "cases/352152.html", "en/works/352152.html", "en/methodology.html"])
def test_with_a_site_url_every_alternate_and_canonical_link_is_absolute(site_with_url: Path, page: str) -> None:
    doc = soup(site_with_url / page)
    links = [link["href"] for link in doc.select('link[rel="alternate"], link[rel="canonical"]')]
    links.append(doc.select_one('meta[property="og:url"]')["content"])
    assert len(links) == 5  # two hreflang alternates, the canonical link, og:url and the DCAT catalogue
    assert all(href.startswith(SITE_URL + "/") for href in links), links
    bare = page.removeprefix("en/")
    assert {SITE_URL + "/" + bare, SITE_URL + "/en/" + bare} <= set(links)
    assert SITE_URL + "/downloads/catalog.jsonld" in links


def test_with_a_site_url_sitemap_robots_and_feeds_are_absolute(site_with_url: Path) -> None:
    locs = [e.text for e in ElementTree.parse(site_with_url / "sitemap.xml").iter()
            if e.tag.endswith("loc")]
    assert locs and all(str(loc).startswith(SITE_URL + "/") for loc in locs)
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in (site_with_url / "robots.txt").read_text(encoding="utf-8")
    for feed in [site_with_url / "feeds/352152.atom.xml", site_with_url / "en/feeds/352152.atom.xml"]:
        root = ElementTree.parse(feed).getroot()
        hrefs = [link.get("href", "") for link in root.iter(f"{ATOM}link")]
        assert hrefs and all(h.startswith(SITE_URL + "/") for h in hrefs)
        author = root.find(f"{ATOM}author/{ATOM}name")
        assert author is not None and author.text and author.text.strip()


def test_feeds_name_their_author_without_a_site_url(site: Path) -> None:
    root = ElementTree.parse(site / "feeds/352152.atom.xml").getroot()
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "山口県・下松市・光市・周南市 道路維持管理 共同実施"


def test_nightly_refuses_to_publish_a_site_without_a_site_url(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["nightly", "--raw", str(tmp_path), "--packages", str(tmp_path / "dp"),
                     "--output", str(tmp_path / "out")])
    assert code == cli.EXIT_USAGE
    assert "--site-url" in capsys.readouterr().err
    assert not (tmp_path / "dp").exists()


@pytest.mark.parametrize("url", ["example.jp", "ftp://example.jp", "https://", "https://example.jp/a b"])
def test_a_site_url_must_be_an_absolute_http_address(tmp_path: Path, url: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["build", "--site-url", url, "--packages", str(tmp_path / "dp"), "--output",
                     str(tmp_path / "out")])
    assert code == cli.EXIT_USAGE
    assert "--site-url must be an absolute" in capsys.readouterr().err


def test_every_page_has_a_favicon_that_exists(site: Path) -> None:
    pages = [p for p in site.rglob("*.html") if "downloads" not in p.parts and "maps" not in p.parts]
    assert pages
    for page in pages:
        icon = soup(page).select_one('link[rel="icon"]')
        assert icon is not None, page
        href = icon["href"]
        target = site / href.lstrip("/") if href.startswith("/") else page.parent / href  # 404.html: from the root
        assert target.resolve().is_file(), page


@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_methodology_shows_settings_in_words_not_keys(site: Path, lang_root: str) -> None:
    section = soup(site / lang_root / "methodology.html").select_one("#anonymization").find_parent("section")
    text = section.get_text(" ")
    for raw in ("free_text_published", "private_categories", "person_name", "True", "False", "mesh_level"):
        assert raw not in text
    assert ("個人名" if not lang_root else "Personal names") in text


class _Quiet(serve.SiteHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(("path", "lang"), [("/no/such/page.html", "ja"), ("/en/no-such-page.html", "en")])
def test_serve_answers_a_missing_page_with_the_sites_404_page(served: str, path: str, lang: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(served + path)
    assert caught.value.code == 404
    doc = BeautifulSoup(caught.value.read().decode("utf-8"), "html.parser")
    assert doc.html["lang"] == lang
    assert doc.select_one("main h1")


def test_serve_on_a_busy_port_says_so_without_a_traceback(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = cli.main(["serve", "--dir", str(site), "--port", str(port)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE
    assert f"port {port}" in err and "already in use" in err and "Traceback" not in err
