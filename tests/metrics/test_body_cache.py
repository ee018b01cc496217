"""Metrics body by body: the cached table equals the table computed at once, and a night on which one body
changed recomputes that body's rows only (counted, not timed)."""

import datetime as dt
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from conftest import AS_OF, BODY, OTHER, case, frame, municipalities
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import combined, metrics, package
from pipeline.metrics import bodies as by_body
from pipeline.metrics import parsed
from pipeline.metrics.grid import CATEGORIES
from pipeline.metrics.inputs import READS, Cases

THIRD = "352101"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "packages"


def _cases(code: str, extra: int = 0) -> pd.DataFrame:
    rows = [case(f"c-{code}{i:010x}", f"2025-0{4 + i % 3}-{1 + i:02d}", ("pothole", "weeding")[i % 2],
                 ("app", "phone")[i % 2], ("completed", "received", "referred")[i % 3], "2025-06-20", "2025-06-25",
                 code=code, referred_to="prefecture" if i % 3 == 2 else "") for i in range(12 + extra)]
    return frame("cases", rows)


def _body(code: str, fingerprint: str, extra: int = 0) -> metrics.Body:
    cases = _cases(code, extra)[list(READS["cases"])]
    return metrics.Body(f"{code}_body", code, fingerprint, {"cases": pa.Table.from_pandas(cases, preserve_index=False)})


def _night(bodies: list[metrics.Body], cache: metrics.Cache) -> pd.DataFrame:
    tables = {"cases": pd.concat([b.tables()["cases"] for b in bodies], ignore_index=True)}
    settings = metrics.Settings(AS_OF, metrics.Reference(municipalities()), salt="code")
    return metrics.compute_by_body(tables, bodies, settings, None, cache)


def _at_once(bodies: list[metrics.Body]) -> pd.DataFrame:
    tables = {"cases": pd.concat([b.tables()["cases"] for b in bodies], ignore_index=True)}
    return metrics.compute_metrics(tables, municipalities(), AS_OF)


def test_one_changed_body_recomputes_only_its_rows(tmp_path: Path) -> None:
    first = [_body(BODY, "a"), _body(OTHER, "b"), _body(THIRD, "c")]
    night1 = metrics.Cache(tmp_path / "1")
    pd.testing.assert_frame_equal(_night(first, night1), _at_once(first))
    assert sorted(night1.computed) == sorted(b.name for b in first) and not night1.reused

    second = [first[0], _body(OTHER, "b2", extra=3), first[2]]
    night2 = metrics.Cache(tmp_path / "2", previous=tmp_path / "1")
    pd.testing.assert_frame_equal(_night(second, night2), _at_once(second))
    assert night2.computed == [f"{OTHER}_body"]
    assert sorted(night2.reused) == sorted([f"{BODY}_body", f"{THIRD}_body"])

    night3 = metrics.Cache(tmp_path / "3", previous=tmp_path / "2")
    pd.testing.assert_frame_equal(_night(second, night3), _at_once(second))
    assert night3.computed == [] and len(night3.reused) == 3


def test_context_change_invalidates_every_body(tmp_path: Path) -> None:
    """A new referral target elsewhere gives every body a new row, so no body's rows are reused."""
    first = [_body(BODY, "a"), _body(OTHER, "b"), _body(THIRD, "c")]
    _night(first, metrics.Cache(tmp_path / "1"))
    moved = _cases(THIRD).assign(referred_to=lambda f: f["referred_to"].replace("prefecture", "national"))
    third = metrics.Body(f"{THIRD}_body", THIRD, "c2",
                         {"cases": pa.Table.from_pandas(moved[list(READS["cases"])], preserve_index=False)})
    night2 = metrics.Cache(tmp_path / "2", previous=tmp_path / "1")
    second = [first[0], first[1], third]
    pd.testing.assert_frame_equal(_night(second, night2), _at_once(second))
    assert sorted(night2.computed) == sorted(b.name for b in second) and not night2.reused


def test_damaged_entry_is_recomputed(tmp_path: Path) -> None:
    bodies = [_body(BODY, "a"), _body(OTHER, "b"), _body(THIRD, "c")]
    _night(bodies, metrics.Cache(tmp_path / "1"))
    victim = next((tmp_path / "1").glob(f"{BODY}_body.*.arrow"))
    victim.write_bytes(b"not arrow")
    night2 = metrics.Cache(tmp_path / "2", previous=tmp_path / "1")
    pd.testing.assert_frame_equal(_night(bodies, night2), _at_once(bodies))
    assert night2.computed == [f"{BODY}_body"]


