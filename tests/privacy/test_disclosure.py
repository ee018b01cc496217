"""Disclosure consistency (docs/privacy.md): the cases table is public row by row, so a withheld count
that the rows give back protects nothing. This test tries to undo every withheld figure of the
published files (metrics resource and pages) from the published cases table."""

from pathlib import Path

import pandas as pd

from pipeline import audit


def _combined(sample_build: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = sample_build / "datapackages" / "350001_yamaguchi_all"
    read = lambda name: pd.read_csv(next(folder.glob(f"*_{name}.csv")), dtype=str, keep_default_na=False)  # noqa: E731
    return read("metrics"), read("cases")


def test_the_recount_gives_every_published_count_of_cases_received(sample_build: Path) -> None:
    """The attacker's recount is exact: it equals every published count, so it would equal a withheld one."""
    metrics, cases = _combined(sample_build)
    received = metrics[(metrics["metric_id"] == "requests_received") & (metrics["value"] != "")]
    assert len(received) > 100
    for row in received.itertuples(index=False):
        recount = audit.recount_received(cases, row.scope, row.municipality_code, row.category, row.period_type,
                                         row.period)
        assert recount == int(float(row.value)), row


def test_no_withheld_figure_can_be_undone(sample_build: Path) -> None:
    metrics, cases = _combined(sample_build)
    undone = audit.undo_suppressed(metrics, cases, sample_build / "output")
    assert undone == [], undone[:10]


def test_a_withheld_count_is_undone_from_the_rows(sample_build: Path) -> None:
    """What the former rule published: a count of 2 weeding cases withheld (flag suppressed). The rows give it back."""
    metrics, cases = _combined(sample_build)
    target = (metrics["metric_id"] == "requests_received") & (metrics["scope"] == "body") \
        & (metrics["category"] != "all") & (metrics["value"].isin(["1", "2"]))
    row = metrics.index[target][0]
    true_value = int(metrics.at[row, "value"])
    metrics.loc[row, ["value", "n", "flags"]] = ["", "", "suppressed"]
    undone = audit.undo_suppressed(metrics, cases)
    assert [u.value for u in undone] == [true_value]


def test_a_withheld_mark_on_a_page_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "municipalities" / "352152.html"
    page.parent.mkdir()
    page.write_text('<table><tr><td class="num">12</td><td class="num">&lt;3</td><td class="num">x</td></tr></table>',
                    encoding="utf-8")
    empty = pd.DataFrame(columns=["metric_id", "flags"])
    assert [u.where for u in audit.undo_suppressed(empty, pd.DataFrame(), tmp_path)] == [
        "municipalities/352152.html: <3", "municipalities/352152.html: x"]


def test_maps_count_the_published_rows(sample_build: Path) -> None:
    """The map of each body counts every case of its package, as the rows give them."""
    import json
    import re

    for folder in sorted((sample_build / "datapackages").glob("35*_*")):
        if folder.name.endswith("_all"):
            continue
        cases = pd.read_csv(next(folder.glob("*_cases.csv")), dtype=str, keep_default_na=False)
        code = folder.name.split("_")[0]
        document = (sample_build / "output" / "maps" / "frame" / f"{code}.html").read_text(encoding="utf-8")
        data = json.loads(re.search(r"var data = (\{.*?\});\n  var ui", document, re.DOTALL).group(1))
        on_map = sum(cell[2] for cell in data["cells"])
        located = int((cases["mesh_code"] != "").sum())
        assert on_map == located, folder.name
        assert any(f"{len(cases) - located:,}" in note for note in data["legend"]["notes"])
