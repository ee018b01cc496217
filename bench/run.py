"""mieruka benchmark: the prefecture workload against the targets of issue #20.

Usage: python bench/run.py [--workload prefecture] [--runs 3] [--extras] [--write docs/benchmarks.md]
       python bench/run.py --report-only --write docs/benchmarks.md   (from bench-out/results.json)

Every build runs in its own process (the CLI's default executor, a local process pool); its peak
memory is the summed RSS of its whole process tree (bench/tree_peak.py). Seconds are medians of
--runs runs; the machine is shared, so the verdicts use ratios where the issue states one.

- full nightly (raw → packages → both sites), --runs times, each into a fresh folder;
- a night with no change, and nights on which one body changed (a blank line appended to the
  largest CSV of the largest body with a CSV export: same rows, new bytes), --runs times each,
  against the last published packages and site; on each, the pages written anew and the pages
  carried over from the last site (hard-linked: the same file) are counted, and the metrics stage
  seconds read from the private timings log;
- one profiled build (serial executor and one site worker, so every body and page runs in the profiled process) of the
  packages and the site, then a profiled one-body night: each new format's share of the packages
  stage, the case view's share of the site build and the metrics seconds (bench/attribution.py);
- with --extras, the earlier issues' figures: validation and CSV writing against their naive
  baselines, the cases map, page weights and map readiness in headless Chromium.

The national shape runs separately (`make bench-national`, bench/national.py); its last result
(docs/benchmarks-national.json) is merged into the report.
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
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

import attribution  # noqa: E402
import targets  # noqa: E402
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
PREFECTURE_ALL = "350001"  # the combined package's code, which is also the prefecture's own body: cross-body
NATIONAL = ROOT / "docs" / "benchmarks-national.json"
# why: the report can be written again from the measured results once make bench-national has run
RESULTS = ROOT / "bench-out" / "results.json"


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _command(raw: Path, root: Path, *extra: str) -> list[str]:
    return ["-m", "pipeline.cli", "build", "--raw", str(raw), "--packages", str(root / "datapackages"),
            "--output", str(root / "output"), "--date", EXPORT_DATE, *extra]


def _child_build(raw: Path, root: Path, *extra: str) -> tuple[float, int, int]:
    """One `mieruka build` in its own process: (seconds, exit code, peak memory of its process tree in MB)."""
    done = tree_peak.run([sys.executable, *_command(raw, root, *extra)], cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    return done.seconds, done.returncode, done.peak_bytes // 2**20


def _profiled_build(raw: Path, root: Path, profile: Path) -> float:
    """One serial build (packages and site) in its own process under cProfile; returns its wall seconds.

    why: the profile counts the process's CPU seconds, not wall seconds, so that other jobs on a shared
    machine do not move the shares (time waiting for the disk is not counted)."""
    # why: --workers 1 keeps the site's pages in this process too (else forked workers render them, unprofiled)
    args = _command(raw, root, "--executor", "serial", "--workers", "1")[2:]
    code = (f"import cProfile, time; from pipeline import cli; p = cProfile.Profile(time.process_time); "
            f"p.runcall(cli.main, {args!r}); p.dump_stats({str(profile)!r})")
    done = tree_peak.run([sys.executable, "-c", code], cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"profiled build failed:\n{done.stderr[-3000:]}")
    return done.seconds


def _rows(packages: Path) -> dict[str, int]:
    run = json.loads((packages / "run.json").read_text(encoding="utf-8"))
    totals: dict[str, int] = {}
    for body in run["bodies"]:
        for name, n in body["rows"].items():
            totals[name] = totals.get(name, 0) + n
    return totals


def _timings(root: Path) -> dict[str, Any]:
    return json.loads((root / ".work" / "logs" / f"timings-{EXPORT_DATE}.json").read_text(encoding="utf-8"))


def metrics_seconds(timings: dict[str, Any]) -> tuple[float, str]:
    """The metrics stage's seconds from a timings log: its own entry if the pipeline logs one, else the
    combined stage (combined package and metrics together), labelled as such."""
    for key in ("metrics", "metrics_s"):
        if isinstance(timings.get(key), int | float):
            return float(timings[key]), "metrics stage, timings log"
    return float(timings["combined_and_metrics"]), "combined package and metrics together, timings log"


def _stages(timings: dict[str, Any]) -> dict[str, float]:
    """Per-stage seconds summed over bodies, and the run-wide entries of one timings log."""
    stages = {k: float(v) for k, v in timings.items() if isinstance(v, int | float)}
    for body in timings["bodies"].values():
        for stage, seconds in body.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    return stages


def page_files(output: Path) -> dict[str, int]:
    """Every HTML page of a built site: relative path -> inode."""
    return {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*.html")}


def pages_touched(before: dict[str, int], after: dict[str, int], changed: str, bodies: set[str]) -> dict[str, Any]:
    """Pages written anew against pages carried over from the last site (the same file, hard-linked).

    A page counts as one of an unchanged body when its path names the code of a body other than the
    changed one (the prefecture-wide code is cross-body)."""
    rendered = sorted(path for path, inode in after.items() if before.get(path) != inode)
    others = {code for code in bodies if code not in (changed, PREFECTURE_ALL)}
    pattern = re.compile(r"(?<!\d)(\d{6})(?!\d)")
    of_others = [p for p in rendered if any(code in others for code in pattern.findall(p))]
    return {"total": len(after), "rendered": len(rendered), "reused": len(after) - len(rendered),
            "other_bodies_rendered": len(of_others), "other_bodies_examples": of_others[:5]}


def _largest_csv_body(raw: Path) -> Path:
    bodies = [d for d in raw.iterdir() if d.is_dir() and any(d.glob("*.csv"))]
    return max(bodies, key=lambda d: sum(f.stat().st_size for f in d.iterdir()))


def _touch_body(body: Path) -> None:
    """A new night's export of one body: a blank line appended to its largest CSV (same rows, new bytes)."""
    export = max(body.glob("*.csv"), key=lambda f: f.stat().st_size)
    with export.open("ab") as handle:
        handle.write(b"\r\n" if b"\r\n" in export.read_bytes()[:4096] else b"\n")