def _packages(root: Path, prints: dict[str, str]) -> list[str]:
    """The fixture body packages, each recording the given input fingerprint."""
    names = []
    for source in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != combined.NAME):
        shutil.copytree(source, root / source.name)
        path = root / source.name / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        # why: the fixtures predate these keys; a built package records both
        descriptor.setdefault("mieruka", {}).update(input_fingerprint=prints[source.name],
                                                    municipality_code=source.name[:6])
        path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        names.append(source.name)
    return names


def test_combined_package_recomputes_the_changed_body_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A night on which one body changed makes its rows and reads its tables only: the all-bodies rows take the
    other bodies' cases as parsed on the night before (kept beside their rows)."""
    passes: list[tuple[str, ...]] = []
    original = by_body.table_rows
    read = by_body.read_inputs
    parsed: list[tuple[str, ...]] = []

    def counted(inputs, grid, *args, **kwargs):  # type: ignore[no-untyped-def]
        passes.append(grid.bodies if not grid.all_cells else ("all",) if not grid.body_cells else ("whole",))
        return original(inputs, grid, *args, **kwargs)

    def reading(tables, *args, **kwargs):  # type: ignore[no-untyped-def]
        inputs = read(tables, *args, **kwargs)
        parsed.append(tuple(sorted(set(inputs.cases.code))))
        return inputs

    monkeypatch.setattr(by_body, "table_rows", counted)
    monkeypatch.setattr(by_body, "read_inputs", reading)
    prints = {p.name: f"print-{p.name}" for p in FIXTURES.iterdir() if p.is_dir()}
    names = _packages(tmp_path / "n1", prints)
    date = dt.date(2026, 4, 5)
    combined.write(tmp_path / "n1", names, date, True, code="x")
    assert passes == [("whole",)] and len(parsed) == len(names)
    changed = names[-1]
    _packages(tmp_path / "n2", {**prints, changed: "new print"})
    passes.clear()
    parsed.clear()
    combined.write(tmp_path / "n2", names, date, True, previous=tmp_path / "n1", code="x")
    assert passes == [("all",), (changed[:6],)]
    assert parsed == [(changed[:6],), (changed[:6],)]  # its cases for the all-bodies rows, its tables for its own
    csv = f"{combined.NAME}/{combined.PREFIX}_metrics.csv"
    assert (tmp_path / "n2" / csv).read_bytes() == (tmp_path / "n1" / csv).read_bytes()
    kept = [p.name for p in (tmp_path / "n2" / metrics.CACHE_DIR).glob("*.arrow")]
    assert len(kept) == 2 * len(names) and sum(k.endswith(".cases.arrow") for k in kept) == len(names)


def _counted_passes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[str, ...], int]]:
    """Each table_rows pass of rows_by_body: (the bodies whose own rows it makes, or ('all',)), and its grid's size."""
    passes: list[tuple[tuple[str, ...], int]] = []
    original = by_body.table_rows

    def counted(inputs, grid, *args, **kwargs):  # type: ignore[no-untyped-def]
        passes.append((grid.bodies if grid.body_cells else ("all",), grid.size))
        return original(inputs, grid, *args, **kwargs)

    monkeypatch.setattr(by_body, "table_rows", counted)
    return passes


def _settings() -> metrics.Settings:
    return metrics.Settings(AS_OF, metrics.Reference(municipalities()), salt="code")


def _published(path: Path, frame: pd.DataFrame) -> tuple[bytes, bytes]:
    """The metrics CSV and its Excel copy as package.write_resource writes the whole table."""
    path.mkdir()
    package.write_resource(path, "m.csv", package.prepare(metrics.to_text(frame), "metrics"), "metrics")
    return (path / "m.csv").read_bytes(), (path / "excel" / "m.csv").read_bytes()


