"""Local government codes (全国地方公共団体コード): check digit and validation."""

import re

_WEIGHTS = (6, 5, 4, 3, 2)
_CODE6 = re.compile(r"^[0-9]{6}$")


def check_digit(code5: str) -> int:
    """Five-digit code -> its check digit, by the MIC rule (weights 6..2, modulus 11)."""
    if not re.fullmatch(r"[0-9]{5}", code5):
        raise ValueError(f"not a five-digit code: {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def with_check_digit(code5: str) -> str:
    """'35215' -> '352152'."""
    return f"{code5}{check_digit(code5)}"


def is_valid(code: str) -> bool:
    """True if `code` is six digits whose last digit is the check digit of the first five."""
    return bool(_CODE6.match(code)) and check_digit(code[:5]) == int(code[5])


def repair(value: str) -> str | None:
    """Recover a code mangled by a spreadsheet ('52152', '352152.0', '3.52152E+05'); None if hopeless."""
    text = value.strip()
    try:
        if re.fullmatch(r"[0-9.]+([eE][+]?[0-9]+)?", text) and not text.isdigit():
            number = float(text)
            if not number.is_integer():
                return None
            text = str(int(number))
    except ValueError:
        return None
    if not text.isdigit():
        return None
    for candidate in (text, text.zfill(6), text.zfill(5)):
        if len(candidate) == 6 and is_valid(candidate):
            return candidate
        if len(candidate) == 5:
            return with_check_digit(candidate)
    return None
