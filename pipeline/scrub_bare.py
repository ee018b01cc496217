"""Personal names without a honorific ('山本が来た', '担当の国弘より'), found with a Japanese tokenizer.

SudachiPy with SudachiDict core tags surnames and given names (名詞,固有名詞,人名,姓/名). A word so tagged, or
one of the common surnames of pipeline.scrub_words (the dictionary reads '松本', '岡本' as places), is
a name here only when it stands alone before a particle ('が', 'は', 'から', 'より', 'に', 'と', 'も', 'へ',
'を', 'で', '、'), so that '山口県道', '末武川', '市道花岡線', '岐山通', '山田地区' stay: the tokenizer reads
their first part as a name, but a place suffix follows, not a particle. Place names from the gazetteer
(pipeline.gazetteer) veto the rest ('岐山から', '末武に'), except words that are also common surnames
('中村', '山田'): for those a leaked name costs more than a lost place name. Municipality names veto always
('山口から来た').

The tokenizer runs only on texts where a cheap pattern fires: a run of two to four kanji right before one
of those particles; most complaint texts hold one, so the pattern mostly saves the tokenizer's start-up on
texts without kanji.
"""

import re
from functools import cache

from sudachipy import Dictionary, SplitMode, Tokenizer

from .scrub_words import SURNAMES

NAME = "[個人名]"
_PARTICLES = frozenset({"が", "は", "から", "より", "に", "と", "も", "へ", "を", "で", "、", ",", "や"})
_KANJI = "一-龯々ヶ"
_CANDIDATE = re.compile(rf"(?<![{_KANJI}])[{_KANJI}]{{2,4}}(?=が|は|から|より|に|と|も|へ|を|で|、|,|や)")
_ALL_KANJI = re.compile(rf"[{_KANJI}]+")
# why: the tokenizer's reading depends on the context ('「小西へ' splits into 小 + 西), so a known surname that
# stands alone before a particle counts whatever the tokenizer makes of it
_SURNAME_ALT = "|".join(sorted((s for s in SURNAMES if len(s) >= 2), key=lambda s: (-len(s), s)))
_KNOWN_SURNAME = re.compile(rf"(?<![{_KANJI}])(?:{_SURNAME_ALT})(?=が|は|から|より|に|と|も|へ|を|で|、|,|や)")


@cache
def _tokenizer() -> tuple[Tokenizer, object]:
    dictionary = Dictionary(dict="core")
    person = dictionary.pos_matcher(lambda pos: pos[1] == "固有名詞" and pos[2] == "人名")
    return dictionary.tokenizer(mode=SplitMode.C, fields={"pos"}), person


def is_place(word: str, places: frozenset[str], municipalities: frozenset[str]) -> bool:
    """True when a name-tagged word is a place to keep: a municipality, or a gazetteer place that is no surname."""
    return word in municipalities or (word in places and word not in SURNAMES)


def bare_name_spans(text: str, places: frozenset[str], municipalities: frozenset[str]) -> list[tuple[int, int]]:
    """Text -> (start, end) of each name-tagged word that stands alone before a particle and is no place."""
    if not _CANDIDATE.search(text):
        return []
    spans = {(m.start(), m.end()) for m in _KNOWN_SURNAME.finditer(text)
             if not is_place(m.group(0), places, municipalities)}
    tokenizer, person = _tokenizer()
    morphemes = list(tokenizer.tokenize(text))
    i = 0
    while i < len(morphemes):
        m = morphemes[i]
        # why: the dictionary reads some common surnames as places ('松本', '岡本', '広田'); the surname list decides
        if not (person(m) or m.surface() in SURNAMES):  # type: ignore[operator]
            i += 1
            continue
        j = i
        while j + 1 < len(morphemes) and person(morphemes[j + 1]):  # type: ignore[operator]
            j += 1  # '吉田健一': surname and given name
        start, end = m.begin(), morphemes[j].end()
        word = text[start:end]
        before = text[start - 1:start]
        after = morphemes[j + 1].surface() if j + 1 < len(morphemes) else ""
        alone = not (before and _ALL_KANJI.fullmatch(before))
        if (alone and after in _PARTICLES and len(word) >= 2 and _ALL_KANJI.fullmatch(word)
                and not is_place(word, places, municipalities)):
            spans.add((start, end))
        i = j + 1
    return _disjoint(spans)


def _disjoint(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans merged, in text order."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def replace_bare_names(text: str, places: frozenset[str], municipalities: frozenset[str]) -> tuple[str, int]:
    """Text -> (text with '[個人名]' for each bare name, names replaced)."""
    spans = bare_name_spans(text, places, municipalities)
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text, len(spans)