def _one_changed_nights(raw: Path, root: Path, runs: int) -> dict[str, Any]:
    """Nights on which only the largest body with a CSV export changed, each against the last published
    packages and site of `root`: seconds, metrics seconds, pages rendered and reused (first night)."""
    body = _largest_csv_body(raw)
    code = body.name.split("_")[0]
    codes = {d.name.split("_")[0] for d in raw.iterdir() if d.is_dir()}
    seconds, metrics, pages = [], [], None
    for _ in range(runs):
        before = page_files(root / "output")
        _touch_body(body)
        seconds.append(_child_build(raw, root)[0])
        metrics.append(metrics_seconds(_timings(root))[0])
        if pages is None:
            pages = pages_touched(before, page_files(root / "output"), code, codes)
    return {"body": body.name, "seconds": seconds, "metrics_s": metrics, "pages": pages}


def _profiles(raw: Path, base: Path) -> dict[str, Any]:
    """A profiled full build (packages and site), then a profiled one-body night on the same folder."""
    root = base / "profiled"
    full_prof, night_prof = base / "full.prof", base / "one-changed.prof"
    full_s = _profiled_build(raw, root, full_prof)
    _touch_body(_largest_csv_body(raw))
    night_s = _profiled_build(raw, root, night_prof)
    full = attribution.summarize(full_prof)
    night = attribution.summarize(night_prof)
    return {"full": full, "full_wall_s": full_s, "one_changed_wall_s": night_s,
            "one_changed_metrics_s": night["metrics_s"], "files": [str(full_prof), str(night_prof)]}


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


def _page_weights(output: Path) -> dict[str, Any]:
    import pages

    return pages.measure(output)


def run(workload: str, runs: int, extras: bool = False, profile: bool = True) -> dict[str, Any]:
    spec = WORKLOADS[workload]
    codes = spec["codes"] or tuple(municipalities()["municipality_code"])
    base = ROOT / "bench-out" / workload
    shutil.rmtree(base, ignore_errors=True)
    raw = base / "raw"
    t = time.perf_counter()
    write_sample(raw, codes, spec["years"], spec["scale"])
    (raw / SAMPLE_MARKER).write_text("synthetic benchmark workload\n", encoding="utf-8")
    generated = time.perf_counter() - t
    loads = [os.getloadavg()[0]]
    full, rss = [], []
    for n in range(runs):
        seconds, _code, peak = _child_build(raw, base / f"run{n}")
        full.append(seconds)
        rss.append(peak)
    full_timings = _timings(base / "run0")
    full_metrics, metrics_source = metrics_seconds(full_timings)
    # a night with no change: the same raw exports against the last published packages
    unchanged = [_child_build(raw, base / "run0")[0] for _ in range(runs)]
    loads.append(os.getloadavg()[0])
    changed = _one_changed_nights(raw, base / "run0", runs)
    # why: one packages-only build, to compare with the formats' history (it is no target of its own)
    packages_only = _child_build(raw, base / "packages-only", "--no-site")[0]
    loads.append(os.getloadavg()[0])
    result: dict[str, Any] = {
        "workload": workload, "bodies": len(codes), "years": len(spec["years"]), "runs": runs,
        "rows": _rows(base / "run0" / "datapackages"), "generate_s": generated,
        "full_build_s": _median(full), "full_build_runs": full, "peak_rss_mb": max(rss),
        "packages_only_s": packages_only, "unchanged_night_s": _median(unchanged),
        "one_changed_s": _median(changed["seconds"]), "one_changed_runs": changed["seconds"],
        "one_changed_body": changed["body"], "site_pages": changed["pages"],
        "metrics": {"full_s": full_metrics, "one_changed_s": _median(changed["metrics_s"]), "source": metrics_source},
        "stages_s": _stages(full_timings), "load_1min": loads,
    }
    if profile:
        result["profile"] = _profiles(raw, base)
        loads.append(os.getloadavg()[0])
    if extras:
        combined = base / "run0" / "datapackages" / "350001_yamaguchi_all"
        result["extras"] = {"validation": _validation(combined, runs), "csv": _csv_writing(combined, runs),
                            "maps": _maps(combined, runs), "pages": _page_weights(base / "run0" / "output")}
    return result


