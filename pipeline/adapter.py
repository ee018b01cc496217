"""Adapters: one declarative TOML file per municipality says how to read its exports."""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import codes, identifiers, intake, schema
from .paths import ADAPTERS
from .wareki import FORMATS as DATE_FORMATS

FILE_FORMATS = ("csv", "xlsx", "json", "open311")
ENCODINGS = ("utf-8", "utf-8-sig", "cp932")


class AdapterError(ValueError):
    """An adapter file that cannot be used, with the file and the key at fault."""


@dataclass(frozen=True)
class Source:
    """How to read one resource's export file."""

    file: str
    format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    header_row: int = 1  # xlsx/csv: 1-based row of the header (title rows above it are skipped)
    sheet: str | None = None
    record_path: str | None = None  # json: key of the record list
    explode: str | None = None  # json: list field whose items become rows (Open311 notes)
    dates: tuple[str, ...] = DATE_FORMATS
    columns: dict[str, str] = field(default_factory=dict)  # source column -> intake column
    constants: dict[str, str] = field(default_factory=dict)  # intake column -> fixed value
    optional: frozenset[str] = frozenset()  # source columns that may be absent from the export
    url: str | None = None  # fetched into the raw folder as `file` before each run


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
    # [municipality] coverage: codes of the municipalities whose territory the cases come from (default: itself)
    coverage: tuple[str, ...] = ()

    @property
    def package_name(self) -> str:
        return f"{self.code}_{self.slug}"


def load(path: Path) -> Adapter:
    """Adapter TOML -> Adapter; AdapterError names the file and key at fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AdapterError(f"{path.name}: cannot read adapter: {exc}") from exc
    return parse(raw, path)


def parse(raw: dict[str, Any], path: Path) -> Adapter:
    where = path.name
    muni = _table(raw, "municipality", where)
    code = str(muni.get("code", ""))
    if not codes.is_valid(code):
        raise AdapterError(f"{where}: [municipality] code {code!r} is not a valid local government code")
    slug = str(muni.get("slug", ""))
    try:
        name = identifiers.package_name(code, slug)
    except identifiers.IdentifierError as exc:
        raise AdapterError(f"{where}: [municipality] slug {exc}") from exc
    if not path.name.startswith("_") and path.stem != name:
        raise AdapterError(f"{where}: the file must be named {name}.toml after its code and slug")
    defaults = raw.get("defaults", {})
    sources = {
        res: _source(spec, defaults, f"{where} [resources.{res}]", res)
        for res, spec in _table(raw, "resources", where).items()
    }
    unknown = set(sources) - set(intake.INTAKE)
    if unknown:
        raise AdapterError(f"{where}: unknown resources {sorted(unknown)}; known: {sorted(intake.INTAKE)}")
    if "cases" not in sources:
        raise AdapterError(f"{where}: [resources.cases] is required")
    values = _values(raw.get("values", {}), where)
    pii = raw.get("pii", {})
    anon = raw.get("anonymize", {})
    k = anon.get("k", 3)
    if not isinstance(k, int) or k < 2:
        raise AdapterError(f"{where}: [anonymize] k must be an integer of at least 2, not {k!r}")
    private_categories = tuple(str(c) for c in anon.get("private_categories", []))
    if unknown_categories := sorted(set(private_categories) - set(schema.enum("cases", "category"))):
        raise AdapterError(f"{where}: [anonymize] private_categories has unknown categories {unknown_categories}")
    coverage = tuple(str(c) for c in muni.get("coverage", [code]))
    if bad := [c for c in coverage if not codes.is_valid(c)]:
        raise AdapterError(f"{where}: [municipality] coverage has invalid local government codes {bad}")
    return Adapter(
        code=code, slug=slug, coverage=coverage, path=path, sources=sources, values=values,
        pii_drop=tuple(str(c) for c in pii.get("drop", [])),
        publish_free_text=bool(muni.get("publish_free_text", True)),
        data_since=str(muni["data_since"]) if "data_since" in muni else None,
        max_reject_share=float(muni.get("max_reject_share", 0.05)),
        k=k, private_categories=private_categories,
    )


def _values(raw: dict[str, Any], where: str) -> dict[str, dict[str, str]]:
    """[values.<column>] applies to every resource; [values.<resource>.<column>] to one only."""
    out: dict[str, dict[str, str]] = {}
    for key, table in raw.items():
        if not isinstance(table, dict):
            raise AdapterError(f"{where}: [values.{key}] must be a table of source word = code")
        if key in intake.INTAKE and all(isinstance(v, dict) for v in table.values()):
            out.update({f"{key}.{col}": {str(a): str(b) for a, b in m.items()} for col, m in table.items()})
        else:
            out[key] = {str(a): str(b) for a, b in table.items()}
    return out


def value_map(adapter: "Adapter", resource: str, column: str) -> dict[str, str]:
    """The adapter's source words for one column of one resource (resource-scoped words win)."""
    return {**adapter.values.get(column, {}), **adapter.values.get(f"{resource}.{column}", {})}


