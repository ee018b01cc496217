"""Location generalization: exact points -> JIS X 0410 mesh cells, coarsened until k-anonymous, and the
towns kept only where (cell, town, group) is k-anonymous too (docs/privacy.md)."""

import jismesh.utils as jm
import numpy as np
import pandas as pd

# (level name, jismesh level): quarter ≈ 250 m, half ≈ 500 m, standard ≈ 1 km, second ≈ 10 km.
MESH_LEVELS = (("quarter", 5), ("half", 4), ("standard", 3), ("second", 2))


def meshcodes(lat: np.ndarray, lon: np.ndarray, level: int) -> np.ndarray:
    """jismesh.to_meshcode over arrays of any length (jismesh fails on a single point with NumPy 2)."""
    if len(lat) == 1:
        return np.asarray(jm.to_meshcode(np.repeat(lat, 2), np.repeat(lon, 2), level))[:1]
    return np.asarray(jm.to_meshcode(lat, lon, level))


def meshpoints(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centres (lat, lon) of mesh cells, for arrays of any length (the same jismesh fault as above)."""
    if len(codes) == 1:
        lat, lon = jm.to_meshpoint(np.repeat(codes, 2), 0.5, 0.5)
        return np.asarray(lat)[:1], np.asarray(lon)[:1]
    lat, lon = jm.to_meshpoint(codes, 0.5, 0.5)
    return np.asarray(lat), np.asarray(lon)


def generalize(lat: pd.Series, lon: pd.Series, groups: pd.DataFrame, k: int) -> pd.DataFrame:
    """Exact points -> mesh_code, mesh_level, latitude, longitude (cell centre), k-anonymous per group.

    Every published cell holds at least k cases of its group that are published at exactly that cell.
    Cells of 1 km or finer are chosen top down: a 1 km cell with >= k cases is published, and split into
    its 500 m cells only when each of them that holds a case holds >= k (then likewise into 250 m
    cells), so that no case is left as a remainder of a finer cell. Cases in a 1 km cell with < k go
    to their 10 km cell, when at least k such cases share it, else to the municipality.
    """
    n = len(lat)
    out = pd.DataFrame({"mesh_code": pd.Series([""] * n, dtype=object), "mesh_level": "none",
                        "latitude": np.nan, "longitude": np.nan}, index=lat.index)
    has = lat.notna() & lon.notna()
    idx = has[has].index
    if len(idx):
        keys = pd.concat([groups.loc[idx, c].astype(str).rename(f"_g{i}") for i, c in enumerate(groups.columns)],
                         axis=1)
        points = (lat[idx].to_numpy(float), lon[idx].to_numpy(float))
        cells = {name: pd.Series(meshcodes(*points, level), index=idx).astype("int64").astype(str)
                 for name, level in MESH_LEVELS}
        names = list(keys.columns)

        def size(cell: pd.Series) -> pd.Series:
            frame = pd.concat([keys, cell.rename("_cell")], axis=1)
            sizes: pd.Series = frame.groupby([*names, "_cell"])["_cell"].transform("size")
            return sizes

        def splits(child: pd.Series, parent: pd.Series) -> pd.Series:
            """True for the cases whose parent cell may be split: each non-empty child cell holds >= k."""
            small = (size(child) < k).astype(int)
            frame = pd.concat([keys, parent.rename("_parent"), small.rename("_small")], axis=1)
            largest: pd.Series = frame.groupby([*names, "_parent"])["_small"].transform("max")
            return largest == 0

        level = pd.Series("municipality", index=idx, dtype=object)
        standard = size(cells["standard"]) >= k
        level[standard] = "standard"
        half = standard & splits(cells["half"], cells["standard"])
        level[half] = "half"
        quarter = half & splits(cells["quarter"], cells["half"])
        level[quarter] = "quarter"
        rest = ~standard
        if rest.any():
            second = pd.Series(False, index=idx)
            frame = pd.concat([keys[rest], cells["second"][rest].rename("_cell")], axis=1)
            second[rest] = (frame.groupby([*names, "_cell"])["_cell"].transform("size") >= k).to_numpy(bool)
            level[second] = "second"
        code = pd.Series("", index=idx, dtype=object)
        for name, _ in MESH_LEVELS:
            chosen = level == name
            code[chosen] = cells[name][chosen]
        out.loc[idx, "mesh_code"] = code
        out.loc[idx, "mesh_level"] = level
    placed = out.index[out["mesh_code"] != ""]
    if len(placed):
        centres = meshpoints(out.loc[placed, "mesh_code"].to_numpy(np.int64))
        out.loc[placed, "latitude"] = np.round(centres[0], 6)
        out.loc[placed, "longitude"] = np.round(centres[1], 6)
    return out


def k_towns(towns: pd.Series, cells: pd.Series, groups: pd.DataFrame, k: int) -> pd.Series:
    """Town names -> town names kept only where (cell, town, *groups) holds >= k cases.

    why: the town is a location too. A case moved up to a coarse cell (or to the municipality) because
    its neighbourhood was sparse would be pinned down again by its town. Within each (cell, *groups)
    group the rarest towns are blanked until the blanked rows also number >= k (or all are blanked), so
    that (cell, town, *groups) stays k-anonymous wherever (cell, *groups) is. Ties among equally rare
    towns are broken by name, so the result is deterministic.
    """
    keys = [cells.astype(str).rename("_cell"), *[groups[c].astype(str).rename(f"_g{i}")
                                                  for i, c in enumerate(groups.columns)]]
    names = [str(key.name) for key in keys]
    frame = pd.concat([*keys, towns.fillna("").astype(str).rename("_town")], axis=1)
    sizes = frame.groupby([*names, "_town"], sort=False).size().rename("_n").reset_index()
    sizes = sizes.sort_values([*names, "_n", "_town"], kind="stable").reset_index(drop=True)
    rare = (sizes["_n"] < k) | (sizes["_town"] == "")
    by_group = [sizes[name] for name in names]
    blanked = sizes["_n"].where(rare, 0).groupby(by_group, sort=False).transform("sum")
    kept_n = sizes["_n"].where(~rare, 0)
    before = kept_n.groupby(by_group, sort=False).cumsum() - kept_n  # kept rows counted before, rarest first
    # a group whose rare towns hold 1..k-1 cases blanks further towns, rarest first, until they hold >= k
    sizes["_blank"] = rare | ((blanked > 0) & (blanked + before < k))
    blank = frame.merge(sizes[[*names, "_town", "_blank"]], on=[*names, "_town"], how="left")["_blank"]
    out = frame["_town"].copy()
    out[blank.to_numpy(dtype=bool)] = ""
    return out
