"""The streamed combined package: its CSVs, Excel copies and zip are what sorting every body's rows
together in memory gives, also where body files overlap in codes, are out of order or carry an older
header; and a resource longer than a spreadsheet shows gets no Excel copy."""

import csv
import datetime as dt
import json
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pipeline import combined, package, schema

RUN_DATE = dt.date(2026, 4, 5)


def _cases(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(municipality_code, service_request_id, description) -> a cases frame with every schema column."""
    frame = pd.DataFrame({name: [""] * len(rows) for name in schema.field_names("cases")})
    frame["municipality_code"] = [r[0] for r in rows]
    frame["service_request_id"] = [r[1] for r in rows]
    frame["requested_date"] = "2025-05-01"
    frame["status"] = "closed"
    text = next(f for f in package.text_fields("cases") if f != "service_request_id")
    frame[text] = [r[2] for r in rows]
    return frame


def _actions(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame({name: [""] * len(rows) for name in schema.field_names("actions")})
    frame["municipality_code"] = [r[0] for r in rows]
    frame["service_request_id"] = [r[1] for r in rows]
    frame["step"] = [str(r[2]) for r in rows]
    frame["action"] = "received"
    return frame


def _body(root: Path, name: str, cases: pd.DataFrame, actions: pd.DataFrame) -> Path:
    meta = {"name": name, "mieruka": {"municipality_code": name[:6]}}
    return package.write_package(root / name, meta, {"cases": cases, "actions": actions}, name[:6])


def _reference(root: Path, names: list[str], resource: str) -> bytes:
    """The combined CSV as sorting all rows together in memory makes it."""
    frames = [pd.read_csv(root / n / f"{n[:6]}_{resource}.csv", dtype=str, keep_default_na=False) for n in names]
    frame = pd.concat(frames, ignore_index=True).reindex(columns=schema.field_names(resource))
    return package.csv_bytes(package.prepare(frame, resource))


def _excel(data: bytes) -> bytes:
    """What package.csv_bytes(excel=True) makes of a CSV's bytes."""
    return b"\xef\xbb\xbf" + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _sid(i: int) -> str:
    return f"c-{i:016x}"


@pytest.fixture()
def bodies(tmp_path: Path) -> tuple[Path, list[str]]:
    root = tmp_path / "datapackages"
    _body(root, "352012_ube", _cases([("352012", _sid(i), f"穴{i}\r\n二行目" if i == 2 else f"=SUM({i})")
                                      for i in range(5)]),
          _actions([("352012", _sid(i), s) for i in range(3) for s in (1, 2, 10)]))
    shuffled = _body(root, "352021_hofu", _cases([("352021", _sid(i), f"-{i}") for i in range(0, 12, 2)]),
                     _actions([("352021", _sid(0), s) for s in (1, 2, 3, 11)]))
    for file_name in ("352021_cases.csv", "352021_actions.csv"):  # why: rows out of key order
        head, *rows = (shuffled / file_name).read_bytes().splitlines(keepends=True)
        (shuffled / file_name).write_bytes(head + b"".join(reversed(rows)))
    # why: shares code 352021 with the body above (ids in between, none the same: the SQLite copy keeps the
    # primary key), so their rows must be sorted together
    _body(root, "352021_hofu_east", _cases([("352021", _sid(i), "東") for i in (3, 9)]),
          _actions([("352021", _sid(9), 1)]))
    older = _body(root, "352039_kudamatsu", _cases([("352039", _sid(i), "旧") for i in range(3)]),
                  _actions([("352039", _sid(1), 1)]))
    cases = pd.read_csv(older / "352039_cases.csv", dtype=str, keep_default_na=False).drop(columns=["mesh_level"])
    (older / "352039_cases.csv").write_bytes(package.csv_bytes(cases))  # why: a header from an older schema
    _body(root, "352047_iwakuni", _cases([]), _actions([]))
    return root, sorted(p.name for p in root.iterdir())


def test_combined_csvs_equal_sorting_all_rows_in_memory(bodies: tuple[Path, list[str]]) -> None:
    root, names = bodies
    parts = [combined._scan(n, root / n / f"{n[:6]}_cases.csv", "cases", combined.header("cases")) for n in names]
    assert [p.copyable for p in parts] == [True, False, True, False, True]
    assert [[p.name for p in g] for g in combined._groups(parts)] == [
        ["352012_ube"], ["352021_hofu", "352021_hofu_east"], ["352039_kudamatsu"]]
    out = combined.write(root, names, RUN_DATE, synthetic=True)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in descriptor["resources"]}
    assert list(by_name) == ["municipalities", "cases", "actions", "contracts", "work_orders", "metrics"]
    for resource in combined.BODY_RESOURCES:
        expected = _reference(root, names, resource) if resource in ("cases", "actions") else \
            combined.header(resource)
        data = (out / f"350001_all_{resource}.csv").read_bytes()
        assert data == expected, resource
        assert (out / "excel" / f"350001_all_{resource}.csv").read_bytes() == _excel(data)
        assert by_name[resource]["bytes"] == len(data)
        assert "excel_copy" not in by_name[resource]
    with zipfile.ZipFile(out / "350001_yamaguchi_all.zip") as archive:
        for info in archive.infolist():
            assert archive.read(info) == (out / info.filename.split("/", 1)[1]).read_bytes()
            assert info.date_time == package.ZIP_TIME
        members = [info.filename.split("/", 1)[1] for info in archive.infolist()]
    # the CSV package: every file but the other formats' (Parquet, the database) and the zip itself; the
    # descriptor, which lists the database's hash, last
    others = package.distributed(descriptor) | {"350001_yamaguchi_all.zip"}
    assert "350001_all.db" in others
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert sorted(members) == [f for f in files if f not in others]
    assert members[-1] == "datapackage.json"


