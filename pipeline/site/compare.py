"""Figures of the home, body and comparison pages, read from the published metrics resource only.

Nothing here counts cases: every number a page shows is a cell of the metrics CSV, carried with the keys
of its row (scope, body, category, period, metric) so that a test can find it there again. Periods are the
fiscal years of the metrics (complete ones, the current partial one with its end date) and "all years",
which shows every year side by side (the trend view).
"""

import csv
import io
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .formatting import num, pct
from .i18n import both

ALL = "all"
# The metrics a comparison table leads with, in this order; the others follow in registry order.
PREFERRED = (
    "requests_received",
    "requests_per_10k_residents",
    "requests_per_100km_road",
    "completed_share",
    "completed_within_30_days_share",
    "declined_share",
    "referred_share",
    "days_to_first_response_median",
    "days_to_completion_median",
    "days_to_completion_p90",
    "business_days_to_completion_median",
    "open_backlog",
)
# The metrics of the year-over-year charts (each with its intervals and n).
TREND = (
    "requests_received",
    "requests_per_10k_residents",
    "requests_per_100km_road",
    "completed_share",
    "completed_within_30_days_share",
    "declined_share",
    "days_to_first_response_median",
    "days_to_completion_median",
)
# The figures a body's or the home page's headline shows.
HEADLINE = ("requests_received", "completed_share", "days_to_completion_median", "requests_per_10k_residents",
            "requests_per_100km_road", "spending")
DENOMINATOR_OF = {"population": "requests_per_10k_residents", "road_km": "requests_per_100km_road",
                  "civil_engineers": "requests_per_civil_engineer"}
KEY = ("scope", "municipality_code", "category", "period_type", "period", "metric_id")


@dataclass(frozen=True)
class Period:
    """A period a page can show: a fiscal year (complete or partial, with its end date) or all years."""

    key: str
    year: int | None
    partial: bool = False
    end: str = ""
    default: bool = False

    @property
    def is_all(self) -> bool:
        return self.year is None


def periods(metrics: pd.DataFrame | None, as_of: str) -> list[Period]:
    """Fiscal years of the metrics, newest first, then all years; the default is the latest complete year."""
    if metrics is None or metrics.empty:
        return []
    years = metrics[metrics["period_type"] == "fiscal_year"]
    if years.empty:
        return []
    partial = {str(p) for p, f in zip(years["period"], years["flags"], strict=True) if "period_in_progress" in f}
    listed = sorted({str(p) for p in years["period"]}, reverse=True)
    complete = [y for y in listed if y not in partial]
    default = complete[0] if complete else listed[0]
    out = [Period(f"fy{y}", int(y), y in partial, as_of if y in partial else "", y == default) for y in listed]
    return [*out, Period(ALL, None)]


def default_period(items: list[Period]) -> Period | None:
    return next((p for p in items if p.default), None)


class MetricIndex:
    """The metrics table as records (text cells as published), found by their key."""

    def __init__(self, metrics: pd.DataFrame | None) -> None:
        self.columns: list[str] = [str(c) for c in metrics.columns] if metrics is not None else []
        # why: column by column, not DataFrame.to_dict("records"), which took most of the index's time
        values = [["" if v is None else str(v) for v in metrics[c].tolist()] for c in metrics.columns] \
            if metrics is not None else []
        self.rows: dict[tuple[str, ...], dict[str, str]] = {}
        self.by_part: dict[tuple[str, str, str], list[dict[str, str]]] = {}
        for row in zip(*values, strict=True):
            record = dict(zip(self.columns, row, strict=True))
            self.rows[tuple(record[k] for k in KEY)] = record
            part = (record["category"], record["period_type"], record["period"])
            self.by_part.setdefault(part, []).append(record)
        # why: a slice lists its rows in the published order; finding them by position keeps a slice's cost
        # to its own rows
        self.position: dict[tuple[str, ...], int] = {key: n for n, key in enumerate(self.rows)}

    def get(self, code: str, category: str, year: int | str, metric_id: str) -> dict[str, str] | None:
        """The fiscal-year row of one body (code) or of all bodies (code ALL)."""
        scope, body = ("all", "") if code == ALL else ("body", code)
        return self.rows.get((scope, body, category, "fiscal_year", str(year), metric_id))

    def part(self, category: str, period_type: str, period: str) -> list[dict[str, str]]:
        return self.by_part.get((category, period_type, period), [])

    def ids(self, category: str, year: int | str) -> set[str]:
        return {r["metric_id"] for r in self.part(category, "fiscal_year", str(year))}


def format_value(value: str, unit: str) -> str:
    """A metric cell as text in its unit ("—" when empty)."""
    if value == "":
        return "—"
    number = float(value)
    if unit == "share":
        return pct(number)
    if unit.startswith("JPY"):
        return num(round(number))
    return num(round(number, 1))


