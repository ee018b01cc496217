"""Small-cell suppression of the counts pages show: unit, property and built-page tests."""

import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pipeline.site import smallcells
from pipeline.site.bodyfigures import Orders, body_figures
from pipeline.site.smallcells import Relation, Withheld, table_withheld

ORDERS = Orders(categories=["pothole", "weeding", "drainage"],
                statuses=["received", "in_progress", "completed", "declined", "referred", "monitoring"],
                decline_reasons=["private_land", "no_defect", "budget"], referred_to=["prefecture", "police"])
SMALL = re.compile(r"^[12]$")


def test_k_comes_from_the_package_and_defaults_to_3() -> None:
    assert smallcells.k_of({"mieruka": {"anonymization": {"parameters": {"k": 5}}}}) == 5
    assert smallcells.k_of({}) == 3
    assert smallcells.k_of({"mieruka": {"anonymization": {"parameters": {"k": "x"}}}}) == 3


def test_marks() -> None:
    assert str(Withheld(3)) == "<3"
    assert str(Withheld(3, complementary=True)) == "x"


def test_one_small_part_takes_a_second_one_with_it() -> None:
    values = {("t",): 10, ("a",): 1, ("b",): 4, ("c",): 5}
    relations = [Relation(("t",), (("a",), ("b",), ("c",)))]
    hidden = smallcells.withheld(values, relations, 3)
    assert hidden == {("a",), ("b",)}  # b is the smallest other non-zero part
    assert smallcells.disclosed(values, relations, hidden) == set()


def test_exact_adds_a_hidden_remainder() -> None:
    values = {("t",): 10, ("a",): 4}
    relations = smallcells.exact(values, ("t",), [("a",), ("missing",)])
    assert relations == [Relation(("t",), (("a",), ("rest", "000002", "t")))]
    assert values[("rest", "000002", "t")] == 6


def _withheld_once(parts: np.ndarray, mask: smallcells.TableMask) -> list[str]:
    """Relations of the table that have exactly one withheld member (each one gives it away)."""
    present = ~np.isnan(parts)
    found = []
    for i in range(parts.shape[0]):
        if int((mask.parts[i] & present[i]).sum()) + int(mask.rows[i]) == 1:
            found.append(f"row {i}")
    for j in range(parts.shape[1]):
        if int((mask.parts[:, j] & present[:, j]).sum()) + int(mask.columns[j]) == 1:
            found.append(f"column {j}")
    if int(mask.rows.sum()) + int(mask.total) == 1:
        found.append("row totals")
    if int(mask.columns.sum()) + int(mask.total) == 1:
        found.append("column totals")
    return found


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 5)),
              elements=st.sampled_from([np.nan, 0.0, 1.0, 2.0, 3.0, 4.0, 7.0, 20.0])),
       st.integers(2, 5))
def test_table_no_small_count_shown_and_none_recoverable(parts: np.ndarray, k: int) -> None:
    mask = table_withheld(parts, k)
    present = ~np.isnan(parts)
    small = present & (parts > 0) & (parts < k)
    assert not (small & ~mask.parts).any()
    rows, cols = np.nansum(parts, axis=1), np.nansum(parts, axis=0)
    assert not ((rows > 0) & (rows < k) & ~mask.rows).any()
    assert not ((cols > 0) & (cols < k) & ~mask.columns).any()
    assert _withheld_once(parts, mask) == []


CASES = st.lists(st.tuples(
    st.sampled_from(["pothole", "weeding", "drainage", "zzz"]),
    st.sampled_from(ORDERS.statuses),
    st.sampled_from(["private_land", "no_defect", "budget", ""]),
    st.sampled_from(["prefecture", "police", ""]),
    st.dates(date(2024, 4, 1), date(2025, 10, 31)),
    st.integers(-1, 60)), max_size=60)


def frame(rows: list[tuple[str, str, str, str, date, int]]) -> pd.DataFrame:
    records = []
    for category, status, reason, referred, day, days in rows:
        closed = status in ("completed", "declined", "referred") and days >= 0
        records.append({
            "category": category, "status": status,
            "decline_reason": reason if status == "declined" else "",
            "referred_to": referred if status == "referred" else "",
            "requested_date": day.isoformat(),
            "closed_date": date.fromordinal(day.toordinal() + days).isoformat() if closed else ""})
    columns = ["category", "status", "decline_reason", "referred_to", "requested_date", "closed_date"]
    return pd.DataFrame(records, columns=columns, dtype=str)


def shown_counts(figs: object) -> list[object]:
    out: list[object] = [figs.headline["cases"], figs.headline["median_n"]]  # type: ignore[attr-defined]
    out += [m["count"] for m in figs.monthly]  # type: ignore[attr-defined]
    for table in ("statuses", "decline_reasons", "referred_to"):
        out += [r["count"] for r in getattr(figs, table)]
    for row in figs.categories:  # type: ignore[attr-defined]
        out += [row[g] for g in ("cases", "completed", "declined", "referred", "open", "median_n")]
    return out


