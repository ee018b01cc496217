"""Package validation: both engines find the same seeded errors; the extra checks catch what
frictionless lets through (TRAPS.md)."""

import json
import shutil
from pathlib import Path

import pytest

from pipeline.validate import validate_package

FIXTURE = Path(__file__).parents[1] / "fixtures" / "packages" / "352152_shunan"


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    target = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, target)
    return target


def _rewrite(pkg: Path, resource: str, edit, *, rehash: bool = True) -> None:
    """Edit a resource's CSV text and (by default) update bytes and hash so only the edit is wrong."""
    import hashlib

    path = pkg / f"352152_{resource}.csv"
    data = edit(path.read_text(encoding="utf-8")).encode()
    path.write_bytes(data)
    if rehash:
        descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
        for r in descriptor["resources"]:
            if r["name"] == resource:
                r["bytes"] = len(data)
                r["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
        (pkg / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def _replace_cell(text: str, row: int, column: str, value: str) -> str:
    lines = text.split("\n")
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join(lines)


@pytest.mark.parametrize("engine", ["fast", "frictionless"])
def test_fixture_package_is_valid(pkg: Path, engine: str) -> None:
    report = validate_package(pkg / "datapackage.json", engine)  # type: ignore[arg-type]
    assert report.valid, report.text
    assert report.rows["cases"] == 32


@pytest.mark.parametrize("engine", ["fast", "frictionless"])
@pytest.mark.parametrize(("column", "value"), [
    ("status", "finished"),          # not in the enum
    ("requested_date", "2024-13-01"),  # impossible date
    ("fiscal_year", "二〇二四"),        # not an integer
    ("service_request_id", "x-1"),    # pattern
    ("latitude", "north"),            # not a number
])
def test_seeded_cell_error_found_by_both_engines(pkg: Path, engine: str, column: str, value: str) -> None:
    _rewrite(pkg, "cases", lambda t: _replace_cell(t, 5, column, value))
    report = validate_package(pkg, engine)  # type: ignore[arg-type]
    assert not report.valid
    assert any(e.row == 5 and e.field == column for e in report.errors), report.text


def test_engines_agree_on_error_cells(pkg: Path) -> None:
    def edit(text: str) -> str:
        text = _replace_cell(text, 3, "status", "bogus")
        return _replace_cell(text, 7, "requested_date", "2024/01/01")

    _rewrite(pkg, "cases", edit)
    cells = {engine: {(e.row, e.field) for e in validate_package(pkg, engine).errors}  # type: ignore[arg-type]
             for engine in ("fast", "frictionless")}
    assert cells["fast"] == cells["frictionless"] == {(3, "status"), (7, "requested_date")}


def test_duplicate_primary_key(pkg: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\n")
        return "\n".join([*lines[:3], lines[2], *lines[3:]])

    _rewrite(pkg, "cases", edit)
    report = validate_package(pkg)
    assert any("primary key" in e.message for e in report.errors), report.text


def test_extra_column_of_personal_data_is_an_error(pkg: Path) -> None:
    def edit(text: str) -> str:
        lines = text.rstrip("\n").split("\n")
        return "\n".join([lines[0] + ",reporter_phone", *[line + ",090-1234-5678" for line in lines[1:]]]) + "\n"

    _rewrite(pkg, "cases", edit)
    report = validate_package(pkg)
    assert not report.valid
    assert "reporter_phone" in report.text


def test_semicolon_file_is_an_error(pkg: Path) -> None:
    _rewrite(pkg, "contracts", lambda t: t.replace(",", ";"))
    report = validate_package(pkg)
    assert any("header does not match" in e.message for e in report.errors), report.text


def test_control_character_in_text(pkg: Path) -> None:
    _rewrite(pkg, "cases", lambda t: _replace_cell(t, 4, "description", "穴\x07あり"))
    report = validate_package(pkg)
    assert [(e.row, e.field) for e in report.errors] == [(4, "description")], report.text


def test_tampered_file_fails_hash_check(pkg: Path) -> None:
    _rewrite(pkg, "cases", lambda t: t)  # descriptor now holds the true bytes and hash
    _rewrite(pkg, "cases", lambda t: t.replace("道路", "道"), rehash=False)
    report = validate_package(pkg)
    assert any("hash" in e.message for e in report.errors)


def test_header_only_resource_is_valid(pkg: Path) -> None:
    _rewrite(pkg, "work_orders", lambda t: t.split("\n")[0] + "\n")
    report = validate_package(pkg)
    assert report.valid, report.text
    assert report.rows["work_orders"] == 0


def test_utf16_file_is_reported_not_raised(pkg: Path) -> None:
    path = pkg / "352152_contracts.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    report = validate_package(pkg)
    assert any("UTF-8" in e.message for e in report.errors)


def test_dangling_foreign_key(pkg: Path) -> None:
    _rewrite(pkg, "actions", lambda t: _replace_cell(t, 2, "service_request_id", "c-0000000000000000"))
    report = validate_package(pkg)
    assert any(e.field == "municipality_code,service_request_id" and "no matching row" in e.message
               for e in report.errors), report.text


def test_missing_descriptor(tmp_path: Path) -> None:
    report = validate_package(tmp_path / "datapackage.json")
    assert not report.valid
    assert "cannot read descriptor" in report.text
