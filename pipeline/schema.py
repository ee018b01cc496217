"""The Table Schemas in pipeline/schemas/: the single source of truth for every stage and page."""

import json
from functools import cache
from typing import Any

from .paths import SCHEMAS

RESOURCES = ("municipalities", "cases", "actions", "contracts", "work_orders")
# why: bumped when a published column changes meaning or goes away, so users can pin to it.
SCHEMA_VERSION = "1.1.0"

Schema = dict[str, Any]
Field = dict[str, Any]


@cache
def _load(name: str) -> str:
    return (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")


def load(name: str) -> Schema:
    """Resource name -> a fresh copy of its Table Schema descriptor."""
    schema: Schema = json.loads(_load(name))
    return schema


def field_names(name: str) -> list[str]:
    """Column order of a published resource."""
    return [f["name"] for f in load(name)["fields"]]


def fields_by_name(name: str) -> dict[str, Field]:
    return {f["name"]: f for f in load(name)["fields"]}


def enum(name: str, field: str) -> list[str]:
    """Allowed codes of an enum field."""
    values: list[str] = fields_by_name(name)[field]["constraints"]["enum"]
    return values


def label(name: str, field: str, code: str, lang: str) -> str:
    """Bilingual label of an enum code; the code itself if it has none."""
    labels = fields_by_name(name)[field].get("enum_labels", {})
    return str(labels.get(code, {}).get(lang, code))


def all_enum_labels() -> dict[str, dict[str, dict[str, dict[str, str]]]]:
    """{resource: {field: {code: {ja, en}}}} for every enum field of every schema."""
    return {
        res: {f["name"]: f["enum_labels"] for f in load(res)["fields"] if "enum_labels" in f}
        for res in RESOURCES
    }


def version() -> str:
    """The version of the published data model (every package carries it)."""
    return SCHEMA_VERSION
