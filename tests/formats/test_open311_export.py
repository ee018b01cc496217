"""The static Open311 GeoReport v2 export: the spec's fields, statuses and datetimes, nothing finer than the
cases CSV, and the repository's own Open311 adapter kind reads it back to the same cases and steps."""

import csv
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline import adapter, build, location

# GeoReport v2, GET Service List (services.xml/json): the fields of each service.
SERVICE_FIELDS = {"service_code": str, "service_name": str, "description": str, "metadata": bool,
                  "type": str, "keywords": str, "group": str}
SERVICE_TYPES = {"realtime", "batch", "blackbox"}
# GeoReport v2, GET Service Requests: the fields of each request.
REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")
REQUIRED = {"service_request_id", "status", "service_code", "requested_datetime"}
STATUSES = {"open", "closed"}
# The spec's datetimes: W3C ISO 8601 with a time zone.
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
# FixMyStreet's update extension (servicerequestupdates): the fields of each update and its states.
UPDATE_FIELDS = {"update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"}
UPDATE_STATES = {"open", "closed", "fixed", "investigating", "in_progress", "action_scheduled",
                 "no_further_action", "not_councils_responsibility", "duplicate", "internal_referral"}

ROUND_TRIP_ADAPTER = """
[municipality]
code = "{code}"
slug = "{slug}"

[resources.cases]
file = "requests.json"
format = "open311"
dates = ["iso"]
[resources.cases.columns]
"service_request_id" = "case_number"
"requested_datetime" = "received"
"service_code" = "category"
"address" = "town"
"lat" = "latitude"
"long" = "longitude"
"description" = "description"
"status_notes" = "status_detail"
"extended_attributes.infrastructure" = "infrastructure"
"extended_attributes.channel" = "channel"
"extended_attributes.road_class" = "road_administrator"
"extended_attributes.detailed_status" = "status"
"extended_attributes.first_response_datetime" = "first_response"
"extended_attributes.closed_datetime" = "closed"
"extended_attributes.resolution" = "resolution"
"extended_attributes.decline_reason" = "decline_reason"
"extended_attributes.referred_to" = "referred_to"
"extended_attributes.referred_to_code" = "referred_to_code"
"extended_attributes.reopened" = "reopened"
"extended_attributes.duplicate_of" = "duplicate_of"

[resources.actions]
file = "requests.json"
format = "open311"
dates = ["iso"]
explode = "notes"
[resources.actions.columns]
"parent.service_request_id" = "case_number"
"type" = "action"
"datetime" = "action_date"
"author_type" = "actor"
"description" = "note"
"""


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _export(folder: Path, name: str) -> object:
    return json.loads((folder / "open311" / name).read_text(encoding="utf-8"))


def test_services_list_every_category_in_japanese_and_english(bodies: list[Path]) -> None:
    for folder in bodies:
        services = _export(folder, "services.json")
        assert isinstance(services, list) and services
        for service in services:
            for name, kind in SERVICE_FIELDS.items():
                assert isinstance(service[name], kind), (folder.name, name)
            assert service["type"] in SERVICE_TYPES
            assert service["service_name_ja"] == service["service_name"] and service["service_name_en"]
        codes = [s["service_code"] for s in services]
        assert "pothole" in codes and len(codes) == len(set(codes))
        pothole = next(s for s in services if s["service_code"] == "pothole")
        assert pothole["service_name"] == "穴ぼこ（ポットホール）" and pothole["service_name_en"] == "Pothole"


def test_requests_carry_the_georeport_fields(bodies: list[Path]) -> None:
    for folder in bodies:
        requests = _export(folder, "requests.json")
        codes = {s["service_code"] for s in _export(folder, "services.json")}
        assert isinstance(requests, list) and requests
        for request in requests:
            assert set(REQUEST_FIELDS) <= set(request), folder.name
            assert all(request[f] not in (None, "") for f in REQUIRED)
            assert request["status"] in STATUSES
            assert request["service_code"] in codes
            for field in ("requested_datetime", "updated_datetime"):
                assert DATETIME.match(request[field]), request[field]
            assert request["updated_datetime"] >= request["requested_datetime"]
            assert request["lat"] is None or isinstance(request["lat"], float)
            for note in request["notes"]:
                assert DATETIME.match(note["datetime"])


