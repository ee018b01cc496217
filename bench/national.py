"""mieruka benchmark, national shape: the 1,741 municipalities of Japan, about 10 million cases.

Usage: python bench/national.py [--fraction 0.025 --fraction 0.1] [--write docs/benchmarks-national.json]

Generates the synthetic exports body by body (pipeline/sample/national.py), then runs the packages
stage (`mieruka build --no-site`, the CLI's default executor) in its own process and samples the
summed memory of its whole process tree. With --fraction below 1 only an evenly spread share of the
bodies runs, and the full-size time and memory are extrapolated in proportion to the cases of the
largest run (its fixed costs included, so the estimate leans high); a second, smaller run shows how
far the figures grow with the cases. The report labels extrapolated figures as such.
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


def run(fraction: float, out: Path) -> dict[str, Any]:
    every = bodies()
    full_cases_at_1 = sum(profile(b).cases_per_year for b in every) * len(YEARS)
    scale = TARGET_CASES / full_cases_at_1
    chosen = select(every, fraction)
    shutil.rmtree(out, ignore_errors=True)
    raw = out / "raw"
    start = time.perf_counter()
    cases = sum(n for _, n in write_national(raw, chosen, YEARS, scale))
    generated = time.perf_counter() - start
    (raw / SAMPLE_MARKER).write_text("synthetic national benchmark workload\n", encoding="utf-8")
    packages = out / "datapackages"
    command = [sys.executable, "-m", "pipeline.cli", "build", "--raw", str(raw), "--packages", str(packages),
               "--output", str(out / "output"), "--date", EXPORT_DATE, "--no-site"]
    done = tree_peak.run(command, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    run_json = json.loads((packages / "run.json").read_text(encoding="utf-8"))
    rows: dict[str, int] = {}
    published = 0
    for body in run_json["bodies"]:
        published += body.get("status") == "published"
        for name, n in body.get("rows", {}).items():
            rows[name] = rows.get(name, 0) + n
    return {
        "fraction": len(chosen) / len(every), "bodies": len(chosen), "bodies_total": len(every),
        "bodies_published": published, "exit_code": done.returncode, "scale": scale,
        "cases_generated": cases, "rows": rows, "generate_s": generated, "packages_s": done.seconds,
        "peak_gb": done.peak_bytes / 2**30,
    }


def estimate(runs: list[dict[str, Any]], measure: str) -> float:
    """The measure at TARGET_CASES: the largest run itself if complete, else in proportion to its cases.

    why: a line through two runs on a shared machine can even slope down (load moves the seconds
    more than the cases do); the proportional figure includes the fixed costs and leans high.
    """
    largest = max(runs, key=lambda r: r["cases_generated"])
    if largest["fraction"] >= 1:
        return float(largest[measure])
    return float(largest[measure]) * TARGET_CASES / largest["cases_generated"]


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    runs = sorted(runs, key=lambda r: r["cases_generated"])
    last = runs[-1]
    return {
        "run_date": dt.date.today().isoformat(),  # noqa: DTZ011
        "fraction": last["fraction"], "runs": runs,
        "estimate_full_s": estimate(runs, "packages_s"), "estimate_peak_gb": estimate(runs, "peak_gb"),
        "estimate_generate_s": estimate(runs, "generate_s"),
    }


def lines(r: dict[str, Any]) -> list[str]:
    runs = r["runs"]
    measured = r["fraction"] >= 1
    how = "" if measured else " (extrapolated)"
    if measured:
        head = f"All {runs[-1]['bodies_total']:,} bodies ran."
    else:
        fit = "in proportion to the cases of the largest run"
        sizes = " and ".join(f"{x['bodies']:,}" for x in runs)
        head = (f"**Scaled-down runs**: {sizes} of the "
                f"{runs[-1]['bodies_total']:,} bodies (evenly spread in code order); the full-size figures are "
                f"extrapolated to {TARGET_CASES:,} cases {fit}, not measured.")
    table = ["| bodies | cases generated | rows published | packages stage (`--no-site`) | peak memory (summed RSS "
             "of the process tree) | sample generation | exit code |", "|---|---|---|---|---|---|---|"]
    for x in runs:
        table.append(f"| {x['bodies']:,} | {x['cases_generated']:,} | {sum(x['rows'].values()):,} | "
                     f"{x['packages_s']:.0f} s | {x['peak_gb']:.2f} GB | {x['generate_s']:.0f} s | {x['exit_code']} |")
    table.append(f"| **{runs[-1]['bodies_total']:,}** | **{TARGET_CASES:,}** | | "
                 f"**{r['estimate_full_s'] / 60:.0f} min{how}** | **{r['estimate_peak_gb']:.1f} GB{how}** | "
                 f"{r['estimate_generate_s'] / 60:.0f} min{how} | |")
    return [
        f"Run on {r['run_date']}. {head} Synthetic populations (log-normal, summing to 124 million), "
        f"{CASES_PER_RESIDENT_YEAR * 1000:.1f} requests per 1,000 residents a year × scale {runs[-1]['scale']:.2f}, "
        f"{len(YEARS)} fiscal years, the CLI's default executor.", "", *table,
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fraction", type=float, action="append",
                        help="share of the bodies to run (1 = all); give two for a line fit (default 0.025 and 0.1)")
    parser.add_argument("--write", type=Path, default=None, help="write the results (JSON) here")
    parser.add_argument("--report-only", action="store_true", help="recompute the report from the --write file")
    args = parser.parse_args()
    if args.report_only and args.write:
        recorded = json.loads(args.write.read_text(encoding="utf-8"))
        result = {**summary(recorded["runs"]), "run_date": recorded["run_date"]}
    else:
        result = summary([run(f, ROOT / "bench-out" / "national") for f in (args.fraction or [0.025, 0.1])])
    result["lines"] = lines(result)
    print("\n".join(result["lines"]))
    if args.write:
        args.write.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
