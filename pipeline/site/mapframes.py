"""Map documents for the iframes, from pipeline.site.maps when that module is present.

why: the maps module is developed separately; without it (or without one of its functions) the
pages simply show their tables and no map.
"""

import functools
import importlib
import logging
from collections.abc import Callable
from typing import Any

LOGGER = logging.getLogger(__name__)


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
            # why: the map draws the package's case_cells (every case, counted in its published cell);
            # a package from before that resource existed is drawn from its cases, one a row.
            cells = package.tables.get("case_cells")
            frame = cells if cells is not None and len(cells) else package.tables["cases"]
            made[package.code] = _write(generator, f"maps/{package.code}.html",
                                        functools.partial(cases, frame, lang, prefix))
    generator.context["portal"]["maps"] = made


def _write(generator: Any, path: str, make: Callable[[], str]) -> bool:
    try:
        document = make()
    except Exception:
        LOGGER.exception("map %s could not be made; the page shows its table only", path)
        return False
    generator.write(path, document)
    return True
