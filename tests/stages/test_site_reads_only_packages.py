"""The site is built from the published packages alone: an audit hook records every file the
site build opens, and none is a raw export, a private log or anything outside the packages and
the project's own code, theme and browser libraries."""

import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.paths import ROOT
from pipeline.sample import PILOT_CODES, SAMPLE_MARKER, write_sample

_OPENED: list[str] = []
_RECORDING = {"on": False}


def _hook(event: str, args: tuple[object, ...]) -> None:
    if _RECORDING["on"] and event == "open" and isinstance(args[0], str | Path):
        _OPENED.append(str(args[0]))


sys.addaudithook(_hook)


def test_site_build_opens_only_packages_and_project_files(tmp_path: Path) -> None:
    from pipeline.site.build import build_site

    raw = tmp_path / "raw"
    write_sample(raw, PILOT_CODES, scale=0.03)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    packages = tmp_path / "dp"
    assert main(["build", "--raw", str(raw), "--packages", str(packages), "--output", str(tmp_path / "o"),
                 "--no-site"]) == 0
    output = tmp_path / "site"
    _OPENED.clear()
    _RECORDING["on"] = True
    try:
        build_site(packages, output)
    finally:
        _RECORDING["on"] = False
    assert (output / "index.html").is_file()
    allowed = [packages.resolve(), output.resolve(), ROOT / "pipeline", ROOT / "themes", ROOT / "content",
               ROOT / "node_modules", ROOT / "pelicanconf.py", Path(sys.prefix).resolve(),
               Path(sys.base_prefix).resolve()]
    data_files = []
    for name in _OPENED:
        path = Path(name).resolve()
        assert not path.is_relative_to(raw.resolve()), f"the site build read a raw export: {path}"
        assert not path.is_relative_to((tmp_path / ".work").resolve()), f"the site build read a private log: {path}"
        if path.suffix in (".csv", ".json", ".xlsx", ".geojson") and not any(path.is_relative_to(a) for a in allowed):
            data_files.append(path)
    assert not data_files, f"data read from outside the packages: {data_files[:5]}"
    assert any(Path(n).resolve().is_relative_to(packages.resolve()) for n in _OPENED)


def test_site_build_fails_cleanly_without_packages(tmp_path: Path) -> None:
    from pipeline.site.build import build_site

    with pytest.raises(FileNotFoundError, match="no published packages"):
        build_site(tmp_path / "empty", tmp_path / "site")
