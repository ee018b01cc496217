"""The bundled sample is byte-stable: regenerated later, every raw file is the same, so a second
`make site` finds nothing changed (the workbook's zip entries and 'modified' stamp are fixed)."""

import time
from pathlib import Path

from pipeline.sample import write_sample_folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sample_regenerated_later_is_byte_identical(tmp_path: Path) -> None:
    write_sample_folder(tmp_path / "first", all_bodies=False, scale=1.0)
    time.sleep(2.1)  # why: zip entry times have a resolution of two seconds
    write_sample_folder(tmp_path / "second", all_bodies=False, scale=1.0)
    first, second = _files(tmp_path / "first"), _files(tmp_path / "second")
    assert any(name.endswith(".xlsx") for name in first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
