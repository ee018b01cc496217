"""JSON exports (plain lists of records, Open311) -> a frame of text cells, nested objects flattened."""

import json
from typing import Any

import pandas as pd

from ..adapter import Source
from ..jsonlines import object_lines
from ..problems import ExportError
from .columns import NOT_AN_OBJECT, RECORD, ROW


def read_json(text: str, source: Source, name: str) -> pd.DataFrame:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(name, f"broken JSON: {exc.msg}", row=exc.lineno) from exc
    records = document
    base: tuple[Any, ...] = ()
    if isinstance(document, dict):
        key = source.record_path or next((k for k, v in document.items() if isinstance(v, list)), None)
        records = document.get(key) if key else None
        base = (key,)
    if not isinstance(records, list):
        raise ExportError(name, "no list of records found in the JSON document")
    lines = object_lines(text)
    rows: list[dict[str, Any]] = []
    for number, record in enumerate(records, start=1):
        line = lines.get((*base, number - 1), 1)
        if not isinstance(record, dict):
            raise ExportError(name, f"record {number} is not an object", row=line)
        flat = _flatten(record)
        if source.explode is None:
            rows.append({ROW: line, RECORD: f"record {number}", **flat})
            continue
        items = record.get(source.explode) or []
        if not isinstance(items, list):
            raise ExportError(name, f"record {number}: {source.explode!r} is not a list", row=line)
        parent = {f"parent.{k}": v for k, v in flat.items() if not k.startswith(source.explode)}
        for index, item in enumerate(items):
            at = lines.get((*base, number - 1, source.explode, index), line)
            label = f"record {number}, {source.explode} item {index + 1}"
            # why: an item that is not an object is still a row, so that it is quarantined, not lost
            fields = _flatten(item) if isinstance(item, dict) else {NOT_AN_OBJECT: json.dumps(item)[:200]}
            rows.append({ROW: at, RECORD: label, **parent, **fields})
    frame = pd.DataFrame(rows)
    # why: a key that one record leaves out is an empty cell, not the text 'nan'
    text_columns = [c for c in frame.columns if c != ROW]
    if frame.empty:
        return frame
    return frame.fillna(dict.fromkeys(text_columns, "")).astype(dict.fromkeys(text_columns, str))


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            continue
        else:
            flat[name] = "" if value is None else str(value)
    return flat
