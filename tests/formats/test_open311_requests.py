"""requests.json built column-wise is the per-case reference (open311.requests, dumped a case a line) byte for
byte: on the sample's bodies, on generated tables of any text, date, number and nesting, and where the tables
are unusual (the reference then writes the file)."""

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import schema
from pipeline.formats import open311, open311_requests, parquet

CODE = "352101"
TEXT = st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
                 st.sampled_from(['"', "\\", "\n\r\t\b\f", "\x00\x1f\x7f", "\u2028😀", "側溝の蓋", ""]))
DATES = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
CATEGORIES = schema.enum("cases", "category")
ACTIONS = schema.enum("actions", "action")


def reference(tables: dict[str, pa.Table | None], agency: str = "光市") -> bytes:
    rows = {name: open311._rows(table) for name, table in tables.items()}
    found = open311.requests(rows["cases"], rows["actions"], rows["work_orders"], rows["contracts"], agency)
    return open311._list_json(found)


def columnar(tables: dict[str, pa.Table | None], agency: str = "光市") -> bytes | None:
    return open311_requests.columnar(tables["cases"], tables["actions"], tables["work_orders"], tables["contracts"],
                                     agency)


def _codes(values: list[str | None]) -> pa.Array:
    return pa.array(values, pa.string()).dictionary_encode()


@st.composite
def bodies(draw: st.DrawFn) -> dict[str, pa.Table | None]:
    n = draw(st.integers(0, 6))
    ids = [f"c-{i}" for i in range(n)]
    case = {
        "municipality_code": _codes([CODE] * n), "service_request_id": ids,
        "requested_date": pa.array(draw(st.lists(DATES, min_size=n, max_size=n)), pa.date32()),
        "fiscal_year": pa.array(draw(st.lists(st.one_of(st.none(), st.integers(1990, 2030)), min_size=n, max_size=n)),
                                pa.int64()),
        "category": _codes(draw(st.lists(st.one_of(st.none(), st.sampled_from([*CATEGORIES, "no_such"])),
                                         min_size=n, max_size=n))),
        "status": _codes(draw(st.lists(st.sampled_from(["completed", "received", "declined", "referred", None]),
                                       min_size=n, max_size=n))),
        "first_response_date": pa.array(draw(st.lists(DATES, min_size=n, max_size=n)), pa.date32()),
        "closed_date": pa.array(draw(st.lists(DATES, min_size=n, max_size=n)), pa.date32()),
        "reopened": pa.array(draw(st.lists(st.one_of(st.none(), st.booleans()), min_size=n, max_size=n)), pa.bool_()),
        "latitude": pa.array(draw(st.lists(st.one_of(st.none(), st.floats(-90, 90, allow_nan=False)),
                                           min_size=n, max_size=n)), pa.float64()),
        "longitude": pa.array(draw(st.lists(st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False)),
                                            min_size=n, max_size=n)), pa.float64()),
    }
    for column in ("infrastructure", "channel", "road_administrator", "resolution", "decline_reason", "referred_to",
                   "mesh_level", "description_status"):
        case[column] = _codes(draw(st.lists(TEXT, min_size=n, max_size=n)))
    for column in ("referred_to_code", "duplicate_of", "town", "mesh_code", "description", "status_detail"):
        case[column] = pa.array(draw(st.lists(TEXT, min_size=n, max_size=n)), pa.string())
    m = draw(st.integers(0, 10))
    owners = draw(st.lists(st.sampled_from([*ids, "c-none"]), min_size=m, max_size=m))
    steps = draw(st.lists(st.integers(1, 30), min_size=m, max_size=m, unique=True))
    actions = pa.table({
        "municipality_code": _codes([CODE] * m), "service_request_id": owners, "step": pa.array(steps, pa.int64()),
        "action": _codes(draw(st.lists(st.sampled_from([*ACTIONS, "no_such"]), min_size=m, max_size=m))),
        "action_date": pa.array(draw(st.lists(DATES, min_size=m, max_size=m)), pa.date32()),
        "actor": _codes(draw(st.lists(TEXT, min_size=m, max_size=m))),
        "note": pa.array(draw(st.lists(TEXT, min_size=m, max_size=m)), pa.string())})
    k = draw(st.integers(0, 4))
    contract_ids = [f"k-{i}" for i in range(k)]
    contracts = pa.table({
        "municipality_code": _codes([CODE] * k), "contract_id": contract_ids,
        "title": pa.array(draw(st.lists(TEXT, min_size=k, max_size=k)), pa.string()),
        "contract_type": _codes(draw(st.lists(TEXT, min_size=k, max_size=k))),
        "procurement_method": _codes(draw(st.lists(TEXT, min_size=k, max_size=k))),
        "contractor": pa.array(draw(st.lists(TEXT, min_size=k, max_size=k)), pa.string()),
        "start_date": pa.array(draw(st.lists(DATES, min_size=k, max_size=k)), pa.date32()),
        "end_date": pa.array(draw(st.lists(DATES, min_size=k, max_size=k)), pa.date32()),
        "contract_amount": pa.array(draw(st.lists(st.one_of(st.none(), st.integers(0, 10**12)), min_size=k,
                                                  max_size=k)), pa.int64())})
    w = draw(st.integers(0, 8))
    work_orders = pa.table({
        "municipality_code": _codes([CODE] * w),
        "work_order_id": draw(st.lists(st.text("abcxyz-09", min_size=1, max_size=4), min_size=w, max_size=w,
                                       unique=True)),
        "contract_id": pa.array(draw(st.lists(st.one_of(st.none(), st.sampled_from([*contract_ids, "k-none"])),
                                              min_size=w, max_size=w)), pa.string()),
        "service_request_id": pa.array(draw(st.lists(st.one_of(st.none(), st.sampled_from([*ids, "", "c-none"])),
                                                     min_size=w, max_size=w)), pa.string()),
        "work_category": _codes(draw(st.lists(TEXT, min_size=w, max_size=w))),
        "order_date": pa.array(draw(st.lists(DATES, min_size=w, max_size=w)), pa.date32()),
        "completion_date": pa.array(draw(st.lists(DATES, min_size=w, max_size=w)), pa.date32()),
        "status": _codes(draw(st.lists(TEXT, min_size=w, max_size=w))),
        "amount": pa.array(draw(st.lists(st.one_of(st.none(), st.integers(-5, 10**10)), min_size=w, max_size=w)),
                           pa.int64())})
    return {"cases": pa.table(case), "actions": actions if m or draw(st.booleans()) else None,
            "work_orders": work_orders if w or draw(st.booleans()) else None,
            "contracts": contracts if k or draw(st.booleans()) else None}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies(), st.sampled_from(["光市", 'a "quoted"\nagency', ""]))
