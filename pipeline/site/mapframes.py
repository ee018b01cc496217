"""Map documents for the iframes, from pipeline.site.maps when that module is present.

why: the maps module is developed separately; without it (or without one of its functions) the
pages simply show their tables and no map.
"""

import importlib
import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd

from .smallcells import k_of

LOGGER = logging.getLogger(__name__)
RECENT_DAYS = 365


def map_function(name: str) -> Callable[..., str] | None:
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


def recent_cases(cases: pd.DataFrame, data_date: str, days: int = RECENT_DAYS) -> pd.DataFrame:
    """Cases received in the last `days` days up to the data date (all cases if the date is unknown)."""
    try:
        end = date.fromisoformat(data_date)
    except ValueError:
        return cases
    start = (end - timedelta(days=days)).isoformat()
    return cases[cases["requested_date"] > start].reset_index(drop=True)


def write_maps(generator: Any) -> None:
    """maps/prefecture.html and maps/<code>.html under the language root; failures only skip a map."""
    lang = generator.lang
    prefix = ("../" if lang == "ja" else "../../") + "static/vendor/"
    made: dict[str, bool] = {}
    prefecture = map_function("prefecture_map")
    if prefecture is not None:
        label = "受付件数" if lang == "ja" else "Cases received"
        made["prefecture"] = _write(generator, "maps/prefecture.html",
                                    lambda: prefecture(prefecture_values(generator), label, lang, prefix))
    cases = map_function("cases_map")
    if cases is not None:
        for package in generator.data.bodies:
            frame = recent_cases(package.tables["cases"], generator.data.data_date)
            k = k_of(package.descriptor)
            made[package.code] = _write(generator, f"maps/{package.code}.html",
                                        lambda frame=frame, k=k: cases(frame, lang, prefix, k=k))
    generator.context["portal"]["maps"] = made


def _write(generator: Any, path: str, make: Callable[[], str]) -> bool:
    try:
        document = make()
    except Exception:
        LOGGER.exception("map %s could not be made; the page shows its table only", path)
        return False
    generator.write(path, document)
    return True
