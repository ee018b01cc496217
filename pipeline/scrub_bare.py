"""Personal names without a honorific ('山本が来た', '担当の国弘より'), found with a Japanese tokenizer.

A candidate is a whole run of kanji (none right before it) that stands right before a particle ('が', 'は',
'から', 'より', 'に', 'と', 'も', 'へ', 'を', 'で', 'や', '、'), so that '山口県道', '末武川', '市道花岡線',
'岐山通', '山田地区' are never candidates: a place suffix follows the name-like part, not a particle.
A candidate is a name when SudachiPy with SudachiDict core reads it, on its own, as name parts only
(名詞,固有名詞,人名: '山本', '吉田健一', '国弘'), or when it is one of the common surnames of
pipeline.scrub_words (the dictionary reads '松本', '岡本' as places); a time or role word written before the
name without a break stays ('昨日山本が' -> '昨日[個人名]が'). Place names from the gazetteer
(pipeline.gazetteer) veto the rest ('岐山から', '末武に'), except words that are also common surnames
('中村', '山田'): for those a leaked name costs more than a lost place name. Municipality names veto always
('山口から来た').

why on its own: in context the tokenizer's reading shifts ('「小西へ' splits into 小 + 西), and read on its
own a word's verdict can be kept: the same few thousand words recur across texts, so the tokenizer runs
about once per distinct word, not once per text.
"""

import re
import threading
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from sudachipy import Dictionary, SplitMode, Tokenizer

from .scrub_words import SINGLE_STOPS, SURNAMES

NAME = "[個人名]"
_KANJI = "一-龯々ヶ"
_PARTICLES = "が|は|から|より|に|と|も|へ|を|で|、|,|や"
# A candidate: a whole run of two to eight kanji (no kanji or digit right before it: "25年前に") before a particle.
# … or before の and a word for what a person has or says or is about ('山本の話では', '田中の畑', '森山の件').
_BELONGINGS = "件|話|車|家|畑|田んぼ|土地|敷地|塀|庭|木|犬|猫|倉庫|所有|持ち|自宅|息子|娘|奥さん|主人|子"
# … or at the very end of the text, where a signature stands ('自宅 周南市今宿町[番地] 佐藤').
_CANDIDATE = re.compile(rf"(?<![{_KANJI}0-9A-Za-z])[{_KANJI}]{{2,8}}(?={_PARTICLES}|の(?:{_BELONGINGS})|$)")
_MAX_NAME_PARTS = 3
# Role words that may stand right before a name without a break ('係長河村が', '職員山本から').
LEAD_WORDS = frozenset({"職員", "係長", "課長", "部長", "主任", "主査", "技師", "担当", "担当者", "作業員", "近所",
                        "隣", "市職員", "県職員", "所長", "班長", "会長", "区長", "自治会長", "社長", "運転手"})
_LONGEST_PLACE = 12
# A kanji numeral and a counter is a quantity ('一列で', '二人から'), though the dictionary reads '一列' as a
# given name.
_NUMERALS = "一二三四五六七八九十百千両"
_COUNTERS = frozenset("列人本回台件個枚番度号階段周歩軒戸棟部組班区隊名杯匹頭冊点輪")


_LOCAL = threading.local()


@cache
def _dictionary() -> tuple[Dictionary, Callable[[Any], bool]]:
    dictionary = Dictionary(dict="core")
    return dictionary, dictionary.pos_matcher(lambda pos: pos[1] == "固有名詞" and pos[2] == "人名")


def _is_kanji(char: str) -> bool:
    return re.fullmatch(f"[{_KANJI}]", char) is not None


def _is_quantity(word: str) -> bool:
    return len(word) == 2 and word[0] in _NUMERALS and word[1] in _COUNTERS


