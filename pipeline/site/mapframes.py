"""The map pages (maps/<code>.html, maps/prefecture.html) and the map documents they show in an <iframe>.

A map page has the site's header, navigation, language switch and footer, a title, filters for category,
status and fiscal year whose state is the page's query string (a shareable link), the map document
(maps/frame/<code>.html, from pipeline.site.maps) and a table twin listing the same cells. The counts are
counts of published rows (the cases table grouped by its published cell, category, status and fiscal
year: docs/privacy.md), so none is withheld and no place finer than a published cell appears.

why: the maps module is developed separately; without it (or without one of its functions) the
pages simply show their tables and no map.
"""

import functools
import importlib
import logging
from collections.abc import Callable
from typing import Any

import pandas as pd

from pipeline import schema

from .map_document import translator
from .pages import Page

LOGGER = logging.getLogger(__name__)
FRAMES = "maps/frame/"


def map_function(name: str) -> Callable[..., Any] | None:
    """pipeline.site.maps.<name>, or None when the module or the function is not there."""
    try:
        module = importlib.import_module("pipeline.site.maps")
    except ImportError:
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None


def available() -> dict[str, bool]:
    return {name: map_function(name) is not None for name in ("prefecture_map", "cases_map")}


def is_prefecture(code: str) -> bool:
    """Prefectures' own codes are XX0001; they have no municipal polygon on the choropleth."""
    return code[2:5] == "000"


def prefecture_values(generator: Any) -> dict[str, float | None]:
    """Cases received per municipality code (None for a body without a package)."""
    values: dict[str, float | None] = {}
    for body in generator.context["portal"]["bodies"]:
        if is_prefecture(body["code"]):
            continue
        cases = body["headline"]["cases"] if body["headline"] else None
        # why: a withheld small count is not drawn (the table beside the map shows its mark).
        values[body["code"]] = float(cases) if isinstance(cases, int) else None
    return dict(sorted(values.items()))


def municipality_facts(packages: list[Any]) -> list[list[Any]]:
    """[municipality code, fiscal year, category, status, cases] rows of the municipalities' packages."""
    facts: list[list[Any]] = []
    for package in sorted(packages, key=lambda p: p.code):
        if is_prefecture(package.code):
            continue
        cases = package.tables["cases"]
        frame = pd.DataFrame({column: cases[column].astype("string").fillna("") if column in cases.columns
                              else pd.Series("", index=cases.index, dtype="string")
                              for column in ("fiscal_year", "category", "status")})
        grouped = frame.groupby(["fiscal_year", "category", "status"]).size()
        facts += [[package.code, str(key[0]), str(key[1]), str(key[2]), int(n)]
                  for key, n in grouped.items() if isinstance(key, tuple)]
    return facts


def write_prefecture_map(generator: Any) -> bool:
    """The prefecture's map document (cases per municipality, from every body) and its page, added to the
    generator's pages (so call it before the pages are written); False when no map could be made."""
    prefecture = map_function("prefecture_map")
    if prefecture is None:
        return False
    lang = generator.lang
    bodies = [p for p in generator.data.bodies if "cases" in p.tables]
    facts = municipality_facts(bodies)
    counted = {code: float(n) for code, n in _sum_by_code(facts).items()}
    values: dict[str, float | None] = {code: counted.get(code) for code in prefecture_values(generator)}
    values |= counted
    links = {p.code: f"../{p.code}.html" for p in bodies}
    _ = translator(lang)
    made = _write(generator, f"{FRAMES}prefecture.html", functools.partial(
        prefecture, dict(sorted(values.items())), _("受付件数"), lang, _vendor(lang), facts=facts, links=links))
    if made:
        _add_page(generator, prefecture_page(generator, facts))
    return made


def write_body_frame(generator: Any, package: Any) -> bool | None:
    """One body's map document (maps/frame/<code>.html); None for a body without cases, False when the map
    could not be made."""
    cases = map_function("cases_map")
    if cases is None or "cases" not in package.tables:
        return None
    # why: the cases table, one row per case with its published cell, category, status and year, gives
    # every count the page can filter by (case_cells has no category).
    return _write(generator, f"{FRAMES}{package.code}.html", functools.partial(
        cases, package.tables["cases"], generator.lang, _vendor(generator.lang),
        cases_url=f"../../cases/{package.code}.html"))


def _vendor(lang: str) -> str:
    """The vendored libraries' folder as seen from a map document (maps/frame/ under the language root)."""
    return ("../../" if lang == "ja" else "../../../") + "static/vendor/"


def _add_page(generator: Any, page: Page) -> None:
    """The map page joins the generator's pages: written with them, and listed in the sitemap."""
    pages = getattr(generator, "pages", None)
    if isinstance(pages, list):
        pages.append(page)
    else:
        generator.write(page.path, generator.render(page))


def _sum_by_code(facts: list[list[Any]]) -> dict[str, int]:
    sums: dict[str, int] = {}
    for code, *_rest, n in facts:
        sums[code] = sums.get(code, 0) + int(n)
    return sums


def _options(years: set[str], categories: set[str]) -> dict[str, Any]:
    return {"years": sorted((y for y in years if y.isdigit()), reverse=True),
            "categories": [c for c in schema.enum("cases", "category") if c in categories],
            "statuses": schema.enum("cases", "status")}


def body_page(package: Any) -> Page:
    """maps/<code>.html: one body's map with its filters and the table of its cells."""
    from .mapcells import cell_counts, status_codes

    counts = cell_counts(package.tables["cases"])
    table, unlocated, facts = counts.table, counts.unlocated, counts.facts
    cells = [{"code": str(code), "level": str(level), "total": int(total), "index": i}
             for i, (code, level, total) in enumerate(zip(table["code"], table["level"], table["total"], strict=True))]
    statuses = status_codes()
    years = {str(f[1]) for f in facts}
    categories = {str(f[2]) for f in facts}
    data = {"cells": [[c["code"], c["level"]] for c in cells], "facts": facts, "statuses": statuses}
    cells = sorted(cells, key=lambda c: (c["code"], c["level"]))  # the table in mesh code order
    return Page(path=f"maps/{package.code}.html", template="map.html", body=package.code, context={
        "code": package.code, "kind": "body", "frame": f"frame/{package.code}.html", "cells": cells,
        "unlocated": unlocated, "map_data": data, **_options(years, categories)})


def prefecture_page(generator: Any, facts: list[list[Any]]) -> Page:
    """maps/prefecture.html: cases per municipality with the filters and the table of municipalities."""
    sums = _sum_by_code(facts)
    rows = [{"code": code, "total": sums.get(code, 0)} for code in sorted(sums)]
    data = {"facts": facts}
    return Page(path="maps/prefecture.html", template="map.html", context={
        "code": None, "kind": "prefecture", "frame": "frame/prefecture.html", "rows": rows,
        "map_data": data, **_options({str(f[1]) for f in facts}, {str(f[2]) for f in facts})})


def _write(generator: Any, path: str, make: Callable[[], str]) -> bool:
    try:
        document = make()
    except Exception:
        LOGGER.exception("map %s could not be made; the page shows its table only", path)
        return False
    generator.write(path, document)
    return True
