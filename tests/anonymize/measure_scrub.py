"""Recall, precision and over-redaction of pipeline.scrub on labelled corpora and on real texts.

Two labelled parts, in the same format:
- development part, written alongside the rules (and tuned against): corpus/planted.tsv (resident and clerk
  texts with planted personal data, each value labelled by kind) and corpus/clean.tsv (ordinary
  road-maintenance texts without personal data);
- frozen test part, written from a specification by someone who had not read the rules and never tuned
  against: corpus/frozen/frozen_planted.tsv and corpus/frozen/frozen_clean.tsv. Its figures are the ones
  docs/anonymization.md reports.

Recall per kind: share of planted values that do not survive (a withheld text removes all of its values).
Precision per placeholder kind: share of redacted spans (over planted and clean texts) that overlap a planted
value. Over-redaction on clean text: share of texts altered, share of characters lost, share withheld.
Real texts (no labels): the residents' texts of the Shunan safe-map survey and the Open311 bodies of Chicago
and Hoboken in ../shared/data/real; every alteration is listed for a person to judge.

Run: .venv/bin/python tests/anonymize/measure_scrub.py [--frozen] [--real] [--generated] [--speed]
(without --frozen only the development part is measured.)
"""

import csv
import difflib
import io
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.scrub import PLACEHOLDERS, Scrubbed, clean, scrub

CORPUS = Path(__file__).parent / "corpus"
FROZEN = CORPUS / "frozen"
REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
PLANTED_KINDS = ("phone", "email", "postal_code", "address", "name_honorific", "name_bare", "plate",
                 "individual_number", "url", "room", "birth_date", "age", "coordinates", "address_latin",
                 "name_latin")
_MARKS = {placeholder: chr(0xE000 + i) for i, placeholder in enumerate(PLACEHOLDERS.values())}
_KIND_OF_MARK = {mark: kind for kind, placeholder in PLACEHOLDERS.items() for p, mark in _MARKS.items()
                 if p == placeholder}
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


@dataclass(frozen=True)
class Planted:
    """One labelled text: the text and its planted (kind, value) pairs."""

    text: str
    items: tuple[tuple[str, str], ...]


def load_planted(path: Path = CORPUS / "planted.tsv") -> list[Planted]:
    """planted.tsv -> labelled texts; a malformed line raises ValueError naming the line."""
    out: list[Planted] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        text, sep, labels = line.partition("\t")
        items = tuple(tuple(label.split("=", 1)) for label in labels.split("|")) if sep else ()
        if not items or any(len(i) != 2 or i[0] not in PLANTED_KINDS or not i[1] for i in items):
            raise ValueError(f"{path.name}:{number}: expected text<TAB>kind=value|…, got {line!r}")
        for kind, value in items:
            if value not in text:
                raise ValueError(f"{path.name}:{number}: {kind} value {value!r} is not in the text")
        out.append(Planted(text, items))  # type: ignore[arg-type]
    return out


def load_clean(path: Path = CORPUS / "clean.tsv") -> list[str]:
    """clean.tsv -> texts."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def load_frozen() -> tuple[list[Planted], list[str]]:
    """The frozen test part (planted, clean), read as it was committed."""
    return load_planted(FROZEN / "frozen_planted.tsv"), load_clean(FROZEN / "frozen_clean.tsv")


SAFEMAP_TEXT = "どんなことを伝える情報ですか？"  # the residents' own words (どんな場所ですか？ holds the category)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp932")


def load_safemap(folder: Path = REAL / "shunan_safemap_R5") -> list[str]:
    """The residents' texts of the Shunan safe-map survey (UTF-8 with BOM or cp932 files), in file order."""
    texts: list[str] = []
    for path in sorted(folder.glob("*.csv")):
        for row in csv.DictReader(io.StringIO(_decode(path.read_bytes()))):
            text = (row.get(SAFEMAP_TEXT) or "").strip()
            if text:
                texts.append(text)
    return texts


def load_open311(folder: Path = REAL / "open311") -> list[str]:
    """Distinct free texts of the Chicago (JSON: description, status notes, notes) and Hoboken (CSV) requests."""
    texts: list[str] = []
    for request in json.loads((folder / "chicago_open311_v2_with_notes_50.json").read_text(encoding="utf-8")):
        texts += [request.get("description") or "", request.get("status_notes") or ""]
        texts += [note.get(key) or "" for note in request.get("notes", []) for key in ("summary", "description")]
    with (folder / "hoboken_publicstuff_311_20190521.csv").open(encoding="utf-8", newline="") as handle:
        texts += [row[key] or "" for row in csv.DictReader(handle) for key in ("Title", "Description")]
    return sorted({t.strip() for t in texts if t.strip()})


