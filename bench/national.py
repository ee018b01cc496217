"""mieruka benchmark, national shape: the 1,741 municipalities of Japan, about 10 million cases.

Usage: python bench/national.py [--fraction 0.025 --fraction 0.1] [--write docs/benchmarks-national.json]

Generates synthetic exports body by body (pipeline/sample/national.py) and runs the packages stage
(`mieruka build --no-site`, the CLI's default executor) in its own process, sampling the summed
memory of its whole process tree. Three kinds of run:

- scaled-down runs: an evenly spread share of the bodies (--fraction; the largest, 10 %, holds
  more than a million cases and is reported as measured);
- the largest bodies: the --largest biggest bodies of the full list at full size, built together
  (two bodies on two workers are what the body pool holds at its peak: it starts the heaviest first).

The full-size figures are extrapolated part by part, not in proportion to the cases:
- body pool, time: every body's seconds (timings log) fitted as fixed + per-case seconds over all
  bodies of all runs, summed over the 1,741 bodies at their expected cases, divided by the
  parallelism the largest scaled run achieved (summed body seconds / its pool's wall seconds);
- body pool, memory: the peak of the largest-bodies run's pool phase, measured at full size;
- combined stage (combined package, metrics, run.json), time and memory: fitted as fixed +
  per-case from the scaled runs (the combined phase is the last `combined_and_metrics` seconds of
  the run, from the timings log) and extrapolated to 10 million cases;
- the whole: pool time + combined time (+ the largest run's start-up); peak = the larger peak.
--report-only recomputes the report from the runs recorded in the --write file.
"""

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import tree_peak  # noqa: E402

from pipeline.sample import EXPORT_DATE, SAMPLE_MARKER  # noqa: E402
from pipeline.sample.national import CASES_PER_RESIDENT_YEAR, bodies, profile, select, write_national  # noqa: E402

YEARS = (2021, 2022, 2023, 2024, 2025)
TARGET_CASES = 10_000_000
SLACK_S = 1.0  # why: after the combined stage the CLI prints its summary and publishes; counted as combined


def phase_peaks(done: tree_peak.Finished, combined_s: float) -> tuple[int, int]:
    """(body pool's peak, combined stage's peak) of a build's summed-RSS samples, in bytes.

    The combined stage's seconds are its last `combined_s` but for what follows it (the summary and the
    publishing, under a second), so its window starts `combined_s` before the end: it may miss that much of
    the stage's start, never a sample of the body pool, whose last workers hold their memory until they exit
    (a window opened SLACK_S earlier caught them: the peak of the pool's last second, not the combined stage's).
    """
    split = done.seconds - combined_s
    return done.peak_between(0, split - SLACK_S), done.peak_between(split, done.seconds + 1)


def scale_and_expected() -> tuple[float, list[tuple[Any, float]]]:
    """The case scale that makes the full list hold TARGET_CASES, and every body with its expected cases."""
    every = bodies()
    per_scale = [(b, profile(b).cases_per_year * len(YEARS)) for b in every]
    scale = TARGET_CASES / sum(n for _, n in per_scale)
    return scale, [(b, n * scale) for b, n in per_scale]


