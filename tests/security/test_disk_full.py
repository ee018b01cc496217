"""A full disk: `mieruka build` stops with one clear line, exit 1, and the live release is untouched.

The packages, site and work folders sit on a small tmpfs mounted in a private mount namespace
(`unshare -m` as root, `unshare -rm` as a user); see disk_full_scenario.py.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.sample import SAMPLE_MARKER, write_sample

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).parent / "disk_full_scenario.py"
SIZE = "160m"  # a small release (about 40 MB with every format) fits, and a much bigger one next to it


def _namespace() -> list[str]:
    """The command prefix that gives a private mount namespace where `mount -t tmpfs` works."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    prefixes = [["unshare", "-m"]] if os.geteuid() == 0 else []
    prefixes.append(["unshare", "-rm"])
    for prefix in prefixes:
        probe = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null || "
                                "mount -t tmpfs -o size=1m tmpfs \"$HOME\""], capture_output=True, check=False)
        if probe.returncode == 0:
            return prefix
    pytest.skip("cannot mount a tmpfs here: neither `unshare -m` (root) nor `unshare -rm` (user namespaces) works")


def _raw(folder: Path, scale: float) -> Path:
    write_sample(folder, ("352152",), scale=scale)
    (folder / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    return folder


def _scenario(tmp_path: Path, leave: str, next_scale: float) -> dict[str, object]:
    raw, raw2 = _raw(tmp_path / "raw", 0.1), _raw(tmp_path / "raw2", next_scale)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [*_namespace(), sys.executable, str(SCENARIO), str(tmp_path / "root"), str(raw), SIZE, leave, str(raw2)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, encoding="utf-8", errors="replace",
                          check=False, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize(("leave", "next_scale", "message"), [
    ("0", 0.1, "not enough free disk space for a new release"),  # refused before anything is written
    ("+524288", 1.5, "No space left on device"),  # starts, and the disk fills while the bigger export is built
])
def test_full_disk_stops_the_build_and_keeps_the_live_release(tmp_path: Path, leave: str, next_scale: float,
                                                              message: str) -> None:
    result = _scenario(tmp_path, leave, next_scale)
    assert result["first"] == 0, result["first_stderr"]
    lines = [line for line in str(result["full_stderr"]).splitlines() if not line.startswith("mieruka: synthetic")]
    assert len(lines) == 1, result["full_stderr"]
    assert "disk is full" in lines[0] and message in lines[0] and "nothing was published" in lines[0], lines[0]
    assert "Traceback" not in str(result["full_stderr"]) + str(result["full_stdout"])
    assert result["full"] == 1
    assert result["after"] == result["before"], "the live packages and site are byte-identical"
    assert result["again"] == 0, result["again_stderr"]
    assert result["again_run_date"] == "2026-04-06"
