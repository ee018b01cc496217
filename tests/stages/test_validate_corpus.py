"""A corpus of invalid packages: the fast validator gives the same verdict as frictionless itself on
every file, and names the same cells (type and constraint errors) or the same rows (keys, row shape).

Each corpus entry is one small edit of the valid fixture package; bytes and hash are updated, so
frictionless sees only the seeded error.
"""

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest

from pipeline.validate import validate_package

FIXTURE = Path(__file__).parents[1] / "fixtures" / "packages" / "352152_shunan"
Level = Literal["cells", "rows", "verdict"]
Edit = Callable[[bytes], bytes]


def _cell(row: int, column: str, value: str) -> Edit:
    """Replace one cell (1-based file row, header = 1) of an unquoted CSV."""
    def edit(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        header = lines[0].split(",")
        cells = lines[row - 1].split(",")
        cells[header.index(column)] = value
        lines[row - 1] = ",".join(cells)
        return "\n".join(lines).encode("utf-8")
    return edit


def _cells(*edits: Edit) -> Edit:
    def edit(data: bytes) -> bytes:
        for one in edits:
            data = one(data)
        return data
    return edit


def _lines(change: Callable[[list[bytes]], list[bytes]]) -> Edit:
    return lambda data: b"\n".join(change(data.split(b"\n")))


def _drop_last_column(lines: list[bytes]) -> list[bytes]:
    return [b",".join(line.split(b",")[:-1]) if line else line for line in lines]


def _add_column(lines: list[bytes]) -> list[bytes]:
    return [lines[0] + b",reporter_phone", *[line + b",090-1234-5678" if line else line for line in lines[1:]]]


# name -> (resource, edit, how closely the two validators must agree)
CORPUS: dict[str, tuple[str, Edit, Level]] = {
    "integer_kanji": ("cases", _cell(5, "fiscal_year", "二〇二四"), "cells"),
    "integer_decimal": ("contracts", _cell(3, "contract_amount", "1000.5"), "cells"),
    "integer_text": ("work_orders", _cell(2, "amount", "12万"), "cells"),
    "number_text": ("cases", _cell(4, "latitude", "north"), "cells"),
    "number_comma": ("cases", _cell(4, "longitude", "131,5"), "rows"),
    "date_impossible": ("cases", _cell(6, "requested_date", "2024-02-30"), "cells"),
    "date_slashes": ("cases", _cell(7, "requested_date", "2024/01/01"), "cells"),
    "date_wareki": ("actions", _cell(3, "action_date", "令和6年4月1日"), "cells"),
    "date_optional_bad": ("cases", _cell(2, "closed_date", "2024-13-01"), "cells"),
    "boolean": ("cases", _cell(3, "reopened", "yes"), "cells"),
    "enum": ("cases", _cell(5, "status", "finished"), "cells"),
    "enum_case": ("actions", _cell(4, "action", "Received"), "cells"),
    "pattern": ("cases", _cell(5, "service_request_id", "x-1"), "rows"),
    "pattern_code": ("contracts", _cell(2, "municipality_code", "35215"), "rows"),
    "minimum": ("cases", _cell(3, "fiscal_year", "1900"), "cells"),
    "maximum": ("cases", _cell(3, "fiscal_year", "2200"), "cells"),
    "minimum_zero": ("contracts", _cell(2, "contract_amount", "-5"), "cells"),
    "latitude_range": ("cases", _cell(8, "latitude", "60.5"), "cells"),
    "max_length": ("cases", _cell(3, "description", "あ" * 3000), "cells"),
    "required_date": ("cases", _cell(3, "requested_date", ""), "cells"),
    "required_enum": ("cases", _cell(9, "status", ""), "cells"),
    "required_amount": ("contracts", _cell(2, "contract_amount", ""), "cells"),
    "several_cells": ("cases", _cells(_cell(3, "status", "bogus"), _cell(7, "requested_date", "2024/01/01"),
                                      _cell(11, "fiscal_year", "x")), "cells"),
    "duplicate_key": ("cases", _lines(lambda ls: [*ls[:3], ls[2], *ls[3:]]), "rows"),
    "duplicate_key_twice": ("contracts", _lines(lambda ls: [*ls[:2], ls[1], ls[1], *ls[2:]]), "rows"),
    "dangling_foreign_key": ("actions", _cell(2, "service_request_id", "c-0000000000000000"), "rows"),
    "short_row": ("contracts", _lines(lambda ls: [*ls[:2], b",".join(ls[2].split(b",")[:-2]), *ls[3:]]), "rows"),
    "long_row": ("contracts", _lines(lambda ls: [*ls[:2], ls[2] + b",x", *ls[3:]]), "rows"),
    "missing_column": ("contracts", _lines(_drop_last_column), "verdict"),
    "extra_column": ("cases", _lines(_add_column), "verdict"),
    "renamed_column": ("work_orders", lambda d: d.replace(b"work_order_id", b"order_id", 1), "verdict"),
    "encoding_cp932": ("cases", lambda d: d.decode("utf-8").encode("cp932", errors="replace"), "verdict"),
    "encoding_utf16": ("contracts", lambda d: d.decode("utf-8").encode("utf-16"), "verdict"),
}


def _seed(tmp_path: Path, resource: str, edit: Edit) -> Path:
    package = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, package)
    path = package / f"352152_{resource}.csv"
    data = edit(path.read_bytes())
    path.write_bytes(data)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for entry in descriptor["resources"]:
        if entry["name"] == resource:
            entry["bytes"] = len(data)
            entry["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return package


def _reference(package: Path) -> tuple[bool, set[tuple[str, int | None, str | None]]]:
    """frictionless' own verdict and the (file, row, field) of each error it reports."""
    import frictionless

    report = frictionless.Package("datapackage.json", basepath=str(package)).validate()
    found = set()
    for task in report.tasks:
        for error in task.errors:
            found.add((Path(task.place).name, getattr(error, "row_number", None), getattr(error, "field_name", None)))
    return report.valid, found


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_fast_validator_agrees_with_frictionless(tmp_path: Path, name: str) -> None:
    resource, edit, level = CORPUS[name]
    package = _seed(tmp_path, resource, edit)
    fast = validate_package(package, "fast")
    valid, reference = _reference(package)
    assert not valid, f"{name}: the corpus file should be invalid for frictionless"
    assert fast.valid == valid, fast.text
    if level == "cells":
        assert {(e.resource, e.row, e.field) for e in fast.errors} == reference, fast.text
    elif level == "rows":
        assert {(e.resource, e.row) for e in fast.errors} == {(f, r) for f, r, _ in reference}, fast.text


def test_the_untouched_fixture_is_valid_for_both(tmp_path: Path) -> None:
    package = _seed(tmp_path, "cases", lambda d: d)
    assert validate_package(package, "fast").valid
    assert _reference(package)[0]
