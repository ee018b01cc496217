"""Bilingual labels of coded values, read from the Table Schemas (the single source of truth)."""

from functools import cache

from pipeline import schema
from pipeline.metrics.registry import FLAGS

from .i18n import LANGS, N_, _

__all__ = ["LANGS", "anonymization_settings", "enum_labels", "field_title", "flag_label", "label",
           "redaction_counts", "resource_title"]
# Titles of resources without a Table Schema of their own (Japanese message ids; translations in the .po).
EXTRA_RESOURCES = {"metrics": N_("比較指標"), "case_cells": N_("地域メッシュ別の件数（地図用）")}


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
        return _(EXTRA_RESOURCES[resource], lang)
    if resource not in schema.RESOURCES:
        return resource
    spec = schema.load(resource)
    return str(spec.get("title_en" if lang == "en" else "title", resource))


# The anonymization settings a package records (mieruka.anonymization in datapackage.json), in words.
ANONYMIZATION_PARAMETERS = {
    "k": N_("k（位置を粗くして、同じメッシュ・年度の通報をそろえる最少件数）"),
    "free_text_published": N_("自由記述（通報内容・対応の説明）の公開"),
    "private_categories": N_("位置を公開しない種別"),
    "mesh_level": N_("地域メッシュの細かさ"),
}
REDACTION_KINDS = {
    "phone": N_("電話番号"),
    "email": N_("メールアドレス"),
    "postal_code": N_("郵便番号"),
    "address": N_("番地・部屋番号"),
    "person_name": N_("個人名"),
    "plate": N_("自動車のナンバー"),
    "individual_number": N_("個人番号など"),
    "url": N_("URL"),
}
_YES_NO = {True: N_("する"), False: N_("しない")}
_NONE = N_("なし")


def _setting_value(key: str, value: object, lang: str) -> str:
    if isinstance(value, bool):
        return _(_YES_NO[value], lang)
    if isinstance(value, list | tuple):
        names = [label("cases", "category", str(v), lang) for v in value]
        return _("、", lang).join(names) if names else _(_NONE, lang)
    if key == "mesh_level":
        return label("cases", "mesh_level", str(value), lang)
    return str(value)


def anonymization_settings(parameters: dict[str, object] | None, lang: str) -> list[tuple[str, str]]:
    """A package's anonymization parameters as (label, value) in the page language, known keys first.

    A key this site has no words for keeps its name (it is still a setting the package publishes)."""
    found = parameters or {}
    ordered = [k for k in ANONYMIZATION_PARAMETERS if k in found] + sorted(k for k in found
                                                                          if k not in ANONYMIZATION_PARAMETERS)
    return [(_(ANONYMIZATION_PARAMETERS[k], lang) if k in ANONYMIZATION_PARAMETERS else k,
             _setting_value(k, found[k], lang)) for k in ordered]


def redaction_counts(redactions: dict[str, object] | None, lang: str) -> list[tuple[str, object]]:
    """Replacements per kind of personal data as (label, count), in the scrubber's order of kinds."""
    found = redactions or {}
    ordered = [k for k in REDACTION_KINDS if k in found] + sorted(k for k in found if k not in REDACTION_KINDS)
    return [(_(REDACTION_KINDS[k], lang) if k in REDACTION_KINDS else k, found[k]) for k in ordered]
