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
from functools import cache, lru_cache

from sudachipy import Dictionary, SplitMode, Tokenizer

from .scrub_words import SURNAMES

NAME = "[個人名]"
_KANJI = "一-龯々ヶ"
_PARTICLES = "が|は|から|より|に|と|も|へ|を|で|、|,|や"
# A candidate: a whole run of two to eight kanji (no kanji or digit right before it: "25年前に") before a particle.
# … or before の and a word for what a person has or says ('山本の話では', '田中の畑', '原田の車').
_BELONGINGS = "話|車|家|畑|田んぼ|土地|敷地|塀|庭|木|犬|猫|倉庫|所有|持ち|自宅|息子|娘|奥さん|主人|子"
_CANDIDATE = re.compile(rf"(?<![{_KANJI}0-9A-Za-z])[{_KANJI}]{{2,8}}(?={_PARTICLES}|の(?:{_BELONGINGS}))")
_MAX_NAME_PARTS = 3
# Role words that may stand right before a name without a break ('係長河村が', '職員山本から').
LEAD_WORDS = frozenset({"職員", "係長", "課長", "部長", "主任", "主査", "技師", "担当", "担当者", "作業員", "近所",
                        "隣", "市職員", "県職員", "所長", "班長", "会長", "区長", "自治会長", "社長", "運転手"})
_LONGEST_PLACE = 12


_LOCAL = threading.local()


@cache
def _dictionary() -> tuple[Dictionary, object]:
    dictionary = Dictionary(dict="core")
    return dictionary, dictionary.pos_matcher(lambda pos: pos[1] == "固有名詞" and pos[2] == "人名")


def _tokenizer() -> tuple[Tokenizer, object]:
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
    tokenizer, person = _tokenizer()
    morphemes = list(tokenizer.tokenize(word))
    for i, m in enumerate(morphemes):
        rest = morphemes[i:]
        names = len(rest) <= _MAX_NAME_PARTS and all(person(r) for r in rest)  # type: ignore[operator]
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
