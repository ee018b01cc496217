"""Run a site build's independent jobs (rendering a page, writing a body's files) on every core.

The workers are forked from the build's process once its contexts are built, so they inherit the loaded
packages, the template environment and the jobs themselves: nothing is pickled but each job's result.
Results come back in job order, so the build records them as a serial build would.

Example: run_all([lambda: 1, lambda: 2], workers=2) == [1, 2]
"""

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

R = TypeVar("R")
WORKERS_ENV = "MIERUKA_SITE_WORKERS"
# why: a pool costs a fork and its pipes (tens of milliseconds); one job gains nothing from it
MIN_JOBS = 2
_JOBS: Sequence[Callable[[], Any]] = ()


def default_workers() -> int:
    """$MIERUKA_SITE_WORKERS, else the cores this process may run on."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit() and int(configured) >= 1:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _run(index: int) -> Any:
    return _JOBS[index]()


def run_all(jobs: Sequence[Callable[[], R]], workers: int) -> list[R]:
    """[job() for job in jobs], run by up to `workers` forked processes (in this one when 1, or few jobs).

    A job's exception is raised here, as a serial run would raise it."""
    count = min(workers, len(jobs))
    if count <= 1 or len(jobs) < MIN_JOBS or "fork" not in multiprocessing.get_all_start_methods():
        return [job() for job in jobs]
    global _JOBS
    _JOBS = jobs
    try:
        # why: fork, not the body pool's forkserver: the jobs are closures over the build's loaded state.
        # The site process reads its packages with pandas' own CSV reader, and pyarrow (used by the
        # packages stage in the same process) resets its thread pools in a forked child.
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return pool.map(_run, range(len(jobs)), chunksize=1)
    finally:
        _JOBS = ()
