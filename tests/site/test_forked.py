"""The site's pages are made on every core: the same results, in job order, and the same site bytes."""

import os
from pathlib import Path

import pytest

from pipeline.site import forked
from pipeline.site.build import build_site

PACKAGES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "packages"


def _pid_and(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def test_results_come_back_in_job_order_from_other_processes() -> None:
    jobs = [lambda n=n: _pid_and(n) for n in range(40)]
    results = forked.run_all(jobs, workers=2)
    assert [square for _pid, square in results] == [n * n for n in range(40)]
    assert {pid for pid, _square in results} - {os.getpid()}, "no job ran in a forked worker"


def test_one_job_or_one_worker_run_in_this_process() -> None:
    one = [lambda: _pid_and(3)]
    assert forked.run_all(one, workers=2) == [(os.getpid(), 9)]
    many = [lambda n=n: _pid_and(n) for n in range(forked.MIN_JOBS * 2)]
    assert {pid for pid, _ in forked.run_all(many, workers=1)} == {os.getpid()}


class Broken(ValueError):
    pass


def _fails() -> None:
    raise Broken("page 3 could not be rendered")


def test_a_failing_job_raises_its_error_here() -> None:
    jobs = [lambda: None] * 10 + [_fails]
    with pytest.raises(Broken, match="page 3"):
        forked.run_all(jobs, workers=2)


def test_the_workers_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(forked.WORKERS_ENV, "3")
    assert forked.default_workers() == 3
    monkeypatch.setenv(forked.WORKERS_ENV, "none")
    assert forked.default_workers() >= 1


def test_the_site_is_the_same_bytes_made_by_one_process_or_three(tmp_path: Path) -> None:
    trees = []
    for workers in (1, 3):
        output = tmp_path / f"site-{workers}"
        ledgers: list = []
        build_site(PACKAGES, output, ledger_out=ledgers, workers=workers)
        assert ledgers[0].workers == workers and len(ledgers[0].rendered) > forked.MIN_JOBS
        trees.append({p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*"))
                      if p.is_file()})
    assert sorted(trees[0]) == sorted(trees[1])
    assert [name for name in trees[0] if trees[0][name] != trees[1][name]] == []
