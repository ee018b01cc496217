"""The targets of issue #20 and their verdicts, from a benchmark run's figures (pure: no I/O).

One row per line of the issue's Targets table, in its order: one changed body, full prefecture
nightly, site build, metrics, national shape. A figure that was not measured gets the verdict
"not measured", never "met".
"""

from dataclasses import dataclass
from typing import Any

ONE_BODY_RATIO = 0.15  # one changed body, as a share of a full build
FULL_NIGHTLY_S = 25.0  # full prefecture nightly on 2 cores
METRICS_RATIO = 0.15  # metrics seconds on a one-body night, as a share of a full night's
NATIONAL_GB = 8.0
NATIONAL_MIN = 20.0
NATIONAL_MEASURED_CASES = 1_000_000  # the measured scaled-down run must hold at least this many cases

MET, NOT_MET, NOT_MEASURED = "met", "**not met**", "not measured"


@dataclass(frozen=True)
class Row:
    """One line of the targets table."""

    figure: str
    target: str
    measured: str
    verdict: str


def _verdict(ok: bool) -> str:
    return MET if ok else NOT_MET


def one_changed_body(r: dict[str, Any]) -> Row:
    ratio = r["one_changed_s"] / r["full_build_s"]
    return Row("one changed body", f"≤ {ONE_BODY_RATIO} of a full build",
               f"{ratio:.2f} ({r['one_changed_s']:.1f} s against {r['full_build_s']:.1f} s; {r['one_changed_body']} "
               "changed)", _verdict(ratio <= ONE_BODY_RATIO))


def full_nightly(r: dict[str, Any], memory_reference_mb: int | None, reference_label: str) -> Row:
    """Seconds against the target; peak memory against the last report's (no reference: not measured)."""
    seconds_ok = r["full_build_s"] <= FULL_NIGHTLY_S
    peak = r["peak_rss_mb"]
    if memory_reference_mb is None:
        memory = f"peak {peak:,} MB (no earlier figure to compare with)"
        verdict = NOT_MEASURED if seconds_ok else NOT_MET
    else:
        memory = f"peak {peak:,} MB against {memory_reference_mb:,} MB ({reference_label})"
        verdict = _verdict(seconds_ok and peak <= memory_reference_mb)
    return Row("full prefecture nightly", f"≤ {FULL_NIGHTLY_S:.0f} s on 2 cores, memory not above the last report",
               f"{r['full_build_s']:.1f} s; {memory}", verdict)


def site_build(r: dict[str, Any]) -> Row:
    """Pages written anew against pages carried over (hard-linked) from the last site on a one-body night."""
    p = r.get("site_pages")
    target = "∝ pages touched: a one-body night renders only that body's pages and the cross-body pages"
    if not p or not p.get("total"):
        return Row("site build", target, "no site pages measured", NOT_MEASURED)
    measured = (f"{p['rendered']} of {p['total']} pages rendered, {p['reused']} reused; "
                f"{p['other_bodies_rendered']} pages of unchanged bodies rendered")
    return Row("site build", target, measured, _verdict(p["reused"] > 0 and p["other_bodies_rendered"] == 0))


def metrics(r: dict[str, Any]) -> Row:
    m = r.get("metrics")
    target = f"per body, cached: a one-body night's metrics seconds ≤ {METRICS_RATIO} of a full night's"
    if not m or not m.get("full_s"):
        return Row("metrics", target, "no metrics seconds measured", NOT_MEASURED)
    ratio = m["one_changed_s"] / m["full_s"]
    return Row("metrics", target, f"{ratio:.2f} ({m['one_changed_s']:.2f} s against {m['full_s']:.2f} s; "
               f"{m['source']})", _verdict(ratio <= METRICS_RATIO))


def national(n: dict[str, Any] | None) -> list[Row]:
    """Two rows: the extrapolated full shape, and the measured scaled-down run of at least a million cases."""
    target = f"packages stage ≤ {NATIONAL_GB:.0f} GB and ≤ {NATIONAL_MIN:.0f} min"
    if not n or "estimate" not in n:
        return [Row("national shape, extrapolated to 10 M cases", target, "not run (`make bench-national`)",
                    NOT_MEASURED),
                Row("national shape, measured at 10 % scale", "≥ 1 M cases, measured", "not run", NOT_MEASURED)]
    e = n["estimate"]
    minutes, gb = e["packages_s"] / 60, e["peak_gb"]
    rows = [Row("national shape, extrapolated to 10 M cases", target,
                f"{minutes:.0f} min, {gb:.1f} GB (extrapolated, {n['run_date']}; method in the national section)",
                _verdict(minutes <= NATIONAL_MIN and gb <= NATIONAL_GB))]
    largest = max((x for x in n["runs"] if x.get("kind", "scaled") == "scaled"), key=lambda x: x["cases_generated"])
    big_enough = largest["cases_generated"] >= NATIONAL_MEASURED_CASES
    measured = (f"{largest['cases_generated']:,} cases, {largest['bodies']:,} bodies: {largest['packages_s'] / 60:.1f} "
                f"min, {largest['peak_gb']:.2f} GB (measured)")
    ok = big_enough and largest["exit_code"] in (0, 1) and largest["peak_gb"] <= NATIONAL_GB
    rows.append(Row("national shape, measured at 10 % scale", f"≥ 1 M cases, measured, ≤ {NATIONAL_GB:.0f} GB",
                    measured, _verdict(ok)))
    return rows


def rows(r: dict[str, Any] | None, n: dict[str, Any] | None, memory_reference_mb: int | None,
         reference_label: str) -> list[Row]:
    """Every target row; prefecture rows are "not measured" when that workload did not run."""
    if r is None:
        missing = [Row(f, "see issue #20", "prefecture workload not run", NOT_MEASURED)
                   for f in ("one changed body", "full prefecture nightly", "site build", "metrics")]
        return missing + national(n)
    return [one_changed_body(r), full_nightly(r, memory_reference_mb, reference_label), site_build(r), metrics(r),
            *national(n)]


def table(target_rows: list[Row]) -> list[str]:
    """The rows as a Markdown table."""
    return ["| figure | target | this run | verdict |", "|---|---|---|---|",
            *[f"| {x.figure} | {x.target} | {x.measured} | {x.verdict} |" for x in target_rows]]
