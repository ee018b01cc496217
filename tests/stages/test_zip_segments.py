"""The combined zip from its bodies' kept deflate segments: a valid zip, the same bytes whether the segments
were kept or made tonight, only a changed body's part compressed again, and a damaged segment never used."""

import datetime as dt
import io
import shutil
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest

from pipeline import combined, package, schema, zip_segments

RUN_DATE = dt.date(2026, 4, 5)
NAMES = ("352012_ube", "352021_hofu", "352039_kudamatsu")


def _body(root: Path, name: str, n: int, text: str) -> None:
    cases = pd.DataFrame({f: [""] * n for f in schema.field_names("cases")})
    cases["municipality_code"] = name[:6]
    cases["service_request_id"] = [f"c-{i:016x}" for i in range(n)]
    cases["requested_date"] = "2025-05-01"
    cases["status"] = "completed"
    cases["description"] = [f"{text} {i}\r\n二行目" if i % 7 == 0 else f"{text} {i}" for i in range(n)]
    actions = pd.DataFrame({f: [""] * n for f in schema.field_names("actions")})
    actions["municipality_code"] = name[:6]
    actions["service_request_id"] = cases["service_request_id"]
    actions["step"] = "1"
    actions["action"] = "received"
    meta = {"name": name, "mieruka": {"municipality_code": name[:6]}}
    package.write_package(root / name, meta, {"cases": cases, "actions": actions}, name[:6])


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    packages = tmp_path / "datapackages"
    for i, name in enumerate(NAMES):
        _body(packages, name, 300 + 100 * i, f"道路の穴 {name}")
    return packages


def _zip(packages: Path, kept: Path | None) -> bytes:
    out = combined.write(packages, list(NAMES), RUN_DATE, synthetic=True, zip_parts_dir=kept)
    return (out / f"{combined.NAME}.zip").read_bytes()


def _check(data: bytes, packages: Path) -> None:
    """Every member reads back (CRC checked) as the file it was made from."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        for info in archive.infolist():
            assert archive.read(info) == (packages / info.filename).read_bytes(), info.filename


def _segments(kept: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in kept.glob("*.deflate")}


def test_kept_segments_give_the_same_zip_as_compressing_everything(root: Path, tmp_path: Path) -> None:
    kept = tmp_path / "zip-parts"
    plain = _zip(root, None)
    first = _zip(root, kept)
    _check(first, root)
    assert first == plain
    made = _segments(kept)
    assert len(made) == 2 * 2 * len(NAMES)  # cases and actions of each body, as CSV and as Excel copy
    second = _zip(root, kept)
    assert second == first
    assert _segments(kept) == made  # read, not made again


def test_a_changed_body_alone_is_compressed_again(root: Path, tmp_path: Path) -> None:
    kept = tmp_path / "zip-parts"
    _zip(root, kept)
    before = _segments(kept)
    shutil.rmtree(root / NAMES[1])
    _body(root, NAMES[1], 450, "側溝の蓋")
    night = _zip(root, kept)
    _check(night, root)
    after = _segments(kept)
    assert len(after) == len(before)
    assert len(set(after) - set(before)) == 4  # the changed body's two CSVs, each as CSV and as Excel copy
    assert all(after[name] == before[name] for name in set(after) & set(before))  # the others were kept as they were
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh)
    shutil.rmtree(fresh / combined.NAME)
    assert night == _zip(fresh, None)


def test_a_damaged_segment_is_made_again(root: Path, tmp_path: Path) -> None:
    kept = tmp_path / "zip-parts"
    first = _zip(root, kept)
    victim = max(kept.glob("*.deflate"), key=lambda p: p.stat().st_size)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    again = _zip(root, kept)
    assert again == first
    _check(again, root)
    assert victim.read_bytes() != bytes(data)  # replaced by a good one


@pytest.mark.parametrize("lengths", [[0], [5, 0, 7], [1, 2, 3, 4], [4096, 1, 9000]])
def test_a_member_of_pieces_inflates_to_its_file(tmp_path: Path, lengths: list[int]) -> None:
    data = b"".join(bytes((i * 7 + j) % 251 for j in range(n)) for i, n in enumerate(lengths))
    path = tmp_path / "pkg" / "f.csv"
    path.parent.mkdir()
    path.write_bytes(data)
    pieces = [zip_segments.Piece(n, f"k{i}") for i, n in enumerate(lengths)]
    made = []
    for _ in range(2):  # made, then from the kept segments
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            kept = zip_segments.Kept(tmp_path / "kept")
            zip_segments.write_member(archive, package.zip_info(path.parent, path), path, pieces, kept, 1000)
        made.append(buffer.getvalue())
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
            info = archive.infolist()[0]
            assert archive.read(info) == data
            raw = buffer.getvalue()[info.header_offset + 30 + len(info.filename.encode()):][:info.compress_size]
            assert zlib.decompress(raw, -15) == data
    assert made[0] == made[1]
    assert kept.reused == len(lengths)


def test_pieces_that_do_not_cover_the_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "pkg" / "f.csv"
    path.parent.mkdir()
    path.write_bytes(b"abcdef")
    for pieces in ([zip_segments.Piece(4)], [zip_segments.Piece(4), zip_segments.Piece(4)]):
        with zipfile.ZipFile(io.BytesIO(), "w") as archive, pytest.raises(ValueError, match=r"f\.csv"):
            zip_segments.write_member(archive, package.zip_info(path.parent, path), path, pieces,
                                      zip_segments.Kept(None), 1000)
