"""Fetch a body's exports published at an HTTP(S) address into its raw folder, before a run.

A timeout on every request, a few retries with growing pauses for network errors and 5xx
answers, a size cap, and an atomic write: a failed fetch leaves the previous file in place and
fails only this body (which keeps its last good package).
"""

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .adapter import Adapter
from .problems import ExportError

MAX_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0  # seconds before the first retry; doubled each time


def fetch_url(url: str, target: Path, settings: FetchSettings = FetchSettings()) -> None:
    """Download url into target (atomically); ExportError naming the file and the last failure."""
    request = urllib.request.Request(url, headers={"User-Agent": f"mieruka/{__version__} (open data portal)"})
    last = ""
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(settings.backoff * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(request, timeout=settings.timeout) as response:
                data = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise ExportError(target.name, f"download from {url} is larger than {MAX_BYTES} bytes")
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)
            return
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} {exc.reason}"
            if exc.code < 500 and exc.code != 429:
                break  # why: a 404 or 403 will not heal by asking again
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = str(getattr(exc, "reason", exc))
    raise ExportError(target.name, f"could not fetch {url}: {last} (after {attempt + 1} attempt(s))")


def fetch_body(adapter: Adapter, folder: Path, settings: FetchSettings = FetchSettings()) -> int:
    """Fetch every export of a body that has a url; returns how many were fetched."""
    fetched = 0
    for source in {s.file: s for s in adapter.sources.values() if s.url}.values():
        folder.mkdir(parents=True, exist_ok=True)
        fetch_url(str(source.url), folder / source.file, settings)
        fetched += 1
    return fetched
