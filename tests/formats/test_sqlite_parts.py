"""Each body keeps its rows as a database part; the combined database copies them and is the same bytes with the
kept parts, with parts made anew, and from the combined CSVs alone."""

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from pipeline.formats import sqlite as sqlite_format
from pipeline.formats import sqlite_parts

COMBINED = "350001_yamaguchi_all"


def _paths(packages: Path) -> dict[str, Path]:
    descriptor = json.loads((packages / COMBINED / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: packages / COMBINED / r["path"] for r in descriptor["resources"]}


def test_every_published_body_keeps_a_current_part_with_its_rows(built: Path, bodies: list[Path]) -> None:
    kept = built / ".work" / "sqlite-parts"
    for body in bodies:
        part = kept / f"{body.name}.db"
        assert sqlite_parts.current(body, part), body.name
        with sqlite3.connect(part) as db:
            for resource, csv_path in sqlite_parts.resources_of(body).items():
                with csv_path.open(encoding="utf-8", newline="") as handle:
                    lines = sum(1 for _ in csv.reader(handle)) - 1
                rows = db.execute(f'select count(*) from "{resource}"').fetchone()[0]
                assert rows == lines, (body.name, resource)
            assert db.execute("select count(*) from cases_words").fetchone()[0] == \
                db.execute("select count(*) from cases").fetchone()[0]


def test_the_database_is_the_same_bytes_from_kept_parts_new_parts_or_the_combined_csvs(
        built: Path, packages: Path, bodies: list[Path], tmp_path: Path) -> None:
    published = (packages / COMBINED / "350001_all.db").read_bytes()
    kept = sqlite_format.write(tmp_path / "kept.db", _paths(packages), None, bodies, built / ".work" / "sqlite-parts")
    made = sqlite_format.write(tmp_path / "made.db", _paths(packages), None, bodies, tmp_path / "no-parts")
    alone = sqlite_format.write(tmp_path / "alone.db", _paths(packages))
    assert kept.read_bytes() == published
    assert made.read_bytes() == published
    assert alone.read_bytes() == published


def test_a_part_of_another_package_or_code_or_a_broken_file_is_not_current(
        bodies: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = tmp_path / bodies[0].name
    shutil.copytree(bodies[0], body)
    part = tmp_path / "part.db"
    assert sqlite_parts.remember_package(body, part, {}) is True
    assert sqlite_parts.current(body, part)
    assert sqlite_parts.remember_package(body, part, {}) is False  # kept: not made again
    assert not sqlite_parts.current(bodies[1], part)
    monkeypatch.setattr(sqlite_parts, "_code_version", lambda: "another")
    assert not sqlite_parts.current(body, part)
    monkeypatch.undo()
    part.write_bytes(b"not a database")
    assert not sqlite_parts.current(body, part)
    assert not sqlite_parts.current(body, tmp_path / "missing.db")
    assert sqlite_parts.remember_package(body, part, {}) is True and sqlite_parts.current(body, part)
