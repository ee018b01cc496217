"""Record numbers and company names that carry contact data (pipeline.public_ids), on the contracts and work
orders a body publishes."""

from collections import Counter

import pandas as pd
import pytest

from pipeline import places, public_ids
from pipeline.anonymize import DEMO_SECRET


@pytest.mark.parametrize(("name", "published"), [
    ("株式会社山田 代表 山田太郎 090-1234-5613", "株式会社山田"),
    ("株式会社ABC TEL 0833-22-1234", "株式会社ABC"),
    ("(株)中国建設 担当:佐藤", "(株)中国建設"),
    ("有限会社 taro@example.jp", "有限会社 [メール]"),
    ("株式会社花岡工務 https://hanaoka.example.jp", "株式会社花岡工務 [URL]"),
])
def test_contact_data_after_a_company_name_is_not_published(name: str, published: str) -> None:
    counts: Counter[str] = Counter()
    assert places.contractor(name, counts) == published
    assert sum(counts.values()) >= 1


@pytest.mark.parametrize("name", ["株式会社花岡工務", "下松舗道株式会社", "社会福祉法人光栄会", "山田建設株式会社",
                                  "有限会社笠戸造園", "(株)中国建設", "周南道路JV", "@SUM(A1)株式会社"])
def test_a_plain_company_name_is_published_as_it_is(name: str) -> None:
    counts: Counter[str] = Counter()
    assert places.contractor(name, counts) == name
    assert not counts


def test_a_record_number_holding_contact_data_becomes_a_stable_pseudonym() -> None:
    numbers = pd.Series(["WO-090-1234-5617", "R5-001-0023", "2024-0123-4567", "K-15", "WO-090-1234-5617",
                         "０９０－１２３４－５６１８", "x.taro@example.jp", None, ""], dtype=object)
    counts: Counter[str] = Counter()
    out = public_ids.record_numbers(numbers, DEMO_SECRET, "wo", counts).tolist()
    assert out[1:4] == ["R5-001-0023", "2024-0123-4567", "K-15"] and out[7:] == [None, ""]
    for i in (0, 4, 5, 6):
        assert out[i].startswith("wo-") and len(out[i]) == 19 and not any(d in out[i] for d in ("090", "@"))
    assert out[0] == out[4] != out[5]  # the same number, the same pseudonym
    again = public_ids.record_numbers(numbers, DEMO_SECRET, "wo", Counter()).tolist()
    assert again == out and counts["record_number_pseudonymized"] == 3  # distinct numbers counted
    assert public_ids.record_numbers(numbers, b"another secret", "wo", Counter()).tolist()[0] != out[0]


@pytest.mark.parametrize("number", ["K5-210-00001", "WO2025-00037", "R7-215-008", "K7-215-00039", "2025-0612-003"])
def test_record_numbers_the_scrubber_is_only_unsure_about_stay(number: str) -> None:
    """Long digit runs make the scrubber unsure of a free text; in a record number they are the number itself."""
    series = pd.Series([number], dtype=object)
    assert public_ids.record_numbers(series, DEMO_SECRET, "ct", Counter()).tolist() == [number]