def test_no_excel_copy_beyond_spreadsheet_rows(bodies: tuple[Path, list[str]],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root, names = bodies
    monkeypatch.setattr(package, "EXCEL_ROWS", 10)  # 16 cases, 17 actions: both over; no contracts
    out = combined.write(root, names, RUN_DATE, synthetic=True)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    copies = {r["name"]: r.get("excel_copy", True) for r in descriptor["resources"]}
    assert copies["cases"] is False and copies["actions"] is False and copies["contracts"] is True
    assert not (out / "excel" / "350001_all_cases.csv").exists()
    assert (out / "excel" / "350001_all_contracts.csv").exists()


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_excel_copy_in_pieces_equals_whole(tmp_path: Path, size: int) -> None:
    data = b'a,b\n"x\r\ny",1\n"lone\rcr",2\r\n"end\r",3\n'
    copy = package.ExcelCopy(tmp_path / "excel" / "t.csv")
    for i in range(0, len(data), size):
        copy.write(data[i:i + size])
    copy.close()
    frame = pd.read_csv(tmp_path / "excel" / "t.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(frame) == 3
    assert (tmp_path / "excel" / "t.csv").read_bytes() == _excel(data)


def test_the_database_reads_the_combined_csvs_where_bodies_cannot_follow_one_another(
        bodies: tuple[Path, list[str]]) -> None:
    """Interleaved codes, rows out of order and an older header: the database copies no part; it holds the
    combined CSVs' rows. Bodies that simply follow one another: it copies their parts."""
    root, names = bodies
    scanned = {r: [combined._scan(n, root / n / f"{n[:6]}_{r}.csv", r, combined.header(r)) for n in names]
               for r in ("cases", "actions")}
    directories = [root / n for n in names]
    assert combined._concatenated(scanned, directories) is False
    simple = [n for n in names if n in ("352012_ube", "352047_iwakuni")]
    assert combined._concatenated({r: [p for p in parts if p.name in simple] for r, parts in scanned.items()},
                                  [root / n for n in simple]) is True
    out = combined.write(root, names, RUN_DATE, synthetic=True)
    with sqlite3.connect(out / "350001_all.db") as db:
        for resource in ("cases", "actions"):
            with (out / f"350001_all_{resource}.csv").open(encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))[1:]
            found = db.execute(f'select municipality_code, service_request_id from "{resource}" order by rowid')
            assert [list(r) for r in found] == [[row[0], row[1]] for row in rows], resource
