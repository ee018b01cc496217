"""Synthetic typed intake frames (the shape normalize hands to anonymize) for the anonymization tests."""

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

JST = ZoneInfo("Asia/Tokyo")
CATEGORIES = ("pothole", "weeding", "drainage", "street_light", "traffic_mirror")
TOWNS = ("岐山通", "平和通", "御幸通", "銀南街", "代々木通", "有楽町")
# Three clusters (a dense centre, a suburb, a hamlet) and a few isolated points.
CLUSTERS = ((34.0551, 131.8065, 0.002, 0.7), (34.0700, 131.7800, 0.006, 0.25), (34.1500, 131.9000, 0.02, 0.05))


def case_frame(n: int = 400, seed: int = 7, descriptions: list[str] | None = None) -> pd.DataFrame:
    """n typed cases: clustered coordinates, dates with times, a few private-road cases."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        lat0, lon0, spread, _ = rng.choices(CLUSTERS, weights=[c[3] for c in CLUSTERS])[0]
        received = dt.datetime(2024, 4, 1, 8, 30, tzinfo=JST) + dt.timedelta(days=rng.randint(0, 700),
                                                                  minutes=rng.randint(0, 600))
        closed = received + dt.timedelta(days=rng.randint(1, 40)) if rng.random() < 0.8 else None
        rows.append({
            "case_number": f"R{i:05d}", "received": received,
            "fiscal_year": received.year if received.month >= 4 else received.year - 1,
            "infrastructure": "road", "category": rng.choice(CATEGORIES), "channel": "app",
            "road_administrator": "private" if rng.random() < 0.05 else "municipal",
            "status": "completed" if closed else "received", "resolution": None, "decline_reason": None,
            "referred_to": None, "referred_to_code": None,
            "first_response": received.date() + dt.timedelta(days=1), "closed": closed,
            "reopened": False, "duplicate_of": f"R{i - 1:05d}" if i and rng.random() < 0.03 else None,
            "town": rng.choice(TOWNS) + f"{rng.randint(1, 5)}丁目{rng.randint(1, 20)}番",
            "address": "岐山通1丁目2番3号",
            "latitude": rng.gauss(lat0, spread), "longitude": rng.gauss(lon0, spread),
            "description": descriptions[i % len(descriptions)] if descriptions else "道路に穴があいている",
            "status_detail": "業者に補修を指示し完了", "reporter_name": "山田太郎",
            "reporter_phone": "090-1234-5678", "reporter_email": "taro@example.jp",
        })
    return pd.DataFrame(rows)


@pytest.fixture
def cases_frame() -> pd.DataFrame:
    return case_frame()


@pytest.fixture
def make_cases() -> Callable[..., pd.DataFrame]:
    return case_frame
