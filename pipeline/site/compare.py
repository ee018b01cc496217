"""Side-by-side comparison per category: metrics table rows from the published metrics resource."""

from typing import Any

import pandas as pd

from .formatting import num, pct

PREFERRED = (
    "requests_received",
    "requests_per_10k_residents",
    "completed_within_30_days_share",
    "declined_share",
    "referred_share",
    "days_to_first_response_median",
    "days_to_completion_median",
    "days_to_completion_p90",
    "business_days_to_completion_median",
    "open_backlog",
)


def latest_fiscal_year(metrics: pd.DataFrame) -> str:
    """The newest fiscal-year period in the metrics table ("" when there is none)."""
    years = sorted(metrics.loc[metrics["period_type"] == "fiscal_year", "period"].unique())
    return str(years[-1]) if years else ""


def format_value(value: str, unit: str) -> str:
    """A metric cell as text in its unit ("—" when empty)."""
    if value == "":
        return "—"
    number = float(value)
    if unit == "share":
        return pct(number)
    return num(round(number, 1))


def _ordered_ids(definitions: list[dict[str, Any]], present: set[str]) -> list[str]:
    ids = [d["id"] for d in definitions if d["id"] in present]
    first = [i for i in PREFERRED if i in ids]
    return first + [i for i in ids if i not in first]


def metric_rows(metrics: pd.DataFrame | None, definitions: list[dict[str, Any]], category: str,
                codes: list[str]) -> tuple[str, list[dict[str, Any]]]:
    """(fiscal year, rows) for one category: one row per metric, one cell per body code."""
    if metrics is None or metrics.empty:
        return "", []
    year = latest_fiscal_year(metrics)
    part = metrics[(metrics["scope"] == "body") & (metrics["category"] == category)
                   & (metrics["period_type"] == "fiscal_year") & (metrics["period"] == year)]
    if "dimension" in part.columns:
        part = part[part["dimension"].fillna("") == ""]
    by_id = {d["id"]: d for d in definitions}
    rows = []
    for metric_id in _ordered_ids(definitions, set(part["metric_id"])):
        cells = {}
        for record in part[part["metric_id"] == metric_id].to_dict("records"):
            unit = record.get("unit", "") or by_id[metric_id].get("unit", "")
            unreliable = str(record.get("unreliable", "")).lower() == "true"
            # why: below the minimum n a count or share is shown with a warning, a median never.
            withheld = unreliable and by_id[metric_id].get("kind") == "quantile"
            shown = "" if withheld else record.get("value", "")
            cells[record["municipality_code"]] = {
                "value": format_value(shown, unit),
                "lower": format_value(record.get("lower", ""), unit) if shown and record.get("lower") else "",
                "upper": format_value(record.get("upper", ""), unit) if shown and record.get("upper") else "",
                "n": record.get("n", ""),
                "unreliable": unreliable,
                # small_sample says the same as the unreliable mark shown next to it
                "flags": sorted(f for f in str(record.get("flags", "")).split()
                                if f and not (unreliable and f == "small_sample")),
            }
        rows.append({"definition": by_id[metric_id], "cells": [cells.get(code) for code in codes]})
    return year, rows
