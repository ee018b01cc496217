"""The cleaner's character tables, checked code point by code point against the rule they implement."""

import sys
import unicodedata

from pipeline import scrub_clean


def _dropped(cp: int) -> bool:
    """The rule as written for one code point: format, surrogate and private-use characters, combining marks
    other than the Japanese voiced marks, and the noncharacters."""
    cat = unicodedata.category(chr(cp))
    combining = cat in ("Mn", "Me") and cp not in (0x3099, 0x309A)
    return cat in ("Cf", "Cs", "Co") or combining or (cp & 0xFFFE) == 0xFFFE or 0xFDD0 <= cp <= 0xFDEF


def _spaced(cp: int) -> bool:
    """Controls, line and paragraph separators and every space other than U+0020 become a space."""
    cat = unicodedata.category(chr(cp))
    return not _dropped(cp) and (cat in ("Cc", "Zl", "Zp") or (cat == "Zs" and cp != 0x20))


def test_drop_and_space_classes_match_the_rule_at_every_code_point() -> None:
    drop = scrub_clean.DROP
    space = scrub_clean.SPACES
    wrong = [cp for cp in range(sys.maxunicode + 1)
             if bool(drop.fullmatch(chr(cp))) != _dropped(cp)
             or bool(space.fullmatch(chr(cp))) != (_spaced(cp) or cp == 0x20)]
    assert wrong == []


def test_digits_table_holds_every_non_ascii_decimal_digit() -> None:
    expected = {cp: str(unicodedata.decimal(chr(cp))) for cp in range(sys.maxunicode + 1)
                if unicodedata.category(chr(cp)) == "Nd" and not 0x30 <= cp <= 0x39}
    assert expected == scrub_clean.DIGITS
    assert scrub_clean.clean("\uff11\u0662\u0e53 a\u3000b\u200b") == "123 a b"
