"""Unchanged inputs, unchanged package: fingerprints of a body's inputs and the carry-over of last night's package.

A body whose adapter, files, code, licence and secret are the same as last night's gets last night's
package back as it is (hard-linked); a body that fails keeps its last good package, marked stale.
"""

import hashlib
import hmac
import json
from functools import cache
from pathlib import Path

from . import hardlink, package
from .adapter import Adapter
from .options import Options
from .paths import PACKAGE
from .results import BodyResult

# why: the site's code (site/) and the site files a wheel carries (_site/: theme, content, pelicanconf.py,
# browser libraries) do not change a package; the site build has its own fingerprint
_SKIPPED = frozenset({"site", "_site", "__pycache__"})


@cache
def code_fingerprint() -> str:
    """Hash of the pipeline's own code, schemas, adapters and reference data (not the site)."""
    return tree_fingerprint(PACKAGE)


def tree_fingerprint(root: Path) -> str:
    """Hash of the code and data files under root (a pipeline package), leaving out the site's files."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".toml", ".csv", ".geojson") \
                and not _SKIPPED.intersection(path.relative_to(root).parts):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def input_fingerprint(adapter: Adapter, folder: Path, options: Options) -> str:
    """Everything a body's package depends on, except the run date: equal prints, equal package."""
    digest = hashlib.sha256()
    parts = [adapter.package_name, options.code or code_fingerprint(), options.license_id, str(options.synthetic),
             hmac.new(options.secret, b"mieruka fingerprint", hashlib.sha256).hexdigest()]
    digest.update("\0".join(parts).encode())
    digest.update(adapter.path.read_bytes())
    for source in sorted({s.file for s in adapter.sources.values()}):
        path = folder / source
        digest.update(source.encode() + b"\0" + (_file_sha256(path) if path.is_file() else b"<missing>"))
    return digest.hexdigest()


def _file_sha256(path: Path) -> bytes:
    """The file's content hash, read in blocks (file times are not trusted: a copy can keep them)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def reuse_previous(result: BodyResult, fingerprint: str, options: Options) -> bool:
    """Carry last night's package over unchanged when its inputs are the same; True if done."""
    if options.previous_dir is None:
        return False
    old = options.previous_dir / result.package
    if package.recorded_fingerprint(old) != fingerprint:
        return False
    try:
        previous = json.loads((options.previous_dir / "run.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    entry = next((b for b in previous.get("bodies", []) if b.get("code") == result.code), None)
    if entry is None or entry.get("status") != "published":
        return False
    hardlink.copy_tree(old, options.out_dir / result.package)
    result.status, result.reused = "published", True
    result.rows, result.last_good = entry.get("rows", {}), entry.get("last_good")
    result.quarantined = entry.get("quarantined", 0)
    result.tables = entry.get("tables", {})
    result.changes = {name: {"added": 0, "changed": 0, "removed": 0} for name in result.rows}
    return True


def carry_over(result: BodyResult, options: Options) -> BodyResult:
    """A failed body keeps its last good package, marked stale with its date."""
    if options.previous_dir is None:
        return result
    old = options.previous_dir / result.package
    if not (old / "datapackage.json").is_file():
        return result
    hardlink.copy_tree(old, options.out_dir / result.package)
    previous = json.loads((options.previous_dir / "run.json").read_text(encoding="utf-8")) \
        if (options.previous_dir / "run.json").is_file() else {}
    for body in previous.get("bodies", []):
        if body.get("code") == result.code:
            result.last_good = body.get("last_good")
            result.rows = body.get("rows", {})
    result.status = "stale"
    return result


def reuse_unchanged(adapter: Adapter, folder: Path, options: Options) -> BodyResult | None:
    """Last night's package carried over when a body's files are unchanged (None: it must be built).

    Checked before any worker starts, so a night without changes starts none; a body fetched from
    a URL is left to its worker, which fetches first and then makes the same check."""
    if options.previous_dir is None or adapter.broken or any(s.url for s in adapter.sources.values()):
        return None  # why: a broken adapter's body fails in build_body, with the last good package kept
    result = BodyResult(adapter.code, adapter.package_name)
    return result if reuse_previous(result, input_fingerprint(adapter, folder, options), options) else None
