"""Parquet copies: one per CSV resource, listed in the descriptor, with the CSV's rows and values under the
Table Schema's types; the frictionless and fast validators still pass; DuckDB reads them across bodies."""

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.validate import validate_package


def _typed(value: str, kind: str) -> Any:
    """A CSV cell as the Table Schema reads it (independently of pyarrow)."""
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return {"true": True, "false": False}[value]
    if kind == "date":
        return dt.date.fromisoformat(value)
    return value


def _packages(packages: Path) -> list[Path]:
    return sorted(p for p in packages.iterdir() if (p / "datapackage.json").is_file())


def test_every_resource_has_a_parquet_copy_with_the_csv_values(packages: Path) -> None:
    checked = 0
    for folder in _packages(packages):
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        listed = {d["resource"]: d for d in descriptor["mieruka"]["distributions"] if d["format"] == "parquet"}
        for resource in descriptor["resources"]:
            entry = listed[resource["name"]]
            table = pq.read_table(folder / entry["path"])
            assert entry["bytes"] == (folder / entry["path"]).stat().st_size
            kinds = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
            assert table.column_names == list(kinds)
            with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
            assert table.num_rows == len(rows), f"{folder.name}/{resource['path']}"
            for name, kind in kinds.items():
                expected = [_typed(r[name], kind) for r in rows]
                column = table[name]
                if pa.types.is_dictionary(column.type):
                    column = column.cast(pa.string())
                assert column.to_pylist() == expected, f"{folder.name}/{resource['path']} column {name}"
            checked += 1
    assert checked >= 5 * 4 + 6


def test_types_follow_the_table_schema(packages: Path) -> None:
    table = pq.read_table(packages / "352152_shunan" / "parquet" / "352152_cases.parquet")
    types = {f.name: f.type for f in table.schema}
    assert types["requested_date"] == pa.date32()
    assert types["fiscal_year"] == pa.int64()
    assert types["reopened"] == pa.bool_()
    assert types["latitude"] == pa.float64()
    assert pa.types.is_dictionary(types["category"]) and pa.types.is_dictionary(types["status"])
    assert pa.types.is_dictionary(types["municipality_code"])  # a code: text, never an integer
    assert types["service_request_id"] == pa.string()


def test_the_packages_stay_valid_by_frictionless_and_the_fast_validator(packages: Path) -> None:
    for engine in ("fast", "frictionless"):
        report = validate_package(packages / "352101_hikari" / "datapackage.json", engine)
        assert report.valid, report.text
    assert validate_package(packages / "350001_yamaguchi_all" / "datapackage.json", "fast").valid


def test_duckdb_reads_every_body_at_once(packages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    duckdb = pytest.importorskip("duckdb")
    monkeypatch.chdir(packages.parent)
    across = duckdb.sql("select municipality_code, count(*) from 'datapackages/*/parquet/??????_cases.parquet' "
                        "group by 1 order by 1").fetchall()
    combined = duckdb.sql("select municipality_code, count(*) from "
                          "'datapackages/350001_yamaguchi_all/parquet/350001_all_cases.parquet' "
                          "group by 1 order by 1").fetchall()
    assert across == combined
    assert len(across) == 4
    late = duckdb.sql("select count(*) from 'datapackages/*/parquet/??????_cases.parquet' "
                      "where closed_date - requested_date > 30").fetchall()
    assert late[0][0] > 0  # dates are dates: they subtract
