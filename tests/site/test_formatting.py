"""Filters and JSON escaping used by the templates."""

import json

from hypothesis import given
from hypothesis import strategies as st

from pipeline.site.formatting import day, fiscal, mark_ja, month, num, pct, safe_url, yen
from pipeline.site.safejson import dumps


def test_numbers_money_dates() -> None:
    assert num(12345) == "12,345" and num(None) == "—" and num(2.5) == "2.5"
    assert pct(0.4166) == "41.7%" and pct(None) == "—"
    assert yen(3113000, "ja") == "3,113,000円" and yen(3113000, "en") == "¥3,113,000"
    assert day("2025-11-20", "ja") == "2025年11月20日" and day("2025-11-20", "en") == "20 November 2025"
    assert month("2025-04", "en") == "Apr 2025"
    assert fiscal(2025, "ja") == "2025年度（令和7年度）" and fiscal(2019, "ja") == "2019年度（令和元年度）"
    assert fiscal(2025, "en") == "FY2025"


def test_safe_url_refuses_script_schemes() -> None:
    for hostile in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x"):
        assert safe_url(hostile) == "#"
    assert safe_url("https://www.city.shunan.lg.jp/") == "https://www.city.shunan.lg.jp/"
    assert safe_url("../data/index.html") == "../data/index.html"


def test_mark_ja_escapes_before_wrapping() -> None:
    out = str(mark_ja("<script>x</script> 大字 name", "en"))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert '<span lang="ja">大字</span>' in out
    assert str(mark_ja("<b>", "ja")) == "&lt;b&gt;"


@given(st.text())
def test_json_never_holds_markup_characters(text: str) -> None:
    encoded = dumps({"text": text, "list": [text]})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == {"text": text, "list": [text]}


@given(st.text())
def test_mark_ja_output_has_no_tags_but_its_own(text: str) -> None:
    out = str(mark_ja(text, "en")).replace('<span lang="ja">', "").replace("</span>", "")
    assert "<" not in out and ">" not in out
