"""Throughput of pipeline.scrub on typical complaint sentences (reported, not asserted).

Run: .venv/bin/python tests/anonymize/bench_scrub.py [n] [--cpu]
(--cpu: median CPU time instead of wall-clock time, on the typical sentences and on n/2 unique descriptions;
steadier when other work shares the cores.)
"""

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.sample.profiles import DESCRIPTIONS, GIVEN, STAFF_NOTES, SURNAMES
from pipeline.scrub import scrub

EXTRA = ("{s}様宅の前の{t}。連絡は0834-22-{a}まで", "{t}。{s}さんの家の横です", "岐山通{b}丁目{c}番{a}号付近で{t}",
         "{t}。返事はuser{a}@example.jpへお願いします", "{t}。車両山口 {a3} あ {b}{c}-{a2}が停まっている",
         "{s}{g}です。{t}。携帯090 {a} {a}", "{t}（{b}件目）", "{t}。令和7年{b}月{c}日に確認")


def sentences(n: int, seed: int = 1) -> list[str]:
    """n distinct-ish typical sentences: ~90% plain complaints and notes, ~10% with personal data."""
    rng = random.Random(seed)
    plain = [t for ts in DESCRIPTIONS.values() for t in ts] + [t for ts in STAFF_NOTES.values() for t in ts]
    out = []
    for i in range(n):
        t = rng.choice(plain)
        if rng.random() < 0.1:
            t = rng.choice(EXTRA).format(s=rng.choice(SURNAMES), g=rng.choice(GIVEN), t=t, a=rng.randint(1000, 9999),
                                         a2=rng.randint(10, 99), a3=rng.randint(300, 599), b=rng.randint(1, 9),
                                         c=rng.randint(1, 30))
        else:
            t = f"{t}。{rng.choice(plain)}" if i % 3 == 0 else t
        out.append(t)
    return out


def _median(texts: list[str], clock: Callable[[], float]) -> tuple[float, list[float]]:
    times = []
    for _ in range(3):
        start = clock()
        for text in texts:
            scrub(text)
        times.append(clock() - start)
    return statistics.median(times), times


def main() -> None:
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(numbers[0]) if numbers else 100_000
    if "--cpu" in sys.argv:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_scrub_cache import unique_descriptions

        for name, texts in (("typical sentences", sentences(n)), ("unique descriptions", unique_descriptions(n // 2))):
            median, _times = _median(texts, time.process_time)
            print(f"{len(texts)} {name}, median CPU time of 3 runs: {median:.2f} s = {len(texts) / median:,.0f}/s")
        return
    median, times = _median(sentences(n), time.perf_counter)
    print(f"{n} sentences, median of 3 runs: {median:.2f} s = {n / median:,.0f} sentences/s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
