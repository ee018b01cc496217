"""Identifiers that become file and folder names: checked against strict patterns before any path is built.

A package folder is `<code>_<slug>` (six-digit local government code with its check digit, a lower-case
ASCII slug); a raw export file is one plain file name inside the body's raw folder: letters and digits of
any script, space, `-_.()（）・` and the Japanese brackets
`＿【】「」『』［］〔〕〈〉《》＃＆＋`, a known extension, no separator, no control character, nothing that
NFKC would turn into `/` or `..`, at most 255 bytes (the limit of Linux file systems).
"""

import re
import unicodedata

from . import codes

SLUG = re.compile(r"[a-z][a-z0-9_-]{0,39}")
# why: \w is letters, digits and '_' of every script (Japanese file names are normal); the few punctuation
# marks allowed cannot separate paths, and look-alikes of '/' '.' '\' (／ ∕ ⁄ ． ․ ‥ ＼) are not among them.
FILE_NAME = re.compile(r"[\w\-. ()（）・＿【】「」『』［］〔〕〈〉《》＃＆＋]+")
EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".json")
WILDCARDS = "*?"
MAX_NAME_BYTES = 255


class IdentifierError(ValueError):
    """A value that cannot be used as (part of) a file name; the message says why."""


def check_code(value: str) -> str:
    """A local government code usable in a folder name (six digits, check digit right)."""
    if not codes.is_valid(value):
        raise IdentifierError(f"{value!r} is not a valid six-digit local government code")
    return value


def check_slug(value: str) -> str:
    """A body's slug: lower-case ASCII letters, digits, '_' and '-', starting with a letter, at most 40."""
    if not SLUG.fullmatch(value):
        raise IdentifierError(f"{value!r} must be lower-case ascii (a-z, 0-9, _ -), start with a letter, "
                              "at most 40 characters")
    return value


def package_name(code: str, slug: str) -> str:
    """'352152', 'shunan' -> '352152_shunan' (both checked)."""
    return f"{check_code(code)}_{check_slug(slug)}"


def check_file_name(value: str) -> str:
    """A raw export's file name: one plain name inside the raw folder (see the module docstring)."""
    shown = repr(value[:80])
    if not value:
        raise IdentifierError("the file name is empty")
    if len(value.encode("utf-8")) > MAX_NAME_BYTES:
        raise IdentifierError(f"{shown} is longer than {MAX_NAME_BYTES} bytes")
    if not FILE_NAME.fullmatch(value):
        bad = sorted({c for c in value if not FILE_NAME.fullmatch(c)})
        raise IdentifierError(f"{shown} holds characters a plain file name may not: "
                              + ", ".join(f"U+{ord(c):04X}" for c in bad))
    folded = unicodedata.normalize("NFKC", value)
    if value.startswith(".") or ".." in folded or any(c in folded for c in "/\\"):
        raise IdentifierError(f"{shown} must not start with '.' or hold '..', '/' or '\\'")
    if not value.lower().endswith(EXTENSIONS):
        raise IdentifierError(f"{shown} must end with one of {', '.join(EXTENSIONS)}")
    return value


def check_file_pattern(value: str) -> str:
    """A file name that may hold the wildcards `*` and `?` (several files per table): the rest is a plain name."""
    plain = value
    for wildcard in WILDCARDS:
        plain = plain.replace(wildcard, "x")
    try:
        check_file_name(plain)
    except IdentifierError as exc:
        raise IdentifierError(str(exc).replace(repr(plain[:80]), repr(value[:80]))) from exc
    return value


def is_pattern(value: str) -> bool:
    return any(w in value for w in WILDCARDS)
