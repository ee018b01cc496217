"""The serve command: the built site over HTTP on this machine, with the site's own 404 pages."""

import contextlib
import errno
import functools
import http.server
import sys
from pathlib import Path

from .usage import EXIT_OK, UsageError


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of the built site; a missing page gets the site's own 404 page (English under /en/)."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / ("en/404.html" if self.path.startswith("/en/") else "404.html")
        if code != 404 or not page.is_file() or self.command != "GET":
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(folder: Path, bind: str, port: int) -> int:
    """Serve the built site in folder on bind:port until Ctrl+C; UsageError for no site or an unusable port."""
    if not (folder / "index.html").is_file():
        raise UsageError(f"no site in {folder}: run `mieruka build` first")
    handler = functools.partial(SiteHandler, directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer((bind, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {bind} is already in use: stop the other server or "
                             f"choose another port, e.g. mieruka serve --port {port + 1}") from exc
        if exc.errno == errno.EACCES:
            raise UsageError(f"no permission to listen on port {port}: choose a port above 1023") from exc
        raise
    with server:
        sys.stdout.write(f"serving {folder} at http://{bind}:{port}/ (Ctrl+C to stop)\n")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return EXIT_OK
