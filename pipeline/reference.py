"""Reference data: the municipalities table (codes, names, denominators with their sources)."""

import json
import math
import unicodedata
from functools import cache
from typing import Any, cast

import pandas as pd

from . import codes, portal, schema
from .paths import REFERENCE

PREFECTURE = portal.PREFECTURE  # the portal group's prefecture: configuration (pipeline/portal.py)
_EARTH_RADIUS_KM = 6371.0088
POPULATION_SOURCE = "山口県推計人口 2024-10-01 (Yamaguchi prefecture estimate)"
INFRASTRUCTURE_FILE = "municipal_infrastructure_FY2020-2024.csv"
ENGLISH_NAMES_FILE = "cities_in_japan_2024_en.csv"
# The source of each yearly figure, as the metrics and the municipalities table name it.
YEARLY_SOURCES = {
    "population": "総務省 地方財政状況調査（人口） / MIC local public finance survey (population)",
    "road_km": "総務省 公共施設状況調経年比較表（市町村道実延長） / MIC public facilities survey "
    "(municipal road length)",
    "road_bridge_spending": "総務省 地方財政状況調査（道路橋りょう費） / MIC local public finance survey "
    "(roads and bridges)",
    "bridges_inspected": "国土交通省 道路メンテナンス年報 / MLIT road maintenance annual report",
    "bridges_need_repair": "国土交通省 道路メンテナンス年報 / MLIT road maintenance annual report",
}
# The yearly figures read from INFRASTRUCTURE_FILE: column there -> name here (road length in metres -> km).
YEARLY_COLUMNS = {
    "population": "population",
    "roadLengthM": "road_km",
    "road_bridge_expenditure_yen": "road_bridge_spending",
    "bridgesInspected": "bridges_inspected",
    "bridgesNeedRepair": "bridges_need_repair",
}
AREA_SOURCE = "国土数値情報 N03 2021 簡略化境界から算出（誤差約1%） / computed from simplified N03 boundaries (±1%)"


@cache
def boundaries() -> dict[str, Any]:
    """Municipal boundaries as GeoJSON, each feature with a 6-digit `code` property added."""
    data: dict[str, Any] = json.loads(
        (REFERENCE / "yamaguchi_municipalities_N03-21_s0010.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"]["code"] = codes.with_check_digit(feature["properties"]["N03_007"])
    return data


def _ring_area_km2(ring: list[list[float]]) -> float:
    # why: spherical excess of a lon/lat ring (the formula used by d3-geo and turf).
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total) * _EARTH_RADIUS_KM**2 / 2


def polygon_area_km2(geometry: dict[str, Any]) -> float:
    """Area of a GeoJSON (Multi)Polygon in km²; holes subtracted."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return sum(_ring_area_km2(p[0]) - sum(_ring_area_km2(h) for h in p[1:]) for p in polygons)


@cache
def yearly_figures() -> pd.DataFrame:
    """Yearly figures of every municipality: municipality_code (6 digits), fiscal_year and YEARLY_COLUMNS.

    road_km of fiscal year Y is the survey at the end of fiscal year Y-1 (31 March Y); empty cells are NaN."""
    raw = pd.read_csv(REFERENCE / INFRASTRUCTURE_FILE, dtype=str, keep_default_na=False)
    out = pd.DataFrame({
        "municipality_code": [codes.with_check_digit(c.zfill(5)) for c in raw["code"]],
        "fiscal_year": raw["fiscal_year"].astype(int),
    })
    for column, name in YEARLY_COLUMNS.items():
        out[name] = pd.to_numeric(raw[column], errors="coerce")
    out["road_km"] = out["road_km"] / 1000.0
    return out.sort_values(["municipality_code", "fiscal_year"]).reset_index(drop=True)


def coverage() -> dict[str, tuple[str, ...]]:
    """{code: codes of the municipalities its cases come from} as the adapters declare it."""
    from . import adapter

    return {a.code: a.coverage or (a.code,) for a in adapter.discover()}


def _latest_road(code: str) -> tuple[str, str]:
    """(road km, source) of a municipality's latest year in the yearly file; ("", "") when it has none."""
    rows = yearly_figures()
    mine = rows[(rows["municipality_code"] == code) & rows["road_km"].notna()]
    if mine.empty:
        return "", ""
    last = mine.iloc[-1]
    year = int(last["fiscal_year"])
    return f"{last['road_km']:.1f}", f"{YEARLY_SOURCES['road_km']} {year}-03-31"


