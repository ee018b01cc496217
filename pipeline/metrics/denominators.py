"""Denominators and context figures per body, period and year, each with its value, reference year and source.

A body's population is summed over its coverage (the municipalities whose territory its cases come from);
its road length, civil engineers, road-and-bridge spending and bridges are its own. All bodies together
count each covered municipality once and each body once, never twice. A figure that is unknown stays NaN
and its source says why ("not available: ..."), never 0.

Yearly figures (reference.yearly_figures()) are used for the period's own fiscal year, else the latest
earlier year, else the earliest year; without them, the single figure of the municipalities table.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .inputs import code, numbers, text

FIGURES = ("population", "road_km", "civil_engineers", "road_bridge_spending", "bridges_inspected",
           "bridges_need_repair")
# Summed over the body's coverage; the others describe the body's own roads, staff and budget.
COVERED = frozenset({"population"})
# why: the road length of fiscal year Y in the yearly file is the survey at the end of fiscal year Y-1.
AS_OF_MARCH = frozenset({"road_km"})
NOT_AVAILABLE = "not available"
_PREFECTURE_REASON = "都道府県の数値は出典（市町村の統計）にない / the source covers municipalities only"
_BODY_REASON = "出典にこの団体の数値がない / no figure for this body in the source"

Lookup = tuple[float, str, str]


@dataclass(frozen=True)
class Reference:
    """Where the figures come from: yearly rows, the municipalities table, coverage and sources."""

    municipalities: pd.DataFrame
    yearly: pd.DataFrame | None = None
    coverage: dict[str, tuple[str, ...]] | None = None
    sources: dict[str, str] | None = None

    @cached_property
    def lookup(self) -> Callable[[str, str, int], "Lookup"]:
        """make_lookup(self), made once per reference (every pass of a night shares it)."""
        return make_lookup(self)

    def covered(self, body: str, name: str) -> tuple[str, ...]:
        if name in COVERED and self.coverage and body in self.coverage:
            return tuple(dict.fromkeys(self.coverage[body]))
        return (body,)


def is_prefecture(local_code: str) -> bool:
    """Prefecture codes are XX000 plus the check digit (e.g. 350001)."""
    return len(local_code) == 6 and local_code[2:5] == "000"


def missing(local_code: str) -> Lookup:
    reason = _PREFECTURE_REASON if is_prefecture(local_code) else _BODY_REASON
    return np.nan, "", f"{NOT_AVAILABLE}: {reason}"


def make_lookup(ref: Reference) -> Callable[[str, str, int], Lookup]:
    """(code, figure, fiscal year) -> (value, reference year, source) of one municipality or body."""
    fixed = _fixed(ref.municipalities)
    yearly: dict[tuple[str, str], list[tuple[int, float]]] = {}
    if ref.yearly is not None and len(ref.yearly):
        years = ref.yearly["fiscal_year"].to_numpy(dtype="int64")
        codes = code(ref.yearly)
        for name in FIGURES:
            if name not in ref.yearly.columns:
                continue
            values = ref.yearly[name].to_numpy(dtype="float64")
            for c, y, v in zip(codes, years, values, strict=True):
                if not np.isnan(v):
                    yearly.setdefault((c, name), []).append((int(y), float(v)))
    sources = ref.sources or {}
    cache: dict[tuple[str, str, int], Lookup] = {}

    def lookup(local_code: str, name: str, fy: int) -> Lookup:
        key = (local_code, name, fy)
        if key not in cache:
            rows = sorted(yearly.get((local_code, name), []))
            if rows:
                earlier = [r for r in rows if r[0] <= fy]
                year, value = earlier[-1] if earlier else rows[0]
                when = f"{year}-03-31" if name in AS_OF_MARCH else f"FY{year}"
                cache[key] = (value, when, sources.get(name, ""))
            elif (local_code, name) in fixed:
                cache[key] = fixed[(local_code, name)]
            else:
                cache[key] = missing(local_code)
        return cache[key]

    return lookup


def _fixed(municipalities: pd.DataFrame) -> dict[tuple[str, str], Lookup]:
    """The municipalities table's single figure per body (value > 0), with its source text."""
    out: dict[tuple[str, str], Lookup] = {}
    if not len(municipalities):
        return out
    codes = code(municipalities)
    for name in FIGURES:
        if name not in municipalities.columns:
            continue
        values = numbers(municipalities, name)
        source_column = "road_source" if name == "road_km" else f"{name}_source"
        source = text(municipalities, source_column)
        for c, v, s in zip(codes, values, source, strict=True):
            if v > 0 and (c, name) not in out:
                out[(c, name)] = (float(v), "", s)
    return out


def combine(parts: list[Lookup], local_codes: list[str]) -> Lookup:
    """Several municipalities' figures -> their sum; NaN naming the unknown ones if any is unknown."""
    if not parts:
        return np.nan, "", f"{NOT_AVAILABLE}: no body with data"
    if len(parts) == 1:
        return parts[0]
    unknown = [c for c, p in zip(local_codes, parts, strict=True) if np.isnan(p[0])]
    if unknown:
        reasons = sorted({p[2].removeprefix(f"{NOT_AVAILABLE}: ") for p in parts if np.isnan(p[0])})
        return np.nan, "", f"{NOT_AVAILABLE} ({' '.join(unknown)}): {'; '.join(reasons)}"
    years = sorted({p[1] for p in parts if p[1]})
    sources = sorted({p[2] for p in parts if p[2]})
    return float(sum(p[0] for p in parts)), " ".join(years), "; ".join(sources)


def body_figure(ref: Reference, lookup: Callable[[str, str, int], Lookup], body: str, name: str,
                fy: int) -> Lookup:
    """One body's figure in fiscal year fy (summed over its coverage where the figure is covered)."""
    codes = list(ref.covered(body, name))
    return combine([lookup(c, name, fy) for c in codes], codes)


def all_bodies_figure(ref: Reference, lookup: Callable[[str, str, int], Lookup], bodies: list[str],
                      name: str, fy: int) -> Lookup:
    """All bodies with data together: each covered municipality (or each body) counted once."""
    if name in COVERED:
        codes = list(dict.fromkeys(c for b in bodies for c in ref.covered(b, name)))
        return combine([lookup(c, name, fy) for c in codes], codes)
    return combine([body_figure(ref, lookup, b, name, fy) for b in bodies], bodies)
