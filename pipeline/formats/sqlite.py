"""One SQLite database of the combined package, ready for Datasette (`datasette 350001_all.db`).

Tables in schema column order, read from the combined package's CSVs: municipalities, cases, actions,
contracts, work_orders, metrics. Dates are ISO text, booleans 0/1, empty cells NULL. Primary keys as in
the Table Schemas; foreign keys: actions -> cases, work_orders -> cases and -> contracts (on the
municipality code and the id), and every body table's municipality_code -> municipalities. Indexes on
the join keys (actions -> cases is the start of the actions' primary key, already indexed).

Full-text search on the scrubbed texts, in the layout sqlite-utils makes and Datasette recognises
(cases_fts, actions_fts: FTS5 tables with content=[cases]). Japanese has no spaces between words, so
the index is fed the texts split into words (pipeline.formats.words: each word, the shorter words a compound
splits into, and runs of nouns joined: 道路照明 is found as 道路照明, 道路 and 照明); the rows show the
original text from the table. The bodies' kept splits are used where they hold a text. A search is for
whole words (`_search=側溝` in Datasette); LIKE finds any substring.

Deterministic: tables and rows in a fixed order, one transaction, then VACUUM, so the same package
gives the same bytes with the same SQLite library.
"""

import errno
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa

from .. import schema
from . import parquet
from .words import FULL_TEXT, split_all

SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT", "string": "TEXT"}
# Foreign keys beyond the schemas' own: (columns, table, columns).
EXTRA_KEYS: dict[str, list[tuple[tuple[str, ...], str, tuple[str, ...]]]] = {
    "work_orders": [(("municipality_code", "service_request_id"), "cases", ("municipality_code", "service_request_id")),
                    (("municipality_code", "contract_id"), "contracts", ("municipality_code", "contract_id"))],
}
BODY_TABLES = ("cases", "actions", "contracts", "work_orders")
INDEXES: dict[str, list[tuple[str, ...]]] = {
    "cases": [("category",), ("status",), ("requested_date",)],
    "work_orders": [("municipality_code", "service_request_id"), ("municipality_code", "contract_id")],
}


def _quote(name: str) -> str:
    return f'"{name}"'


def _names(columns: tuple[str, ...]) -> str:
    return ", ".join(_quote(c) for c in columns)


def create_table(resource: str, tables: set[str]) -> str:
    """CREATE TABLE of one resource (foreign keys only to tables already made)."""
    spec = schema.load(resource)
    # why: no NOT NULL: the packages were validated against their schemas already, and a database that
    # refuses a row would stop the whole combined package instead of mirroring it
    lines = [f"{_quote(f['name'])} {SQL_TYPES.get(f['type'], 'TEXT')}" for f in spec["fields"]]
    if spec.get("primaryKey"):
        lines.append(f"PRIMARY KEY ({_names(tuple(spec['primaryKey']))})")
    keys = [(tuple(k["fields"]), k["reference"]["resource"], tuple(k["reference"]["fields"]))
            for k in spec.get("foreignKeys", [])] + EXTRA_KEYS.get(resource, [])
    if resource in BODY_TABLES:
        keys.append((("municipality_code",), "municipalities", ("municipality_code",)))
    lines += [f"FOREIGN KEY ({_names(cols)}) REFERENCES {_quote(table)} ({_names(refs)})"
              for cols, table, refs in keys if table in tables]
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {_quote(resource)} (\n  {body}\n)"


def _sql_columns(batch: pa.RecordBatch) -> list[list[Any]]:
    """A typed batch as SQLite values: text for dates and codes, 0/1 for booleans."""
    columns = []
    for column in batch.columns:
        if pa.types.is_dictionary(column.type) or pa.types.is_date(column.type):
            column = column.cast(pa.string())
        elif pa.types.is_boolean(column.type):
            column = column.cast(pa.int8())
        columns.append(column.to_pylist())
    return columns


def _full_text(connection: sqlite3.Connection, table: str, columns: tuple[str, ...], known: dict[str, str]) -> None:
    """An FTS5 index of the table's columns, as words, in the sqlite-utils layout (content=[table])."""
    names = _names(columns)
    connection.execute(f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 (\n    {names},\n    content=[{table}]\n)")
    rows = connection.execute(f"SELECT rowid, {names} FROM {_quote(table)} ORDER BY rowid").fetchall()
    split = split_all((v for row in rows for v in row[1:]), known)
    insert = f"INSERT INTO [{table}_fts] (rowid, {names}) VALUES (?, {', '.join('?' * len(columns))})"
    connection.executemany(insert, ((row[0], *(split[v] if v else v for v in row[1:])) for row in rows))


def write(target: Path, paths: dict[str, Path], known: dict[str, str] | None = None) -> Path:
    """The database of the given resources (resource -> combined CSV), in schema resource order; `known`: texts
    already split into words (pipeline.formats.words), the rest are split here."""
    target.unlink(missing_ok=True)
    order = [r for r in ("municipalities", *BODY_TABLES, "metrics") if r in paths]
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("BEGIN")
        made: set[str] = set()
        for resource in order:
            made.add(resource)
            connection.execute(create_table(resource, made))
            names = schema.field_names(resource)
            insert = f"INSERT INTO {_quote(resource)} VALUES ({', '.join('?' * len(names))})"
            for batch in parquet.batches(paths[resource], resource):
                connection.executemany(insert, zip(*_sql_columns(batch), strict=True))
            for columns in INDEXES.get(resource, []):
                name = f"idx_{resource}_{'_'.join(columns)}"
                connection.execute(f"CREATE INDEX {_quote(name)} ON {_quote(resource)} ({_names(columns)})")
        for resource, columns in FULL_TEXT.items():
            if resource in made:
                _full_text(connection, resource, columns, known or {})
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:  # why: reported as any full disk is
            raise OSError(errno.ENOSPC, "No space left on device", str(target)) from exc
        raise
    finally:
        connection.close()
    return target
