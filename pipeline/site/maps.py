"""Maps for the portal: standalone HTML documents shown in an <iframe> on the ja and en pages.

- `prefecture_map(values, label, lang, asset_prefix)`: choropleth of Yamaguchi's 19 municipalities.
- `cases_map(cells, lang, asset_prefix)`: one municipality's cases counted per mesh cell, over its outline,
  from the package's cases table (one case a row, counted once in the cell it is published at; the
  `case_cells` resource, the same counts per fiscal year, cell and status, works too).

Both return one complete HTML document (`<html lang>`, `<title>`). The only third-party request a
map makes is for the GSI standard tiles (地理院タイル, cyberjapandata.gsi.go.jp). Leaflet itself is
self-hosted: `asset_prefix` is the relative URL of the site's vendor folder as seen from the page
that holds the map (e.g. "../static/vendor/"), and it must contain the `dist/` folders of the npm
packages pinned in package.json:

    <asset_prefix>leaflet/leaflet.js
    <asset_prefix>leaflet/leaflet.css
    <asset_prefix>leaflet/images/...                       (layers, marker icons)
    <asset_prefix>leaflet.markercluster/leaflet.markercluster.js
    <asset_prefix>leaflet.markercluster/MarkerCluster.css
    <asset_prefix>leaflet.markercluster/MarkerCluster.Default.css

The maps here load only the two leaflet/ files (cases are drawn as one canvas circle per mesh cell,
so MarkerCluster is not needed); the markercluster files belong to the same vendor layout.

Security: no municipal or resident text is placed in the document except through `script_json`
(see map_document.py); tooltips are built from counts and schema labels with `textContent`.
Town names are never shown. Output is byte-for-byte reproducible for the same input.
"""

import json
import logging
import math
from pathlib import Path
from typing import Any

import jismesh.utils as jm
import numpy as np
import pandas as pd

from .. import codes, portal, schema
from ..paths import REFERENCE
from . import map_scripts
from .map_document import (
    Document,
    Header,
    Script,
    VendoredMap,
    check_lang,
    gsi_tiles,
    render,
    translator,
)
from .mapcells import cell_counts, count_cells, status_codes
from .mapcells import column as _column
from .mapclasses import CLASS_COLOURS, class_colour, class_edges, class_rows, decimals_for, format_value

LOGGER = logging.getLogger(__name__)
BOUNDARIES = REFERENCE / "yamaguchi_municipalities_N03-21_s0010.geojson"
LG_CODES = REFERENCE / "yamaguchi_lg_codes.csv"

YAMAGUCHI_CENTRE = (34.2, 131.55)
PREFECTURE = portal.PREFECTURE  # the portal group's prefecture: configuration (pipeline/portal.py)

# ColorBrewer "Blues" (5 classes): sequential, readable in grey scale.
# Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
STATUS_COLOURS = {
    "received": "#0072B2",
    "in_progress": "#56B4E9",
    "completed": "#009E73",
    "declined": "#D55E00",
    "referred": "#CC79A7",
    "monitoring": "#E69F00",
}
UNKNOWN_COLOUR = "#7f7f7f"
SIZE_EXAMPLES = (3, 10, 50)



def texts(lang: str) -> dict[str, Any]:
    """The map texts in the page language, through the theme's gettext catalogue."""
    _ = translator(lang)
    return {
        "pref_title": _("%(label)s（山口県の市町別）"),
        "no_data": _("データなし"),
        "municipality": _("市町"),
        "sep": _("："),
        "cases_title": _("通報の位置（地域メッシュごとの件数）"),
        "colour": _("円の色：そのメッシュで最も多い対応状況"),
        "size": _("円の大きさ：件数"),
        # the count with its unit, for 1 and for more (%(n)s is the count)
        "unit": [_("%(n)s件（1件）"), _("%(n)s件")],
        "unknown": _("不明な状態"),
        "on_map": _("地図上の通報 %(n)s件（%(cells)sメッシュ）"),
        "unlocated": _("位置を公開していない通報 %(n)s件"),
        "generalized": _("位置は地域メッシュの中心に一般化しています（通報地点そのものではありません）"),
        "coarse": _("破線の四角：約10kmの2次メッシュ（近くの通報が少ないため粗くした位置）"),
        "period": _("対象：%(first)s〜%(last)s年度の全件"),
        "attribution": _("「国土数値情報（行政区域データ）」（国土交通省）をスマートニュース メディア研究所が"
                         "加工したものを、さらに加工して作成"),
        "cases_link": _("この場所の通報を一覧で見る"),
        "body_link": _("この団体の地図を開く"),
        "filtered": _("絞り込んだ条件の件数です"),
    }


def _unit(text: dict[str, Any], n: int) -> str:
    return str(text["unit"][0 if n == 1 else 1] % {"n": f"{n:,}"})


# ---------------------------------------------------------------- prefecture choropleth