def cell(record: dict[str, str] | None, definition: dict[str, Any]) -> dict[str, Any] | None:
    """One metrics row as a table cell: value, interval and n as shown, and the row's key for tracing."""
    if record is None:
        return None
    unit = record.get("unit", "") or definition.get("unit", "")
    unreliable = record.get("unreliable", "").lower() == "true"
    # why: below the minimum n a count or share is shown with a warning, a median never.
    withheld = unreliable and definition.get("kind") == "quantile"
    shown = "" if withheld else record.get("value", "")
    has_interval = bool(shown and record.get("lower") and record.get("upper"))
    return {
        "value": format_value(shown, unit),
        "raw": shown,
        "unit": unit,
        "lower": format_value(record["lower"], unit) if has_interval else "",
        "upper": format_value(record["upper"], unit) if has_interval else "",
        "raw_lower": record["lower"] if has_interval else "",
        "raw_upper": record["upper"] if has_interval else "",
        "n": record.get("n", ""),
        "unit_label": definition.get("unit_label", {}) if unit.startswith("JPY") else {},
        # why: counts and sums are exact whatever their size; "indicative" qualifies estimates.
        "unreliable": unreliable and definition.get("kind") in ("share", "quantile", "mean", "rate"),
        "withheld_small": withheld,
        # small_sample says the same as the unreliable mark shown next to it
        "flags": sorted(f for f in record.get("flags", "").split() if f and f != "small_sample"),
        "key": {k: record[k] for k in KEY},
        "denominator": {"value": record.get("denominator_value", ""), "year": record.get("denominator_year", ""),
                        "source": record.get("denominator_source", "")},
    }


def _ordered(definitions: list[dict[str, Any]], present: set[str]) -> list[dict[str, Any]]:
    by_id = {d["id"]: d for d in definitions}
    ids = [d["id"] for d in definitions if d["id"] in present and not d.get("dimension") and d.get("kind") != "context"]
    first = [i for i in PREFERRED if i in ids]
    return [by_id[i] for i in first + [i for i in ids if i not in first]]


def columns(codes: list[str]) -> list[str]:
    """The table's body columns and the all-bodies column."""
    return [*codes, ALL]


