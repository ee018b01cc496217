"""Business days follow the written definition: business days after the day received, up to the response day."""

import numpy as np
import pytest

from pipeline.metrics.workdays import business_days


def _count(start: str, end: str) -> float:
    return float(business_days(np.array([start], dtype="datetime64[D]"), np.array([end], dtype="datetime64[D]"))[0])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-04-07", "2025-04-07", 0),  # Monday, same day
        ("2025-04-07", "2025-04-08", 1),  # Monday -> Tuesday: next business day
        ("2025-04-04", "2025-04-07", 1),  # Friday -> Monday: next business day
        ("2025-04-05", "2025-04-07", 1),  # Saturday -> Monday: next business day (was 0 before the fix)
        ("2025-04-06", "2025-04-07", 1),  # Sunday -> Monday
        ("2025-04-04", "2025-04-05", 0),  # Friday -> Saturday: before the next business day
        ("2025-12-26", "2026-01-05", 1),  # Friday -> Monday over the year-end closure (29 Dec - 3 Jan)
        ("2025-05-02", "2025-05-07", 1),  # Golden Week: 3-6 May closed
        ("2024-02-09", "2024-02-13", 1),  # Friday -> Tuesday: Monday 12 Feb is a substitute holiday (振替休日)
        ("2026-09-18", "2026-09-24", 1),  # Friday -> Thursday: 21-23 Sep closed, 22 Sep a 国民の休日
    ],
)
def test_business_days(start, end, expected):
    assert _count(start, end) == expected


def test_end_before_start_is_missing():
    assert np.isnan(_count("2025-04-08", "2025-04-07"))
