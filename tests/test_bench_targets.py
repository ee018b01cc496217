"""The benchmark's verdicts on issue #20's targets, its page count and its profile attribution."""

import cProfile
import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import attribution  # noqa: E402
import national  # noqa: E402
import run as bench_run  # noqa: E402
import targets  # noqa: E402


def _prefecture(**changes: object) -> dict:
    r = {"full_build_s": 20.0, "one_changed_s": 3.0, "one_changed_body": "352012_shimonoseki", "peak_rss_mb": 1000,
         "site_pages": {"total": 166, "rendered": 40, "reused": 126, "other_bodies_rendered": 0},
         "metrics": {"full_s": 3.0, "one_changed_s": 0.3, "source": "metrics stage, timings log"}}
    r.update(changes)
    return r


def _by_figure(rows: list[targets.Row]) -> dict[str, str]:
    return {row.figure: row.verdict for row in rows}


def test_all_prefecture_targets_met_at_their_bounds() -> None:
    r = _prefecture(one_changed_s=20.0 * 0.15, full_build_s=20.0)
    verdicts = _by_figure(targets.rows(r, None, 1000, "last report"))
    assert [verdicts[f] for f in ("one changed body", "full prefecture nightly", "site build", "metrics")] == \
        [targets.MET] * 4


@pytest.mark.parametrize(("changes", "figure"), [
    ({"one_changed_s": 3.1}, "one changed body"),  # 0.155 of 20 s
    ({"full_build_s": 25.5, "one_changed_s": 1.0}, "full prefecture nightly"),
    ({"peak_rss_mb": 1001}, "full prefecture nightly"),
    ({"site_pages": {"total": 166, "rendered": 166, "reused": 0, "other_bodies_rendered": 0}}, "site build"),
    ({"site_pages": {"total": 166, "rendered": 50, "reused": 116, "other_bodies_rendered": 10}}, "site build"),
    ({"metrics": {"full_s": 3.0, "one_changed_s": 2.9, "source": "x"}}, "metrics"),
])
def test_each_target_fails_past_its_bound(changes: dict, figure: str) -> None:
    verdicts = _by_figure(targets.rows(_prefecture(**changes), None, 1000, "last report"))
    assert verdicts[figure] == targets.NOT_MET
    assert sum(v == targets.NOT_MET for v in verdicts.values()) == 1


def test_what_was_not_measured_is_never_met() -> None:
    r = _prefecture(site_pages=None, metrics=None)
    verdicts = _by_figure(targets.rows(r, None, None, ""))
    assert verdicts["site build"] == verdicts["metrics"] == targets.NOT_MEASURED
    assert verdicts["full prefecture nightly"] == targets.NOT_MEASURED  # no earlier memory figure
    assert verdicts["national shape, extrapolated to 10 M cases"] == targets.NOT_MEASURED
    assert verdicts["national shape, measured at 10 % scale"] == targets.NOT_MEASURED
    assert set(_by_figure(targets.rows(None, None, None, "")).values()) == {targets.NOT_MEASURED}


def _national(minutes: float, gb: float, measured_cases: int, measured_gb: float) -> dict:
    scaled = {"kind": "scaled", "bodies": 175, "cases_generated": measured_cases, "packages_s": 200.0,
              "peak_gb": measured_gb, "exit_code": 0}
    largest = {"kind": "largest", "bodies": 2, "cases_generated": 5_000_000, "packages_s": 1.0, "peak_gb": 99.0,
               "exit_code": 0}
    return {"run_date": "2026-12-06", "runs": [scaled, largest],
            "estimate": {"packages_s": minutes * 60, "peak_gb": gb}}


def test_national_rows() -> None:
    ok = _by_figure(targets.national(_national(20, 8.0, 1_341_349, 2.0)))
    assert set(ok.values()) == {targets.MET}
    slow = _by_figure(targets.national(_national(21, 8.0, 1_341_349, 2.0)))
    assert slow["national shape, extrapolated to 10 M cases"] == targets.NOT_MET
    big = _by_figure(targets.national(_national(10, 8.1, 1_341_349, 2.0)))
    assert big["national shape, extrapolated to 10 M cases"] == targets.NOT_MET
    small = _by_figure(targets.national(_national(10, 4.0, 999_999, 2.0)))
    assert small["national shape, measured at 10 % scale"] == targets.NOT_MET  # the largest-bodies run is no 10 %


