"""The atheris harnesses run in the suite for a bounded number of inputs, so CI exercises them.

Long runs (10 minutes each) are made with fuzz_for.py; what they found is recorded below. A promise with
an open finding is left out of the bounded run (MIERUKA_FUZZ_KNOWN) and pinned by a strict xfail test,
which starts failing once the finding is fixed: then drop it from KNOWN_SCRUB_FINDINGS.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.scrub import scrub

pytest.importorskip("atheris", reason="atheris is installed with the dev extras on Linux, Python < 3.13")

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
# Open scrubber findings of the atheris run (a second scrub changes the text: pipeline.scrub promises not).
KNOWN_SCRUB_FINDINGS = "idempotence"


def _fuzz(harness: str, runs: int, tmp_path: Path, env: dict[str, str] | None = None) -> str:
    corpus = tmp_path / "corpus"
    shutil.copytree(HERE / "fuzz_seeds" / harness.removeprefix("fuzz_"), corpus)
    done = subprocess.run(
        [sys.executable, str(HERE / f"{harness}.py"), f"-runs={runs}", "-seed=20260405", "-max_len=4096",
         f"-artifact_prefix={tmp_path}/", str(corpus)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, capture_output=True,
        encoding="utf-8", errors="replace", check=False, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Done {runs} runs" in done.stderr
    return done.stderr


@pytest.mark.slow
def test_ingest_harness_bounded_run(tmp_path: Path) -> None:
    _fuzz("fuzz_ingest", 400, tmp_path)


@pytest.mark.slow
def test_scrub_harness_bounded_run(tmp_path: Path) -> None:
    _fuzz("fuzz_scrub", 2000, tmp_path, {"MIERUKA_FUZZ_KNOWN": KNOWN_SCRUB_FINDINGS})


def test_scrub_harness_catches_the_known_finding() -> None:
    """The harness's check does fail on a recorded finding (it is not a check that cannot fail)."""
    done = subprocess.run([sys.executable, str(HERE / "fuzz_scrub.py"),
                           str(HERE / "fuzz_seeds" / "known" / "scrub_idempotence.bin")],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "MIERUKA_FUZZ_KNOWN": ""},
                          capture_output=True, encoding="utf-8", errors="replace", check=False, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode != 0 and "AssertionError: ('066666666u6666'" in output, output[-2000:]


@pytest.mark.xfail(strict=True, reason="scrubber finding: a 4-digit number next to a placeholder is read as a "
                                       "phone number only on the second pass")
@pytest.mark.parametrize("text", ["066666666u6666", "+783858*085--\x7f0"])
def test_scrub_is_idempotent_on_fuzzer_findings(text: str) -> None:
    once = scrub(text).text
    assert scrub(once).text == once
