"""Published record numbers and company names that carry contact data (or, in a number, a name or an address).

Contract and work-order numbers are published as the export gives them (a journalist matches them with the
body's own records), and a company name with a legal-entity form is public record. Neither may carry a
person's phone number, e-mail address or web address, which an export can put there ('WO-090-1234-5617',
'株式会社山田 代表 山田太郎 090-1234-5613', '有限会社 taro@example.jp'):
- a number holding one is published as a stable pseudonym instead (the same secret and number give the same
  pseudonym in every table, so work orders still find their contract);
- a company name loses what follows a representative's or contact person's title ('代表 山田太郎 …'), and the
  scrubber's placeholders replace any contact data left in it (names are not looked for: a company may bear
  its founder's name, '山田建設株式会社').
"""

import hmac
import re
from collections import Counter
from functools import lru_cache

import pandas as pd

from .scrub import clean, scrub
from .scrub_rules import may_hold_contacts
from .scrub_spelled import DASH, KANJI_DASH

CONTACT_KINDS = frozenset({"phone", "email", "url"})
# What else a number written with Japanese words may hold: 'R7-215-宮本宅前', 'WO-岐山通3-4-5'. A number of ASCII
# characters only is checked for contact data alone (a long digit run such as '2025-12-345' is no address there).
PERSONAL_KINDS = CONTACT_KINDS | {"person_name", "address", "postal_code", "plate", "individual_number",
                                  "birth_date", "age", "coordinates"}
# A representative's or contact person's title, and everything after it.
_PERSON_AFTER = re.compile(r"\s*[(（]?\s*(?:代表取締役社長|代表取締役|代表社員|代表理事|代表者|代表|社長|理事長|"
                           r"現場代理人|現場責任者|主任技術者|監理技術者|"
                           r"担当者?|連絡先|TEL|Tel|tel|電話|℡|☎)\s*[:：]?.*$")


_EMAIL_SHAPE = re.compile(r"[A-Za-z0-9._%+\-]@[A-Za-z0-9\-]+\.")
# A phone number after a number's prefix ('K5-0312345678'): the scrubber reads 'K5-03…' as one long number (not a
# phone) in a free text, which it replaces anyway; in a record number it is kept, so the phone is looked for here.
# 0, a non-zero digit (no area code starts with 00: '00001' is a serial), ten or eleven digits in all.
_PHONE_AFTER_PREFIX = re.compile(rf"(?<!\d)0[1-9](?:[{DASH}\s.()]{{0,3}}\d){{8,9}}(?!\d)")


@lru_cache(maxsize=65_536)
def _contacts(value: str) -> bool:
    """Whether a short text holds a phone number, an e-mail or a web address, as the scrubber finds them (or an
    address shaped like an e-mail in a text it withheld). A number the scrubber is only unsure about (a long digit
    run: 'WO2025-00037') or a formula ('@SUM(A1)') holds none."""
    folded = KANJI_DASH.sub("-", clean(value))  # why: '090一1234一5611' is a phone number too
    if not may_hold_contacts(folded):  # why: most numbers hold nothing like it; the whole scrubber is slow
        return False
    result = scrub(value, bare_names=False)
    if CONTACT_KINDS & set(result.counts) or _PHONE_AFTER_PREFIX.search(folded):
        return True
    return bool(result.withheld) and _EMAIL_SHAPE.search(folded) is not None


@lru_cache(maxsize=65_536)
def _personal(value: str) -> bool:
    """Whether a record number holds personal data: contact data, or, in one with Japanese words, anything the
    scrubber replaces (a household '宮本宅', a lot '岐山通3-4-5')."""
    if _contacts(value):
        return True
    return not value.isascii() and bool(PERSONAL_KINDS & set(scrub(value).counts))


def record_numbers(values: pd.Series, secret: bytes, prefix: str, counts: Counter[str]) -> pd.Series:
    """Contract or work-order numbers -> the same numbers, except one holding personal data (_personal), which
    becomes '<prefix>-<16 hex digits>' (HMAC of the number under the run's secret); each distinct number is
    checked once."""
    def safe(value: object) -> object:
        if not isinstance(value, str) or not value or not _personal(value):
            return value
        counts["record_number_pseudonymized"] += 1
        return f"{prefix}-{hmac.digest(secret, f'record:{value}'.encode(), 'sha256').hex()[:16]}"

    uniques = pd.unique(values)
    mapping = {value: safe(value) for value in uniques if isinstance(value, str)}
    return values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)


def company_name(name: str, counts: Counter[str]) -> str:
    """A company name without a representative's name or contact data after it ('' if nothing is left)."""
    cut = _PERSON_AFTER.sub("", name).strip()
    if cut != name:
        counts["contractor_contact_cut"] += 1
    if not cut or not _contacts(cut):
        return cut
    result = scrub(cut, bare_names=False)
    counts["contractor_withheld" if result.withheld else "contractor_redacted"] += 1
    return "" if result.withheld else result.text


__all__ = ["company_name", "record_numbers"]
