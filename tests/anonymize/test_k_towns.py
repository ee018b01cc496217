"""anonymize.k_towns (grouped, vectorized) against a plain per-group loop of the same rule."""

import random

import pandas as pd
import pytest

from pipeline.anonymize import k_towns


def reference(towns: pd.Series, cells: pd.Series, groups: pd.DataFrame, k: int) -> pd.Series:
    """The rule written as a loop: per (cell, *groups), blank towns rarer than k (and empty ones), then the
    rarest remaining towns (ties by name) while the blanked rows number 1..k-1."""
    keys = [cells.astype(str), *[groups[c].astype(str) for c in groups.columns]]
    frame = pd.concat([*keys, towns.fillna("").astype(str).rename("_town")], axis=1, ignore_index=False)
    frame.columns = [*[f"k{i}" for i in range(len(keys))], "_town"]
    out = frame["_town"].copy()
    for _, part in frame.groupby([f"k{i}" for i in range(len(keys))], sort=False):
        sizes = part["_town"].value_counts().sort_index().sort_values(kind="stable")
        blank = {t for t, n in sizes.items() if n < k or t == ""}
        blanked = int(sizes[list(blank)].sum()) if blank else 0
        for town, n in sizes.items():
            if blanked == 0 or blanked >= k:
                break
            if town not in blank:
                blank.add(town)
                blanked += int(n)
        out[part.index[part["_town"].isin(blank)]] = ""
    return out


@pytest.mark.parametrize("seed", range(12))
def test_same_as_the_loop(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 400)
    towns = pd.Series([rng.choice(["岐山通", "平和通", "御幸通", "銀南街", "", None, "代々木通"]) for _ in range(n)],
                      index=rng.sample(range(10_000), n))
    cells = pd.Series([rng.choice(["5131", "5132", "5133", ""]) for _ in range(n)], index=towns.index)
    groups = pd.DataFrame({"category": [rng.choice(["pothole", "weeding"]) for _ in range(n)],
                           "fiscal_year": [rng.choice([2024, 2025]) for _ in range(n)]}, index=towns.index)
    k = rng.choice([2, 3, 5])
    pd.testing.assert_series_equal(k_towns(towns, cells, groups, k), reference(towns, cells, groups, k),
                                   check_names=False)
