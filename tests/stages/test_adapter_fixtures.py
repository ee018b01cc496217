"""Hand-made exports for the xlsx and Open311 adapter kinds, written from each format's own description
(not by the sample writer), read through ingest and normalize; every expected value is written by hand.

- Open311: a `requests.json` as the GeoReport v2 specification's GET Service Requests response gives it
  (an array of requests: service_request_id, status, status_notes, service_name, service_code,
  description, agency_responsible, service_notice, requested_datetime, updated_datetime,
  expected_datetime, address, address_id, zipcode, lat, long, media_url), with the `extended_attributes`
  and `notes` of the extensions=true form (Chicago's published extension), read with Hikari's adapter.
- xlsx: the workbook pipeline/adapters/350001_yamaguchi.toml describes (one sheet per table, a title
  line and a blank line above the header on row 3; dates as Excel dates, era dates, serials and
  slashes), built cell by cell with openpyxl, read with Yamaguchi prefecture's adapter.
"""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline import build, wareki

D = dt.date


def _rows(table: Any) -> list[dict[str, Any]]:
    """The normalized frame's values with missing ones as None (pandas' NaN/NaT/None alike).

    The positions (_row = the file line, _record, _file, _key) are checked by the quarantine tests."""
    return [{k: (None if v is None or v != v else v) for k, v in row.items() if not k.startswith("_")}
            for row in table.frame.to_dict(orient="records")]


def _body(raw: Path, folder: str) -> tuple[dict[str, Any], Any]:
    adapter, path = next((a, f) for a, f in build.find_bodies(raw) if f.name == folder)
    tables, _files = build.read_body(adapter, path)
    return tables, adapter


# --- Open311 GeoReport v2 ---------------------------------------------------------------------------

REQUESTS = [
    {   # a closed pothole report with its timeline
        "service_request_id": "H-0001",
        "status": "closed",
        "status_notes": "補修済み",
        "service_name": "道路の穴",
        "service_code": "road-pothole",
        "description": "市道の舗装に穴があいている",
        "agency_responsible": "光市 道路河川管理課",
        "service_notice": "",
        "requested_datetime": "2025-04-10T08:30:00+09:00",
        "updated_datetime": "2025-04-18T16:00:00+09:00",
        "expected_datetime": None,
        "address": "光市浅江1丁目2番3号",
        "address_id": None,
        "zipcode": "743-0021",
        "lat": 33.9627,
        "long": 131.9421,
        "media_url": "https://example.org/photo/H-0001.jpg",
        "extended_attributes": {
            "channel": "app", "road_class": "市道", "detailed_status": "完了",
            "first_response_datetime": "2025-04-11T09:00:00+09:00", "closed_datetime": "2025-04-18T15:45:00+09:00",
            "resolution": "repaired", "decline_reason": "", "referred_to": "", "referred_to_code": "",
            "reopened": False, "duplicate_of": "", "area": "浅江",
        },
        "notes": [
            {"datetime": "2025-04-10T08:30:00+09:00", "type": "opened", "author_type": "staff", "summary": ""},
            {"datetime": "2025-04-11T09:00:00+09:00", "type": "inspection", "author_type": "staff",
             "summary": "現地確認"},
            {"datetime": "2025-04-18T15:45:00+09:00", "type": "closed", "author_type": "contractor",
             "summary": "補修完了"},
        ],
    },
    {   # an open report without coordinates (null: lat/long are optional in the specification), no notes yet
        "service_request_id": "H-0002",
        "status": "open",
        "status_notes": None,
        "service_name": "街路灯",
        "service_code": "streetlight",
        "description": "街灯が夜になってもつかない",
        "agency_responsible": "光市 道路河川管理課",
        "requested_datetime": "2025-04-12T19:05:00+09:00",
        "updated_datetime": "2025-04-12T19:05:00+09:00",
        "address": "光市室積2丁目",
        "lat": None,
        "long": None,
        "extended_attributes": {
            "channel": "phone", "road_class": "県道", "detailed_status": "他機関へ",
            "first_response_datetime": "2025-04-14T10:00:00+09:00", "closed_datetime": "",
            "resolution": "", "decline_reason": "", "referred_to": "prefecture", "referred_to_code": "350001",
            "reopened": True, "duplicate_of": "", "area": "室積",
        },
        "notes": [],
    },
]
CONTRACTS_CSV = ("契約番号,工事・業務名,工種,契約の種類,契約方法,請負者,場所,着工日,完成日,請負金額,予定価格\n"
                 "K7-001,令和7年度 市道維持補修業務,舗装,単価,一般競争,株式会社光建設,浅江,2025/4/1,2026/3/31,"
                 "\"12,100,000\",13000000\n")
