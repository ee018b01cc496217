"""Run a command and sample the memory of its whole process tree (the command and every child).

RUSAGE_CHILDREN's max RSS is the largest single child, not what a process pool holds at once; this
sums the resident set of every live process of the tree every `interval` seconds and keeps the peak.
A sum of RSS counts shared pages (libraries, fork-shared memory) once per process, so it is an
upper bound of what the tree uses; it is what the memory targets are checked against.
"""

import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass(frozen=True)
class Finished:
    """A finished command: wall seconds, exit code, peak summed RSS of its tree, its stderr, and the samples
    (seconds since the start, summed RSS of the tree) the peak was taken from."""

    seconds: float
    returncode: int
    peak_bytes: int
    stderr: str
    samples: tuple[tuple[float, int], ...] = ()

    def peak_between(self, start: float, end: float) -> int:
        """Peak summed RSS of the samples taken from start to end seconds after the command started (0: none)."""
        return max((rss for t, rss in self.samples if start <= t <= end), default=0)


def tree_rss(root: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants now (processes that just ended count 0)."""
    total = 0
    try:
        members = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run(command: list[str], cwd: Path, interval: float = 0.1) -> Finished:
    """Run command to the end, sampling its tree's memory; stdout is discarded, stderr kept."""
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as child:
        root = psutil.Process(child.pid)
        samples: list[tuple[float, int]] = []
        stderr: list[str] = []
        reader = threading.Thread(target=lambda: stderr.append(child.stderr.read() if child.stderr else ""))
        reader.start()
        while child.poll() is None:
            samples.append((time.perf_counter() - start, tree_rss(root)))
            time.sleep(interval)
        reader.join()
    peak = max((rss for _, rss in samples), default=0)
    return Finished(time.perf_counter() - start, child.returncode, peak, "".join(stderr), tuple(samples))
