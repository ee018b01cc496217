"""The scrub cache (pipeline.scrub_cache): a warm night publishes the same bytes as a cold one without
scrubbing again, a scrubber change invalidates it, and the file never holds a raw text."""

import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline import anonymize, scrub_cache
from pipeline.anonymize import DEMO_SECRET, Report, Settings
from pipeline.scrub import Scrubbed, scrub

TEXTS = ["山田太郎様宅の前の側溝。連絡は0834-22-1234まで", "道路に穴があいている", "山本が来た",
         "入院中の母の代わりに通報、目印はZQXW-unique-7731の看板", "通学路の草が伸びている。返事はtaro@example.jpへ"]


def _refuse(text: str) -> Scrubbed:
    raise AssertionError(f"scrubbed again: {text}")


def _publish(frame: pd.DataFrame, settings: Settings) -> tuple[bytes, dict[str, object]]:
    report = Report()
    published = anonymize.cases(frame, "352152", settings, report, {})
    return published.to_csv(index=False).encode(), report.to_dict(settings)


def test_warm_run_publishes_the_same_bytes(tmp_path: Path, make_cases: Callable[..., pd.DataFrame]) -> None:
    frame = make_cases(60, descriptions=TEXTS)
    settings = Settings(secret=DEMO_SECRET, cache_dir=tmp_path / "352152_shunan")
    uncached = _publish(frame, Settings(secret=DEMO_SECRET))
    cold = _publish(frame, settings)
    cache_file = tmp_path / "352152_shunan" / scrub_cache.FILE_NAME
    cold_bytes = cache_file.read_bytes()
    warm = _publish(frame, settings)
    assert cold == warm == uncached
    assert cache_file.read_bytes() == cold_bytes  # nothing new: not rewritten

    store = scrub_cache.load(tmp_path / "352152_shunan", DEMO_SECRET)
    for text in [*TEXTS, "業者に補修を指示し完了"]:
        assert store.scrub(text, _refuse) == scrub(text)
    assert (store.hits, store.misses) == (len(TEXTS) + 1, 0)


def test_new_text_is_scrubbed_once(tmp_path: Path) -> None:
    store = scrub_cache.load(tmp_path, DEMO_SECRET)
    store.scrub("山本が来た", scrub)
    scrub_cache.save(store)
    again = scrub_cache.load(tmp_path, DEMO_SECRET)
    assert again.scrub("山本が来た", _refuse).text == "[個人名]が来た"
    assert again.scrub("街灯が消えた", scrub).text == "街灯が消えた"
    assert (again.hits, again.misses) == (1, 1)


def test_scrubber_change_invalidates(tmp_path: Path) -> None:
    store = scrub_cache.load(tmp_path, DEMO_SECRET)
    store.scrub("道路に穴があいている", scrub)
    scrub_cache.save(store)
    assert scrub_cache.load(tmp_path, DEMO_SECRET).loaded
    assert not scrub_cache.load(tmp_path, DEMO_SECRET, version="another scrubber").loaded
    files = {"scrub.py": b"x = 1\n", "scrub_words.py": b"SURNAMES = ()\n"}
    assert scrub_cache.version_of(files, {"sudachipy": "0.7.0"}) != scrub_cache.version_of(
        {**files, "scrub_words.py": "SURNAMES = ('山田',)\n".encode()}, {"sudachipy": "0.7.0"})
    assert scrub_cache.version_of(files, {"sudachipy": "0.7.0"}) != scrub_cache.version_of(
        files, {"sudachipy": "0.7.1"})
    assert len(scrub_cache.scrubber_version()) == 32


def test_every_scrubber_module_is_in_the_version() -> None:
    """A scrubber module left out of the version hash would keep stale results after a rule change."""
    package = Path(scrub_cache.__file__).parent
    modules = {path.name for path in package.glob("scrub*.py")} - {"scrub_cache.py"}
    assert modules <= set(scrub_cache.VERSION_FILES), modules - set(scrub_cache.VERSION_FILES)


def test_another_secret_finds_nothing(tmp_path: Path) -> None:
    store = scrub_cache.load(tmp_path, DEMO_SECRET)
    store.scrub("山本が来た", scrub)
    scrub_cache.save(store)
    other = scrub_cache.load(tmp_path, b"another secret of at least 16 bytes")
    assert other.scrub("山本が来た", scrub).text == "[個人名]が来た"
    assert (other.hits, other.misses) == (0, 1)


def test_cache_file_holds_no_raw_text(tmp_path: Path, make_cases: Callable[..., pd.DataFrame]) -> None:
    frame = make_cases(20, descriptions=TEXTS)
    _publish(frame, Settings(secret=DEMO_SECRET, cache_dir=tmp_path))
    data = (tmp_path / scrub_cache.FILE_NAME).read_bytes()
    assert len(scrub_cache.parse(data, scrub_cache.scrubber_version())) == len(TEXTS) + 1
    for text in TEXTS:  # a text published unchanged is public anyway; any other must not be in the file
        assert scrub(text).text == text or text.encode() not in data
    for secret in ("ZQXW-unique-7731", "山田太郎", "0834-22-1234", "taro@example.jp", "山本", "入院"):
        assert secret.encode() not in data
        assert secret.encode("unicode_escape") not in data


def test_unreadable_cache_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / scrub_cache.FILE_NAME).write_bytes(b"{not json")
    store = scrub_cache.load(tmp_path, DEMO_SECRET)
    assert store.loaded == {}
    store.scrub("道路に穴", scrub)
    scrub_cache.save(store)
    assert scrub_cache.load(tmp_path, DEMO_SECRET).loaded
    assert [p.name for p in tmp_path.iterdir()] == [scrub_cache.FILE_NAME]  # no temporary file left


def test_texts_gone_from_the_exports_are_dropped(tmp_path: Path) -> None:
    store = scrub_cache.load(tmp_path, DEMO_SECRET)
    for i in range(20):
        store.scrub(f"側溝{i}か所目", scrub)
    scrub_cache.save(store)
    night = scrub_cache.load(tmp_path, DEMO_SECRET)
    night.scrub("側溝0か所目", scrub)
    night.scrub("街灯が暗い", scrub)
    scrub_cache.save(night)
    assert len(scrub_cache.load(tmp_path, DEMO_SECRET).loaded) == 2  # 19 stale > 4 x 2 used


def _write_many(folder: str, worker: int) -> None:
    for round_ in range(15):
        store = scrub_cache.load(Path(folder), DEMO_SECRET)
        store.scrub(f"worker {worker} round {round_} の側溝", scrub)
        scrub_cache.save(store)


def test_two_processes_leave_a_whole_file(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(tmp_path), n)) for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    assert scrub_cache.load(tmp_path, DEMO_SECRET).loaded  # parses: never torn
    assert [p.name for p in tmp_path.iterdir()] == [scrub_cache.FILE_NAME]


def test_temporary_files_of_a_killed_process_are_removed(tmp_path: Path) -> None:
    old, fresh = tmp_path / f".{scrub_cache.FILE_NAME}.killed", tmp_path / f".{scrub_cache.FILE_NAME}.writing"
    old.write_bytes(b"{")
    fresh.write_bytes(b"{")
    os.utime(old, (1_000_000, 1_000_000))
    store = scrub_cache.load(tmp_path, DEMO_SECRET)
    store.scrub("道路に穴", scrub)
    scrub_cache.save(store)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([scrub_cache.FILE_NAME, fresh.name])
