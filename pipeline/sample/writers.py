"""Write synthetic tables in each body's own export format, by inverting its adapter.

The adapter says how to read a body's files; read backwards it says how to write them, so
the sample and the adapters cannot drift apart.
"""

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from .. import intake
from ..adapter import Adapter, Source, value_map
from ..wareki import format_wareki
from .generate import Tables

# Where each sample body keeps personal data in its export (real exports do), by intake column.
PII_COLUMNS: dict[str, dict[str, str]] = {
    "350001": {"通報者": "reporter_name", "連絡先": "reporter_phone", "所在地": "address"},
    "352071": {"通報者氏名": "reporter_name", "電話番号": "reporter_phone", "住所": "address"},
    "352101": {"contact.name": "reporter_name", "contact.phone": "reporter_phone",
               "contact.email": "reporter_email", "address": "address"},
    "352152": {"reporter_name": "reporter_name", "reporter_phone": "reporter_phone",
               "reporter_email": "reporter_email", "address": "address"},
}
# How each body writes dates in its files.
DATE_STYLE = {"350001": "excel", "352071": "wareki", "352101": "slash", "352152": "iso"}


def to_source(frame: pd.DataFrame, resource: str, adapter: Adapter, source: Source) -> pd.DataFrame:
    """Intake-coded frame -> the body's own columns and words (dates stay ISO here)."""
    out = pd.DataFrame(index=frame.index)
    dates = {c.name for c in intake.columns(resource) if c.kind == "date"}
    for src, dst in source.columns.items():
        column = frame[dst] if dst in frame.columns else pd.Series("", index=frame.index)
        words = _first_words(value_map(adapter, resource, dst))
        if words:
            column = column.map(lambda v, w=words: w.get(v, v) if isinstance(v, str) else v)
        if dst == "reopened":
            column = column.map({True: "有", False: ""}) if adapter.code != "352101" else column
        out[src] = column if dst not in dates else column.map(lambda v: "" if v is None else str(v))
    if resource in ("cases", "work_orders"):
        for src, private in PII_COLUMNS.get(adapter.code, {}).items():
            if private in frame.columns and src not in out.columns:
                out[src] = frame[private]
    return out.fillna("")


def _first_words(mapping: dict[str, str]) -> dict[str, str]:
    words: dict[str, str] = {}
    for word, code in mapping.items():
        words.setdefault(code, word)
    return words


def _style_dates(frame: pd.DataFrame, resource: str, source: Source, style: str) -> pd.DataFrame:
    dates = {src for src, dst in source.columns.items()
             if any(c.name == dst and c.kind == "date" for c in intake.columns(resource))}
    out = frame.copy()
    for column in dates:
        out[column] = out[column].map(lambda v: _format_date(v, style))
    return out


def _format_date(value: Any, style: str) -> Any:
    if not value:
        return ""
    text = str(value)
    day = dt.date.fromisoformat(text[:10])
    if style == "wareki":
        return format_wareki(day)
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}" + (text[10:] if len(text) > 10 else "")
    if style == "excel":
        return dt.datetime.fromisoformat(text) if len(text) > 10 else day
    return text


