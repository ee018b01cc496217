"""Atomic publish: a crash at any point leaves a complete previous (or complete new) release."""

from pathlib import Path

import pytest

from pipeline import publish


def _release(tmp_path: Path) -> publish.Release:
    release = publish.Release(tmp_path / "work", tmp_path / "datapackages", tmp_path / "output")
    release.live_packages.mkdir()
    (release.live_packages / "README.md").write_text("kept\n")
    (release.live_packages / "pkg.csv").write_text("old\n")
    release.live_output.mkdir()
    (release.live_output / "index.html").write_text("old\n")
    return release


def _stage(release: publish.Release) -> None:
    publish.prepare(release)
    (release.packages / "pkg.csv").write_text("new\n")
    (release.output / "index.html").write_text("new\n")


def _state(release: publish.Release) -> tuple[str, str]:
    return ((release.live_packages / "pkg.csv").read_text(), (release.live_output / "index.html").read_text())


def test_publish_swaps_both_and_keeps_readme(tmp_path: Path) -> None:
    release = _release(tmp_path)
    _stage(release)
    publish.publish(release)
    assert _state(release) == ("new\n", "new\n")
    assert (release.live_packages / "README.md").read_text() == "kept\n"
    assert not release.journal.exists()
    assert not (release.work / "previous").exists()


@pytest.mark.parametrize("crash_at", [1, 2, 3, 4])
def test_crash_during_swap_is_rolled_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_at: int) -> None:
    release = _release(tmp_path)
    _stage(release)
    calls = {"n": 0}
    real_replace = Path.replace

    def replace(self: Path, target: Path) -> Path:
        calls["n"] += 1
        if calls["n"] == crash_at:
            raise KeyboardInterrupt("power cut")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        publish.publish(release)
    monkeypatch.setattr(Path, "replace", real_replace)
    assert publish.recover(release) == "restored"
    assert _state(release) == ("old\n", "old\n")
    # the next night publishes normally
    _stage(release)
    publish.publish(release)
    assert _state(release) == ("new\n", "new\n")


def test_crash_while_building_leaves_live_untouched(tmp_path: Path) -> None:
    release = _release(tmp_path)
    _stage(release)  # the build dies here, before publish: nothing live has moved
    assert _state(release) == ("old\n", "old\n")
    assert publish.recover(release) == "none"
    publish.prepare(release)
    assert list(release.packages.iterdir()) == []


def test_first_publish_without_live_folders(tmp_path: Path) -> None:
    release = publish.Release(tmp_path / "work", tmp_path / "dp", tmp_path / "out")
    _stage(release)
    publish.publish(release)
    assert _state(release) == ("new\n", "new\n")