def _table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise AdapterError(f"{where}: table [{key}] is missing")
    return value


def _source(spec: dict[str, Any], defaults: dict[str, Any], where: str, resource: str) -> Source:
    merged = {**defaults, **spec}
    fmt = merged.get("format", "csv")
    if fmt not in FILE_FORMATS:
        raise AdapterError(f"{where}: format {fmt!r} is not one of {FILE_FORMATS}")
    enc = merged.get("encoding", "utf-8").lower().replace("_", "-")
    if enc in ("shift-jis", "sjis", "shift_jis"):
        raise AdapterError(f"{where}: encoding {enc!r}: declare 'cp932' (Windows exports use it; "
                           "shift_jis fails on ①, ㈱ and 髙)")
    if enc not in ENCODINGS:
        raise AdapterError(f"{where}: encoding {enc!r} is not one of {ENCODINGS}")
    dates = tuple(merged.get("dates", DATE_FORMATS))
    if bad := [d for d in dates if d not in DATE_FORMATS]:
        raise AdapterError(f"{where}: unknown date formats {bad}; known: {DATE_FORMATS}")
    if "file" not in merged:
        raise AdapterError(f"{where}: 'file' is required")
    file = str(merged["file"])
    try:
        identifiers.check_file_name(file)
    except identifiers.IdentifierError as exc:
        raise AdapterError(f"{where}: file must be a plain name inside the raw folder: {exc}") from exc
    url = spec.get("url")
    if url is not None and not re.match(r"^https?://[^\s]+$", str(url)):
        raise AdapterError(f"{where}: url {url!r} must be an http:// or https:// address")
    spec_columns = merged.get("columns", {})
    optional = frozenset(str(c) for c in merged.get("optional", []))
    if spec_columns == "standard":
        # why: the standard intake format uses the intake names; private columns stay unmapped, and
        # a municipality that does not record an optional column simply leaves it out.
        spec_columns = {c.name: c.name for c in intake.columns(resource) if c.kind != "private"}
        optional |= {c.name for c in intake.columns(resource) if not c.required}
    columns = {str(k): str(v) for k, v in spec_columns.items()}
    known = set(intake.names(resource))
    if bad := sorted(set(columns.values()) - known):
        raise AdapterError(f"{where}: columns map to unknown intake columns {bad}")
    constants = {str(k): str(v) for k, v in merged.get("constants", {}).items()}
    if bad := sorted(set(constants) - known):
        raise AdapterError(f"{where}: constants for unknown intake columns {bad}")
    return Source(
        file=file, format=fmt, encoding=enc, delimiter=str(merged.get("delimiter", ",")),
        header_row=int(merged.get("header_row", 1)), sheet=merged.get("sheet"),
        record_path=merged.get("record_path"), explode=merged.get("explode"),
        dates=dates, columns=columns, constants=constants, optional=optional,
        url=str(url) if url is not None else None,
    )


def discover(directory: Path = ADAPTERS) -> list[Adapter]:
    """Every adapter file in a folder (files starting with '_' are templates), by code."""
    return sorted((load(p) for p in directory.glob("*.toml") if not p.name.startswith("_")),
                  key=lambda a: a.code)


def standard(code: str, slug: str) -> Adapter:
    """The standard intake format's adapter for any body (`_standard.toml` with its code and slug)."""
    path = ADAPTERS / "_standard.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    raw["municipality"].update(code=code, slug=slug)
    try:
        return parse(raw, path)
    except AdapterError as exc:
        reason = str(exc).removeprefix(f"{path.name}: [municipality] ")
        raise AdapterError(f"raw folder {code}_{slug}: {reason} (a folder without an adapter is named "
                           "<code>_<slug>, e.g. 352152_shunan)") from exc
