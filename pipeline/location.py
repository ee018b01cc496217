"""Location checks: a case's point must lie in the territory of the body that reports it.

- A point is checked against the body's municipal polygon (pipeline/reference/
  yamaguchi_municipalities_N03-21_s0010.geojson); a prefecture's body against all of its
  municipalities. The polygons are simplified to 1 %, which puts about 0.5 % of real coastal points
  just outside every polygon (reference/SOURCES.md): a point inside no polygon counts as inside the
  nearest one when that one is within TOLERANCE_M.
- A body with no polygon (a city outside Yamaguchi) is checked against the bounding box its adapter
  declares (`[location] bbox = [south, west, north, east]`), else only against Japan's extent.
- A pair that fits only when latitude and longitude are exchanged is reported as swapped and loses
  its location; it is never exchanged silently.

A point that fails loses its location (the row is kept) and is reported with file, row and the value
in the private quarantine log.
"""

import json
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import codes
from .ingest import ROW
from .paths import REFERENCE
from .problems import Problem

if TYPE_CHECKING:
    from .adapter import Adapter
    from .normalize import Normalized

BOUNDARIES = REFERENCE / "yamaguchi_municipalities_N03-21_s0010.geojson"
# why: the largest gap measured between a real coastal point and the 1 %-simplified outline is a few
# hundred metres; 1 km keeps every such point while a point in the next town or at sea far off fails.
TOLERANCE_M = 1000.0
JAPAN = (20.0, 122.0, 46.0, 154.0)  # south, west, north, east
_M_PER_DEG_LAT = 111_320.0
ROW_KEPT = "row kept"  # the end of the reason of a problem that is logged while its row is published
KEPT_REASON = f"location withheld, {ROW_KEPT}"


@dataclass(frozen=True)
class Territory:
    """Where a body's points may lie: its polygons (rings of lon/lat) or, failing that, a box."""

    code: str
    rings: tuple[tuple[np.ndarray, ...], ...]  # one tuple of rings (outer + holes) per polygon
    box: tuple[float, float, float, float] | None  # south, west, north, east
    kind: str  # "polygon", "bbox" or "japan"


@cache
def _features() -> tuple[tuple[str, tuple[tuple[np.ndarray, ...], ...]], ...]:
    """(6-digit code, polygons) of every municipality in the boundary file."""
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        code = codes.with_check_digit(str(feature["properties"]["N03_007"]))
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        out.append((code, tuple(tuple(np.asarray(ring, dtype=float) for ring in polygon) for polygon in polygons)))
    return tuple(out)


def municipality_polygons(code: str) -> tuple[tuple[np.ndarray, ...], ...]:
    """The polygons of a municipality, or of every municipality of a prefecture (code XX0001); () if none."""
    if code[2:5] == "000":
        return tuple(p for c, polygons in _features() if c[:2] == code[:2] for p in polygons)
    return tuple(p for c, polygons in _features() if c == code for p in polygons)


def declared_box(adapter_path: Path | None) -> tuple[float, float, float, float] | None:
    """`[location] bbox = [south, west, north, east]` of an adapter file, if it declares one."""
    if adapter_path is None or not adapter_path.is_file():
        return None
    raw = tomllib.loads(adapter_path.read_text(encoding="utf-8"))
    box = (raw.get("location") or {}).get("bbox")
    if not box:
        return None
    south, west, north, east = (float(v) for v in box)
    if not (south < north and west < east):
        raise ValueError(f"{adapter_path.name}: [location] bbox must be [south, west, north, east]")
    return south, west, north, east


def territory(code: str, adapter_path: Path | None = None) -> Territory:
    """The body's territory: its polygons if the boundary file has them, else its declared box."""
    rings = municipality_polygons(code)
    if rings:
        return Territory(code, rings, None, "polygon")
    box = declared_box(adapter_path)
    return Territory(code, (), box or JAPAN, "bbox" if box else "japan")


