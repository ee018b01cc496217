"""One build of the synthetic sample (packages and site) shared by the format tests."""

from pathlib import Path

import pytest

from tests.formats.sample_build import build, sample


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
