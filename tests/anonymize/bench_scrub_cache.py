"""The anonymize stage on one body of the prefecture workload: no disk cache, cold cache, warm cache, and a
warm cache with 1 % of the free texts new (reported, not asserted).

The sample's free texts come from a few templates, so most rows repeat; `--unique` gives every case its own
description (place, landmark, problem, distance), as real resident texts are, to show the cache where it
matters.

Run: .venv/bin/python tests/anonymize/bench_scrub_cache.py [--code 352012] [--unique]
"""

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pipeline import adapter as adapters
from pipeline import anonymize, build
from pipeline.anonymize import DEMO_SECRET
from pipeline.gazetteer import load_places
from pipeline.paths import ADAPTERS
from pipeline.sample import write_sample
from pipeline.sample.generate import profile_for
from pipeline.sample.profiles import DESCRIPTIONS

YEARS = (2021, 2022, 2023, 2024, 2025)
SCALE = 6.7  # bench/run.py's prefecture workload
LANDMARKS = ("交差点", "バス停", "踏切", "公民館", "小学校", "歩道橋", "カーブ", "駐車場", "集会所", "橋")


def unique_descriptions(n: int, seed: int = 3) -> list[str]:
    """n distinct resident-like descriptions."""
    rng = random.Random(seed)
    towns = sorted(load_places()[0])
    problems = [t for ts in DESCRIPTIONS.values() for t in ts]
    return [f"{rng.choice(towns)}の{rng.choice(LANDMARKS)}から{rng.randint(1, 400)}mほど先、{rng.choice(problems)}"
            f"（{i}件目）" for i in range(n)]


def timed(run: Callable[[], object], rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", default="352012")
    parser.add_argument("--unique", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        write_sample(raw, (args.code,), YEARS, SCALE)
        known = {a.code: a for a in adapters.discover(ADAPTERS)}
        adapter = known.get(args.code) or adapters.standard(args.code, profile_for(args.code).slug)
        tables, _ = build.read_body(adapter, raw / adapter.package_name)
        cases = tables["cases"].frame
        if args.unique:
            cases["description"] = unique_descriptions(len(cases))
        texts = [*cases["description"], *cases["status_detail"]]
        if "actions" in tables:
            texts += list(tables["actions"].frame["note"])
        distinct = len({t for t in texts if isinstance(t, str) and t.strip()})
        print(f"body {adapter.package_name}: {len(cases)} cases, {len(texts)} free texts, {distinct} distinct")

        def run(cache_dir: Path | None) -> Callable[[], object]:
            settings = anonymize.Settings(secret=DEMO_SECRET, k=adapter.k, cache_dir=cache_dir)
            return lambda: anonymize.anonymize_body(tables, adapter, settings)

        print(f"no disk cache:      {timed(run(None)):6.2f} s (median of 3)")
        cold_dir = Path(tmp) / "cold"
        cold = []
        for i in range(3):
            folder = cold_dir / str(i)
            start = time.perf_counter()
            run(folder)()
            cold.append(time.perf_counter() - start)
        print(f"cold cache:         {statistics.median(cold):6.2f} s (median of 3, each into an empty folder)")
        size = (cold_dir / "0" / "scrub-cache.json").stat().st_size
        print(f"warm cache:         {timed(run(cold_dir / '0')):6.2f} s (median of 3); cache file {size / 1e6:.1f} MB")
        step = 100
        changed = cases["description"].copy()
        cases["description"] = [f"{t}。追記{i}" if i % step == 0 and isinstance(t, str) else t
                                 for i, t in enumerate(changed)]
        start = time.perf_counter()
        run(cold_dir / "0")()
        print(f"warm, 1 % new:      {time.perf_counter() - start:6.2f} s (one run; 1 in {step} descriptions changed)")
        cases["description"] = changed


if __name__ == "__main__":
    main()
