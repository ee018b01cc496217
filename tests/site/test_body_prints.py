"""A body's pages are printed from what they are made from, before they are built: a night that leaves those
inputs as they were links the body's pages without building them, and any input they read makes them again."""

import shutil
from pathlib import Path

import pytest

from pipeline.site import incremental, pages, works
from pipeline.site.build import build_site

PACKAGES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "packages"
METRICS = Path("350001_yamaguchi_all") / "350001_all_metrics.csv"
BODIES = ("350001", "352071", "352152")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(packages: Path, output: Path, previous: Path | None = None, workers: int | None = None
          ) -> incremental.Ledger:
    ledgers: list[incremental.Ledger] = []
    build_site(packages, output, previous_output=previous, ledger_out=ledgers, workers=workers)
    return ledgers[0]


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("first") / "output"
    build(PACKAGES, output)
    return output


def night(tmp_path: Path, first: Path, old: str, new: str, monkeypatch: pytest.MonkeyPatch
          ) -> tuple[set[str], incremental.Ledger]:
    """The metrics with one line changed: (bodies whose pages were built, ledger); the site must be the same bytes
    as a full build of the same packages."""
    packages = tmp_path / "packages"
    shutil.copytree(PACKAGES, packages)
    text = (packages / METRICS).read_text(encoding="utf-8")
    assert old in text
    (packages / METRICS).write_text(text.replace(old, new, 1), encoding="utf-8")
    built: set[str] = set()
    real = pages.body_pages

    def recording(data, package, min_n, per_page):  # type: ignore[no-untyped-def]
        built.add(package.code)
        return real(data, package, min_n, per_page)

    monkeypatch.setattr(pages, "body_pages", recording)
    # why: one process, so that the pages built are recorded here (a forked worker's calls are its own)
    ledger = build(packages, tmp_path / "incremental", previous=first, workers=1)
    monkeypatch.setattr(pages, "body_pages", real)
    full = build(packages, tmp_path / "full")
    incremental_tree, full_tree = tree(tmp_path / "incremental"), tree(tmp_path / "full")
    assert sorted(incremental_tree) == sorted(full_tree)
    assert [name for name in full_tree if incremental_tree[name] != full_tree[name]] == []
    assert len(full.rendered) > len(ledger.rendered)
    return built, ledger


def test_a_change_to_the_all_bodies_rows_builds_no_body_page(tmp_path: Path, first: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    built, ledger = night(tmp_path, first, "all,,all,fiscal_year,2024,requests_received,52.0,,,52,",
                          "all,,all,fiscal_year,2024,requests_received,53.0,,,53,", monkeypatch)
    assert built == set()
    assert {f"municipalities/{code}.html" for code in BODIES} <= set(ledger.reused)
    assert "compare/all.html" in ledger.rendered


def test_a_referral_between_two_bodies_builds_the_pages_of_both_and_no_other(tmp_path: Path, first: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    built, ledger = night(tmp_path, first, "body,352071,all,fiscal_year,2024,referrals_to.350001,3.0,,,3,",
                          "body,352071,all,fiscal_year,2024,referrals_to.350001,4.0,,,4,", monkeypatch)
    assert built == {"352071", "350001"}
    assert "municipalities/352152.html" in ledger.reused
    assert "municipalities/350001-fy2024.html" in ledger.rendered


def test_the_print_changes_with_the_settings_the_package_and_the_definitions() -> None:
    from pipeline.site.loader import load

    data = load(PACKAGES)
    package = data.body("352152")
    assert package is not None
    prints = {package.folder.name: "tonight"}
    before = incremental.digest(pages.body_inputs(data, package, 20, 50), prints=prints)
    for changed in (pages.body_inputs(data, package, 10, 50), pages.body_inputs(data, package, 20, 25)):
        assert incremental.digest(changed, prints=prints) != before
    assert incremental.digest(pages.body_inputs(data, package, 20, 50), prints={package.folder.name: "new"}) != before
    data.metric_definitions[0] = {**data.metric_definitions[0], "title_en": "changed"}
    assert incremental.digest(pages.body_inputs(data, package, 20, 50), prints=prints) != before


def test_a_changed_body_works_out_its_own_headline_and_reuses_the_others(tmp_path: Path, first: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The home, cases and comparison pages show every body's headline, the works index every body's spending:
    on a night that changed one body's cases, only that body's counts and spending are worked out; the others'
    come from last night, and the site is the same bytes as a full build."""
    packages = tmp_path / "packages"
    shutil.copytree(PACKAGES, packages)
    cases = packages / "352152_shunan" / "352152_cases.csv"
    case = "352152,c-01bb21a1648fb269,2024-11-23,2024,road,pothole,phone,municipal,"
    old, new = f"{case}declined,2024-11-27,2024-12-22,,budget,", f"{case}completed,2024-11-27,2024-12-22,,,"
    text = cases.read_text(encoding="utf-8")
    assert old in text
    cases.write_text(text.replace(old, new, 1), encoding="utf-8")
    counted: list[str] = []
    spent: list[str] = []
    real, real_spending = pages.counts, works.spending

    def recording(data, package, min_n):  # type: ignore[no-untyped-def]
        counted.append(package.code)
        return real(data, package, min_n)

    def recording_spending(package, year):  # type: ignore[no-untyped-def]
        spent.append(package.code)
        return real_spending(package, year)

    monkeypatch.setattr(pages, "counts", recording)
    monkeypatch.setattr(works, "spending", recording_spending)
    ledger = build(packages, tmp_path / "incremental", previous=first, workers=1)
    monkeypatch.setattr(pages, "counts", real)
    monkeypatch.setattr(works, "spending", real_spending)
    assert set(counted) == {"352152"}
    assert set(spent) == {"352152"}  # the works index shows every body's spending per year
    assert {"headline/350001", "headline/352071", "headline/352152", "works-spending/352071"} <= set(ledger.units)
    assert "municipalities/352152.html" in ledger.rendered and "municipalities/352071.html" in ledger.reused
    build(packages, tmp_path / "full")
    incremental_tree, full_tree = tree(tmp_path / "incremental"), tree(tmp_path / "full")
    assert sorted(incremental_tree) == sorted(full_tree)
    assert [name for name in full_tree if incremental_tree[name] != full_tree[name]] == []
