"""An installed mieruka carries everything `mieruka build` needs: setup.py copies the theme, content
pages, pelicanconf.py and browser libraries into pipeline/_site/ of a built wheel, and paths.py finds
them there. Checked offline on the layout a wheel unpacks to (pip is not needed); how to check a
real wheel in a fresh environment is in the README ("Installing from a wheel")."""

import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGES = ROOT / "tests" / "fixtures" / "packages"


def test_an_installed_package_builds_the_site_away_from_the_checkout(tmp_path: Path) -> None:
    lib = tmp_path / "site-packages"
    shutil.copytree(ROOT / "pipeline", lib / "pipeline", ignore=shutil.ignore_patterns("__pycache__", "_site"))
    setup = runpy.run_path(str(ROOT / "setup.py"), run_name="setup_py")  # what the wheel's build_py adds
    setup["copy_site_files"](lib / "pipeline" / "_site")
    for needed in ("pelicanconf.py", "themes/portal/templates/base.html", "content/pages/about.md",
                   "node_modules/leaflet/dist/leaflet.js", "node_modules/chart.js/dist/chart.umd.min.js"):
        assert (lib / "pipeline" / "_site" / needed).is_file(), needed
    work = tmp_path / "elsewhere"
    work.mkdir()
    script = ("import sys\nfrom pathlib import Path\nfrom pipeline import paths\n"
              "from pipeline.site.build import build_site\n"
              "assert paths.SITE_ROOT == Path(sys.argv[1]) / 'pipeline' / '_site', paths.SITE_ROOT\n"
              "assert paths.ROOT == Path.cwd(), paths.ROOT\n"
              "build_site(Path(sys.argv[2]), Path('output'))\n")
    env = {**os.environ, "PYTHONPATH": str(lib)}
    done = subprocess.run([sys.executable, "-c", script, str(lib), str(PACKAGES)], cwd=work, env=env,
                          capture_output=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    site = work / "output"
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert (site / "static" / "vendor" / "leaflet" / "leaflet.js").is_file()
    assert '<html lang="en"' in (site / "en" / "index.html").read_text(encoding="utf-8")
