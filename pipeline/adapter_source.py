"""One resource table of an adapter file ([resources.<name>], completed by [defaults]) -> a checked Source."""

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from . import adapter_schema, identifiers, intake, schema
from .adapter_errors import AdapterError, schema_errors, suggest
from .wareki import DEFAULT_FORMATS
from .wareki import FORMATS as DATE_FORMATS

ENCODINGS = adapter_schema.ENCODINGS


@dataclass(frozen=True)
class RowFilter:
    """Keep a row only if `column` passes every given test; `reason` names what is left out."""

    column: str
    equals: str | None = None
    contains: str | None = None
    not_contains: str | None = None
    one_of: tuple[str, ...] | None = None
    not_empty: bool | None = None
    reason: str | None = None

    def describe(self) -> str:
        tests = [f"= {self.equals}" if self.equals is not None else "",
                 f"contains {self.contains}" if self.contains is not None else "",
                 f"does not contain {self.not_contains}" if self.not_contains is not None else "",
                 f"in {', '.join(self.one_of)}" if self.one_of is not None else "",
                 "is not empty" if self.not_empty else ""]
        return f"{self.column} " + " and ".join(t for t in tests if t)


@dataclass(frozen=True)
class RowCount:
    """A derived column counting the rows that share the values of `by`."""

    by: tuple[str, ...]
    where: RowFilter | None = None


@dataclass(frozen=True)
class Source:
    """How to read one resource's export file(s)."""

    file: str
    format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    header_row: int = 1  # xlsx/csv: 1-based row of the header (title rows above it are skipped)
    sheet: str | None = None
    record_path: str | None = None  # json: key of the record list
    explode: str | None = None  # json: list field whose items become rows (Open311 notes)
    dates: tuple[str, ...] = DEFAULT_FORMATS
    columns: dict[str, str] = field(default_factory=dict)  # source column -> intake column
    constants: dict[str, str] = field(default_factory=dict)  # intake column -> fixed value
    optional: frozenset[str] = frozenset()  # source columns that may be absent from the export
    url: str | None = None  # fetched into the raw folder as `file` before each run
    header_rows: int = 1
    encodings: dict[str, str] = field(default_factory=dict)  # file name -> encoding (overrides `encoding`)
    captures: str | None = None  # regex over file names; named groups become columns @name
    filters: tuple[RowFilter, ...] = ()
    counts: dict[str, RowCount] = field(default_factory=dict)  # @name -> count
    ids: dict[str, tuple[str, ...]] = field(default_factory=dict)  # intake column -> hashed source columns
    also: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source column -> further intake columns
    closed_from_actions: tuple[str, ...] = ()
    exclude_identical_repeats: bool = False
    shorten: tuple[str, ...] = ()

    @property
    def is_pattern(self) -> bool:
        return identifiers.is_pattern(self.file)

    def encoding_for(self, name: str) -> str:
        return self.encodings.get(name, self.encoding)


def source(spec: dict[str, Any], defaults: dict[str, Any], where: str, resource: str) -> Source:
    """One [resources.<name>] table (completed by [defaults]) -> Source; AdapterError names the key at fault."""
    try:
        model = adapter_schema.Source.model_validate({**defaults, **spec})
    except ValidationError as exc:  # why: defaults are validated with the table they complete
        raise schema_errors(exc, where.split(" ")[0]) from None
    encodings = {str(k): _encoding(v, f"{where} encodings.{k}") for k, v in model.encodings.items()}
    dates = tuple(model.dates)
    if bad := [d for d in dates if d not in DATE_FORMATS]:
        raise AdapterError(f"{where}: unknown date formats {bad}{suggest(bad[0], list(DATE_FORMATS))}; "
                           f"known: {DATE_FORMATS}")
    file = _file(model, where)
    if model.header_rows < 1 or model.header_row < 1:
        raise AdapterError(f"{where}: header_row and header_rows must be 1 or more")
    columns, also, optional = _columns(model, where, resource)
    constants, ids = _derived(model, where, resource)
    closed_from = _closed_from(model, where, resource)
    texts = [c.name for c in intake.columns(resource) if c.kind == "text"]
    if bad := [c for c in model.shorten if c not in texts]:
        raise AdapterError(f"{where}: shorten: {bad[0]!r} is not a text column of {resource}"
                           f"{suggest(bad[0], texts)}")
    mapped = {t for src in columns for t in (columns[src], *also.get(src, ()))}
    _check_required(mapped | set(constants) | set(ids) | ({"closed"} if closed_from else set()), where, resource)
    return Source(
        file=file, format=model.format, encoding=_encoding(model.encoding, where), delimiter=model.delimiter,
        header_row=model.header_row, sheet=model.sheet,
        record_path=model.record_path, explode=model.explode,
        dates=dates, columns=columns, constants=constants, optional=optional,
        url=str(model.url) if model.url is not None else None, header_rows=model.header_rows, encodings=encodings,
        captures=model.captures, filters=tuple(_filter(f) for f in model.filters),
        counts={name: RowCount(tuple(c.by), _filter(c.where) if c.where else None) for name, c in model.counts.items()},
        ids=ids, also=also, closed_from_actions=closed_from,
        exclude_identical_repeats=model.exclude_identical_repeats, shorten=tuple(model.shorten),
    )


