"""Date and code parsers: every form municipalities write, and property tests."""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import codes
from pipeline.wareki import DateError, fiscal_year, format_wareki, parse_date

D = dt.date


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-04-10", D(2025, 4, 10)),
    ("2025/4/10", D(2025, 4, 10)),
    ("2025/04/10 14:30", D(2025, 4, 10)),
    ("2025-04-10T09:15:00+09:00", D(2025, 4, 10)),
    ("２０２５／４／１０", D(2025, 4, 10)),        # full-width
    ("2025年4月10日", D(2025, 4, 10)),
    ("令和7年4月10日", D(2025, 4, 10)),           # unpadded: japanera fails here
    ("R7.4.10", D(2025, 4, 10)),
    ("R07/04/10", D(2025, 4, 10)),
    ("r7.4.10", D(2025, 4, 10)),
    ("令和元年5月1日", D(2019, 5, 1)),
    ("平成31年4月30日", D(2019, 4, 30)),
    ("H30.12.1", D(2018, 12, 1)),
    ("45757", D(2025, 4, 10)),                    # Excel serial
    ("45757.5", D(2025, 4, 10)),
    ("R7.6.1 25:00", D(2025, 6, 2)),               # the small hours written after midnight of the day before
    ("2025-03-31 24:00", D(2025, 4, 1)),          # ISO's end of day: the next day (and fiscal year)
    ("2025/6/1 29:59:59", D(2025, 6, 2)),
    ("2025/6/1 23:59:59", D(2025, 6, 1)),
])
def test_parse_date_forms(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "", "2025-02-30", "令和7年13月1日", "平成31年5月1日",  # Heisei ended 2019-04-30
    "令和1年4月30日",  # before Reiwa began
    "12345", "tomorrow", "R7", "2025/4",
    "R7.6.1 30:00", "2025-06-01 12:61", "2025/6/1 9:00:75",  # no such time of day
])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


def test_an_impossible_time_names_the_value() -> None:
    with pytest.raises(DateError, match=re.escape("impossible time of day: 'R7.6.1 30:00'")):
        parse_date("R7.6.1 30:00", formats=("wareki",))


def test_formats_restrict_what_is_accepted() -> None:
    with pytest.raises(DateError):
        parse_date("45757", formats=("iso",))
    with pytest.raises(DateError):
        parse_date("R7.4.10", formats=("iso", "slash"))


@given(st.dates(min_value=D(1989, 1, 8), max_value=D(2099, 12, 31)))
def test_wareki_round_trip(date: dt.date) -> None:
    assert parse_date(format_wareki(date)) == date


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31)))
def test_iso_and_slash_round_trip(date: dt.date) -> None:
    assert parse_date(date.isoformat()) == date
    assert parse_date(f"{date.year}/{date.month}/{date.day}") == date


@given(st.text(max_size=30))
def test_parse_date_raises_only_date_error(text: str) -> None:
    """Anything else (ValueError, IndexError, OverflowError) would be a traceback for the user."""
    try:
        result = parse_date(text)
    except DateError:
        return
    assert D(1868, 1, 1) <= result <= D(2100, 12, 31)


@pytest.mark.parametrize(("date", "fy"), [(D(2025, 3, 31), 2024), (D(2025, 4, 1), 2025), (D(2026, 1, 5), 2025)])
def test_fiscal_year(date: dt.date, fy: int) -> None:
    assert fiscal_year(date) == fy


@pytest.mark.parametrize(("code5", "code6"), [
    ("35215", "352152"), ("35207", "352071"), ("35210", "352101"), ("35000", "350001"), ("01100", "011002"),
])
def test_check_digit(code5: str, code6: str) -> None:
    assert codes.with_check_digit(code5) == code6
    assert codes.is_valid(code6)
    assert not codes.is_valid(code6[:5] + str((int(code6[5]) + 1) % 10))


@pytest.mark.parametrize(("value", "expected"), [
    ("352152", "352152"), ("352152.0", "352152"), ("3.52152E+05", "352152"), ("35215", "352152"),
    ("abc", None), ("3521.5", None),
])
def test_repair(value: str, expected: str | None) -> None:
    assert codes.repair(value) == expected
