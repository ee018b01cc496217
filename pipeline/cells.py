"""Cell parsers: one intake text cell -> a typed canonical value, or Invalid with the reason shown to the body.

`parsers(resource, adapter, source)` gives one parser per intake column, chosen by the column's kind
(id, date, int, number, bool, code, text, enum) and wrapped in the schema's published length limit.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from . import codes, intake, schema
from .adapter import Adapter, Source, value_map
from .wareki import DateError, parse_date

# why: a single cell larger than this is junk or an attack, not a municipal export.
MAX_TEXT = 10_000
# why: '令和99年' is a valid era date (2117) but no export holds one; nor one before the road ledgers began.
DATE_RANGE = (1950, 2100)
_EXPONENT = re.compile(r"[0-9](\.[0-9]+)?[eE][+-]?[0-9]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_TRUE = {"true", "1", "yes", "y", "はい", "有", "あり", "○", "◯", "t"}
_FALSE = {"false", "0", "no", "n", "いいえ", "無", "なし", "", "×", "f", "-"}


class Invalid(ValueError):
    """A cell value that cannot be used; the message is the reason shown to the municipality."""


def text(value: str) -> str:
    """NFKC (full-width digits and letters to ASCII), control characters removed, trimmed."""
    cleaned = _CONTROL.sub("", unicodedata.normalize("NFKC", value))
    return cleaned.replace("\r\n", "\n").replace("\r", "\n").strip()


def folded(value: str) -> str:
    """A word as compared with an adapter's value map: cleaned, without spaces, lower case."""
    return re.sub(r"\s+", "", text(value)).lower()


_CURRENCY = re.compile(r"[,\s円¥\\$€£]|(?:JPY|CAD|USD|EUR|GBP|千円)$|^(?:JPY|CAD|USD|EUR|GBP)")
_NEGATIVE = ("△", "▲", "-", "−", "－")
# why: a published amount is a 64-bit integer (Parquet, SQLite); no public contract comes near this many yen
MAX_AMOUNT = 10**15