def municipalities() -> pd.DataFrame:
    """The 20 bodies (prefecture + 19 municipalities) in the municipalities schema (a copy: the caller may change
    it)."""
    return _municipalities().copy()


@cache
def _municipalities() -> pd.DataFrame:
    """municipalities(), read once per process (every body, the combined package and the catalogue read it)."""
    lg = pd.read_csv(REFERENCE / "yamaguchi_lg_codes.csv", dtype=str, keep_default_na=False)
    eng = pd.read_csv(REFERENCE / "yamaguchi_civil_engineers.csv", dtype=str, keep_default_na=False)
    own = pd.read_csv(REFERENCE / "denominators.csv", dtype=str, keep_default_na=False)
    areas = {f["properties"]["code"]: polygon_area_km2(f["geometry"]) for f in boundaries()["features"]}
    engineers = eng.set_index("code")
    supplied = own.set_index("municipality_code")
    rows = []
    for r in lg.itertuples(index=False):
        code = str(r.lg_code)
        # why: denominators.csv holds one row a code, so .loc gives that row as a Series
        given = cast(pd.Series, supplied.loc[code]) if code in supplied.index else None
        area = areas.get(code)
        if code == PREFECTURE:
            area = sum(areas.values())
        rows.append({
            "municipality_code": code,
            "name_ja": r.name_ja,
            "name_kana": r.name_kana_hiragana,
            "name_en": r.name_en_ascii,
            "kind": r.kind,
            "prefecture_code": PREFECTURE,
            "population": r.population_20241001_estimate,
            "population_source": POPULATION_SOURCE,
            "area_km2": _given(given, "area_km2") or (f"{area:.1f}" if area else ""),
            "area_source": _given(given, "area_source") or (AREA_SOURCE if area else ""),
            "road_km": _given(given, "road_km") or _latest_road(code)[0],
            "road_source": _given(given, "road_source") or _latest_road(code)[1],
            "civil_engineers": engineers.at[code, "civil_engineers"] if code in engineers.index else "",
            "civil_engineers_source": _engineer_source(engineers, code),
            "office_latitude": r.office_lat,
            "office_longitude": r.office_lng,
            "url": r.official_url,
        })
    frame = pd.DataFrame(rows, columns=schema.field_names("municipalities"))
    return frame.sort_values("municipality_code").reset_index(drop=True)


def _given(row: pd.Series | None, column: str) -> str:
    return "" if row is None else str(row[column]).strip()


def _engineer_source(engineers: pd.DataFrame, code: str) -> str:
    if code not in engineers.index:
        return ""
    if engineers.at[code, "figure_source"] == "prefectural_hearing":
        return "県ヒアリング 2023-04-01 (prefectural hearing)"
    return "総務省 地方公共団体定員管理調査 2023-04-01 (MIC staffing survey)"


@cache
def national_names() -> dict[str, dict[str, str]]:
    """code -> {"ja", "en"} of every municipality of Japan: the Japanese name from the yearly file, the English one
    (ASCII, "" where the list has none) from the list of cities in Japan."""
    raw = pd.read_csv(REFERENCE / INFRASTRUCTURE_FILE, dtype=str, keep_default_na=False, usecols=["code", "name"])
    listed = pd.read_csv(REFERENCE / ENGLISH_NAMES_FILE, dtype=str, keep_default_na=False)
    english = {str(r.id): _ascii(str(r.city_en)) for r in listed.itertuples(index=False) if not r.special_district_ja}
    return {codes.with_check_digit(c.zfill(5)): {"ja": name, "en": english.get(c.zfill(5), "")}
            for c, name in zip(raw["code"], raw["name"], strict=True)}


def _ascii(text: str) -> str:
    """'Chūō' -> 'Chuo': the macrons dropped, as the English names of the bundled Yamaguchi list are written."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def names() -> dict[str, dict[str, str]]:
    """code -> {"ja", "en", "kana"} for every body."""
    frame = _municipalities()
    return {str(r.municipality_code): {"ja": str(r.name_ja), "en": str(r.name_en), "kana": str(r.name_kana)}
            for r in frame.itertuples(index=False)}
