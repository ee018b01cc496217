"""Small-cell suppression of counts a page shows, for counts that are not public row by row.

Which counts are disclosive (docs/privacy.md, "Disclosure consistency"): the cases table is published
one row per case, with its category, status, reasons, dates and published cell. A count of those rows by
those columns can be recounted by anyone from the CSV, so withholding it on a page protects nothing:
`page_withheld` withholds no such count (`public_rows=True`, every count the pages show today). A count of
data that is not published row by row (say, by a finer place than a case's published cell) must go
through `withheld` below.

A count with 0 < n < k is withheld (primary suppression); then more counts are withheld
(complementary suppression, pipeline.metrics.suppress) until no withheld count equals a shown
total minus the shown counts that add up to it. k is the package's anonymization parameter.

Counts are keyed by tuples such as ("status", "declined") or ("cell", "pothole", "open"); an
additive relation says that a total is the sum of its parts. Parts that a page does not show
(cases outside every row of a table) are added as a hidden remainder, so the relation stays exact.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.metrics import suppress

DEFAULT_K = 3
# why: "x" is the mark of Japanese official statistics (e-Stat) for a cell withheld for secrecy.
COMPLEMENT_MARK = "x"
Key = tuple[str, ...]


@dataclass(frozen=True)
class Withheld:
    """A withheld count (its value is not kept): "<k" when it is small, "x" when withheld as a complement."""

    k: int
    complementary: bool = False

    def __str__(self) -> str:
        return COMPLEMENT_MARK if self.complementary else f"<{self.k}"


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), between counts of one page or of pages that show the same figures."""

    total: Key
    parts: tuple[Key, ...]


def k_of(descriptor: Mapping[str, Any]) -> int:
    """The k of a package's datapackage.json (mieruka.anonymization.parameters.k), else 3."""
    note = descriptor.get("mieruka") or {}
    parameters = (note.get("anonymization") or {}).get("parameters") or {}
    try:
        k = int(parameters.get("k", DEFAULT_K))
    except (TypeError, ValueError):
        return DEFAULT_K
    return max(k, 1)


def exact(values: dict[Key, int], total: Key, parts: Sequence[Key]) -> list[Relation]:
    """The relation total = parts, with a hidden remainder part when the shown parts fall short.

    Adds the remainder to `values` (a non-zero remainder is unknown to a reader, so it counts as withheld
    when it is chosen). Returns [] when the total is not a count in `values`.
    """
    if total not in values:
        return []
    present = tuple(p for p in parts if p in values)
    rest = values[total] - sum(values[p] for p in present)
    if rest > 0:
        remainder = ("rest", f"{len(values):06d}", *total)
        values[remainder] = rest
        present = (*present, remainder)
    return [Relation(total, present)]


def page_withheld(values: Mapping[Key, int], relations: Sequence[Relation], k: int,
                  public_rows: bool = True) -> frozenset[Key]:
    """The counts a page withholds: none when they count published rows by published columns, else `withheld`."""
    return frozenset() if public_rows else withheld(values, relations, k)


def withheld(values: Mapping[Key, int], relations: Sequence[Relation], k: int) -> frozenset[Key]:
    """The counts to withhold: 0 < n < k, and enough others that none can be worked out from a relation."""
    keys = sorted(values)
    index = {key: i for i, key in enumerate(keys)}
    counts = np.array([values[key] for key in keys], dtype="float64")
    groups = []
    for relation in relations:
        gid = np.full(len(keys), -1, dtype=np.int64)
        is_total = np.zeros(len(keys), dtype=bool)
        gid[[index[p] for p in relation.parts]] = 0
        gid[index[relation.total]] = 0
        is_total[index[relation.total]] = True
        groups.append((gid, is_total))
    out = suppress.complementary(counts, suppress.primary(counts, k), groups)
    return frozenset(keys[i] for i in np.flatnonzero(out))


def disclosed(values: Mapping[Key, int], relations: Sequence[Relation], hidden: frozenset[Key]) -> set[Key]:
    """Withheld counts that one relation gives away (total minus parts with exactly one unknown)."""
    out = set()
    for relation in relations:
        members = [relation.total, *relation.parts]
        unknown = [m for m in members if m in hidden]
        if len(unknown) == 1:
            out.add(unknown[0])
    return out


def shown(value: int, key: Key, hidden: frozenset[Key], k: int) -> int | Withheld:
    """The count as a page shows it."""
    return Withheld(k, complementary=not 0 < value < k) if key in hidden else value


@dataclass(frozen=True)
class TableMask:
    """Which counts of a table with row, column and grand totals are withheld."""

    parts: np.ndarray  # bool, rows x columns
    rows: np.ndarray  # bool, one per row total
    columns: np.ndarray  # bool, one per column total
    total: bool


def table_withheld(parts: np.ndarray, k: int) -> TableMask:
    """A rows x columns table of counts (NaN where a cell is not shown) with its margins -> what to withhold.

    The margins are the sums of the shown cells; all four kinds of relation (each row, each column, the row
    totals and the column totals against the grand total) are kept from giving a withheld count away.
    """
    n_rows, n_cols = parts.shape
    cells = parts.reshape(-1)
    row_totals = np.nansum(parts, axis=1)
    col_totals = np.nansum(parts, axis=0)
    values = np.concatenate([cells, row_totals, col_totals, [row_totals.sum()]])
    size = len(values)
    first_row, first_col, grand = n_rows * n_cols, n_rows * n_cols + n_rows, size - 1

    def kind() -> tuple[np.ndarray, np.ndarray]:
        return np.full(size, -1, dtype=np.int64), np.zeros(size, dtype=bool)

    by_row, row_is_total = kind()
    by_row[:first_row] = np.repeat(np.arange(n_rows), n_cols)
    by_row[first_row:first_col] = np.arange(n_rows)
    row_is_total[first_row:first_col] = True
    by_col, col_is_total = kind()
    by_col[:first_row] = np.tile(np.arange(n_cols), n_rows)
    by_col[first_col:grand] = np.arange(n_cols)
    col_is_total[first_col:grand] = True
    row_margin, row_margin_total = kind()
    row_margin[first_row:first_col] = 0
    row_margin[grand] = 0
    row_margin_total[grand] = True
    col_margin, col_margin_total = kind()
    col_margin[first_col:] = 0
    col_margin_total[grand] = True
    groups = [(by_row, row_is_total), (by_col, col_is_total), (row_margin, row_margin_total),
              (col_margin, col_margin_total)]
    out = suppress.complementary(values, suppress.primary(values, k), groups)
    return TableMask(parts=out[:first_row].reshape(n_rows, n_cols), rows=out[first_row:first_col],
                     columns=out[first_col:grand], total=bool(out[grand]))
