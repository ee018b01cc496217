"""Record numbers and company names that carry contact data (pipeline.public_ids), on the contracts and work
orders a body publishes."""

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import places, public_ids
from pipeline.anonymize import DEMO_SECRET
from pipeline.scrub import clean, scrub
from pipeline.scrub_rules import may_hold_contacts
from tests.anonymize.test_scrub_properties import emails, phones


@pytest.mark.parametrize(("name", "published"), [
    ("株式会社山田 代表 山田太郎 090-1234-5613", "株式会社山田"),
    ("株式会社ABC TEL 0833-22-1234", "株式会社ABC"),
    ("(株)中国建設 担当:佐藤", "(株)中国建設"),
    ("有限会社 taro@example.jp", "有限会社 [メール]"),
    ("株式会社花岡工務 https://hanaoka.example.jp", "株式会社花岡工務 [URL]"),
    ("有限会社川野組 現場代理人 川野 誠", "有限会社川野組"),
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
                         "０９０－１２３４－５６１８", "x.taro@example.jp", None, "", "K5-090一1234一5611",
                         "WO-ゼロキュウゼロ イチニサンヨン ゴロクナナハチ", "R7-〇九〇一二三四五六七八",
                         "K5-0312345678"], dtype=object)
    counts: Counter[str] = Counter()
    out = public_ids.record_numbers(numbers, DEMO_SECRET, "wo", counts).tolist()
    assert out[1:4] == ["R5-001-0023", "2024-0123-4567", "K-15"] and out[7:9] == [None, ""]
    for i in (0, 4, 5, 6, 9, 10, 11, 12):
        assert out[i].startswith("wo-") and len(out[i]) == 19 and not any(d in out[i] for d in ("090", "@"))
    assert out[0] == out[4] != out[5]  # the same number, the same pseudonym
    again = public_ids.record_numbers(numbers, DEMO_SECRET, "wo", Counter()).tolist()
    assert again == out and counts["record_number_pseudonymized"] == 7  # distinct numbers counted
    assert public_ids.record_numbers(numbers, b"another secret", "wo", Counter()).tolist()[0] != out[0]


def test_a_number_written_with_a_household_or_a_lot_becomes_a_pseudonym() -> None:
    numbers = pd.Series(["R7-215-宮本宅前", "WO-岐山通3-4-5", "土木第123号", "R7-道路-0012", "市道岐山線-2025-01",
                         "2025-12-345"], dtype=object)
    counts: Counter[str] = Counter()
    out = public_ids.record_numbers(numbers, DEMO_SECRET, "ct", counts).tolist()
    assert [v.startswith("ct-") for v in out] == [True, True, False, False, False, False]
    assert out[2:] == numbers.tolist()[2:] and counts["record_number_pseudonymized"] == 2


@pytest.mark.parametrize("number", ["K5-210-00001", "WO2025-00037", "R7-215-008", "K7-215-00039", "2025-0612-003"])
def test_record_numbers_the_scrubber_is_only_unsure_about_stay(number: str) -> None:
    """Long digit runs make the scrubber unsure of a free text; in a record number they are the number itself."""
    series = pd.Series([number], dtype=object)
    assert public_ids.record_numbers(series, DEMO_SECRET, "ct", Counter()).tolist() == [number]


CORPUS = Path(__file__).parent / "corpus"


def _corpus_texts() -> list[str]:
    """Every text of the development and frozen corpora (planted and clean), written apart from this filter."""
    texts = []
    for path in (CORPUS / "planted.tsv", CORPUS / "clean.tsv", CORPUS / "frozen" / "frozen_planted.tsv",
                 CORPUS / "frozen" / "frozen_clean.tsv"):
        texts += [line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#")]
    return texts


def test_the_cheap_contact_test_passes_every_corpus_text_the_scrubber_finds_contact_data_in() -> None:
    """may_hold_contacts only decides when the whole scrubber is run: it must never say no where the scrubber finds
    a phone number, an e-mail or a web address."""
    texts = _corpus_texts()
    found = [t for t in texts if public_ids.CONTACT_KINDS & set(scrub(t, bare_names=False).counts)]
    assert len(texts) > 500 and len(found) > 100  # the corpora hold many of each kind
    missed = [t for t in found if not may_hold_contacts(clean(t))]
    assert missed == []
    assert sum(may_hold_contacts(clean(t)) for t in texts) < len(texts)  # and it does rule texts out


@st.composite
def numbers_with_contacts(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(["WO-", "K5-", "R7.", "No.", "工事", "", "2025-"]))
    planted = draw(st.one_of(phones(), emails()))
    tail = draw(st.sampled_from(["", "-01", "/A", " 号"]))
    return f"{head}{planted}{tail}"


@settings(deadline=None, max_examples=200)
@given(numbers_with_contacts())
def test_a_number_holding_a_planted_phone_or_email_is_never_published(number: str) -> None:
    out = public_ids.record_numbers(pd.Series([number], dtype=object), DEMO_SECRET, "wo", Counter()).tolist()[0]
    assert out.startswith("wo-") and len(out) == 19


ID_PARTS = st.lists(st.sampled_from(["WO", "K", "R", "H", "-", "/", ".", " ", "0", "1", "2", "5", "9", "00",
                                     "090", "2025", "号", "第", "工", "@", "a", "t"]), max_size=12).map("".join)


@settings(deadline=None, max_examples=300)
@given(ID_PARTS)
def test_the_cheap_contact_test_never_rules_out_what_the_scrubber_finds(number: str) -> None:
    if not may_hold_contacts(clean(number)):
        assert not public_ids.CONTACT_KINDS & set(scrub(number, bare_names=False).counts)
