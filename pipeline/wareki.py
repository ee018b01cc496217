"""Dates as municipalities write them: ISO, 2025/4/10, Japanese era dates, Excel serials."""

import datetime as dt
import re
import unicodedata

# why: era boundaries are the first day of each era; Reiwa began 2019-05-01.
ERAS: dict[str, tuple[int, dt.date, dt.date | None]] = {
    "明治": (1868, dt.date(1868, 10, 23), dt.date(1912, 7, 29)),
    "大正": (1912, dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    "昭和": (1926, dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    "平成": (1989, dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "令和": (2019, dt.date(2019, 5, 1), None),
}
_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_ERA_RE = re.compile(
    r"^(?P<era>明治|大正|昭和|平成|令和|[MTSHR])\s*(?P<y>元|\d{1,2})\s*(?:年|[./\-])\s*"
    r"(?P<m>\d{1,2})\s*(?:月|[./\-])\s*(?P<d>\d{1,2})\s*日?$"
)
_YMD_RE = re.compile(r"^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?$")
_COMPACT_RE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
# an ISO timestamp with its offset: the date is the one in the body's own time zone
_ZONED_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})")
_TIME_TAIL = re.compile(r"[T\s]+(?P<h>\d{1,2}):(?P<min>\d{2})(?::(?P<sec>\d{2})(?:\.\d+)?)?\s*(?:[+-]\d{2}:?\d{2}|Z)?$")
# why: Japanese schedules write the small hours after midnight as 24:00 to 29:59 of the day before ('R7.6.1 25:00'
# is 2 June, 1 a.m.); ISO 8601's 24:00 is the next day's midnight too
LAST_HOUR = 29
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# why: serials outside 1990..2100 are far more likely a mangled number than a date.
_EXCEL_RANGE = (32874, 73051)

FORMATS = ("iso", "slash", "wareki", "excel_serial", "unix")
DEFAULT_FORMATS = FORMATS[:4]  # why: a bare 10-digit number is a date only where the adapter says so
_UNIX_RANGE = (631152000, 4102444800)  # 1990-01-01 .. 2100-01-01, in seconds (milliseconds: 1000 times more)


class DateError(ValueError):
    """A value that is not a date in any of the accepted formats."""


def parse_wareki(text: str) -> dt.date:
    """'令和7年4月10日', 'R7.4.10', 'R07/04/10', '平成31年4月30日', '令和元年5月1日' -> date."""
    s = unicodedata.normalize("NFKC", text).strip().upper()
    m = _ERA_RE.match(s)
    if not m:
        raise DateError(f"not an era date: {text!r}")
    era = _LETTERS.get(m["era"], m["era"])
    first_year, start, end = ERAS[era]
    year_in_era = 1 if m["y"] == "元" else int(m["y"])
    try:
        date = dt.date(first_year + year_in_era - 1, int(m["m"]), int(m["d"]))
    except ValueError as exc:
        raise DateError(f"impossible date: {text!r}") from exc
    if year_in_era < 1 or date < start or (end is not None and date > end):
        raise DateError(f"date outside the {era} era: {text!r}")
    return date


def format_wareki(date: dt.date) -> str:
    """date -> '令和7年4月10日' (元年 for the first year)."""
    for era, (first_year, start, end) in reversed(ERAS.items()):
        if date >= start and (end is None or date <= end):
            n = date.year - first_year + 1
            year = "元" if n == 1 else str(n)
            return f"{era}{year}年{date.month}月{date.day}日"
    raise DateError(f"before the Meiji era: {date}")


def parse_date(text: str, formats: tuple[str, ...] = DEFAULT_FORMATS, timezone: str = "Asia/Tokyo") -> dt.date:
    """Any accepted date form -> date; raises DateError naming the value.

    `unix`: seconds (or milliseconds) since 1970 UTC, taken as a date in `timezone`."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    if not s:
        raise DateError("empty date")
    if "unix" in formats and re.fullmatch(r"\d{9,13}(\.\d+)?", s):
        return _unix(s, text, timezone)
    if "iso" in formats and _ZONED_RE.fullmatch(s):
        return _zoned(s, text, timezone)
    time = _TIME_TAIL.search(s)
    if time is None:
        return _day(s, text, formats)
    hours, minutes, seconds = int(time["h"]), int(time["min"]), int(time["sec"] or 0)
    if hours > LAST_HOUR or minutes > 59 or seconds > 59:
        raise DateError(f"impossible time of day: {text!r}")
    day = _day(s[:time.start()], text, formats)
    return day + dt.timedelta(days=1) if hours >= 24 else day


def _day(s: str, text: str, formats: tuple[str, ...]) -> dt.date:
    """A cleaned date without a time of day -> date (parse_date's forms but unix and zoned)."""
    if ("iso" in formats or "slash" in formats) and (m := _YMD_RE.match(s) or _COMPACT_RE.match(s)):
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError as exc:
            raise DateError(f"impossible date: {text!r}") from exc
    if "wareki" in formats and s[:1] in "明大昭平令MTSHRmtshr":
        return parse_wareki(s)
    if "excel_serial" in formats and re.fullmatch(r"\d{5}(\.\d+)?", s):
        serial = float(s)
        if _EXCEL_RANGE[0] <= serial <= _EXCEL_RANGE[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    raise DateError(f"not a date: {text!r}{_hint(s, formats)}")


def _unix(s: str, text: str, timezone: str) -> dt.date:
    """Seconds or milliseconds since 1970 UTC -> the date in `timezone` (1990 to 2100 only)."""
    from zoneinfo import ZoneInfo

    seconds = float(s)
    seconds = seconds / 1000 if seconds > _UNIX_RANGE[1] else seconds
    if not _UNIX_RANGE[0] <= seconds <= _UNIX_RANGE[1]:
        raise DateError(f"unix time outside 1990–2100: {text!r}")
    return dt.datetime.fromtimestamp(seconds, tz=ZoneInfo(timezone)).date()


def _zoned(s: str, text: str, timezone: str) -> dt.date:
    """An ISO timestamp with its offset -> the date it was in `timezone`."""
    from zoneinfo import ZoneInfo

    try:
        moment = dt.datetime.fromisoformat(s.replace(" ", "T", 1).replace(" ", ""))
    except ValueError as exc:
        raise DateError(f"not a date: {text!r}") from exc
    return moment.astimezone(ZoneInfo(timezone)).date()


def _hint(s: str, formats: tuple[str, ...]) -> str:
    """What the adapter could add when a refused value looks like a date in a format it did not list."""
    if "unix" not in formats and re.fullmatch(r"\d{9,13}", s):
        return ' (it looks like unix seconds: add "unix" to the adapter\'s dates)'
    if "excel_serial" not in formats and re.fullmatch(r"\d{5}(\.\d+)?", s):
        return ' (it looks like an Excel serial date: add "excel_serial" to the adapter\'s dates)'
    return ""


def fiscal_year(date: dt.date) -> int:
    """Japanese fiscal year (年度): April to March."""
    return date.year if date.month >= 4 else date.year - 1