PEAK_ROW = "| peak memory of a full build (summed RSS of the process tree) |"


def last_peak_mb(report: str, workload: str = "prefecture") -> int | None:
    """The peak memory of a full build that an earlier report gives for the workload (None: none given)."""
    section = report.split(f"## Workload `{workload}`", 1)
    if len(section) < 2:
        return None
    section_text = section[1].split("\n## ", 1)[0]
    found = re.search(re.escape(PEAK_ROW) + r" ([\d,]+) MB", section_text)
    return int(found.group(1).replace(",", "")) if found else None


def _national() -> dict[str, Any] | None:
    if not NATIONAL.exists():
        return None
    data = json.loads(NATIONAL.read_text(encoding="utf-8"))
    return data if "estimate" in data else None


def _share(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.1%}"


def _shares(p: dict[str, Any]) -> list[str]:
    full = p["full"]
    lines = ["Shares, from one profiled serial build of the packages and the site (cProfile, CPU seconds of the "
             "process; profiling slows Python more than C, so read the shares, not the seconds; "
             "bench/attribution.py):", "", "| part | profiled CPU seconds | share |", "|---|---|---|"]
    for name, f in full["formats"].items():
        share = _share(f["share_of_packages"]) + " of the packages stage" if f["found"] else "not found in the profile"
        lines.append(f"| {name} (per-body and combined copies) | {f['seconds']:.1f} | {share} |")
    c = full["case_view"]
    case_share = _share(c["share_of_site"]) + " of the site build" if c["found"] else "not found in the profile"
    of_build = {k: _share(attribution.share(full[k], full["total_s"])) for k in ("packages_s", "site_s")}
    lines += [f"| case view (`{attribution.CASE_VIEW}`) | {c['seconds']:.1f} | {case_share} |",
              f"| packages stage | {full['packages_s']:.1f} | {of_build['packages_s']} of the build |",
              f"| site build | {full['site_s']:.1f} | {of_build['site_s']} of the build |",
              f"| metrics (`{attribution.METRICS}`), full night | {full['metrics_s']:.2f} | |",
              f"| metrics, one-body night | {p['one_changed_metrics_s']:.2f} | "
              f"{_share(attribution.share(p['one_changed_metrics_s'], full['metrics_s']))} of a full night's |", "",
              "Most own time in the profiled full build:", "", "| function | seconds |", "|---|---|",
              *[f"| `{name}` | {sec:.1f} |" for name, sec in full["top_own"]], ""]
    return lines


def _extras(e: dict[str, Any]) -> list[str]:
    v, c, m, pg = e["validation"], e["csv"], e["maps"], e["pages"]
    return [
        "Earlier issues' figures (`--extras`), against naive baselines, same data, same process:", "",
        "| what | ours | baseline | ratio |", "|---|---|---|---|",
        f"| validate the combined package ({v['rows']:,} rows) | {v['fast_rows_per_s']:,.0f} rows/s (fast) | "
        f"{v['frictionless_rows_per_s']:,.0f} rows/s (frictionless) | "
        f"{v['fast_rows_per_s'] / v['frictionless_rows_per_s']:.0f}× |",
        f"| write CSV ({c['rows']:,} actions rows) | {c['writer_rows_per_s']:,.0f} rows/s (pyarrow writer) | "
        f"{c['pandas_rows_per_s']:,.0f} rows/s (`pandas.to_csv`) | {c['pandas_s'] / c['writer_s']:.1f}× |",
        f"| cases map of {m['municipality']} ({m['cases']:,} cases), Python side | {m['mesh_map_s']:.2f} s "
        f"(per mesh cell) | {m['markers_s']:.2f} s (one folium marker per case) | "
        f"{m['markers_s'] / m['mesh_map_s']:.0f}× |", "",
        f"Same verdict from both validators: {v['same_verdict']}. CSV bytes of both writers identical: "
        f"{c['same_bytes']}. Pages in headless Chromium: {pg['pages']} pages, {pg['over_budget']} over 600 KB, "
        "heaviest " + ", ".join(f"{path} {size / 1024:.0f} KB" for path, size in pg["heaviest"])
        + f"; largest map {pg['map']} ({pg['map_kb']:,} KB) ready in {pg['map_ready_s']:.2f} s.", "",
    ]