def test_status_and_location_are_the_published_ones_and_no_finer(bodies: list[Path]) -> None:
    for folder in bodies:
        cases = {r["service_request_id"]: r for r in _csv(folder / f"{folder.name[:6]}_cases.csv")}
        requests = _export(folder, "requests.json")
        assert [r["service_request_id"] for r in requests] == list(cases)
        for request in requests:
            case = cases[request["service_request_id"]]
            closed = case["status"] in ("completed", "declined", "referred")
            assert request["status"] == ("closed" if closed else "open")
            assert request["extended_attributes"]["detailed_status"] == case["status"]
            assert request["status_notes"] == (case["status_detail"] or None)
            assert request["address"] == (case["town"] or None)
            assert request["lat"] == (float(case["latitude"]) if case["latitude"] else None)
            assert request["long"] == (float(case["longitude"]) if case["longitude"] else None)
            assert request["extended_attributes"]["mesh_code"] == (case["mesh_code"] or None)
            assert request["requested_datetime"] == f"{case['requested_date']}T00:00:00+09:00"
            assert request["address_id"] is None and request["zipcode"] is None


def test_history_work_orders_and_contracts_follow_the_documented_extension(bodies: list[Path]) -> None:
    folder = next(f for f in bodies if f.name == "352152_shunan")
    orders = _csv(folder / "352152_work_orders.csv")
    contracts = {r["contract_id"]: r for r in _csv(folder / "352152_contracts.csv")}
    linked = [o for o in orders if o["service_request_id"]]
    assert linked
    requests = {r["service_request_id"]: r for r in _export(folder, "requests.json")}
    for order in linked:
        listed = requests[order["service_request_id"]]["extended_attributes"]["work_orders"]
        found = next(w for w in listed if w["work_order_id"] == order["work_order_id"])
        assert found["amount"] == (int(order["amount"]) if order["amount"] else None)
        assert found["contract"]["contractor"] == (contracts[order["contract_id"]]["contractor"] or None)
        assert found["contract"]["contract_type"] == contracts[order["contract_id"]]["contract_type"]
    updates = _export(folder, "servicerequestupdates.json")["service_request_updates"]
    assert len(updates) == len(_csv(folder / "352152_actions.csv"))
    for update in updates:
        assert set(update) >= UPDATE_FIELDS and update["status"] in UPDATE_STATES
        assert update["service_request_id"] in requests
    assert len({u["update_id"] for u in updates}) == len(updates)


