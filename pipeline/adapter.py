"""Adapters: one declarative TOML file per municipality says how to read its exports.

`load(path)` / `parse(raw, path)` check a file against the adapter schema (adapter_schema.py) and its
cross-key rules; each [resources.<name>] table becomes a Source (adapter_source.py), and an error
names the file and key at fault (adapter_errors.py)."""

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import adapter_schema, adapter_source, codes, identifiers, intake, schema
from .adapter_errors import AdapterError as AdapterError  # re-exported: the error every caller catches
from .adapter_errors import schema_errors, suggest
from .adapter_source import RowCount as RowCount  # re-exported: the source table's types
from .adapter_source import RowFilter as RowFilter
from .adapter_source import Source as Source
from .paths import ADAPTERS

FILE_FORMATS = adapter_schema.FILE_FORMATS
ENCODINGS = adapter_schema.ENCODINGS
ADAPTERS_ENV = "MIERUKA_ADAPTERS"


@dataclass(frozen=True)
class Adapter:
    """A municipality's adapter file, parsed and checked."""

    code: str
    slug: str
    path: Path
    sources: dict[str, Source]
    values: dict[str, dict[str, str]]  # intake column -> {source word: enum code}
    pii_drop: tuple[str, ...]
    publish_free_text: bool = True
    data_since: str | None = None
    max_reject_share: float = 0.05
    k: int = 3  # [anonymize] k: smallest group published at a location or in an aggregate
    private_categories: tuple[str, ...] = ()  # [anonymize] categories published without coordinates
    coverage: tuple[str, ...] = ()  # local-government codes whose territory the cases come from
    currency: str = "JPY"
    timezone: str = "Asia/Tokyo"
    name_ja: str | None = None
    name_en: str | None = None
    broken: str | None = None  # the adapter file's error: the body fails alone with this message

    @property
    def package_name(self) -> str:
        return f"{self.code}_{self.slug}"


def adapters_dir(given: Path | None = None) -> Path:
    """The adapters folder: --adapters, else $MIERUKA_ADAPTERS, else the bundled pipeline/adapters/."""
    if given is not None:
        return given
    return Path(os.environ[ADAPTERS_ENV]) if os.environ.get(ADAPTERS_ENV) else ADAPTERS


def load(path: Path) -> Adapter:
    """Adapter TOML -> Adapter; AdapterError names the file and key at fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AdapterError(f"{path.name}: cannot read adapter: {exc}") from exc
    return parse(raw, path)


def parse(raw: dict[str, Any], path: Path) -> Adapter:
    """An adapter file's table (as read from TOML) -> Adapter; AdapterError names the file and key at fault."""
    where = path.name
    if isinstance(raw.get("resources"), dict):
        # why: a resource table's key may be misspelt ([resources.case]); say which ones are known
        for name in raw["resources"]:
            if name not in intake.INTAKE:
                raise AdapterError(f"{where}: unknown resource [resources.{name}]{suggest(name, list(intake.INTAKE))}"
                                   f" (known: {', '.join(intake.INTAKE)})")
    try:
        model = adapter_schema.AdapterFile.model_validate(raw)
    except ValidationError as exc:
        raise schema_errors(exc, where) from None
    muni = model.municipality
    coverage = _check_municipality(muni, path)
    sources = _sources(raw, where)
    values = _values(raw.get("values", {}), where, set(sources))
    anon = model.anonymize
    if anon.k < 2:
        raise AdapterError(f"{where}: [anonymize] k must be an integer of at least 2, not {anon.k!r}")
    private_categories = tuple(anon.private_categories)
    if unknown_categories := sorted(set(private_categories) - set(schema.enum("cases", "category"))):
        raise AdapterError(f"{where}: [anonymize] private_categories has unknown categories {unknown_categories}")
    return Adapter(
        code=muni.code, slug=muni.slug, path=path, sources=sources, values=values,
        pii_drop=tuple(model.pii.drop), publish_free_text=muni.publish_free_text,
        data_since=muni.data_since, max_reject_share=float(muni.max_reject_share),
        k=anon.k, private_categories=private_categories, coverage=coverage or (muni.code,),
        currency=muni.currency, timezone=muni.timezone, name_ja=muni.name_ja, name_en=muni.name_en,
    )


def _check_municipality(muni: adapter_schema.Municipality, path: Path) -> tuple[str, ...]:
    """[municipality], checked (code, slug and file name, coverage, currency, time zone); its coverage."""
    where, code = path.name, muni.code
    if not codes.is_valid(code):
        raise AdapterError(f"{where}: [municipality] code {code!r} is not a valid local government code")
    try:
        name = identifiers.package_name(code, muni.slug)
    except identifiers.IdentifierError as exc:
        raise AdapterError(f"{where}: [municipality] slug {exc}") from exc
    if not path.name.startswith("_") and path.stem != name:
        raise AdapterError(f"{where}: the file must be named {name}.toml after its code and slug")
    coverage = tuple(muni.coverage or ())
    if bad := [c for c in coverage if not codes.is_valid(c)]:
        raise AdapterError(f"{where}: [municipality] coverage: {bad[0]!r} is not a valid 6-digit local government "
                           "code")
    if not re.fullmatch(r"[A-Z]{3}", muni.currency):
        raise AdapterError(f"{where}: [municipality] currency {muni.currency!r} is not an ISO 4217 code such as JPY")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(muni.timezone)
    except Exception as exc:  # zoneinfo raises several kinds for an unknown name
        raise AdapterError(f"{where}: [municipality] timezone {muni.timezone!r} is not an IANA time zone") from exc
    if not 0 <= muni.max_reject_share <= 1:
        raise AdapterError(f"{where}: [municipality] max_reject_share must be between 0 and 1")
    return coverage