@settings(max_examples=150, deadline=None)
@given(CASES, st.integers(2, 4))
def test_body_tables_show_no_small_count_and_give_none_away(rows: list[tuple[str, str, str, str, date, int]],
                                                            k: int) -> None:
    figs = body_figures(frame(rows), ORDERS, date(2025, 11, 20), 20, k)
    for value in shown_counts(figs):
        assert isinstance(value, Withheld) or value == 0 or value >= k, value
    assert smallcells.disclosed(figs.values, figs.relations, figs.hidden) == set()
    if isinstance(figs.headline["cases"], Withheld) or any(
            isinstance(s["count"], Withheld) for s in figs.statuses if s["code"] == "completed"):
        assert figs.headline["completed_share"] is None


def test_shares_are_not_shown_when_completed_is_withheld() -> None:
    rows = [("pothole", "completed", "", "", date(2025, 4, 1), 3)] + \
        [("pothole", "received", "", "", date(2025, 4, 2), 0)] * 9
    figs = body_figures(frame(rows), ORDERS, date(2025, 11, 20), 20, 3)
    assert str(figs.headline["completed"]) == "<3"
    assert figs.headline["completed_share"] is None


# ---------------------------------------------------------------- built pages

MONEY_AND_METRICS = ("type-caption", "contractor-caption", "contracts-caption", "work-caption", "metrics-caption")
COUNT_PAGES = ["index.html", "municipalities/352152.html", "municipalities/352071.html",
               "municipalities/350001.html", "compare/pothole.html", "compare/weeding.html", "cases/index.html"]


def count_cells(doc: BeautifulSoup) -> list[str]:
    """Texts of every number cell of the count tables (spending and metrics tables excluded)."""
    texts = []
    for table in doc.select("table"):
        caption = table.caption.get("id", "") if table.caption else ""
        if caption in MONEY_AND_METRICS:
            continue
        for cell in table.select("td.num"):
            texts.append(cell.get_text(" ", strip=True))
    return texts


@pytest.mark.parametrize("lang_root", ["", "en/"])
@pytest.mark.parametrize("page", COUNT_PAGES)
def test_pages_show_no_count_below_k(site: Path, lang_root: str, page: str) -> None:
    doc = BeautifulSoup((site / lang_root / page).read_text(encoding="utf-8"), "html.parser")
    cells = count_cells(doc)
    assert cells or page == "cases/index.html"
    for text in cells:
        first = text.split(" ")[0]
        assert not SMALL.match(first), f"{page}: {text}"
        assert not re.search(r"n=[12](?!\d)", text), f"{page}: {text}"
    for li in doc.select("ul.link-list li .note"):
        assert not re.search(r"\((1|2)(件| cases?)", li.get_text()), li.get_text()


def test_chart_data_has_gaps_not_small_counts(site: Path) -> None:
    doc = BeautifulSoup((site / "municipalities/352152.html").read_text(encoding="utf-8"), "html.parser")
    data = json.loads(doc.select_one("#trend-data").string)
    assert None in list(data["counts"]) and all(c is None or c == 0 or c >= 3 for c in data["counts"])


def _received_column(doc: BeautifulSoup) -> dict[str, str]:
    """The body page's categories table: {category link: requests received as shown}."""
    table = doc.select_one("#categories-caption").find_parent("table")
    return {tr.a["href"]: tr.select("td.num")[0].get_text(" ", strip=True) for tr in table.select("tbody tr")}


def test_municipality_table_withholds_a_second_cell_in_its_column(site: Path) -> None:
    """Requests received by category (read from the metrics): a withheld count is never the only one withheld."""
    for period in ("fy2024", "fy2025"):
        doc = BeautifulSoup((site / f"municipalities/352152-{period}.html").read_text(encoding="utf-8"),
                            "html.parser")
        column = _received_column(doc)
        withheld = [text for text in column.values() if text.startswith("—")]
        assert len(withheld) != 1, (period, column)
        assert all("件数が少ないため非公開" in text for text in withheld)
        for text in column.values():
            assert not SMALL.match(text.split(" ")[0]), text


def test_same_cells_are_withheld_on_the_compare_page(site: Path) -> None:
    municipality = BeautifulSoup((site / "municipalities/352152-fy2025.html").read_text(encoding="utf-8"),
                                 "html.parser")
    on_page = _received_column(municipality)["../compare/pothole-fy2025.html"]
    compare = BeautifulSoup((site / "compare/pothole-fy2025.html").read_text(encoding="utf-8"), "html.parser")
    table = compare.select_one("#metrics-caption").find_parent("table")
    row = next(tr for tr in table.select("tbody tr") if tr.th.get_text(strip=True) == "受付件数")
    assert row.select_one("td[data-body='352152'] .value").get_text() == on_page.split(" ")[0]


def test_methodology_explains_the_rule_in_both_languages(site: Path) -> None:
    ja = (site / "methodology.html").read_text(encoding="utf-8")
    en = (site / "en" / "methodology.html").read_text(encoding="utf-8")
    assert 'id="small-cells"' in ja and "k-匿名化" in ja
    assert "k-anonymity" in en and "complementary suppression" in en
