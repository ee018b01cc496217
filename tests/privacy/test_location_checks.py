"""Location checks: a point outside its body loses its location and is reported; a swapped pair is
reported, never exchanged; the boundary polygons' simplification is forgiven within the tolerance."""

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import location
from pipeline.ingest import ROW

TOKYO_STATION = (35.681236, 139.767125)
KUDAMATSU_STATION = (34.0155, 131.8703)
SHUNAN_STATION = (34.0526, 131.8063)


def _frame(points: list[tuple[float, float]]) -> pd.DataFrame:
    return pd.DataFrame({ROW: range(2, 2 + len(points)), "latitude": [str(p[0]) for p in points],
                         "longitude": [str(p[1]) for p in points]})


def test_a_kudamatsu_case_at_tokyo_station_loses_its_location() -> None:
    checked = location.check_points(_frame([KUDAMATSU_STATION, TOKYO_STATION]), location.territory("352071"),
                                    "cases.csv")
    assert checked.frame["latitude"].tolist()[0] == str(KUDAMATSU_STATION[0])
    assert checked.frame["latitude"].isna().tolist() == [False, True]
    assert checked.outside == 1 and checked.swapped == 0
    (problem,) = checked.problems
    assert (problem.file, problem.row, problem.column) == ("cases.csv", 3, "latitude")
    assert problem.value == f"{TOKYO_STATION[0]},{TOKYO_STATION[1]}"
    assert "outside the body's boundary" in problem.reason and problem.reason.endswith(location.KEPT_REASON)


def test_a_point_in_the_neighbouring_city_is_outside() -> None:
    checked = location.check_points(_frame([SHUNAN_STATION]), location.territory("352071"), "cases.csv")
    assert checked.outside == 1


def test_a_swapped_pair_is_reported_not_fixed() -> None:
    swapped = (KUDAMATSU_STATION[1], KUDAMATSU_STATION[0])
    checked = location.check_points(_frame([swapped]), location.territory("352071"), "cases.csv")
    assert checked.swapped == 1 and checked.frame["latitude"].isna().all()
    assert "exchanged" in checked.problems[0].reason


def test_the_prefecture_takes_any_of_its_municipalities() -> None:
    inside = location.within(np.array([KUDAMATSU_STATION[0], SHUNAN_STATION[0], TOKYO_STATION[0]]),
                             np.array([KUDAMATSU_STATION[1], SHUNAN_STATION[1], TOKYO_STATION[1]]),
                             location.territory("350001"))
    assert inside.tolist() == [True, True, False]


def test_a_coastal_point_just_outside_the_simplified_outline_is_kept() -> None:
    """Points 300 m off Kudamatsu's simplified outline, inside no polygon, are kept (tolerance 1 km); 3 km off not."""
    place = location.territory("352071")
    vertices = np.concatenate([r[0] for r in place.rings])
    others = location.territory("352152").rings + location.territory("352101").rings
    far_from_others = location.distance_m(vertices[:, 1], vertices[:, 0], others)
    vertex = vertices[int(np.argmax(far_from_others))]  # a coastal vertex, far from the neighbours
    checked = 0
    for d_lat, d_lon in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        for metres, kept in ((300, True), (3000, False)):
            lat = np.array([vertex[1] + d_lat * metres / 111_320])
            lon = np.array([vertex[0] + d_lon * metres / (111_320 * np.cos(np.radians(vertex[1])))])
            if location.inside_polygons(lat, lon, location.municipality_polygons("350001")).any():
                continue  # on land: not the case this test is about
            if not kept and location.distance_m(lat, lon, place.rings)[0] <= location.TOLERANCE_M:
                continue
            assert location.within(lat, lon, place).tolist() == [kept], (d_lat, d_lon, metres)
            checked += 1
    assert checked >= 2


def test_a_body_without_a_polygon_uses_its_declared_box(tmp_path: Path) -> None:
    adapter = tmp_path / "170003_chicago.toml"  # a code outside Yamaguchi's boundary file
    adapter.write_text("[location]\nbbox = [41.64, -87.94, 42.03, -87.52]\n", encoding="utf-8")
    place = location.territory("170003", adapter)
    assert place.kind == "bbox"
    inside = location.within(np.array([41.88, 40.71]), np.array([-87.63, -74.0]), place)
    assert inside.tolist() == [True, False]  # Chicago's Loop in, Manhattan out
    assert location.territory("170003", tmp_path / "missing.toml").kind == "japan"


def test_sample_build_reports_no_point_outside(sample_build: Path) -> None:
    quarantine = next((sample_build / ".work" / "logs").glob("quarantine-*.csv"))
    log = pd.read_csv(quarantine, dtype=str, keep_default_na=False)
    assert not log["reason"].str.endswith(location.KEPT_REASON).any()


REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"


def _safemap_points() -> pd.DataFrame:
    """Every point of Shunan's real FY2023 school-district safety maps (mixed encodings, see SOURCES.md)."""
    import io

    frames = []
    for path in sorted((REAL / "shunan_safemap_R5").glob("*.csv")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp932")
        frame = pd.read_csv(io.StringIO(text))
        frames.append(frame[["緯度", "経度"]].apply(pd.to_numeric, errors="coerce").dropna())
    return pd.concat(frames, ignore_index=True)


def test_real_shunan_points_are_in_shunan_and_not_in_kudamatsu() -> None:
    points = _safemap_points()
    assert len(points) == 269
    lat, lon = points["緯度"].to_numpy(), points["経度"].to_numpy()
    assert location.within(lat, lon, location.territory("352152")).all()
    assert not location.within(lat, lon, location.territory("352071")).any()
    swapped = location.check_points(_frame(list(zip(lon[:5], lat[:5], strict=True))), location.territory("352152"),
                                    "safemap.csv")
    assert swapped.swapped == 5


def test_real_open311_points_against_a_declared_box(tmp_path: Path) -> None:
    """Chicago's real Open311 requests lie in Chicago's box; Hoboken's real tickets do not."""
    import json

    chicago = json.loads((REAL / "open311" / "chicago_open311_v2_with_notes_50.json").read_text(encoding="utf-8"))
    hoboken = pd.read_csv(REAL / "open311" / "hoboken_publicstuff_311_20190521.csv")
    adapter = tmp_path / "170003_chicago.toml"
    adapter.write_text("[location]\nbbox = [41.64, -87.94, 42.03, -87.52]\n", encoding="utf-8")
    place = location.territory("170003", adapter)
    lat = np.array([float(r["lat"]) for r in chicago])
    lon = np.array([float(r["long"]) for r in chicago])
    assert location.within(lat, lon, place).all()
    h_lat = pd.to_numeric(hoboken["Latitude"], errors="coerce").dropna().to_numpy()
    h_lon = pd.to_numeric(hoboken["Longitude"], errors="coerce").dropna().to_numpy()
    assert len(h_lat) and not location.within(h_lat, h_lon, place).any()
