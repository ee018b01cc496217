"""Texts split into words for the database's full-text index, and the split each body keeps from night to night
(pipeline.formats.words)."""

import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.formats import sqlite as sqlite_format
from pipeline.formats import words

COMBINED = "350001_yamaguchi_all"


def test_words_split_japanese_for_the_index() -> None:
    assert words.words("道路照明が暗い").split() == ["道路", "照明", "道路照明", "が", "暗い"]
    assert "ポットホール" in str(words.words("ポットホールあり")).split()


def test_every_body_of_the_build_kept_the_split_of_its_texts(built: Path, bodies: list[Path]) -> None:
    for body in bodies:
        kept = words.load(built / ".work" / "words-cache" / f"{body.name}.parquet")
        texts = words.package_texts(body)
        assert texts and sorted(kept) == texts, body.name
        for text in texts[:20]:
            assert kept[text] == words.words(text)


def test_a_package_splits_only_the_texts_it_did_not_have(bodies: list[Path], tmp_path: Path) -> None:
    body = bodies[0]
    kept = tmp_path / "words-cache" / f"{body.name}.parquet"
    assert words.remember_package(body, kept) == len(words.package_texts(body)) > 0
    assert words.remember_package(body, kept) == 0
    split = words.load(kept)
    dropped = sorted(split)[:5]
    words.save(kept, {t: w for t, w in split.items() if t not in dropped})
    assert words.remember_package(body, kept) == len(dropped)
    assert words.load(kept) == split


def test_a_split_of_another_version_or_a_broken_file_is_not_used(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    kept = tmp_path / "kept.parquet"
    words.save(kept, {"側溝の蓋": "側溝 の 蓋"})
    assert words.load(kept) == {"側溝の蓋": "側溝 の 蓋"}
    monkeypatch.setattr(words, "version", lambda: "another")
    assert words.load(kept) == {}
    kept.write_bytes(b"not parquet")
    assert words.load(kept) == {}
    assert words.load(tmp_path / "missing.parquet") == {}


def test_the_database_indexes_the_kept_split(packages: Path, tmp_path: Path) -> None:
    descriptor = json.loads((packages / COMBINED / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["name"]: packages / COMBINED / r["path"] for r in descriptor["resources"]}
    with sqlite3.connect(packages / COMBINED / "350001_all.db") as db:
        text = db.execute("select description from cases where description != '' limit 1").fetchone()[0]
    database = sqlite_format.write(tmp_path / "kept.db", paths, {text: "みえるかしけん"})
    with sqlite3.connect(database) as db:
        found = db.execute("select description from cases_fts where cases_fts match 'みえるかしけん'").fetchall()
    assert found and all(row[0] == text for row in found)


def test_the_timings_log_gives_the_metrics_and_the_word_split_lines_of_their_own(built: Path) -> None:
    [log] = sorted((built / ".work" / "logs").glob("timings-*.json"))
    timings = json.loads(log.read_text(encoding="utf-8"))
    assert 0 < timings["metrics"] + timings["combined_formats"] <= timings["combined_and_metrics"]
    assert all(stages["words"] >= 0 for stages in timings["bodies"].values())
