"""`python -m pipeline.audit` with a folder that does not exist: a usage error naming it, exit 2."""

from pathlib import Path

import pytest

from pipeline import audit


@pytest.mark.parametrize("option", ["--raw", "--packages", "--site"])
def test_a_missing_folder_is_a_usage_error(option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folders = {"--raw": tmp_path, "--packages": tmp_path, "--site": tmp_path}
    folders[option] = tmp_path / "missing"
    argv = [part for name, folder in folders.items() for part in (name, str(folder))]
    with pytest.raises(SystemExit) as stop:
        audit.main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"{option}: folder not found: {tmp_path / 'missing'}" in err
    assert "Traceback" not in err
