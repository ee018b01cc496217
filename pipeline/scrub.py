"""Free-text scrubber: a resident's or a clerk's Japanese text -> text that is safe to publish.

Order matters and is fixed:
1. clean: drop zero-width and bidi characters, turn control characters and line breaks into spaces,
   NFKC, every decimal digit to ASCII, collapse spaces (published text is one line);
2. withhold the whole text when it touches a sensitive matter (health, family, welfare, crime …);
3. replace personal data with visible placeholders: URLs, e-mail addresses and accounts, known names, birth
   dates and ages, coordinates, Latin-script house numbers and ZIP codes, postal codes, phone numbers,
   number plates, long digit runs (マイナンバー), block and lot numbers, personal names;
4. defuse template syntax ('{{', '{%', '${', backticks) that map popups would otherwise evaluate;
   steps 3 and 4 repeat on their own output until it stops changing (a replacement can complete a
   pattern), so scrubbing published text again changes nothing; still changing after MAX_PASSES: unsure;
5. withhold the whole text when unsure: an '@' or a long digit run left, an unmatched honorific,
   or a text that is mostly placeholders.
HTML escaping is the site's job and spreadsheet-formula neutralizing the package writer's; the
scrubber only promises that its output holds none of the personal data it recognizes.

Decisions (each tested in tests/anonymize/test_scrub_forms.py):
- '3丁目交差点付近' stays: a chome alone is an area of many households. With a block number after it the
  chome goes too ('岐山通1丁目2番3号' -> '岐山通[番地]'); the town or 大字 before it always stays.
- '国道2号', '市道12-3号線', '2-3日', '週1〜2回', '500m', dates stay; a bare '12番' stays (block, not lot).
- Two numbers joined by a dash count as a lot number only right after a place name ('岐山通12-3').
- Any number after '電話', 'TEL', '携帯', '連絡先' … is a phone number, local ones ('22-1234') too; without a cue a
  2+4-digit pair ('22-1234') is a local phone number and a bare run of 6 or 7 digits is a number ('[番号]'),
  unless it follows an asset word ('管理番号 12-3456', '路線番号', '街灯番号', '契約番号') or counts something ('円').
- A room goes, its building stays: '…号室', 'マンション岐山 501', 'アパート末武 2-203', '7棟405' -> '[番地]';
  '3号棟' alone stays (a block of many households, like a chome).
- A mobility aid is withheld only when tied to a person in the text ('母が車椅子で' yes,
  '車椅子が通れない段差' no); facility names ('介護施設前', '病院前', '障害者用駐車場') are landmarks.
- Published text is one line: CR, LF, TAB and other controls become a space.
- Names are detected by their honorific or house word, a cue word, a known surname with a common given
  name, a self-introduction, the gazetteer of known names, or, without any of these, by the tokenizer
  (pipeline.scrub_bare: '山本が来た', and in context '伊集院サエ', 'さいとうけんいち'), with place names of the
  prefecture vetoed (pipeline.gazetteer); Latin-script names and addresses by pipeline.scrub_latin.
- A word the dictionary knows only as a common noun takes no title ('消防士さん', '左右ちゃんと').
- Coordinates in text go ('[座標]'): they would undo the mesh cell the case is published at.
"""

import re
from dataclasses import dataclass, field

from .scrub_clean import SPACES
from .scrub_clean import clean as clean  # re-exported: step 1, used by callers that compare cleaned text
from .scrub_rules import DATE, replace_all
from .scrub_rules import KINDS as KINDS  # re-exported: the kinds of personal data, in report order
from .scrub_rules import PLACEHOLDERS as PLACEHOLDERS  # re-exported: kind -> its placeholder
from .scrub_spelled import DASH
from .scrub_words import SENSITIVE_PATTERNS

MAX_LENGTH = 2000  # the schemas' maxLength for free text
MAX_PASSES = 6  # replacement passes before a text that keeps changing is withheld as unsure


