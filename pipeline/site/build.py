"""Build the bilingual static portal from a published packages directory.

Example: build_site(Path("datapackages"), Path("output")) writes Japanese pages to output/ and
English pages to output/en/. With previous_output (last night's site), a site whose inputs have
not changed is hard-linked from it instead of being built again.
"""

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import Pelican
from pelican.log import console
from pelican.settings import read_settings

from .. import hardlink
from ..paths import PELICANCONF, SITE_ROOT
from . import catalogs, csp, fingerprint, forked, generator, incremental

ROOT = SITE_ROOT  # the checkout, or the site files a wheel carries (paths.py)
VENDOR_FILES = {
    "leaflet": ("leaflet/dist", ["leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                                 "images/marker-icon.png", "images/marker-icon-2x.png",
                                 "images/marker-shadow.png"]),
    "leaflet.markercluster": ("leaflet.markercluster/dist", ["leaflet.markercluster.js", "MarkerCluster.css",
                                                             "MarkerCluster.Default.css"]),
    "chart.js": ("chart.js/dist", ["chart.umd.min.js"]),
}
LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt")


class MissingNodeModules(FileNotFoundError):
    """The browser libraries are not installed."""


def node_modules_dir() -> Path:
    """The repository's node_modules folder, or a clear error telling how to make it."""
    folder = ROOT / "node_modules"
    if not (folder / "leaflet").is_dir() or not (folder / "chart.js").is_dir():
        raise MissingNodeModules(f"{folder} has no leaflet/chart.js: run npm ci in {ROOT} first")
    return folder


def vendor_files() -> list[tuple[Path, Path]]:
    """(source in node_modules, target under output/static/vendor/) of every browser library file we copy."""
    modules = node_modules_dir()
    pairs = []
    for name, (source, files) in sorted(VENDOR_FILES.items()):
        pairs += [(modules / source / relative, Path(name) / relative) for relative in files]
        package_root = modules / source.split("/")[0]
        pairs += [(package_root / licence, Path(name) / licence) for licence in LICENSE_NAMES
                  if (package_root / licence).is_file()]
    return pairs


def copy_vendor(output_dir: Path) -> None:
    """Copy Leaflet, MarkerCluster and Chart.js (with their licences) into output/static/vendor/."""
    for source, relative in vendor_files():
        target = output_dir / "static" / "vendor" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def reuse(previous_output: Path, output_dir: Path) -> None:
    """Hard-link last night's site into output_dir (which must be empty or missing)."""
    hardlink.copy_tree(previous_output, output_dir, exist_ok=True)


def _reusable(previous_output: Path | None, output_dir: Path, print_: str) -> bool:
    if previous_output is None or not previous_output.is_dir():
        return False
    if previous_output.resolve() == output_dir or (output_dir.exists() and any(output_dir.iterdir())):
        return False
    return fingerprint.recorded(previous_output) == print_


@contextlib.contextmanager
def _quiet_pelican() -> Iterator[None]:
    """Pelican prints "Done: Processed …" on its console each run; errors still reach logging."""
    before = console.quiet
    console.quiet = True
    try:
        yield
    finally:
        console.quiet = before


def _render(packages_dir: Path, output_dir: Path, site_url: str, templates: Path | None = None) -> None:
    """Run Pelican (both languages) over the packages into output_dir; templates: see build_site."""
    generator.clear_cache()
    with tempfile.TemporaryDirectory(prefix="mieruka-locale-") as locale_dir:
        catalogs.compile_all(Path(locale_dir))
        settings = read_settings(str(PELICANCONF), override={
            "OUTPUT_PATH": str(output_dir),
            "SITEURL": site_url.rstrip("/"),
            "MIERUKA_SITE_URL": site_url.rstrip("/"),
            "MIERUKA_PACKAGES_DIR": str(packages_dir),
            "I18N_GETTEXT_LOCALEDIR": locale_dir,
            "CACHE_PATH": str(Path(locale_dir) / "cache"),
        })
        if templates is not None:
            templates.mkdir(parents=True, exist_ok=True)
            settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"],
                                             "bytecode_cache": FileSystemBytecodeCache(str(templates))}
        logging.getLogger("pelican").setLevel(logging.WARNING)
        with _quiet_pelican():
            Pelican(settings).run()
    generator.clear_cache()


def _previous(previous_output: Path | None, output_dir: Path) -> Path | None:
    """Last night's site when it can lend files to tonight's (a folder other than output_dir)."""
    if previous_output is None or not previous_output.is_dir():
        return None
    previous = previous_output.resolve()
    return None if previous == output_dir else previous


def build_site(packages_dir: Path, output_dir: Path, site_url: str = "",
               previous_output: Path | None = None, ledger_out: list[incremental.Ledger] | None = None,
               workers: int | None = None, digests: Path | None = None, templates: Path | None = None) -> bool:
    """Published packages -> static site: Japanese in output_dir, English in output_dir/en/.

    When previous_output holds a site built from the same inputs (same fingerprint), it is hard-linked
    into output_dir instead of being built again. Returns True when the site was reused. Otherwise only
    the pages whose inputs changed are rendered; the rest are hard-linked from previous_output
    (pipeline.site.incremental). ledger_out, when given, receives the build's ledger (what was rendered).
    workers: processes that render the pages (default $MIERUKA_SITE_WORKERS, else one per core); the site is
    the same bytes with any number. digests: a file that keeps the package files' digests from night to
    night (fingerprint.Digests), so that an unchanged file is not hashed again; the site is the same either way.
    templates: a folder that keeps the compiled templates from night to night (Jinja's bytecode cache, checked
    against each template's source), so that a night does not compile them again; the site is the same either way.
    """
    node_modules_dir()
    packages_dir, output_dir = Path(packages_dir).resolve(), Path(output_dir).resolve()
    if not (packages_dir / "run.json").is_file() and not any(packages_dir.glob("*/datapackage.json")):
        raise FileNotFoundError(f"{packages_dir} holds no published packages")
    code_print = fingerprint.code_fingerprint(site_url, [source for source, _ in vendor_files()])
    kept = fingerprint.Digests(digests)
    prints = fingerprint.package_prints(packages_dir, kept)
    print_ = fingerprint.site_fingerprint(packages_dir, code_print, prints)
    if _reusable(previous_output, output_dir, print_):
        assert previous_output is not None
        reuse(previous_output, output_dir)
        kept.save()
        return True
    previous = _previous(previous_output, output_dir)
    ledger = incremental.Ledger(output=output_dir, code_print=code_print, package_prints=prints, previous=previous,
                                old=incremental.previous_units(previous, code_print),
                                workers=workers or forked.default_workers())
    with incremental.building(ledger):
        _render(packages_dir, output_dir, site_url, templates)
    copy_vendor(output_dir)
    csp.apply(output_dir)
    (output_dir / incremental.MANIFEST).write_text(ledger.manifest(), encoding="utf-8")
    fingerprint.record(output_dir, print_)
    kept.save()
    if ledger_out is not None:
        ledger_out.append(ledger)
    return False
