"""Names without a honorific (pipeline.scrub_bare): the tokenizer finds them, place names survive."""

import pytest

from pipeline.gazetteer import load_places, municipality_names, parse_places, town_names
from pipeline.scrub import clean, scrub
from pipeline.scrub_words import SURNAMES

BARE = [
    ("山本が来た", "[個人名]が来た"),
    ("昨日、田中から電話があった", "昨日、[個人名]から電話があった"),
    ("担当の国弘より回答", "担当の[個人名]より回答"),
    ("近所の中村によると暗い", "近所の[個人名]によると暗い"),
    ("松本と一緒に現地を見た", "[個人名]と一緒に現地を見た"),
    ("岡本から折り返しがない", "[個人名]から折り返しがない"),
    ("菊池より写真を受領", "[個人名]より写真を受領"),
    ("宮川と広田で清掃した", "[個人名]と[個人名]で清掃した"),
    ("重村は現場を見てから判断する", "[個人名]は現場を見てから判断する"),
    ("昨日山本が来た", "昨日[個人名]が来た"),
    ("係長河村が確認した", "係長[個人名]が確認した"),
    ("今日は中村、明日は原田が行く", "今日は[個人名]、明日は[個人名]が行く"),
    ("山本の話では暗い", "[個人名]の話では暗い"),
    ("田中の畑の草", "[個人名]の畑の草"),
]

PLACES = [
    "山口県道の舗装", "中央町3丁目交差点", "市道花岡線の側溝", "中村橋の欄干", "岐山から見える", "末武に向かう道",
    "末武川の堤防", "岐山通の街路樹", "山田地区の道路", "山口から来た車", "岩国から来た車", "周南に向かう国道",
    "花岡から下松へ", "島田川の水位", "下松市と光市の境", "徳山から新南陽へ", "錦川の河川敷", "中島町の交差点",
    "市道花岡が冠水", "県道山口から", "25年前に整備", "本日中に補修", "今日中に対応", "岐山の木が倒れた",
    "中島の交差点", "道路の話", "周南の家並み",
]


@pytest.mark.parametrize(("text", "expected"), BARE)
def test_bare_name_is_replaced(text: str, expected: str) -> None:
    result = scrub(text)
    assert (result.text, result.counts.get("person_name", 0) >= 1) == (expected, True)


@pytest.mark.parametrize("text", PLACES)
def test_place_names_survive(text: str) -> None:
    assert scrub(text).text == text


def test_bare_name_step_can_be_skipped() -> None:
    assert scrub("山本が来た", bare_names=False).text == "山本が来た"


def test_gazetteer_from_postal_rows() -> None:
    rows = [("周南市", "岐山通"), ("下松市", "末武上"), ("光市", "中村町"), ("大島郡周防大島町", "小松（その他）"),
            ("下松市", "以下に掲載がない場合")]
    assert municipality_names(rows) == sorted(["下松", "下松市", "周南", "周南市", "周防大島", "周防大島町", "光市"])
    assert town_names(rows) == sorted(["中村", "中村町", "小松", "岐山", "岐山通", "末武", "末武上"])


def test_bundled_places() -> None:
    places, municipalities = load_places()
    assert {"岐山通", "末武", "中村", "周南", "山口"} <= places
    assert {"周南", "山口", "下松", "岩国"} <= municipalities and "中村" not in municipalities
    assert parse_places("# c\nA\n\nB\n") == (frozenset({"A", "B"}), frozenset())


def test_every_town_name_survives_unless_it_is_a_common_surname() -> None:
    """All 2,100-odd town names of the prefecture, before a particle and before の; those that are also common
    surnames ('中村', '山田') are replaced before a particle, by design (docs/anonymization.md)."""
    places, _ = load_places()
    lost = {p for p in places for text in (f"{p}から来た車が側溝に落ちた", f"{p}の交差点で舗装がはがれている")
            if scrub(text).text != clean(text)}
    assert lost <= SURNAMES, sorted(lost - SURNAMES)[:20]
    assert len(lost) <= 0.03 * len(places)


def test_place_names_with_a_title_character_survive() -> None:
    for text in ("田倉御殿町の駐車場", "豊田町殿敷の踏切", "大殿大路のバス停", "西方の交差点", "吉田地方の道路"):
        assert scrub(text).text == text
    assert scrub("山田殿から").text == "[個人名]殿から"
