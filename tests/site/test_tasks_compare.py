"""Users' questions (b) and (c) of issue #17 walked in headless chromium from the home page, in both languages.

(b) A journalist: which body has the most pothole reports per 100 km of road and takes longest to close
    them, and the CSV behind that figure, in a copy Excel opens.
(c) An official: Shunan's decline rate and response time against a neighbour's, and why requests were
    declined, on one page. (The fixture packages hold Kudamatsu and Shunan, not Hikari: Kudamatsu stands in.)
Every figure the page shows is checked against the combined package's metrics CSV, read here with pandas.
"""

import io

import pandas as pd
import pytest

from tests.site.conftest import CHROMIUM, PACKAGES
from tests.site.test_tasks import MAX_CLICKS, Walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]
COMBINED = PACKAGES / "350001_yamaguchi_all"
BODIES = ("350001", "352071", "352152")


def metrics() -> pd.DataFrame:
    return pd.read_csv(next(COMBINED.glob("*_metrics.csv")), dtype=str, keep_default_na=False)


def shown(page: object, table: str, metric: str) -> dict[str, dict[str, str]]:
    """{body code: {"value": data-value, "text": cell text}} of one metric's row in a table of the page."""
    cells = page.locator(f"{table} span.value[data-metric$='|{metric}']").evaluate_all(  # type: ignore[attr-defined]
        "ss => ss.map(s => [s.dataset.metric, s.dataset.value, s.closest('td').innerText])")
    return {key.split("|")[1] or "all": {"value": value, "text": text, "key": key} for key, value, text in cells}


def record(frame: pd.DataFrame, key: str) -> pd.Series:
    scope, code, category, period_type, period, metric = key.split("|")
    rows = frame[(frame["scope"] == scope) & (frame["municipality_code"] == code) & (frame["category"] == category)
                 & (frame["period_type"] == period_type) & (frame["period"] == period) & (frame["metric_id"] == metric)]
    assert len(rows) == 1, key
    return rows.iloc[0]


@pytest.mark.parametrize(("lang_root", "days"), [("", "完了までの日数（中央値）"),
                                                ("en/", "Days to completion (median)")])
def test_b_a_journalist_finds_potholes_per_km_of_road_and_the_csv_behind_them(
        page: object, server: str, lang_root: str, days: str) -> None:
    frame = metrics()
    walk = Walk(page)
    page.goto(server + lang_root + "index.html")  # type: ignore[attr-defined]
    walk.click("nav.site-nav a[href$='compare/index.html']")
    walk.click("main a[href$='compare/pothole.html']")

    table = "table:has(#metrics-caption)"
    per_km = shown(page, table, "requests_per_100km_road")
    assert set(per_km) >= {"352071", "352152"}
    for cell in per_km.values():
        assert cell["key"].split("|")[2] == "pothole"
        assert cell["value"] == record(frame, cell["key"])["value"]
    # the body with the most pothole reports per 100 km, as the CSV says, is the one the page shows highest
    numeric = {code: float(c["value"]) for code, c in per_km.items() if c["value"] and code != "all"}
    assert max(numeric, key=numeric.get) == max(  # type: ignore[arg-type]
        numeric, key=lambda code: float(record(frame, per_km[code]["key"])["value"]))
    # the time to close potholes sits in the same table, with the n behind each median
    assert days in page.inner_text(table)  # type: ignore[attr-defined]
    for code, cell in shown(page, table, "days_to_completion_median").items():
        row = record(frame, cell["key"])
        assert f"n={row['n']}" in cell["text"], code

    # the third click: the CSV slice behind the table, with the same rows
    with page.expect_download() as caught:  # type: ignore[attr-defined]
        walk.click("p.csv-link a[download][href$='-metrics.csv']")
    assert walk.clicks <= MAX_CLICKS
    saved = pd.read_csv(caught.value.path(), dtype=str, keep_default_na=False)
    assert list(saved.columns) == list(frame.columns)
    mine = saved[saved["metric_id"] == "requests_per_100km_road"]
    assert {(r["municipality_code"] or "all"): r["value"] for _, r in mine.iterrows()} == \
        {code: c["value"] for code, c in per_km.items() if c["value"]} | \
        {(r["municipality_code"] or "all"): r["value"] for _, r in mine.iterrows() if not r["value"]}
    # beside it, the copy for Excel: UTF-8 with a byte order mark, every row of the metrics
    excel = page.locator("p.csv-link:has(a[href$='-metrics.csv']) a.excel-link").get_attribute("href")  # type: ignore[attr-defined]
    body = page.request.get(page.url.rsplit("/", 1)[0] + "/" + excel).body()  # type: ignore[attr-defined]
    assert body.startswith(b"\xef\xbb\xbf")
    copy = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(copy) == len(frame) and set(mine["value"]) <= set(copy["value"])


@pytest.mark.parametrize(("lang_root", "reason", "declined"), [
    ("", "理由: ", "対応不可の割合"), ("en/", "Reason: ", "declined")])
def test_c_an_official_compares_decline_rates_response_times_and_reasons_on_one_page(
        page: object, server: str, lang_root: str, reason: str, declined: str) -> None:
    frame = metrics()
    walk = Walk(page)
    page.goto(server + lang_root + "index.html")  # type: ignore[attr-defined]
    walk.click("nav.site-nav a[href$='compare/index.html']")
    walk.click("main a[href$='compare/all.html']")
    assert walk.clicks <= MAX_CLICKS

    metrics_table, decline_table = "table:has(#metrics-caption)", "table:has(#decline-caption)"
    rates = shown(page, decline_table, "declined_share")
    assert declined in page.inner_text(decline_table)  # type: ignore[attr-defined]
    first = shown(page, metrics_table, "days_to_first_response_median")
    for code in ("352071", "352152"):
        row = record(frame, rates[code]["key"])
        assert rates[code]["value"] == row["value"] and f"{float(row['value']):.1%}" in rates[code]["text"]
        response = record(frame, first[code]["key"])
        assert f"n={response['n']}" in first[code]["text"]
        if response["value"] and response["unreliable"] != "true":
            assert first[code]["value"] == response["value"]
    # the reasons, per body, in the same table: every reason row of the CSV for these bodies and year
    year = rates["352152"]["key"].split("|")[4]
    reasons = frame[(frame["metric_id"].str.startswith("decline_reason_share.")) & (frame["category"] == "all")
                    & (frame["period_type"] == "fiscal_year") & (frame["period"] == year)]
    given = reasons[reasons["municipality_code"].isin(["352071", "352152"]) & ~reasons["value"].isin(["", "0.0"])]
    heads = page.locator(f"{decline_table} tbody th").all_inner_texts()  # type: ignore[attr-defined]
    assert sum(h.startswith(reason) for h in heads) >= given["metric_id"].nunique() > 0
    for metric in sorted(given["metric_id"].unique()):
        cells = shown(page, decline_table, metric)
        for code in ("352071", "352152"):
            assert cells[code]["value"] == record(frame, cells[code]["key"])["value"]
