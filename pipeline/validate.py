"""Validate published data packages against their Table Schemas.

Two engines check the same schema:
- "fast": a vectorized check with pyarrow (types, required, enum, pattern, ranges, lengths, primary
  and foreign keys), about 40 times the speed of frictionless (docs/benchmarks.md); used on every nightly build.
- "frictionless": the reference implementation, for `mieruka validate` and journalists' own checks.
Both add what frictionless does not catch (TRAPS.md): a wrong delimiter, extra or missing columns
(a column of personal data, say), control characters in text, a file that is not UTF-8, and a
file whose bytes or hash differ from its descriptor.
"""

import codecs
import hashlib
import io
import json
import re
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .problems import shorten
from .validate_fields import any_true as _any
from .validate_fields import field_checks
from .validate_fields import is_missing as _is_missing

Engine = Literal["fast", "frictionless"]
MAX_ERRORS = 50
# RE2 syntax (pyarrow): C0 controls but TAB/LF/CR, DEL, zero-width and bidirectional overrides.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{200b}-\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}\x{feff}]"
# Bytes that can start a _CONTROL character in UTF-8; deleting every other byte leaves nothing on a clean file.
_CONTROL_LEAD = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xE2, 0xEF])
_NOT_CONTROL_LEAD = bytes(b for b in range(256) if b not in _CONTROL_LEAD)


@dataclass(frozen=True, order=True)
class Error:
    """One failed check: resource file, 1-based row (header = 1), field, value and what is wrong."""

    resource: str
    row: int | None
    field: str | None
    value: str | None
    message: str

    def describe(self) -> str:
        where = self.resource
        if self.row is not None:
            where += f", row {self.row}"
        if self.field is not None:
            where += f", field {self.field!r}"
        value = "" if self.value is None else f", value {shorten(self.value)!r}"
        return f"{where}{value}: {self.message}"


@dataclass
class Report:
    """The verdict on one package."""

    package: str
    engine: str
    errors: list[Error] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def text(self) -> str:
        if self.valid:
            counts = ", ".join(f"{name} {n:,}" for name, n in self.rows.items())
            return f"{self.package}: valid ({self.engine}; rows: {counts})"
        lines = [f"{self.package}: INVALID ({self.engine}; {len(self.errors)} error(s))"]
        lines += [f"  - {e.describe()}" for e in self.errors[:MAX_ERRORS]]
        if len(self.errors) > MAX_ERRORS:
            lines.append(f"  … and {len(self.errors) - MAX_ERRORS} more")
        return "\n".join(lines)


def validate_package(descriptor_path: Path, engine: Engine = "fast") -> Report:
    """datapackage.json -> Report; never raises on bad content."""
    descriptor_path = Path(descriptor_path)
    if descriptor_path.is_dir():
        descriptor_path = descriptor_path / "datapackage.json"
    report = Report(descriptor_path.parent.name, engine)
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.errors.append(Error(descriptor_path.name, None, None, None, f"cannot read descriptor: {exc}"))
        return report
    resources = descriptor.get("resources") or []
    if not resources:
        report.errors.append(Error(descriptor_path.name, None, None, None, "package has no resources"))
        return report
    report.errors += _descriptor(descriptor, descriptor_path.name)
    if report.errors and engine == "frictionless":
        return report  # why: frictionless refuses to open a package whose descriptor is invalid
    tables: dict[str, pa.Table] = {}
    for resource in resources:
        table = _check_file(descriptor_path.parent, resource, report)
        if table is None:
            continue
        tables[resource["name"]] = table
        report.rows[resource["name"]] = table.num_rows
        if engine == "fast":
            report.errors += _check_table(resource["path"], table, resource["schema"])
    if engine == "frictionless":
        report.errors += _frictionless(descriptor_path)
    else:
        report.errors += _foreign_keys(resources, tables)
    report.errors.sort(key=_order)
    return report


def _order(error: Error) -> tuple[str, int, str, str, str]:
    """Sort key: file, row, field; errors without a row or field come first."""
    return (error.resource, error.row or 0, error.field or "", error.value or "", error.message)


def _descriptor(descriptor: dict[str, Any], name: str) -> list[Error]:
    """The package descriptor against the Data Package profile (created, name, licences, …)."""
    import frictionless  # why: importing frictionless changes csv.field_size_limit process-wide

    return [Error(name, None, None, None, err.message)
            for err in frictionless.Package.metadata_validate(descriptor)]


