"""Map one function over many items: in this process, on a local process pool, or on a Dask cluster.

The executor is named by a string: `serial`, `process` (the default: one worker per core), or a
Dask scheduler address such as `tcp://scheduler:8786`. Results come back in item order whatever
order the items finish in, so the output never depends on the executor. An item whose call
raises gives back its exception in place of a result; the other items go on.
"""

import concurrent.futures as cf
import importlib.util
import multiprocessing
import os
import select
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar
from urllib.parse import urlsplit

SERIAL, PROCESS = "serial", "process"
DASK_SCHEMES = ("tcp", "tls")
CONNECT_TIMEOUT = 10  # seconds to reach a Dask scheduler before giving up
DASK_MISSING = "Dask is not installed: install mieruka with its dask extra (pip install 'mieruka[dask]')"

T = TypeVar("T")
R = TypeVar("R")
Outcome = Any  # R, or the BaseException the call raised
OnDone = Callable[[int, int], None]  # (item index, number of items finished so far)


class ExecutorError(ValueError):
    """An executor that cannot be used: an unknown name, a bad address, an unreachable scheduler."""


def check(value: str) -> str:
    """The executor name or address as given; ExecutorError saying what is wrong with it."""
    if value in (SERIAL, PROCESS):
        return value
    parts = urlsplit(value)
    if parts.scheme not in DASK_SCHEMES:
        raise ExecutorError(f"--executor {value!r}: use serial, process or a Dask scheduler address "
                            "such as tcp://scheduler:8786")
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or parts.path not in ("", "/"):
        raise ExecutorError(f"--executor {value!r}: a Dask scheduler address needs a host and a port, "
                            "as in tcp://scheduler:8786")
    if importlib.util.find_spec("distributed") is None:  # why: an extra; say so before any work is done
        raise ExecutorError(f"--executor {value!r}: {DASK_MISSING}")
    return value


def on_cluster(value: str) -> bool:
    """True when the executor is a Dask cluster (its workers may run on other machines)."""
    return value not in (SERIAL, PROCESS)


def check_workers(workers: int | None) -> int | None:
    """A worker count of at least one, or None for the default; ExecutorError otherwise."""
    if workers is not None and workers < 1:
        raise ExecutorError(f"--workers {workers}: needs at least one worker")
    return workers


def run_all(task: Callable[[T], R], items: Sequence[T], executor: str = PROCESS, workers: int | None = None,
            weights: Sequence[float] | None = None, on_done: OnDone | None = None) -> list[Outcome]:
    """[task(item) or its exception, ...] in item order; heavier items (by weight) are started first."""
    check(executor)
    check_workers(workers)
    order = sorted(range(len(items)), key=lambda i: -weights[i]) if weights is not None else list(range(len(items)))
    if not items:
        return []  # why: nothing to do starts no pool and contacts no scheduler
    if executor == SERIAL:
        return _serial(task, items, order, on_done)
    if executor == PROCESS:
        count = min(workers or _cores(), len(items))
        if count <= 1:
            # why: one worker is this process; starting a pool would only add its start-up time
            return _serial(task, items, order, on_done)
        return _process(task, items, order, count, on_done)
    return _dask(task, items, order, executor, on_done)


def spare_workers(executor: str, workers: int | None, jobs: int) -> int:
    """Pool workers left idle by this many jobs on a local process pool (0 for the serial and Dask executors)."""
    if executor != PROCESS or jobs < 1:
        return 0
    return max(0, (workers or _cores()) - jobs)


def _cores() -> int:
    """Cores this process may run on (a container's or taskset's limit, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _serial(task: Callable[[T], R], items: Sequence[T], order: list[int], on_done: OnDone | None) -> list[Outcome]:
    out: list[Outcome] = [None] * len(items)
    for done, index in enumerate(order, start=1):
        try:
            out[index] = task(items[index])
        except Exception as exc:  # noqa: BLE001  why: one item's failure is that item's outcome, not the run's
            out[index] = exc
        if on_done:
            on_done(index, done)
    return out


def _process(task: Callable[[T], R], items: Sequence[T], order: list[int], count: int,
             on_done: OnDone | None) -> list[Outcome]:
    # why: forking a parent whose pyarrow/jemalloc threads may hold locks can deadlock a child.
    # A forkserver is a fresh single-threaded process; preloading the task's module there makes
    # each worker start with its imports done instead of importing them again for every pool.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([task.__module__])
    out: list[Outcome] = [None] * len(items)
    done = 0
    parent = (os.getpid(),)
    others = set(multiprocessing.active_children())
    pool = cf.ProcessPoolExecutor(count, context, initializer=exit_with, initargs=parent)
    try:
        # why: submitting starts the workers, which takes seconds on a loaded machine; Ctrl+C then
        # must stop the run as well, so submission is inside the same guard as the wait
        futures = {pool.submit(task, items[i]): i for i in order}
        for future in cf.as_completed(futures):
            index = futures[future]
            out[index] = _outcome(future)
            if not isinstance(out[index], BrokenProcessPool) and on_done:
                done += 1
                on_done(index, done)
    except BaseException:
        # why: on Ctrl+C the run stops now: items not started are dropped and running ones ended
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in set(multiprocessing.active_children()) - others:
            worker.terminate()
        raise
    pool.shutdown(wait=True)
    # why: a worker that dies (killed, out of memory) breaks the whole pool and every item still
    # in it; each such item runs again in a process of its own, so only the one at fault fails.
    for index in (i for i in order if isinstance(out[i], BrokenProcessPool)):
        with cf.ProcessPoolExecutor(1, context, initializer=exit_with, initargs=parent) as solo:
            out[index] = _outcome(solo.submit(task, items[index]))
        if on_done:
            done += 1
            on_done(index, done)
    return out


def exit_with(parent: int) -> None:
    """Pool worker initializer: end this worker as soon as the process that started the pool ends.

    Without it, a run killed outright (SIGKILL, the out-of-memory killer, a scheduler's timeout)
    leaves its workers and their forkserver waiting for work forever, holding their memory."""
    try:
        handle: int | None = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # why: no pidfd before Linux 5.3 or outside Linux; poll instead
        handle = None
    threading.Thread(target=_watch, args=(parent, handle), daemon=True, name="mieruka-exit-with-parent").start()


def _watch(parent: int, handle: int | None) -> None:
    if handle is not None:
        select.select([handle], [], [])  # a pidfd turns readable when its process has ended
    else:
        while _alive(parent):
            time.sleep(1.0)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dask(task: Callable[[T], R], items: Sequence[T], order: list[int], address: str,
          on_done: OnDone | None) -> list[Outcome]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:
        raise ExecutorError(f"--executor {address}: {DASK_MISSING}") from exc
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT} s") from exc
    out: list[Outcome] = [None] * len(items)
    with client:
        # why: pure=False gives each call its own key, so a rerun never reuses a cached result
        futures = {client.submit(task, items[i], pure=False, priority=len(order) - rank): i
                   for rank, i in enumerate(order)}
        for done, future in enumerate(as_completed(list(futures), loop=client.loop), start=1):
            index = futures[future]
            out[index] = _outcome(future)
            future.release()
            if on_done:
                on_done(index, done)
    return out


def _outcome(future: Any) -> Outcome:
    """A finished future's result, or the exception its call raised (or that lost its worker)."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001  why: one item's failure is that item's outcome, not the run's
        return exc
