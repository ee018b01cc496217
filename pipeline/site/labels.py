"""Bilingual labels of coded values, read from the Table Schemas (the single source of truth)."""

from functools import cache

from pipeline import schema
from pipeline.metrics.registry import FLAGS

LANGS = ("ja", "en")
EXTRA_RESOURCES = {"metrics": {"ja": "比較指標", "en": "Benchmark metrics"},
                   "case_cells": {"ja": "地域メッシュ別の件数（地図用）", "en": "Cases per mesh cell (for maps)"}}


@cache
def enum_labels(resource: str, field: str, lang: str) -> dict[str, str]:
    """{code: label} of an enum field in schema order."""
    fields = schema.fields_by_name(resource)
    labels = fields[field].get("enum_labels", {})
    return {code: str(labels.get(code, {}).get(lang, code)) for code in fields[field]["constraints"]["enum"]}


def label(resource: str, field: str, code: str, lang: str) -> str:
    """Label of one code; the code itself when the schema has none (never empty for a non-empty code)."""
    if not code:
        return ""
    return enum_labels(resource, field, lang).get(code, code)


def field_title(resource: str, field: str, lang: str) -> str:
    """Column title in the page language."""
    spec = schema.fields_by_name(resource)[field]
    return str(spec.get("title_en" if lang == "en" else "title", field))


def flag_label(code: str, lang: str) -> str:
    """Metric flag code -> explanation in the page language."""
    return FLAGS.get(code, {}).get(lang, code)


def resource_title(resource: str, lang: str) -> str:
    """Title of a published resource (table) in the page language."""
    if resource in EXTRA_RESOURCES:
        return EXTRA_RESOURCES[resource][lang]
    if resource not in schema.RESOURCES:
        return resource
    spec = schema.load(resource)
    return str(spec.get("title_en" if lang == "en" else "title", resource))
