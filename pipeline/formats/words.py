"""Japanese texts split into words for the SQLite full-text index, and the split kept from night to night.

Japanese has no spaces between words, so the index (pipeline.formats.sqlite) is fed each text as its words
separated by spaces: SudachiPy's words, the shorter words a compound splits into, and runs of nouns joined
(道路照明 is found as 道路照明, 道路 and 照明).

Splitting takes SudachiPy about 0.1 ms a text; real residents' texts are mostly distinct, so over every
body it would be most of the database's time. Each body therefore splits its own published texts when its
package is written, in the body's worker, and keeps them in the private work folder
(`<work>/words-cache/<package>.parquet`: text, words). A body's next package splits only the texts it did
not have; the combined database reads every body's file and splits only what none of them holds. The
files hold published text only, and are a cache: a missing, unreadable or outdated file (another version
of this module or of SudachiPy) only costs time, and the database is the same bytes with or without them.
"""

import hashlib
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sudachipy import Dictionary, SplitMode

# The texts the database indexes: resource -> columns.
FULL_TEXT = {"cases": ("description", "status_detail"), "actions": ("note",)}
# Longest run of consecutive nouns joined into one indexed word.
JOINED = 4
_VERSION_KEY = b"mieruka.words.version"
_DISTRIBUTIONS = ("sudachipy", "sudachidict-core")


@cache
def _tokenizer() -> Any:
    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


def words(text: str | None) -> str | None:
    """Text -> its words separated by spaces: each word, the shorter parts of a compound, and consecutive
    nouns joined (ポット ホール also as ポットホール, 道路 照明 also as 道路照明; up to JOINED of them)."""
    if not text:
        return text
    out: list[str] = []
    run: list[str] = []
    for morpheme in _tokenizer().tokenize(text):
        surface = morpheme.surface().strip()
        noun = morpheme.part_of_speech()[0] == "名詞"
        if not noun or not surface:
            out += _joined(run)
            run = []
        if not surface:
            continue
        out.append(surface)
        parts = [m.surface() for m in morpheme.split(SplitMode.A)]
        if len(parts) > 1:
            out += parts
        if noun:
            run.append(surface)
    out += _joined(run)
    return " ".join(out)


def _joined(run: list[str]) -> list[str]:
    """Every stretch of 2 to JOINED consecutive nouns of a run, joined."""
    return ["".join(run[i:j]) for i in range(len(run)) for j in range(i + 2, min(i + JOINED, len(run)) + 1)]


@cache
def version() -> str:
    """This module's source and the tokenizer's versions: a kept split of another version is not used."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for name in _DISTRIBUTIONS:
        try:
            digest.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    return digest.hexdigest()[:32]


def split_all(texts: Iterable[str], known: dict[str, str]) -> dict[str, str]:
    """Every distinct non-empty text -> its words, taken from `known` where it is there."""
    found: dict[str, str] = {}
    for text in texts:
        if text and text not in found:
            found[text] = known[text] if text in known else str(words(text))
    return found


def package_texts(directory: Path) -> list[str]:
    """The distinct non-empty texts of a written package that the database indexes (from its Parquet copies)."""
    texts: set[str] = set()
    for resource, columns in FULL_TEXT.items():
        for path in sorted((directory / "parquet").glob(f"*_{resource}.parquet")):
            table = pq.read_table(path, columns=list(columns))
            for column in table.columns:
                texts.update(v for v in column.cast(pa.string()).to_pylist() if v)
    return sorted(texts)


def load(path: Path) -> dict[str, str]:
    """A kept split (text -> words), or {} when it is missing, unreadable or of another version."""
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException):
        return {}
    if (table.schema.metadata or {}).get(_VERSION_KEY) != version().encode():
        return {}
    return dict(zip(table.column("text").to_pylist(), table.column("words").to_pylist(), strict=True))


def load_all(folder: Path | None, names: Iterable[str]) -> dict[str, str]:
    """The kept splits of the named packages together."""
    known: dict[str, str] = {}
    if folder is not None:
        for name in sorted(names):
            known.update(load(folder / f"{name}.parquet"))
    return known


def save(path: Path, split: dict[str, str]) -> None:
    """Keep a split, written whole to a temporary name and renamed (never a torn file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    texts = sorted(split)
    table = pa.table({"text": pa.array(texts, pa.string()), "words": pa.array([split[t] for t in texts], pa.string())})
    table = table.replace_schema_metadata({_VERSION_KEY: version().encode()})
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        pq.write_table(table, temporary, compression="zstd")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def remember_package(directory: Path, path: Path) -> int:
    """Split a written package's texts, reusing the body's kept split, and keep tonight's; returns how many
    texts were split anew."""
    kept = load(path)
    split = split_all(package_texts(directory), kept)
    save(path, split)
    return sum(1 for text in split if text not in kept)
