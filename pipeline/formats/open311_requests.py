"""requests.json (GET Service Requests) built column-wise: the same bytes as open311.requests() dumped a case
a line, at a fraction of the cost.

Each flat part of a request (its fields, a note, a work order, a contract) is one Arrow string
expression over its table's columns; the nested lists are joined per case in one pass over the rows
sorted by case. Values are written as json.dumps writes them: text by open311_updates.json_strings,
whole numbers as Arrow prints them, decimals by Python's repr (as json does), true/false, null.
`columnar()` returns None where the tables are not the usual ones (a missing column, a null id or step,
a repeated contract, a value json would write otherwise); the per-case reference writes the file then.
tests/formats/test_open311_export.py compares both, also on generated tables.
"""

import itertools
import math
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from .open311_updates import TIME, flat, json_strings

CLOSED = frozenset({"completed", "declined", "referred"})  # the detailed statuses Open311 calls closed
# Case columns carried in extended_attributes, under these names (the Hikari app's names where it has one).
EXTENDED = {"municipality_code": "municipality_code", "fiscal_year": "fiscal_year",
            "infrastructure": "infrastructure", "channel": "channel", "road_administrator": "road_class",
            "status": "detailed_status", "first_response_date": "first_response_datetime",
            "closed_date": "closed_datetime", "resolution": "resolution", "decline_reason": "decline_reason",
            "referred_to": "referred_to", "referred_to_code": "referred_to_code", "reopened": "reopened",
            "duplicate_of": "duplicate_of", "town": "area", "mesh_code": "mesh_code", "mesh_level": "mesh_level",
            "description_status": "description_status"}
DATETIMES = frozenset({"first_response_date", "closed_date"})
ORDER_FIELDS = ("work_order_id", "contract_id", "work_category", "order_date", "completion_date", "status", "amount")
CONTRACT_FIELDS = ("contract_id", "title", "contract_type", "procurement_method", "contractor", "start_date",
                   "end_date", "contract_amount")
SEPARATOR = "\x1f"  # between the parts of a key (ids that hold it are left to the reference)
CASE_COLUMNS = frozenset({"service_request_id", "status_detail", "category", "description", "requested_date",
                          "latitude", "longitude", *EXTENDED})


class Unusual(Exception):
    """The tables hold something the column-wise writer leaves to the per-case reference."""


def literal(column: pa.ChunkedArray | pa.Array, datetime: bool = False) -> pa.Array:
    """A column as JSON literals, as json.dumps writes each value of the row dicts open311 makes."""
    values = flat(column)
    kind = values.type
    if pa.types.is_dictionary(kind):  # why: each distinct value is written once, then repeated by its index
        return flat(pc.fill_null(pc.take(literal(values.dictionary, datetime), values.indices), "null"))
    if pa.types.is_date(kind):
        text = pc.binary_join_element_wise('"', values.cast(pa.string()), f'{TIME}"' if datetime else '"', "")
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = json_strings(values)
    elif pa.types.is_boolean(kind):
        text = pc.if_else(values, "true", "false")
    elif pa.types.is_integer(kind):
        text = values.cast(pa.string())
    elif pa.types.is_floating(kind):
        floats = values.to_pylist()
        if any(v is not None and not math.isfinite(v) for v in floats):
            raise Unusual("a decimal json writes as NaN or Infinity")
        text = pa.array([None if v is None else repr(float(v)) for v in floats], pa.string())
    elif pa.types.is_null(kind):
        text = pa.nulls(len(values), pa.string())
    else:
        raise Unusual(f"a column of type {kind}")
    return flat(pc.fill_null(text, "null"))


def _object(table: pa.Table, fields: tuple[tuple[str, str], ...], close: bool = True,
            datetimes: frozenset[str] = frozenset()) -> list[str]:
    """Each row as a JSON object of the given (column, key) pairs, in order (without the closing brace when
    `close` is false); the columns in `datetimes` as the spec's datetimes."""
    pieces: list[Any] = []
    for i, (column, key) in enumerate(fields):
        pieces += [f'{"{" if i == 0 else ","}"{key}":', literal(table[column], column in datetimes)]
    if close:
        pieces.append("}")
    joined: list[str] = pc.binary_join_element_wise(*pieces, "").to_pylist()
    return joined


def _joined(table: pa.Table, columns: tuple[str, str]) -> tuple[pa.Array, list[pa.Array]]:
    """The two columns joined by the separator (null where either is), and the columns as text."""
    parts = [flat(table[c].cast(pa.string())) for c in columns]
    if any(pc.any(pc.match_substring(part, SEPARATOR)).as_py() for part in parts):
        raise Unusual("the separator inside an id")
    return flat(pc.binary_join_element_wise(*parts, SEPARATOR)), parts


def _key(table: pa.Table) -> pa.Array:
    """Each row's case: its municipality code and request id (both present)."""
    keys, parts = _joined(table, ("municipality_code", "service_request_id"))
    if any(part.null_count for part in parts):
        raise Unusual("a row without its case")
    return keys


def _grouped(keys: pa.Array, items: list[str], order: pa.Array) -> dict[str, str]:
    """{key: its items joined by ','} with the rows taken in `order` (sorted by key, then item order)."""
    ordered_keys, ordered_items = keys.take(order).to_pylist(), [items[i] for i in order.to_pylist()]
    return {key: ",".join(item for _, item in run)
            for key, run in itertools.groupby(zip(ordered_keys, ordered_items, strict=True), key=lambda p: p[0])}