def prefecture_map(values: dict[str, float | None], label: str, lang: str, asset_prefix: str,
                   boundaries: Path | None = None, facts: list[list[Any]] | None = None,
                   links: dict[str, str] | None = None) -> str:
    """{6-digit code: value or None}, measure label -> choropleth HTML document of the municipalities.

    `facts` ([code, fiscal year, category, status, count] rows) let the document recount the values for
    the category, status and period in its URL (?category=&status=&period=fy:YYYY); `links` gives a
    municipality's page (relative to the document) for its popup.
    """
    text = texts(lang)
    geojson = json.loads((boundaries or BOUNDARIES).read_text(encoding="utf-8"))
    clean = {str(k): _finite(v) for k, v in values.items()}
    names = municipality_names(lang)
    features = [(_feature_code(f), f) for f in geojson["features"]]
    unmatched = sorted(set(clean) - {code for code, _ in features} - {PREFECTURE})
    if unmatched:
        LOGGER.warning("prefecture map: no boundary for codes %s; their values are not shown", unmatched)
    present = [clean.get(code) for code, _ in features]
    edges = class_edges([v for v in present if v is not None])
    decimals = decimals_for([v for v in present if v is not None])
    title = text["pref_title"] % {"label": label}

    shapes = []
    table: dict[str, list[str]] = {}
    for (code, feature), value in zip(features, present, strict=True):
        name = names.get(code) or _geojson_name(feature, lang) or code
        shown = text["no_data"] if value is None else format_value(value, decimals)
        fill = None if value is None else class_colour(value, edges)
        properties = {"name": name, "text": shown, "fill": fill}
        if facts is not None:
            properties["code"] = code
        if links and code in links:
            properties["href"] = links[code]
        shapes.append({"type": "Feature", "geometry": _rounded(feature["geometry"]), "properties": properties})
        table[code] = [name, shown]

    payload = {
        "title": title,
        "label": label,
        "sep": text["sep"],
        "attribution": text["attribution"],
        "geojson": {"type": "FeatureCollection", "features": shapes},
        "legend": {"title": label, "rows": class_rows(edges, decimals, None in present, text),
                   "notes": []},
        "table": {"caption": title, "columns": [text["municipality"], label],
                  "rows": [table[c] for c in sorted(table)]},
    }
    if facts is not None:
        payload.update({"facts": facts, "no_data": text["no_data"], "classes": list(CLASS_COLOURS),
                        "link_text": text["body_link"], "filtered": text["filtered"]})
    return _document(lang, title, asset_prefix, YAMAGUCHI_CENTRE, 9, "Choropleth",
                     map_scripts.CHOROPLETH, payload)


def municipality_names(lang: str) -> dict[str, str]:
    """6-digit code -> municipality name in the page language, from the bundled code table."""
    frame = pd.read_csv(LG_CODES, dtype=str, keep_default_na=False)
    column = "name_ja" if check_lang(lang) == "ja" else "name_en_ascii"
    return dict(zip(frame["lg_code"], frame[column], strict=True))










def _feature_code(feature: dict[str, Any]) -> str:
    # why: N03_007 is the 5-digit code without the check digit; the portal keys on the 6-digit code.
    return codes.with_check_digit(str(feature["properties"]["N03_007"]))


def _geojson_name(feature: dict[str, Any], lang: str) -> str:
    return str(feature["properties"].get("N03_004") or "") if lang == "ja" else ""


def _finite(value: float | None) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    number = float(value)
    return number if math.isfinite(number) else None






def _rounded(geometry: Any) -> Any:
    # why: 5 decimals (about 1 m) is far below the 1 % simplification and halves the document size.
    if isinstance(geometry, float):
        return round(geometry, 5)
    if isinstance(geometry, list):
        return [_rounded(g) for g in geometry]
    if isinstance(geometry, dict):
        return {k: _rounded(v) for k, v in geometry.items()}
    return geometry


# ---------------------------------------------------------------- cases per mesh cell


def radius(count: int) -> float:
    """Circle radius in pixels for a cell with `count` cases (grows with the square root, capped)."""
    return round(min(30.0, 4.0 + 3.0 * math.sqrt(count)), 1)


def _bounds(code: str) -> list[float] | None:
    """[south, west, north, east] of a mesh cell, None for a code that is not one."""
    if not code.isdigit() or len(code) not in (6, 8, 9, 10):
        return None
    south, west = jm.to_meshpoint(int(code), 0.0, 0.0)
    north, east = jm.to_meshpoint(int(code), 1.0, 1.0)
    return [round(float(south), 6), round(float(west), 6), round(float(north), 6), round(float(east), 6)]


def _years(cells: pd.DataFrame) -> tuple[str, str] | None:
    years = sorted(y for y in _column(cells, "fiscal_year").dropna().astype(str).unique() if y.isdigit())
    return (years[0], years[-1]) if years else None