def _file(model: adapter_schema.Source, where: str) -> str:
    """The checked file name (or pattern), its URL and its captures expression."""
    if model.file is None:
        raise AdapterError(f"{where}: 'file' is required")
    file = model.file
    try:
        identifiers.check_file_pattern(file)
    except identifiers.IdentifierError as exc:
        raise AdapterError(f"{where}: file must be a plain name inside the raw folder: {exc}") from exc
    url = model.url
    if url is not None and not re.match(r"^https?://[^\s]+$", str(url)):
        raise AdapterError(f"{where}: url {url!r} must be an http:// or https:// address")
    if url is not None and identifiers.is_pattern(file):
        raise AdapterError(f"{where}: url needs one file name, not the pattern {file!r}")
    if model.captures is not None:
        try:
            re.compile(model.captures)
        except re.error as exc:
            raise AdapterError(f"{where}: captures is not a regular expression: {exc}") from exc
    return file


def _columns(model: adapter_schema.Source, where: str, resource: str,
             ) -> tuple[dict[str, str], dict[str, tuple[str, ...]], frozenset[str]]:
    """columns -> (source column -> first intake column, source column -> further ones, optional columns)."""
    spec_columns = model.columns
    optional = frozenset(model.optional)
    if spec_columns == "standard":
        # why: the standard intake format uses the intake names; private columns stay unmapped, and
        # a municipality that does not record an optional column simply leaves it out.
        spec_columns = {c.name: c.name for c in intake.columns(resource) if c.kind != "private"}
        optional |= {c.name for c in intake.columns(resource) if not c.required}
    columns: dict[str, str] = {}
    also: dict[str, tuple[str, ...]] = {}
    for src, dst in spec_columns.items():
        targets = [dst] if isinstance(dst, str) else list(dst)
        if not targets:
            raise AdapterError(f"{where}: columns {src!r} maps to no intake column")
        columns[str(src)] = targets[0]
        if targets[1:]:
            also[str(src)] = tuple(targets[1:])
    known = intake.names(resource)
    mapped = [t for src in columns for t in (columns[src], *also.get(src, ()))]
    for src in columns:
        if bad := [t for t in (columns[src], *also.get(src, ())) if t not in known]:
            raise AdapterError(f"{where}: columns {src!r} maps to unknown intake column {bad[0]!r}"
                               f"{suggest(bad[0], known)} (intake columns of {resource}: {', '.join(known)})")
    if dupes := sorted({t for t in mapped if mapped.count(t) > 1}):
        raise AdapterError(f"{where}: intake column {dupes[0]!r} is mapped from two source columns")
    return columns, also, optional


def _derived(model: adapter_schema.Source, where: str, resource: str,
             ) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The checked constants (intake column -> value) and generated ids (intake column -> hashed columns)."""
    known = intake.names(resource)
    constants = dict(model.constants)
    if bad := [c for c in constants if c not in known]:
        raise AdapterError(f"{where}: constants for unknown intake column {bad[0]!r}{suggest(bad[0], known)}")
    ids = {k: tuple(v) for k, v in model.ids.items()}
    if bad := [c for c in ids if c not in known]:
        raise AdapterError(f"{where}: ids for unknown intake column {bad[0]!r}{suggest(bad[0], known)}")
    if empty := [c for c, v in ids.items() if not v]:
        raise AdapterError(f"{where}: ids.{empty[0]} names no source column to hash")
    return constants, ids


def _closed_from(model: adapter_schema.Source, where: str, resource: str) -> tuple[str, ...]:
    """closed_from_actions, checked: action codes, and only on the cases table."""
    closed_from = tuple(model.closed_from_actions)
    if closed_from and resource != "cases":
        raise AdapterError(f"{where}: closed_from_actions belongs in [resources.cases]")
    if bad := [a for a in closed_from if a not in schema.enum("actions", "action")]:
        raise AdapterError(f"{where}: closed_from_actions: {bad[0]!r} is not an action code"
                           f"{suggest(bad[0], schema.enum('actions', 'action'))}")
    return closed_from


def _check_required(given: set[str], where: str, resource: str) -> None:
    """Every required intake column is mapped, a constant, a generated id or derived."""
    for column in intake.columns(resource):
        if column.required and column.name not in given:
            raise AdapterError(
                f"{where}: required intake column {column.name!r} is not mapped: add "
                f"\"<source column>\" = \"{column.name}\" under [{where.split('[', 1)[1].rstrip(']')}.columns], "
                f"a constant under .constants, or a generated id under .ids")


def _filter(spec: adapter_schema.Filter) -> RowFilter:
    return RowFilter(column=spec.column, equals=spec.equals, contains=spec.contains, not_contains=spec.not_contains,
                     one_of=tuple(spec.one_of) if spec.one_of is not None else None, not_empty=spec.not_empty,
                     reason=spec.reason)


def _encoding(value: str, where: str) -> str:
    enc = value.lower().replace("_", "-")
    if enc in ("shift-jis", "sjis", "shift_jis"):
        raise AdapterError(f"{where}: encoding {enc!r}: declare 'cp932' (Windows exports use it; "
                           "shift_jis fails on ①, ㈱ and 髙)")
    if enc not in ENCODINGS:
        raise AdapterError(f"{where}: encoding {enc!r} is not one of {ENCODINGS}{suggest(enc, list(ENCODINGS))}")
    return enc