def parse_int(value: str) -> int:
    """An amount: '1,234円', '¥1,234', '8923.94' (rounded half to even), '△1,000' (negative: refused)."""
    raw = text(value)
    s = _CURRENCY.sub("", raw)
    negative = s.startswith(_NEGATIVE) or (s.startswith("(") and s.endswith(")"))
    s = s.lstrip("".join(_NEGATIVE)).strip("()")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", s):
        raise Invalid("not an amount")
    if negative:
        raise Invalid("negative amount (△ or -): a decrease, not an amount the schema can publish (≥ 0)")
    from decimal import ROUND_HALF_EVEN, Decimal

    amount = int(Decimal(s).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    if amount >= MAX_AMOUNT:
        raise Invalid("amount of 16 digits or more: above any public budget (Japan's is about 10^14 yen), a typo")
    return amount


def parse_number(value: str) -> float:
    try:
        number = float(text(value))
    except ValueError as exc:
        raise Invalid("not a number") from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise Invalid("not a finite number")
    return number


def parse_bool(value: str) -> bool:
    word = folded(value)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise Invalid("not a yes/no value")


def parse_code(value: str) -> str:
    repaired = codes.repair(text(value))
    if repaired is None:
        raise Invalid("not a local government code")
    return repaired


_PATH_LIKE = re.compile(r"^(?:[/\\~]|[A-Za-z]:[/\\])|(?:^|[/\\])\.\.(?:[/\\]|$)|\\")
_FORMULA = re.compile(r"^(?:[=+@]|-[^0-9])")


def parse_id(value: str) -> str:
    s = text(value)
    if len(s) > 64:
        raise Invalid("identifier longer than 64 characters")
    if _EXPONENT.fullmatch(s):
        raise Invalid("identifier in exponent notation: a spreadsheet rounded it; export the column as text")
    if _FORMULA.match(s):
        raise Invalid("identifier starts like a spreadsheet formula (=, +, -, @): refused, as a spreadsheet "
                      "would run it; export the number as plain text")
    if _PATH_LIKE.search(s):
        raise Invalid("identifier looks like a file path (leading / \\ ~, a drive letter, '..' or a backslash): "
                      "refused")
    return s


def parse_text(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise Invalid(f"text longer than {MAX_TEXT} characters")
    return text(value)


# A coded cell that holds a Japanese sentence rather than a word: brackets, punctuation, words apart, or long.
# English service names ('Street Light Out') are words an adapter lists.
_FREE_TEXT = re.compile(r"[（）「」、。：]|[^\x00-\x7f][\s(]+\S|[^\x00-\x7f]{16,}")


def enum_parser(resource: str, column: str, adapter: Adapter) -> Callable[[str], str]:
    field_name = intake.ENUM_FIELD.get((resource, column), column)
    allowed = set(schema.enum(resource, field_name)) if _has_enum(resource, field_name) else set()
    # why: a shared map (e.g. [values.status]) only applies where its codes fit the field.
    mapping = {folded(k): v for k, v in value_map(adapter, resource, column).items() if v in allowed}

    default = mapping.pop("*", None)

    def parse(value: str) -> str:
        word = folded(value)
        code = mapping.get(word, word)
        if code not in allowed and default is not None:
            return default
        if code not in allowed and _FREE_TEXT.search(value.strip()):
            # why: a sentence in a coded column can name a person ('私有地（所有者 …）'); it is no word to list
            raise Invalid(f"free text where a {column} code belongs; map every such text with \"*\" = \"other\" "
                          f"in [values.{column}] of the adapter, or export the code alone")
        if code not in allowed:
            raise Invalid(f"unknown {column} value; add it to [values.{column}] in the adapter "
                          f"(or \"*\" = \"other\" for every other word)")
        return code

    return parse


def _has_enum(resource: str, field_name: str) -> bool:
    spec = schema.fields_by_name(resource).get(field_name, {})
    return "enum" in spec.get("constraints", {})


def parsers(resource: str, adapter: Adapter, source: Source) -> dict[str, Callable[[str], object]]:
    def date(value: str) -> dt.date:
        try:
            parsed = parse_date(value, source.dates, timezone=adapter.timezone)
        except DateError as exc:
            raise Invalid(str(exc)) from exc
        if not DATE_RANGE[0] <= parsed.year <= DATE_RANGE[1]:
            raise Invalid(f"date outside the years {DATE_RANGE[0]}–{DATE_RANGE[1]}")
        return parsed

    by_kind: dict[str, Callable[[str], object]] = {
        "id": parse_id, "date": date, "int": parse_int, "number": parse_number,
        "bool": parse_bool, "code": parse_code, "text": parse_text, "private": str,
    }
    parsers = {
        c.name: enum_parser(resource, c.name, adapter) if c.kind == "enum" else by_kind[c.kind]
        for c in intake.columns(resource)
    }
    return {name: (_shortened if name in source.shorten else _limited)(parse, published_limit(resource, name))
            for name, parse in parsers.items()}


def published_limit(resource: str, column: str) -> int | None:
    """The schema's maxLength of a column published as it is (None if it has none or is transformed).

    why: a contractor name longer than the published limit would otherwise fail the whole body at
    validation; here it is one quarantined row. Scrubbed and town-only fields are shortened later."""
    spec = schema.fields_by_name(resource).get(column, {})
    if "anonymize" in spec:
        return None
    limit = spec.get("constraints", {}).get("maxLength")
    return int(limit) if limit is not None else None


def _shortened(parse: Callable[[str], object], limit: int | None) -> Callable[[str], object]:
    """The adapter asked for this column to be cut at the published limit (ending in '…') rather than refused."""
    if limit is None:
        return parse

    def parse_shortened(value: str) -> object:
        parsed = parse(value)
        if isinstance(parsed, str) and len(parsed) > limit:
            return parsed[: limit - 1].rstrip() + "…"
        return parsed

    return parse_shortened


def _limited(parse: Callable[[str], object], limit: int | None) -> Callable[[str], object]:
    if limit is None:
        return parse

    def parse_within(value: str) -> object:
        parsed = parse(value)
        if isinstance(parsed, str) and len(parsed) > limit:
            raise Invalid(f"longer than {limit} characters, the published limit")
        return parsed

    return parse_within