def _sources(raw: dict[str, Any], where: str) -> dict[str, Source]:
    """[resources.*] (each completed by [defaults]) -> Source per resource, with the tables each one needs."""
    defaults = raw.get("defaults", {}) or {}
    resources = raw.get("resources", {})
    if not resources:
        raise AdapterError(f"{where}: [resources] holds no table; add [resources.cases] or [resources.contracts]")
    sources = {res: adapter_source.source(spec, defaults, f"{where} [resources.{res}]", res)
               for res, spec in resources.items()}
    if "actions" in sources and "cases" not in sources:
        raise AdapterError(f"{where}: [resources.actions] needs [resources.cases]: actions belong to cases")
    if "work_orders" in sources and "contracts" not in sources:
        raise AdapterError(f"{where}: [resources.work_orders] needs [resources.contracts]")
    if "cases" in sources and sources["cases"].closed_from_actions and "actions" not in sources:
        raise AdapterError(f"{where} [resources.cases]: closed_from_actions needs [resources.actions]")
    return sources


def _values(raw: dict[str, Any], where: str, resources: set[str]) -> dict[str, dict[str, str]]:
    """[values.<column>] applies to every resource; [values.<resource>.<column>] to one only."""
    out: dict[str, dict[str, str]] = {}
    enum_columns = {c.name for cols in intake.INTAKE.values() for c in cols if c.kind == "enum"}
    for key, table in raw.items():
        if key in intake.INTAKE and all(isinstance(v, dict) for v in table.values()):
            scoped = {c.name for c in intake.columns(key) if c.kind == "enum"}
            for col, mapping in table.items():
                if col not in scoped:
                    raise AdapterError(f"{where}: [values.{key}.{col}]: {key} has no coded column {col!r}"
                                       f"{suggest(col, sorted(scoped))}")
                out[f"{key}.{col}"] = {str(a): str(b) for a, b in mapping.items()}
            continue
        if key not in enum_columns:
            raise AdapterError(f"{where}: [values.{key}]: no table has a coded column {key!r}"
                               f"{suggest(key, sorted(enum_columns))} "
                               f"(coded columns: {', '.join(sorted(enum_columns))})")
        if bad := [a for a, b in table.items() if not isinstance(b, str)]:
            raise AdapterError(f"{where}: [values.{key}] {bad[0]!r}: must be a code (a string)")
        out[key] = {str(a): str(b) for a, b in table.items()}
    for key, mapping in out.items():
        resource, _, column = key.rpartition(".")
        targets = [resource] if resource else [r for r in resources
                                               if column in {c.name for c in intake.columns(r) if c.kind == "enum"}]
        allowed: set[str] = set()
        for res in targets:
            field_name = intake.ENUM_FIELD.get((res, column), column)
            allowed |= set(schema.enum(res, field_name)) if field_name in schema.fields_by_name(res) else set()
        if allowed and (bad := sorted({v for v in mapping.values() if v not in allowed})):
            raise AdapterError(f"{where}: [values.{key}] maps to {bad[0]!r}, which is not a code of {column}"
                               f"{suggest(bad[0], sorted(allowed))} (codes: {', '.join(sorted(allowed))})")
    return out


def value_map(adapter: "Adapter", resource: str, column: str) -> dict[str, str]:
    """The adapter's source words for one column of one resource (resource-scoped words win)."""
    return {**adapter.values.get(column, {}), **adapter.values.get(f"{resource}.{column}", {})}


def discover(directory: Path = ADAPTERS) -> list[Adapter]:
    """Every adapter file in a folder (files starting with '_' are templates), by code; the first bad one raises."""
    adapters, broken = discover_isolated(directory)
    if broken:
        raise next(iter(broken.values()))
    return adapters


def discover_isolated(directory: Path = ADAPTERS) -> tuple[list[Adapter], dict[str, AdapterError]]:
    """Every adapter file in a folder, and the broken ones by file stem: a broken adapter fails only its body."""
    adapters: list[Adapter] = []
    broken: dict[str, AdapterError] = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name.startswith("_"):
            continue
        try:
            adapters.append(load(path))
        except AdapterError as exc:
            broken[path.stem] = exc
    return sorted(adapters, key=lambda a: a.code), broken


def standard(code: str, slug: str) -> Adapter:
    """The standard intake format's adapter for any body (`_standard.toml` with its code and slug)."""
    path = ADAPTERS / "_standard.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    raw["municipality"].update(code=code, slug=slug)
    try:
        return parse(raw, path)
    except AdapterError as exc:
        reason = str(exc).removeprefix(f"{path.name}: [municipality] ")
        folder = f"{code}_{slug}" if slug else code
        raise AdapterError(f"raw folder {folder}: {reason} (a folder without an adapter is named "
                           "<code>_<slug>, e.g. 352152_shunan)") from exc
