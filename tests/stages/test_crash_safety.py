"""SIGKILL a real build at every named step of building and publishing (pipeline/faults.py): the
published packages and site are always a complete release, the previous one or the new one, once
the next build has recovered; and that next build publishes the new release.

Each kill comes at a named point the build reaches (MIERUKA_FAULT), never after a measured time,
so the outcome does not depend on how loaded the machine is.
"""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import faults, publish
from pipeline.sample import PILOT_CODES, SAMPLE_MARKER, write_sample
from pipeline.validate import validate_tree

ROOT = Path(__file__).parents[2]
OLD, NEW = "2026-04-05", "2026-04-06"
# Killed up to here, the previous release is what the next build finds (after its recovery step).
KEEPS_PREVIOUS = faults.BUILD_POINTS + faults.PUBLISH_POINTS[:faults.PUBLISH_POINTS.index("publish:journal-removed")]
# Killed up to here, the live folders were not touched at all (readers never saw a gap).
UNTOUCHED = (*faults.BUILD_POINTS, "publish:previous-cleared", "publish:journal-written")


@dataclass(frozen=True)
class Releases:
    raw: Path  # last night's exports with one case fewer for one body: that body is rebuilt
    previous: Path  # a copy of the release built from the original exports on OLD
    previous_digest: str
    new_digest: str  # the release an uninterrupted build on NEW publishes over the previous one


def _build(raw: Path, root: Path, date: str, fault: str | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(faults.ENV, None)
    if fault:
        env[faults.ENV] = fault
    command = [sys.executable, "-m", "pipeline.cli", "build", "--raw", str(raw), "--packages",
               str(root / "datapackages"), "--output", str(root / "output"), "--date", date]
    # why: the fault kills the whole process group; a session of its own keeps pytest out of it
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False, start_new_session=True)


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for folder in (root / "datapackages", root / "output"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _restore(releases: Releases, root: Path) -> None:
    """root holds the previous release live and nothing staged."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(releases.previous, root)


def _release(root: Path) -> publish.Release:
    return publish.Release(root / ".work" / "release", root / "datapackages", root / "output")


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    base = tmp_path_factory.mktemp("crash")
    original = base / "raw-original"
    write_sample(original, PILOT_CODES, scale=0.1)
    (original / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    previous = base / "previous"
    assert _build(original, previous, OLD).returncode == 0
    shutil.rmtree(previous / ".work")
    raw = base / "raw"
    shutil.copytree(original, raw)
    cases = raw / "352152_shunan" / "cases.csv"
    cases.write_text("".join(cases.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    reference = base / "reference"
    shutil.copytree(previous, reference)
    done = _build(raw, reference, NEW)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    new_digest = _digest(reference)
    assert json.loads((reference / "datapackages" / "run.json").read_text(encoding="utf-8"))["run_date"] == NEW
    assert all(r.valid for r in validate_tree(reference / "datapackages"))
    assert (reference / "output" / "index.html").is_file() and (reference / "output" / "en" / "index.html").is_file()
    releases = Releases(raw, previous, _digest(previous), new_digest)
    assert releases.previous_digest != releases.new_digest
    return releases


def test_the_points_are_named_once_and_in_order() -> None:
    assert len(set(faults.POINTS)) == len(faults.POINTS)
    assert faults.POINTS[-2:] == faults.RECOVER_POINTS


@pytest.mark.slow
@pytest.mark.parametrize("point", faults.BUILD_POINTS + faults.PUBLISH_POINTS)
def test_sigkill_at_each_step_leaves_a_complete_release(releases: Releases, tmp_path: Path, point: str) -> None:
    root = tmp_path / "site"
    _restore(releases, root)
    killed = _build(releases.raw, root, NEW, fault=point)
    assert killed.returncode == -signal.SIGKILL, f"the build never reached {point}: {killed.stderr.decode()[-2000:]}"
    if point in UNTOUCHED:
        assert _digest(root) == releases.previous_digest, "the live release changed before publishing began"
    publish.recover(_release(root))  # what the next build does first
    expected = releases.previous_digest if point in KEEPS_PREVIOUS else releases.new_digest
    assert _digest(root) == expected, "after recovery the live release is neither the previous one nor the new one"
    if point in KEEPS_PREVIOUS:  # and the next build publishes the same release an uninterrupted one did
        done = _build(releases.raw, root, NEW)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        assert _digest(root) == releases.new_digest


@pytest.mark.slow
def test_sigkill_during_recovery_is_recovered_by_the_next_build(releases: Releases, tmp_path: Path) -> None:
    root = tmp_path / "site"
    _restore(releases, root)
    # the publish is cut off half way: the new packages are live beside the previous site
    assert _build(releases.raw, root, NEW, fault="publish:swapped-datapackages").returncode == -signal.SIGKILL
    for point in faults.RECOVER_POINTS:  # then the next builds die while putting the previous release back
        killed = _build(releases.raw, root, NEW, fault=point)
        assert killed.returncode == -signal.SIGKILL, f"the build never reached {point}"
    assert publish.recover(_release(root)) in ("none", "restored")
    assert _digest(root) == releases.previous_digest
    done = _build(releases.raw, root, NEW)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert _digest(root) == releases.new_digest


def test_an_unset_or_unknown_fault_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(faults.ENV, raising=False)
    for point in faults.POINTS:
        faults.fault_point(point)  # this process (pytest) is still alive
    monkeypatch.setenv(faults.ENV, "publish:no-such-point")
    for point in faults.POINTS:
        faults.fault_point(point)
