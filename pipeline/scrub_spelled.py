"""The characters numbers are written with, and numbers and places spelled out in ways the digit rules of
pipeline/scrub_rules.py miss: katakana digit words, a kanji 一 as a dash, an Open Location Code, degrees in
kanji, a decimal comma, number plates in kanji digits or romaji."""

import re
from collections.abc import Callable

# Dashes between digits: NFKC leaves ‐ − ー 〜 alone, so they are listed; 'ー' only counts between digits.
DASH = "\\-‐‑‒–—―−ーｰ﹣～〜~"
HYPHEN = "\\-‐‑‒–—―−ーｰ﹣"  # without the tilde forms, which also mean 'from … to' ('1〜2回')
KANJI_DIGITS = "〇零一二三四五六七八九"
DAIJI = "壱弐参肆伍陸漆捌玖"  # the formal digits of deeds and receipts ('壱丁目弐番参号')

# A number spelled out in katakana words, nine digits or more: 'ゼロキュウゼロ、イチニサンヨン、…' (no text runs nine
# digit words on end).
_KANA_DIGITS = ("キュウ", "キュー", "ゼロ", "レイ", "マル", "イチ", "サン", "ヨン", "ロク", "ナナ", "シチ", "ハチ",
                "ニ", "シ", "ゴ", "ク")
KANA_NUMBER = re.compile(rf"(?:(?:{'|'.join(_KANA_DIGITS)})[、,・\s{HYPHEN}]?){{9,}}")
# An Open Location Code ('XR2C+9H'): a point to about 14 m.
_PLUS_CODE = re.compile(r"(?<![A-Za-z0-9+])[23456789CFGHJMPQRVWX]{2,8}\+[23456789CFGHJMPQRVWX]{2,3}(?![A-Za-z0-9])")
# A decimal comma ('34,0519 131,8069'): four or more digits after the comma is no thousands separator.
_COMMA_PAIR = re.compile(r"(?<![\d,.])(\d{1,3}),(\d{4,})(?![\d,.])\s?[;/、 ]\s?(\d{1,3}),(\d{4,})(?![\d,.])")
# Degrees in kanji after a cue: '緯度三十四点〇五一七'.
_KANJI_COORD = re.compile(rf"(?:北緯|南緯|東経|西経|緯度|経度)\s?[:：は]?\s?[{KANJI_DIGITS}十百]+点[{KANJI_DIGITS}]+")
# A number plate written in kanji digits ('山口五〇〇あ一二三四') or in romaji ('Yamaguchi 500 ta 12-99'), and a moped's
# plate of a kana and four digits between spaces ('周南市 え 2345').
# why: not next to more digits joined by の ('〇九〇の一二三四の五六七八' is a phone number): after them, _plate checks
# what precedes (a lookbehind here made the pattern four times slower on every text)
_KANJI_PLATE = re.compile(rf"[{KANJI_DIGITS}]{{2,3}}\s?[あ-ん]\s?[{KANJI_DIGITS}]{{1,2}}[・\-]?[{KANJI_DIGITS}]{{2}}"
                          rf"(?![{KANJI_DIGITS}]|の[{KANJI_DIGITS}])")
_ROMAJI_PLATE = re.compile(r"(?<![A-Za-z\d])\d{2,3}\s(?:[kstnhmyrwgzdbp]?[aiueo]|shi|chi|tsu|fu)\s\d{1,2}-\d{2}(?!\d)",
                           re.I)
_MOPED_PLATE = re.compile(r"(?<=[一-龯々] )[あ-ん] \d{3,4}(?!\d)")
# A what3words address ('///ことり.はしる.あかい': a 3 m square) and plane rectangular coordinates ('X=-178234.5
# Y=-22345.6', a point to the centimetre in a zone of the Japan Plane Rectangular CS).
_W3W = re.compile(r"///[^\s/.。、]+\.[^\s/.。、]+\.[^\s/.。、()]+")
_PLANE = re.compile(r"(?<![A-Za-z])X\s?[=:：]\s?-?\d{3,7}(?:\.\d+)?[\s,、]*Y\s?[=:：]\s?-?\d{3,7}(?:\.\d+)?", re.I)
# The kanji 一 used as a dash between digits: '090一1234一5611'.
KANJI_DASH = re.compile(r"(?<=\d)一(?=\d)")


def _plate(m: re.Match[str], put: Callable[[str], str]) -> str:
    """A plate in kanji digits, unless more digits (or digits and の) stand right before it."""
    before = m.string[max(0, m.start() - 2):m.start()]
    if before and (before[-1] in KANJI_DIGITS or (before[-1] == "の" and before[0] in KANJI_DIGITS)):
        return m.group(0)
    return put("plate")


def spelled_out(text: str, put: Callable[[str], str]) -> str:
    """A cleaned text with its spelled-out numbers and places replaced by put(kind)'s placeholder, and a kanji 一
    between digits turned into a dash for the digit rules."""
    if "一" in text:
        text = KANJI_DASH.sub("-", text)
    if "+" in text:
        text = _PLUS_CODE.sub(lambda _m: put("coordinates"), text)
    if "点" in text:
        text = _KANJI_COORD.sub(lambda _m: put("coordinates"), text)
    if "," in text:
        text = _COMMA_PAIR.sub(lambda m: put("coordinates") if (int(m[1]) <= 90 and int(m[3]) <= 180)
                               or (int(m[1]) <= 180 and int(m[3]) <= 90) else m.group(0), text)
    if "///" in text:
        text = _W3W.sub(lambda _m: put("coordinates"), text)
    if "=" in text or ":" in text:
        text = _PLANE.sub(lambda _m: put("coordinates"), text)
    text = _KANJI_PLATE.sub(lambda m: _plate(m, put), text)
    if " " in text:
        text = _MOPED_PLATE.sub(lambda _m: put("plate"), _ROMAJI_PLATE.sub(lambda _m: put("plate"), text))
    if re.search("[ァ-ヺ]", text):
        text = KANA_NUMBER.sub(lambda m: put("phone" if m.group(0).startswith(("ゼロ", "レイ", "マル"))
                                             else "individual_number"), text)
    return text
