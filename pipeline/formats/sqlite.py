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
original text from the table. A search is for whole words (`_search=側溝` in Datasette); LIKE finds any
substring.

The body tables' rows and their words are copied inside SQLite from each body's part
(pipeline.formats.sqlite_parts), made in the body's worker and kept from night to night, so a night on
which one body changed hands only that body's rows to SQLite from Python.

Deterministic: tables and rows in a fixed order, each full-text index built in one statement, then
written out whole (VACUUM INTO), so the same package gives the same bytes with the same SQLite library,
whichever parts were kept.

The combined package makes its database in a thread (Background) while it works out the metrics and
writes the Parquet copies: SQLite runs without Python's GIL, so the two overlap on two cores. The
thread copies the parts and builds the indexes and full-text indexes first, and waits for the metrics CSV
only before its last step (the metrics table, then the file written out).
"""

import errno
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from .. import schema
from . import sqlite_parts
from .sqlite_parts import BODY_TABLES, SQL_TYPES, names, quote
from .words import FULL_TEXT

# Foreign keys beyond the schemas' own: (columns, table, columns).
EXTRA_KEYS: dict[str, list[tuple[tuple[str, ...], str, tuple[str, ...]]]] = {
    "work_orders": [(("municipality_code", "service_request_id"), "cases", ("municipality_code", "service_request_id")),
                    (("municipality_code", "contract_id"), "contracts", ("municipality_code", "contract_id"))],
}
INDEXES: dict[str, list[tuple[str, ...]]] = {
    "cases": [("category",), ("status",), ("requested_date",)],
    "work_orders": [("municipality_code", "service_request_id"), ("municipality_code", "contract_id")],
}


def create_table(resource: str, tables: set[str]) -> str:
    """CREATE TABLE of one resource (foreign keys only to tables already made)."""
    spec = schema.load(resource)
    # why: no NOT NULL: the packages were validated against their schemas already, and a database that
    # refuses a row would stop the whole combined package instead of mirroring it
    lines = [f"{quote(f['name'])} {SQL_TYPES.get(f['type'], 'TEXT')}" for f in spec["fields"]]
    if spec.get("primaryKey"):
        lines.append(f"PRIMARY KEY ({names(tuple(spec['primaryKey']))})")
    keys = [(tuple(k["fields"]), k["reference"]["resource"], tuple(k["reference"]["fields"]))
            for k in spec.get("foreignKeys", [])] + EXTRA_KEYS.get(resource, [])
    if resource in BODY_TABLES:
        keys.append((("municipality_code",), "municipalities", ("municipality_code",)))
    lines += [f"FOREIGN KEY ({names(cols)}) REFERENCES {quote(table)} ({names(refs)})"
              for cols, table, refs in keys if table in tables]
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {quote(resource)} (\n  {body}\n)"


def _copy_part(connection: sqlite3.Connection, part: Path) -> None:
    """A body's part (sqlite_parts) appended to the tables, its words to the full-text index (same rowids)."""
    connection.execute("ATTACH DATABASE ? AS part", (str(part),))
    try:
        held = {row[0] for row in connection.execute("SELECT name FROM part.sqlite_master WHERE type = 'table'")}
        connection.execute("BEGIN")
        for resource in (r for r in BODY_TABLES if r in held):
            offset = connection.execute(f"SELECT coalesce(max(rowid), 0) FROM main.{quote(resource)}").fetchone()[0]
            table = quote(resource)
            connection.execute(f"INSERT INTO main.{table} SELECT * FROM part.{table} ORDER BY rowid")
            if resource in FULL_TEXT and f"{resource}_words" in held:
                columns, words = names(FULL_TEXT[resource]), quote(f"{resource}_words")
                connection.execute(f"INSERT INTO temp.{words} (rowid, {columns}) SELECT rowid + ?, {columns} "
                                   f"FROM part.{words} ORDER BY rowid", (offset,))
        connection.execute("COMMIT")
    finally:
        connection.execute("DETACH DATABASE part")


def write(target: Path, paths: dict[str, Path], known: dict[str, str] | None = None,
          bodies: list[Path] | None = None, kept: Path | None = None,
          ready: Callable[[], None] | None = None) -> Path:
    """The database of the given resources (resource -> combined CSV), in schema resource order.

    bodies: the body packages whose rows the combined CSVs hold, in their order; their rows are copied from
    their parts (pipeline.formats.sqlite_parts: the kept ones in `kept`, else made here). Without bodies, the
    combined CSVs make one part. known: texts already split into words (pipeline.formats.words).
    ready: called once the parts are copied, before the metrics CSV is read; it returns when that CSV is
    written (Background)."""
    target.unlink(missing_ok=True)
    order = [r for r in ("municipalities", *BODY_TABLES, "metrics") if r in paths]
    # why: built in a scratch file and written out whole (VACUUM INTO), so the file's header does not count the
    # transactions that built it (one per part)
    with tempfile.TemporaryDirectory(prefix=".mieruka-database-", dir=target.parent) as scratch:
        connection = sqlite3.connect(Path(scratch) / "build.db", isolation_level=None)
        try:
            parts = sqlite_parts.kept_or_made(bodies, kept, Path(scratch), known or {}) if bodies is not None \
                else [sqlite_parts.write({r: paths[r] for r in BODY_TABLES if r in paths}, Path(scratch) / "all.db",
                                         known or {})]
            _create(connection, paths, order)
            for part in parts:
                _copy_part(connection, part)
            _index(connection, order)
            if ready is not None:
                ready()
            _finish(connection, paths, target)
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:  # why: reported as any full disk is
                raise OSError(errno.ENOSPC, "No space left on device", str(target)) from exc
            raise
        finally:
            connection.close()
    return target


