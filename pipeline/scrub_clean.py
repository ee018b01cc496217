"""Step 1 of the scrubber (pipeline/scrub.py): clean a text before any rule reads it."""

import re
import sys
import unicodedata


def _char_classes() -> tuple[str, str]:
    """(characters to drop, characters to turn into a space), as regex class bodies."""
    drop: list[int] = []
    space: list[int] = []
    for cp in range(sys.maxunicode + 1):
        cat = unicodedata.category(chr(cp))
        # why: combining marks and variation selectors left after NFKC ('山︀田', '0⃣9⃣0⃣') would split a
        # name or a number; Japanese voiced marks are composed by NFKC and kept.
        combining = cat in ("Mn", "Me") and cp not in (0x3099, 0x309A)
        if cat in ("Cf", "Cs", "Co") or combining or (cp & 0xFFFE) == 0xFFFE or 0xFDD0 <= cp <= 0xFDEF:
            drop.append(cp)
        elif cat in ("Cc", "Zl", "Zp") or (cat == "Zs" and cp != 0x20):
            space.append(cp)
    return _ranges(drop), _ranges(space)


def _ranges(points: list[int]) -> str:
    parts: list[str] = []
    start = prev = points[0]
    for cp in [*points[1:], -2]:
        if cp != prev + 1:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = cp
        prev = cp
    return "".join(parts)


_DROP_BODY, _SPACE_BODY = _char_classes()
_DROP = re.compile(f"[{_DROP_BODY}]+")
SPACES = re.compile(f"[{_SPACE_BODY} ]+")
_DIGITS = {cp: str(unicodedata.decimal(chr(cp))) for cp in range(sys.maxunicode + 1)
           if unicodedata.category(chr(cp)) == "Nd" and not 0x30 <= cp <= 0x39}


def clean(text: str) -> str:
    """Raw text -> one NFKC line with ASCII digits and no invisible characters."""
    text = _DROP.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = _DROP.sub("", unicodedata.normalize("NFKC", text))
    if not text.isascii():
        text = text.translate(_DIGITS)
    return SPACES.sub(" ", text).strip()
