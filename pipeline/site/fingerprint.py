"""A fingerprint of everything the site is built from, so that a night without changes can reuse it.

The site is a pure function of: the published package folders (every file, since downloads copies
them), the site's part of run.json (loader.site_manifest: not the run date), the code the site
imports with the schemas and reference data (SITE_CODE; a test checks it covers every import), the
theme, the content pages, pelicanconf.py, the browser libraries copied from node_modules, the
versions of the libraries that render it, and the site URL.
Equal fingerprints give byte-identical sites.

Hashing every package file is most of a no-change night's cost, and an unchanged package's files are
hard links to last night's. So the digests of package files may be kept in a stat cache (`Digests`,
the nightly keeps it in .work/): a file whose device, inode, size and modification time are those
recorded last night is the same file, and its digest is reused (the stat test git's index makes).
A published file is never rewritten in place, and last night's files still exist while tonight's are
hashed, so their inodes cannot have been given to new files.
"""

import hashlib
import json
import os
import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from ..paths import PACKAGE, SITE_ROOT
from .loader import read_manifest

ROOT = SITE_ROOT  # the checkout, or the site files a wheel carries (paths.py)
# Written into the built site; it holds only this hash of published inputs.
FILE_NAME = ".site-fingerprint"
CODE_SUFFIXES = (".py", ".json", ".toml", ".csv", ".geojson", ".po", ".txt")
# Parts of the pipeline package the site reads; the rest (ingest, anonymize, …) reaches it only through
# the packages. why: a change in those stages must not make the next night rebuild an unchanged site.
SITE_CODE = ("__init__.py", "hardlink.py", "site", "schema.py", "schemas", "codes.py", "identifiers.py", "paths.py",
             "wareki.py", "reference", "metrics", "portal.py", "portal.toml")
LIBRARIES = ("pelican", "pelican-i18n-subsites", "jinja2", "markdown", "markupsafe", "babel", "folium", "branca",
             "pandas", "numpy", "pyarrow")


def _files(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and (suffixes is None or p.suffix in suffixes))


def file_digest(path: Path) -> str:
    """sha256 of a file's content; hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class Digests:
    """File digests reused from a stat cache (see the module docstring); `path` None: nothing kept."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.known: dict[str, list[int | str]] = {}
        self.seen: dict[str, list[int | str]] = {}
        self.hashed = 0
        try:
            loaded = json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
        except (OSError, ValueError):  # why: a missing or damaged cache only costs the hashing
            loaded = {}
        if isinstance(loaded, dict):
            self.known = {k: v for k, v in loaded.items() if isinstance(v, list) and len(v) == 5}

    def of(self, path: Path, key: str) -> str:
        """The digest of the file at `path`, cached under `key`."""
        stat = path.stat()
        mark: list[int | str] = [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]
        entry = self.known.get(key)
        if entry is not None and entry[:4] == mark and isinstance(entry[4], str):
            found = entry[4]
        else:
            found = file_digest(path)
            self.hashed += 1
        self.seen[key] = [*mark, found]
        return found

    def save(self) -> None:
        """Keep tonight's entries (those of files seen tonight) for the next night."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        partial.write_text(json.dumps(self.seen, sort_keys=True, separators=(",", ":")), encoding="utf-8")
        partial.replace(self.path)


def _add_files(digest: "hashlib._Hash", base: Path, paths: Iterable[Path], digests: Digests | None = None) -> None:
    for path in paths:
        name = path.relative_to(base).as_posix()
        content = digests.of(path, f"{base.name}/{name}") if digests is not None else file_digest(path)
        digest.update(f"{name}\0{content}\n".encode())


def _versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return f"python={platform.python_version()} " + " ".join(found)


def site_code_files() -> list[Path]:
    """The pipeline files the site is built with (SITE_CODE), sorted."""
    found: list[Path] = []
    for name in SITE_CODE:
        path = PACKAGE / name
        found += _files(path, CODE_SUFFIXES) if path.is_dir() else [path]
    return sorted(found)


def package_folders(packages_dir: Path) -> list[Path]:
    """The published package folders the site reads (those with a datapackage.json), sorted."""
    return sorted(p for p in packages_dir.iterdir() if (p / "datapackage.json").is_file())


def package_print(folder: Path, digests: Digests | None = None) -> str:
    """sha256 over every file of one package folder (names and contents); hex."""
    digest = hashlib.sha256()
    _add_files(digest, folder, _files(folder), digests)
    return digest.hexdigest()


def package_prints(packages_dir: Path, digests: Digests | None = None) -> dict[str, str]:
    """{folder name: package_print} of every published package folder; file digests from `digests` where
    it holds them."""
    return {folder.name: package_print(folder, digests) for folder in package_folders(packages_dir)}


def code_fingerprint(site_url: str, vendor_files: Iterable[Path]) -> str:
    """sha256 over everything the site is built with but the data: code, theme, content, settings, browser
    libraries, library versions and the site URL; hex. A change here renders every page."""
    digest = hashlib.sha256()
    digest.update(f"site_url={site_url.rstrip('/')}\n{_versions()}\n".encode())
    _add_files(digest, PACKAGE.parent, site_code_files())
    _add_files(digest, ROOT, _files(ROOT / "themes"))
    _add_files(digest, ROOT, _files(ROOT / "content"))
    _add_files(digest, ROOT, [ROOT / "pelicanconf.py"])
    _add_files(digest, ROOT, sorted(vendor_files))
    return digest.hexdigest()


def site_fingerprint(packages_dir: Path, code_print: str, prints: dict[str, str]) -> str:
    """sha256 over every input of the site (see the module docstring), given the code print and the
    package prints; hex."""
    digest = hashlib.sha256()
    digest.update(f"code={code_print}\n".encode())
    digest.update(json.dumps(read_manifest(packages_dir), sort_keys=True, ensure_ascii=False).encode() + b"\n")
    for name, print_ in sorted(prints.items()):
        digest.update(f"{name}\0{print_}\n".encode())
    _add_files(digest, packages_dir, [p for p in [packages_dir / "catalog.jsonld"] if p.is_file()])
    return digest.hexdigest()


def recorded(output_dir: Path) -> str:
    """The fingerprint a built site records ("" when it has none)."""
    try:
        return (output_dir / FILE_NAME).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def record(output_dir: Path, fingerprint: str) -> None:
    (output_dir / FILE_NAME).write_text(fingerprint + "\n", encoding="ascii")
