"""The case view's static files: one per pseudonym prefix, each case once, its timeline, work orders and
contracts as the published CSVs hold them."""

import hashlib
import json
from pathlib import Path

import pandas as pd

from pipeline.site import casedetail
from pipeline.site.loader import Package, read_package
from tests.site.conftest import PACKAGES

SHUNAN = PACKAGES / "352152_shunan"


def records(content: dict[str, object]) -> dict[str, dict[str, object]]:
    fields = content["fields"]["case"]  # type: ignore[index]
    return {case_id: dict(zip(fields, values, strict=True))
            for case_id, values in content["cases"].items()}  # type: ignore[attr-defined]


def test_the_prefix_grows_with_the_body_so_files_stay_small() -> None:
    per = casedetail.CASES_PER_SHARD
    assert casedetail.shard_digits(0) == 1
    assert casedetail.shard_digits(per * 16) == 1
    assert casedetail.shard_digits(per * 16 + 1) == 2
    assert casedetail.shard_digits(160_000) == 3
    assert casedetail.shard_digits(10**9) == casedetail.MAX_DIGITS


def test_a_case_is_found_from_its_pseudonym_alone() -> None:
    assert casedetail.shard_of("c-01bb21a1648fb269", 2) == "01"
    assert casedetail.shard_of("c-01bb21a1648fb269", 1) == "0"
    assert casedetail.shard_of("X-99", 1) == casedetail.OTHER_SHARD
    assert casedetail.shard_of("c-A1", 1) == casedetail.OTHER_SHARD  # not the pipeline's lowercase hex


def test_days_between_dates() -> None:
    assert casedetail.days_between("2025-04-01", "2025-04-11") == 10
    assert casedetail.days_between("2025-04-01", "") is None
    assert casedetail.days_between("2025-04-11", "2025-04-01") is None


def test_every_case_is_in_the_file_its_prefix_names_with_its_timeline_and_work() -> None:
    package = read_package(SHUNAN)
    digits, files = casedetail.detail_files(package)
    cases = pd.read_csv(SHUNAN / "352152_cases.csv", dtype=str, keep_default_na=False)
    actions = pd.read_csv(SHUNAN / "352152_actions.csv", dtype=str, keep_default_na=False)
    orders = pd.read_csv(SHUNAN / "352152_work_orders.csv", dtype=str, keep_default_na=False)
    seen: dict[str, dict[str, object]] = {}
    for name, content in files:
        for case_id, record in records(content).items():
            assert casedetail.shard_of(case_id, digits) + ".json" == name
            assert case_id not in seen
            seen[case_id] = record
            for order in record["work_orders"]:  # type: ignore[attr-defined]
                assert order[1] in content["contracts"]  # the contract travels with its work order
    assert sorted(seen) == sorted(cases["service_request_id"])
    for row in cases.to_dict("records"):
        record = seen[row["service_request_id"]]
        assert record["description"] == row["description"] and record["town"] == row["town"]
        steps = actions[actions["service_request_id"] == row["service_request_id"]]
        assert [a[0] for a in record["actions"]] == sorted(steps["action_date"])  # type: ignore[attr-defined]
        assert sorted(a[3] for a in record["actions"]) == sorted(steps["note"])  # type: ignore[attr-defined]
        linked = orders[orders["service_request_id"] == row["service_request_id"]]
        assert sorted(o[0] for o in record["work_orders"]) == sorted(linked["work_order_id"])  # type: ignore[attr-defined]
    assert any(record["work_orders"] for record in seen.values())


def test_the_files_hold_only_published_columns() -> None:
    package = read_package(SHUNAN)
    published = set(pd.read_csv(SHUNAN / "352152_cases.csv", nrows=0).columns)
    assert set(casedetail.CASE_FIELDS) <= published
    assert "latitude" not in casedetail.CASE_FIELDS and "mesh_code" not in casedetail.CASE_FIELDS
    _, files = casedetail.detail_files(package)
    text = json.dumps([content for _, content in files], ensure_ascii=False)
    assert "estimated_price" not in text


def similar_of(rows: list[tuple[str, str, str, str]]) -> dict[str, list[str]]:
    frame = pd.DataFrame(rows, columns=["service_request_id", "category", "town", "requested_date"])
    return casedetail.similar_cases(frame)


def test_similar_cases_share_category_and_town_nearest_in_date_first() -> None:
    found = similar_of([("c-1", "pothole", "久米", "2025-04-01"), ("c-2", "pothole", "久米", "2025-04-20"),
                        ("c-3", "pothole", "久米", "2025-04-03"), ("c-4", "pothole", "富田", "2025-04-02"),
                        ("c-5", "weeding", "久米", "2025-04-02")])
    assert found["c-1"] == ["c-3", "c-2"]
    assert found["c-4"] == [] and found["c-5"] == []


