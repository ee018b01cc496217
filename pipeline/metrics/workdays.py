"""Closed days of a Japanese municipal office and day counts between dates, vectorized."""

import datetime as dt
from functools import cache

import jpholiday
import numpy as np

# why: town halls close over 年末年始 (29 Dec to 3 Jan) under the local-government holiday ordinances
# (地方自治法 4条の2); jpholiday knows only 1 Jan of these, so the rest are added here.
YEAR_END = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))
WEEKMASK = "1111100"
# The longest span of days counted through one running table (about 270 years); longer spans count row by row.
MAX_TABLE_DAYS = 100_000


@cache
def _closed_days(year: int) -> tuple[dt.date, ...]:
    # why: year_holidays gives the same days as between(1 Jan, 31 Dec) without testing every day of the year
    # (3 ms against 0.44 s for eight years)
    holidays = {d for d, _ in jpholiday.year_holidays(year)}
    holidays |= {dt.date(year, m, d) for m, d in YEAR_END}
    return tuple(sorted(holidays))


def closed_days(first_year: int, last_year: int) -> np.ndarray:
    """Public holidays and year-end closure days of the years given, as datetime64[D], sorted."""
    days = [d for year in range(first_year, last_year + 1) for d in _closed_days(year)]
    return np.array(days, dtype="datetime64[D]")


def calendar_days(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Elementwise end - start in days as float; NaN where either is NaT."""
    out: np.ndarray = (end - start).astype("float64")
    out[np.isnat(start) | np.isnat(end)] = np.nan
    return out


def business_days(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Business days in (start, end] as float: the business days after the day received up to and including the
    day of the response (same day 0, next business day 1, Saturday to Monday 1); NaN where NaT or end < start."""
    out = np.full(start.shape, np.nan)
    ok = ~(np.isnat(start) | np.isnat(end))
    ok[ok] = end[ok] >= start[ok]
    if not ok.any():
        return out
    one = np.timedelta64(1, "D")
    first, last = start[ok] + one, end[ok] + one
    low, high = first.min(), last.max()
    years = np.array([low, high]).astype("datetime64[Y]").astype(int) + 1970
    holidays = closed_days(int(years[0]), int(years[1]))
    if (high - low) // one > MAX_TABLE_DAYS:  # why: a typo decades off would make the table needlessly long
        out[ok] = np.busday_count(first, last, weekmask=WEEKMASK, holidays=holidays)
        return out
    # why: one running count of business days over the span, read twice per row, gives np.busday_count's
    # figures at a fraction of its cost per row
    open_days = np.is_busday(np.arange(low, high, dtype="datetime64[D]"), weekmask=WEEKMASK, holidays=holidays)
    running = np.concatenate([[0], np.cumsum(open_days, dtype="int64")])
    out[ok] = running[(last - low) // one] - running[(first - low) // one]
    return out
