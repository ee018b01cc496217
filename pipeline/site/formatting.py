"""Jinja filters: numbers, money, shares, dates and safe link targets in the page language."""

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlparse

from markupsafe import Markup, escape

from .i18n import N_, _
from .smallcells import Withheld

# Month names (Japanese message ids; the English names are their translations in the .po).
MONTH_NAMES = (N_("1月"), N_("2月"), N_("3月"), N_("4月"), N_("5月"), N_("6月"), N_("7月"), N_("8月"), N_("9月"),
               N_("10月"), N_("11月"), N_("12月"))
REIWA_FIRST = 2019
SAFE_SCHEMES = ("http", "https", "mailto")


def num(value: Any) -> str:
    """12345 -> "12,345"; None or "" -> "—"; a withheld small count -> "<3"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Withheld):
        return str(value)
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def chart_value(value: Any) -> Any:
    """A count as chart data: a withheld count is a gap (null), never its value."""
    return None if isinstance(value, Withheld) else value


def pct(value: float | None) -> str:
    """0.534 -> "53.4%"; None -> "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


def yen(value: Any, lang: str) -> str:
    """Amount in yen, written the way each language reads it."""
    if value is None or value == "":
        return "—"
    amount = int(float(value))
    return _("%(amount)s円", lang, amount=f"{amount:,}")


def day(value: str, lang: str) -> str:
    """ISO date -> "2025年11月20日" / "20 November 2025"; anything else is returned unchanged."""
    try:
        parsed = date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value or "—")
    return _("%(year)s年%(month)s月%(day)s日", lang, year=parsed.year, month=parsed.month, day=parsed.day,
             month_name=_(MONTH_NAMES[parsed.month - 1], lang))


def month(value: str, lang: str) -> str:
    """"2025-04" -> "2025年4月" / "Apr 2025"."""
    year, mon = (int(part) for part in value.split("-")[:2])
    return _("%(year)s年%(month)s月", lang, year=year, month=mon, month_abbr=_(MONTH_NAMES[mon - 1], lang)[:3])


def fiscal(value: Any, lang: str) -> str:
    """2025 -> "2025年度（令和7年度）" / "FY2025"."""
    year = int(value)
    if year < REIWA_FIRST:
        return _("%(year)s年度", lang, year=year)
    era = _("元", lang) if year == REIWA_FIRST else str(year - REIWA_FIRST + 1)
    return _("%(year)s年度（令和%(era)s年度）", lang, year=year, era=era)


def safe_url(value: Any) -> str:
    """Keep http(s)/mailto and relative links; anything else (javascript:, data:) becomes "#"."""
    text = str(value or "").strip()
    scheme = urlparse(text).scheme.lower()
    if scheme and scheme not in SAFE_SCHEMES:
        return "#"
    if not scheme and ":" in text.split("/")[0]:
        return "#"
    return text


JAPANESE_RUN = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+"
                          r"(?:[\s0-9A-Za-z\-・（）()]*[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+)*")


def mark_ja(value: Any, lang: str) -> Markup:
    """On English pages, wrap each run of Japanese text in <span lang="ja"> (the text is escaped first)."""
    text = str(escape("" if value is None else value))
    if lang == "ja":
        return Markup(text)
    # why: escaped text holds no "<"; Japanese runs hold no "&", so wrapping them cannot form markup.
    return Markup(JAPANESE_RUN.sub(lambda m: f'<span lang="ja">{m.group(0)}</span>', text))


def filters(lang: str) -> dict[str, Callable[..., str]]:
    """The filters of one language's Jinja environment."""
    return {
        "num": num,
        "pct": pct,
        "chart_value": chart_value,
        "yen": lambda v: yen(v, lang),
        "day": lambda v: day(v, lang),
        "month": lambda v: month(v, lang),
        "fiscal": lambda v: fiscal(v, lang),
        "safe_url": safe_url,
        "mark_ja": lambda v: mark_ja(v, lang),
    }