WORK_ORDERS_CSV = ("明細番号,契約番号,通報番号,工種,発注日,完了日,状態,金額,場所,緯度,経度\n"
                   "M-001,K7-001,H-0001,舗装,2025/4/14,2025/4/18,完了,88000,浅江,33.9627,131.9421\n")


@pytest.fixture(scope="module")
def hikari(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    raw = tmp_path_factory.mktemp("open311")
    folder = raw / "352101_hikari"
    folder.mkdir()
    (folder / "requests.json").write_text(json.dumps(REQUESTS, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "契約.csv").write_text(CONTRACTS_CSV, encoding="utf-8-sig")
    (folder / "発注明細.csv").write_text(WORK_ORDERS_CSV, encoding="utf-8-sig")
    tables, _adapter = _body(raw, "352101_hikari")
    return tables


def test_open311_requests_become_cases(hikari: dict[str, Any]) -> None:
    assert hikari["cases"].problems == []
    assert _rows(hikari["cases"]) == [
        {"case_number": "H-0001", "received": D(2025, 4, 10), "infrastructure": "road",
         "category": "pothole", "channel": "app", "road_administrator": "municipal", "status": "completed",
         "first_response": D(2025, 4, 11), "closed": D(2025, 4, 18), "resolution": "repaired",
         "decline_reason": None, "referred_to": None, "referred_to_code": None, "reopened": False,
         "duplicate_of": None, "town": "浅江", "latitude": 33.9627, "longitude": 131.9421,
         "description": "市道の舗装に穴があいている", "status_detail": "補修済み", "fiscal_year": 2025},
        {"case_number": "H-0002", "received": D(2025, 4, 12), "infrastructure": "road",
         "category": "street_light", "channel": "phone", "road_administrator": "prefecture", "status": "referred",
         "first_response": D(2025, 4, 14), "closed": None, "resolution": None, "decline_reason": None,
         "referred_to": "prefecture", "referred_to_code": "350001", "reopened": True, "duplicate_of": None,
         "town": "室積", "latitude": None, "longitude": None, "description": "街灯が夜になってもつかない",
         "status_detail": None, "fiscal_year": 2025},
    ]


def test_open311_notes_become_actions_of_their_request(hikari: dict[str, Any]) -> None:
    assert hikari["actions"].problems == []
    assert _rows(hikari["actions"]) == [
        {"case_number": "H-0001", "action": "received", "action_date": D(2025, 4, 10),
         "actor": "municipality", "note": None},
        {"case_number": "H-0001", "action": "inspected", "action_date": D(2025, 4, 11),
         "actor": "municipality", "note": "現地確認"},
        {"case_number": "H-0001", "action": "completed", "action_date": D(2025, 4, 18),
         "actor": "contractor", "note": "補修完了"},
    ]


def test_open311_private_fields_never_leave_ingest(hikari: dict[str, Any]) -> None:
    for table in hikari.values():
        values = {str(v) for row in _rows(table) for v in row.values()}
        assert not any("1丁目2番3号" in v or "743-0021" in v or "example.org" in v for v in values)
        assert not {"address", "zipcode", "media_url", "agency_responsible"} & set(table.frame.columns)


def test_open311_contracts_and_work_orders_beside_it(hikari: dict[str, Any]) -> None:
    [contract] = _rows(hikari["contracts"])
    assert contract == {"contract_id": "K7-001", "title": "令和7年度 市道維持補修業務",
                        "infrastructure": "road", "work_category": "pavement", "contract_type": "unit_price",
                        "procurement_method": "open_tender", "contractor": "株式会社光建設", "district": "浅江",
                        "start_date": D(2025, 4, 1), "end_date": D(2026, 3, 31), "contract_amount": 12_100_000,
                        "estimated_price": 13_000_000, "bidders": None}
    [order] = _rows(hikari["work_orders"])
    assert order == {"work_order_id": "M-001", "contract_id": "K7-001", "case_number": "H-0001",
                     "infrastructure": "road", "work_category": "pavement", "order_date": D(2025, 4, 14),
                     "completion_date": D(2025, 4, 18), "status": "completed", "amount": 88_000, "town": "浅江",
                     "latitude": 33.9627, "longitude": 131.9421}


def test_an_open311_request_without_the_optional_coordinates_is_kept(tmp_path: Path) -> None:
    request = {k: v for k, v in REQUESTS[1].items() if k not in ("lat", "long")}
    folder = tmp_path / "352101_hikari"
    folder.mkdir()
    (folder / "requests.json").write_text(json.dumps([REQUESTS[0], request], ensure_ascii=False), encoding="utf-8")
    (folder / "契約.csv").write_text(CONTRACTS_CSV, encoding="utf-8-sig")
    (folder / "発注明細.csv").write_text(WORK_ORDERS_CSV, encoding="utf-8-sig")
    tables, _adapter = _body(tmp_path, "352101_hikari")
    assert tables["cases"].problems == []
    kept = [(r["case_number"], r["latitude"]) for r in _rows(tables["cases"])]
    assert kept == [("H-0001", 33.9627), ("H-0002", None)]


def test_an_open311_time_in_utc_is_dated_in_japan() -> None:
    # 2025-03-31T15:30Z is 2025-04-01 00:30 in Japan: the first day of fiscal year 2025
    assert wareki.parse_date("2025-03-31T15:30:00Z", ("iso",)) == D(2025, 4, 1)


# --- xlsx (Yamaguchi prefecture's register) ------------------------------------------------------------

SHEETS: dict[str, tuple[list[str], list[list[Any]]]] = {
    "通報": (["整理番号", "受付年月日", "施設", "区分", "受付手段", "道路管理者", "状況", "初回対応日", "終了日",
              "措置", "対応できない理由", "移管先", "移管先団体コード", "再開", "重複", "箇所（市町・町名）",
              "緯度", "経度", "内容", "経過", "通報者", "連絡先", "所在地"], [
        ["Y-0001", dt.datetime(2025, 4, 10), "道路", "ポットホール", "電話", "県道", "完了",  # noqa: DTZ001 (Excel: no zone)
         "令和7年4月11日", 45772,
         "補修", None, None, None, None, None, "束荷", 34.0796, 131.9166, "県道の舗装に穴があいている", "補修済み",
         "山田 太郎", "090-1234-5678", "光市束荷1234"],
        ["Y-0002", "2025/4/12", "河川", "倒木", "道路パトロール", "私有地", "対応不可", "R7.4.14", "2025-04-15",
         None, "私有地", None, None, "有", None, "室積", None, None, "川沿いの木が倒れている", None,
         "", "", ""],
    ]),
    "対応経過": (["整理番号", "区分", "年月日", "担当", "摘要"], [
        ["Y-0001", "受付", dt.date(2025, 4, 10), "土木建築事務所", None],
        ["Y-0001", "完了", "令和7年4月25日", "受託者", "舗装補修"],
        ["Y-0002", "対応不可", 45762, "土木建築事務所", "私有地のため"],
    ]),
    "委託契約": (["契約番号", "業務名", "施設", "業務区分", "契約方式", "入札方式", "受注者", "工区", "履行期間（自）",
                  "履行期間（至）", "契約額", "予定価格"], [
        ["R7-001", "令和7年度 周南東部 道路維持管理業務", "道路", "維持一般", "総価契約", "一般競争入札",
         "株式会社県央建設", "周南東部",
         dt.datetime(2025, 4, 1), "令和8年3月31日", 39705000, 45967488.0],  # noqa: DTZ001 (Excel: no zone)
    ]),
    "作業": (["作業番号", "契約番号", "整理番号", "施設", "作業区分", "指示日", "完了日", "状態", "金額",
              "箇所（市町・町名）"], [
        ["W-001", "R7-001", "Y-0001", "道路", "舗装", "2025/4/21", 45772, "完了", "86,000", "束荷"],
        ["W-002", "R7-001", None, "道路", "巡回", "令和7年5月1日", None, "指示済", None, "三井"],
    ]),
}


@pytest.fixture(scope="module")
def yamaguchi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from openpyxl import Workbook

    raw = tmp_path_factory.mktemp("xlsx")
    folder = raw / "350001_yamaguchi"
    folder.mkdir()
    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append([f"{name}（令和7年度）"])  # the title line
        sheet.append([])  # the blank line
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    book.save(folder / "道路維持管理データ.xlsx")
    tables, _adapter = _body(raw, "350001_yamaguchi")
    return tables


def test_xlsx_register_rows_become_cases(yamaguchi: dict[str, Any]) -> None:
    assert yamaguchi["cases"].problems == []
    assert _rows(yamaguchi["cases"]) == [
        {"case_number": "Y-0001", "received": D(2025, 4, 10), "infrastructure": "road",
         "category": "pothole", "channel": "phone", "road_administrator": "prefecture", "status": "completed",
         "first_response": D(2025, 4, 11), "closed": D(2025, 4, 25), "resolution": "repaired",
         "decline_reason": None, "referred_to": None, "referred_to_code": None, "reopened": False,
         "duplicate_of": None, "town": "束荷", "latitude": 34.0796, "longitude": 131.9166,
         "description": "県道の舗装に穴があいている", "status_detail": "補修済み", "fiscal_year": 2025},
        {"case_number": "Y-0002", "received": D(2025, 4, 12), "infrastructure": "river",
         "category": "fallen_tree", "channel": "patrol", "road_administrator": "private", "status": "declined",
         "first_response": D(2025, 4, 14), "closed": D(2025, 4, 15), "resolution": None,
         "decline_reason": "private_property", "referred_to": None, "referred_to_code": None, "reopened": True,
         "duplicate_of": None, "town": "室積", "latitude": None, "longitude": None,
         "description": "川沿いの木が倒れている", "status_detail": None, "fiscal_year": 2025},
    ]


def test_xlsx_actions_contracts_and_work_orders(yamaguchi: dict[str, Any]) -> None:
    assert _rows(yamaguchi["actions"]) == [
        {"case_number": "Y-0001", "action": "received", "action_date": D(2025, 4, 10),
         "actor": "prefecture", "note": None},
        {"case_number": "Y-0001", "action": "completed", "action_date": D(2025, 4, 25),
         "actor": "contractor", "note": "舗装補修"},
        {"case_number": "Y-0002", "action": "declined", "action_date": D(2025, 4, 15),
         "actor": "prefecture", "note": "私有地のため"},
    ]
    assert _rows(yamaguchi["contracts"]) == [
        {"contract_id": "R7-001", "title": "令和7年度 周南東部 道路維持管理業務", "infrastructure": "road",
         "work_category": "general", "contract_type": "lump_sum", "procurement_method": "open_tender",
         "contractor": "株式会社県央建設", "district": "周南東部", "start_date": D(2025, 4, 1),
         "end_date": D(2026, 3, 31), "contract_amount": 39_705_000, "estimated_price": 45_967_488, "bidders": None},
    ]
    assert _rows(yamaguchi["work_orders"]) == [
        {"work_order_id": "W-001", "contract_id": "R7-001", "case_number": "Y-0001",
         "infrastructure": "road", "work_category": "pavement", "order_date": D(2025, 4, 21),
         "completion_date": D(2025, 4, 25), "status": "completed", "amount": 86_000, "town": "束荷",
         "latitude": None, "longitude": None},
        {"work_order_id": "W-002", "contract_id": "R7-001", "case_number": None,
         "infrastructure": "road", "work_category": "patrol", "order_date": D(2025, 5, 1),
         "completion_date": None, "status": "ordered", "amount": None, "town": "三井",
         "latitude": None, "longitude": None},
    ]


def test_xlsx_personal_columns_never_leave_ingest(yamaguchi: dict[str, Any]) -> None:
    for table in yamaguchi.values():
        values = {str(v) for row in _rows(table) for v in row.values()}
        assert not any("山田" in v or "090-1234" in v or "束荷1234" in v for v in values)
