"""Step 1 of the scrubber (pipeline/scrub.py): clean a text before any rule reads it."""

import re
import sys
import unicodedata

import numpy as np


def _categories() -> np.ndarray:
    """The Unicode general category of every code point, by code point (two-letter bytes)."""
    names = "".join(map(unicodedata.category, map(chr, range(sys.maxunicode + 1))))
    return np.frombuffer(names.encode("ascii"), dtype="S2")


def _points(categories: np.ndarray, names: tuple[str, ...]) -> set[int]:
    """The code points whose category is one of names."""
    return set(np.flatnonzero(np.isin(categories, [n.encode() for n in names])).tolist())


def _char_classes(categories: np.ndarray) -> tuple[str, str]:
    """(characters to drop, characters to turn into a space), as regex class bodies."""
    # why: combining marks and variation selectors left after NFKC ('山︀田', '0⃣9⃣0⃣') would split a name or a
    # number; Japanese voiced marks are composed by NFKC and kept.
    drop = _points(categories, ("Cf", "Cs", "Co", "Mn", "Me")) - {0x3099, 0x309A}
    planes = range(0xFFFE, len(categories), 0x10000)
    drop |= {*planes, *(cp + 1 for cp in planes), *range(0xFDD0, 0xFDEF + 1)}  # the noncharacters
    space = _points(categories, ("Cc", "Zl", "Zp", "Zs")) - {0x20} - drop
    return _ranges(sorted(drop)), _ranges(sorted(space))


def _ranges(points: list[int]) -> str:
    parts: list[str] = []
    start = prev = points[0]
    for cp in [*points[1:], -2]:
        if cp != prev + 1:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = cp
        prev = cp
    return "".join(parts)


_CATEGORIES = _categories()
_DROP_BODY, _SPACE_BODY = _char_classes(_CATEGORIES)
DROP = re.compile(f"[{_DROP_BODY}]+")
SPACES = re.compile(f"[{_SPACE_BODY} ]+")
DIGITS = {cp: str(unicodedata.decimal(chr(cp))) for cp in sorted(_points(_CATEGORIES, ("Nd",)))
           if not 0x30 <= cp <= 0x39}
del _CATEGORIES


def clean(text: str) -> str:
    """Raw text -> one NFKC line with ASCII digits and no invisible characters."""
    text = DROP.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = DROP.sub("", unicodedata.normalize("NFKC", text))
    if not text.isascii():
        text = text.translate(DIGITS)
    return SPACES.sub(" ", text).strip()
