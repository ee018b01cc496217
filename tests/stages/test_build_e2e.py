"""End to end: `mieruka build` on the sample -> valid packages, pages in both languages, no
personal data anywhere, byte-identical rebuilds, and a broken export that leaves the rest alone."""

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.sample import PILOT_CODES, SAMPLE_MARKER, write_sample
from pipeline.validate import validate_tree

SCALE = 0.15
PHONE = re.compile(r"0\d{1,4}[-(（ ]\d{1,4}[-)） ]\d{4}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def _sample(raw: Path) -> Path:
    write_sample(raw, scale=SCALE)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    return raw


def _build(root: Path, raw: Path, *extra: str) -> int:
    return main(["build", "--raw", str(raw), "--packages", str(root / "datapackages"),
                 "--output", str(root / "output"), *extra])


def _tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("build")
    raw = _sample(root / "raw")
    assert _build(root, raw) == 0
    return root


def test_every_package_is_valid_by_frictionless(built: Path) -> None:
    reports = validate_tree(built / "datapackages", "frictionless")
    names = sorted(r.package for r in reports)
    assert len(names) == len(PILOT_CODES) + 1
    assert "350001_yamaguchi_all" in names
    assert all(r.valid for r in reports), "\n".join(r.text for r in reports if not r.valid)


def test_manifest_says_all_published_and_synthetic(built: Path) -> None:
    run = json.loads((built / "datapackages" / "run.json").read_text(encoding="utf-8"))
    assert run["synthetic"] is True
    assert [b["status"] for b in run["bodies"]] == ["published"] * len(PILOT_CODES)
    assert sorted(b["code"] for b in run["bodies"]) == sorted(PILOT_CODES)
    for body in run["bodies"]:
        assert body["rows"]["cases"] > 0


def test_combined_package_holds_every_body_and_the_metrics(built: Path) -> None:
    combined = built / "datapackages" / "350001_yamaguchi_all"
    cases = pd.read_csv(combined / "350001_all_cases.csv", dtype=str, keep_default_na=False)
    assert sorted(cases["municipality_code"].unique()) == sorted(PILOT_CODES)
    metrics = pd.read_csv(combined / "350001_all_metrics.csv", dtype=str, keep_default_na=False)
    assert len(metrics) > 0
    assert (combined / "350001_all_metric_definitions.json").is_file()
    body_total = sum(len(pd.read_csv(p, dtype=str)) for p in (built / "datapackages").glob("*/35????_cases.csv"))
    assert body_total == len(cases)


def test_no_personal_data_from_the_raw_exports_survives(built: Path) -> None:
    raw = pd.read_csv(built / "raw" / "352152_shunan" / "cases.csv", dtype=str, keep_default_na=False)
    needles = set()
    for column in ("reporter_name", "reporter_phone", "reporter_email", "address", "case_number"):
        needles |= {v for v in raw[column] if len(v) >= 5}
    assert len(needles) > 50
    for folder in ("datapackages", "output"):
        for path in (built / folder).rglob("*"):
            if not path.is_file() or path.suffix not in (".csv", ".json", ".html", ".xml", ".txt"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            leaked = [n for n in needles if n in text]
            assert not leaked, f"{path}: {leaked[:3]}"
            assert not PHONE.search(text), f"{path}: phone number {PHONE.search(text)}"
            assert not [m for m in EMAIL.findall(text) if not m.endswith(("w3.org", "example.org"))], path


def test_pages_exist_in_both_languages_and_link_each_other(built: Path) -> None:
    ja = (built / "output" / "index.html").read_text(encoding="utf-8")
    en = (built / "output" / "en" / "index.html").read_text(encoding="utf-8")
    assert 'lang="ja"' in ja and 'lang="en"' in en
    assert re.search(r'href="[^"]*en/(index\.html)?"', ja)
    pairs = (("下松市", "Kudamatsu"), ("光市", "Hikari"), ("周南市", "Shunan"), ("山口県", "Yamaguchi"))
    for name_ja, name_en in pairs:
        assert name_ja in ja
        assert name_en in en
    assert "合成" in ja and "synthetic" in en.lower()


def test_rebuild_is_byte_identical(built: Path, tmp_path: Path) -> None:
    assert _build(tmp_path, built / "raw") == 0
    for folder in ("datapackages", "output"):
        first, second = _tree_hashes(built / folder), _tree_hashes(tmp_path / folder)
        assert first.keys() == second.keys()
        differ = [k for k in first if first[k] != second[k]]
        assert not differ, f"{folder}: {differ[:5]}"


def test_broken_export_keeps_last_good_package_marked_stale(built: Path, tmp_path: Path) -> None:
    shutil.copytree(built / "datapackages", tmp_path / "datapackages")
    shutil.copytree(built / "output", tmp_path / "output")
    raw = tmp_path / "raw"
    shutil.copytree(built / "raw", raw)
    (raw / "352152_shunan" / "cases.csv").write_bytes("壊れた\x00ファイル".encode("utf-16"))
    before = _tree_hashes(tmp_path / "datapackages" / "352152_shunan")
    assert _build(tmp_path, raw, "--no-site") == 1
    run = json.loads((tmp_path / "datapackages" / "run.json").read_text(encoding="utf-8"))
    status = {b["code"]: b for b in run["bodies"]}
    assert status["352152"]["status"] == "stale"
    assert status["352152"]["last_good"]
    assert "UTF-16" in status["352152"]["error"]
    assert {status[c]["status"] for c in PILOT_CODES if c != "352152"} == {"published"}
    assert _tree_hashes(tmp_path / "datapackages" / "352152_shunan") == before


def test_real_data_without_a_secret_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("MIERUKA_SECRET", raising=False)
    monkeypatch.delenv("MIERUKA_SECRET_FILE", raising=False)
    raw = tmp_path / "raw"
    write_sample(raw, codes=("352152",), scale=0.05)  # no SAMPLE.txt: treated as real data
    assert _build(tmp_path, raw) == 2
    assert "needs a secret" in capsys.readouterr().err
    assert not (tmp_path / "datapackages").exists()


def test_secret_changes_pseudonyms_and_stays_stable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    write_sample(raw, codes=("352152",), scale=0.05)
    ids = []
    for n, secret in enumerate(("first-secret-0123456789", "first-secret-0123456789", "other-secret-0123456789")):
        monkeypatch.setenv("MIERUKA_SECRET", secret)
        root = tmp_path / f"run{n}"
        assert _build(root, raw, "--no-site", "--date", "2026-04-05") == 0
        ids.append(pd.read_csv(root / "datapackages" / "352152_shunan" / "352152_cases.csv", dtype=str)
                   ["service_request_id"].tolist())
    assert ids[0] == ids[1]
    assert not set(ids[0]) & set(ids[2])


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert main(["build", "--raw", str(tmp_path / "missing")]) == 2
    assert main(["validate", str(tmp_path / "missing")]) == 2
    with pytest.raises(SystemExit) as caught:
        main(["build", "--date", "yesterday"])
    assert caught.value.code == 2


def test_validate_command_reports(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(built / "datapackages"), "--engine", "fast"]) == 0
    out = capsys.readouterr().out
    assert f"{len(PILOT_CODES) + 1} of {len(PILOT_CODES) + 1} package(s) valid" in out


def test_work_orders_never_locate_a_case_more_finely_than_the_case(built: Path) -> None:
    for folder in sorted((built / "datapackages").glob("35????_*")):
        if folder.name.endswith("_all") or not folder.is_dir():
            continue
        code = folder.name.split("_")[0]
        cases = pd.read_csv(folder / f"{code}_cases.csv", dtype=str, keep_default_na=False)
        orders = pd.read_csv(folder / f"{code}_work_orders.csv", dtype=str, keep_default_na=False)
        joined = orders[orders["service_request_id"] != ""].merge(
            cases, on="service_request_id", suffixes=("_order", "_case"))
        assert len(joined) > 0
        for column in ("mesh_code", "mesh_level", "town"):
            assert (joined[f"{column}_order"] == joined[f"{column}_case"]).all(), (folder.name, column)


def test_cases_on_private_land_keep_the_town_only(built: Path) -> None:
    cases = pd.read_csv(built / "datapackages" / "350001_yamaguchi_all" / "350001_all_cases.csv", dtype=str,
                        keep_default_na=False)
    private = cases[(cases["decline_reason"] == "private_property") | (cases["road_administrator"] == "private")]
    assert len(private) > 0
    assert (private["latitude"] == "").all() and (private["longitude"] == "").all()
    assert (private["mesh_code"] == "").all()
    assert set(private["mesh_level"]) <= {"municipality", "none"}


def test_unchanged_night_reuses_packages_and_a_changed_body_alone_is_rebuilt(built: Path, tmp_path: Path) -> None:
    shutil.copytree(built / "datapackages", tmp_path / "datapackages")
    raw = tmp_path / "raw"
    shutil.copytree(built / "raw", raw)
    assert main(["nightly", "--raw", str(raw), "--packages", str(tmp_path / "datapackages"),
                 "--output", str(tmp_path / "output"), "--no-site"]) == 0
    run = json.loads((tmp_path / "datapackages" / "run.json").read_text(encoding="utf-8"))
    assert all(b["unchanged_inputs"] for b in run["bodies"])
    assert _tree_hashes(tmp_path / "datapackages" / "352152_shunan") == \
        _tree_hashes(built / "datapackages" / "352152_shunan")
    cases = raw / "352152_shunan" / "cases.csv"
    lines = cases.read_text(encoding="utf-8").splitlines(keepends=True)
    cases.write_text("".join(lines[:-1]), encoding="utf-8")  # one case fewer tonight
    assert main(["nightly", "--raw", str(raw), "--packages", str(tmp_path / "datapackages"),
                 "--output", str(tmp_path / "output"), "--no-site"]) == 0
    run = json.loads((tmp_path / "datapackages" / "run.json").read_text(encoding="utf-8"))
    reused = {b["code"]: b["unchanged_inputs"] for b in run["bodies"]}
    assert reused == {"350001": True, "352071": True, "352101": True, "352152": False}
    shunan = next(b for b in run["bodies"] if b["code"] == "352152")
    assert shunan["changes"]["cases"]["removed"] == 1
    assert shunan["changes"]["cases"]["added"] == 0


def test_secret_never_reaches_packages_pages_or_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    secret = "s3cret-never-published-7f3a9c"
    monkeypatch.setenv("MIERUKA_SECRET", secret)
    raw = tmp_path / "raw"
    write_sample(raw, codes=("352152",), scale=0.05)
    assert _build(tmp_path, raw) == 0
    printed = capsys.readouterr()
    assert secret not in printed.out + printed.err
    for folder in (tmp_path / "datapackages", tmp_path / "output", tmp_path / ".work" / "logs"):
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_formula_cells_are_neutralized_without_losing_the_value(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_sample(raw, codes=("352152",), scale=0.05)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    contracts = raw / "352152_shunan" / "contracts.csv"
    frame = pd.read_csv(contracts, dtype=str, keep_default_na=False)
    # a legal-entity form keeps each name published (a name without one reads 個人事業主, docs/privacy.md)
    frame.loc[0, "contractor"] = "=HYPERLINK(\"http://evil.example\",\"click\")株式会社"
    frame.loc[1, "contractor"] = "＝1+2株式会社"  # full-width: NFKC turns it into a live formula
    frame.loc[2, "contractor"] = "@SUM(A1)株式会社"
    frame.to_csv(contracts, index=False)
    assert _build(tmp_path, raw, "--no-site") == 0
    published = pd.read_csv(tmp_path / "datapackages" / "352152_shunan" / "352152_contracts.csv", dtype=str,
                            keep_default_na=False)
    risky = published["contractor"][published["contractor"].str.contains("HYPERLINK|1\\+2|SUM", regex=True)]
    assert len(risky) == 3
    assert all(v.startswith("'") for v in risky), risky.tolist()
    assert "'=1+2株式会社" in set(risky)
