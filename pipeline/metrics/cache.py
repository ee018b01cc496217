"""The metrics cache: each body's rows (Arrow), its parsed cases and its rows as published, kept under a key.

The cache lives in the packages folder (`.metrics-cache/`), so that it travels with the release it belongs to: an
entry is carried over from the previous release when its key matches, and dropped otherwise (pipeline.metrics.bodies
makes the keys). A damaged entry is never trusted: it is recomputed.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .. import hardlink
from .compute import typed

CACHE_DIR = ".metrics-cache"
TEXT_KIND = ".text"  # a body's rows as published (rows_by_body's `text`), beside its Arrow rows


@dataclass
class Cache:
    """Cached rows of bodies, one Arrow file per body and key; `previous` is last night's cache folder."""

    directory: Path | None
    previous: Path | None = None
    reused: list[str] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)

    def has(self, name: str, key: str) -> bool:
        """Whether rows are cached for this body and key (here or in the previous cache)."""
        if not key or self.directory is None:
            return False
        file_name = f"{name}.{key}.arrow"
        return (self.directory / file_name).is_file() or (
            self.previous is not None and (self.previous / file_name).is_file())

    def carry(self, name: str, key: str, kind: str = "", suffix: str = ".arrow") -> Path | None:
        """The entry's file in this cache, linked from the previous cache if need be; None if absent. `kind`
        names what the entry holds besides a body's rows ('.cases': its parsed cases)."""
        if self.directory is None:
            return None
        file_name = f"{name}.{key}{kind}{suffix}"
        here = self.directory / file_name
        if not here.is_file() and self.previous is not None and (self.previous / file_name).is_file():
            self.directory.mkdir(parents=True, exist_ok=True)
            hardlink.link_or_copy(str(self.previous / file_name), str(here))
        return here if here.is_file() else None

    def read(self, name: str, key: str, kind: str = "") -> pa.Table | None:
        """An entry's table (carried over from the previous cache), else None; a damaged entry is dropped."""
        here = self.carry(name, key, kind)
        if here is None:
            return None
        try:
            with pa.OSFile(str(here), "rb") as source:  # why: read into memory, so the file may go
                table: pa.Table = pa.ipc.open_file(source).read_all()
        except (OSError, pa.ArrowException):  # why: a damaged entry is recomputed, never trusted
            here.unlink(missing_ok=True)
            return None
        return table

    def read_text(self, name: str, key: str) -> bytes | None:
        """A body's rows as published, kept under this key (carried over from the previous cache), else None."""
        here = self.carry(name, key, TEXT_KIND, ".bin")
        try:
            kept = b"" if here is None else here.read_bytes()
        except OSError:
            kept = b""
        data = kept[32:]
        if len(kept) < 32 or hashlib.sha256(data).digest() != kept[:32]:  # why: a damaged entry is never trusted
            return None
        return data

    def keep_text(self, name: str, key: str, data: bytes) -> None:
        """Keep a body's rows as published under this key."""
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{name}.{key}{TEXT_KIND}.bin"
        partial = target.with_suffix(".part")
        partial.write_bytes(hashlib.sha256(data).digest() + data)
        partial.replace(target)

    def load(self, name: str, key: str) -> pd.DataFrame | None:
        """A body's cached rows under this key (carried over from the previous cache), else None."""
        table = self.read(name, key)
        if table is None:
            return None
        self.reused.append(name)
        return typed(table.to_pandas())

    def store(self, name: str, key: str, frame: pd.DataFrame) -> None:
        """Keep a body's rows under this key."""
        self.keep(name, key, pa.Table.from_pandas(frame, preserve_index=False))

    def keep(self, name: str, key: str, table: pa.Table, kind: str = "") -> None:
        """Keep a table under this body, key and kind."""
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{name}.{key}{kind}.arrow"
        partial = target.with_suffix(".part")
        with pa.OSFile(str(partial), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        partial.replace(target)
