"""Each pilot adapter's raw export round-trips to the canonical tables kept as golden files.

The four sample formats (one .xlsx workbook with title rows, CP932 CSV with era dates, Open311
requests.json with notes, the standard intake CSV) are written by the sample generator, read by
their adapters and published; the published CSVs must equal tests/golden/<package>/.
Regenerate after an intended change: MIERUKA_UPDATE_GOLDEN=1 pytest tests/stages/test_adapters_golden.py
"""

import os
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.sample import PILOT_CODES, SAMPLE_MARKER, write_sample

GOLDEN = Path(__file__).parents[1] / "golden"
PACKAGES = ("350001_yamaguchi", "352071_kudamatsu", "352101_hikari", "352152_shunan")
RESOURCES = ("cases", "actions", "contracts", "work_orders")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("golden")
    raw = root / "raw"
    write_sample(raw, PILOT_CODES, scale=0.04)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    assert main(["build", "--raw", str(raw), "--packages", str(root / "dp"), "--output", str(root / "out"),
                 "--no-site", "--date", "2026-04-05"]) == 0
    return root / "dp"


@pytest.mark.parametrize("name", PACKAGES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_adapter_output_equals_golden(published: Path, name: str, resource: str) -> None:
    actual = (published / name / f"{name.split('_')[0]}_{resource}.csv").read_text(encoding="utf-8")
    golden = GOLDEN / name / f"{resource}.csv"
    if os.environ.get("MIERUKA_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    assert actual.count("\n") > 1, "the sample should give rows for every resource"
    assert actual == expected, f"{name} {resource} differs from {golden}"
