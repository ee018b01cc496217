"""nightly.run: a site build that fails for any reason publishes nothing and leaves the live release."""

import datetime as dt
from pathlib import Path

import pytest

from pipeline import nightly
from pipeline.sample import SAMPLE_MARKER, write_sample


def _request(raw: Path, root: Path, no_site: bool) -> nightly.Request:
    return nightly.Request(raw=raw, packages=root / "datapackages", output=root / "output",
                           run_date=dt.date(2026, 4, 5), site_url="", no_site=no_site, license_id="CC-BY-4.0",
                           executor="serial", workers=None, adapters=None)


def test_a_failed_site_build_publishes_nothing_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    write_sample(raw, ("352152",), scale=0.05)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    root = tmp_path / "www"
    assert nightly.run(_request(raw, root, no_site=True)) == nightly.EXIT_OK
    live = _live(root)
    assert "datapackages/352152_shunan/datapackage.json" in live

    def broken_site(*_args: object, **_kwargs: object) -> None:
        raise KeyError("a defect in the site code")  # not an OSError: any defect must be caught

    monkeypatch.setattr("pipeline.site.build.build_site", broken_site)
    capsys.readouterr()
    assert nightly.run(_request(raw, root, no_site=False)) == nightly.EXIT_SOME_FAILED
    err = capsys.readouterr().err
    assert "the site build failed (KeyError: 'a defect in the site code'); nothing was published" in err
    assert _live(root) == live  # the same files with the same bytes; no site appeared


def _live(root: Path) -> dict[str, bytes]:
    """The published release: every file of datapackages/ and output/ with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for folder in ("datapackages", "output")
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


def test_a_first_night_on_which_every_body_fails_publishes_nothing_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MIERUKA_SECRET", "a test secret of more than sixteen bytes")
    raw = tmp_path / "raw"
    (raw / "352152_shunan").mkdir(parents=True)
    (raw / "352152_shunan" / "cases.csv").write_bytes("壊れた".encode("utf-16"))
    root = tmp_path / "www"
    assert nightly.run(_request(raw, root, no_site=False)) == nightly.EXIT_SOME_FAILED
    out = capsys.readouterr().out
    assert "cases.csv: file is UTF-16" in out and "nothing published: every body failed" in out
    assert not (root / "datapackages").exists() and not (root / "output").exists()


def test_a_raw_folder_without_bodies_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIERUKA_SECRET", "a test secret of more than sixteen bytes")
    (tmp_path / "raw").mkdir()
    with pytest.raises(nightly.UsageError, match="no body's exports in"):
        nightly.run(_request(tmp_path / "raw", tmp_path / "www", no_site=True))


def test_a_misnamed_raw_folder_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    write_sample(raw, ("352152",), scale=0.05)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    (raw / "999999_typo").mkdir()
    (raw / ".hidden").mkdir()
    root = tmp_path / "www"
    assert nightly.run(_request(raw, root, no_site=True)) == nightly.EXIT_SOME_FAILED
    out = capsys.readouterr().out
    assert "raw folder 999999_typo: code '999999' is not a valid local government code" in out
    assert "hidden" not in out
    assert "datapackages/352152_shunan/datapackage.json" in _live(root), "the other body is published"


def test_a_broken_adapter_on_a_later_night_fails_alone_and_keeps_the_last_good_package(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import dataclasses
    import json
    import shutil

    from pipeline.adapter import ADAPTERS

    raw = tmp_path / "raw"
    write_sample(raw, ("352152", "352071"), scale=0.05)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    adapters = tmp_path / "adapters"
    shutil.copytree(ADAPTERS, adapters)
    root = tmp_path / "www"
    request = dataclasses.replace(_request(raw, root, no_site=True), adapters=adapters)
    assert nightly.run(request) == nightly.EXIT_OK
    kudamatsu = adapters / "352071_kudamatsu.toml"
    kudamatsu.write_text(kudamatsu.read_text(encoding="utf-8") + "\nunknown_key = 1\n", encoding="utf-8")
    capsys.readouterr()
    assert nightly.run(request) == nightly.EXIT_SOME_FAILED
    assert "adapter not usable" in capsys.readouterr().out
    run = json.loads((root / "datapackages" / "run.json").read_text(encoding="utf-8"))
    status = {b["code"]: b["status"] for b in run["bodies"]}
    assert status == {"352071": "stale", "352152": "published"}, "the failed body keeps its package"
    assert (root / "datapackages" / "352071_kudamatsu" / "datapackage.json").is_file()