def _check_file(base: Path, resource: dict[str, Any], report: Report) -> pa.Table | None:
    """Bytes, hash, encoding, header and control characters; the table as text columns, or None."""
    name = str(resource.get("path", ""))
    path = base / name
    if not name or Path(name).is_absolute() or ".." in Path(name).parts or not path.is_file():
        report.errors.append(Error(name or "?", None, None, None, "resource file is missing"))
        return None
    data = path.read_bytes()
    errors = report.errors
    if "bytes" in resource and resource["bytes"] != len(data):
        errors.append(Error(name, None, None, None, f"file has {len(data)} bytes, descriptor says {resource['bytes']}"))
    digest = _Digest(data) if "hash" in resource else None
    table = _read_table(name, data, [f["name"] for f in resource["schema"]["fields"]], errors)
    if digest is not None and resource["hash"] != f"sha256:{digest.hexdigest()}":
        errors.append(Error(name, None, None, None, "file hash differs from the descriptor"))
    return table


def _read_table(name: str, data: bytes, names: list[str], errors: list[Error]) -> pa.Table | None:
    """Encoding, header and control characters; the table as text columns, or None."""
    whole = _as_text(data)
    if whole is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(Error(name, None, None, None, f"not UTF-8 (byte {exc.start})"))
        return None
    if data.startswith(codecs.BOM_UTF8):
        errors.append(Error(name, 1, None, None, "starts with a byte order mark"))
        return None
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False,
                                                 auto_dict_encode=False, include_columns=None,
                                                 check_utf8=True, timestamp_parsers=[]),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        detail = str(exc).splitlines()[0]
        row = re.search(r"Row #(\d+)", detail)
        errors.append(Error(name, int(row.group(1)) if row else None, None, None, f"not a readable CSV: {detail}"))
        return None
    header = table.column_names
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [n for n in header if n not in names]
        detail = "; ".join(filter(None, [f"missing {missing}" if missing else "",
                                          f"not in the schema {extra}" if extra else "",
                                          "columns out of schema order" if not missing and not extra else ""]))
        errors.append(Error(name, 1, None, ",".join(header), f"header does not match the schema: {detail}"))
        return None
    if _may_hold_control(data, whole):
        for column in names:
            _control_characters(name, column, table[column], errors)
    return table


