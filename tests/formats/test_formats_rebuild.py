"""The formats are deterministic (a rebuild from the same exports is byte-identical) and take part in the
no-change night: when no export changed, every format file is the same file (hard-linked), catalogue too."""

import hashlib
import shutil
from pathlib import Path

from tests.formats.sample_build import build

FORMAT_PARTS = ("parquet", "open311")


def _format_files(packages: Path) -> dict[str, Path]:
    files = {}
    for path in sorted(packages.rglob("*")):
        relative = path.relative_to(packages)
        if path.is_file() and (set(relative.parts) & set(FORMAT_PARTS) or path.suffix in (".db", ".xlsx", ".jsonld")):
            files[relative.as_posix()] = path
    return files


def _hashes(files: dict[str, Path]) -> dict[str, str]:
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}


def test_a_rebuild_from_the_same_exports_is_byte_identical(built: Path, tmp_path: Path) -> None:
    first = _format_files(built / "datapackages")
    assert len(first) >= 4 * (5 + 3 + 1) + 6 + 1 + 1
    again = tmp_path / "again"
    shutil.copytree(built / "raw", again / "raw")
    assert build(again, again / "raw", "--no-site") == 0
    assert _hashes(_format_files(again / "datapackages")) == _hashes(first)


def test_a_night_without_changes_hard_links_every_format_file(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "nights"
    shutil.copytree(built / "raw", root / "raw")
    assert build(root, root / "raw", "--no-site") == 0
    before = {name: path.stat().st_ino for name, path in _format_files(root / "datapackages").items()}
    assert build(root, root / "raw", "--no-site") == 0
    after = _format_files(root / "datapackages")
    assert set(after) == set(before)
    relinked = {name for name, path in after.items() if path.stat().st_ino == before[name]}
    assert relinked == set(before) - {"catalog.jsonld"}  # the catalogue is rewritten, from the same descriptors
