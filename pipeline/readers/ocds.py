"""Open Contracting Data Standard (OCDS 1.1) releases and records -> one row per award.

Read as plain JSON by the OCDS 1.1 release schema's field names: a release package (`releases`), a record
package (`records`, each with its `compiledRelease`, else its embedded releases), a single release, or a
list of releases. Real publications are not always schema-clean (a `tag` string instead of a list, extra
fields): only the fields below are read, and a missing one is an empty cell.

Columns of each row: `ocid`, `release.id`, `release.date`, `release.tag`, `language`, `buyer.name`,
`tender.*` (flattened), `award.id`, `award.title`, `award.description`, `award.status`, `award.date`,
`award.value.amount`, `award.value.currency`, `award.contractPeriod.startDate`, `award.contractPeriod.endDate`,
`award.suppliers` (names joined with '; '), `award.suppliers.count`, `award.items` (descriptions joined with
' / '), `contract.id`, `contract.title`, `contract.dateSigned`, `contract.period.startDate`,
`contract.period.endDate`, `contract.value.amount`, `contract.value.currency` (the first contract whose
`awardID` is the award's), and `subject` (a list some publishers add, joined with '; ').
An award that a later release of the same ocid updates is marked `_superseded` and left out at ingest.
"""

import json
from typing import Any

import pandas as pd

from ..jsonlines import object_lines
from ..problems import ExportError
from .columns import RECORD, ROW, SUPERSEDED


def _flat(value: Any, prefix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(_flat(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            out[prefix] = "; ".join("" if v is None else str(v) for v in value)
    else:
        out[prefix] = "" if value is None else str(value)
    return out


def releases_of(document: Any) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """(path in the document, release) for every release the document holds."""
    if isinstance(document, list):
        return [((i,), r) for i, r in enumerate(document) if isinstance(r, dict)]
    if not isinstance(document, dict):
        return []
    if isinstance(document.get("releases"), list):
        return [(("releases", i), r) for i, r in enumerate(document["releases"]) if isinstance(r, dict)]
    if isinstance(document.get("records"), list):
        found: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        for i, record in enumerate(document["records"]):
            if not isinstance(record, dict):
                continue
            if isinstance(record.get("compiledRelease"), dict):
                found.append((("records", i, "compiledRelease"), record["compiledRelease"]))
            else:
                found += [(("records", i, "releases", j), r) for j, r in enumerate(record.get("releases") or [])
                          if isinstance(r, dict) and "awards" in r]
        return found
    if "ocid" in document:
        return [((), document)]
    return []


def _row(release: dict[str, Any], award: dict[str, Any]) -> dict[str, str]:
    tag = release.get("tag")
    row = {"ocid": str(release.get("ocid") or ""), "release.id": str(release.get("id") or ""),
           "release.date": str(release.get("date") or ""),
           "release.tag": "; ".join(tag) if isinstance(tag, list) else str(tag or ""),
           "language": str(release.get("language") or ""),
           "buyer.name": str((release.get("buyer") or {}).get("name") or "")}
    row.update(_flat(release.get("tender") or {}, "tender"))
    row.update(_flat({k: v for k, v in award.items() if k not in ("suppliers", "items", "documents")}, "award"))
    suppliers = [s for s in award.get("suppliers") or [] if isinstance(s, dict)]
    row["award.suppliers"] = "; ".join(str(s.get("name") or "") for s in suppliers)
    row["award.suppliers.count"] = str(len(suppliers))
    items = [i for i in award.get("items") or [] if isinstance(i, dict)]
    row["award.items"] = " / ".join(str(i.get("description") or "").strip() for i in items)
    contract = next((c for c in release.get("contracts") or []
                     if isinstance(c, dict) and str(c.get("awardID")) == str(award.get("id"))), {})
    row.update(_flat({k: v for k, v in contract.items() if k not in ("items", "documents", "implementation")},
                     "contract"))
    subject = release.get("subject")
    row["subject"] = "; ".join(map(str, subject)) if isinstance(subject, list) else str(subject or "")
    return row


def read_ocds(text: str, name: str) -> pd.DataFrame:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(name, f"broken JSON: {exc.msg}", row=exc.lineno) from exc
    found = releases_of(document)
    if not found:
        raise ExportError(name, "no OCDS release found: expected a release or record package, a release, "
                                "or a list of releases")
    lines = object_lines(text)
    rows = []
    for number, (path, release) in enumerate(found, start=1):
        awards = release.get("awards") or []
        if not isinstance(awards, list):
            raise ExportError(name, f"release {number}: 'awards' is not a list", row=lines.get(path, 1))
        for index, award in enumerate(awards):
            extra = {} if isinstance(award, dict) else {"_not_an_object": json.dumps(award)[:200]}
            row = {ROW: lines.get((*path, "awards", index), lines.get(path, 1)),
                   RECORD: f"release {number}, award {index + 1}",
                   **_row(release, award if isinstance(award, dict) else {"id": f"#{index + 1}"}), **extra}
            rows.append(row)
    frame = pd.DataFrame(rows).fillna("")
    if frame.empty:
        return frame
    # why: releases update each other; the award of the latest release of an ocid is the current one
    latest = frame.groupby(["ocid", "award.id"])["release.date"].transform("max")
    dupes = frame.duplicated(["ocid", "award.id", "release.date"], keep="last")
    frame[SUPERSEDED] = ((frame["release.date"] != latest) | dupes).map({True: "true", False: ""})
    return frame