def _create(connection: sqlite3.Connection, paths: dict[str, Path], order: list[str]) -> None:
    """The tables (foreign keys to those made before), the full-text indexes and the municipalities."""
    connection.execute("PRAGMA journal_mode = OFF")
    # why: a scratch file, dropped if the build stops; the database is written out whole at the end
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("BEGIN")
    made: set[str] = set()
    for resource in order:
        made.add(resource)
        connection.execute(create_table(resource, made))
    for resource, columns in FULL_TEXT.items():
        if resource in made:
            connection.execute(f"CREATE VIRTUAL TABLE [{resource}_fts] USING FTS5 (\n    {names(columns)},\n"
                               f"    content=[{resource}]\n)")
            # why: the words are gathered outside the file and indexed in one statement at the end, so the
            # index is built the same way however many parts there were
            connection.execute(f"CREATE TEMP TABLE {quote(resource + '_words')} ({names(columns)})")
    if "municipalities" in paths:
        sqlite_parts.insert_csv(connection, "municipalities", paths["municipalities"], "municipalities")
    connection.execute("COMMIT")


def _index(connection: sqlite3.Connection, made: list[str]) -> None:
    """The indexes and the full-text indexes (each in one statement, rows in rowid order): they need the body
    tables only, so they are built before the metrics are there."""
    connection.execute("BEGIN")
    for resource in (r for r in made if r in INDEXES):
        for columns in INDEXES[resource]:
            name = f"idx_{resource}_{'_'.join(columns)}"
            connection.execute(f"CREATE INDEX {quote(name)} ON {quote(resource)} ({names(columns)})")
    for resource in (r for r in FULL_TEXT if r in made):
        listed, words = names(FULL_TEXT[resource]), quote(f"{resource}_words")
        connection.execute(f"INSERT INTO [{resource}_fts] (rowid, {listed}) SELECT rowid, {listed} "
                           f"FROM temp.{words} ORDER BY rowid")
        connection.execute(f"DROP TABLE temp.{words}")
    connection.execute("COMMIT")


def _finish(connection: sqlite3.Connection, paths: dict[str, Path], target: Path) -> None:
    """The metrics, then the database written out whole to target."""
    if "metrics" in paths:
        connection.execute("BEGIN")
        sqlite_parts.insert_csv(connection, "metrics", paths["metrics"], "metrics")
        connection.execute("COMMIT")
    connection.execute("VACUUM INTO ?", (str(target),))


class Cancelled(Exception):
    """The combined package stopped before its metrics were written: the database is not made."""


class Background:
    """The database (write()) made in a thread; `paths` name every CSV, the metrics one perhaps not yet written.

    Use as a context manager: metrics_written() once the metrics CSV is there, then wait() for the file (it
    raises what the thread raised). Leaving the block without wait() cancels the database and joins the thread
    (not on Ctrl+C).
    """

    def __init__(self, target: Path, paths: dict[str, Path], known: dict[str, str] | None = None,
                 bodies: list[Path] | None = None, kept: Path | None = None) -> None:
        self.target = target
        self._written = threading.Event()
        self._cancelled = False
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._run, args=(paths, known, bodies, kept),
                                        name="mieruka-database", daemon=True)
        self._thread.start()

    def _run(self, paths: dict[str, Path], known: dict[str, str] | None, bodies: list[Path] | None,
             kept: Path | None) -> None:
        try:
            write(self.target, paths, known, bodies, kept, ready=self._wait_for_metrics)
        except Exception as exc:  # noqa: BLE001  # why: handed to the caller's thread by wait()
            self._error = exc

    def _wait_for_metrics(self) -> None:
        self._written.wait()
        if self._cancelled:
            raise Cancelled(str(self.target))

    def metrics_written(self) -> None:
        """The metrics CSV is complete: the thread may read it."""
        self._written.set()

    def wait(self) -> Path:
        """The finished database file; raises what the thread raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.target

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._thread.is_alive():
            self._cancelled = not self._written.is_set()
            self._written.set()
            # why: on Ctrl+C the run stops at once (the staging folder is dropped); the daemon thread ends with
            # the process instead of finishing a database nobody will publish
            if kind is None or issubclass(kind, Exception):
                self._thread.join()