def test_large_table_is_computed_body_by_body_in_published_order(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Above WHOLE_PASS_CELLS a first night makes the all-bodies rows on a grid of their cells alone, then each
    body's rows from its own tables, in code order; written part by part they are the bytes of the whole table."""
    monkeypatch.setattr(by_body, "WHOLE_PASS_CELLS", 0)
    passes = _counted_passes(monkeypatch)
    first = [_body(BODY, "a"), _body(OTHER, "b"), _body(THIRD, "c")]
    cache = metrics.Cache(tmp_path / "1")
    parts = list(metrics.rows_by_body(first, _settings(), None, cache))
    assert [p for p, _ in passes] == [("all",), (OTHER,), (THIRD,), (BODY,)]  # 352071 < 352101 < 352152
    whole = _at_once(first)
    periods = len(set(whole["period"]))
    assert passes[0][1] == periods * len(CATEGORIES) < passes[1][1]
    assert [set(p["scope"]) for p in parts] == [{"all"}, {"body"}, {"body"}, {"body"}]
    assert [set(p["municipality_code"]) for p in parts[1:]] == [{OTHER}, {THIRD}, {BODY}]
    pd.testing.assert_frame_equal(by_body.sort_rows(pd.concat(parts, ignore_index=True)), whole)
    assert sorted(cache.computed) == sorted(b.name for b in first)

    combined.write_metrics(tmp_path / "m.csv", parts)
    csv_bytes, excel_bytes = _published(tmp_path / "whole", whole)
    assert (tmp_path / "m.csv").read_bytes() == csv_bytes
    assert (tmp_path / "excel" / "m.csv").read_bytes() == excel_bytes


def test_bodies_whose_codes_interleave_come_in_one_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A body whose codes fall on both sides of another body's cannot be written before or after it."""
    monkeypatch.setattr(by_body, "WHOLE_PASS_CELLS", 0)
    both = pd.concat([_cases(OTHER), _cases(BODY)], ignore_index=True)[list(READS["cases"])]
    wide = metrics.Body("wide", OTHER, "w", {"cases": pa.Table.from_pandas(both, preserve_index=False)})
    bodies = [wide, _body(THIRD, "c")]
    parts = list(metrics.rows_by_body(bodies, _settings(), None, metrics.Cache(tmp_path / "1")))
    assert len(parts) == 2 and set(parts[1]["municipality_code"]) == {OTHER, THIRD, BODY}
    whole = _at_once(bodies)
    pd.testing.assert_frame_equal(by_body.sort_rows(pd.concat(parts, ignore_index=True)), whole)
    combined.write_metrics(tmp_path / "m.csv", parts)
    assert (tmp_path / "m.csv").read_bytes() == _published(tmp_path / "whole", whole)[0]


def _full_body(code: str, shift: int, extra: int) -> metrics.Body:
    """A body with referred cases whose referral steps come days after receipt (the same case numbers in every
    body: only the body's code tells them apart), and contracts with work orders."""
    cases = _cases(code, extra)
    actions = frame("actions", [
        {"municipality_code": code, "service_request_id": sid, "step": "2", "action": "referred",
         "action_date": f"2025-06-{1 + shift + i % 5:02d}"}
        for i, sid in enumerate(cases.loc[cases["status"] == "referred", "service_request_id"])])
    contracts = frame("contracts", [
        {"municipality_code": code, "contract_id": f"k-{i}", "contract_type": "unit_price", "fiscal_year": "2025",
         "start_date": "2025-04-01", "end_date": "2026-03-31", "contract_amount": str(1000 * (i + shift + 1)),
         "contractor": f"firm {i % 2}", "procurement_method": "general_competitive",
         "estimated_price": str(1100 * (i + shift + 1))} for i in range(3)])
    orders = frame("work_orders", [
        {"municipality_code": code, "contract_id": f"k-{i % 3}", "fiscal_year": "2025", "order_date": "2025-05-01",
         "amount": str(100 * (i + shift + 1)), "status": "completed", "work_category": "pavement_repair"}
        for i in range(4)])
    tables = {"cases": cases, "actions": actions, "contracts": contracts, "work_orders": orders}
    arrow = {name: pa.Table.from_pandas(table[list(READS[name])], preserve_index=False)
             for name, table in tables.items()}
    return metrics.Body(f"{code}_body", code, f"print-{code}", arrow)


def test_all_bodies_rows_from_each_bodys_own_tables_equal_one_table(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The all-bodies rows read body by body (cases, referral steps and money tables joined) are the rows of all
    the tables read as one; the same case number in two bodies keeps each body's own referral date."""
    monkeypatch.setattr(by_body, "WHOLE_PASS_CELLS", 0)
    bodies = [_full_body(BODY, 0, 0), _full_body(OTHER, 9, 3), _full_body(THIRD, 4, 5)]
    together = {name: pd.concat([b.tables()[name] for b in bodies], ignore_index=True) for name in READS}
    settings = metrics.Settings(AS_OF, metrics.Reference(municipalities()), min_n=1, salt="code")
    joined = list(metrics.rows_by_body(bodies, settings, None, metrics.Cache(tmp_path / "1")))
    read_as_one = list(metrics.rows_by_body(bodies, settings, None, metrics.Cache(tmp_path / "2"), lambda: together))
    assert len(joined) == len(read_as_one) == 1 + len(bodies)
    for mine, theirs in zip(joined, read_as_one, strict=True):
        pd.testing.assert_frame_equal(mine, theirs)
    everyone = joined[0]
    referral = everyone[everyone["metric_id"] == "days_to_referral_median"]
    assert referral["n"].max() > 0 and referral["value"].notna().any()
    assert (everyone["metric_id"] == "spending").any()


def test_a_changed_body_is_parsed_again_and_the_others_are_read_as_kept(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The all-bodies rows of a night on which one body's tables changed are those of the new tables read as one,
    the unchanged bodies' cases taken as kept; a damaged kept file is read from the tables again."""
    monkeypatch.setattr(by_body, "WHOLE_PASS_CELLS", 0)
    settings = metrics.Settings(AS_OF, metrics.Reference(municipalities()), min_n=1, salt="code")
    first = [_full_body(BODY, 0, 0), _full_body(OTHER, 9, 3), _full_body(THIRD, 4, 5)]
    list(metrics.rows_by_body(first, settings, None, metrics.Cache(tmp_path / "1")))
    # the same package print with other content would be read as kept: the print is what names a package's content
    changed = _full_body(OTHER, 2, 7)
    second = [first[0], metrics.Body(changed.name, OTHER, "print-new", changed.arrow), first[2]]
    damaged = next((tmp_path / "1").glob(f"{THIRD}_body.*.cases.arrow"))
    damaged.write_bytes(b"not arrow")
    night = list(metrics.rows_by_body(second, settings, None, metrics.Cache(tmp_path / "2", tmp_path / "1")))
    together = {name: pd.concat([b.tables()[name] for b in second], ignore_index=True) for name in READS}
    read_as_one = list(metrics.rows_by_body(second, settings, None, metrics.Cache(tmp_path / "3"), lambda: together))
    pd.testing.assert_frame_equal(night[0], read_as_one[0])
    before = next(iter(metrics.rows_by_body(first, settings, None, metrics.Cache(tmp_path / "4"))))
    assert night[0]["n"].sum() != before["n"].sum()  # the change moved the all-bodies counts
    kept = sorted(p.name.split(".")[0] for p in (tmp_path / "2").glob("*.cases.arrow"))
    assert kept == sorted(b.name for b in second)


@given(st.lists(st.tuples(st.sampled_from(["352071", "352152", ""]), st.integers(-3, 40_000),
                          st.sampled_from(["pothole", "", "その他", "weeding"]), st.booleans(),
                          st.one_of(st.none(), st.integers(-1, 400))), max_size=30))
@settings(max_examples=60, deadline=None)
def test_kept_cases_read_back_as_parsed(rows: list[tuple[str, int, str, bool, int | None]]) -> None:
    """Parsed cases written to the kept table and read back are the same arrays: dates with NaT, text with empty
    and repeated values, flags."""
    n = len(rows)
    day = np.array([r[1] for r in rows], dtype="int64").view("datetime64[D]")
    later = np.array([np.datetime64("NaT") if r[4] is None else np.datetime64(int(r[1] + r[4]), "D") for r in rows],
                     dtype="datetime64[D]")
    text = np.array([r[2] for r in rows], dtype=object)
    flag = np.array([r[3] for r in rows], dtype=bool)
    codes = np.array([r[0] for r in rows], dtype=object)
    cases = Cases(code=codes, requested=day, first_response=later, closed=later[::-1].copy(), category=text,
                  channel=text[::-1].copy(), status=text, decline_reason=np.full(n, "", dtype=object), reopened=flag,
                  duplicate=~flag, mesh_level=text, key=None, referred_to=text, referred_to_code=codes)
    back, referral = parsed.from_table(parsed.to_table(cases, later))
    np.testing.assert_array_equal(referral, later)
    for name in (*parsed.DATES, *parsed.TEXTS, *parsed.FLAGS):
        mine, theirs = getattr(back, name), getattr(cases, name)
        assert mine.dtype == theirs.dtype and len(mine) == n, name
        assert [str(v) for v in mine] == [str(v) for v in theirs], name
