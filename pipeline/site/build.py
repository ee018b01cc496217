"""Build the bilingual static portal from a published packages directory.

Example: build_site(Path("datapackages"), Path("output")) writes Japanese pages to output/ and
English pages to output/en/.
"""

import logging
import shutil
import tempfile
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from . import catalogs, csp, generator

ROOT = Path(__file__).resolve().parents[2]
PELICANCONF = ROOT / "pelicanconf.py"
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


def copy_vendor(output_dir: Path) -> None:
    """Copy Leaflet, MarkerCluster and Chart.js (with their licences) into output/static/vendor/."""
    modules = node_modules_dir()
    for name, (source, files) in sorted(VENDOR_FILES.items()):
        target = output_dir / "static" / "vendor" / name
        for relative in files:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(modules / source / relative, target / relative)
        package_root = modules / source.split("/")[0]
        for licence in LICENSE_NAMES:
            if (package_root / licence).is_file():
                shutil.copyfile(package_root / licence, target / licence)


def build_site(packages_dir: Path, output_dir: Path, site_url: str = "") -> None:
    """Published packages -> static site: Japanese in output_dir, English in output_dir/en/."""
    node_modules_dir()
    packages_dir, output_dir = Path(packages_dir).resolve(), Path(output_dir).resolve()
    if not (packages_dir / "run.json").is_file() and not any(packages_dir.glob("*/datapackage.json")):
        raise FileNotFoundError(f"{packages_dir} holds no published packages")
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
        logging.getLogger("pelican").setLevel(logging.WARNING)
        Pelican(settings).run()
    generator.clear_cache()
    copy_vendor(output_dir)
    csp.apply(output_dir)
