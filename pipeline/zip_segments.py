"""Zip members made of deflate segments, so that a body's part of a combined CSV is compressed once.

A combined CSV is a header and then its bodies' CSVs one after another (pipeline.combined). Each such
piece is deflated on its own (a fresh compressor, ended by a sync flush, as pigz does), and the member's
deflate stream is the pieces' segments one after another, closed by an empty final block. Any inflater
reads it as one stream. A body's segment is kept in a private folder under a key of the body file's
hash, the variant (CSV or its Excel copy) and the deflate's version and level (pipeline.deflate); the
next night that finds it copies it instead of compressing again, so a night on which one body changed
compresses that body's part only. A segment made now and a kept one are the same bytes: a piece is
always read and fed to its compressor in the same blocks from its own start. The zip is the same bytes
on a full build and on a night that reuses segments.

A kept segment ends with its own sha256; one that does not match is made again, and segments no night
uses any more are dropped.

The member's CRC and sizes are worked out by zipfile from the uncompressed bytes, which are read from
the file as before; only what the member's compressor returns is replaced (`_Segments` stands in for
it, through the writer's `_compressor` attribute, which zipfile has had since Python 3.6).
"""

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

from isal import isal_zlib

from . import deflate

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

SUFFIX = ".deflate"
DIGEST = 32  # a kept segment ends with its own sha256, checked before it is used


@dataclass(frozen=True)
class Piece:
    """A run of a member file's bytes; `key` names its kept segment (None: compressed every time)."""

    length: int
    key: str | None = None


def segment_key(file_hash: str, variant: str) -> str:
    """The key of a body file's segment: its recorded hash, the variant, the deflate's version and level."""
    text = f"{file_hash}|{variant}|{deflate.LEVEL}|{deflate.VERSION}"
    return hashlib.sha256(text.encode()).hexdigest()[:40]


@dataclass
class Kept:
    """The folder of kept segments (None: none kept); `used` collects tonight's keys."""

    directory: Path | None
    used: set[str] = field(default_factory=set)
    reused: int = 0

    def path(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{key}{SUFFIX}"

    def prune(self) -> None:
        """Drop the segments tonight did not use (a body's old versions)."""
        if self.directory is None or not self.directory.is_dir():
            return
        for entry in self.directory.glob(f"*{SUFFIX}"):
            if entry.name[: -len(SUFFIX)] not in self.used:
                entry.unlink(missing_ok=True)


class _Segments:
    """Stands in for a zip member's compressor: returns each piece's segment, kept or made now."""

    def __init__(self) -> None:
        self.pending = b""
        self.live: isal_zlib.Compress | None = None
        self.sink: _Sink | None = None

    def begin(self, kept: bytes | None, sink: "_Sink | None") -> None:
        """Start a piece: its kept segment, or a fresh compressor (whose output also goes to sink)."""
        self.pending = kept or b""
        self.live = None if kept is not None else deflate.compressor()
        self.sink = sink

    def compress(self, data: bytes) -> bytes:
        if self.live is None:
            out, self.pending = self.pending, b""
            return out
        out = self.live.compress(data)
        if self.sink is not None:
            self.sink.write(out)
        return out

    def end(self) -> None:
        """End the piece: a made segment gets its sync flush (returned by the next compress call)."""
        if self.live is not None:
            self.pending = self.live.flush(isal_zlib.Z_SYNC_FLUSH)
            if self.sink is not None:
                self.sink.write(self.pending)
            self.live = None

    def flush(self) -> bytes:
        """The member's end: an empty final block."""
        return deflate.compressor().flush()


def write_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, pieces: list[Piece], kept: Kept,
                 block: int) -> None:
    """The file at `path` as a member (info: its name, time and attributes), deflated piece by piece."""
    with path.open("rb") as source, archive.open(info, "w") as member:
        if not hasattr(member, "_compressor"):
            raise RuntimeError("this Python's zipfile writes members without a _compressor attribute")
        segments = _Segments()
        member._compressor = segments  # noqa: SLF001  # why: see the docstring
        for piece in pieces:
            _piece(member, source, piece, segments, kept, block)
        if source.read(1):
            raise ValueError(f"{path}: longer than its pieces")


def _piece(member: IO[bytes], source: BinaryIO, piece: Piece, segments: _Segments, kept: Kept, block: int) -> None:
    """One piece into the member: its bytes (for the CRC and size) with its kept or new segment."""
    where = kept.path(piece.key) if piece.key is not None else None
    old = None
    if where is not None and piece.key is not None:
        kept.used.add(piece.key)
        old = _read(where)
        kept.reused += old is not None
    partial = where.with_name(f".{where.name}.{os.getpid()}") if where is not None and old is None else None
    try:
        with _Sink(partial) as sink:
            segments.begin(old, sink if partial is not None else None)
            left = piece.length
            while left:
                data = source.read(min(block, left))
                if not data:
                    raise ValueError(f"{getattr(source, 'name', 'member')}: shorter than its pieces")
                member.write(data)
                left -= len(data)
            segments.end()
            member.write(b"")  # why: lets the member write the segment's tail (or a kept segment of no bytes)
        if partial is not None and where is not None:
            partial.replace(where)
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)


def _read(path: Path) -> bytes | None:
    """A kept segment, checked against the digest it ends with; None if missing or damaged (made again)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    segment, check = data[:-DIGEST], data[-DIGEST:]
    return segment if len(data) >= DIGEST and hashlib.sha256(segment).digest() == check else None


class _Sink(io.RawIOBase):
    """Where a new segment is kept: the segment, then its sha256 (nothing when `path` is None)."""

    def __init__(self, path: Path | None) -> None:
        super().__init__()
        self.digest = hashlib.sha256()
        self.file: BinaryIO | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.file = path.open("wb")

    def writable(self) -> bool:
        return True

    def write(self, data: "ReadableBuffer") -> int:
        if self.file is not None:
            self.file.write(data)
            self.digest.update(data)
        return memoryview(data).nbytes

    def close(self) -> None:
        if self.file is not None and not self.closed:
            self.file.write(self.digest.digest())
            self.file.close()
        super().close()
