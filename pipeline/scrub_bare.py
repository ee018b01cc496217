"""Personal names without a honorific ('山本が来た', '担当の国弘より'), found with a Japanese tokenizer.

A candidate is a whole run of kanji (none right before it) that stands right before a particle ('が', 'は',
'から', 'より', 'に', 'と', 'も', 'へ', 'を', 'で', 'や', '、'), so that '山口県道', '末武川', '市道花岡線',
'岐山通', '山田地区' are never candidates: a place suffix follows the name-like part, not a particle.
A candidate is a name when SudachiPy with SudachiDict core reads it, on its own, as name parts only
(名詞,固有名詞,人名: '山本', '吉田健一', '国弘'), or when it is one of the common surnames of
pipeline.scrub_words (the dictionary reads '松本', '岡本' as places). Place names from the gazetteer
(pipeline.gazetteer) veto the rest ('岐山から', '末武に'), except words that are also common surnames
('中村', '山田'): for those a leaked name costs more than a lost place name. Municipality names veto always
('山口から来た').

why on its own: in context the tokenizer's reading shifts ('「小西へ' splits into 小 + 西), and read on its
own a word's verdict can be kept: the same few thousand words recur across texts, so the tokenizer runs
about once per distinct word, not once per text.
"""

import re
from functools import cache, lru_cache

from sudachipy import Dictionary, SplitMode, Tokenizer

from .scrub_words import SURNAMES

NAME = "[個人名]"
_KANJI = "一-龯々ヶ"
_PARTICLES = "が|は|から|より|に|と|も|へ|を|で|、|,|や"
# A candidate: a whole run of two to eight kanji (no kanji or digit right before it: "25年前に") before a particle.
_CANDIDATE = re.compile(rf"(?<![{_KANJI}0-9A-Za-z])[{_KANJI}]{{2,8}}(?={_PARTICLES})")
_MAX_NAME_PARTS = 3
_LONGEST_PLACE = 12


@cache
def _tokenizer() -> tuple[Tokenizer, object]:
    dictionary = Dictionary(dict="core")
    person = dictionary.pos_matcher(lambda pos: pos[1] == "固有名詞" and pos[2] == "人名")
    return dictionary.tokenizer(mode=SplitMode.C, fields={"pos"}), person


@lru_cache(maxsize=1 << 16)
def is_name_word(word: str) -> bool:
    """True when a kanji word, read on its own, is a personal name: a known surname, or only name parts
    ('山本', '吉田健一', '国弘') in the tokenizer's reading."""
    if word in SURNAMES:
        return True
    tokenizer, person = _tokenizer()
    morphemes = tokenizer.tokenize(word)
    return len(morphemes) <= _MAX_NAME_PARTS and all(person(m) for m in morphemes)  # type: ignore[operator]


def is_place(word: str, places: frozenset[str], municipalities: frozenset[str]) -> bool:
    """True when a name-like word is a place to keep: a municipality, or a gazetteer place that is no surname."""
    return word in municipalities or (word in places and word not in SURNAMES)


def _inside_place(text: str, start: int, end: int, places: frozenset[str]) -> bool:
    """True when a longer place name ends with the candidate ('みもすそ川町', '山の田中央', 'かせ河原')."""
    return any(text[begin:end] in places and text[begin:end] not in SURNAMES
               for begin in range(max(0, end - _LONGEST_PLACE), start))


def bare_name_spans(text: str, places: frozenset[str], municipalities: frozenset[str]) -> list[tuple[int, int]]:
    """Text -> (start, end) of each candidate word that is a personal name and no place."""
    return [(m.start(), m.end()) for m in _CANDIDATE.finditer(text)
            if is_name_word(m.group(0)) and not is_place(m.group(0), places, municipalities)
            and not _inside_place(text, m.start(), m.end(), places)]


def replace_bare_names(text: str, places: frozenset[str], municipalities: frozenset[str]) -> tuple[str, int]:
    """Text -> (text with '[個人名]' for each bare name, names replaced)."""
    spans = bare_name_spans(text, places, municipalities)
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text, len(spans)