@pytest.mark.parametrize("name", ["352101_hikari", "352152_shunan"])
def test_the_open311_adapter_kind_reads_the_export_back_to_the_same_cases(packages: Path, tmp_path: Path,
                                                                          name: str) -> None:
    folder = packages / name
    raw = tmp_path / name
    raw.mkdir()
    shutil.copyfile(folder / "open311" / "requests.json", raw / "requests.json")
    code, slug = name.split("_", 1)
    path = tmp_path / f"{name}.toml"
    path.write_text(ROUND_TRIP_ADAPTER.format(code=code, slug=slug), encoding="utf-8")
    tables, _files = build.read_body(adapter.load(path), raw)
    cases = _csv(folder / f"{code}_cases.csv")
    # why: a coarse or coastal cell's centre may lie outside the body: reading it back withholds the point
    coarse = {c["service_request_id"] for c in cases if c["mesh_level"] == "second"}
    problems = [p for t in tables.values() for p in t.problems]
    assert all(p.reason.endswith(location.KEPT_REASON) for p in problems), problems
    read = tables["cases"].frame.set_index("case_number")
    published = {c["service_request_id"] for c in cases if c["latitude"]}
    withheld = {key for key in published & set(read.index) if read.loc[key, "latitude"] in (None, "") or
                read.loc[key, "latitude"] != read.loc[key, "latitude"]}
    assert len(withheld) == len({p.row for p in problems})
    assert len(withheld & coarse) >= len(withheld) / 2  # mostly 10 km cells; a coastal cell's centre may be at sea
    assert sorted(read.index) == sorted(c["service_request_id"] for c in cases)
    columns = {"requested_date": "received", "category": "category", "status": "status", "channel": "channel",
               "road_administrator": "road_administrator", "infrastructure": "infrastructure",
               "first_response_date": "first_response", "closed_date": "closed", "resolution": "resolution",
               "decline_reason": "decline_reason", "referred_to": "referred_to",
               "referred_to_code": "referred_to_code", "reopened": "reopened", "duplicate_of": "duplicate_of",
               "town": "town", "latitude": "latitude", "longitude": "longitude", "description": "description",
               "status_detail": "status_detail"}
    for case in cases:
        row = read.loc[case["service_request_id"]]
        for published, intake in columns.items():
            value = row[intake]
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, float):
                value = value if value == value else None
            expected: object = case[published] or None
            if published in ("latitude", "longitude") and expected is not None:
                expected = None if case["service_request_id"] in withheld else float(str(expected))
            assert value == expected, (name, case["service_request_id"], published)
    steps = tables["actions"].frame
    actions = _csv(folder / f"{code}_actions.csv")
    assert len(steps) == len(actions)
    got = [(r.case_number, r.action, r.action_date.isoformat(), r.actor, r.note or "")
           for r in steps.itertuples(index=False)]
    want = [(a["service_request_id"], a["action"], a["action_date"], a["actor"], a["note"]) for a in actions]
    assert sorted(got) == sorted(want)


def test_updates_built_column_wise_are_the_per_step_document_byte_for_byte(bodies: list[Path]) -> None:
    from pipeline.formats import open311, open311_updates, parquet

    for folder in bodies:
        code = folder.name[:6]
        cases = parquet.read_typed(folder / f"{code}_cases.csv", "cases")
        actions = parquet.read_typed(folder / f"{code}_actions.csv", "actions")
        reference = open311_updates.document(open311._rows(cases), open311._rows(actions))
        assert open311_updates.columnar(cases, actions) == reference, folder.name
        assert (folder / "open311" / "servicerequestupdates.json").read_bytes() == reference


def test_updates_escape_text_as_json_dumps_does() -> None:
    import pyarrow as pa

    from pipeline.formats import open311, open311_updates

    notes = ['引用符 " と \\ バックスラッシュ', "改行\nと\rと\tタブ", "制御\x01文字\x1f", "\b\f", None, "", "😀 \u2028"]
    count = len(notes)
    actions = pa.table({
        "municipality_code": pa.array(["352101"] * count).dictionary_encode(),
        "service_request_id": [f"c-{i}" for i in range(count)], "step": list(range(1, count + 1)),
        "action": pa.array(["received", "completed", "no_such_action", "declined", "referred", "started",
                            "monitoring"]).dictionary_encode(),
        "action_date": [dt.date(2024, 4, 1), None, dt.date(1999, 12, 31), *[dt.date(2025, 1, 1)] * (count - 3)],
        "note": notes})
    cases = pa.table({"municipality_code": pa.array(["352101"] * (count - 1)).dictionary_encode(),
                      "service_request_id": [f"c-{i}" for i in range(count - 1)]})
    reference = open311_updates.document(open311._rows(cases), open311._rows(actions))
    assert open311_updates.columnar(cases, actions) == reference
    assert len(json.loads(reference)["service_request_updates"]) == count - 1  # a step of no published case is left out
