"""SIGKILL a real build at several moments: the published packages and site are always a complete
release (the previous one, or the new one), and the next build recovers and publishes."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import publish
from pipeline.sample import PILOT_CODES, SAMPLE_MARKER, write_sample
from pipeline.validate import validate_tree

ROOT = Path(__file__).parents[2]


def _command(raw: Path, root: Path, date: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "build", "--raw", str(raw), "--packages",
            str(root / "datapackages"), "--output", str(root / "output"), "--date", date]


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_a_complete_release(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_sample(raw, PILOT_CODES, scale=0.1)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(_command(raw, tmp_path, "2026-04-05"), cwd=ROOT, env=env, check=True, capture_output=True)
    before = (_digest(tmp_path / "datapackages"), _digest(tmp_path / "output"))
    start = time.perf_counter()
    subprocess.run(_command(raw, tmp_path / "timing", "2026-04-06"), cwd=ROOT, env=env, check=True,
                   capture_output=True)
    duration = time.perf_counter() - start
    release = publish.Release(tmp_path / ".work" / "release", tmp_path / "datapackages", tmp_path / "output")
    kept_previous = 0
    for fraction in (0.15, 0.4, 0.65, 0.85, 0.95, 1.0):
        process = subprocess.Popen(_command(raw, tmp_path, "2026-04-06"), cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        publish.recover(release)  # what the next build does first
        state = (_digest(tmp_path / "datapackages"), _digest(tmp_path / "output"))
        if state == before:
            kept_previous += 1
            continue
        # the kill came after the swap: the new release is complete and valid
        run = json.loads((tmp_path / "datapackages" / "run.json").read_text(encoding="utf-8"))
        assert run["run_date"] == "2026-04-06"
        assert all(r.valid for r in validate_tree(tmp_path / "datapackages"))
        assert (tmp_path / "output" / "index.html").is_file() and (tmp_path / "output" / "en" / "index.html").is_file()
        break
    assert kept_previous >= 1, "a kill early in the build must leave the previous release in place"
    # and a complete run afterwards publishes the new release
    subprocess.run(_command(raw, tmp_path, "2026-04-06"), cwd=ROOT, env=env, check=True, capture_output=True)
    run = json.loads((tmp_path / "datapackages" / "run.json").read_text(encoding="utf-8"))
    assert run["run_date"] == "2026-04-06"