def test_similar_cases_are_at_most_five() -> None:
    rows = [(f"c-{n:02d}", "pothole", "久米", f"2025-04-{n:02d}") for n in range(1, 21)]
    found = similar_of(rows)
    assert found["c-10"] == ["c-09", "c-11", "c-08", "c-12", "c-07"]


def test_the_site_writes_one_case_view_per_body_not_per_case(site: Path) -> None:
    views = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html") if "cases" in p.parts
                   and p.parent.name.isdigit())
    assert views == ["cases/350001/index.html", "cases/352071/index.html", "cases/352152/index.html",
                     "en/cases/350001/index.html", "en/cases/352071/index.html", "en/cases/352152/index.html"]
    digits = json.loads((site / "cases/352152/index.html").read_text(encoding="utf-8")
                        .split('id="case-config">')[1].split("</script>")[0])["digits"]
    written = sorted(p.name for p in (site / "data/cases/352152/case").iterdir())
    package: Package = read_package(SHUNAN)
    assert written == [name for name, _ in casedetail.detail_files(package)[1]]
    assert digits == casedetail.shard_digits(len(package.tables["cases"]))


def big_body(cases: int) -> Package:
    """A body of `cases` cases with realistic text lengths: 6 handling steps with notes, one work order each."""
    from pipeline import schema

    ids = ["c-" + hashlib.sha256(str(n).encode()).hexdigest()[:16] for n in range(cases)]
    case_rows = [dict.fromkeys(schema.field_names("cases"), "") | {
        "service_request_id": case_id, "requested_date": f"2025-{4 + n % 9:02d}-{1 + n % 28:02d}",
        "fiscal_year": "2025", "category": ("pothole", "weeding", "drainage")[n % 3], "status": "completed",
        "town": f"町{n % 40}", "closed_date": "2026-01-10", "first_response_date": "2025-12-01",
        "description": "交差点付近の路面に穴があいていて自転車が危ない。至急見てほしい。" * 2,
        "status_detail": "職員が現地を確認し、業者に補修を指示して完了した。"} for n, case_id in enumerate(ids)]
    actions = [dict.fromkeys(schema.field_names("actions"), "") | {
        "service_request_id": case_id, "step": str(step), "action": "inspected", "actor": "municipality",
        "action_date": "2025-12-01", "note": "現地で状況を確認した。補修が必要。"}
        for case_id in ids for step in range(1, 7)]
    orders = [dict.fromkeys(schema.field_names("work_orders"), "") | {
        "work_order_id": f"W{n:07d}", "contract_id": f"K{n % 50:03d}", "service_request_id": case_id,
        "fiscal_year": "2025", "order_date": "2025-12-02", "status": "completed", "amount": "123000",
        "town": f"町{n % 40}"} for n, case_id in enumerate(ids)]
    contracts = [dict.fromkeys(schema.field_names("contracts"), "") | {
        "contract_id": f"K{n:03d}", "title": "令和7年度 市道舗装補修単価契約（東部地区）",
        "contract_type": "unit_price", "contractor": "周南道路株式会社", "contract_amount": "30800000"}
        for n in range(50)]
    tables = {name: pd.DataFrame(rows, dtype=str) for name, rows in
              [("cases", case_rows), ("actions", actions), ("work_orders", orders), ("contracts", contracts)]}
    return Package(folder=Path(), descriptor={"name": "352152_shunan"}, tables=tables)


def test_a_case_file_stays_within_the_page_budget_at_the_most_cases_a_prefix_length_takes() -> None:
    most = casedetail.CASES_PER_SHARD * 16  # the most cases that one hex digit names files for
    digits, files = casedetail.detail_files(big_body(most))
    assert digits == 1 and len(files) == 16
    from pipeline.site.safejson import dumps

    biggest = max(len(dumps(content).encode("utf-8")) for _, content in files)
    assert biggest < 500_000, biggest  # the page itself is about 40 KB of a 600 KB first load


def test_a_body_s_actions_are_read_and_the_combined_package_s_copies_are_not() -> None:
    body = read_package(SHUNAN)
    assert len(body.tables["actions"]) == len(pd.read_csv(SHUNAN / "352152_actions.csv", dtype=str))
    combined = read_package(PACKAGES / "350001_yamaguchi_all")
    assert combined.tables["actions"].empty and combined.tables["cases"].empty  # downloads only
    assert not combined.tables["metrics"].empty and not combined.tables["municipalities"].empty
