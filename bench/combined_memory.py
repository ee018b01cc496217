"""The combined stage alone on a build's body packages: its seconds and memory, by the function running.

Usage: python bench/combined_memory.py RUN SCRATCH [--code DIR]

RUN is the output folder of a `--no-site` build (its `datapackages/` and `.work/`, as `make bench-national`
leaves them in bench-out/national/fraction-0.1); SCRATCH receives hard links to its body packages and a new
combined package. The stage (`combined.write`, with the run's kept word splits and database parts) runs in
this process while a thread samples its resident memory every 20 ms, labelled by the innermost watched
function running (the metrics' passes, the formats, the zip). The database is made in a thread beside them,
so a label's peak holds the database's memory of that moment too.

--code runs another checkout's pipeline (a git worktree of an older commit): two commits compared on the same
packages, alternated, is how performance.md's in-process figures were taken. Compare the published files of the
two SCRATCH folders with `cmp`.
"""

import argparse
import datetime as dt
import functools
import importlib
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# (module, function) watched; a function the checkout lacks is skipped
WATCHED = (
    ("pipeline.combined", "write_streamed"), ("pipeline.combined", "metric_parts"),
    ("pipeline.combined", "write_metrics"), ("pipeline.combined", "body_metrics"),
    ("pipeline.combined", "_reads_frame"), ("pipeline.combined", "_formats_and_zip"),
    ("pipeline.metrics.bodies", "_every_body"), ("pipeline.metrics.bodies", "read_inputs"),
    ("pipeline.metrics.bodies", "table_grid"), ("pipeline.metrics.bodies", "table_rows"),
    ("pipeline.metrics.bodies", "finish"), ("pipeline.metrics.bodies", "_body_rows"),
    ("pipeline.metrics.bodies", "_keep_all"), ("pipeline.metrics", "to_text"),
    ("pipeline.formats", "write_all"), ("pipeline.package", "write_resource"),
)


def rss_mb() -> float:
    """This process's resident memory (MB)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


class Phases:
    """The innermost watched function running, and per label: calls, seconds and the peak memory sampled."""

    def __init__(self) -> None:
        self.stack = ["(other)"]
        self.calls: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.peaks: dict[str, float] = {}
        self.running = True

    def sample(self) -> None:
        while self.running:
            label = self.stack[-1]
            self.peaks[label] = max(self.peaks.get(label, 0.0), rss_mb())
            time.sleep(0.02)

    def watch(self, module: Any, name: str) -> None:
        original = getattr(module, name, None)
        if original is None:
            return

        @functools.wraps(original)
        def watched(*args: Any, **kwargs: Any) -> Any:
            self.stack.append(name)
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.calls[name] = self.calls.get(name, 0) + 1
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
                self.stack.pop()

        setattr(module, name, watched)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=Path)
    parser.add_argument("scratch", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose pipeline runs (default: this one)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    combined = importlib.import_module("pipeline.combined")
    export_date = importlib.import_module("pipeline.sample").EXPORT_DATE
    packages = args.run / "datapackages"
    names = sorted(d.name for d in packages.iterdir()
                   if (d / "datapackage.json").is_file() and d.name != combined.NAME)
    shutil.rmtree(args.scratch, ignore_errors=True)
    for name in names:
        shutil.copytree(packages / name, args.scratch / name, copy_function=os.link)
    phases = Phases()
    for module, name in WATCHED:
        phases.watch(importlib.import_module(module), name)
    threading.Thread(target=phases.sample, daemon=True).start()
    work = args.run / ".work"
    start = time.perf_counter()
    combined.write(args.scratch, names, dt.date.fromisoformat(export_date), True, code="bench",
                   words_dir=work / "words-cache", parts_dir=work / "sqlite-parts",
                   zip_parts_dir=args.scratch / ".zip-parts")
    phases.running = False
    print(f"combined stage: {time.perf_counter() - start:.1f} s, "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB, {len(names)} bodies")
    print(f"{'function':<20} {'calls':>6} {'seconds':>9} {'peak MB':>9}")
    for label, peak in sorted(phases.peaks.items(), key=lambda item: -item[1]):
        print(f"{label:<20} {phases.calls.get(label, 0):>6} {phases.seconds.get(label, 0.0):>9.2f} {peak:>9,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