def cases_map(cells: pd.DataFrame, lang: str, asset_prefix: str, boundaries: Path | None = None,
              cases_url: str | None = None) -> str:
    """The body's cases (or case_cells) -> HTML document with one circle per mesh cell (a dashed square per 10 km cell).

    The outline of the municipality (from `municipality_code`; all 19 for the prefecture's code) is
    drawn under the circles, so the map is readable even where the tiles do not load. No count is
    withheld: each is a count of rows of the published cases table (docs/privacy.md), and every case
    is counted, in its cell or in the note of cases without one.
    """
    text = texts(lang)
    table, unlocated = count_cells(cells)
    statuses = status_codes()
    labels = [schema.label("cases", "status", s, lang) for s in statuses[:-1]] + [text["unknown"]]
    colours = [STATUS_COLOURS.get(s, UNKNOWN_COLOUR) for s in statuses]
    counts = table[statuses].to_numpy(dtype=np.int64)
    dominant = counts.argmax(axis=1) if len(table) else np.zeros(0, dtype=np.int64)
    payload_cells = []
    for lat, lon, total, dom, level, code, n in zip(table["latitude"].tolist(), table["longitude"].tolist(),
                                                    table["total"].tolist(), dominant.tolist(),
                                                    table["level"].tolist(), table["code"].tolist(),
                                                    counts.tolist(), strict=True):
        square = _bounds(code) if level == "second" else None
        payload_cells.append([lat, lon, int(total), int(dom), radius(int(total)), [int(x) for x in n], square,
                              str(code)])
    sums = counts.sum(axis=0).tolist() if len(table) else [0] * len(statuses)
    rows: list[dict[str, Any]] = [
        {"kind": "circle", "color": colours[i], "text": f"{labels[i]}{text['sep']}{sums[i]:,}"}
        for i in range(len(statuses)) if i < len(statuses) - 1 or sums[i] > 0
    ]
    rows += [{"kind": "size", "color": None, "size": round(2 * radius(n)), "text": _unit(text, n)}
             for n in SIZE_EXAMPLES]
    notes = [text["size"], text["on_map"] % {"n": f"{int(sum(sums)):,}", "cells": f"{len(table):,}"},
             text["unlocated"] % {"n": f"{unlocated:,}"}, text["generalized"]]
    if any(c[6] for c in payload_cells):
        notes.append(text["coarse"])
    years = _years(cells)
    if years:
        notes.insert(0, text["period"] % {"first": years[0], "last": years[1]})
    payload = {
        "title": text["cases_title"],
        "labels": labels,
        "colors": colours,
        "sep": text["sep"],
        "unit": text["unit"],
        "cells": payload_cells,
        "legend": {"title": text["colour"], "rows": rows, "notes": notes},
        "outline": _outline(cells, boundaries),
        "attribution": text["attribution"],
        "facts": cell_counts(cells).facts,  # the same count (mapcells keeps the last table's)
        "templates": {"on_map": text["on_map"], "unlocated": text["unlocated"], "filtered": text["filtered"]},
        "fixed_notes": [text["size"], *notes[notes.index(text["generalized"]):]],
        "codes": statuses,
        "cases_url": cases_url,
        "link_text": text["cases_link"],
    }
    centre = YAMAGUCHI_CENTRE
    if len(table):
        centre = (round(float(table["latitude"].mean()), 6), round(float(table["longitude"].mean()), 6))
    return _document(lang, text["cases_title"], asset_prefix, centre, 12, "CaseCells",
                     map_scripts.CELLS, payload)


def _outline(cases: pd.DataFrame, boundaries: Path | None) -> dict[str, Any] | None:
    """Boundaries of the bodies named in `municipality_code` (values not in the file are ignored)."""
    wanted = set(_column(cases, "municipality_code").dropna().unique().tolist())
    if not wanted:
        return None
    geojson = json.loads((boundaries or BOUNDARIES).read_text(encoding="utf-8"))
    shapes = [{"type": "Feature", "geometry": _rounded(f["geometry"]), "properties": {}}
              for f in geojson["features"] if PREFECTURE in wanted or _feature_code(f) in wanted]
    return {"type": "FeatureCollection", "features": shapes} if shapes else None


# ---------------------------------------------------------------- document


def _document(lang: str, title: str, asset_prefix: str, centre: tuple[float, float], zoom: int,
              name: str, script: str, payload: dict[str, Any]) -> str:
    document = Document(lang, title)
    fmap = VendoredMap(asset_prefix, centre, zoom)
    document.add_child(fmap)
    gsi_tiles(lang).add_to(fmap)
    Header("MierukaStyle", map_scripts.STYLE).add_to(fmap)
    Script("MierukaUi", map_scripts.UI, None).add_to(fmap)
    Script(name, script, payload).add_to(fmap)
    return render(document)
