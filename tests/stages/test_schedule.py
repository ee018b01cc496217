"""Bodies start in order of expected cost: last night's seconds where known, else their raw bytes with
a zipped workbook counted XLSX_FACTOR times; the pool runs them in that order."""

import datetime as dt
import json
from pathlib import Path

from pipeline import executor, schedule
from pipeline.reuse import tree_fingerprint

NIGHT = dt.date(2026, 4, 5)


def _body(raw: Path, name: str, files: dict[str, int]) -> tuple[str, Path]:
    folder = raw / name
    folder.mkdir(parents=True)
    for file, size in files.items():
        (folder / file).write_bytes(b"x" * size)
    return name, folder


def _log(logs: Path, night: dt.date, bodies: dict[str, dict[str, float]]) -> None:
    logs.mkdir(parents=True, exist_ok=True)
    (logs / f"timings-{night.isoformat()}.json").write_text(
        json.dumps({"combined_and_metrics": 1.0, "bodies": bodies}), encoding="utf-8")


def _order(costs: list[float], names: list[str]) -> list[str]:
    started: list[str] = []
    executor.run_all(started.append, names, "serial", weights=costs)
    return started


def test_a_zipped_workbook_goes_before_a_larger_csv_body_on_a_first_night(tmp_path: Path) -> None:
    bodies = [_body(tmp_path / "raw", "352012_csv", {"cases.csv": 1_000_000, "actions.csv": 200_000}),
              _body(tmp_path / "raw", "350001_xlsx", {"cases.xlsx": 400_000}),
              _body(tmp_path / "raw", "353442_small", {"cases.csv": 90_000})]
    costs = schedule.expected_costs(bodies, tmp_path / "logs", NIGHT)
    # by raw bytes alone the workbook (400 kB) would start second, after the 1.2 MB CSV body
    assert _order(costs, [n for n, _ in bodies]) == ["350001_xlsx", "352012_csv", "353442_small"]


def test_last_nights_seconds_decide_and_a_new_body_is_estimated_on_the_same_scale(tmp_path: Path) -> None:
    bodies = [_body(tmp_path / "raw", "a_big", {"cases.csv": 1_000_000}),
              _body(tmp_path / "raw", "b_slow", {"cases.csv": 100_000}),
              _body(tmp_path / "raw", "c_new", {"cases.csv": 500_000})]
    logs = tmp_path / "logs"
    # last night a_big was carried over (no timings), so the night before is its latest build
    _log(logs, NIGHT - dt.timedelta(days=2), {"a_big": {"ingest_normalize": 2.0, "anonymize": 2.0}})
    _log(logs, NIGHT - dt.timedelta(days=1), {"a_big": {}, "b_slow": {"ingest_normalize": 9.0, "validate": 1.0}})
    _log(logs, NIGHT + dt.timedelta(days=1), {"c_new": {"anonymize": 99.0}})  # a later night: not used
    assert schedule.last_seconds(logs, NIGHT) == {"a_big": 4.0, "b_slow": 10.0}
    costs = schedule.expected_costs(bodies, logs, NIGHT)
    assert costs[:2] == [4.0, 10.0]
    # the new body's byte estimate, scaled by the median of measured / estimated of the bodies that have both
    estimates = [schedule.estimate(folder) for _, folder in bodies]
    scale = (4.0 / estimates[0] + 10.0 / estimates[1]) / 2
    assert abs(costs[2] - estimates[2] * scale) < 1e-9
    assert _order(costs, [n for n, _ in bodies]) == ["c_new", "b_slow", "a_big"]


def test_a_damaged_timings_log_costs_only_the_estimate(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / f"timings-{NIGHT.isoformat()}.json").write_text("{not json", encoding="utf-8")
    (logs / "timings-yesterday.json").write_text("{}", encoding="utf-8")
    _log(logs, NIGHT - dt.timedelta(days=1), {"a": "not a table"})  # type: ignore[dict-item]
    body = _body(tmp_path / "raw", "a", {"cases.csv": 10})
    assert schedule.expected_costs([body], logs, NIGHT) == [schedule.estimate(body[1])]


def test_the_code_fingerprint_leaves_out_the_site_files_a_wheel_carries(tmp_path: Path) -> None:
    package = tmp_path / "pipeline"
    (package / "schemas").mkdir(parents=True)
    (package / "build.py").write_text("x = 1\n", encoding="utf-8")
    (package / "schemas" / "cases.schema.json").write_text("{}", encoding="utf-8")
    before = tree_fingerprint(package)
    (package / "_site" / "themes").mkdir(parents=True)
    (package / "_site" / "pelicanconf.py").write_text("SITENAME = 'x'\n", encoding="utf-8")
    (package / "_site" / "themes" / "t.json").write_text("{}", encoding="utf-8")
    (package / "site").mkdir()
    (package / "site" / "pages.py").write_text("y = 2\n", encoding="utf-8")
    assert tree_fingerprint(package) == before
    (package / "build.py").write_text("x = 2\n", encoding="utf-8")
    assert tree_fingerprint(package) != before
