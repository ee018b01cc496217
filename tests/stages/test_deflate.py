"""Zip members deflated by ISA-L (pipeline.deflate) are ordinary deflated members: zipfile and zlib read them,
their CRC holds, and the same bytes in give the same zip out."""

import io
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import deflate


def _zip(members: list[tuple[str, bytes]], block: int = 1 << 16) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with deflate.open_member(archive, info) as member:
                for start in range(0, len(data), block):
                    member.write(data[start:start + block])
    return buffer.getvalue()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.csv", "b/c.csv", "ケース.csv"]),
                          st.binary(max_size=5000) | st.text(max_size=3000).map(str.encode)),
                min_size=1, max_size=3, unique_by=lambda m: m[0]),
       st.integers(min_value=1, max_value=4096))
def test_members_read_back_with_zipfile_and_zlib(members: list[tuple[str, bytes]], block: int) -> None:
    made = _zip(members, block)
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        assert archive.testzip() is None  # every member's CRC
        for info, (name, data) in zip(archive.infolist(), members, strict=True):
            assert (info.filename, archive.read(info)) == (name, data)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            assert zlib.decompress(made[start:start + info.compress_size], -15) == data
    assert _zip(members, block) == made


def test_a_csv_compresses_about_as_zlib_does_at_level_1() -> None:
    rows = "".join(f"3520{i % 97:02d}-{i:06d},road_surface,2025-04-{i % 28 + 1:02d},completed,下関市{i % 50}丁目\n"
                   for i in range(20_000)).encode()
    made = _zip([("cases.csv", rows)])
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        size = archive.infolist()[0].compress_size
    assert size < len(zlib.compress(rows, 1)) * 1.1


def test_a_member_that_is_not_deflated_is_refused() -> None:
    with zipfile.ZipFile(io.BytesIO(), "w") as archive, pytest.raises(ValueError, match=r"a\.csv"):
        deflate.open_member(archive, zipfile.ZipInfo("a.csv"))
