"""A night on which one body changed renders that body's pages and the pages about every body, and links the rest."""

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.site import incremental
from pipeline.site.build import build_site

PACKAGES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "packages"
CHANGED, KEPT = "352152", ("350001", "352071")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(packages: Path, output: Path, previous: Path | None = None, site_url: str = "") -> incremental.Ledger:
    ledgers: list[incremental.Ledger] = []
    assert build_site(packages, output, site_url=site_url, previous_output=previous, ledger_out=ledgers) is False
    return ledgers[0]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def shunan_changed(tmp_path: Path) -> Path:
    """The next night: Shunan's cases changed (in its package and the combined one, with its metrics); Shunan's
    last good date is the new run date; the other bodies are as they were."""
    packages = tmp_path / "packages"
    shutil.copytree(PACKAGES, packages)
    replace_in(packages / "352152_shunan" / "352152_cases.csv", "熊毛", "鹿野")
    replace_in(packages / "350001_yamaguchi_all" / "350001_all_cases.csv", "熊毛", "鹿野")
    replace_in(packages / "350001_yamaguchi_all" / "350001_all_metrics.csv",
               "body,352152,all,fiscal_year,2024,requests_received,", "body,352152,all,fiscal_year,2024,"
               "requests_received,1")
    run = json.loads((packages / "run.json").read_text(encoding="utf-8"))
    run["run_date"] = "2025-11-21"
    for body in run["bodies"]:
        if body["code"] == CHANGED:
            body["last_good"] = "2025-11-21"
    (packages / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return packages


def body_units(code: str) -> set[str]:
    """The units of one body: its pages and feed and map in both languages, and its files."""
    pages = {f"municipalities/{code}{suffix}.html" for suffix in ("", "-fy2025", "-fy2024", "-all")}
    pages |= {f"cases/{code}.html", f"cases/{code}/index.html", f"works/{code}.html", f"maps/{code}.html",
              f"feeds/{code}.atom.xml"}
    return pages | {f"en/{p}" for p in pages} | {f"files/{code}"}


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("first") / "output"
    ledger = build(PACKAGES, output)
    assert ledger.reused == []
    return output


@pytest.fixture(scope="module")
def nights(first: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("next")
    packages = shunan_changed(base)
    before = tree(first)
    incremental_ledger = build(packages, base / "incremental", previous=first)
    full_ledger = build(packages, base / "full")
    return {"incremental": base / "incremental", "full": base / "full", "ledger": incremental_ledger,
            "full_ledger": full_ledger, "before": before}


def test_one_changed_body_renders_only_its_pages_and_the_pages_about_every_body(nights: dict) -> None:
    ledger, full = nights["ledger"], nights["full_ledger"]
    kept = set().union(*(body_units(code) for code in KEPT))
    assert set(ledger.reused) == kept
    assert set(ledger.rendered) == set(full.rendered) - kept
    assert body_units(CHANGED) <= set(ledger.rendered)
    for page in ("index.html", "compare/pothole.html", "data/index.html", "data/dictionary.html", "updates.html",
                 "cases/index.html", "works/index.html", "maps/prefecture.html", "en/index.html"):
        assert page in ledger.rendered
    assert len(ledger.reused) == 2 * 19 and len(full.rendered) == len(ledger.rendered) + 2 * 19


def test_the_incremental_site_is_byte_identical_to_a_full_build(nights: dict) -> None:
    incremental_tree, full_tree = tree(nights["incremental"]), tree(nights["full"])
    assert sorted(incremental_tree) == sorted(full_tree)
    differing = [name for name in full_tree if incremental_tree[name] != full_tree[name]]
    assert differing == []


def test_reused_pages_are_hard_links_and_last_nights_site_is_untouched(first: Path, nights: dict) -> None:
    output = nights["incremental"]
    for page in ("municipalities/352071.html", "en/cases/350001.html", "data/cases/352071/2025-1.json"):
        assert (output / page).stat().st_ino == (first / page).stat().st_ino
    assert (output / "municipalities/352152.html").stat().st_ino != (first / "municipalities/352152.html").stat().st_ino
    assert tree(first) == nights["before"]


def test_the_changed_body_shows_its_new_data(first: Path, nights: dict) -> None:
    page = "cases/352152.html"
    assert "鹿野" in (nights["incremental"] / page).read_text(encoding="utf-8")
    assert (nights["incremental"] / page).read_bytes() != (first / page).read_bytes()


def test_a_body_whose_figures_are_unchanged_leaves_the_pages_about_every_body_linked(first: Path,
                                                                                   tmp_path: Path) -> None:
    """A new export of the same rows (the package is new, its figures are not): the body's own pages and the
    pages that list the packages are rendered; the comparisons, which show figures only, are linked."""
    packages = tmp_path / "packages"
    shutil.copytree(PACKAGES, packages)
    descriptor_path = packages / "352152_shunan" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["sources"].append({"title": "next night's export of the same rows", "path": "cases.csv"})
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    ledger = build(packages, tmp_path / "incremental", previous=first)
    assert body_units(CHANGED) <= set(ledger.rendered)
    assert {"data/index.html", "en/data/index.html"} <= set(ledger.rendered)
    compare = {f"{lang}compare/{page}" for lang in ("", "en/") for page in ("pothole.html", "all.html", "index.html")}
    assert compare <= set(ledger.reused)
    linked = tmp_path / "incremental" / "compare/pothole.html"
    assert linked.stat().st_ino == (first / "compare/pothole.html").stat().st_ino
    build(packages, tmp_path / "full")
    assert tree(tmp_path / "incremental") == tree(tmp_path / "full")


def test_a_new_site_url_renders_every_page(first: Path, tmp_path: Path) -> None:
    ledger = build(shunan_changed(tmp_path), tmp_path / "out", previous=first, site_url="https://example.jp")
    assert ledger.reused == []


def test_a_unit_whose_file_is_gone_from_last_nights_site_is_rendered(first: Path, tmp_path: Path) -> None:
    previous = tmp_path / "previous"
    shutil.copytree(first, previous)
    (previous / "works" / "352071.html").unlink()
    ledger = build(shunan_changed(tmp_path), tmp_path / "out", previous=previous)
    assert "works/352071.html" in ledger.rendered and "works/352071.html" not in ledger.reused
    assert "en/works/352071.html" in ledger.reused


def test_a_manifest_of_another_code_version_is_not_trusted(first: Path, tmp_path: Path) -> None:
    previous = tmp_path / "previous"
    shutil.copytree(first, previous)
    manifest = json.loads((previous / incremental.MANIFEST).read_text(encoding="utf-8"))
    manifest["code"] = "0" * 64
    (previous / incremental.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert build(shunan_changed(tmp_path), tmp_path / "out", previous=previous).reused == []


def test_a_context_value_the_print_cannot_cover_is_an_error() -> None:
    with pytest.raises(incremental.UnhashableContext, match="object"):
        incremental.digest({"x": object()})
    with pytest.raises(incremental.UnhashableContext, match="object"):
        incremental.digest({("a", "b"): object()})


@dataclasses.dataclass
class _Figure:
    value: float
    days: list[dt.date]


def test_the_print_changes_with_any_value_a_page_could_show_and_with_nothing_else() -> None:
    context = {"rows": [{"town": "新町", "n": 3, "days": {dt.date(2025, 4, 1)}}], "figure": _Figure(0.5, []),
               ("fy", 2025): "tuple keys are covered too", "towns": {"新町", "旧町"}}
    same = {"rows": [{"town": "新町", "n": 3, "days": {dt.date(2025, 4, 1)}}], "figure": _Figure(0.5, []),
            ("fy", 2025): "tuple keys are covered too", "towns": {"旧町", "新町"}}
    assert incremental.digest(context) == incremental.digest(same)
    changes = [("rows", [{"town": "新町", "n": 4, "days": {dt.date(2025, 4, 1)}}]),
               ("rows", [{"town": "新町", "n": 3, "days": {dt.date(2025, 4, 2)}}]),
               ("figure", _Figure(0.25, [])), ("figure", _Figure(0.5, [dt.date(2025, 4, 1)])),
               (("fy", 2025), "another text"), ("towns", {"新町"})]
    prints = {incremental.digest({**context, key: value}) for key, value in changes}
    assert len(prints) == len(changes) and incremental.digest(context) not in prints
    frame = pd.DataFrame({"a": ["1", "2"]})
    assert incremental.digest({"t": frame}) != incremental.digest({"t": frame.iloc[:1]})
