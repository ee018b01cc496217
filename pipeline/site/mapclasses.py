"""Choropleth classes of the prefecture map: quantile edges, colours and legend rows."""

import bisect
import itertools
from typing import Any

CLASS_COLOURS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


def class_edges(values: list[float], classes: int = 5) -> list[float]:
    """Quantile class edges (ascending, unique) of the values; [] when there are none."""
    ordered = sorted(values)
    if not ordered:
        return []
    last = len(ordered) - 1
    picked = [ordered[round(i * last / classes)] for i in range(classes + 1)]
    return sorted(set(picked))


def class_index(value: float, edges: list[float]) -> int:
    return max(0, min(bisect.bisect_right(edges, value) - 1, max(len(edges) - 2, 0)))


def class_colour(value: float, edges: list[float]) -> str:
    count = max(len(edges) - 1, 1)
    index = class_index(value, edges)
    spread = round(index * (len(CLASS_COLOURS) - 1) / (count - 1)) if count > 1 else 2
    return CLASS_COLOURS[spread]


def class_rows(edges: list[float], decimals: int, no_data: bool, text: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if len(edges) == 1:
        rows.append({"kind": "square", "color": class_colour(edges[0], edges),
                     "text": format_value(edges[0], decimals)})
    for low, high in itertools.pairwise(edges):
        rows.append({"kind": "square", "color": class_colour(low, edges),
                     "text": f"{format_value(low, decimals)} – {format_value(high, decimals)}"})
    if no_data:
        rows.append({"kind": "hatch", "color": None, "text": text["no_data"]})
    return rows


def decimals_for(values: list[float]) -> int:
    if all(float(v).is_integer() for v in values):
        return 0
    return 1 if max(abs(v) for v in values) >= 10 else 2


def format_value(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"
