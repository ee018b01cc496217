"""mieruka benchmark: reference workloads, stage timings and ratios against naive baselines.

Usage: python bench/run.py [--workload pilot|prefecture] [--runs 3] [--write docs/benchmarks.md]

Every figure is the median of --runs runs; each build runs in its own process (with the CLI's
default executor, a local process pool) and its peak memory is the summed RSS of its whole process
tree (bench/tree_peak.py). Baselines run in this same process, on the same data:
frictionless' validator against the fast one, pandas.to_csv against the package writer, and a
folium map with one plain marker per case against the per-mesh-cell map.
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402
import tree_peak  # noqa: E402

from pipeline import package  # noqa: E402
from pipeline.reference import municipalities  # noqa: E402
from pipeline.sample import EXPORT_DATE, PILOT_CODES, SAMPLE_MARKER, write_sample  # noqa: E402
from pipeline.validate import validate_package  # noqa: E402

WORKLOADS: dict[str, dict[str, Any]] = {
    "pilot": {"codes": PILOT_CODES, "years": (2023, 2024, 2025), "scale": 1.0},
    # why: 20 bodies x 5 years at this scale gives about 200,000 cases, the reference size.
    "prefecture": {"codes": None, "years": (2021, 2022, 2023, 2024, 2025), "scale": 6.7},
}


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _child_build(raw: Path, root: Path, *extra: str, command: str = "build") -> tuple[float, int, int]:
    """One `mieruka build` in its own process: (seconds, exit code, peak memory of its process tree in MB)."""
    args = [sys.executable, "-m", "pipeline.cli", command, "--raw", str(raw), "--packages", str(root / "datapackages"),
            "--output", str(root / "output"), "--date", EXPORT_DATE, *extra]
    done = tree_peak.run(args, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    return done.seconds, done.returncode, done.peak_bytes // 2**20


def _rows(packages: Path) -> dict[str, int]:
    run = json.loads((packages / "run.json").read_text(encoding="utf-8"))
    totals: dict[str, int] = {}
    for body in run["bodies"]:
        for name, n in body["rows"].items():
            totals[name] = totals.get(name, 0) + n
    return totals


def _stages(logs: Path) -> dict[str, float]:
    """Per-stage seconds summed over bodies, from the private timings log of one run."""
    data = json.loads((logs / f"timings-{EXPORT_DATE}.json").read_text(encoding="utf-8"))
    stages: dict[str, float] = {"combined_and_metrics": data["combined_and_metrics"]}
    for timings in data["bodies"].values():
        for stage, seconds in timings.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    return stages


def _validation(combined: Path, runs: int) -> dict[str, float]:
    descriptor = combined / "datapackage.json"
    fast, slow = [], []
    validate_package(descriptor, "fast")  # why: warm-up; the first call imports frictionless (descriptor profile)
    for _ in range(runs):
        t = time.perf_counter()
        report_fast = validate_package(descriptor, "fast")
        fast.append(time.perf_counter() - t)
    t = time.perf_counter()
    report_slow = validate_package(descriptor, "frictionless")
    slow.append(time.perf_counter() - t)
    rows = sum(report_fast.rows.values())
    return {"rows": rows, "fast_s": _median(fast), "frictionless_s": _median(slow),
            "fast_rows_per_s": rows / _median(fast), "frictionless_rows_per_s": rows / _median(slow),
            "same_verdict": report_fast.valid == report_slow.valid}


def _csv_writing(combined: Path, runs: int) -> dict[str, float]:
    """The package writer against pandas.to_csv on the same table, as prepare() hands it to the writer.

    pandas.to_csv runs on that frame (arrow text columns) and on the same data as plain Python
    strings; the faster of the two is the baseline.
    """
    plain = pd.read_csv(combined / "350001_all_actions.csv", dtype=str, keep_default_na=False)
    frame = package.prepare(plain, "actions")
    ours, naive, naive_plain = [], [], []
    for _ in range(runs):
        t = time.perf_counter()
        package.csv_bytes(frame)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        frame.to_csv(index=False).encode()
        naive.append(time.perf_counter() - t)
        t = time.perf_counter()
        plain.to_csv(index=False).encode()
        naive_plain.append(time.perf_counter() - t)
    same = package.csv_bytes(frame) == frame.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode()
    pandas_s = min(_median(naive), _median(naive_plain))
    return {"rows": len(frame), "writer_s": _median(ours), "pandas_s": pandas_s,
            "pandas_arrow_s": _median(naive), "pandas_plain_s": _median(naive_plain),
            "writer_rows_per_s": len(frame) / _median(ours), "pandas_rows_per_s": len(frame) / pandas_s,
            "same_bytes": same}


def _maps(combined: Path, runs: int) -> dict[str, float]:
    import folium

    from pipeline.site.maps import cases_map

    cases = pd.read_csv(combined / "350001_all_cases.csv", dtype=str, keep_default_na=False)
    largest = cases["municipality_code"].value_counts().index[0]
    mine = cases[cases["municipality_code"] == largest]
    ours, naive = [], []
    for _ in range(runs):
        t = time.perf_counter()
        cases_map(mine, "ja", "../static/vendor/")
        ours.append(time.perf_counter() - t)
    located = mine[mine["latitude"] != ""]
    t = time.perf_counter()
    plain = folium.Map(location=[34.1, 131.8], zoom_start=10)
    for lat, lon in zip(located["latitude"].astype(float), located["longitude"].astype(float), strict=True):
        folium.Marker([lat, lon]).add_to(plain)
    plain.get_root().render()
    naive.append(time.perf_counter() - t)
    return {"cases": len(mine), "municipality": largest, "mesh_map_s": _median(ours), "markers_s": _median(naive)}


def _one_changed_body(raw: Path, root: Path, runs: int) -> dict[str, Any]:
    """Nights on which only the largest body with a CSV export changed (a blank line appended to its largest
    CSV: same rows, new bytes), each against the last published packages and site of `root`."""
    bodies = [d for d in raw.iterdir() if d.is_dir() and any(d.glob("*.csv"))]
    body = max(bodies, key=lambda d: sum(f.stat().st_size for f in d.iterdir()))
    export = max(body.glob("*.csv"), key=lambda f: f.stat().st_size)
    seconds = []
    for _ in range(runs):
        with export.open("ab") as handle:
            handle.write(b"\r\n" if b"\r\n" in export.read_bytes()[:4096] else b"\n")
        seconds.append(_child_build(raw, root)[0])
    return {"body": body.name, "seconds": seconds}


def run(workload: str, runs: int) -> dict[str, Any]:
    spec = WORKLOADS[workload]
    codes = spec["codes"] or tuple(municipalities()["municipality_code"])
    base = ROOT / "bench-out" / workload
    shutil.rmtree(base, ignore_errors=True)
    raw = base / "raw"
    t = time.perf_counter()
    write_sample(raw, codes, spec["years"], spec["scale"])
    (raw / SAMPLE_MARKER).write_text("synthetic benchmark workload\n", encoding="utf-8")
    generated = time.perf_counter() - t
    full, rss = [], []
    for n in range(runs):
        root = base / f"run{n}"
        seconds, _code, peak = _child_build(raw, root)
        full.append(seconds)
        rss.append(peak)
    stages = _stages(base / "run0" / ".work" / "logs")
    # a night with no change: the same raw exports against the last published packages
    unchanged = [_child_build(raw, base / "run0")[0] for _ in range(runs)]
    changed = _one_changed_body(raw, base / "run0", runs)
    site = pages.measure(base / "run0" / "output")
    packages_only = [_child_build(raw, base / f"pk{n}", "--no-site")[0] for n in range(runs)]
    # why: the default executor is the process pool, measured just above; serial runs once (it is the slow one)
    executors = {"process (default)": _median(packages_only),
                 "serial (one run)": _child_build(raw, base / "serial", "--no-site", "--executor", "serial")[0]}
    combined = base / "run0" / "datapackages" / "350001_yamaguchi_all"
    return {
        "workload": workload, "bodies": len(codes), "years": len(spec["years"]), "runs": runs,
        "rows": _rows(base / "run0" / "datapackages"), "generate_s": generated,
        "full_build_s": _median(full), "full_build_runs": full, "peak_rss_mb": max(rss),
        "packages_only_s": _median(packages_only), "unchanged_night_s": _median(unchanged),
        "one_changed_s": _median(changed["seconds"]), "one_changed_body": changed["body"], "pages": site,
        "executors_s": executors, "stages_s": stages, "validation": _validation(combined, runs),
        "csv": _csv_writing(combined, runs),
        "maps": _maps(combined, runs),
    }


def targets(results: list[dict[str, Any]]) -> list[str]:
    """The issue's targets against this run's figures (prefecture workload where it ran)."""
    by_name = {r["workload"]: r for r in results}
    r = by_name.get("prefecture")
    if r is None:
        return ["Targets are stated for the prefecture workload, which this run did not include.", ""]
    v, c, p = r["validation"], r["csv"], r["pages"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    ratio_v = v["fast_rows_per_s"] / v["frictionless_rows_per_s"]
    ratio_c = c["pandas_s"] / c["writer_s"]
    return [
        "## Targets (prefecture workload)", "",
        "| target | this run | verdict |", "|---|---|---|",
        f"| full nightly ≤ 60 s | {r['full_build_s']:.1f} s | {verdict(r['full_build_s'] <= 60)} |",
        f"| peak memory ≤ 2 GB | {r['peak_rss_mb']:,} MB | {verdict(r['peak_rss_mb'] <= 2048)} |",
        f"| a night with no change ≤ 5 s | {r['unchanged_night_s']:.1f} s | {verdict(r['unchanged_night_s'] <= 5)} |",
        f"| one changed body ≤ a fifth of a full build ({r['full_build_s'] / 5:.1f} s) | {r['one_changed_s']:.1f} s "
        f"({r['one_changed_body']}) | {verdict(r['one_changed_s'] <= r['full_build_s'] / 5)} |",
        f"| every page ≤ 600 KB on first load, map tiles excluded | heaviest {p['heaviest'][0][1] / 1024:.0f} KB "
        f"({p['heaviest'][0][0]}), {p['over_budget']} of {p['pages']} pages over | {verdict(p['over_budget'] == 0)} |",
        f"| largest map ready ≤ 1 s in headless Chromium | {p['map_ready_s']:.2f} s ({p['map']}, {p['map_kb']:,} KB) | "
        f"{verdict(p['map_ready_s'] <= 1)} |",
        f"| validation ≥ 30× frictionless, same verdicts | {ratio_v:.0f}×, same verdict: {v['same_verdict']} | "
        f"{verdict(ratio_v >= 30 and v['same_verdict'])} |",
        f"| CSV writing ≥ 5× pandas.to_csv | {ratio_c:.1f}× | {verdict(ratio_c >= 5)} |",
        _national_target(), "",
        "Causes and history: [performance.md](performance.md).", "",
    ]


NATIONAL = ROOT / "docs" / "benchmarks-national.json"


def _national_target() -> str:
    """The national-shape target row, from the last `make bench-national` (a separate, longer run)."""
    if not NATIONAL.exists():
        return "| national shape: packages ≤ 20 min, ≤ 8 GB | not measured (`make bench-national`) | **not met** |"
    n = json.loads(NATIONAL.read_text(encoding="utf-8"))
    minutes, gb = n["estimate_full_s"] / 60, n["estimate_peak_gb"]
    label = "measured" if n["fraction"] >= 1 else f"extrapolated from {n['fraction']:.0%} of the bodies"
    return (f"| national shape: packages ≤ 20 min, ≤ 8 GB | {minutes:.0f} min, {gb:.1f} GB ({label}, "
            f"{n['run_date']}) | {'met' if minutes <= 20 and gb <= 8 else '**not met**'} |")


def _national_section() -> list[str]:
    if not NATIONAL.exists():
        return []
    n = json.loads(NATIONAL.read_text(encoding="utf-8"))
    return ["## National shape (`make bench-national`, run separately)", "", *n["lines"], ""]


def report(results: list[dict[str, Any]]) -> str:
    lines = ["# Benchmarks", "",
             f"Run on {dt.date.today().isoformat()} with `make bench` on {platform.machine()}, "  # noqa: DTZ011
             f"{os.cpu_count()} CPU(s), Python {platform.python_version()}, {platform.platform()}.",
             "Medians of the runs given (frictionless' validator, the slow baseline, runs once); each build ran "
             "in its own process. Shared, noisy machines: read the ratios, take the seconds as indicative.", ""]
    for r in results:
        rows = ", ".join(f"{k} {v:,}" for k, v in sorted(r["rows"].items()))
        v, c, m = r["validation"], r["csv"], r["maps"]
        lines += [
            f"## Workload `{r['workload']}`: {r['bodies']} bodies, {r['years']} fiscal years", "",
            f"Rows published: {rows}.", "",
            "| measure | median |", "|---|---|",
            f"| full nightly build (raw → packages → both sites) | {r['full_build_s']:.1f} s |",
            f"| packages only (`--no-site`) | {r['packages_only_s']:.1f} s |",
            f"| a night with no change (incremental) | {r['unchanged_night_s']:.1f} s |",
            f"| a night on which one body changed ({r['one_changed_body']}) | {r['one_changed_s']:.1f} s |",
            f"| peak memory of a full build (summed RSS of the process tree) | {r['peak_rss_mb']:,} MB |",
            *[f"| packages only, `--executor {name}` | {sec:.1f} s |" for name, sec in r["executors_s"].items()],
            f"| sample generation (not part of the nightly) | {r['generate_s']:.1f} s |", "",
            "Stage seconds, summed over bodies (one run):", "",
            "| stage | seconds |", "|---|---|",
            *[f"| {k} | {s:.2f} |" for k, s in sorted(r["stages_s"].items())], "",
            "Against naive baselines, same data, same process:", "",
            "| what | ours | baseline | ratio |", "|---|---|---|---|",
            f"| validate the combined package ({v['rows']:,} rows) | {v['fast_rows_per_s']:,.0f} rows/s (fast) | "
            f"{v['frictionless_rows_per_s']:,.0f} rows/s (frictionless) | "
            f"{v['fast_rows_per_s'] / v['frictionless_rows_per_s']:.0f}× |",
            f"| write CSV ({c['rows']:,} actions rows) | {c['writer_rows_per_s']:,.0f} rows/s (pyarrow writer) | "
            f"{c['pandas_rows_per_s']:,.0f} rows/s (`pandas.to_csv`, the faster of arrow-backed "
            f"{c['pandas_arrow_s']:.2f} s and plain-string {c['pandas_plain_s']:.2f} s frames) | "
            f"{c['pandas_s'] / c['writer_s']:.1f}× |",
            f"| cases map of {m['municipality']} ({m['cases']:,} cases), Python side | {m['mesh_map_s']:.2f} s "
            f"(per mesh cell) | {m['markers_s']:.2f} s (one folium marker per case) | "
            f"{m['markers_s'] / m['mesh_map_s']:.0f}× |", "",
            f"Same verdict from both validators: {v['same_verdict']}. CSV bytes of both writers identical: "
            f"{c['same_bytes']}.", "",
            f"Pages in headless Chromium (first load, empty cache, map tiles excluded): {r['pages']['pages']} pages, "
            "heaviest " + ", ".join(f"{path} {size / 1024:.0f} KB" for path, size in r["pages"]["heaviest"])
            + f"; largest map document {r['pages']['map']} ({r['pages']['map_kb']:,} KB) ready in "
            f"{r['pages']['map_ready_s']:.2f} s (best of 3).", "",
        ]
    return "\n".join(lines + _national_section() + targets(results))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workload", choices=sorted(WORKLOADS), action="append")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, default=None, help="write the Markdown report here")
    args = parser.parse_args()
    results = [run(w, args.runs) for w in (args.workload or ["pilot"])]
    text = report(results)
    print(text)
    print(json.dumps(results, indent=2, default=str), file=sys.stderr)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
