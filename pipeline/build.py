"""The nightly path for every body: ingest -> normalize -> anonymize -> package -> validate.

This module only sequences: which bodies (bodies.find_bodies), each body's stages (body.build_body)
on an executor, heaviest expected cost first (schedule.py), then the combined package, the DCAT
catalogue, run.json and the private logs. One body's broken export never stops the others: it fails
alone, and its last good package (if any) is carried over and marked stale (reuse.py).

Bodies are independent, so they are built by an executor (executor.py): serially, on a local
process pool, or on a Dask cluster. Each body writes only into its own package folder; the
shared files (run.json, the combined package, the logs) are written here once every body is back.
"""

import dataclasses
import datetime as dt
import errno
import json
import shutil
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import combined, executor, schedule
from .adapter import Adapter
from .bodies import find_bodies as find_bodies  # re-exported: the bodies a run builds
from .body import build_body
from .exports import read_exports
from .faults import fault_point
from .formats import dcat
from .ingest import RawFile
from .normalize import Normalized, normalize_body
from .options import Options as Options  # re-exported: the settings of a run
from .problems import Problem
from .results import BodyResult
from .reuse import carry_over, code_fingerprint, reuse_unchanged


def read_body(adapter: Adapter, folder: Path, as_of: dt.date | None = None,
              ) -> tuple[dict[str, Normalized], list[RawFile]]:
    """Raw files of one body -> normalized tables and the files' provenance (the ingest and normalize stages)."""
    exports = read_exports(adapter, folder)
    return normalize_body(exports, adapter, as_of), exports.files


def write_log(results: list[BodyResult], log_dir: Path, run_date: dt.date) -> Path:
    """The private run log: every quarantined value with file, row, column and reason."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / f"quarantine-{run_date.isoformat()}.csv"
    rows = [{"body": r.code, **p.to_dict()} for r in results for p in r.problems]
    pd.DataFrame(rows, columns=["body", "file", "row", "column", "value", "reason", "record", "excluded"]).to_csv(
        path, index=False)
    return path


def _status(text: str) -> None:
    """Overwrite the terminal's status line (only used when stderr is a terminal)."""
    sys.stderr.write(f"\r\033[K{text}")
    sys.stderr.flush()


@dataclass(frozen=True)
class BodyJob:
    """What a worker needs to build one body (it pickles: sent to pool and cluster workers)."""

    adapter: Adapter
    folder: Path
    options: Options
    on_cluster: bool  # workers on a cluster are other installations: check that their code is the same


def build_job(job: BodyJob) -> BodyResult:
    """One body in a worker; a defect met on its data becomes its failed result, never an exception."""
    adapter = job.adapter
    if job.on_cluster and code_fingerprint() != job.options.code:
        return BodyResult(adapter.code, adapter.package_name,
                          error="this worker runs other mieruka code than the machine that started the run; "
                                "install the same version everywhere")
    try:
        return build_body(adapter, job.folder, job.options)
    except Exception as exc:  # why: a defect met on one body's data must not stop the others
        shutil.rmtree(job.options.out_dir / adapter.package_name, ignore_errors=True)
        if disk_full(exc):
            raise  # why: a full disk is no defect of this body: it stops the run, the live release stays
        return internal_failure(adapter, exc)


