"""End to end through anonymize.cases(): realistic complaint texts with planted personal data.
None of the planted values may appear in any column of the published table."""

import hashlib
import re
from collections import Counter
from collections.abc import Callable

import pandas as pd
import pytest
from measure_scrub import (
    FROZEN,
    PLANTED_KINDS,
    REAL,
    load_clean,
    load_frozen,
    load_open311,
    load_planted,
    load_safemap,
    measure,
    precision,
    recall,
    redacted_spans,
    survives,
)

from pipeline import anonymize
from pipeline.anonymize import DEMO_SECRET, Report, Settings
from pipeline.scrub import clean, scrub

# (text, planted values that must not be published)
CORPUS: list[tuple[str, list[str]]] = [
    ("山田太郎様宅の前の側溝のふたががたついています。連絡は0834-22-1234まで", ["山田", "太郎", "22-1234"]),
    ("岐山通1丁目2番3号の前の道路に穴があいている", ["2番3号", "1丁目2"]),
    ("佐藤さんの家の横の街路灯が消えたまま", ["佐藤"]),
    ("通学路の草が伸びている。返事はtaro.yamada@example.co.jpへ", ["taro.yamada", "example.co.jp"]),
    ("連絡はhanako88＠example.jpまでお願いします", ["hanako88"]),
    ("山口 500 あ 12-34 の車がずっと路上駐車している", ["500 あ", "12-34"]),
    ("山口500さ1234が毎晩停めてある", ["500さ1234", "1234"]),
    ("田中方の塀が道路に倒れかけている", ["田中"]),
    ("ヤマダさんの家の前のカーブミラーが割れている", ["ヤマダ"]),
    ("携帯０９０－１２３４－５６７８に折り返しください", ["1234", "5678", "１２３４"]),
    ("電話番号は09012345678です。穴が深い", ["09012345678", "12345678"]),
    ("〒745-0001 周南市大字徳山12番地の3付近で冠水", ["745-0001", "0001", "12番地の3"]),
    ("自治会長の鈴木一郎氏から要望あり", ["鈴木", "一郎"]),
    ("藤井恵子です。大雨で排水が追いつかず冠水した。携帯0833(41)3058", ["藤井", "恵子", "3058"]),
    ("国弘健です。雨のあと水たまりができる穴がある", ["国弘"]),
    ("+81-90-8765-4321 から連絡あり、倒木で通れない", ["8765", "4321"]),
    ("0120-123-456のフリーダイヤルに何度かけてもつながらない", ["123-456", "0120"]),
    ("詳しくは https://example.com/photos/yamada を見てください", ["example.com", "yamada"]),
    ("写真はwww.example.jp/p/123に置きました", ["example.jp"]),
    ("御幸通2-5-7の角のガードレールが曲がっている", ["2-5-7"]),
    ("平和通3－4－5付近の区画線が消えている", ["3-4-5", "3－4－5"]),
    ("中村さん宅前の側溝が詰まっている、中村さんは090 2345 6789", ["中村", "2345", "6789"]),
    ("担当：河村（道路課）から折り返し", ["河村"]),
    ("通報者：松本由美、TEL 0834-33-4455", ["松本", "由美", "4455"]),
    ("マイナンバー 1234 5678 9012 の書類を落とした人がいる", ["1234", "9012"]),
    ("原田様より、市道の舗装がはがれているとのこと", ["原田"]),
    ("末永さんちの前の道路が陥没", ["末永"]),
    ("岡村くんが自転車で転びそうになった", ["岡村"]),
    ("花子ちゃんの通学路の見通しが悪い", ["花子"]),
    ("Mr. Johnson reported a pothole near the station", ["Johnson"]),
    ("Tanakaさんから英語で問い合わせ", ["Tanaka"]),
    ("周南市岐山通1丁目2-3の街灯が点滅", ["2-3"]),
    ("弘中宅の木の枝が歩道に張り出している", ["弘中"]),
    ("佐々木様方の前に不法投棄", ["佐々木"]),
    ("0834（22）9876 の方から苦情", ["9876"]),
    ("連絡先 090‐1111‐2222 山本", ["1111", "2222", "山本"]),
    ("ナンバー周南 300 さ ・・・5 の車が放置", ["300"]),
    ("市営住宅3号棟の前、コーポ岐山305号室の方から", ["305"]),
    ("高橋さん（090ー3333ー4444）宅の前の側溝", ["高橋", "3333", "4444"]),
    ("中島 花子 様からの要望。道路照明が暗い", ["中島", "花子"]),
    ("石田と申します。公園のベンチが壊れている", ["石田"]),
    ("坂本家の生け垣が交差点の見通しを悪くしている", ["坂本"]),
]


