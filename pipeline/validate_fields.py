"""The fast engine's per-field checks: one vectorized mask of bad cells per type or constraint (pyarrow)."""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

_INTEGER = r"^-?[0-9]+$"
_NUMBER = r"^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$"
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_missing(column: pa.ChunkedArray, missing: set[str], missing_set: pa.Array) -> pa.ChunkedArray:
    if missing == {""}:
        return pc.equal(pc.binary_length(column), 0)  # why: reads the offsets only, not the text
    return pc.is_in(column, value_set=missing_set)


def any_true(mask: pa.ChunkedArray | pa.Array) -> bool:
    return bool(pc.any(mask).as_py())


def field_checks(column: pa.ChunkedArray, spec: dict[str, Any], constraints: dict[str, Any],
                 missing: set[str]) -> Iterable[tuple[pa.ChunkedArray, str]]:
    """(mask of bad cells, message) per check that applies to this field.

    A mask may also flag missing cells (the caller excludes those); with the default missing value
    (the empty string) the masks flag none, so that a clean column costs one pass per check.
    """
    empty_ok = missing == {""}
    kind = spec["type"]
    all_numbers = False
    if kind in ("integer", "number"):
        shape = _mismatch(column, _INTEGER if kind == "integer" else _NUMBER, empty_ok)
        all_numbers = not any_true(shape) and not any_true(pc.equal(pc.binary_length(column), 0))
        yield shape, f"not {'an integer' if kind == 'integer' else 'a number'}"
    elif kind == "boolean":
        allowed = spec.get("trueValues", ["true", "True", "TRUE", "1"]) + spec.get(
            "falseValues", ["false", "False", "FALSE", "0"])
        yield pc.invert(pc.is_in(column, value_set=pa.array(allowed + _blank(empty_ok), pa.string()))), \
            "not a boolean"
    elif kind == "date":
        yield _bad_dates(column), "not a date (YYYY-MM-DD)"
    yield from _constraint_checks(column, constraints, empty_ok)
    if kind in ("integer", "number"):
        yield from _range_checks(column, constraints, all_numbers)
    if spec.get("format") == "uri":
        yield _mismatch(column, r"https?://[^\s<>\"']+", empty_ok), "not an http(s) URI"


def _blank(empty_ok: bool) -> list[str]:
    return [""] if empty_ok else []


def _constraint_checks(column: pa.ChunkedArray, constraints: dict[str, Any],
                       empty_ok: bool) -> Iterable[tuple[pa.ChunkedArray, str]]:
    """enum, pattern, maxLength and minLength."""
    if "enum" in constraints:
        allowed = pa.array([str(v) for v in constraints["enum"]] + _blank(empty_ok), pa.string())
        yield pc.invert(pc.is_in(column, value_set=allowed)), "not one of the allowed codes"
    if "pattern" in constraints:
        yield _mismatch(column, f"(?:{constraints['pattern']})", empty_ok), \
            f"does not match the pattern {constraints['pattern']}"
    if "maxLength" in constraints:
        yield pc.greater(pc.utf8_length(column), constraints["maxLength"]), \
            f"longer than {constraints['maxLength']} characters"
    if "minLength" in constraints:
        yield pc.less(pc.utf8_length(column), constraints["minLength"]), \
            f"shorter than {constraints['minLength']} characters"


def _range_checks(column: pa.ChunkedArray, constraints: dict[str, Any],
                  all_numbers: bool) -> Iterable[tuple[pa.ChunkedArray, str]]:
    """minimum and maximum of a numeric field."""
    if "minimum" not in constraints and "maximum" not in constraints:
        return
    numbers = _numbers(column, all_numbers)
    if "minimum" in constraints:
        yield pc.less(numbers, constraints["minimum"]), f"less than the minimum {constraints['minimum']}"
    if "maximum" in constraints:
        yield pc.greater(numbers, constraints["maximum"]), f"more than the maximum {constraints['maximum']}"


def _numbers(column: pa.ChunkedArray, all_numbers: bool) -> pa.ChunkedArray:
    """The cells read as numbers; a cell that is not a number becomes null (other checks report it).

    all_numbers: every cell is known to match _NUMBER (none missing), so one cast reads them all.
    """
    if all_numbers:
        try:
            return pc.cast(column, pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass  # why: a value out of float range; the regex path below reads what it can
    return pc.cast(pc.if_else(pc.match_substring_regex(column, _NUMBER), column, None), pa.float64())


def _mismatch(column: pa.ChunkedArray, body: str, empty_ok: bool) -> pa.ChunkedArray:
    """Cells that do not match the whole of `body` (an RE2 pattern); the empty cell passes if empty_ok."""
    anchored = f"^(?:{body}|)$" if empty_ok else f"^(?:{body})$"
    return pc.invert(pc.match_substring_regex(column, anchored))


def _bad_dates(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Cells that are not an ISO date; each distinct value is checked once (a column holds few dates)."""
    invalid = []
    for value in pc.unique(column).to_pylist():
        if value == "":
            continue  # why: a missing cell; the caller excludes missing cells, whatever the missing values are
        if not _DATE_SHAPE.fullmatch(value):
            invalid.append(value)
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            invalid.append(value)
    return pc.is_in(column, value_set=pa.array(invalid or [""], pa.string())) if invalid else \
        pc.equal(column, "\x00")
