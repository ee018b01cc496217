"""Spare workers: processes a body's build starts beside its own, on a night with fewer bodies to build than
pool workers (one changed body leaves the other cores idle while its formats are written).

The processes come from a forkserver, a fresh single-threaded interpreter, as the pool's own do: forking a
worker whose pyarrow threads may hold locks can deadlock the child (pipeline/executor.py).
"""

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager


@contextmanager
def pool(count: int, preload: tuple[str, ...] = ()) -> Iterator[Executor | None]:
    """Up to `count` helper processes (modules in `preload` imported once); None when count is below one."""
    if count < 1:
        yield None
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    with ProcessPoolExecutor(count, context) as helpers:
        yield helpers