def write(adapter: Adapter, tables: Tables, out: Path) -> list[Path]:
    """Write one body's export files into `out`; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    style = DATE_STYLE.get(adapter.code, "iso")
    # why: JSON APIs (Open311) carry ISO 8601 whatever the body's spreadsheets do.
    frames = {res: _style_dates(to_source(getattr(tables, res), res, adapter, src), res, src,
                                "iso" if src.format in ("json", "open311") else style)
              for res, src in adapter.sources.items()}
    written: list[Path] = []
    if adapter.code == "352101":
        written.append(_write_open311(out / adapter.sources["cases"].file, tables, frames["cases"]))
        frames = {k: v for k, v in frames.items() if adapter.sources[k].format == "csv"}
    xlsx = {res: f for res, f in frames.items() if adapter.sources[res].format == "xlsx"}
    if xlsx:
        written.append(_write_xlsx(out / adapter.sources["cases"].file, adapter, xlsx))
    for res, frame in frames.items():
        source = adapter.sources[res]
        if source.format == "csv":
            written.append(_write_csv(out / source.file, frame, source))
    return sorted(set(written))


def _write_csv(path: Path, frame: pd.DataFrame, source: Source) -> Path:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\r\n" if source.encoding == "cp932" else "\n")
    codec = {"utf-8-sig": "utf-8-sig", "cp932": "cp932"}.get(source.encoding, "utf-8")
    path.write_bytes(buffer.getvalue().encode(codec))
    return path


def _write_xlsx(path: Path, adapter: Adapter, frames: dict[str, pd.DataFrame]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    titles = {"cases": "道路通報一覧", "actions": "対応経過一覧", "contracts": "維持管理委託契約一覧",
              "work_orders": "作業一覧"}
    for res, frame in frames.items():
        sheet = book.create_sheet(adapter.sources[res].sheet or res)
        sheet.append([f"{titles[res]}（山口県土木建築部）"])
        sheet.append([])
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([_excel_value(v) for v in row])
    # why: openpyxl stamps the workbook with the current time; fix it for byte-stable samples.
    book.properties.created = book.properties.modified = dt.datetime(2026, 4, 5)  # noqa: DTZ001
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_fixed_zip_times(buffer.getvalue()))
    return path


def _fixed_zip_times(workbook: bytes) -> bytes:
    """The workbook with every zip entry and its 'modified' property dated 2026-04-05. why: openpyxl dates
    both with the time of saving, so a regenerated sample would differ from last night's and rebuild all."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, (2026, 4, 5, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = entry.compress_type, entry.external_attr
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-04-05T00:00:00Z", data)
            target.writestr(fixed, data)
    return out.getvalue()


def _excel_value(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit() and len(value) < 12:
        return int(value)
    return value


def _write_open311(path: Path, tables: Tables, cases: pd.DataFrame) -> Path:
    notes: dict[str, list[dict[str, str]]] = {}
    actions = tables.actions
    words = {"received": "opened", "acknowledged": "acknowledged", "inspected": "inspection",
             "work_ordered": "work_order", "started": "started", "completed": "closed", "referred": "referred",
             "declined": "rejected", "monitoring": "on_hold", "reopened": "reopened"}
    actors = {"municipality": "staff", "prefecture": "prefecture", "contractor": "contractor", "other": "other"}
    for action in actions.to_dict("records"):
        notes.setdefault(action["case_number"], []).append({
            "datetime": f"{action['action_date']}T09:00:00+09:00", "type": words[action["action"]],
            "author_type": actors[action["actor"]], "summary": action["note"]})
    records = []
    for row in cases.to_dict("records"):
        record: dict[str, Any] = {"extended_attributes": {}, "contact": {}}
        for key, value in row.items():
            target = record
            parts = str(key).split(".")
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
        case = record["service_request_id"]
        record["status"] = "closed" if record["extended_attributes"].get("closed_datetime") else "open"
        record["service_name"] = record["service_code"]
        record["requested_datetime"] = _iso_jst(record["requested_datetime"])
        for key in ("first_response_datetime", "closed_datetime"):
            record["extended_attributes"][key] = _iso_jst(record["extended_attributes"].get(key, ""))
        record["agency_responsible"] = "光市 道路河川管理課"
        record["lat"] = float(record["lat"]) if record["lat"] != "" else None
        record["long"] = float(record["long"]) if record["long"] != "" else None
        record["notes"] = notes.get(case, [])
        records.append(record)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _iso_jst(value: str) -> str:
    if not value:
        return ""
    time = value[11:16] if len(value) > 11 else "09:00"
    return f"{value[:10]}T{time}:00+09:00"