def _published_text(frame: pd.DataFrame) -> str:
    return "\n".join(frame.astype(str).to_numpy().ravel())


def test_corpus_size() -> None:
    assert len(CORPUS) >= 40


def test_planted_values_never_published(make_cases: Callable[..., pd.DataFrame]) -> None:
    texts = [text for text, _ in CORPUS]
    frame = make_cases(len(texts), descriptions=texts)
    frame["status_detail"] = list(reversed(texts))
    published = anonymize.cases(frame, "352152", Settings(secret=DEMO_SECRET), Report(), {})
    everything = _published_text(published)
    digits_only = re.sub(r"\D", "", everything)
    leaks = []
    for text, needles in CORPUS:
        for needle in needles:
            if needle in everything or (needle.isdigit() and len(needle) >= 6 and needle in digits_only):
                leaks.append((text, needle))
    assert not leaks
    statuses = published["description_status"].value_counts().to_dict()
    assert statuses.get("redacted", 0) >= 30, statuses  # most stay readable with placeholders


def test_corpus_scrubbed_texts_read_well() -> None:
    from pipeline.scrub import scrub

    assert scrub(CORPUS[0][0]).text == "[個人名]様宅の前の側溝のふたががたついています。連絡は[電話番号]まで"
    assert scrub(CORPUS[1][0]).text == "岐山通[番地]の前の道路に穴があいている"


# --- the development part of measure_scrub.py (corpus/planted.tsv, corpus/clean.tsv) -------------------------

# Over-redaction measured on corpus/clean.tsv when this ceiling was set: 0 of 224 texts altered, 0 withheld,
# 0 characters lost. The ceiling leaves room for one or two altered texts as the corpus grows; raising it
# needs a note in docs/anonymization.md.
CLEAN_ALTERED_CEILING = 0.01
CLEAN_CHARS_LOST_CEILING = 0.005


def test_labelled_corpus_size_and_kinds() -> None:
    planted = load_planted()
    kinds = Counter(kind for item in planted for kind, _ in item.items)
    assert sum(kinds.values()) >= 200
    assert set(kinds) == set(PLANTED_KINDS) and min(kinds.values()) >= 9, kinds
    assert len(load_clean()) >= 200


def test_labelled_corpus_never_published(make_cases: Callable[..., pd.DataFrame]) -> None:
    """Recall 100 % end to end: no planted value in any column of the published cases table."""
    planted = load_planted()
    texts = [item.text for item in planted]
    frame = make_cases(len(texts), descriptions=texts)
    frame["status_detail"] = list(reversed(texts))
    published = anonymize.cases(frame, "352152", Settings(secret=DEMO_SECRET), Report(), {})
    everything = _published_text(published)
    free_text = "\n".join([*published["description"], *published["status_detail"]])
    # why: short digit runs ('405') occur in mesh codes and dates; digits are checked against the free text
    leaks = [(kind, value) for item in planted for kind, value in item.items
             if survives(value, free_text) or (len(value) >= 4 and clean(value) in everything)]
    assert not leaks
    assert (published["description_status"] == "withheld").sum() <= 5


def test_labelled_corpus_figures() -> None:
    figures = measure(load_planted(), load_clean())
    assert recall(figures) == 1.0, figures.misses
    assert precision(figures) >= 0.98, figures.false_spans
    assert figures.clean_altered / figures.clean_texts <= CLEAN_ALTERED_CEILING, figures.altered
    assert figures.clean_chars_lost / figures.clean_chars <= CLEAN_CHARS_LOST_CEILING, figures.altered
    assert figures.clean_withheld == 0, figures.altered


def test_redacted_spans_are_found() -> None:
    source = "山田様の前、電話0834-22-1234"
    assert redacted_spans(source, scrub(source).text) == [(0, 2, "person_name"), (8, 20, "phone")]


# --- real texts without labels (../shared/data/real) -------------------------------------------------------------

