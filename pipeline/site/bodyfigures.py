"""One body's case counts as its pages show them, with small cells withheld across all its tables.

The municipality page, the home table, the comparison pages and the maps show the same counts
(totals, statuses, categories by outcome, reasons, months, the n of medians); they are suppressed
together, so that no page gives away what another withholds.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from . import figures
from .smallcells import Key, Relation, Withheld, exact, page_withheld, shown

GROUPS = ("completed", "declined", "referred", "open")
CLOSED_GROUPS = ("completed", "declined", "referred")


@dataclass(frozen=True)
class Orders:
    """Schema order of the coded columns the tables are made of."""

    categories: list[str]
    statuses: list[str]
    decline_reasons: list[str]
    referred_to: list[str]


@dataclass
class BodyFigures:
    """The counts of one body, each either an int or Withheld."""

    headline: dict[str, Any]
    monthly: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    statuses: list[dict[str, Any]]
    decline_reasons: list[dict[str, Any]]
    referred_to: list[dict[str, Any]]
    values: dict[Key, int]
    relations: list[Relation]
    hidden: frozenset[Key]
    k: int

    @property
    def any_withheld(self) -> bool:
        return any(key[0] != "rest" for key in self.hidden)


def _raw(cases: pd.DataFrame, orders: Orders, day: date, min_n: int) -> dict[str, Any]:
    return {
        "headline": figures.headline(cases, 0, min_n),
        "monthly": figures.monthly_counts(cases, day),
        "categories": figures.by_category(cases, orders.categories, min_n),
        "statuses": figures.counts_of(cases, "status", orders.statuses),
        "decline_reasons": figures.counts_of(cases[cases["status"] == "declined"], "decline_reason",
                                             orders.decline_reasons),
        "referred_to": figures.counts_of(cases[cases["status"] == "referred"], "referred_to", orders.referred_to),
    }


def count_system(raw: dict[str, Any]) -> tuple[dict[Key, int], list[Relation]]:
    """Every count the tables show, keyed, and the sums that tie them together."""
    values: dict[Key, int] = {("total",): raw["headline"]["cases"], ("n",): raw["headline"]["median_n"]}
    statuses = {s["code"]: s["count"] for s in raw["statuses"]}
    values.update({("status", code): n for code, n in statuses.items()})
    values[("open",)] = sum(n for code, n in statuses.items() if code in figures.OPEN)
    values.update({("month", m["month"]): m["count"] for m in raw["monthly"]})
    values.update({("reason", r["code"]): r["count"] for r in raw["decline_reasons"]})
    values.update({("referred", r["code"]): r["count"] for r in raw["referred_to"]})
    for row in raw["categories"]:
        c = row["category"]
        values[("category", c)] = row["cases"]
        values.update({("cell", c, g): row[g] for g in GROUPS})
        values[("n", c)] = row["median_n"]
        values[("closed", c)] = sum(row[g] for g in CLOSED_GROUPS)
    cats = [row["category"] for row in raw["categories"]]
    relations = exact(values, ("total",), [k for k in values if k[0] == "status"])
    relations += exact(values, ("open",), [("status", s) for s in figures.OPEN])
    relations += exact(values, ("total",), [("category", c) for c in cats])
    relations += exact(values, ("total",), [k for k in values if k[0] == "month"])
    relations += exact(values, ("status", "declined"), [k for k in values if k[0] == "reason"])
    relations += exact(values, ("status", "referred"), [k for k in values if k[0] == "referred"])
    relations += exact(values, ("n",), [("n", c) for c in cats])
    for g in GROUPS:
        total = ("open",) if g == "open" else ("status", g)
        relations += exact(values, total, [("cell", c, g) for c in cats])
    for c in cats:
        relations += exact(values, ("category", c), [("cell", c, g) for g in GROUPS])
        relations += exact(values, ("closed", c), [("cell", c, g) for g in CLOSED_GROUPS])
        # why: cases closed without a usable date are in the outcome counts but not in the n of the median.
        if values[("n", c)] <= values[("closed", c)]:
            relations += exact(values, ("closed", c), [("n", c)])
        else:
            relations += exact(values, ("n", c), [("closed", c)])
    return values, relations


def body_figures(cases: pd.DataFrame, orders: Orders, day: date, min_n: int, k: int) -> BodyFigures:
    """Cases of one body -> its tables, with every count 0 < n < k (and its complements) withheld."""
    raw = _raw(cases, orders, day, min_n)
    values, relations = count_system(raw)
    hidden = page_withheld(values, relations, k)  # counts of published rows: none (docs/privacy.md)

    def show(key: Key) -> int | Withheld:
        return shown(values[key], key, hidden, k)

    head = dict(raw["headline"])
    head["cases"], head["median_n"] = show(("total",)), show(("n",))
    completed = ("status", "completed")
    head["completed"] = show(completed) if completed in values else 0
    if isinstance(head["cases"], Withheld) or isinstance(head["completed"], Withheld):
        head["completed_share"] = None
    categories = []
    for row in raw["categories"]:
        c = row["category"]
        categories.append({**row, "cases": show(("category", c)), "median_n": show(("n", c)),
                           **{g: show(("cell", c, g)) for g in GROUPS}})
    return BodyFigures(
        headline=head,
        monthly=[{**m, "count": show(("month", m["month"]))} for m in raw["monthly"]],
        categories=categories,
        statuses=[{**s, "count": show(("status", s["code"]))} for s in raw["statuses"]],
        decline_reasons=[{**s, "count": show(("reason", s["code"]))} for s in raw["decline_reasons"]],
        referred_to=[{**s, "count": show(("referred", s["code"]))} for s in raw["referred_to"]],
        values=values, relations=relations, hidden=hidden, k=k)
