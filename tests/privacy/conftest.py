"""The bundled sample, built once for the privacy tests: raw exports, packages and site."""

from pathlib import Path

import pytest

from pipeline import audit
from pipeline.cli import main
from pipeline.sample import SAMPLE_MARKER, write_sample


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full bundled sample (scale 1) built into a temporary folder: raw/, datapackages/, output/."""
    root = tmp_path_factory.mktemp("privacy")
    raw = root / "raw"
    write_sample(raw)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    assert main(["build", "--raw", str(raw), "--packages", str(root / "datapackages"),
                 "--output", str(root / "output")]) == 0
    return root


@pytest.fixture(scope="session")
def raw_truth(sample_build: Path) -> dict[str, audit.Raw]:
    """What the attacker knows: every case's exact point and town, by pseudonym."""
    return audit.read_raw(sample_build / "raw")
