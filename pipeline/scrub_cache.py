"""Scrub results kept from night to night, so that a night scrubs only new or changed text.

One file per body (`<cache_dir>/scrub-cache.json`, in the private work folder, never published). An entry
is keyed by HMAC-SHA256(secret, raw text), truncated to 128 bits: the file never holds a raw text, only
what the scrubber made of it (public anyway, or empty when withheld) and the counts by kind. The file
records the scrubber's version, a hash of the scrubber's modules, word lists, gazetteer and tokenizer
versions; a file of another version is ignored, so a scrubber change rescrubs everything once.

A file is written whole to a temporary name and renamed over the old one (atomic on POSIX), so two
processes that happen to write the same body's file leave one complete file, never a torn one. A file that
cannot be read or parsed counts as empty: the cache only ever saves time.
"""

import contextlib
import hashlib
import hmac
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from .scrub import Scrubbed

FILE_NAME = "scrub-cache.json"
FORMAT = 1
_PACKAGE = Path(__file__).parent
VERSION_FILES = ("scrub.py", "scrub_clean.py", "scrub_rules.py", "scrub_names.py", "scrub_words.py", "scrub_bare.py",
                 "scrub_latin.py", "scrub_spelled.py", "gazetteer.py", "reference/yamaguchi_places.txt")
_VERSION_DISTRIBUTIONS = ("sudachipy", "sudachidict-core")

STALE_RATIO = 4
ORPHAN_AGE_S = 3600  # a temporary file this old was left by a killed process
Entry = tuple[str, dict[str, int], str | None]


def version_of(files: dict[str, bytes], distributions: dict[str, str]) -> str:
    """The scrubber's sources and dependency versions -> a short hex version."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for name in sorted(files):
        digest.update(f"{name}\n{len(files[name])}\n".encode())
        digest.update(files[name])
    for name in sorted(distributions):
        digest.update(f"{name}=={distributions[name]}\n".encode())
    return digest.hexdigest()[:32]


@cache
def scrubber_version() -> str:
    """This installation's scrubber version."""
    files = {name: (_PACKAGE / name).read_bytes() for name in VERSION_FILES}
    distributions = {}
    for name in _VERSION_DISTRIBUTIONS:
        try:
            distributions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            distributions[name] = "missing"
    return version_of(files, distributions)


def text_key(secret: bytes, text: str) -> str:
    """A raw text -> its cache key (HMAC-SHA256 under the body's secret, first 128 bits, hex)."""
    return hmac.new(secret, b"scrub:" + text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]


@dataclass
class ScrubCache:
    """Scrub results by text key: those loaded from disk and those used in this run."""

    secret: bytes
    version: str
    path: Path | None = None
    loaded: dict[str, Entry] = field(default_factory=dict)
    used: dict[str, Entry] = field(default_factory=dict)
    on_disk: frozenset[str] = frozenset()
    hits: int = 0
    misses: int = 0

    def scrub(self, text: str, scrubber: Callable[[str], Scrubbed]) -> Scrubbed:
        """The cached result for a raw text, or the scrubber's (then kept)."""
        key = text_key(self.secret, text)
        entry = self.used.get(key)
        if entry is None:
            entry = self.loaded.get(key)
            if entry is None:
                result = scrubber(text)
                entry = (result.text, dict(result.counts), result.withheld)
                self.misses += 1
            else:
                self.hits += 1
            self.used[key] = entry
        return Scrubbed(entry[0], dict(entry[1]), entry[2])


def parse(data: bytes, version: str) -> dict[str, Entry]:
    """A cache file's bytes -> its entries; empty when of another version or not a cache file."""
    try:
        document = json.loads(data)
        if document.get("format") != FORMAT or document.get("scrubber") != version:
            return {}
        return {str(key): (str(text), {str(k): int(n) for k, n in counts.items()}, withheld)
                for key, (text, counts, withheld) in document["entries"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}


def serialize(entries: dict[str, Entry], version: str) -> bytes:
    """Entries -> the file's bytes (sorted keys: the same entries give the same bytes)."""
    document = {"format": FORMAT, "scrubber": version,
                "entries": {key: [text, dict(sorted(counts.items())), withheld]
                            for key, (text, counts, withheld) in sorted(entries.items())}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def load(cache_dir: Path | None, secret: bytes, version: str | None = None) -> ScrubCache:
    """The body's cache from its folder (empty when missing, unreadable or of another version)."""
    version = version or scrubber_version()
    if cache_dir is None:
        return ScrubCache(secret, version)
    path = cache_dir / FILE_NAME
    try:
        data = path.read_bytes()
    except OSError:
        return ScrubCache(secret, version, path)
    entries = parse(data, version)
    return ScrubCache(secret, version, path, entries, on_disk=frozenset(entries))


def kept(store: ScrubCache) -> dict[str, Entry]:
    """What the file should hold: the entries used in this run, plus the loaded ones not (yet) used unless
    they outnumber the used ones more than STALE_RATIO times (texts gone from the exports are dropped)."""
    stale = {key: entry for key, entry in store.loaded.items() if key not in store.used}
    # why: a body's cases are scrubbed before its actions, each stage saving; the actions' notes look
    # stale when the cases are saved and must not be dropped then
    if len(stale) > STALE_RATIO * len(store.used):
        return dict(store.used)
    return {**stale, **store.used}


def save(store: ScrubCache) -> None:
    """Write the cache atomically when its content changed (new texts, or stale texts dropped)."""
    if store.path is None:
        return
    entries = kept(store)
    if frozenset(entries) == store.on_disk:
        return
    store.path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=store.path.parent, prefix=f".{FILE_NAME}.", delete=False) as tmp:
        temporary = Path(tmp.name)
        try:
            tmp.write(serialize(entries, store.version))
            tmp.flush()
            os.fsync(tmp.fileno())
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    temporary.replace(store.path)
    store.on_disk = frozenset(entries)
    remove_orphans(store.path.parent, time.time())


def remove_orphans(folder: Path, now: float) -> None:
    """Delete temporary files that a killed process left behind (never one that another may still write)."""
    for path in folder.glob(f".{FILE_NAME}.*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > ORPHAN_AGE_S:
                path.unlink()