class _Digest(threading.Thread):
    """SHA-256 of a file's bytes, computed alongside the parse (hashlib releases the GIL)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(daemon=True)
        self._data = data
        self._hex = ""
        self.start()

    def run(self) -> None:
        self._hex = hashlib.sha256(self._data).hexdigest()

    def hexdigest(self) -> str:
        self.join()
        return self._hex


def _as_text(data: bytes) -> pa.Array | None:
    """The whole file as one UTF-8 string (arrow validates it in one vectorized pass), or None if not UTF-8."""
    offsets = pa.py_buffer(struct.pack("<2q", 0, len(data)))
    raw = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        return raw.cast(pa.large_string())
    except pa.ArrowInvalid:
        return None


def _may_hold_control(data: bytes, whole: pa.Array) -> bool:
    """Whether any cell can hold a control or invisible character: one pass over the file's bytes,
    then (only if a lead byte of such a character occurs) one regex over the whole text."""
    if not data.translate(None, _NOT_CONTROL_LEAD):
        return False
    return bool(pc.any(pc.match_substring_regex(whole, _CONTROL)).as_py())


def _control_characters(name: str, column: str, values: pa.ChunkedArray, errors: list[Error]) -> None:
    bad = pc.match_substring_regex(values, _CONTROL)
    for row in _rows(bad):
        errors.append(Error(name, row, column, str(values[row - 2]), "control or invisible formatting character"))


def _rows(mask: pa.ChunkedArray | pa.Array, limit: int = MAX_ERRORS) -> list[int]:
    """Positions where mask is true, as 1-based file rows (header = 1)."""
    mask = pc.fill_null(mask, False)
    index = pc.indices_nonzero(mask) if isinstance(mask, pa.Array) else pc.indices_nonzero(mask.combine_chunks())
    return [int(i) + 2 for i in index.to_pylist()[:limit]]


def _check_table(name: str, table: pa.Table, schema: dict[str, Any]) -> list[Error]:
    """Every field's type and constraints, and the primary key; vectorized.

    why: each check first runs as one screening pass that treats a missing value as passing; only a
    field whose screen fails pays for the exact masks (missing values excluded) that name the cells.
    """
    errors: list[Error] = []
    missing = set(schema.get("missingValues", [""]))
    missing_set = pa.array(sorted(missing), pa.string())
    for spec in schema["fields"]:
        column = table[spec["name"]]
        constraints = spec.get("constraints", {})
        if constraints.get("required") and _any(_is_missing(column, missing, missing_set)):
            errors += _report(name, spec, column, _is_missing(column, missing, missing_set), "a value is required")
        for mask, message in field_checks(column, spec, constraints, missing):
            if _any(mask):
                present = pc.invert(_is_missing(column, missing, missing_set))
                errors += _report(name, spec, column, pc.and_(present, mask), message)
    errors += _unique(name, table, schema, missing)
    return errors


def _report(name: str, spec: dict[str, Any], column: pa.ChunkedArray, mask: pa.ChunkedArray,
            message: str) -> list[Error]:
    return [Error(name, row, spec["name"], str(column[row - 2]), message) for row in _rows(mask)]


def _unique(name: str, table: pa.Table, schema: dict[str, Any], missing: set[str]) -> list[Error]:
    key = schema.get("primaryKey", [])
    if not key or table.num_rows == 0 or _strictly_increasing(table, key, schema):
        return []
    joined = _joined(table, key)
    if pc.count_distinct(joined).as_py() == table.num_rows:
        return []
    counts = pc.value_counts(joined)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    candidates = pc.indices_nonzero(pc.is_in(joined, value_set=repeated).combine_chunks()).to_pylist()
    seen: set[str] = set()
    errors: list[Error] = []
    for index in candidates:  # why: as frictionless, a key's first row is fine and each later one is the error
        value = str(joined[index])
        if value in seen and len(errors) < MAX_ERRORS:
            errors.append(Error(name, index + 2, ",".join(key), value.replace("\x1f", ","),
                                "primary key is not unique"))
        seen.add(value)
    return errors


def _strictly_increasing(table: pa.Table, key: list[str], schema: dict[str, Any]) -> bool:
    """Whether each row's key is greater than the previous row's (so all keys differ).

    why: packages are written sorted by key (integer parts by value), so a published table passes
    with two comparisons per key cell instead of hashing every key; any other order falls back.
    """
    integers = {f["name"] for f in schema["fields"] if f["type"] == "integer"}
    ahead: pa.ChunkedArray | None = None
    same: pa.ChunkedArray | None = None
    for part in key:
        column = table[part]
        if part in integers:
            try:
                column = pc.cast(column, pa.int64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return False
        before, after = column[:-1], column[1:]
        less = pc.less(before, after)
        ahead = less if ahead is None or same is None else pc.or_(ahead, pc.and_(same, less))
        same = pc.equal(before, after) if same is None else pc.and_(same, pc.equal(before, after))
    if ahead is None or len(ahead) == 0:
        return True
    return bool(pc.all(ahead).as_py())


def _joined(table: pa.Table, fields: list[str]) -> pa.ChunkedArray:
    """The key columns as one text column (unit separator between parts)."""
    if len(fields) == 1:
        return table[fields[0]]
    return pc.binary_join_element_wise(*[table[f] for f in fields], "\x1f")


def _foreign_keys(resources: list[dict[str, Any]], tables: dict[str, pa.Table]) -> list[Error]:
    errors: list[Error] = []
    for resource in resources:
        table = tables.get(resource["name"])
        for fk in resource["schema"].get("foreignKeys", []):
            target = tables.get(fk["reference"]["resource"] or resource["name"])
            if table is None or target is None:
                continue
            here = _joined(table, fk["fields"])
            there = _joined(target, fk["reference"]["fields"])
            dangling = pc.invert(pc.is_in(here, value_set=pc.unique(there)))
            if not _any(dangling):
                continue
            errors += [Error(resource["path"], row, ",".join(fk["fields"]), str(here[row - 2]).replace("\x1f", ","),
                             f"no matching row in {fk['reference']['resource']}") for row in _rows(dangling)]
    return errors


def _frictionless(descriptor_path: Path) -> list[Error]:
    """The reference validator; its errors mapped onto ours."""
    import frictionless  # why: importing frictionless changes csv.field_size_limit process-wide

    package = frictionless.Package(descriptor_path.name, basepath=str(descriptor_path.parent.resolve()))
    report = package.validate()
    errors = []
    for task in report.tasks:
        for err in task.errors:
            errors.append(Error(Path(task.place or "?").name, getattr(err, "row_number", None),
                                getattr(err, "field_name", None), _cell(err), err.message))
    for err in report.errors:
        errors.append(Error(descriptor_path.name, None, None, None, err.message))
    return errors


def _cell(err: Any) -> str | None:
    cell = getattr(err, "cell", None)
    return None if cell is None else str(cell)


def validate_tree(packages_dir: Path, engine: Engine = "fast") -> list[Report]:
    """Every package under a published directory, in name order."""
    return [validate_package(p, engine) for p in sorted(Path(packages_dir).glob("*/datapackage.json"))]
