"""Published tables -> the case view's static JSON: one file per pseudonym prefix of a body.

The case view (cases/<code>/index.html#<pseudonym>) is one page per body and language; the browser
fetches the file that holds the case from the pseudonym alone, so no page or index grows with the
number of cases. A case's record holds its handling timeline (actions with their scrubbed notes),
days to first response and to close, its work orders, the contracts they were ordered under and
links to similar cases (same category and town, nearest in date). Everything comes from the
published packages; nothing is read that a download does not already hold.
"""

import re
from collections import defaultdict
from datetime import date
from typing import Any

import pandas as pd

from .loader import Package

# why: a case is about 1.5 KB of JSON with a six-step timeline; 200 cases keep a file near 300 KB, within the
# page budget (600 KB) even when the cases fall unevenly on the prefixes. The prefix grows with the body.
CASES_PER_SHARD = 200
MAX_DIGITS = 3
SIMILAR = 5
# why: nearest neighbours in date order are among the few cases on either side in the same group.
SIMILAR_WINDOW = 4
OTHER_SHARD = "other"
_HEX_ID = re.compile(r"^c-[0-9a-f]+$")
CASE_FIELDS = ("requested_date", "fiscal_year", "infrastructure", "category", "channel", "road_administrator",
               "status", "first_response_date", "closed_date", "resolution", "decline_reason", "referred_to",
               "reopened", "duplicate_of", "town", "mesh_level", "description", "description_status",
               "status_detail")
# worked out here, after the published fields of a case's record
DERIVED_FIELDS = ("days_to_first_response", "days_to_close", "actions", "work_orders", "similar")
ACTION_FIELDS = ("action_date", "action", "actor", "note")
ORDER_FIELDS = ("work_order_id", "contract_id", "work_category", "order_date", "completion_date", "status",
                "amount", "town")
CONTRACT_FIELDS = ("title", "fiscal_year", "contract_type", "procurement_method", "contractor", "district",
                   "start_date", "end_date", "contract_amount")


def shard_digits(cases: int) -> int:
    """How many hex digits of the pseudonym name a body's files: 1 (16 files) up to MAX_DIGITS."""
    digits = 1
    while digits < MAX_DIGITS and cases > CASES_PER_SHARD * 16 ** digits:
        digits += 1
    return digits


def shard_of(case_id: str, digits: int) -> str:
    """The file a case is in: the first `digits` hex digits after "c-" (the browser does the same)."""
    return case_id[2:2 + digits] if _HEX_ID.match(case_id) and len(case_id) >= 2 + digits else OTHER_SHARD


def days_between(start: str, end: str) -> int | None:
    """Calendar days from start to end, or None when either date is missing or they run backwards."""
    try:
        days = (date.fromisoformat(end) - date.fromisoformat(start)).days
    except ValueError:
        return None
    return days if days >= 0 else None


def _records(frame: pd.DataFrame, key: str, fields: tuple[str, ...], order: list[str]) -> dict[str, list[list[str]]]:
    """{key value: [[field values], …]} in `order` (the frame's columns are text)."""
    if frame.empty:
        return {}
    ordered = frame.sort_values([key, *order], kind="stable")
    grouped: dict[str, list[list[str]]] = defaultdict(list)
    columns = [ordered[f].tolist() for f in fields]
    for owner, values in zip(ordered[key].tolist(), zip(*columns, strict=True), strict=True):
        grouped[owner].append(list(values))
    return grouped


def similar_cases(cases: pd.DataFrame) -> dict[str, list[str]]:
    """{case ID: up to SIMILAR IDs of the same category and town, nearest received date first}."""
    frame = cases[["service_request_id", "category", "town", "requested_date"]]
    frame = frame.sort_values(["category", "town", "requested_date", "service_request_id"], kind="stable")
    ids, days = frame["service_request_id"].tolist(), pd.to_datetime(frame["requested_date"], errors="coerce")
    ordinal = [d.toordinal() if not pd.isna(d) else 0 for d in days]
    keys = list(zip(frame["category"].tolist(), frame["town"].tolist(), strict=True))
    found: dict[str, list[str]] = {}
    for i, case_id in enumerate(ids):
        near = [j for j in range(max(0, i - SIMILAR_WINDOW), min(len(ids), i + SIMILAR_WINDOW + 1))
                if j != i and keys[j] == keys[i]]
        near.sort(key=lambda j: (abs(ordinal[j] - ordinal[i]), ids[j]))
        found[case_id] = [ids[j] for j in near[:SIMILAR]]
    return found


def detail_files(package: Package) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    """A body's case-view files: (prefix digits, [(file name, content)]) sorted by file name."""
    tables = package.tables
    cases = tables["cases"]
    digits = shard_digits(len(cases))
    actions = _records(tables.get("actions", pd.DataFrame()), "service_request_id", ACTION_FIELDS,
                       ["action_date", "step"]) if "actions" in tables else {}
    orders = tables["work_orders"]
    linked = orders[orders["service_request_id"] != ""]
    by_case = _records(linked, "service_request_id", ORDER_FIELDS, ["order_date", "work_order_id"])
    contracts = {row["contract_id"]: [row[f] for f in CONTRACT_FIELDS]
                 for row in tables["contracts"].to_dict("records")}
    similar = similar_cases(cases)
    ordered = cases.sort_values("service_request_id")
    # why: column lists, not DataFrame.to_dict("records"), which took most of the time on a big body
    columns = {f: ordered[f].tolist() for f in ("service_request_id", *CASE_FIELDS)}
    summary = {case_id: [day, category, status] for case_id, day, category, status in zip(
        columns["service_request_id"], columns["requested_date"], columns["category"], columns["status"],
        strict=True)}
    shards: dict[str, dict[str, Any]] = {}
    for i, case_id in enumerate(columns["service_request_id"]):
        shard = shards.setdefault(shard_of(case_id, digits), {"cases": {}, "contracts": {}})
        case_orders = by_case.get(case_id, [])
        requested = columns["requested_date"][i]
        shard["cases"][case_id] = [
            *(columns[f][i] for f in CASE_FIELDS),
            days_between(requested, columns["first_response_date"][i]),
            days_between(requested, columns["closed_date"][i]),
            actions.get(case_id, []),
            case_orders,
            [[other, *summary[other]] for other in similar.get(case_id, [])],
        ]
        for order in case_orders:
            contract_id = order[1]
            if contract_id in contracts:
                shard["contracts"][contract_id] = contracts[contract_id]
    files = []
    for name in sorted(shards):
        content = shards[name]
        content["contracts"] = dict(sorted(content["contracts"].items()))
        files.append((f"{name}.json", {"fields": {"case": list(CASE_FIELDS + DERIVED_FIELDS),
                                                  "action": list(ACTION_FIELDS),
                                                  "work_order": list(ORDER_FIELDS),
                                                  "contract": list(CONTRACT_FIELDS)}, **content}))
    return digits, files