def test_generated_tables_give_the_reference_bytes(tables: dict[str, pa.Table | None], agency: str) -> None:
    made = columnar(tables, agency)
    assert made is not None
    assert made == reference(tables, agency)
    assert len(json.loads(made)) == tables["cases"].num_rows  # type: ignore[union-attr]


def test_the_sample_bodies_give_the_reference_bytes(bodies: list[Path]) -> None:
    for folder in bodies:
        code = folder.name[:6]
        tables = {r: parquet.read_typed(folder / f"{code}_{r}.csv", r) if (folder / f"{code}_{r}.csv").is_file()
                  else None for r in ("cases", "actions", "work_orders", "contracts")}
        made = columnar(tables, "光市")
        assert made is not None, folder.name
        assert made == reference(tables, "光市"), folder.name


def _small() -> dict[str, pa.Table | None]:
    cases = pa.table({c: pa.array([None, None], pa.string()) for c in open311_requests.CASE_COLUMNS})
    cases = cases.set_column(cases.schema.get_field_index("service_request_id"), "service_request_id",
                             pa.array(["c-1", "c-2"]))
    cases = cases.set_column(cases.schema.get_field_index("municipality_code"), "municipality_code",
                             pa.array([CODE, CODE]))
    actions = pa.table({"municipality_code": [CODE, CODE], "service_request_id": ["c-1", "c-1"], "step": [2, 1],
                        "action": ["received", "completed"], "action_date": [None, dt.date(2025, 4, 1)],
                        "actor": ["市", "市"], "note": ["b", "a"]})
    contracts = pa.table({"municipality_code": [CODE, CODE], "contract_id": ["k-1", "k-2"],
                          **{f: [None, None] for f in open311_requests.CONTRACT_FIELDS if f != "contract_id"}})
    orders = pa.table({"municipality_code": [CODE], "work_order_id": ["w-1"], "contract_id": ["k-1"],
                       "service_request_id": ["c-2"],
                       **{f: [None] for f in open311_requests.ORDER_FIELDS
                          if f not in ("work_order_id", "contract_id")}})
    return {"cases": cases, "actions": actions, "work_orders": orders, "contracts": contracts}


@pytest.mark.parametrize("change", ["a null step", "a repeated contract", "a separator in an id", "a missing column"])
def test_unusual_tables_are_left_to_the_reference(change: str, tmp_path: Path) -> None:
    tables = _small()
    assert columnar(tables) == reference(tables)  # the usual case first
    actions, contracts, cases = tables["actions"], tables["contracts"], tables["cases"]
    assert actions is not None and contracts is not None and cases is not None
    if change == "a null step":
        tables["actions"] = actions.set_column(2, "step", pa.array([None, 1], pa.int64()))
    elif change == "a repeated contract":
        tables["contracts"] = pa.concat_tables([contracts, contracts.slice(0, 1)])
    elif change == "a separator in an id":
        index = cases.schema.get_field_index("service_request_id")
        tables["cases"] = cases.set_column(index, "service_request_id", pa.array(["c\x1f1", "c-2"]))
    else:
        tables["cases"] = cases.drop_columns(["town"])
    assert columnar(tables) is None
    if change != "a null step" and change != "a missing column":  # the reference cannot sort a null step either
        written = open311.write(tmp_path, {}, "光市", tables)  # type: ignore[arg-type]
        assert (tmp_path / written[1]).read_bytes() == reference(tables)
