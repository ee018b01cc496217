"""A built wheel carries the site's own files inside the package, under pipeline/_site/: the theme,
the content pages, pelicanconf.py and the browser libraries the site copies from node_modules
(pipeline/paths.py finds them there when there is no checkout around the package).

An editable install (make install) reads them from the checkout instead, so nothing is copied then.
"""

import ast
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SITE_FILES = ("themes", "content", "pelicanconf.py")
LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt")


def vendor_files() -> list[Path]:
    """node_modules files the site build copies: VENDOR_FILES of pipeline/site/build.py, read without importing it."""
    tree = ast.parse((HERE / "pipeline" / "site" / "build.py").read_text(encoding="utf-8"))
    value = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "VENDOR_FILES" for t in node.targets))
    files = []
    for source, names in ast.literal_eval(value).values():
        package = Path(source.split("/")[0])
        files += [Path(source) / name for name in names]
        files += [package / name for name in LICENSE_NAMES if (HERE / "node_modules" / package / name).is_file()]
    return files


def copy_site_files(target: Path) -> None:
    """The theme, content, pelicanconf.py and browser libraries into target (a fresh pipeline/_site/)."""
    shutil.rmtree(target, ignore_errors=True)
    for name in SITE_FILES:
        source = HERE / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for relative in vendor_files():
        source = HERE / "node_modules" / relative
        if not source.is_file():
            raise SystemExit(f"{source} is missing: run npm ci before building the wheel")
        (target / "node_modules" / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / "node_modules" / relative)


class BuildWithSiteFiles(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            copy_site_files(Path(self.build_lib) / "pipeline" / "_site")


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildWithSiteFiles})