def metric_rows(index: MetricIndex, definitions: list[dict[str, Any]], category: str, year: int,
                codes: list[str], include: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """One row per metric (without dimension) of a category and fiscal year; one cell per body and all.

    include: just these metrics, in this order (context figures are only shown this way)."""
    present = index.ids(category, year)
    by_id = {d["id"]: d for d in definitions}
    chosen = ([by_id[i] for i in include if i in present and i in by_id] if include is not None
              else _ordered(definitions, present))
    rows = []
    for d in chosen:
        cells = [cell(index.get(c, category, year, d["id"]), d) for c in columns(codes)]
        rows.append({"definition": d, "cells": cells})
    return rows


def dimension_rows(index: MetricIndex, definitions: list[dict[str, Any]], metric: str, category: str, year: int,
                   codes: list[str]) -> list[dict[str, Any]]:
    """One row per code of a metric's dimension (decline reasons, contract types) that any body has."""
    d = next((x for x in definitions if x["id"] == metric), None)
    if d is None:
        return []
    labels = d.get("dimension_values", {}) or {}
    present = {i.split(".", 1)[1] for i in index.ids(category, year) if i.startswith(metric + ".")}
    rows = []
    for value in [v for v in labels if v in present] + sorted(present - set(labels)):
        cells = [cell(index.get(c, category, year, f"{metric}.{value}"), d) for c in columns(codes)]
        if not any(x and x["raw"] not in ("", "0.0", "0") for x in cells):
            continue
        label = labels.get(value, {"ja": value, "en": value})
        rows.append({"definition": d, "code": value, "label": label, "cells": cells})
    return rows


def flows(index: MetricIndex, definitions: list[dict[str, Any]], years: list[int],
          codes: list[str]) -> list[dict[str, Any]]:
    """Referral flows (from body -> to body or kind): count and median days, per fiscal year given."""
    by_id = {d["id"]: d for d in definitions}
    if "referrals_to" not in by_id:
        return []
    out = []
    for year in years:
        for record in index.part("all", "fiscal_year", str(year)):
            if record["scope"] != "body" or not record["metric_id"].startswith("referrals_to."):
                continue
            if record["value"] in ("0", "0.0"):
                continue
            target = record["metric_id"].split(".", 1)[1]
            days = index.get(record["municipality_code"], "all", year, f"referral_days_median_to.{target}")
            out.append({"year": year, "from": record["municipality_code"], "to": target,
                        "count": cell(record, by_id["referrals_to"]),
                        "days": cell(days, by_id.get("referral_days_median_to", {}))})
    order = {c: i for i, c in enumerate(codes)}
    return sorted(out, key=lambda f: (-f["year"], order.get(f["from"], 99), f["to"]))


def trends(index: MetricIndex, definitions: list[dict[str, Any]], category: str, years: list[int],
           codes: list[str], ids: tuple[str, ...] = TREND) -> list[dict[str, Any]]:
    """Per metric: one series per body (and all bodies) over the fiscal years, with intervals and n."""
    by_id = {d["id"]: d for d in definitions}
    out = []
    for metric in ids:
        if metric not in by_id:
            continue
        d = by_id[metric]
        series = []
        for code in columns(codes):
            points = [cell(index.get(code, category, y, metric), d) for y in years]
            if any(p is not None for p in points):
                series.append({"code": code, "points": points})
        if series:
            out.append({"definition": d, "series": series})
    return out


def chart(trend: dict[str, Any], years: list[int], names: dict[str, dict[str, str]],
          partial: dict[int, str] | None = None) -> dict[str, Any]:
    """A trend as the JSON a chart draws: one series per body with values, interval bounds and n per year
    (shares in per cent; a year with n = 0 is a gap, not 0); labels in both languages, the page picks its own.

    partial: {fiscal year: end date} of a year not over, labelled as such."""

    def number(text: str, unit: str, n: str = "1") -> float | None:
        if not text or n in ("0", ""):
            return None
        return round(float(text) * 100, 2) if unit == "share" else round(float(text), 2)

    unit = trend["definition"].get("unit", "")
    series = []
    for s in trend["series"]:
        points = s["points"]
        name = names.get(s["code"], both("全団体") if s["code"] == ALL else {"ja": s["code"], "en": s["code"]})
        series.append({
            "label": name,
            "values": [number(p["raw"], unit, p["n"]) if p else None for p in points],
            "lower": [number(p["raw_lower"], unit) if p else None for p in points],
            "upper": [number(p["raw_upper"], unit) if p else None for p in points],
            "n": [p["n"] if p else "" for p in points],
        })
    partial = partial or {}
    labels = [both("FY%(year)s（途中：%(end)sまで）", year=y, end=partial[y]) if y in partial
              else {"ja": f"FY{y}", "en": f"FY{y}"} for y in years]
    return {"labels": labels, "percent": unit == "share", "series": series}


def denominators(index: MetricIndex, codes: list[str], year: int) -> list[dict[str, Any]]:
    """Per body and all bodies: population, road km and civil engineers with their year and source."""
    rows = []
    for code in columns(codes):
        figures = {}
        for name, metric in DENOMINATOR_OF.items():
            record = index.get(code, "all", year, metric)
            if record is None or "denominator_source" not in record:
                continue
            figures[name] = {"raw": record["denominator_value"], "value": format_value(record["denominator_value"], ""),
                             "year": record["denominator_year"], "source": record["denominator_source"],
                             "key": {k: record[k] for k in KEY}}
        rows.append({"code": code, "figures": figures})
    return rows


def shared_residents(index: MetricIndex, codes: list[str], year: int) -> dict[str, Any] | None:
    """The population figures behind the all-bodies rate per resident when the bodies serve the same residents.

    A prefecture and its municipalities take requests from the same people, so the all-bodies population
    counts each municipality once and falls short of the bodies' populations added up. The all-bodies rate
    then counts the requests made to any body per resident of the area: near the sum of a prefecture's and
    a municipality's rates, not their average. None when the populations add up (no resident is shared) or
    any of them is unknown; else the all-bodies figure (with its row's key) and the bodies' total.
    """
    metric = DENOMINATOR_OF["population"]
    whole = index.get(ALL, ALL, year, metric)
    parts = [index.get(code, ALL, year, metric) for code in codes]
    records = [r for r in [whole, *parts] if r is not None and r.get("denominator_value", "") != ""]
    if whole is None or len(records) != len(parts) + 1:
        return None
    total = sum(float(r["denominator_value"]) for r in records[1:])
    if float(whole["denominator_value"]) >= total:
        return None
    return {"raw": whole["denominator_value"], "value": num(float(whole["denominator_value"])),
            "key": {k: whole[k] for k in KEY}, "sum": num(total)}


def csv_text(index: MetricIndex, records: list[dict[str, str]]) -> str:
    """Rows of the metrics resource as a CSV slice: same header, same cells, same quoting as published."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=index.columns, quoting=csv.QUOTE_ALL, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def records_of(cells: list[dict[str, Any] | None], index: MetricIndex) -> list[dict[str, str]]:
    """The metrics rows behind the cells shown, in the published order, each once."""
    keys = {tuple(c["key"][k] for k in KEY) for c in cells if c}
    found = sorted((index.position[k], k) for k in keys if k in index.position)
    return [index.rows[k] for _, k in found]
