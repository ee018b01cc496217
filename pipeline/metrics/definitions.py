"""The published description of the metrics: their definitions (versioned) and the table's schema."""

import hashlib
import json
import tomllib
from typing import Any

from .. import __version__, schema
from ..paths import SCHEMAS
from .grid import CATEGORIES
from .registry import DEFINITIONS, FLAGS, REGISTRY, common, registry_as_json

SCHEMA_PATH = SCHEMAS / "metrics.schema.json"
SCHEMA_SOURCE = DEFINITIONS / "schema.toml"

_COMMON = common()
UNIT_LABELS: dict[str, dict[str, str]] = _COMMON["units"]
# The conventions every definition rests on, published and versioned with them.
CONVENTIONS: dict[str, dict[str, str]] = _COMMON["conventions"]
# Enum fields whose codes the dimension values of a metric come from.
DIMENSION_SOURCES = {
    "channel": ("cases", "channel"),
    "decline_reason": ("cases", "decline_reason"),
    "contract_type": ("contracts", "contract_type"),
    "work_category": ("work_orders", "work_category"),
    "referral_target": ("cases", "referred_to"),
}
EXTRA_DIMENSION_VALUES = {"contract_type": {"unknown": {"ja": "契約不明", "en": "Contract not listed"}}}


def dimension_labels(dimension: str) -> dict[str, dict[str, str]]:
    """{code: {ja, en}} of a metric dimension (the part of metric_id after the dot)."""
    if not dimension:
        return {}
    resource, field = DIMENSION_SOURCES[dimension]
    labels = {
        c: {"ja": schema.label(resource, field, c, "ja"), "en": schema.label(resource, field, c, "en")}
        for c in schema.enum(resource, field)
    }
    if dimension == "referral_target":
        from ..reference import names

        labels |= {c: {"ja": n["ja"], "en": n["en"]} for c, n in sorted(names().items())}
        labels["unknown"] = {"ja": "回付先不明", "en": "Receiving body not recorded"}
    return {**labels, **EXTRA_DIMENSION_VALUES.get(dimension, {})}


def definitions_version() -> str:
    """Hash of the registry, flags and units: changes whenever a definition changes."""
    content = json.dumps([registry_as_json(), FLAGS, UNIT_LABELS, CONVENTIONS], ensure_ascii=False, sort_keys=True)
    return f"{__version__}+{hashlib.sha256(content.encode('utf-8')).hexdigest()[:12]}"


def metric_definitions() -> list[dict[str, Any]]:
    """Every metric's definition in registry order, each with the version and its dimension's codes."""
    version = definitions_version()
    return [
        {
            **entry,
            "dimension_values": dimension_labels(entry["dimension"]),
            "unit_label": UNIT_LABELS[entry["unit"]],
            "version": version,
        }
        for entry in registry_as_json()
    ]


def definitions_document() -> dict[str, Any]:
    """The published metrics definitions file: version, flags with labels, and the metrics."""
    return {"version": definitions_version(), "conventions": CONVENTIONS, "flags": FLAGS, "units": UNIT_LABELS,
            "metrics": metric_definitions()}


def metrics_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the metrics resource (pipeline/schemas/metrics.schema.json)."""
    return schema.load("metrics")


# The order of a field's keys in the published schema.
FIELD_KEYS = ("name", "type", "title", "title_en", "description", "description_en", "example", "enum_labels",
              "trueValues", "falseValues", "constraints")


def _generated(name: str) -> dict[str, Any]:
    """The keys of a schema field that come from the definitions (codes, labels, patterns), by field name."""
    if name == "category":
        labels = {"all": {"ja": "すべての種別", "en": "All categories"}}
        labels |= {c: {"ja": schema.label("cases", "category", c, "ja"),
                       "en": schema.label("cases", "category", c, "en")} for c in CATEGORIES[1:]}
        return {"enum_labels": labels, "constraints": {"enum": list(CATEGORIES)}}
    if name == "metric_id":
        return {"constraints": {"pattern": f"^({'|'.join(m.id for m in REGISTRY)})(\\.[a-z0-9_]+)?$"}}
    if name == "flags":
        return {"constraints": {"pattern": f"^(({'|'.join(sorted(FLAGS))})( |$))*$"}}
    if name == "unit":
        return {"enum_labels": UNIT_LABELS, "constraints": {"enum": list(UNIT_LABELS)}}
    return {}


def _schema_field(entry: dict[str, Any]) -> dict[str, Any]:
    """A [[fields]] table of schema.toml with its generated keys, keys in the published order."""
    extra = _generated(entry["name"])
    constraints = {**entry.get("constraints", {}), **extra.pop("constraints", {})}
    merged = {**entry, **extra, **({"constraints": constraints} if constraints else {})}
    return {k: merged[k] for k in FIELD_KEYS if k in merged}


def build_schema() -> dict[str, Any]:
    """The metrics Table Schema from definitions/schema.toml and the registry; the committed file must equal
    it (a test checks)."""
    with SCHEMA_SOURCE.open("rb") as handle:
        spec = tomllib.load(handle)
    head = {k: spec[k] for k in ("name", "title", "title_en", "description", "description_en")}
    return {**head, "fields": [_schema_field(f) for f in spec["fields"]], "primaryKey": spec["primaryKey"],
            "missingValues": spec["missingValues"]}


def schema_text() -> str:
    """build_schema() as the committed file's text (2-space indent, UTF-8, trailing newline)."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"