def test_pages_touched_counts_hard_links_as_reused(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    pages = ["index.html", "municipalities/352012.html", "municipalities/352021.html", "en/works/352021.html",
             "municipalities/350001-all.html"]
    for page in pages:
        (old / page).parent.mkdir(parents=True, exist_ok=True)
        (old / page).write_text(page, encoding="utf-8")
    before = bench_run.page_files(old)
    for page in pages:
        (new / page).parent.mkdir(parents=True, exist_ok=True)
        if page in ("municipalities/352021.html", "en/works/352021.html"):
            os.link(old / page, new / page)
        else:
            (new / page).write_text(page + " again", encoding="utf-8")
    counted = bench_run.pages_touched(before, bench_run.page_files(new), "352012", {"352012", "352021", "350001"})
    assert (counted["total"], counted["rendered"], counted["reused"], counted["other_bodies_rendered"]) == (5, 3, 2, 0)
    (new / "en/works/352021.html").unlink()
    (new / "en/works/352021.html").write_text("rendered anew", encoding="utf-8")
    counted = bench_run.pages_touched(before, bench_run.page_files(new), "352012", {"352012", "352021", "350001"})
    assert counted["other_bodies_rendered"] == 1
    assert counted["other_bodies_examples"] == ["en/works/352021.html"]


def test_last_peak_is_read_back_from_a_report() -> None:
    r = _prefecture(workload="prefecture", bodies=20, years=5, runs=3, rows={"cases": 200_075}, unchanged_night_s=2.0,
                    packages_only_s=10.0, generate_s=30.0, stages_s={"validate": 1.0}, load_1min=[1.0],
                    peak_rss_mb=1_234)
    text = bench_run.report([r], 1_300, "last report")
    assert bench_run.last_peak_mb(text) == 1_234
    assert bench_run.last_peak_mb(text, "pilot") is None
    assert "| full prefecture nightly |" in text and "| 20.0 s; peak 1,234 MB against 1,300 MB" in text
    shipped = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert bench_run.last_peak_mb(shipped) is not None


def test_the_report_is_written_again_from_the_recorded_results(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    r = _prefecture(workload="prefecture", bodies=20, years=5, runs=3, rows={"cases": 200_075}, unchanged_night_s=2.0,
                    packages_only_s=10.0, generate_s=30.0, stages_s={"validate": 1.0}, load_1min=[1.0])
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"results": [r], "memory_reference_mb": 1_300,
                                   "reference_label": "last report"}), encoding="utf-8")
    written = tmp_path / "benchmarks.md"
    monkeypatch.setattr(sys, "argv", ["run.py", "--report-only", "--results", str(results), "--write", str(written)])
    monkeypatch.setattr(bench_run, "run", lambda *args: pytest.fail("--report-only measured something"))
    assert bench_run.main() == 0
    assert written.read_text(encoding="utf-8") == bench_run.report([r], 1_300, "last report") + "\n"
    assert "| 20.0 s; peak 1,000 MB against 1,300 MB" in written.read_text(encoding="utf-8")


def test_metrics_seconds_prefer_the_metrics_entry() -> None:
    assert bench_run.metrics_seconds({"combined_and_metrics": 5.0, "metrics": 1.5})[0] == 1.5
    seconds, source = bench_run.metrics_seconds({"combined_and_metrics": 5.0})
    assert seconds == 5.0 and "combined package and metrics" in source


def _load(path: Path, name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_part_seconds_count_time_inside_a_part_once(tmp_path: Path) -> None:
    part = tmp_path / "pipeline" / "formats" / "parquet.py"
    other = tmp_path / "pipeline" / "package.py"
    part.parent.mkdir(parents=True)
    part.write_text("def spin(n):\n    return sum(i * i for i in range(n))\n\n"
                    "def write(n):\n    return spin(n) + spin(n)\n", encoding="utf-8")
    other.write_text("def build(parquet, n):\n    return parquet.write(n) + sum(range(n))\n", encoding="utf-8")
    parquet = _load(part, "bench_test_parquet")
    package = _load(other, "bench_test_package")
    profiler = cProfile.Profile()
    profiler.runcall(package.build, parquet, 100_000)
    dump = tmp_path / "p.prof"
    profiler.dump_stats(str(dump))
    stats = attribution.load(dump)
    inside = attribution.part_seconds(stats, "pipeline/formats/parquet")
    write = attribution.function_seconds(stats, "pipeline/formats/parquet", "write")
    assert inside == pytest.approx(write)  # spin() is called from inside the part: not counted again
    assert 0 < inside < attribution.total_seconds(stats)
    assert attribution.part_seconds(stats, "pipeline/formats/sqlite") == 0
    assert not attribution.found(stats, "pipeline/formats/sqlite")


def test_fit_line_and_national_estimate() -> None:
    assert national.fit_line([(0, 1.0), (10, 3.0), (20, 5.0)]) == pytest.approx((1.0, 0.2))
    scaled = [{"cases_generated": 1_000_000, "combined_s": 20.0, "combined_peak_gb": 1.5, "pool_s": 50.0,
               "pool_peak_gb": 1.0, "per_body": [[100_000, 12.0], [50_000, 7.0]]},
              {"cases_generated": 2_000_000, "combined_s": 30.0, "combined_peak_gb": 2.0, "pool_s": 100.0,
               "pool_peak_gb": 1.1, "per_body": [[200_000, 22.0], [10_000, 3.0]]}]
    largest = {"cases_generated": 300_000, "pool_peak_gb": 3.0, "per_body": [[300_000, 32.0]]}
    e = national.estimate(scaled, largest, [100_000.0] * 100)
    assert e["body_fixed_s"] == pytest.approx(2.0) and e["body_per_1000_cases_s"] == pytest.approx(0.1)
    assert e["parallelism"] == pytest.approx(0.25)  # 25 body-seconds in a 100 s pool
    assert e["pool_s"] == pytest.approx(100 * 12.0 / 0.25)
    assert e["combined_s"] == pytest.approx(10.0 + 10.0 * 10)  # 10 s + 10 s per million cases, at 10 M
    assert e["combined_peak_gb"] == pytest.approx(1.0 + 0.5 * 10)
    assert e["peak_gb"] == pytest.approx(6.0)  # the combined stage outgrows the pool's 3 GB
    assert e["packages_s"] == pytest.approx(e["pool_s"] + e["combined_s"])


def test_the_combined_window_holds_no_sample_of_the_body_pool() -> None:
    # the body pool (two workers, 1.7 GB) until 10.0 s, its workers gone at 10.2 s; the combined stage from
    # 10.2 s to 20.2 s peaking at 0.5 GB; then 0.3 s of summary and publishing
    samples = tuple((round(t * 0.1, 1), 1700 if t <= 101 else (500 if t == 150 else 300)) for t in range(205))
    done = national.tree_peak.Finished(20.5, 0, 1700, "", samples)
    pool, combined = national.phase_peaks(done, combined_s=10.0)
    assert (pool, combined) == (1700, 500)
