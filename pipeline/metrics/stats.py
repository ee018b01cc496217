"""Grouped counts, shares and quantiles over integer group ids, with their intervals (numpy only)."""

from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054


def counts(groups: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Number (or weighted sum) of members per group id 0..size-1."""
    return np.bincount(groups, weights=weights, minlength=size).astype("float64")[:size]


def wilson(x: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Successes and trials -> (share, lower, upper) of the Wilson score interval; NaN where n = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
    empty = n <= 0
    p, lower, upper = (np.where(empty, np.nan, a) for a in (p, centre - half, centre + half))
    # why: rounding noise leaves a bound a hair off 0 or 1 when p is exactly 0 or 1.
    lower = np.where(x <= 0, 0.0, np.clip(lower, 0.0, 1.0))
    upper = np.where(x >= n, 1.0, np.clip(upper, 0.0, 1.0))
    return p, np.where(empty, np.nan, lower), np.where(empty, np.nan, upper)


@dataclass(frozen=True)
class Quantile:
    """Per-group quantile with its distribution-free interval; NaN where the group is empty."""

    n: np.ndarray
    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def quantiles(groups: np.ndarray, values: np.ndarray, size: int, qs: tuple[float, ...]) -> list[Quantile]:
    """Quantiles (linear interpolation, as numpy's default) of values per group, NaN values ignored.

    The interval uses order statistics: ranks nq -/+ z*sqrt(nq(1-q)), the normal approximation to the
    binomial, widened by half a rank each side (Conover), so it needs no resampling.
    """
    keep = ~np.isnan(values)
    g, v = groups[keep], values[keep]
    order = np.lexsort((v, g))
    g, v = g[order], v[order]
    n = np.bincount(g, minlength=size)[:size]
    start = np.cumsum(n) - n
    has = n > 0
    last = np.maximum(n - 1, 0)
    out = []
    for q in qs:
        pos = last * q
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, last)
        frac = pos - lo
        value = np.full(size, np.nan)
        a, b = v[start[has] + lo[has]], v[start[has] + hi[has]]
        value[has] = a + frac[has] * (b - a)
        spread = Z95 * np.sqrt(n * q * (1 - q))
        r_lo = np.clip(np.floor(n * q - spread + 0.5), 1, np.maximum(n, 1)).astype(int)
        r_hi = np.clip(np.ceil(n * q + spread + 0.5), 1, np.maximum(n, 1)).astype(int)
        lower, upper = np.full(size, np.nan), np.full(size, np.nan)
        lower[has] = v[start[has] + r_lo[has] - 1]
        upper[has] = v[start[has] + r_hi[has] - 1]
        out.append(Quantile(n=n.astype("float64"), value=value, lower=lower, upper=upper))
    return out


def means(groups: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(n, mean) of values per group, NaN values ignored; mean NaN where n = 0."""
    keep = ~np.isnan(values)
    n = counts(groups[keep], size)
    total = counts(groups[keep], size, values[keep])
    with np.errstate(divide="ignore", invalid="ignore"):
        return n, np.where(n > 0, total / n, np.nan)
