"""One build of the synthetic sample (packages and site) shared by the format tests."""

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.sample import SAMPLE_MARKER, write_sample

SCALE = 0.3


def build(root: Path, raw: Path, *extra: str) -> int:
    return main(["build", "--raw", str(raw), "--packages", str(root / "datapackages"),
                 "--output", str(root / "output"), "--executor", "serial", *extra])


def sample(raw: Path) -> Path:
    write_sample(raw, scale=SCALE)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    return raw


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Root with raw/, datapackages/ and output/ of one sample build."""
    root = tmp_path_factory.mktemp("formats")
    assert build(root, sample(root / "raw")) == 0
    return root


@pytest.fixture(scope="session")
def packages(built: Path) -> Path:
    return built / "datapackages"


@pytest.fixture(scope="session")
def bodies(packages: Path) -> list[Path]:
    """The body package folders (not the combined one)."""
    return sorted(p for p in packages.iterdir() if (p / "datapackage.json").is_file() and not p.name.endswith("_all"))
