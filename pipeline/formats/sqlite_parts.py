"""A body's rows as SQLite tables (a part), kept from night to night; the combined database is assembled from them.

The combined database (pipeline.formats.sqlite) holds every body's rows. Handing 1.4 million rows to SQLite
one value at a time from Python took most of its time, and a night on which one body changed did it for
every body again. So each body writes its own rows into a part when its package is written, in its worker:
the body tables in schema column order, typed as the database types them, and its indexed texts split
into words (`<table>_words`, one row per row of the table, same rowid). The part is kept in the private
work folder (`<work>/sqlite-parts/<package>.db`) with a stamp of the package's descriptor (which gives
every CSV's hash) and of the code that made it. The database copies the parts' rows inside SQLite
(INSERT … SELECT). A part is a cache: one that is missing, unreadable or stamped otherwise is made again
from the package's CSVs, and the database is the same bytes either way.
"""

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from .. import schema
from . import parquet, words

BODY_TABLES = ("cases", "actions", "contracts", "work_orders")
SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT", "string": "TEXT"}
STAMP_TABLE = "part_stamp"


def quote(name: str) -> str:
    return f'"{name}"'


def names(columns: tuple[str, ...] | list[str]) -> str:
    return ", ".join(quote(c) for c in columns)


def sql_columns(batch: pa.RecordBatch) -> list[list[Any]]:
    """A typed batch as SQLite values: text for dates and codes, 0/1 for booleans."""
    columns = []
    for column in batch.columns:
        if pa.types.is_dictionary(column.type) or pa.types.is_date(column.type):
            column = column.cast(pa.string())
        elif pa.types.is_boolean(column.type):
            column = column.cast(pa.int8())
        columns.append(column.to_pylist())
    return columns


def insert_csv(connection: sqlite3.Connection, table: str, csv_path: Path, resource: str) -> None:
    """The CSV's rows into the table (its columns in schema order), read block by block."""
    insert = f"INSERT INTO {quote(table)} VALUES ({', '.join('?' * len(schema.field_names(resource)))})"
    for batch in parquet.batches(csv_path, resource):
        connection.executemany(insert, zip(*sql_columns(batch), strict=True))


@cache
def _code_version() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{words.version()}\n{sqlite3.sqlite_version}\n".encode())
    return digest.hexdigest()


def stamp(directory: Path) -> str:
    """What a part of the package in directory is made from: its descriptor (every CSV's hash) and this code."""
    digest = hashlib.sha256(_code_version().encode())
    digest.update((directory / "datapackage.json").read_bytes())
    return digest.hexdigest()


def resources_of(directory: Path) -> dict[str, Path]:
    """A package's body tables: resource -> its CSV."""
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: directory / r["path"] for r in descriptor["resources"] if r["name"] in BODY_TABLES}


def write(resources: dict[str, Path], target: Path, known: dict[str, str], stamped: str = "") -> Path:
    """A part of the given body tables (resource -> CSV), written whole to a temporary name and renamed.
    known: texts already split into words; the rest are split here. stamped: the part's stamp (see stamp)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        with contextlib.closing(sqlite3.connect(temporary, isolation_level=None)) as connection:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("BEGIN")
            for resource in (r for r in BODY_TABLES if r in resources):
                columns = [f"{quote(f['name'])} {SQL_TYPES.get(f['type'], 'TEXT')}"
                           for f in schema.load(resource)["fields"]]
                connection.execute(f"CREATE TABLE {quote(resource)} ({', '.join(columns)})")
                insert_csv(connection, resource, resources[resource], resource)
                if resource in words.FULL_TEXT:
                    _words(connection, resource, words.FULL_TEXT[resource], known)
            connection.execute(f"CREATE TABLE {STAMP_TABLE} (stamp TEXT)")
            connection.execute(f"INSERT INTO {STAMP_TABLE} VALUES (?)", (stamped,))
            connection.execute("COMMIT")
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def write_package(directory: Path, target: Path, known: dict[str, str]) -> Path:
    """The part of the body package in directory, stamped."""
    return write(resources_of(directory), target, known, stamp(directory))


def _words(connection: sqlite3.Connection, table: str, columns: tuple[str, ...], known: dict[str, str]) -> None:
    """<table>_words: the table's indexed texts as words, one row per row of the table (same rowid)."""
    connection.execute(f"CREATE TABLE {quote(table + '_words')} ({names(columns)})")
    rows = connection.execute(f"SELECT rowid, {names(columns)} FROM {quote(table)} ORDER BY rowid").fetchall()
    split = words.split_all((v for row in rows for v in row[1:]), known)
    marks = ", ".join("?" * len(columns))
    insert = f"INSERT INTO {quote(table + '_words')} (rowid, {names(columns)}) VALUES (?, {marks})"
    connection.executemany(insert, ((row[0], *(split[v] if v else v for v in row[1:])) for row in rows))


def current(directory: Path, path: Path) -> bool:
    """Whether the kept part at path was made from this package by this code."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            found = connection.execute(f"SELECT stamp FROM {STAMP_TABLE}").fetchone()
    except sqlite3.Error:
        return False
    return found is not None and found[0] == stamp(directory)


def remember_package(directory: Path, path: Path, known: dict[str, str]) -> bool:
    """Keep a current part of the written package at path; True when it had to be made."""
    if path.is_file() and current(directory, path):
        return False
    write_package(directory, path, known)
    return True


def kept_or_made(directories: list[Path], kept: Path | None, scratch: Path, known: dict[str, str]) -> list[Path]:
    """A current part of every package (in the order given): the kept one, else one made in scratch."""
    found = []
    for directory in directories:
        path = kept / f"{directory.name}.db" if kept is not None else None
        if path is None or not path.is_file() or not current(directory, path):
            path = write_package(directory, scratch / f"{directory.name}.db", known)
        found.append(path)
    return found