def disk_full(exc: BaseException) -> bool:
    """Whether the exception is the disk (or quota) running full."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def internal_failure(adapter: Adapter, exc: BaseException) -> BodyResult:
    """The failed result of a body whose build raised (or whose worker was lost)."""
    result = BodyResult(adapter.code, adapter.package_name,
                        error=f"internal error while building: {type(exc).__name__}")
    result.problems = [Problem(adapter.package_name, None, None, None,
                               "".join(traceback.format_exception(exc))[-4000:])]
    return result


def build_bodies(options: Options, bodies: list[tuple[Adapter, Path]],
                 on_done: Callable[[str], None] | None = None) -> list[BodyResult]:
    """Every body's package into options.out_dir, results in body order whatever the executor."""
    results: list[BodyResult | None] = [reuse_unchanged(a, f, options) for a, f in bodies]
    for result in results:
        if result is not None and on_done:
            on_done(result.package)
    todo = [i for i, r in enumerate(results) if r is None]
    cluster = executor.on_cluster(options.executor)
    spare = executor.spare_workers(options.executor, options.workers, len(todo))
    if spare:  # why: a night with one changed body would leave the other cores idle while it writes its formats
        options = dataclasses.replace(options, helpers=spare // len(todo))
    jobs = [BodyJob(bodies[i][0], bodies[i][1], options, cluster) for i in todo]
    costs = schedule.expected_costs([(job.adapter.package_name, job.folder) for job in jobs], options.log_dir,
                                    options.run_date)
    outcomes = executor.run_all(build_job, jobs, options.executor, options.workers, weights=costs,
                                on_done=(lambda index, _done: on_done(jobs[index].adapter.package_name))
                                if on_done else None)
    for i, outcome in zip(todo, outcomes, strict=True):
        adapter = bodies[i][0]
        if isinstance(outcome, BodyResult):
            results[i] = outcome
        elif disk_full(outcome):
            raise outcome
        else:  # why: the worker itself was lost (killed, out of memory) or the job could not be sent
            shutil.rmtree(options.out_dir / adapter.package_name, ignore_errors=True)
            results[i] = internal_failure(adapter, outcome)
    return [carry_over(r, options) if r.status == "failed" else r for r in results if r is not None]


def run(options: Options) -> list[BodyResult]:
    """Build every body's package into options.out_dir, then the combined package and run.json."""
    # why: every worker records the code of the process that planned the run, the one the next
    # night compares against, whenever its own interpreter happened to read the source files
    code = options.code or code_fingerprint()
    options = dataclasses.replace(options, code=code)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    bodies = find_bodies(options.raw_dir, options.adapters_dir)
    finished: list[str] = []

    def progress(package_name: str) -> None:
        finished.append(package_name)
        _status(f"[{len(finished)}/{len(bodies)}] {package_name}")

    results = build_bodies(options, bodies, progress if options.progress else None)
    fault_point("build:bodies-done")
    if all(r.status == "failed" for r in results):
        write_log(results, options.log_dir, options.run_date)
        return results  # why: nothing to combine or publish; the caller keeps the published release as it is
    if options.progress:
        _status("combined package and metrics")
    clock = time.perf_counter()
    laps: dict[str, float] = {}
    combined.write(options.out_dir, [r.package for r in results if r.status != "failed"], options.run_date,
                   options.synthetic, options.license_id, previous=options.previous_dir, code=code,
                   words_dir=options.words_dir, parts_dir=options.parts_dir, zip_parts_dir=options.zip_parts_dir,
                   timings=laps)
    dcat.write(options.out_dir)
    fault_point("build:combined-written")
    manifest = {"run_date": options.run_date.isoformat(), "synthetic": options.synthetic,
                "status": Counter(r.status for r in results),
                "bodies": [r.public() for r in results]}
    (options.out_dir / "run.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                              encoding="utf-8")
    fault_point("build:run-json-written")
    write_log(results, options.log_dir, options.run_date)
    if options.progress:
        _status("")
    timings = {"combined_and_metrics": round(time.perf_counter() - clock, 4), **laps,
               "bodies": {r.package: r.timings for r in results}}
    (options.log_dir / f"timings-{options.run_date.isoformat()}.json").write_text(
        json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    return results


def summary(results: list[BodyResult]) -> list[str]:
    """One screen for cron and for people: a line per body, then the totals."""
    lines = []
    for r in results:
        rows = ", ".join(f"{k} {v:,}" for k, v in sorted(r.rows.items()))
        line = f"{r.status:<9} {r.package:<28} {rows}"
        if r.quarantined:
            line += f"; {r.quarantined} row(s) quarantined"
        for name, table in sorted(r.tables.items()):
            causes = ", ".join(f"{n} {c}" for c, n in list(table["causes"].items())[:3])
            line += (f"\n          {name}: {table['rows_in']} in, {table['published']} published, "
                     f"{table['quarantined']} quarantined" + (f" ({causes})" if causes else ""))
            if kept := ", ".join(f"{n} {c}" for c, n in list(table.get("kept", {}).items())[:3]):
                line += f"; published with a logged problem: {kept}"
        if r.status == "stale":
            line += f"; kept last good package of {r.last_good}"
        if r.error:
            line += f"\n          {r.error}"
        lines.append(line)
    counts = Counter(r.status for r in results)
    lines.append(", ".join(f"{counts[s]} {s}" for s in ("published", "stale", "failed") if counts[s])
                 + f" of {len(results)} bodies")
    return lines
