"""Helpers of the format tests: a sample of the raw exports and a build of it."""

from pathlib import Path

from pipeline.cli import main
from pipeline.sample import SAMPLE_MARKER, write_sample

SCALE = 0.3


def build(root: Path, raw: Path, *extra: str) -> int:
    """`mieruka build` of raw into root/datapackages and root/output (serial: the test machine is small)."""
    return main(["build", "--raw", str(raw), "--packages", str(root / "datapackages"),
                 "--output", str(root / "output"), "--executor", "serial", *extra])


def sample(raw: Path) -> Path:
    write_sample(raw, scale=SCALE)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    return raw
