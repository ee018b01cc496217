"""A static Open311 GeoReport v2 export of a body package, made from its published CSVs.

Files, in open311/ of the package:
- services.json: GET Services. One service per case category; service_name in Japanese, with the
  English name in `keywords` and in the extension fields service_name_ja / service_name_en.
- requests.json: GET Service Requests, every published case. status is "open" or "closed" (the spec's
  two values; the detailed status is extended_attributes.detailed_status), status_notes is the scrubbed
  status detail, lat/long are the published mesh-cell centre (null where the package publishes no point)
  and address the published town, so nothing is finer than the cases CSV. Dates carry no time in the
  packages; the spec's datetimes are given as midnight Japan time (T00:00:00+09:00).
- servicerequestupdates.json: FixMyStreet's Open311 update extension, one update per handling step.

Extensions (documented in docs/formats.md): extended_attributes (the Chicago / Bloomington convention)
holds the package's other case columns and `work_orders`, each with its `contract`; `notes` holds the
handling timeline (type, datetime, author_type, summary, description) as the same cities do.
The repository's own Open311 adapter kind (format = "open311") reads requests.json back.
requests.json is built column-wise (open311_requests), with requests() as its per-case reference.
"""

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from .. import schema
from . import open311_requests, open311_updates, parquet

TIME, CLOSED = open311_updates.TIME, open311_requests.CLOSED
UPDATE_STATES = open311_updates.UPDATE_STATES
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# The fields GET Service Requests defines, in the spec's order (every request carries all of them).
REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")
EXTENDED, DATETIME_FIELDS = open311_requests.EXTENDED, open311_requests.DATETIMES
FILES = ("services.json", "requests.json", "servicerequestupdates.json")


def _datetime(value: Any) -> str | None:
    """A date (ISO text, or a date) as the spec's datetime: midnight Japan time."""
    return f"{value}{TIME}" if value is not None else None


def _table(path: Path | None, resource: str, tables: dict[str, pa.Table]) -> pa.Table | None:
    """A resource's typed table: the one already read, else read from its CSV (None if it has none)."""
    if resource in tables:
        return tables[resource]
    if path is not None and path.is_file():
        return parquet.read_typed(path, resource)
    return None


def _rows(table: pa.Table | None) -> list[dict[str, Any]]:
    """A table's rows as dicts, codes and dates as text (ISO), built column by column.

    why: Table.to_pylist makes a date object of every date cell and a dict in C++ per row; the text columns
    zipped into dicts take a fraction of that on the largest body (34,505 cases, 161,124 steps)."""
    if table is None:
        return []
    names = table.column_names
    columns = []
    for field in table.schema:
        column = table[field.name]
        if pa.types.is_dictionary(field.type) or pa.types.is_date(field.type):
            column = column.cast(pa.string())
        columns.append(column.to_pylist())
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def services() -> list[dict[str, Any]]:
    """GET Services: one service per case category, in schema order."""
    spec = schema.fields_by_name("cases")["category"]
    return [{"service_code": code, "service_name": spec["enum_labels"][code]["ja"],
             "description": f"{spec['enum_labels'][code]['ja']} / {spec['enum_labels'][code]['en']}",
             "metadata": False, "type": "batch", "keywords": spec["enum_labels"][code]["en"],
             "group": "道路等維持管理", "service_name_ja": spec["enum_labels"][code]["ja"],
             "service_name_en": spec["enum_labels"][code]["en"]}
            for code in spec["constraints"]["enum"]]


