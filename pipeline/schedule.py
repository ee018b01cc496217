"""The order bodies are started in: the most expensive first, so the pool never waits on one late giant.

A body's expected cost is its build seconds on the latest night that built it (the private timings
logs, `<log_dir>/timings-<date>.json`). A body with no such night is estimated from its raw bytes,
counting a byte of a zipped Excel workbook (.xlsx, .xlsm) as XLSX_FACTOR bytes of text: the zip hides
the rows, and openpyxl reads a row several times slower than the CSV reader. The estimate is scaled
to seconds by the bodies that have both, so measured and estimated costs sort together.
"""

import datetime as dt
import json
import statistics
from pathlib import Path

# Measured on the 20-body sample (mieruka sample --all, serial build, 2 cores): CSV bodies took about
# 3.5 s per MB of raw export above a fixed 0.7 s, the prefecture's workbook 14.2 s per MB: 4 times more.
XLSX_FACTOR = 4.0
ZIPPED = (".xlsx", ".xlsm")
SECONDS_PER_BYTE = 3.5e-6
FIXED_SECONDS = 0.7
HISTORY_NIGHTS = 7  # timings logs looked back through for a body's last build


def last_seconds(log_dir: Path, run_date: dt.date) -> dict[str, float]:
    """Each package's build seconds on the latest night (up to run_date) that built it rather than reused it."""
    dated = [(night, path) for path in log_dir.glob("timings-*.json")
             if (night := _date(path)) is not None and night <= run_date]
    seconds: dict[str, float] = {}
    for _, path in sorted(dated, reverse=True)[:HISTORY_NIGHTS]:
        for name, spent in _body_seconds(path).items():
            if spent > 0:
                seconds.setdefault(name, spent)
    return seconds


def _body_seconds(path: Path) -> dict[str, float]:
    """Seconds per package in one timings log ({} for a damaged or foreign file: it only costs the estimate)."""
    try:
        bodies = json.loads(path.read_text(encoding="utf-8")).get("bodies", {})
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(bodies, dict):
        return {}
    return {str(name): float(sum(v for v in stages.values() if isinstance(v, int | float)))
            for name, stages in bodies.items() if isinstance(stages, dict)}


def _date(path: Path) -> dt.date | None:
    try:
        return dt.date.fromisoformat(path.stem.removeprefix("timings-"))
    except ValueError:
        return None


def estimate(folder: Path) -> float:
    """Expected seconds of a body never built before, from the bytes of its raw files."""
    if not folder.is_dir():
        return FIXED_SECONDS
    weighted = sum(p.stat().st_size * (XLSX_FACTOR if p.suffix.lower() in ZIPPED else 1.0)
                   for p in folder.rglob("*") if p.is_file())
    return FIXED_SECONDS + SECONDS_PER_BYTE * weighted


def expected_costs(bodies: list[tuple[str, Path]], log_dir: Path, run_date: dt.date) -> list[float]:
    """Expected seconds of each (package name, raw folder): last night's where known, else the scaled estimate."""
    history = last_seconds(log_dir, run_date)
    estimates = [estimate(folder) for _, folder in bodies]
    ratios = [history[name] / guess for (name, _), guess in zip(bodies, estimates, strict=True) if name in history]
    # why: this machine (or tonight's load) may be faster or slower than the one the rates were measured on
    scale = statistics.median(ratios) if ratios else 1.0
    return [history.get(name, guess * scale) for (name, _), guess in zip(bodies, estimates, strict=True)]
