"""Run an atheris harness for a fixed time, restarting it after each finding, and summarize.

libFuzzer stops at the first failing input; this keeps going on the grown corpus until the time is
spent, so one long run reports every distinct finding. One process at a time (one core).

    .venv/bin/python tests/security/fuzz_for.py tests/security/fuzz_scrub.py 600 /tmp/fuzz/scrub
"""

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
_EXECS = re.compile(r"^#(\d+)\s", re.M)
_FAILURE = re.compile(r"^(\w*Error|\w*Exception): (.*)$", re.M)


def run_for(harness: Path, seconds: float, work: Path) -> dict[str, object]:
    """Fuzz `harness` for `seconds`; corpus and failing inputs go under `work`."""
    corpus, artifacts = work / "corpus", work / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    if not corpus.exists():
        shutil.copytree(HERE / "fuzz_seeds" / harness.stem.removeprefix("fuzz_"), corpus)
    executions, findings, started = 0, [], time.monotonic()
    while (left := seconds - (time.monotonic() - started)) > 1:
        done = subprocess.run(
            [sys.executable, str(harness), f"-max_total_time={int(left)}", "-max_len=8192",
             f"-artifact_prefix={artifacts}/", str(corpus)],
            capture_output=True, encoding="utf-8", errors="replace", check=False)
        counts = [int(n) for n in _EXECS.findall(done.stderr)]
        executions += max(counts, default=0)
        if done.returncode != 0:
            failure = _FAILURE.findall(done.stderr)
            findings.append(failure[-1][0] + ": " + failure[-1][1][:300] if failure else done.stderr[-500:])
    return {"harness": harness.name, "seconds": round(time.monotonic() - started), "executions": executions,
            "findings": findings, "corpus": len(list(corpus.iterdir()))}


if __name__ == "__main__":
    summary = run_for(Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3]))
    print(f"{summary['harness']}: {summary['executions']} executions in {summary['seconds']} s, "
          f"corpus {summary['corpus']} inputs, {len(summary['findings'])} finding(s)")
    for finding in summary["findings"]:
        print("  -", finding)
