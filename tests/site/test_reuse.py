"""A night without data changes: same site, reused from last night's output by hard links."""

import filecmp
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.site import fingerprint
from pipeline.site.build import build_site

PACKAGES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "packages"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def next_night(tmp_path: Path) -> Path:
    """The fixture packages as a later night with no data change writes them (new run date)."""
    packages = tmp_path / "packages"
    shutil.copytree(PACKAGES, packages)
    run = json.loads((packages / "run.json").read_text(encoding="utf-8"))
    run["run_date"] = "2025-11-21"
    for body in run["bodies"]:
        body["unchanged_inputs"] = True
    (packages / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return packages


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("first") / "output"
    assert build_site(PACKAGES, output) is False
    return output


def test_a_new_run_date_alone_gives_a_byte_identical_site(first: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    assert build_site(next_night(tmp_path), output) is False  # built in full, not reused
    assert tree(output) == tree(first)


def test_unchanged_inputs_reuse_last_nights_site_by_hard_links(first: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    assert build_site(next_night(tmp_path), output, previous_output=first) is True
    assert tree(output) == tree(first)
    page = "municipalities/352152.html"
    assert (output / page).stat().st_ino == (first / page).stat().st_ino


def test_the_recorded_fingerprint_is_only_a_hash(first: Path) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}\n", (first / fingerprint.FILE_NAME).read_text(encoding="ascii"))


def test_changed_data_is_built_again(first: Path, tmp_path: Path) -> None:
    packages = next_night(tmp_path)
    cases = packages / "352152_shunan" / "352152_cases.csv"
    cases.write_text(cases.read_text(encoding="utf-8").replace("熊毛", "鹿野", 1), encoding="utf-8")
    output = tmp_path / "output"
    assert build_site(packages, output, previous_output=first) is False
    # why: the home page shows no town, so it is linked; the body's cases list shows the changed town
    assert (output / "cases/352152.html").stat().st_ino != (first / "cases/352152.html").stat().st_ino
    assert "鹿野" in (output / "cases/352152.html").read_text(encoding="utf-8")
    assert not filecmp.cmp(output / "downloads/352152_shunan/352152_cases.csv",
                           first / "downloads/352152_shunan/352152_cases.csv", shallow=False)
    assert fingerprint.recorded(output) != fingerprint.recorded(first)


def test_change_counts_and_site_url_count_as_changes(first: Path, tmp_path: Path) -> None:
    packages = next_night(tmp_path)
    run = json.loads((packages / "run.json").read_text(encoding="utf-8"))
    run["bodies"][0]["changes"] = {"cases": {"added": 9, "changed": 0, "removed": 0}}
    (packages / "run.json").write_text(json.dumps(run), encoding="utf-8")
    assert build_site(packages, tmp_path / "a", previous_output=first) is False
    assert build_site(next_night(tmp_path / "b"), tmp_path / "b" / "out", site_url="https://example.jp",
                      previous_output=first) is False


def test_a_non_empty_output_folder_is_not_linked_into(first: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "stray.txt").write_text("x", encoding="utf-8")
    assert build_site(PACKAGES, output, previous_output=first) is False


def test_the_fingerprint_covers_every_module_the_site_imports() -> None:
    code = ("import json, sys\n"
            "import pipeline.site.build, pipeline.site.generator, pipeline.site.maps, pipeline.site.mapframes\n"
            "print(json.dumps(sorted(m.__file__ for n, m in sys.modules.items()\n"
            "    if n.split('.')[0] == 'pipeline' and getattr(m, '__file__', None))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=fingerprint.ROOT)
    imported = {Path(p).resolve() for p in json.loads(done.stdout)}
    assert imported - set(fingerprint.site_code_files()) == set()


def test_the_kept_digests_cover_every_package_file(first: Path, tmp_path: Path) -> None:
    digests = tmp_path / "work" / "site-digests.json"
    assert build_site(next_night(tmp_path), tmp_path / "output", previous_output=first, digests=digests) is True
    kept = json.loads(digests.read_text(encoding="utf-8"))
    files = {p.relative_to(tmp_path / "packages").as_posix() for p in (tmp_path / "packages").glob("*/**/*")
             if p.is_file() and p.parent != tmp_path / "packages"}
    assert set(kept) == files


def test_kept_compiled_templates_give_the_same_site_and_are_not_compiled_again(first: Path, tmp_path: Path) -> None:
    templates = tmp_path / "work" / "site-templates"
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    assert build_site(PACKAGES, cold, templates=templates) is False
    kept = {p.name: p.stat().st_mtime_ns for p in templates.iterdir()}
    assert len(kept) >= 10  # every template the site renders, each in its own file
    assert build_site(PACKAGES, warm, templates=templates) is False
    assert {p.name: p.stat().st_mtime_ns for p in templates.iterdir()} == kept  # loaded, none written again
    assert tree(cold) == tree(first)
    assert tree(warm) == tree(first)