def _national_section(n: dict[str, Any] | None) -> list[str]:
    if n is None:
        return []
    return ["## National shape (`make bench-national`, run separately)", "", *n["lines"], ""]


def report(results: list[dict[str, Any]], memory_reference_mb: int | None = None,
           reference_label: str = "last report") -> str:
    lines = ["# Benchmarks", "",
             f"Run on {dt.date.today().isoformat()} with `make bench` on {platform.machine()}, "  # noqa: DTZ011
             f"{os.cpu_count()} CPU(s), Python {platform.python_version()}, {platform.platform()}.",
             "Medians of the runs given; each build ran in its own process. Shared, noisy machines: read the "
             "ratios, take the seconds as indicative (1-minute load averages are given with each workload).", ""]
    for r in results:
        rows = ", ".join(f"{k} {v:,}" for k, v in sorted(r["rows"].items()))
        loads = ", ".join(f"{x:.1f}" for x in r["load_1min"])
        lines += [
            f"## Workload `{r['workload']}`: {r['bodies']} bodies, {r['years']} fiscal years", "",
            f"Rows published: {rows}. Load average during the run: {loads}.", "",
            f"| measure | median of {r['runs']} |", "|---|---|",
            f"| full nightly build (raw → packages → both sites) | {r['full_build_s']:.1f} s |",
            f"| a night with no change (incremental) | {r['unchanged_night_s']:.1f} s |",
            f"| a night on which one body changed ({r['one_changed_body']}) | {r['one_changed_s']:.1f} s |",
            f"{PEAK_ROW} {r['peak_rss_mb']:,} MB |",
            f"| packages only (`--no-site`, one run) | {r['packages_only_s']:.1f} s |",
            f"| sample generation (not part of the nightly) | {r['generate_s']:.1f} s |", "",
            "Stage seconds of the first full build (per-body stages summed over bodies; timings log):", "",
            "| stage | seconds |", "|---|---|",
            *[f"| {k} | {s:.2f} |" for k, s in sorted(r["stages_s"].items())], "",
        ]
        if "profile" in r:
            lines += _shares(r["profile"])
        if "extras" in r:
            lines += _extras(r["extras"])
    n = _national()
    by_name = {r["workload"]: r for r in results}
    target_rows = targets.rows(by_name.get("prefecture"), n, memory_reference_mb, reference_label)
    lines += _national_section(n)
    lines += ["## Targets of issue #20 (prefecture workload; national shape from `make bench-national`)", "",
              *targets.table(target_rows), "", "Causes and history: [performance.md](performance.md).", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workload", choices=sorted(WORKLOADS), action="append")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--extras", action="store_true", help="also the earlier issues' figures (slower)")
    parser.add_argument("--no-profile", action="store_true", help="skip the profiled builds (no shares)")
    parser.add_argument("--write", type=Path, default=None, help="write the Markdown report here")
    parser.add_argument("--memory-reference", type=int, default=None, metavar="MB",
                        help="peak memory to compare with (default: the prefecture figure of the --write file)")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help=f"where the measured results are kept as JSON (default {RESULTS.relative_to(ROOT)})")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: write the report from the --results file and the national results "
                             "(after a later make bench-national)")
    args = parser.parse_args()
    reference, label = args.memory_reference, "given"
    if reference is None and args.write and args.write.is_file():
        reference, label = last_peak_mb(args.write.read_text(encoding="utf-8")), f"last report, {args.write.name}"
    if args.report_only:
        recorded = json.loads(args.results.read_text(encoding="utf-8"))
        results, reference, label = recorded["results"], recorded["memory_reference_mb"], recorded["reference_label"]
    else:
        results = [run(w, args.runs, args.extras, not args.no_profile) for w in (args.workload or ["prefecture"])]
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps({"results": results, "memory_reference_mb": reference,
                                            "reference_label": label}, indent=2, default=str) + "\n",
                                encoding="utf-8")
    text = report(results, reference, label)
    print(text)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
