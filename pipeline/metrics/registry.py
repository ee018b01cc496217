"""Benchmark metrics as data: one [[metric]] per metric in pipeline/metrics/definitions/<family>.toml.

Each family's file sits beside the module that computes its metrics (cases.toml: cases.py, money.toml:
money.py, reference.toml: the context figures of compute.py), and common.toml holds the flags, units and
conventions. The registry is loaded once; the published definitions and the metrics Table Schema are
generated from it (definitions.py).
"""

import tomllib
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal, get_args

Better = Literal["higher", "lower", "neither"]
Denominator = Literal["", "population", "road_km", "civil_engineers", "road_bridge_spending", "bridges_inspected",
                      "bridges_need_repair"]
Source = Literal["cases", "contracts", "work_orders", "reference"]
Kind = Literal["count", "rate", "share", "quantile", "mean", "amount", "days", "context"]
DEFINITIONS = Path(__file__).resolve().parent / "definitions"
FAMILIES = ("cases", "money", "reference")
# Keys that steer the computation and are not part of the published definition.
INTERNAL = ("min_n", "suppression_group")


@dataclass(frozen=True)
class Metric:
    """One benchmark metric: what it measures, in which unit, and what its n counts."""

    id: str
    label_ja: str
    label_en: str
    description_ja: str
    description_en: str
    unit: str
    formula: str
    better: Better
    # why: a rate needs a figure from the municipalities table; "" when the metric needs none.
    denominator: Denominator
    n_ja: str
    n_en: str
    source: Source
    kind: Kind
    dimension: str = ""
    by_category: bool = False
    monthly: bool = False
    # below it a figure is unreliable (flag small_sample) and a quantile is not published
    min_n: int = 20
    # the count whose cells this metric's n counts ("requests_received", "open_backlog"), "" if none: a
    # figure that would be withheld with that count's cell (docs/privacy.md, "Disclosure consistency")
    suppression_group: str = ""


class DefinitionError(ValueError):
    """A metric definition file that does not hold what a Metric needs."""


_CHOICES = {"better": Better, "denominator": Denominator, "source": Source, "kind": Kind}


def _metric(entry: dict[str, Any], where: str) -> Metric:
    """One [[metric]] table -> Metric, every key checked (name and type)."""
    known = {f.name: f for f in fields(Metric)}
    unknown = sorted(set(entry) - set(known))
    missing = sorted(n for n, f in known.items() if n not in entry and f.default is MISSING)
    if unknown or missing:
        raise DefinitionError(f"{where}: unknown keys {unknown}, missing keys {missing}")
    for name, value in entry.items():
        expected = type(known[name].default) if name in ("by_category", "monthly", "min_n") else str
        if not isinstance(value, expected):
            raise DefinitionError(f"{where}: {name} = {value!r} is not {expected.__name__}")
        if name in _CHOICES and value not in get_args(_CHOICES[name]):
            raise DefinitionError(f"{where}: {name} = {value!r}, expected one of {get_args(_CHOICES[name])}")
    return Metric(**entry)


def load(directory: Path = DEFINITIONS) -> tuple[Metric, ...]:
    """Every family's metrics, in family order and file order (the published order)."""
    out = []
    for family in FAMILIES:
        path = directory / f"{family}.toml"
        with path.open("rb") as handle:
            entries = tomllib.load(handle).get("metric", [])
        out += [_metric(e, f"{path.name} metric {i + 1} ({e.get('id', '?')})") for i, e in enumerate(entries)]
    ids = [m.id for m in out]
    if len(set(ids)) != len(ids):
        raise DefinitionError(f"metric ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
    return tuple(out)


def common(directory: Path = DEFINITIONS) -> dict[str, Any]:
    """common.toml: the flags, units and conventions (each {code: {ja, en}}), in file order."""
    with (directory / "common.toml").open("rb") as handle:
        return tomllib.load(handle)


REGISTRY: tuple[Metric, ...] = load()
BY_ID: dict[str, Metric] = {m.id: m for m in REGISTRY}
# why: the site explains every flag; labels live next to the metrics they qualify.
FLAGS: dict[str, dict[str, str]] = common()["flags"]


def in_group(group: str) -> tuple[str, ...]:
    """The ids of the metrics in a suppression group (the count itself and those whose n is its cells)."""
    return tuple(m.id for m in REGISTRY if m.suppression_group == group)


def registry_as_json() -> list[dict[str, Any]]:
    """REGISTRY -> a list of plain dicts in registry order, for the published metrics file."""
    return [{k: v for k, v in asdict(m).items() if k not in INTERNAL} for m in REGISTRY]
