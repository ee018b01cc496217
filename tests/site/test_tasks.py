"""Users' questions walked in headless chromium from the home page, counting clicks, in both languages.

(a) A resident finds their report's handling timeline and how long such reports take.
(d) Someone finds which contractor worked where and when, and how much went to unit-price vs lump-sum.
Plus: the cases list keeps its filters in the URL (back/forward), and its search matches Japanese text.
The pages' figures are checked against the fixture packages' CSV files, read here with pandas.
"""

import io
import json
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from tests.site.conftest import CHROMIUM, PACKAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]
MAX_CLICKS = 3
KUDAMATSU = PACKAGES / "352071_kudamatsu"
SHUNAN = PACKAGES / "352152_shunan"


def table(folder: Path, resource: str) -> pd.DataFrame:
    code = folder.name.split("_")[0]
    return pd.read_csv(folder / f"{code}_{resource}.csv", dtype=str, keep_default_na=False)




class Walk:
    """Clicks through the site as a user does, counting the clicks."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.clicks = 0

    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()  # type: ignore[attr-defined]
        self.page.wait_for_load_state()  # type: ignore[attr-defined]
        self.clicks += 1


@pytest.mark.parametrize(("lang_root", "lang"), [("", "ja"), ("en/", "en")])
def test_a_resident_finds_the_timeline_of_a_report_and_how_long_such_reports_take(
        page: object, server: str, lang_root: str, lang: str) -> None:
    cases, actions = table(KUDAMATSU, "cases"), table(KUDAMATSU, "actions")
    walk = Walk(page)
    page.goto(server + lang_root + "index.html")  # type: ignore[attr-defined]
    walk.click("nav.site-nav a[href$='cases/index.html']")
    walk.click("main a[href$='cases/352071.html']")
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    page.fill("input[name=q]", "穴")  # type: ignore[attr-defined]  # typing, not a click
    # why: the list is filtered once every row shown holds the word (a count of the fixture's rows said nothing)
    page.wait_for_function("() => { const rows = [...document.querySelectorAll('#cases-table tbody tr')];"  # type: ignore[attr-defined]
                           " return rows.length > 0 && rows.every(r => r.textContent.includes('穴')); }")
    walk.click("#cases-table tbody tr:first-child a")
    assert walk.clicks <= MAX_CLICKS
    page.wait_for_selector("#case:not([hidden])")  # type: ignore[attr-defined]

    case_id = page.inner_text("#case-id")  # type: ignore[attr-defined]
    assert page.url.endswith("cases/352071/index.html#" + case_id)  # type: ignore[attr-defined]  # a permalink
    case = cases[cases["service_request_id"] == case_id].iloc[0]
    assert "穴" in case["description"]
    facts = page.inner_text("#case-facts")  # type: ignore[attr-defined]
    assert case["description"] in facts and case["town"] in facts
    steps = actions[actions["service_request_id"] == case_id]
    timeline = page.locator("#case-timeline li time")  # type: ignore[attr-defined]
    assert timeline.evaluate_all("ts => ts.map(t => t.dateTime)") == sorted(steps["action_date"].tolist())
    notes = [n for n in steps["note"] if n]
    for note in notes:
        assert note in page.inner_text("#case-timeline")  # type: ignore[attr-defined]
    days = page.inner_text("#case-days")  # type: ignore[attr-defined]
    if case["closed_date"]:
        expected = (pd.Timestamp(case["closed_date"]) - pd.Timestamp(case["requested_date"])).days
        assert str(expected) in days
    typical = page.inner_text("#case-typical")  # type: ignore[attr-defined]
    assert ("中央値" if lang == "ja" else "median") in typical
    assert page.get_attribute("html", "lang") == lang  # type: ignore[attr-defined]


def test_the_case_view_shows_the_work_order_and_its_contract(page: object, server: str) -> None:
    orders, contracts = table(SHUNAN, "work_orders"), table(SHUNAN, "contracts")
    order = orders[orders["service_request_id"] != ""].iloc[0]
    contract = contracts[contracts["contract_id"] == order["contract_id"]].iloc[0]
    page.goto(server + "cases/352152/index.html#" + order["service_request_id"])  # type: ignore[attr-defined]
    page.wait_for_selector("#case:not([hidden])")  # type: ignore[attr-defined]
    row = page.inner_text("#case-orders tbody")  # type: ignore[attr-defined]
    assert order["work_order_id"] in row
    assert contract["contractor"] in row
    assert f"{int(contract['contract_amount']):,}円" in row
    assert "単価契約" in row or "総価契約" in row or "個別発注" in row
    similar = page.locator("#case-similar a")  # type: ignore[attr-defined]
    if similar.count():
        first = similar.first.get_attribute("href")
        similar.first.click()
        page.wait_for_function(f"() => document.getElementById('case-id').textContent === '{first[1:]}'")  # type: ignore[attr-defined]


def test_an_unknown_case_id_says_so(page: object, server: str) -> None:
    page.goto(server + "en/cases/352152/index.html#c-0000000000000000")  # type: ignore[attr-defined]
    page.wait_for_function("() => document.getElementById('case-message').textContent.indexOf('No report') >= 0")  # type: ignore[attr-defined]
    assert page.locator("#case").is_hidden()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang_root", "unit_price", "lump_sum"), [("", "単価契約", "総価契約"),
                                                                   ("en/", "Unit-price", "Lump-sum")])
def test_someone_finds_which_contractor_worked_where_and_when_and_the_split_by_contract_type(
        page: object, server: str, lang_root: str, unit_price: str, lump_sum: str) -> None:
    contracts, orders = table(SHUNAN, "contracts"), table(SHUNAN, "work_orders")
    walk = Walk(page)
    page.goto(server + lang_root + "index.html")  # type: ignore[attr-defined]
    walk.click("nav.site-nav a[href$='works/index.html']")
    walk.click("main a[href$='works/352152.html']")
    assert walk.clicks <= MAX_CLICKS

    heads = page.locator("#spending-by-type thead th").all_inner_texts()  # type: ignore[attr-defined]
    assert unit_price in heads[1] and lump_sum in heads[2]
    # unit-price spending of FY2025 = the sum of its work orders of that year (independent of the site's code)
    kinds = contracts.set_index("contract_id")["contract_type"]
    year = orders[(orders["fiscal_year"] == "2025") & (orders["status"] != "cancelled")]
    unit = year[year["contract_id"].map(kinds) == "unit_price"]["amount"].replace("", "0").astype(int).sum()
    first_row = page.locator("#spending-by-type tbody tr").first.inner_text()  # type: ignore[attr-defined]
    assert "2025" in first_row and f"{unit:,}" in first_row

    # every contractor with a FY2025 work order is listed with a town it worked in and the order dates
    listed = page.locator("table.contractors").first.inner_text()  # type: ignore[attr-defined]
    who = year.assign(contractor=year["contract_id"].map(contracts.set_index("contract_id")["contractor"]))
    for name, part in who.groupby("contractor"):
        assert name in listed
        towns = [t for t in part["town"] if t]
        assert not towns or any(t in listed for t in towns)
        first = pd.Timestamp(part["order_date"].min())
        assert (f"{first.year}年{first.month}月{first.day}日" if not lang_root else str(first.year)) in listed


def test_cases_list_filters_live_in_the_url_and_back_forward_restore_them(page: object, server: str) -> None:
    page.goto(server + "en/cases/352152.html?category=pothole")  # type: ignore[attr-defined]
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    assert page.input_value("select[name=category]") == "pothole"  # type: ignore[attr-defined]
    categories = page.locator("#cases-table tbody tr td:nth-child(2)").all_text_contents()  # type: ignore[attr-defined]
    assert categories and set(categories) == {"Pothole"}
    page.select_option("select[name=status]", "declined")  # type: ignore[attr-defined]
    page.wait_for_url("**/cases/352152.html?category=pothole&status=declined")  # type: ignore[attr-defined]
    statuses = page.locator("#cases-table tbody tr td:nth-child(3)").all_text_contents()  # type: ignore[attr-defined]
    assert set(statuses) <= {"Declined", "No cases match these filters."}
    page.go_back()  # type: ignore[attr-defined]
    page.wait_for_url("**/cases/352152.html?category=pothole")  # type: ignore[attr-defined]
    assert page.input_value("select[name=status]") == ""  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('#cases-table tbody td:nth-child(3)')]"
        ".some(t => t.textContent !== 'Declined')")
    page.go_forward()  # type: ignore[attr-defined]
    page.wait_for_url("**/cases/352152.html?category=pothole&status=declined")  # type: ignore[attr-defined]
    assert page.input_value("select[name=status]") == "declined"  # type: ignore[attr-defined]


@pytest.mark.parametrize("query", ["カーブミラー", "ｶｰﾌﾞﾐﾗｰ", "かーぶみらー", "ミラー 向き"])
def test_search_matches_japanese_text_inside_words_whatever_the_script(page: object, server: str,
                                                                       query: str) -> None:
    cases = table(SHUNAN, "cases")
    # the category's label is カーブミラー too, so a report of that category matches by its category
    matching = cases["description"].str.contains("カーブミラー") | (cases["category"] == "traffic_mirror")
    if " " in query:
        matching = cases["description"].str.contains("ミラー") & cases["description"].str.contains("向き")
    expected = int(matching.sum())
    assert expected > 0
    page.goto(server + "cases/352152.html")  # type: ignore[attr-defined]
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    page.fill("input[name=q]", query)  # type: ignore[attr-defined]
    page.wait_for_function(f"() => document.querySelectorAll('#cases-table tbody tr').length === {expected}")  # type: ignore[attr-defined]
    rows = page.locator("#cases-table tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    assert all("カーブミラー" in row for row in rows)
    assert "q=" in page.url  # type: ignore[attr-defined]  # a search is a shareable link too


def test_the_cases_index_search_opens_the_bodys_list_with_the_words(page: object, server: str) -> None:
    cases = table(KUDAMATSU, "cases")
    expected = int(cases["description"].str.contains("倒木").sum() + (cases["town"].str.contains("倒木")).sum())
    page.goto(server + "en/cases/index.html")  # type: ignore[attr-defined]
    page.select_option("#case-search select[name=body]", "352071")  # type: ignore[attr-defined]
    page.fill("#case-search input[name=q]", "倒木")  # type: ignore[attr-defined]
    page.click("#case-search button")  # type: ignore[attr-defined]
    page.wait_for_url("**/en/cases/352071.html?q=%E5%80%92%E6%9C%A8")  # type: ignore[attr-defined]
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    assert page.input_value("#case-filters input[name=q]") == "倒木"  # type: ignore[attr-defined]
    rows = page.locator("#cases-table tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    assert len(rows) == expected > 0
    assert all("倒木" in row for row in rows)
    with page.expect_download() as caught:  # type: ignore[attr-defined]
        page.click("#case-csv")  # type: ignore[attr-defined]  # the filtered slice, as CSV
    saved = pd.read_csv(caught.value.path(), dtype=str, keep_default_na=False)
    assert saved.columns[0] == "service_request_id" and len(saved) == expected
    assert set(saved["service_request_id"]) <= set(cases["service_request_id"])


def test_the_language_switch_keeps_the_filters_and_the_case(page: object, server: str) -> None:
    page.goto(server + "cases/352152.html?category=pothole")  # type: ignore[attr-defined]
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    page.click("a.lang-switch")  # type: ignore[attr-defined]
    page.wait_for_url("**/en/cases/352152.html?category=pothole")  # type: ignore[attr-defined]
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    assert page.input_value("select[name=category]") == "pothole"  # type: ignore[attr-defined]
    page.goto(server + "en/cases/352152/index.html#c-8e902df732677e22")  # type: ignore[attr-defined]
    page.wait_for_selector("#case:not([hidden])")  # type: ignore[attr-defined]
    page.click("a.lang-switch")  # type: ignore[attr-defined]
    page.wait_for_url("**/cases/352152/index.html#c-8e902df732677e22")  # type: ignore[attr-defined]
    page.wait_for_selector("#case:not([hidden])")  # type: ignore[attr-defined]
    assert page.get_attribute("html", "lang") == "ja"  # type: ignore[attr-defined]
    assert page.inner_text("#case-id") == "c-8e902df732677e22"  # type: ignore[attr-defined]


SAFEMAP = Path("/work/shared/data/real/shunan_safemap_R5")


def real_texts() -> list[str]:
    """Residents' and children's descriptions from Shunan's real school-district safety maps (CC BY)."""
    texts = []
    for path in sorted(SAFEMAP.glob("*.csv")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp932")
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        texts += [" ".join(t.split()) for t in frame.iloc[:, 2] if len(t.strip()) >= 8]
    return texts


def fold(text: str) -> str:
    """What the list's search compares: NFKC, lower case, katakana as hiragana."""
    normal = unicodedata.normalize("NFKC", text).lower()
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in normal)


