"""Executors: serial, a local process pool and a Dask cluster build byte-identical packages; one
body's failure inside a worker stays that body's; bad executors are usage errors."""

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import psutil
import pytest
from dask.distributed import LocalCluster

from pipeline import build, executor, spare
from pipeline.anonymize import DEMO_SECRET
from pipeline.cli import main
from pipeline.sample import PILOT_CODES, SAMPLE_MARKER, write_sample

SCALE = 0.15
DATE = "2026-04-05"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(root: Path, raw: Path, *extra: str) -> int:
    return main(["build", "--raw", str(raw), "--packages", str(root / "datapackages"),
                 "--output", str(root / "output"), "--no-site", "--date", DATE, *extra])


def _options(raw: Path, out: Path, how: str, previous: Path | None = None) -> build.Options:
    return build.Options(raw_dir=raw, out_dir=out, previous_dir=previous, log_dir=out.parent / "logs",
                         run_date=dt.date.fromisoformat(DATE), secret=DEMO_SECRET, synthetic=True,
                         executor=how, workers=2)


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("executor") / "raw"
    write_sample(folder, scale=SCALE)
    (folder / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def serial(raw: Path) -> Path:
    root = raw.parent / "serial"
    assert _build(root, raw, "--executor", "serial") == 0
    return root / "datapackages"


@pytest.mark.parametrize("how", ["process", "dask"])
def test_parallel_builds_are_byte_identical_to_the_serial_build(raw: Path, serial: Path, cluster: str, how: str,
                                                                tmp_path: Path) -> None:
    extra = ["--executor", cluster] if how == "dask" else ["--executor", "process", "--workers", "2"]
    assert _build(tmp_path, raw, *extra) == 0
    expected, got = _tree(serial), _tree(tmp_path / "datapackages")
    assert len(expected) > 40
    assert got.keys() == expected.keys()
    differ = [name for name in expected if got[name] != expected[name]]
    assert not differ, differ[:5]
    run = json.loads((tmp_path / "datapackages" / "run.json").read_text(encoding="utf-8"))
    assert [b["code"] for b in run["bodies"]] == sorted(PILOT_CODES)


@pytest.mark.parametrize("how", ["serial", "process", "dask"])
def test_results_come_back_in_item_order_with_each_failure_in_its_place(cluster: str, how: str) -> None:
    address = cluster if how == "dask" else how
    finished: list[int] = []
    out = executor.run_all(int, ["3", "x", "1", "2"], address, workers=2, weights=[1, 2, 3, 4],
                           on_done=lambda index, done: finished.append(index))
    assert out[0] == 3 and out[2] == 1 and out[3] == 2
    assert isinstance(out[1], ValueError) and "'x'" in str(out[1])
    assert sorted(finished) == [0, 1, 2, 3]


def _exit_on_die(value: str) -> str:
    """Ends its worker process abruptly (as the kernel's out-of-memory killer would) for "die"."""
    if value == "die":
        os._exit(9)
    return value


def test_a_worker_that_dies_fails_only_its_own_item() -> None:
    finished: list[int] = []
    out = executor.run_all(_exit_on_die, ["a", "die", "b", "c", "d"], "process", workers=2,
                           on_done=lambda index, done: finished.append(done))
    assert [out[i] for i in (0, 2, 3, 4)] == ["a", "b", "c", "d"]
    assert isinstance(out[1], BrokenProcessPool)
    assert finished == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("how", ["process", "dask"])
def test_a_body_that_raises_in_a_worker_fails_alone(raw: Path, cluster: str, how: str, tmp_path: Path) -> None:
    out = tmp_path / "datapackages"
    out.mkdir()
    (out / "352071_kudamatsu").write_text("in the way\n", encoding="utf-8")  # its package folder cannot be made
    results = build.run(_options(raw, out, cluster if how == "dask" else how))
    status = {r.code: r for r in results}
    assert status["352071"].status == "failed"
    assert status["352071"].error == "internal error while building: FileExistsError"
    assert "Traceback" in status["352071"].problems[0].reason
    assert {status[c].status for c in PILOT_CODES if c != "352071"} == {"published"}
    assert (out / "352152_shunan" / "datapackage.json").is_file()
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [b["status"] for b in run["bodies"]].count("published") == len(PILOT_CODES) - 1


def test_a_broken_export_on_a_cluster_keeps_its_last_good_package(raw: Path, serial: Path, cluster: str,
                                                                  tmp_path: Path) -> None:
    broken = tmp_path / "raw"
    shutil.copytree(raw, broken)
    (broken / "352152_shunan" / "cases.csv").write_bytes("壊れた".encode("utf-16"))
    shutil.copytree(serial, tmp_path / "datapackages")
    assert _build(tmp_path, broken, "--executor", cluster) == 1
    run = json.loads((tmp_path / "datapackages" / "run.json").read_text(encoding="utf-8"))
    status = {b["code"]: b for b in run["bodies"]}
    assert status["352152"]["status"] == "stale" and "UTF-16" in status["352152"]["error"]
    assert _tree(tmp_path / "datapackages" / "352152_shunan") == _tree(serial / "352152_shunan")


def test_a_worker_on_other_code_refuses_its_body(raw: Path, tmp_path: Path) -> None:
    adapter, folder = next(b for b in build.find_bodies(raw) if b[0].code == "352152")
    options = dataclasses.replace(_options(raw, tmp_path / "out", "tcp://127.0.0.1:8786"), code="0" * 64)
    job = build.BodyJob(adapter, folder, options, on_cluster=True)
    result = build.build_job(job)
    assert result.status == "failed" and "other mieruka code" in (result.error or "")
    assert not (tmp_path / "out").exists()


def test_unchanged_night_links_last_nights_files_and_contacts_no_scheduler(raw: Path, serial: Path,
                                                                           tmp_path: Path) -> None:
    out = tmp_path / "datapackages"
    # why: nothing listens on port 9 (discard); a night without changes must not need the scheduler
    results = build.run(_options(raw, out, "tcp://127.0.0.1:9", previous=serial))
    assert all(r.status == "published" and r.reused for r in results)
    for name in ("352152_shunan/352152_cases.csv", "350001_yamaguchi_all/350001_all_cases.csv"):
        assert (out / name).read_bytes() == (serial / name).read_bytes()
    assert (out / "352152_shunan" / "352152_cases.csv").samefile(serial / "352152_shunan" / "352152_cases.csv")
    assert _tree(out / "352071_kudamatsu") == _tree(serial / "352071_kudamatsu")


def test_one_changed_body_is_rebuilt_alone_and_matches_a_full_build(raw: Path, serial: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The changed body writes its Open311 files in a helper process (the pool's other worker is idle):
    the packages are the same bytes as a full build's."""
    changed = tmp_path / "raw"
    shutil.copytree(raw, changed)
    cases = changed / "352152_shunan" / "cases.csv"
    lines = cases.read_text(encoding="utf-8").splitlines(keepends=True)
    cases.write_text("".join(lines[:-1]), encoding="utf-8")
    started: list[int] = []
    real_pool = spare.pool

    @contextlib.contextmanager
    def counted(count: int, preload: tuple[str, ...] = ()) -> Iterator[Executor | None]:
        with real_pool(count, preload) as helpers:
            if helpers is not None:
                started.append(helpers.submit(os.getpid).result())
            yield helpers

    monkeypatch.setattr(spare, "pool", counted)
    night = build.run(_options(changed, tmp_path / "night" / "datapackages", "process", previous=serial))
    assert {r.code: r.reused for r in night} == {"350001": True, "352071": True, "352101": True, "352152": False}
    assert len(started) == 1 and started[0] != os.getpid()  # one helper, another process
    monkeypatch.setattr(spare, "pool", real_pool)
    full = build.run(_options(changed, tmp_path / "full" / "datapackages", "process"))
    assert [r.status for r in full] == ["published"] * len(PILOT_CODES)
    night_tree, full_tree = _tree(tmp_path / "night" / "datapackages"), _tree(tmp_path / "full" / "datapackages")
    night_tree.pop("run.json"), full_tree.pop("run.json")  # only the manifest's change counts differ
    assert {k: hashlib.sha256(v).hexdigest() for k, v in night_tree.items()} == \
        {k: hashlib.sha256(v).hexdigest() for k, v in full_tree.items()}


def test_spare_workers_are_the_pool_workers_the_jobs_leave_idle() -> None:
    assert executor.spare_workers("process", 4, 1) == 3
    assert executor.spare_workers("process", 2, 2) == 0
    assert executor.spare_workers("process", 2, 20) == 0
    assert executor.spare_workers("serial", 4, 1) == 0
    assert executor.spare_workers("tcp://127.0.0.1:8786", 4, 1) == 0
    assert executor.spare_workers("process", 4, 0) == 0


def test_bad_executors_are_usage_errors(raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    for bad in (["--executor", "threads"], ["--executor", "tcp://scheduler"], ["--executor", "http://h:8786"],
                ["--workers", "0"], ["--workers", "many"]):
        with pytest.raises(SystemExit) as caught:
            _build(tmp_path, raw, *bad)
        assert caught.value.code == 2, bad
    assert "Dask scheduler address" in capsys.readouterr().err
    monkeypatch.setattr(executor, "CONNECT_TIMEOUT", 2)
    assert _build(tmp_path, raw, "--executor", "tcp://127.0.0.1:9") == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert err.splitlines()[-1].startswith("mieruka: error: cannot reach") and "Traceback" not in err
    assert not (tmp_path / "datapackages").exists()


def test_a_cluster_without_the_dask_extra_is_a_usage_error(raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if mieruka[dask] were not installed
    with pytest.raises(SystemExit) as caught:
        _build(tmp_path, raw, "--executor", "tcp://127.0.0.1:9")
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "pip install 'mieruka[dask]'" in err and "Traceback" not in err
    assert not (tmp_path / "datapackages").exists()
    with pytest.raises(executor.ExecutorError, match=r"mieruka\[dask\]"):
        executor.run_all(int, ["1"], "tcp://127.0.0.1:9")
    assert executor.run_all(int, ["1", "2"], "serial") == [1, 2]  # the local executors need no Dask


def test_options_travel_to_workers_intact(raw: Path, tmp_path: Path) -> None:
    import pickle

    options = dataclasses.replace(_options(raw, tmp_path, "tcp://127.0.0.1:8786"), secret=b"s" * 32)
    adapter, folder = build.find_bodies(raw)[0]
    job = build.BodyJob(adapter, folder, options, on_cluster=True)
    assert pickle.loads(pickle.dumps(job)) == job


ROOT = Path(__file__).parents[2]
# why: bounds only for a run that is broken; a working one gets past them on events (markers, exits)
PATIENCE = 120


def _start_two_slow_items(folder: Path, **popen: object) -> tuple[subprocess.Popen[bytes], list[psutil.Process]]:
    """A run of four 60-second items on two pool workers, once both workers are inside an item: the run and
    every process it started (the forkserver, the workers), however slowly a loaded machine starts them."""
    (folder / "slow_item.py").write_text(
        "import pathlib, time\n\ndef work(n):\n    pathlib.Path(f'started-{n}').touch()\n    time.sleep(60)\n",
        encoding="utf-8")
    script = ("from pipeline import executor\nimport slow_item\n"
              "executor.run_all(slow_item.work, [1, 2, 3, 4], 'process', workers=2)\n")
    # why: the pipeline under test is this checkout's, whatever is installed in the environment
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}
    run = subprocess.Popen([sys.executable, "-c", script], cwd=folder, env=env, **popen)  # type: ignore[call-overload]
    deadline = time.monotonic() + PATIENCE
    while len(list(folder.glob("started-*"))) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(folder.glob("started-*"))) == 2, f"the workers did not start (exit {run.poll()})"
    return run, psutil.Process(run.pid).children(recursive=True)


def test_workers_end_when_a_killed_run_leaves_them(tmp_path: Path) -> None:
    run, left = _start_two_slow_items(tmp_path)
    assert len(left) >= 3  # the forkserver and two workers
    run.send_signal(signal.SIGKILL)
    run.wait()
    _gone, alive = psutil.wait_procs(left, timeout=PATIENCE)
    assert not alive, [p.cmdline()[:3] for p in alive]


def test_ctrl_c_stops_the_pool_at_once(tmp_path: Path) -> None:
    # why: the child gets the default SIGINT handling a terminal gives, in a session of its own
    with (tmp_path / "stderr.txt").open("wb") as stderr:
        run, left = _start_two_slow_items(tmp_path, start_new_session=True, stderr=stderr,
                                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl+C in a terminal sends
    try:
        # "at once": well before the 60-second items could have finished on their own
        assert run.wait(timeout=PATIENCE // 3) != 0
    finally:
        run.kill()
    _gone, alive = psutil.wait_procs(left, timeout=PATIENCE // 3)
    assert not alive
