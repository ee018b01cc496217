"""Cases counted per published mesh cell (pipeline.site.mapcells), against a row-by-row count of the same rows;
and a body's map document and its page count the cases once."""

from collections import Counter, defaultdict
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import schema
from pipeline.site import mapcells, mapframes, maps

STATUSES = schema.enum("cases", "status")
CATEGORIES = schema.enum("cases", "category")

VALUES = {
    "latitude": st.sampled_from(["34.05", "34.0500001", "34.1", "", "19.9", "x"]),
    "longitude": st.sampled_from(["131.8", "131.9", "", "155"]),
    "mesh_level": st.sampled_from(["third", "second", "municipality", "none", ""]),
    "mesh_code": st.sampled_from(["513100", "51310011", "51310012", ""]),
    "status": st.sampled_from([*STATUSES[:3], "lost", ""]),
    "fiscal_year": st.sampled_from(["2024", "2025", "", "FY"]),
    "category": st.sampled_from([*CATEGORIES[:2], "other_thing", ""]),
    "cases": st.sampled_from(["1", "3", "", "n/a"]),
}
ROWS = st.fixed_dictionaries(VALUES)


def _reference(rows: list[dict[str, str]], weighted: bool) -> tuple[list[dict[str, Any]], int, list[list[Any]]]:
    """The cells, the cases without one and the facts, counted a row at a time."""
    statuses = mapcells.status_codes()

    def number(text: str) -> float | None:
        try:
            return float(text)
        except ValueError:
            return None

    cells: dict[tuple[float, float, str], dict[str, Any]] = {}
    unlocated, keyed = 0, []
    for row in rows:
        lat, lon = number(row["latitude"]), number(row["longitude"])
        weight = (int(number(row["cases"]) or 1) if number(row["cases"]) is not None else 1) if weighted else 1
        status = row["status"] if row["status"] in STATUSES else mapcells.UNKNOWN_STATUS
        ok = lat is not None and lon is not None and 20 <= lat <= 46 and 122 <= lon <= 154 \
            and row["mesh_level"] not in mapcells.NO_LOCATION_LEVELS
        key = None
        if ok:
            assert lat is not None and lon is not None
            key = (float(np.round(lat, 6)), float(np.round(lon, 6)), row["mesh_level"])
            cell = cells.setdefault(key, {"codes": set(), "counts": Counter()})
            cell["codes"].add(row["mesh_code"])
            cell["counts"][status] += weight
        else:
            unlocated += weight
        keyed.append((key, row, status, weight))
    order = sorted(cells, key=lambda k: (k, min(cells[k]["codes"])))
    table = [{"latitude": k[0], "longitude": k[1], "level": k[2], "code": min(cells[k]["codes"]),
              **{s: cells[k]["counts"][s] for s in statuses}, "total": sum(cells[k]["counts"].values())}
             for k in order]
    index = {k: i for i, k in enumerate(order)}
    facts: dict[tuple[int, str, str, int], int] = defaultdict(int)
    for key, row, status, weight in keyed:
        year = row["fiscal_year"] if row["fiscal_year"].isdigit() else ""
        category = row["category"] if row["category"] in CATEGORIES else ""
        facts[(index[key] if key is not None else -1, year, category, statuses.index(status))] += weight
    return table, unlocated, [[*k, n] for k, n in sorted(facts.items())]


@settings(max_examples=60, deadline=None)
@given(st.lists(ROWS, max_size=40), st.booleans())
def test_counts_equal_a_count_row_by_row(rows: list[dict[str, str]], weighted: bool) -> None:
    frame = pd.DataFrame(rows, columns=list(VALUES), dtype=object) if rows \
        else pd.DataFrame(columns=list(VALUES))
    if not weighted:
        frame = frame.drop(columns="cases")
    counts = mapcells.cell_counts(frame)
    table, unlocated, facts = _reference(rows, weighted)
    columns = ["latitude", "longitude", "level", "code", *mapcells.status_codes(), "total"]
    assert counts.table[columns].to_dict("records") == table
    assert counts.unlocated == unlocated
    assert counts.facts == facts


def test_the_same_table_is_counted_once() -> None:
    frame = pd.DataFrame({"latitude": ["34.1"], "longitude": ["131.8"], "mesh_level": ["third"],
                          "mesh_code": ["51310011"], "status": ["received"], "fiscal_year": ["2025"],
                          "category": [CATEGORIES[0]]})
    first = mapcells.cell_counts(frame)
    assert mapcells.cell_counts(frame) is first
    again = mapcells.cell_counts(frame.copy())  # an equal table, but another one: counted again
    assert again is not first and again.facts == first.facts


def test_a_body_map_and_its_page_count_the_cases_once(monkeypatch: Any) -> None:
    calls = []
    count = mapcells._count  # noqa: SLF001

    def counting(cells: pd.DataFrame) -> mapcells.CellCounts:
        calls.append(1)
        return count(cells)

    monkeypatch.setattr(mapcells, "_count", counting)
    cases = pd.DataFrame({"latitude": ["34.1", ""], "longitude": ["131.8", ""], "mesh_level": ["third", "none"],
                          "mesh_code": ["51310011", ""], "status": ["received", "completed"],
                          "fiscal_year": ["2025", "2025"], "category": [CATEGORIES[0]] * 2,
                          "municipality_code": ["352152"] * 2})
    document = maps.cases_map(cases, "ja", "../static/vendor/")
    page = mapframes.body_page(SimpleNamespace(code="352152", tables={"cases": cases}))
    assert len(calls) == 1
    assert page.context["unlocated"] == 1 and page.context["map_data"]["facts"][0][0] == -1
    assert '"facts"' in document
