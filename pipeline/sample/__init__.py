"""The bundled synthetic sample: realistic raw exports for the pilot bodies (or all 20)."""

import datetime as dt
import os
import shutil
from pathlib import Path

from .. import adapter as adapters
from ..paths import ADAPTERS
from .generate import generate, profile_for
from .writers import write

PILOT_CODES = ("350001", "352071", "352101", "352152")
SAMPLE_YEARS = (2023, 2024, 2025)
# why: the sample pretends the exports were taken on this date, so builds are reproducible.
EXPORT_DATE = "2026-04-05"
# why: a raw folder holding this file is synthetic: the build may use the public demo secret.
SAMPLE_MARKER = "SAMPLE.txt"


def write_sample(out: Path, codes: tuple[str, ...] = PILOT_CODES, years: tuple[int, ...] = SAMPLE_YEARS,
                 scale: float = 1.0, seed: int = 20260405) -> dict[str, list[Path]]:
    """Write each body's raw export into out/<code>_<slug>/; non-pilot bodies use the standard format."""
    known = {a.code: a for a in adapters.discover(ADAPTERS)}
    written: dict[str, list[Path]] = {}
    for code in codes:
        adapter = known.get(code)
        if adapter is None:
            adapter = adapters.standard(code, profile_for(code).slug)
        tables = generate(code, list(years), seed=seed, scale=scale)
        written[code] = write(adapter, tables, out / adapter.package_name)
    return written


def write_sample_folder(out: Path, all_bodies: bool, scale: float) -> None:
    """A fresh folder of sample raw exports (the pilot or all bodies), file times fixed, marked synthetic."""
    from ..reference import municipalities

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    codes = tuple(municipalities()["municipality_code"]) if all_bodies else PILOT_CODES
    write_sample(out, codes, scale=scale)
    # why: file times are published as export dates; the sample's are fixed so builds are identical.
    stamp = dt.datetime.fromisoformat(f"{EXPORT_DATE}T09:00:00+09:00").timestamp()
    for path in out.rglob("*"):
        os.utime(path, (stamp, stamp))
    (out / SAMPLE_MARKER).write_text(
        "Synthetic sample exports written by `mieruka sample`: not real reports.\n"
        "合成データ（mieruka sample が生成）：実在の通報ではありません。\n", encoding="utf-8")
