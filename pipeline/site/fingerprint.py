"""A fingerprint of everything the site is built from, so that a night without changes can reuse it.

The site is a pure function of: the published package folders (every file, since downloads copies
them), the site's part of run.json (loader.site_manifest: not the run date), the code the site
imports with the schemas and reference data (SITE_CODE; a test checks it covers every import), the
theme, the content pages, pelicanconf.py, the browser libraries copied from node_modules, the
versions of the libraries that render it, and the site URL.
Equal fingerprints give byte-identical sites.
"""

import hashlib
import json
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
SITE_CODE = ("__init__.py", "hardlink.py", "site", "schema.py", "schemas", "codes.py", "paths.py", "wareki.py",
             "reference", "metrics", "portal.py", "portal.toml")
LIBRARIES = ("pelican", "pelican-i18n-subsites", "jinja2", "markdown", "markupsafe", "babel", "folium", "branca",
             "pandas", "numpy", "pyarrow")


def _files(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and (suffixes is None or p.suffix in suffixes))


def _add_files(digest: "hashlib._Hash", base: Path, paths: Iterable[Path]) -> None:
    for path in paths:
        with path.open("rb") as handle:
            content = hashlib.file_digest(handle, "sha256").hexdigest()
        digest.update(f"{path.relative_to(base).as_posix()}\0{content}\n".encode())


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


def package_print(folder: Path) -> str:
    """sha256 over every file of one package folder (names and contents); hex."""
    digest = hashlib.sha256()
    _add_files(digest, folder, _files(folder))
    return digest.hexdigest()


def package_prints(packages_dir: Path) -> dict[str, str]:
    """{folder name: package_print} of every published package folder."""
    return {folder.name: package_print(folder) for folder in package_folders(packages_dir)}


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