@dataclass(frozen=True)
class Scrubbed:
    """The scrubbed text, what was replaced (kind -> count) and, if withheld, why."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)
    withheld: str | None = None  # None, "sensitive", "unsure", "too_long" or (scrub_short only) "personal"


# --- 1. clean: pipeline/scrub_clean.py; 3. replace: pipeline/scrub_rules.py ------------------------

_LEFT_DIGITS = re.compile(rf"\d(?:[{DASH}\s.()・/]?\d){{7,}}")
_TEMPLATE = re.compile(r"\{(?=[{%#])|\$(?=\{)")
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
_SENSITIVE = re.compile("|".join(SENSITIVE_PATTERNS), re.I)


# --- 5. doubt ---------------------------------------------------------------------------------------

def doubt(text: str, counts: dict[str, int], unsure_name: bool) -> bool:
    """True when the scrubbed text may still hold personal data, or holds little else."""
    if unsure_name or "@" in text:
        return True
    undated = DATE.sub(" ", text)  # why: '2025/5/12 10時' is a date and an hour, not a number
    for m in _LEFT_DIGITS.finditer(undated):
        if undated[m.end():m.end() + 1] != "円":
            return True
    replaced = sum(counts.values())
    if replaced >= 2:
        rest = re.sub(r"[\W\d_]", "", _PLACEHOLDER.sub("", text))
        if len(rest) < 2 * replaced:
            return True
    return False


def _replace_until_stable(text: str, gazetteer: frozenset[str],
                          bare_names: bool) -> tuple[str, dict[str, int], bool]:
    """replace_all and the template/space tidy, again on its own output until nothing changes. why: a
    replacement can complete a pattern ('de.jp453333' -> 'de.jp[番号]' is then a domain), so one pass is
    not idempotent; a text without personal data still costs one pass. A text still changing after
    MAX_PASSES is reported unsure (and so withheld whole)."""
    total: dict[str, int] = {}
    unsure = False
    for _ in range(MAX_PASSES):
        replaced, counts, doubt_name = replace_all(text, gazetteer, bare_names)
        replaced = SPACES.sub(" ", _TEMPLATE.sub(lambda m: m.group(0) + " ", replaced.replace("`", "'"))).strip()
        unsure = unsure or doubt_name
        for kind, count in counts.items():
            total[kind] = total.get(kind, 0) + count
        if replaced == text:
            return text, total, unsure
        text = replaced
    return text, total, True


def scrub(text: object, gazetteer: frozenset[str] = frozenset(), bare_names: bool = True) -> Scrubbed:
    """Free text -> Scrubbed(text with placeholders, counts by kind, withheld reason or None).

    `gazetteer` holds known personal names to replace wherever they stand; `bare_names=False` skips the
    tokenizer step for names without a honorific (pipeline.scrub_bare), for measuring what it adds.
    """
    if not isinstance(text, str):
        return Scrubbed("", {}, None)
    cleaned = clean(text)
    if not cleaned:
        return Scrubbed("", {}, None)
    if _SENSITIVE.search(cleaned):
        return Scrubbed("", {}, "sensitive")
    replaced, counts, unsure = _replace_until_stable(cleaned, gazetteer, bare_names)
    counts = {kind: counts[kind] for kind in KINDS if counts.get(kind)}
    if doubt(replaced, counts, unsure):
        return Scrubbed("", counts, "unsure")
    if len(replaced) > MAX_LENGTH:
        return Scrubbed("", counts, "too_long")
    return Scrubbed(replaced, counts, None)


def scrub_short(text: str, gazetteer: frozenset[str] = frozenset()) -> Scrubbed:
    """A short field that names a place or a job (a contract's title or district, a work order's place) ->
    the cleaned value unchanged, or withheld whole ("personal") when the scrubber finds any personal data in
    it: a placeholder inside a place would still point at one household ('[個人名]様宅前')."""
    result = scrub(text, gazetteer)
    if result.withheld or result.counts:
        return Scrubbed("", result.counts, result.withheld or "personal")
    return result