def survives(value: str, published: str) -> bool:
    """True when a planted value can still be read in the published text (digits checked apart from dashes)."""
    value = clean(value)
    if value in published or value.replace(" ", "") in published.replace(" ", ""):
        return True
    digits = re.sub(r"\D", "", value)
    return len(digits) >= 6 and digits in re.sub(r"\D", "", published)


def redacted_spans(source: str, scrubbed: str) -> list[tuple[int, int, str]]:
    """Clean source text and its scrubbed text -> (start, end, kind) of each source span a placeholder replaced."""
    marked = _PLACEHOLDER.sub(lambda m: _MARKS[m.group(0)], scrubbed)
    blocks = difflib.SequenceMatcher(None, source, marked, autojunk=False).get_matching_blocks()
    spans: list[tuple[int, int, str]] = []
    a_end = b_end = 0
    for a, b, size in blocks:
        for ch in marked[b_end:b]:
            if ch in _KIND_OF_MARK:
                spans.append((a_end, a, _KIND_OF_MARK[ch]))
        a_end, b_end = a + size, b + size
    return spans


@dataclass
class Figures:
    """Counts behind the reported figures."""

    planted: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    spans: Counter[str] = field(default_factory=Counter)
    true_spans: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_spans: list[tuple[str, str]] = field(default_factory=list)
    planted_withheld: int = 0
    clean_texts: int = 0
    clean_altered: int = 0
    clean_withheld: int = 0
    clean_chars: int = 0
    clean_chars_lost: int = 0
    altered: list[tuple[str, str]] = field(default_factory=list)


def _positions(source: str, values: list[str]) -> list[tuple[int, int]]:
    out = []
    for value in values:
        value = clean(value)
        for m in re.finditer(re.escape(value), source):
            out.append((m.start(), m.end()))
    return out


def measure(planted: list[Planted], clean_texts: list[str],
            scrubber: Callable[[str], Scrubbed] = scrub) -> Figures:
    """Run the scrubber over both corpora and count."""
    f = Figures()
    for item in planted:
        _count_planted(f, item, scrubber(item.text))
    for text in clean_texts:
        _count_clean(f, text, scrubber(text))
    return f


def _count_planted(f: Figures, item: Planted, result: Scrubbed) -> None:
    """Planted values removed or missed, and the placeholder spans that hit a planted value."""
    if result.withheld:
        f.planted_withheld += 1
    for kind, value in item.items:
        f.planted[kind] += 1
        if result.withheld or not survives(value, result.text):
            f.removed[kind] += 1
        else:
            f.misses.append((kind, value, result.text))
    if result.withheld:
        return
    source = clean(item.text)
    truth = _positions(source, [value for _, value in item.items])
    for start, end, kind in redacted_spans(source, result.text):
        f.spans[kind] += 1
        if any(start < t_end and t_start < max(end, start + 1) for t_start, t_end in truth):
            f.true_spans[kind] += 1
        else:
            f.false_spans.append((kind, source[start:end]))


def _count_clean(f: Figures, text: str, result: Scrubbed) -> None:
    """A text without personal data: withheld or altered, and the characters it lost."""
    source = clean(text)
    f.clean_texts += 1
    f.clean_chars += len(source)
    if result.withheld:
        f.clean_withheld += 1
        f.clean_altered += 1
        f.clean_chars_lost += len(source)
        f.altered.append((text, f"withheld: {result.withheld}"))
        return
    if result.text != source:
        f.clean_altered += 1
        f.altered.append((text, result.text))
        for start, end, kind in redacted_spans(source, result.text):
            f.spans[kind] += 1
            f.clean_chars_lost += end - start
            f.false_spans.append((kind, source[start:end]))


def recall(f: Figures) -> float:
    return sum(f.removed.values()) / max(1, sum(f.planted.values()))


def precision(f: Figures) -> float:
    return sum(f.true_spans.values()) / max(1, sum(f.spans.values()))


