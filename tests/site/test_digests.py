"""The package files' digests kept from night to night: an unchanged file is not hashed again, and the
prints are the same as hashing every file."""

import os
import shutil
from pathlib import Path

import pytest

from pipeline import hardlink
from pipeline.site import fingerprint

PACKAGES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "packages"


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    copy = tmp_path / "night1"
    shutil.copytree(PACKAGES, copy)
    return copy


def files_of(packages: Path) -> int:
    return sum(1 for f in fingerprint.package_folders(packages) for p in f.rglob("*") if p.is_file())


def test_kept_digests_give_the_same_prints_and_hash_nothing_the_next_night(packages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "work" / "site-digests.json"
    fresh = fingerprint.package_prints(packages)
    first = fingerprint.Digests(cache)
    assert fingerprint.package_prints(packages, first) == fresh
    assert first.hashed == files_of(packages) > 20
    first.save()
    # the next night's release: every file a hard link to last night's, as the build makes it
    night2 = tmp_path / "night2"
    hardlink.copy_tree(packages, night2)
    second = fingerprint.Digests(cache)
    assert fingerprint.package_prints(night2, second) == fresh
    assert second.hashed == 0


def test_a_file_changed_in_place_is_hashed_again(packages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "site-digests.json"
    first = fingerprint.Digests(cache)
    before = fingerprint.package_prints(packages, first)
    first.save()
    target = next(p for p in sorted(packages.glob("*/*.csv")) if p.stat().st_size > 100)
    stat = target.stat()
    data = bytearray(target.read_bytes())
    data[-2] = ord("9") if data[-2] != ord("9") else ord("8")  # same size, same inode
    target.write_bytes(bytes(data))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = fingerprint.Digests(cache)
    after = fingerprint.package_prints(packages, second)
    assert second.hashed == 1
    assert after == fingerprint.package_prints(packages)  # what hashing every file gives
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {target.parent.name}


def test_a_damaged_cache_is_ignored(packages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "site-digests.json"
    cache.write_text('{"352152_shunan/cases.csv": [1, 2, 3, 4, "not the digest"], "x": ', encoding="utf-8")
    kept = fingerprint.Digests(cache)
    assert fingerprint.package_prints(packages, kept) == fingerprint.package_prints(packages)
    assert kept.hashed == files_of(packages)
    kept.save()
    assert fingerprint.Digests(cache).known == kept.seen


def test_an_entry_whose_stat_differs_is_not_trusted(packages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "site-digests.json"
    first = fingerprint.Digests(cache)
    fresh = fingerprint.package_prints(packages, first)
    first.seen = {k: [v[0], v[1] + 1, *v[2:]] for k, v in first.seen.items()}  # other inodes, same digests
    first.save()
    second = fingerprint.Digests(cache)
    assert fingerprint.package_prints(packages, second) == fresh
    assert second.hashed == files_of(packages)
