"""Small-cell suppression: primary (0 < count < k) and complementary, so that no withheld count can be
worked out as a published total minus the published cells that add up to it."""

from collections.abc import Sequence

import numpy as np

# One additive relation per row: group id (-1 where the row is in no group of this kind) and whether the
# row is the group's total (the others are its parts).
Groups = tuple[np.ndarray, np.ndarray]


def primary(values: np.ndarray, k: int) -> np.ndarray:
    """Counts that are published only if at least k: True where 0 < value < k."""
    with np.errstate(invalid="ignore"):
        return (values > 0) & (values < k)


def complementary(values: np.ndarray, suppressed: np.ndarray, groups: Sequence[Groups]) -> np.ndarray:
    """Extend suppression until no group (total + parts) has exactly one withheld cell.

    values: the true counts; NaN where nothing is published (the cell is structurally empty).
    In a group with one withheld cell, the next one withheld is the smallest non-zero part, else the total,
    else a zero part, ties broken by row order. Repeats over all kinds of groups until nothing changes,
    since a total withheld in one group is a part in another.
    """
    out = suppressed.copy()
    present = ~np.isnan(values)
    order_value = np.nan_to_num(values, nan=0.0)
    changed = True
    while changed:
        changed = False
        for gid, is_total in groups:
            member = (gid >= 0) & (present | out)
            rows = np.flatnonzero(member)
            if not len(rows):
                continue
            size = int(gid[rows].max()) + 1
            withheld = np.bincount(gid[rows], weights=out[rows].astype("float64"), minlength=size)
            candidates = rows[(withheld[gid[rows]] == 1) & ~out[rows]]
            if not len(candidates):
                continue
            priority = np.where(is_total[candidates], 1, np.where(order_value[candidates] > 0, 0, 2))
            ranked = candidates[np.lexsort((candidates, order_value[candidates], priority, gid[candidates]))]
            _, first = np.unique(gid[ranked], return_index=True)
            out[ranked[first]] = True
            changed = True
    return out


def recoverable(values: np.ndarray, suppressed: np.ndarray, groups: Sequence[Groups]) -> np.ndarray:
    """Withheld cells that equal a published total minus published parts (True = disclosed)."""
    disclosed = np.zeros(len(values), dtype=bool)
    present = ~np.isnan(values) | suppressed
    for gid, _ in groups:
        member = (gid >= 0) & present
        rows = np.flatnonzero(member)
        if not len(rows):
            continue
        size = int(gid[rows].max()) + 1
        withheld = np.bincount(gid[rows], weights=suppressed[rows].astype("float64"), minlength=size)
        disclosed[rows[(withheld[gid[rows]] == 1) & suppressed[rows]]] = True
    return disclosed
