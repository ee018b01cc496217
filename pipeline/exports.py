"""Ingest stage of one body: its raw export files -> intake text frames, one per resource.

Entry point `read_exports(adapter, folder)`. Inputs: the adapter and the body's raw folder. Output:
`Exports`, each resource's kept rows as text cells (personal-data columns already dropped), the rows
an adapter filter or a repeat left out, and the provenance of every file read. The only stage that
reads the body's files; normalize takes it from here.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import ingest
from .adapter import Adapter
from .ingest import RawFile
from .problems import Problem


@dataclass(frozen=True)
class Export:
    """One resource as read: kept rows (text cells), rows left out, rows in, and the file label for problems."""

    frame: pd.DataFrame
    label: str
    rows_in: int
    excluded: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Exports:
    """A body's resources as read, and the files they came from (sorted by name)."""

    tables: dict[str, Export]
    files: list[RawFile]


def read_exports(adapter: Adapter, folder: Path) -> Exports:
    """Raw files of one body -> its intake frames and the files' provenance (ExportError if unreadable)."""
    tables: dict[str, Export] = {}
    files: dict[str, RawFile] = {}
    for resource, source in adapter.sources.items():
        read = ingest.read_table(folder, source)
        label = source.file if not source.is_pattern else (read.paths[0].name if len(read.paths) == 1 else source.file)
        frame = ingest.select(read.frame, source, adapter.pii_drop, label)
        for path in read.paths:
            files[path.name] = ingest.describe(path)
        tables[resource] = Export(frame, label, read.rows_in, read.excluded)
    return Exports(tables, [files[k] for k in sorted(files)])