def _build(raw: Path, out: Path) -> dict[str, Any]:
    """The packages stage on raw in its own process: seconds, peaks per phase, per-body seconds and cases."""
    packages = out / "datapackages"
    command = [sys.executable, "-m", "pipeline.cli", "build", "--raw", str(raw), "--packages", str(packages),
               "--output", str(out / "output"), "--date", EXPORT_DATE, "--no-site"]
    done = tree_peak.run(command, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    run_json = json.loads((packages / "run.json").read_text(encoding="utf-8"))
    timings = json.loads((out / ".work" / "logs" / f"timings-{EXPORT_DATE}.json").read_text(encoding="utf-8"))
    combined_s = float(timings["combined_and_metrics"])
    split = done.seconds - combined_s - SLACK_S
    pool_peak, combined_peak = phase_peaks(done, combined_s)
    rows: dict[str, int] = {}
    per_body = []
    for body in run_json["bodies"]:
        for name, n in body.get("rows", {}).items():
            rows[name] = rows.get(name, 0) + n
        stages = timings["bodies"].get(body["package"], {})
        if stages:
            per_body.append([body.get("rows", {}).get("cases", 0), round(sum(stages.values()), 4)])
    published = sum(b.get("status") == "published" for b in run_json["bodies"])
    return {
        "exit_code": done.returncode, "bodies_published": published,
        "rows": rows, "packages_s": done.seconds, "combined_s": combined_s, "pool_s": max(0.0, split),
        "peak_gb": done.peak_bytes / 2**30, "pool_peak_gb": pool_peak / 2**30,
        "combined_peak_gb": combined_peak / 2**30, "per_body": per_body,
    }


def _generate(raw: Path, chosen: list[Any], scale: float) -> tuple[int, float]:
    shutil.rmtree(raw, ignore_errors=True)
    start = time.perf_counter()
    cases = sum(n for _, n in write_national(raw, chosen, YEARS, scale))
    (raw / SAMPLE_MARKER).write_text("synthetic national benchmark workload\n", encoding="utf-8")
    return cases, time.perf_counter() - start


def run_fraction(fraction: float, out: Path) -> dict[str, Any]:
    scale, _ = scale_and_expected()
    every = bodies()
    chosen = select(every, fraction)
    shutil.rmtree(out, ignore_errors=True)
    cases, generated = _generate(out / "raw", chosen, scale)
    return {"kind": "scaled", "fraction": len(chosen) / len(every), "bodies": len(chosen),
            "bodies_total": len(every), "scale": scale, "cases_generated": cases, "generate_s": generated,
            **_build(out / "raw", out)}


def run_largest(count: int, out: Path) -> dict[str, Any]:
    """The `count` largest bodies of the full list at full size, built together on the default pool."""
    scale, expected = scale_and_expected()
    largest = [b for b, _ in sorted(expected, key=lambda bn: -bn[1])[:count]]
    shutil.rmtree(out, ignore_errors=True)
    cases, generated = _generate(out / "raw", largest, scale)
    return {"kind": "largest", "bodies": len(largest), "codes": [b.code for b in largest], "scale": scale,
            "cases_generated": cases, "generate_s": generated, **_build(out / "raw", out)}


def fit_line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares (fixed, per-unit) through the points; a single x gives (0, mean y / x)."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return 0.0, mean_y / mean_x if mean_x else 0.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    return mean_y - slope * mean_x, slope


def estimate(scaled: list[dict[str, Any]], largest: dict[str, Any] | None,
             expected_cases: list[float]) -> dict[str, Any]:
    """The full-size packages stage, part by part (see the module's docstring)."""
    every_body = [tuple(p) for r in [*scaled, *([largest] if largest else [])] for p in r["per_body"]]
    body_fixed, body_per_case = fit_line(every_body)
    pool_cpu = sum(max(0.0, body_fixed + body_per_case * n) for n in expected_cases)
    biggest = max(scaled, key=lambda r: r["cases_generated"])
    parallelism = sum(s for _, s in biggest["per_body"]) / biggest["pool_s"] if biggest["pool_s"] else 1.0
    pool_s = pool_cpu / parallelism
    combined_fixed, combined_per_case = fit_line([(r["cases_generated"], r["combined_s"]) for r in scaled])
    combined_s = combined_fixed + combined_per_case * TARGET_CASES
    mem_fixed, mem_per_case = fit_line([(r["cases_generated"], r["combined_peak_gb"]) for r in scaled])
    combined_peak = mem_fixed + mem_per_case * TARGET_CASES
    pool_peak = largest["pool_peak_gb"] if largest else max(r["pool_peak_gb"] for r in scaled)
    return {
        "packages_s": pool_s + combined_s, "peak_gb": max(pool_peak, combined_peak),
        "pool_s": pool_s, "pool_cpu_s": pool_cpu, "parallelism": parallelism,
        "body_fixed_s": body_fixed, "body_per_1000_cases_s": body_per_case * 1000,
        "combined_s": combined_s, "combined_fixed_s": combined_fixed,
        "combined_per_million_cases_s": combined_per_case * 1e6,
        "pool_peak_gb": pool_peak, "pool_peak_source": "largest bodies at full size" if largest else
        "scaled runs (no largest-bodies run: leans low)",
        "combined_peak_gb": combined_peak, "combined_peak_fixed_gb": mem_fixed,
        "combined_peak_per_million_cases_gb": mem_per_case * 1e6,
    }


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    scaled = sorted((r for r in runs if r.get("kind", "scaled") == "scaled"), key=lambda r: r["cases_generated"])
    largest = next((r for r in runs if r.get("kind") == "largest"), None)
    _, expected = scale_and_expected()
    return {"run_date": dt.date.today().isoformat(), "runs": runs,  # noqa: DTZ011
            "estimate": estimate(scaled, largest, [n for _, n in expected])}


def lines(r: dict[str, Any]) -> list[str]:
    runs, e = r["runs"], r["estimate"]
    scaled = [x for x in runs if x.get("kind", "scaled") == "scaled"]
    largest = next((x for x in runs if x.get("kind") == "largest"), None)
    table = ["| run | cases | rows published | packages stage | body pool / combined stage | peak memory (summed "
             "RSS of the process tree): whole / pool / combined | generation | exit code |",
             "|---|---|---|---|---|---|---|---|"]
    for x in [*scaled, *([largest] if largest else [])]:
        name = (f"{x['bodies']:,} of {x['bodies_total']:,} bodies (measured)" if x.get("kind", "scaled") == "scaled"
                else f"the {x['bodies']} largest bodies at full size ({', '.join(x['codes'])})")
        table.append(f"| {name} | {x['cases_generated']:,} | {sum(x['rows'].values()):,} | {x['packages_s']:.0f} s | "
                     f"{x['pool_s']:.0f} s / {x['combined_s']:.0f} s | {x['peak_gb']:.2f} / {x['pool_peak_gb']:.2f} / "
                     f"{x['combined_peak_gb']:.2f} GB | {x['generate_s']:.0f} s | {x['exit_code']} |")
    table.append(f"| **all 1,741 bodies (extrapolated)** | **{TARGET_CASES:,}** | | **{e['packages_s'] / 60:.0f} min** "
                 "| "
                 f"{e['pool_s'] / 60:.0f} min / {e['combined_s'] / 60:.1f} min | **{e['peak_gb']:.1f} GB** / "
                 f"{e['pool_peak_gb']:.1f} / {e['combined_peak_gb']:.1f} GB | | |")
    scale = runs[0]["scale"]
    return [
        f"Run on {r['run_date']}. Synthetic populations (log-normal, summing to 124 million), "
        f"{CASES_PER_RESIDENT_YEAR * 1000:.1f} requests per 1,000 residents a year × scale {scale:.2f}, "
        f"{len(YEARS)} fiscal years, the CLI's default executor; the scaled-down runs take every k-th body in "
        "code order.", "", *table, "",
        "How the full size is extrapolated (bench/national.py): the body pool's time from every body's "
        f"seconds fitted as {e['body_fixed_s']:.2f} s + {e['body_per_1000_cases_s']:.3f} s per 1,000 cases, summed "
        f"over the 1,741 bodies ({e['pool_cpu_s'] / 60:.0f} body-minutes) and divided by the parallelism the largest "
        f"scaled run achieved ({e['parallelism']:.2f}); the body pool's memory is the peak measured while the "
        f"largest bodies ran at full size ({e['pool_peak_source']}); the combined stage fitted over the scaled runs "
        f"as {e['combined_fixed_s']:.1f} s + {e['combined_per_million_cases_s']:.1f} s per million cases and "
        f"{e['combined_peak_fixed_gb']:.2f} GB + {e['combined_peak_per_million_cases_gb']:.2f} GB per million cases. "
        "The combined phase is the last `combined_and_metrics` seconds of a run (timings log) plus one second; its "
        "memory peak is taken over those seconds only, without that second, which holds the body pool's last "
        "workers. "
        "Two scaled runs on a shared machine give a noisy line: the fits are indicative.",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fraction", type=float, action="append",
                        help="share of the bodies for a scaled run; give at least two (default 0.025 and 0.1)")
    parser.add_argument("--largest", type=int, default=2, help="the largest bodies built together at full size "
                        "(default 2, the pool's two workers; 0 skips)")
    parser.add_argument("--write", type=Path, default=None, help="write the results (JSON) here")
    parser.add_argument("--report-only", action="store_true", help="recompute the report from the --write file")
    args = parser.parse_args()
    if args.report_only and args.write:
        recorded = json.loads(args.write.read_text(encoding="utf-8"))
        result = {**summary(recorded["runs"]), "run_date": recorded["run_date"]}
    else:
        fractions = sorted(args.fraction or [0.025, 0.1])
        if len(fractions) < 2:
            parser.error("give at least two --fraction values: the combined stage is fitted as fixed + per case")
        out = ROOT / "bench-out" / "national"
        runs = [run_fraction(f, out / f"fraction-{f}") for f in fractions]
        if args.largest:
            runs.append(run_largest(args.largest, out / "largest"))
        result = summary(runs)
    result["lines"] = lines(result)
    print("\n".join(result["lines"]))
    if args.write:
        args.write.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