def report(f: Figures, sizes: str = "") -> str:
    """Figures -> a plain-text table (the one quoted in docs/anonymization.md)."""
    lines = [*([sizes] if sizes else []),
             f"planted items: {sum(f.planted.values())} in texts, withheld whole: {f.planted_withheld}",
             "kind                 planted  removed  recall"]
    for kind in PLANTED_KINDS:
        n = f.planted[kind]
        if not n:
            continue
        lines.append(f"{kind:<20} {n:>7}  {f.removed[kind]:>7}  {f.removed[kind] / max(1, n):>6.1%}")
    lines.append(f"{'all':<20} {sum(f.planted.values()):>7}  {sum(f.removed.values()):>7}  {recall(f):>6.1%}")
    lines.append("placeholder kind     spans  on planted  precision")
    for kind in PLACEHOLDERS:
        n = f.spans[kind]
        if n:
            lines.append(f"{kind:<20} {n:>5}  {f.true_spans[kind]:>10}  {f.true_spans[kind] / n:>9.1%}")
    lines.append(f"{'all':<20} {sum(f.spans.values()):>5}  {sum(f.true_spans.values()):>10}  {precision(f):>9.1%}")
    n = max(1, f.clean_texts)
    lines.append(f"clean texts: {f.clean_texts}, altered: {f.clean_altered} ({f.clean_altered / n:.1%}),"
                 f" withheld: {f.clean_withheld} ({f.clean_withheld / n:.1%}), characters lost: "
                 f"{f.clean_chars_lost}/{f.clean_chars} ({f.clean_chars_lost / max(1, f.clean_chars):.2%})")
    return "\n".join(lines)


def speed(texts: list[str], scrubber: Callable[[str], Scrubbed] = scrub, rounds: int = 3) -> float:
    """Texts per second, best of `rounds` passes."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            scrubber(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def real_report(name: str, f: Figures) -> str:
    """Over-redaction on real texts without labels: every alteration counts against the scrubber."""
    n = max(1, f.clean_texts)
    return (f"{name}: {f.clean_texts} texts, altered: {f.clean_altered} ({f.clean_altered / n:.1%}), withheld: "
            f"{f.clean_withheld}, characters lost: {f.clean_chars_lost}/{f.clean_chars} "
            f"({f.clean_chars_lost / max(1, f.clean_chars):.2%})")


def sizes(planted: list[Planted], clean_texts: list[str], name: str) -> str:
    items = sum(len(p.items) for p in planted)
    return f"{name}: {len(planted)} planted texts ({items} items), {len(clean_texts)} clean texts"


def _details(f: Figures) -> None:
    for kind, value, text in f.misses:
        print(f"MISS {kind}: {value!r} in {text!r}")
    for kind, span in f.false_spans:
        print(f"FALSE {kind}: {span!r}")
    for text, result in f.altered:
        print(f"ALTERED {text!r} -> {result!r}")


def main(argv: list[str]) -> None:
    dev = (load_planted(), load_clean())
    if "--frozen" in argv:
        frozen = load_frozen()
        print(sizes(*dev, "development part (not measured here)"))
        f = measure(*frozen)
        print(report(f, sizes(*frozen, "frozen test part")))
    else:
        f = measure(*dev)
        print(report(f, sizes(*dev, "development part")))
    _details(f)
    if "--real" in argv:
        for name, texts in (("Shunan safe-map residents' texts", load_safemap()),
                            ("Open311 Chicago and Hoboken texts", load_open311())):
            real = measure([], texts)
            print(real_report(name, real))
            for text, result in real.altered:
                print(f"ALTERED {text!r} -> {result!r}")
    sys.path.insert(0, str(Path(__file__).parent))
    if "--generated" in argv:
        from bench_scrub_cache import unique_descriptions

        generated = measure([], unique_descriptions(5000))
        print(f"generated clean descriptions (every Yamaguchi town name, landmark, problem): {generated.clean_texts},"
              f" altered: {generated.clean_altered}, withheld: {generated.clean_withheld}, characters lost: "
              f"{generated.clean_chars_lost}/{generated.clean_chars}")
        for text, result in generated.altered:
            print(f"ALTERED {text!r} -> {result!r}")
    if "--speed" in argv:
        from bench_scrub import sentences

        texts = sentences(20_000)
        print(f"speed: {speed(texts):,.0f} texts/s on {len(texts)} typical sentences")


if __name__ == "__main__":
    main(sys.argv[1:])