def requests(cases: list[dict[str, Any]], actions: list[dict[str, Any]], work_orders: list[dict[str, Any]],
             contracts: list[dict[str, Any]], agency: str) -> list[dict[str, Any]]:
    """GET Service Requests: every case with its timeline, work orders and their contracts."""
    labels = {code: v["ja"] for code, v in schema.fields_by_name("cases")["category"]["enum_labels"].items()}
    action_labels = {code: v["ja"] for code, v in schema.fields_by_name("actions")["action"]["enum_labels"].items()}
    steps: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in actions:
        steps[(row["municipality_code"], row["service_request_id"])].append(row)
    contract_of = {(c["municipality_code"], c["contract_id"]): c for c in contracts}
    orders: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in work_orders:
        if row["service_request_id"]:
            orders[(row["municipality_code"], row["service_request_id"])].append(row)
    out = []
    for case in cases:
        key = (case["municipality_code"], case["service_request_id"])
        timeline = sorted(steps.get(key, []), key=lambda r: r["step"])
        dates = [d for d in (case["requested_date"], case["first_response_date"], case["closed_date"],
                             *(r["action_date"] for r in timeline)) if d is not None]
        extended: dict[str, Any] = {name: _datetime(case[column]) if column in DATETIME_FIELDS else case[column]
                                    for column, name in EXTENDED.items()}
        extended["work_orders"] = [_work_order(o, contract_of.get((o["municipality_code"], o["contract_id"])))
                                   for o in sorted(orders.get(key, []), key=lambda o: o["work_order_id"])]
        out.append({
            "service_request_id": case["service_request_id"],
            "status": "closed" if case["status"] in CLOSED else "open",
            "status_notes": case["status_detail"],
            "service_name": labels.get(case["category"], case["category"]),
            "service_code": case["category"],
            "description": case["description"],
            "agency_responsible": agency,
            "service_notice": None,
            "requested_datetime": _datetime(case["requested_date"]),
            "updated_datetime": _datetime(max(dates)) if dates else None,
            "expected_datetime": None,
            "address": case["town"],
            "address_id": None,
            "zipcode": None,
            "lat": case["latitude"],
            "long": case["longitude"],
            "media_url": None,
            "extended_attributes": extended,
            "notes": [{"type": r["action"], "datetime": _datetime(r["action_date"]), "author_type": r["actor"],
                       "summary": action_labels.get(r["action"], r["action"]), "description": r["note"]}
                      for r in timeline],
        })
    return out


def _work_order(order: dict[str, Any], contract: dict[str, Any] | None) -> dict[str, Any]:
    fields = ("work_order_id", "contract_id", "work_category", "order_date", "completion_date", "status", "amount")
    out = {f: order[f] for f in fields}  # dates are ISO text already (_rows)
    if contract is not None:
        out["contract"] = {f: contract[f] for f in ("contract_id", "title", "contract_type", "procurement_method",
                                                    "contractor", "start_date", "end_date", "contract_amount")}
    return out


def _list_json(items: list[dict[str, Any]]) -> bytes:
    """A JSON array, one item a line: compact, yet readable and diffable."""
    lines = ",\n".join(ENCODER.encode(item) for item in items)
    return f"[\n{lines}\n]\n".encode() if items else b"[]\n"


def write(directory: Path, paths: dict[str, Path], agency: str, tables: dict[str, pa.Table] | None = None) -> list[str]:
    """services.json, requests.json and servicerequestupdates.json into directory/open311/.

    paths: resource -> its CSV (cases required; actions, work orders and contracts where present);
    tables: those already read (parquet.read_typed), which are not read again."""
    tables = tables or {}
    read = {r: _table(paths.get(r), r, tables) for r in ("cases", "actions", "work_orders", "contracts")}
    folder = directory / "open311"
    folder.mkdir(exist_ok=True)
    (folder / "services.json").write_bytes(_list_json(services()))
    found = None
    if read["cases"] is not None:
        found = open311_requests.columnar(read["cases"], read["actions"], read["work_orders"], read["contracts"],
                                          agency)
    if found is None:  # why: tables the column-wise writer leaves to the per-case reference
        found = _list_json(requests(_rows(read["cases"]), _rows(read["actions"]), _rows(read["work_orders"]),
                                    _rows(read["contracts"]), agency))
    (folder / "requests.json").write_bytes(found)
    steps = None
    if read["cases"] is not None and read["actions"] is not None:
        steps = open311_updates.columnar(read["cases"], read["actions"])
    if steps is None:
        steps = open311_updates.document(_rows(read["cases"]), _rows(read["actions"]))
    (folder / "servicerequestupdates.json").write_bytes(steps)
    return [f"open311/{name}" for name in FILES]