def _labels(values: pa.ChunkedArray, labels: dict[str, str]) -> pa.Array:
    """The Japanese label of each code, else the code itself."""
    text = flat(values.cast(pa.string()))
    found = pc.index_in(text, value_set=pa.array(list(labels), pa.string()))
    return flat(pc.if_else(pc.is_null(found), text, pc.take(pa.array(list(labels.values()), pa.string()), found)))


def _notes(actions: pa.Table) -> tuple[dict[str, str], dict[str, str]]:
    """({case key: its notes, in step order}, {case key: its latest step date})."""
    keys = _key(actions)
    if actions["step"].null_count:
        raise Unusual("a step without its number")
    labels = {code: v["ja"] for code, v in schema.fields_by_name("actions")["action"]["enum_labels"].items()}
    notes = _object(actions.append_column("summary", _labels(actions["action"], labels)), (
        ("action", "type"), ("action_date", "datetime"), ("actor", "author_type"), ("summary", "summary"),
        ("note", "description")), datetimes=frozenset({"action_date"}))
    order = pc.sort_indices(pa.table({"k": keys, "s": actions["step"]}),
                            sort_keys=[("k", "ascending"), ("s", "ascending")])
    latest: dict[str, str] = {}
    for key, day in zip(keys.to_pylist(), flat(actions["action_date"].cast(pa.string())).to_pylist(), strict=True):
        if day is not None and (key not in latest or day > latest[key]):
            latest[key] = day
    return _grouped(keys, notes, order), latest


def _orders(work_orders: pa.Table, contracts: pa.Table | None) -> dict[str, str]:
    """{case key: its work orders (each with its contract), in work order id order}."""
    contract_of: dict[str, str] = {}
    if contracts is not None and contracts.num_rows:
        links = _joined(contracts, ("municipality_code", "contract_id"))[0].to_pylist()
        if None in links or len(set(links)) != len(links):
            raise Unusual("a contract without its id, or listed twice")
        contract_of = dict(zip(links, _object(contracts, tuple((f, f) for f in CONTRACT_FIELDS)), strict=True))
    ids = work_orders["service_request_id"].cast(pa.string())
    mine = work_orders.filter(pc.fill_null(pc.not_equal(ids, ""), False))
    if not mine.num_rows:
        return {}
    if mine["work_order_id"].null_count:
        raise Unusual("a work order without its id")
    heads = _object(mine, tuple((f, f) for f in ORDER_FIELDS), close=False)
    links = _joined(mine, ("municipality_code", "contract_id"))[0].to_pylist()
    whole = [head + (f',"contract":{contract_of[link]}}}' if link in contract_of else "}")
             for head, link in zip(heads, links, strict=True)]
    keys = _key(mine)
    order = pc.sort_indices(pa.table({"k": keys, "w": mine["work_order_id"]}),
                            sort_keys=[("k", "ascending"), ("w", "ascending")])
    return _grouped(keys, whole, order)


def columnar(cases: pa.Table, actions: pa.Table | None, work_orders: pa.Table | None,
             contracts: pa.Table | None, agency: str) -> bytes | None:
    """requests.json built column-wise; None where the per-case reference must write it (see the docstring)."""
    try:
        return _document(cases, actions, work_orders, contracts, agency)
    except (Unusual, KeyError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _document(cases: pa.Table, actions: pa.Table | None, work_orders: pa.Table | None,
              contracts: pa.Table | None, agency: str) -> bytes:
    if not set(cases.column_names) >= CASE_COLUMNS:
        raise Unusual("a case column is missing")
    if not cases.num_rows:
        return b"[]\n"
    keys = _key(cases).to_pylist()
    notes, latest = _notes(actions) if actions is not None and actions.num_rows else ({}, {})
    orders = _orders(work_orders, contracts) if work_orders is not None and work_orders.num_rows else {}
    labels = {code: v["ja"] for code, v in schema.fields_by_name("cases")["category"]["enum_labels"].items()}
    closed = pc.fill_null(pc.is_in(flat(cases["status"].cast(pa.string())), value_set=pa.array(sorted(CLOSED))), False)
    table = cases.append_column("open_or_closed", pc.if_else(closed, "closed", "open")) \
        .append_column("service_name", _labels(cases["category"], labels))
    head = _object(table, (("service_request_id", "service_request_id"), ("open_or_closed", "status"),
                           ("status_detail", "status_notes"), ("service_name", "service_name"),
                           ("category", "service_code"), ("description", "description")), close=False)
    agency_text = json_strings(pa.array([agency], pa.string()))[0].as_py()
    requested = literal(table["requested_date"], datetime=True).to_pylist()
    where = pc.binary_join_element_wise(
        ',"expected_datetime":null,"address":', literal(table["town"]), ',"address_id":null,"zipcode":null,"lat":',
        literal(table["latitude"]), ',"long":', literal(table["longitude"]), ',"media_url":null,', "").to_pylist()
    extended = _object(table, tuple(EXTENDED.items()), close=False, datetimes=DATETIMES)
    days = [flat(table[c].cast(pa.string())).to_pylist()
            for c in ("requested_date", "first_response_date", "closed_date")]
    lines = []
    for i, key in enumerate(keys):
        known = [d[i] for d in days if d[i] is not None] + ([latest[key]] if key in latest else [])
        updated = f'"{max(known)}{TIME}"' if known else "null"
        lines.append(f'{head[i]},"agency_responsible":{agency_text},"service_notice":null,'
                     f'"requested_datetime":{requested[i]},"updated_datetime":{updated}{where[i]}'
                     f'"extended_attributes":{extended[i]},"work_orders":[{orders.get(key, "")}]}},'
                     f'"notes":[{notes.get(key, "")}]}}')
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode()
