"""Fetching exports from an HTTP(S) address: a local server that fails, recovers, or never answers."""

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from pipeline.fetch import FetchSettings, fetch_url
from pipeline.problems import ExportError

FAST = FetchSettings(timeout=2.0, retries=2, backoff=0.01)


class _Handler(http.server.BaseHTTPRequestHandler):
    plan: ClassVar[list[int]] = []  # status codes to answer, one per request; 200 afterwards
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        status = self.plan.pop(0) if self.plan else 200
        body = b"case_number,received\nA-1,2025-04-10\n" if status == 200 else b"error"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.plan, _Handler.hits = [], 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/cases.csv"
    httpd.shutdown()


def test_fetch_writes_the_file(server: str, tmp_path: Path) -> None:
    fetch_url(server, tmp_path / "cases.csv", FAST)
    assert (tmp_path / "cases.csv").read_text().startswith("case_number")
    assert _Handler.hits == 1


def test_server_errors_are_retried(server: str, tmp_path: Path) -> None:
    _Handler.plan = [503, 500]
    fetch_url(server, tmp_path / "cases.csv", FAST)
    assert _Handler.hits == 3
    assert (tmp_path / "cases.csv").is_file()


def test_not_found_fails_at_once_and_keeps_the_old_file(server: str, tmp_path: Path) -> None:
    (tmp_path / "cases.csv").write_text("last good\n")
    _Handler.plan = [404]
    with pytest.raises(ExportError, match=r"cases\.csv: could not fetch .*HTTP 404"):
        fetch_url(server, tmp_path / "cases.csv", FAST)
    assert _Handler.hits == 1
    assert (tmp_path / "cases.csv").read_text() == "last good\n"


def test_persistent_failure_gives_up_after_the_retries(server: str, tmp_path: Path) -> None:
    _Handler.plan = [503, 503, 503, 503]
    with pytest.raises(ExportError, match=r"after 3 attempt"):
        fetch_url(server, tmp_path / "cases.csv", FAST)


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="could not fetch"):
        fetch_url("http://127.0.0.1:9/cases.csv", tmp_path / "cases.csv", FAST)