# Over-redaction on the 269 residents' texts of the Shunan safe-map survey when this ceiling was set: 2 texts
# altered, both withheld whole by the sensitive-topic rule ('障害者の方も一緒に働けます'), 49 of 8,762 characters
# lost; no text altered by a placeholder (the rules once took 左右ちゃんと, 消防士さん and 昔神様 for names).
SAFEMAP_ALTERED_CEILING = 4
SAFEMAP_CHARS_LOST_CEILING = 0.01
needs_real = pytest.mark.skipif(not (REAL / "shunan_safemap_R5").is_dir() or not (REAL / "open311").is_dir(),
                                reason="real third-party data not present (../shared/data/real)")


@needs_real
def test_real_safemap_texts_over_redaction() -> None:
    texts = load_safemap()
    figures = measure([], texts)
    assert figures.clean_texts == 269
    assert figures.clean_altered <= SAFEMAP_ALTERED_CEILING, figures.altered
    assert figures.clean_chars_lost / figures.clean_chars <= SAFEMAP_CHARS_LOST_CEILING, figures.altered
    placeholders = [result for _text, result in figures.altered if "[" in result]
    assert not placeholders


@needs_real
def test_real_open311_addresses_and_signatures_are_scrubbed() -> None:
    """Street addresses and signed names in the real Hoboken bodies go; request numbers aside, few texts change."""
    texts = load_open311()
    published = "\n".join(scrub(text).text for text in texts)
    for value in ("827 Garden", "319 Monroe", "730 Washington", "1000 Hudson", "211 madison", "#508", "07030",
                  "Carl Feinberg", "Brian Wagner"):
        assert value not in published
    figures = measure([], texts)
    request_number = re.compile(r"#\d\d-\d{8}")  # why: 10 digits read as a long number, an older decision
    others = [result for text, result in figures.altered if not request_number.search(text)]
    assert len(others) <= 8, others
    assert figures.clean_withheld == 0


# --- the frozen test part (corpus/frozen/), measured once with the rules of e2e2e77 ------------------------------

# Written from a specification by someone who had not read the rules; committed unchanged and never tuned
# against. The checksums pin the files: a changed file is a new test set, to be measured anew and documented.
FROZEN_SHA256 = {
    "frozen_planted.tsv": "99a4d36478a9dd9d2999f446a4bd6a4046aa8e54083c7ac77150484639cebe76",
    "frozen_clean.tsv": "a020f8771205474b868a756a492da8653f99cce1469e1172181602f24b1246d7",
}
# Measured on 2026-12-06 (docs/anonymization.md): planted values removed per kind, of 231 in 174 texts.
FROZEN_REMOVED = {"phone": 19, "email": 12, "postal_code": 8, "address": 23, "name_honorific": 38, "name_bare": 20,
                  "plate": 8, "individual_number": 9, "url": 9, "room": 8, "birth_date": 11, "age": 11,
                  "coordinates": 9, "address_latin": 15, "name_latin": 11}
FROZEN_RECALL_FLOOR = 0.89  # measured 211/231 = 91.3 %
FROZEN_PRECISION_FLOOR = 0.95  # measured 203/210 = 96.7 %
FROZEN_ALTERED_CEILING = 0.025  # measured 3 of 177 clean texts (1.7 %)
FROZEN_CHARS_LOST_CEILING = 0.008  # measured 32 of 5,619 characters (0.57 %)


def test_frozen_part_is_unchanged() -> None:
    for name, digest in FROZEN_SHA256.items():
        assert hashlib.sha256((FROZEN / name).read_bytes()).hexdigest() == digest, name
    planted, clean_texts = load_frozen()
    assert (len(planted), sum(len(p.items) for p in planted), len(clean_texts)) == (174, 231, 177)


def test_frozen_part_figures_do_not_regress() -> None:
    """Out-of-sample floors a little below the one measurement: one item of slack per kind."""
    figures = measure(*load_frozen())
    for kind, removed in FROZEN_REMOVED.items():
        assert figures.removed[kind] >= removed - 1, (kind, figures.removed[kind], figures.misses)
    assert recall(figures) >= FROZEN_RECALL_FLOOR, figures.misses
    assert precision(figures) >= FROZEN_PRECISION_FLOOR, figures.false_spans
    assert figures.clean_altered / figures.clean_texts <= FROZEN_ALTERED_CEILING, figures.altered
    assert figures.clean_chars_lost / figures.clean_chars <= FROZEN_CHARS_LOST_CEILING, figures.altered