def _tokenizer() -> tuple[Tokenizer, Callable[[Any], bool]]:
    """This thread's tokenizer (a tokenizer keeps state while it works) and the person-name matcher."""
    dictionary, person = _dictionary()
    tokenizer = getattr(_LOCAL, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _LOCAL.tokenizer = dictionary.tokenizer(mode=SplitMode.C, fields={"pos"})
    return tokenizer, person


@lru_cache(maxsize=1 << 16)
def name_start(word: str) -> int | None:
    """Where the personal name in a kanji word begins, or None: the whole word when it is a known surname or,
    read on its own, only name parts ('山本', '吉田健一', '国弘'); the rest after a time or role word written
    without a break ('昨日山本', '係長河村')."""
    if word in SURNAMES:
        return 0
    if _is_quantity(word):
        return None
    tokenizer, person = _tokenizer()
    morphemes = list(tokenizer.tokenize(word))
    for i, m in enumerate(morphemes):
        rest = morphemes[i:]
        names = len(rest) <= _MAX_NAME_PARTS and all(person(r) for r in rest)
        if names or word[m.begin():] in SURNAMES:
            return m.begin() if len(word) - m.begin() >= 2 else None
        if not (m.part_of_speech()[2] == "副詞可能" or m.surface() in LEAD_WORDS):
            return None
    return None


def is_place(word: str, places: frozenset[str], municipalities: frozenset[str]) -> bool:
    """True when a name-like word is a place to keep: a municipality, or a gazetteer place that is no surname."""
    return word in municipalities or (word in places and word not in SURNAMES)


def _inside_place(text: str, start: int, end: int, places: frozenset[str]) -> bool:
    """True when a longer place name ends with the candidate ('みもすそ川町', '山の田中央', 'かせ河原')."""
    return any(text[begin:end] in places and text[begin:end] not in SURNAMES
               for begin in range(max(0, end - _LONGEST_PLACE), start))


def bare_name_spans(text: str, places: frozenset[str], municipalities: frozenset[str]) -> list[tuple[int, int]]:
    """Text -> (start, end) of the personal name in each candidate word, when it is no place."""
    spans = []
    for m in _CANDIDATE.finditer(text):
        offset = name_start(m.group(0))
        if offset is None:
            continue
        start = m.start() + offset
        if not (is_place(text[start:m.end()], places, municipalities) or _inside_place(text, start, m.end(), places)):
            spans.append((start, m.end()))
    return spans


def replace_bare_names(text: str, places: frozenset[str], municipalities: frozenset[str]) -> tuple[str, int]:
    """Text -> (text with '[個人名]' for each bare name, names replaced)."""
    spans = bare_name_spans(text, places, municipalities)
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text, len(spans)


@lru_cache(maxsize=1 << 14)
def is_common_word(stem: str) -> bool:
    """True when the word a honorific follows is an ordinary noun, not a name ('消防士さん', '左右ちゃんと',
    'ヘルパーさん'): SudachiDict knows the stem's last word only as a common noun, never as a person's name.
    A word the dictionary does not know, or knows as a name too ('林', '神'), counts as a possible name."""
    stem = stem.replace(" ", "")
    if not stem or stem in SURNAMES:
        return False
    if _is_quantity(stem[-2:]):
        return True
    tokenizer, _person = _tokenizer()
    last = list(tokenizer.tokenize(stem))[-1]
    if last.surface() in SINGLE_STOPS and len(stem) > 1:
        return True  # why: '昔神様' is '昔' + '神様'; a stem of one such kanji is scrub_names' stop-list
    if last.is_oov() or last.surface() in SURNAMES:
        return False
    entries = _dictionary()[0].lookup(last.surface())
    pos = [entry.part_of_speech() for entry in entries]
    return bool(pos) and not any(p[2] == "人名" for p in pos) and any(p[1] == "普通名詞" for p in pos)


@lru_cache(maxsize=1 << 12)
def _katakana_name(word: str) -> bool:
    """True when the dictionary knows a katakana word as a Japanese surname or given name and never as a
    common noun ('ヤマダ', 'ケンジ'; not 'サトウ' (sugar), 'ミラー', 'ローソン')."""
    pos = [entry.part_of_speech() for entry in _dictionary()[0].lookup(word)]
    return any(p[2] == "人名" and p[3] in ("姓", "名") for p in pos) and not any(p[1] == "普通名詞" for p in pos)


@lru_cache(maxsize=1 << 12)
def _inflects(word: str) -> bool:
    """True when the dictionary also knows a word as a verb, adjective, pronoun or interjection ('あおい',
    'そら'): a hiragana 'full name' made only of such words is ordinary text ('あおいそらがきれい')."""
    return any(entry.part_of_speech()[0] in ("動詞", "形容詞", "代名詞", "感動詞", "副詞")
               for entry in _dictionary()[0].lookup(word))


# --- names found in context (any script) -------------------------------------------------------------------

_FULL_NAME_PARTS = 4
_TITLES = ("さん", "様", "さま", "くん", "君", "ちゃん", "氏", "殿")
_HIRAGANA = re.compile("[ぁ-ゖー]{2,}")
_KATAKANA = re.compile("[ァ-ヺー]{2,}")


def _person_runs(morphemes: list) -> list[list]:
    """Runs of consecutive person-name morphemes (a single space may part them: 'タナカ ハナコ')."""
    person = _tokenizer()[1]
    runs: list[list] = []
    i = 0
    while i < len(morphemes):
        if not person(morphemes[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(morphemes) and j + 1 - i < _FULL_NAME_PARTS:
            if person(morphemes[j + 1]):
                j += 1
            elif (morphemes[j + 1].surface() == " " and j + 2 < len(morphemes)
                  and person(morphemes[j + 2])):
                j += 2
            else:
                break
        runs.append(morphemes[i:j + 1])
        i = j + 1
    return runs


_CLAUSE = re.compile(r"[^。、！？!?]+")


def context_name_spans(text: str, places: frozenset[str],
                       municipalities: frozenset[str]) -> tuple[list[tuple[int, int]], bool]:
    """context_clause_spans over each clause of the text (parted at 。、！？), so that a clause that recurs
    across texts is read once (an lru_cache)."""
    spans: list[tuple[int, int]] = []
    unsure = False
    for m in _CLAUSE.finditer(text):
        if len(m.group(0)) < 2:
            continue
        found, doubt = context_clause_spans(m.group(0), places, municipalities)
        spans += [(m.start() + a, m.start() + b) for a, b in found]
        unsure = unsure or doubt
    return spans, unsure


@lru_cache(maxsize=1 << 16)
def context_clause_spans(text: str, places: frozenset[str],
                         municipalities: frozenset[str]) -> tuple[tuple[tuple[int, int], ...], bool]:
    """(start, end) of the names SudachiPy reads in the whole text, and whether a hiragana name stands
    before a honorific ('さいとうさん': unsure, so the text is withheld, as the honorific rule does).

    A name is a surname followed by a given name in any script ('伊集院サエ', 'さいとうけんいち',
    'タナカ ハナコ'), or a katakana word the dictionary knows only as a Japanese name, before a particle
    ('ヤマダが'); never a place of the gazetteer, never part of a longer word ('市道花岡末武線')."""
    spans: list[tuple[int, int]] = []
    unsure = False
    for run in _person_runs(list(_tokenizer()[0].tokenize(text))):
        parts = [x for x in run if x.surface() != " "]
        kinds = [x.part_of_speech()[3] for x in parts]
        start, end = run[0].begin(), run[-1].end()
        word = text[start:end]
        after = text[end:end + 2]
        # why: a one-character part ('ひろ文', a shop) is too often no name; kanji full names with one are
        # the honorific, surname-list and bare-name rules' job
        full = ("姓" in kinds and "名" in kinds[kinds.index("姓") + 1:] and min(len(x.surface()) for x in parts) >= 2
                and not (_HIRAGANA.fullmatch(word.replace(" ", "")) and all(_inflects(x.surface()) for x in parts)))
        alone = (len(parts) == 1 and _KATAKANA.fullmatch(word) is not None
                 and re.match(_PARTICLES, after) is not None and _katakana_name(word))
        glued = (_is_kanji(text[start - 1:start]) and _is_kanji(word[:1])) or (
            (_is_kanji(text[end:end + 1]) or _KATAKANA.match(text[end:end + 2]) is not None)
            and text[end] not in "様氏君殿宅邸方家")
        reading = text[start - 1:start] == "(" and after[:1] == ")"  # why: the reading rules take '(サトウ)'
        if glued or reading or any(_is_quantity(x.surface()) for x in parts) or is_place(word, places, municipalities) \
                or _inside_place(text, start, end, places):
            continue
        if full or alone:
            spans.append((start, end))
        elif _HIRAGANA.fullmatch(word) and after.startswith(_TITLES):
            unsure = True
    return tuple(spans), unsure


def replace_context_names(text: str, places: frozenset[str],
                          municipalities: frozenset[str]) -> tuple[str, int, bool]:
    """Text -> (text with '[個人名]' for each name found in context, names replaced, unsure)."""
    spans, unsure = context_name_spans(text, places, municipalities)
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text, len(spans), unsure