@pytest.mark.skipif(not SAFEMAP.is_dir(), reason="the real Shunan safety-map exports are not here")
def test_search_finds_real_japanese_reports_by_any_part_of_a_word(page: object, server: str) -> None:
    texts = real_texts()
    assert len(texts) > 50
    columns = ["service_request_id", "requested_date", "fiscal_year", "category", "status", "town",
               "description", "status_detail", "closed_date"]
    rows = [[f"c-{n:016x}", "2025-05-01", "2025", "other", "received", "周陽", text, "", ""]
            for n, text in enumerate(texts)]
    body = json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False)
    empty = json.dumps({"columns": columns, "rows": []})
    page.route("**/data/cases/352152/*.json", lambda route: route.fulfill(  # type: ignore[attr-defined]
        body=body if route.request.url.endswith("/2025-1.json") else empty, content_type="application/json"))
    page.goto(server + "cases/352152.html")  # type: ignore[attr-defined]
    page.wait_for_selector("#case-filters:not([hidden])")  # type: ignore[attr-defined]
    picked = [t for t in texts if " " not in t[3:7]]
    for text in picked[:: max(1, len(picked) // 6)][:6]:
        word = text[3:7]  # four characters from inside the text, not a whitespace-separated word
        expected = sum(fold(word) in fold(t) for t in texts)
        page.fill("input[name=q]", word)  # type: ignore[attr-defined]
        page.wait_for_function(  # type: ignore[attr-defined]
            f"() => document.querySelectorAll('#cases-table tbody tr').length === {min(expected, 50)}")
        shown = page.locator("#cases-table tbody td:nth-child(5)").all_text_contents()  # type: ignore[attr-defined]
        assert all(fold(word) in fold(t) for t in shown), word
