"""The combined package's SQLite database: every table with the CSV's rows, foreign keys that hold,
indexes on the join keys, full-text search on the scrubbed texts, and Datasette opens it as it is."""

import asyncio
import csv
import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.formats import sqlite as sqlite_format

COMBINED = "350001_yamaguchi_all"


def _database(packages: Path) -> Path:
    descriptor = json.loads((packages / COMBINED / "datapackage.json").read_text(encoding="utf-8"))
    entry = next(d for d in descriptor["mieruka"]["distributions"] if d["format"] == "sqlite")
    return packages / COMBINED / entry["path"]


def test_every_table_holds_the_csv_rows(packages: Path) -> None:
    descriptor = json.loads((packages / COMBINED / "datapackage.json").read_text(encoding="utf-8"))
    with sqlite3.connect(_database(packages)) as db:
        for resource in descriptor["resources"]:
            with (packages / COMBINED / resource["path"]).open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
            count = db.execute(f'select count(*) from "{resource["name"]}"').fetchone()[0]
            assert count == len(rows), resource["name"]
        case = db.execute("select requested_date, reopened, fiscal_year from cases limit 1").fetchone()
        assert len(case[0]) == 10 and case[1] in (0, 1) and isinstance(case[2], int)


def test_foreign_keys_are_declared_and_hold(packages: Path) -> None:
    with sqlite3.connect(_database(packages)) as db:
        assert db.execute("pragma foreign_key_check").fetchall() == []
        keys = {(table, row[2], row[3]) for table in ("actions", "work_orders")
                for row in db.execute(f"pragma foreign_key_list({table})")}
        assert ("actions", "cases", "service_request_id") in keys
        assert ("work_orders", "contracts", "contract_id") in keys
        assert ("work_orders", "cases", "service_request_id") in keys
        linked = db.execute("select count(*) from work_orders w join contracts c using (municipality_code, "
                            "contract_id) join cases k using (municipality_code, service_request_id)").fetchone()[0]
        assert linked > 0


def test_join_keys_are_indexed(packages: Path) -> None:
    with sqlite3.connect(_database(packages)) as db:
        plan = " ".join(str(r) for r in db.execute(
            "explain query plan select * from work_orders where municipality_code = '352152' and contract_id = 'x'"))
        assert "USING INDEX" in plan
        plan = " ".join(str(r) for r in db.execute(
            "explain query plan select * from actions where municipality_code = '352152' "
            "and service_request_id = 'c-0000000000000000'"))
        assert "USING INDEX" in plan or "PRIMARY KEY" in plan


def test_full_text_search_finds_japanese_words(packages: Path) -> None:
    with sqlite3.connect(_database(packages)) as db:
        hits = 0
        for word in ("側溝", "ポットホール", "道路照明", "照明", "街灯", "舗装"):
            found = db.execute("select c.description, c.status_detail from cases_fts f join cases c "
                               "on c.rowid = f.rowid where cases_fts match ?", (f'"{word}"',)).fetchall()
            containing = db.execute("select count(*) from cases where description like ? or status_detail like ?",
                                    (f"%{word}%", f"%{word}%")).fetchone()[0]
            hits += bool(found)
            assert all(word in (d or "") + (s or "") for d, s in found), word
            assert len(found) >= 0.9 * containing, (word, len(found), containing)
        assert hits >= 3
        assert db.execute("select count(*) from actions_fts where actions_fts match '\"補修\"'").fetchone()[0] > 0


def test_the_database_is_the_same_bytes_when_built_again(packages: Path, tmp_path: Path) -> None:
    """The build used the bodies' kept word splits; a build that splits every text itself gives the same bytes."""
    descriptor = json.loads((packages / COMBINED / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["name"]: packages / COMBINED / r["path"] for r in descriptor["resources"]}
    again = sqlite_format.write(tmp_path / "again.db", paths)
    assert again.read_bytes() == _database(packages).read_bytes()


def test_datasette_opens_it_with_search(packages: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    database = _database(packages)

    async def fetch() -> tuple[int, dict, int]:
        app = datasette_app.Datasette([str(database)], settings={"max_returned_rows": 10})
        name = database.stem
        tables = await app.client.get(f"/{name}.json")
        search = await app.client.get(f"/{name}/cases.json?_search=側溝&_shape=objects")
        actions = await app.client.get(f"/{name}/actions.json?_size=1")
        return tables.status_code, search.json(), actions.status_code

    status, search, actions = asyncio.run(fetch())
    assert status == 200 and actions == 200
    assert search["rows"] and all("側溝" in (r["description"] or "") + (r["status_detail"] or "")
                                  for r in search["rows"])


def test_the_database_made_in_a_thread_is_the_same_bytes(packages: Path, tmp_path: Path) -> None:
    """The combined package makes it beside the metrics (sqlite.Background): the same file as write() gives."""
    descriptor = json.loads((packages / COMBINED / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["name"]: packages / COMBINED / r["path"] for r in descriptor["resources"]}
    with sqlite_format.Background(tmp_path / "beside.db", paths) as database:
        database.metrics_written()
        made = database.wait()
    assert made.read_bytes() == _database(packages).read_bytes()


def test_a_failure_before_the_metrics_stops_the_thread_and_leaves_no_file(packages: Path, tmp_path: Path) -> None:
    descriptor = json.loads((packages / COMBINED / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["name"]: packages / COMBINED / r["path"] for r in descriptor["resources"]}
    with pytest.raises(RuntimeError, match="metrics failed"), sqlite_format.Background(tmp_path / "x.db", paths):
        raise RuntimeError("metrics failed")
    assert not any(t.name == "mieruka-database" for t in threading.enumerate())
    assert list(tmp_path.iterdir()) == []  # neither the file nor its scratch folder


def test_the_threads_error_reaches_the_caller(packages: Path, tmp_path: Path) -> None:
    descriptor = json.loads((packages / COMBINED / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["name"]: packages / COMBINED / r["path"] for r in descriptor["resources"]}
    paths["metrics"] = tmp_path / "never_written.csv"
    with sqlite_format.Background(tmp_path / "x.db", paths) as database:
        database.metrics_written()
        with pytest.raises(FileNotFoundError, match="never_written"):
            database.wait()
    assert not (tmp_path / "x.db").exists()


def test_ctrl_c_does_not_wait_for_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()

    def busy(target: Path, *args: object, ready: Callable[[], None] | None = None) -> Path:
        gate.wait(30)  # the thread is still copying the parts when Ctrl+C comes
        if ready is not None:
            ready()
        return target

    monkeypatch.setattr(sqlite_format, "write", busy)
    with pytest.raises(KeyboardInterrupt), sqlite_format.Background(tmp_path / "x.db", {}):
        raise KeyboardInterrupt
    alive = [t for t in threading.enumerate() if t.name == "mieruka-database"]
    gate.set()
    for thread in alive:
        thread.join(5)
    assert alive  # left to end with the process, not waited for
