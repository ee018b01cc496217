"""Place and name columns other than free text: towns, contract districts and titles, contractors.

Each is validated or scrubbed before publication (docs/privacy.md):
- `town` (cases, work orders) is published only when it is a known town of the body (pipeline.towns);
  anything else is withheld and counted.
- A contract's `district` and the place in its `title` never locate a case more finely than the case's
  own published location: a district finer than the whole body is published only when every case
  linked to the contract (through its work orders) publishes a town, and, when the district is itself
  a town, that same town. Otherwise the district is withheld and its name in the title replaced by the
  body's name. Titles and districts pass the free-text scrubber first.
- A contractor without a legal-entity form in its name may be a sole proprietor (個人事業主), whose
  trade name is often the person's own: published as 「個人事業主」 instead of the name.
"""

import re
from collections import Counter
from functools import lru_cache, partial
from typing import Any

import pandas as pd

from . import public_ids, towns
from .scrub import Scrubbed, scrub

SOLE_PROPRIETOR = "個人事業主"


@lru_cache(maxsize=65_536)
def _scrubbed(text: str) -> Scrubbed:
    """The scrubber's result for a short place or title text, each distinct one scrubbed once per process."""
    return scrub(text)

# Legal-entity forms (Japanese and the usual abbreviations; Latin forms for bodies abroad).
_ENTITY = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|[(（]\s*[株有合]\s*[)）]|[㈱㈲]|一般社団法人|一般財団法人|公益社団法人|"
    r"公益財団法人|社会福祉法人|NPO法人|特定非営利活動法人|協同組合|事業協同組合|組合|公社|共同企業体|JV|事務所|"
    r"\b(?:Co\.|Ltd\.?|Inc\.?|LLC|Corp\.?|Corporation|Company|L\.?P\.?)",
    re.IGNORECASE)
_BODY_WIDE = ("全域", "市内全域", "町内全域", "村内全域", "市内一円", "町内一円", "管内全域", "全線", "県内全域")
_TOWN_CUT = re.compile(r"[0-9０-９一二三四五六七八九十]+\s*(丁目|番|号|-|－|の).*$|[0-9０-９].*$")


def town_only(value: object) -> str:
    """'岐山通1丁目2番3号' -> '岐山通': never publish block or lot numbers."""
    if not isinstance(value, str):
        return ""
    return _TOWN_CUT.sub("", value).strip()[:40]


def known_town(name: str, code: str) -> bool:
    """A town name the body may publish: one of its known towns (or the stem of one), else by the plain rule."""
    if not name:
        return False
    if towns.has_list(code):
        key = towns.fold(name)
        known = towns.known_towns(code)
        return key in known or (len(key) >= 2 and any(t.startswith(key) for t in known))
    result = _scrubbed(name)
    return towns.plain(name) and not result.withheld and not result.counts and result.text == name


def towns_checked(values: pd.Series, code: str, counts: Counter[str]) -> pd.Series:
    """Town cells -> the town part, or '' when it is not a known town (counted as not_a_known_town)."""
    cut = values.map(town_only)
    verdict = {name: known_town(name, code) for name in pd.unique(cut) if name}
    ok = cut.map(lambda name: verdict.get(name, False))
    unknown = (cut != "") & ~ok
    counts["not_a_known_town"] += int(unknown.sum())
    return cut.where(ok, "")


def contractor(name: str, counts: Counter[str]) -> str:
    """A company name as it is (without a representative's name or contact data after it,
    public_ids.company_name); a name without a legal-entity form as 「個人事業主」."""
    if not name:
        return ""
    if _ENTITY.search(name):
        return public_ids.company_name(name, counts)
    counts["contractor_sole_proprietor"] += 1
    return SOLE_PROPRIETOR


def body_wide(district: str, body_names: tuple[str, ...]) -> bool:
    """A district that covers the whole body (全域, the body's own name)."""
    return district in _BODY_WIDE or district in body_names


def clean_text(value: str, counts: Counter[str], kind: str) -> str:
    """A title or district through the scrubber: '' if withheld, placeholders where it replaced."""
    if not value:
        return ""
    result = _scrubbed(value)
    if result.withheld:
        counts[f"{kind}_withheld"] += 1
        return ""
    if result.counts:
        counts[f"{kind}_redacted"] += 1
    return result.text


def contract_places(contracts: pd.DataFrame, orders: pd.DataFrame, cases: pd.DataFrame, code: str,
                    body_names: tuple[str, ...], counts: Counter[str]) -> pd.DataFrame:
    """Published contracts -> districts and titles that locate no linked case more finely than it is published.

    `orders` and `cases` are the published work orders and cases (pseudonymized, generalized)."""
    out = contracts.copy()
    town_of = cases.set_index("service_request_id")["town"] if len(cases) else pd.Series(dtype=object)
    linked = orders[orders["service_request_id"] != ""][["contract_id", "service_request_id"]] \
        if len(orders) else pd.DataFrame(columns=["contract_id", "service_request_id"])
    case_towns = linked.assign(town=linked["service_request_id"].map(town_of).fillna(""))
    towns_by_contract: dict[Any, set[str]] = {}
    for contract_id, town in zip(case_towns["contract_id"], case_towns["town"], strict=True):
        if not pd.isna(contract_id):
            towns_by_contract.setdefault(contract_id, set()).add(town)
    name = body_names[0] if body_names else ""
    districts, titles = [], []
    for contract_id, raw_district, raw_title in zip(out["contract_id"], out["district"], out["title"], strict=True):
        district = clean_text(raw_district, counts, "district")
        if district != raw_district:  # why: a district holding personal data is no district at all
            district = ""
            raw_title = raw_title.replace(raw_district, name) if raw_district else raw_title
        title = clean_text(raw_title, counts, "title")
        if district and not body_wide(district, body_names):
            shown = towns_by_contract.get(contract_id, set())
            is_town = towns.has_list(code) and towns.fold(district) in towns.known_towns(code)
            if ("" in shown) or (is_town and shown and shown != {district}):
                counts["district_generalized"] += 1
                title = title.replace(district, name) if title else title
                district = ""
        districts.append(district[:60])
        titles.append(title[:200] or name)
    out["district"] = districts
    out["title"] = titles
    return out


PLACE_MARK = "[地名]"


def place_pattern(names: set[str]) -> re.Pattern[str] | None:
    """One pattern for the place names (longest first), or None when there are none of 2+ characters."""
    usable = sorted({n for n in names if len(n) >= 2}, key=lambda n: (-len(n), n))
    return re.compile("|".join(re.escape(n) for n in usable)) if usable else None


def _unless_town(town: str, match: re.Match[str]) -> str:
    """PLACE_MARK for a matched place name, unless it is the row's published town."""
    return match.group(0) if town and match.group(0) == town else PLACE_MARK


def mask_places(texts: pd.Series, kept: pd.Series, pattern: re.Pattern[str] | None,
                counts: Counter[str], kind: str) -> pd.Series:
    """Each text with every place name other than its row's published town replaced by [地名].

    why: a text naming the town that was withheld from its case (or a finer place) would undo it."""
    if pattern is None or texts.empty:
        return texts
    out = []
    changed = 0
    for text, town in zip(texts.tolist(), kept.tolist(), strict=True):
        if not isinstance(text, str) or not text:
            out.append(text)
            continue
        masked = pattern.sub(partial(_unless_town, town), text)
        changed += masked != text
        out.append(masked)
    counts[f"{kind}_place_masked"] += changed
    return pd.Series(out, index=texts.index, dtype=object)
