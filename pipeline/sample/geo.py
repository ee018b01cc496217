"""Plausible synthetic locations: points inside a body's boundary, grouped into towns."""

import random
from typing import Any

import numpy as np

from .. import reference

PILOT_CITIES = ("352071", "352101", "352152")


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


class _Ring:
    """A ring's bounding box and edges as arrays: _inside() for one point, vectorized over the edges."""

    def __init__(self, ring: list[list[float]]) -> None:
        points = np.asarray(ring, dtype=np.float64)
        following = np.roll(points, -1, axis=0)  # why: the same edges as zip(ring, ring[1:] + ring[:1])
        self.x1, self.y1 = points[:, 0], points[:, 1]
        self.y2 = following[:, 1]
        self.dx, self.dy = following[:, 0] - self.x1, self.y2 - self.y1
        self.box = (float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()),
                    float(points[:, 1].max()))

    def contains(self, x: float, y: float) -> bool:
        """_inside((x, y), ring) with the same floating-point operations, edge by edge."""
        x0, y0, x1, y1 = self.box
        if not (x0 <= x < x1 and y0 <= y < y1):
            return False  # why: outside the box no edge is crossed an odd number of times
        crossing = (self.y1 > y) != (self.y2 > y)
        at = self.dx[crossing] * (y - self.y1[crossing]) / self.dy[crossing] + self.x1[crossing]
        return bool(np.count_nonzero(x < at) % 2)


def _polygons(code: str) -> list[list[list[float]]]:
    features = reference.boundaries()["features"]
    wanted = PILOT_CITIES if code == "350001" else (code,)
    rings: list[list[list[float]]] = []
    for feature in features:
        if feature["properties"]["code"] in wanted:
            geometry: dict[str, Any] = feature["geometry"]
            polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            rings.extend(p[0] for p in polys)
    if not rings:
        # why: only Yamaguchi's boundaries are bundled; a body elsewhere (the national benchmark shape)
        # borrows the outline of one Yamaguchi city, chosen by its code, so its points stay realistic.
        local = sorted({f["properties"]["code"] for f in features})
        return _polygons(local[int(code) % len(local)])
    return rings


class Sampler:
    """Random points inside a body; each point belongs to the town whose seed point is nearest."""

    def __init__(self, code: str, towns: tuple[str, ...], rng: random.Random) -> None:
        self.rng = rng
        self.rings = _polygons(code)
        xs = [p[0] for r in self.rings for p in r]
        ys = [p[1] for r in self.rings for p in r]
        self.box = (min(xs), min(ys), max(xs), max(ys))
        self.edges = [_Ring(r) for r in self.rings]
        self.towns = [(t, self._raw_point()) for t in towns]

    def _raw_point(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        for _ in range(1000):
            p = (self.rng.uniform(x0, x1), self.rng.uniform(y0, y1))
            if self._inside_any(p):
                return p
        raise RuntimeError("no point found inside the boundary")

    def _inside_any(self, p: tuple[float, float]) -> bool:
        return any(ring.contains(p[0], p[1]) for ring in self.edges)

    def point(self) -> tuple[float, float, str, str]:
        """(lat, lon, town, fictitious street address) of a new case."""
        # why: reports cluster along roads near town centres, not uniformly over mountains.
        town, centre = self.rng.choice(self.towns)
        for _ in range(50):
            p = (centre[0] + self.rng.gauss(0, 0.012), centre[1] + self.rng.gauss(0, 0.009))
            if self._inside_any(p):
                break
        else:
            p = centre
        name = town.split(" ")[-1]
        address = f"{name}{self.rng.randint(1, 5)}丁目{self.rng.randint(1, 30)}番{self.rng.randint(1, 20)}号"
        return p[1], p[0], town.split(" ")[-1], address