def _inside_ring(lat: np.ndarray, lon: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even-odd ray casting of points against one closed ring of (lon, lat)."""
    x0, y0 = ring[:-1, 0], ring[:-1, 1]
    x1, y1 = ring[1:, 0], ring[1:, 1]
    inside = np.zeros(len(lat), dtype=bool)
    for ax, ay, bx, by in zip(x0, y0, x1, y1, strict=True):
        crosses = (ay > lat) != (by > lat)
        if not crosses.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = ax + (lat - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (lon < x_at)
    return inside


def inside_polygons(lat: np.ndarray, lon: np.ndarray, polygons: tuple[tuple[np.ndarray, ...], ...]) -> np.ndarray:
    """For each point, whether it lies inside any of the polygons (each an outer ring and its holes)."""
    out = np.zeros(len(lat), dtype=bool)
    for polygon in polygons:
        box = polygon[0]
        near = (lat >= box[:, 1].min()) & (lat <= box[:, 1].max()) & (lon >= box[:, 0].min()) & (lon <= box[:, 0].max())
        if not near.any():
            continue
        idx = np.flatnonzero(near)
        hit = _inside_ring(lat[idx], lon[idx], polygon[0])
        for hole in polygon[1:]:
            hit &= ~_inside_ring(lat[idx], lon[idx], hole)
        out[idx[hit]] = True
    return out


def distance_m(lat: np.ndarray, lon: np.ndarray, polygons: tuple[tuple[np.ndarray, ...], ...]) -> np.ndarray:
    """Shortest distance in metres from each point to the polygons' edges (equirectangular, local)."""
    best = np.full(len(lat), np.inf)
    scale = np.cos(np.radians(lat))
    for polygon in polygons:
        for ring in polygon:
            ax, ay = ring[:-1, 0][None, :], ring[:-1, 1][None, :]
            bx, by = ring[1:, 0][None, :], ring[1:, 1][None, :]
            px, py = lon[:, None], lat[:, None]
            dx, dy = (bx - ax) * scale[:, None], by - ay
            qx, qy = (px - ax) * scale[:, None], py - ay
            length = dx * dx + dy * dy
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.clip(np.where(length > 0, (qx * dx + qy * dy) / length, 0.0), 0.0, 1.0)
            ex, ey = qx - t * dx, qy - t * dy
            best = np.minimum(best, np.sqrt(ex * ex + ey * ey).min(axis=1) * _M_PER_DEG_LAT)
    return best


def within(lat: np.ndarray, lon: np.ndarray, place: Territory) -> np.ndarray:
    """True where a point lies in the territory (polygons with the nearest-polygon tolerance, or box)."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    if place.kind != "polygon":
        south, west, north, east = place.box or JAPAN
        return (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
    inside = inside_polygons(lat, lon, place.rings)
    others = tuple(p for c, polygons in _features() if not _same_body(c, place.code) for p in polygons)
    rest = np.flatnonzero(~inside)
    if len(rest):
        in_other = inside_polygons(lat[rest], lon[rest], others) if others else np.zeros(len(rest), dtype=bool)
        candidates = rest[~in_other]
        if len(candidates):
            own = distance_m(lat[candidates], lon[candidates], place.rings)
            other = distance_m(lat[candidates], lon[candidates], others) if others else np.full(len(candidates), np.inf)
            inside[candidates[(own <= TOLERANCE_M) & (own <= other)]] = True
    return inside


def _same_body(code: str, body: str) -> bool:
    return code == body or (body[2:5] == "000" and code[:2] == body[:2])


@dataclass
class Checked:
    """A table whose failing points were emptied, and what was reported."""

    frame: pd.DataFrame
    problems: list[Problem]
    swapped: int = 0
    outside: int = 0


def check_points(frame: pd.DataFrame, place: Territory, file: str) -> Checked:
    """Points outside the territory (or given the wrong way round) lose their location, each reported.

    The row stays: only latitude and longitude are emptied. The problem names file, row, the value and
    what was wrong; its reason says that the location was withheld and the row kept."""
    if "latitude" not in frame.columns or frame.empty:
        return Checked(frame, [])
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    given = lat.notna() & lon.notna()
    idx = np.flatnonzero(given.to_numpy())
    ok = np.zeros(len(frame), dtype=bool)
    ok[idx] = within(lat.to_numpy()[idx], lon.to_numpy()[idx], place)
    bad = given.to_numpy() & ~ok
    bad_idx = np.flatnonzero(bad)
    swapped = np.zeros(len(frame), dtype=bool)
    if len(bad_idx):
        swapped[bad_idx] = within(lon.to_numpy()[bad_idx], lat.to_numpy()[bad_idx], place)
    where = {"polygon": "the body's boundary", "bbox": "the body's declared bounding box",
             "japan": "Japan"}[place.kind]
    problems = []
    for i in bad_idx.tolist():
        value = f"{frame['latitude'].iloc[i]},{frame['longitude'].iloc[i]}"
        what = (f"latitude and longitude are exchanged (the pair fits {where} only the other way round)"
                if swapped[i] else f"point outside {where} (tolerance {TOLERANCE_M:.0f} m)")
        reason = f"{what}; {KEPT_REASON}"
        problems.append(Problem(file, int(frame[ROW].iloc[i]) if ROW in frame.columns else None, "latitude",
                                value, reason))
    out = frame.copy()
    if bad.any():
        out.loc[bad, ["latitude", "longitude"]] = None
    return Checked(out, problems, int(swapped.sum()), int((bad & ~swapped).sum()))



def check_tables(tables: dict[str, "Normalized"], adapter: "Adapter") -> None:
    """Check the points of every table that has them, before the tables are normalized further.

    The failing points are emptied in place and their problems added to the table's problems; such a
    row is kept (see rejected_rows)."""
    place = territory(adapter.code, adapter.path)
    for resource, table in tables.items():
        if "latitude" not in table.frame.columns:
            continue
        checked = check_points(table.frame, place, adapter.sources[resource].file)
        table.frame = checked.frame
        table.problems = [*table.problems, *checked.problems]


def kept_rows(problems: list[Problem]) -> int:
    """Rows that lost only their location (they are published without one)."""
    return len({(p.file, p.row) for p in problems if p.reason.endswith(KEPT_REASON)})


def rejected_rows(tables: dict[str, "Normalized"]) -> int:
    """Rows quarantined (not published): every row with a problem other than one logged with its row kept."""
    return sum(len({p.row for p in t.problems if not p.reason.endswith(ROW_KEPT)}) for t in tables.values())
