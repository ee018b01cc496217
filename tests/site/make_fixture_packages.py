"""Writes tests/fixtures/packages/: a tiny, FAKE set of published packages in the pipeline's contract.

Run `.venv/bin/python tests/site/make_fixture_packages.py` and commit the result; the site tests
read the committed files so that they do not depend on the pipeline.
"""

import csv
import hashlib
import io
import json
import random
import shutil
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jismesh.utils as mesh

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from pipeline import metrics, reference, schema  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "packages"
RUN_DATE = date(2025, 11, 20)
CREATED = "2025-11-20T03:00:00+09:00"
FIRST_DAY = date(2024, 4, 1)
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0 International"}

BODIES = {
    "350001": ("yamaguchi", 24, ["周南市久米", "下松市末武上", "周南市富田", "下松市生野屋"]),
    "352071": ("kudamatsu", 30, ["末武上", "末武中", "東豊井", "西豊井", "花岡", "生野屋"]),
    "352152": ("shunan", 32, ["徳山", "富田", "久米", "熊毛", "鹿野", "新南陽"]),
}
CONTRACTORS = ["周南道路株式会社", "下松建設工業", "光陽土木有限会社", "山口舗装株式会社"]
DESCRIPTIONS = [
    "道路に穴があいていて自転車が危ない。",
    "側溝のふたががたついている。",
    "街路灯が夜になっても点かない。",
    "カーブミラーの向きがずれている。",
    "歩道の草が伸びて通りにくい。",
    "〔個人名〕さん宅の前の舗装がひび割れている。",
    "倒木が道をふさいでいる。",
    "",
]
# why: resident text is hostile; these must come out escaped and unevaluated on every page.
PAYLOADS = [
    "<script>alert('x')</script>穴ぼこ",
    "{{7*7}} と {% raw %} のある通報",
    "${alert(1)} と `テンプレート` の通報",
    "\"><img src=x onerror=alert(1)> 側溝",
    "javascript:alert(1) {% 壊れたタグ",
]
CATEGORY_WEIGHTS = {"pothole": 6, "pavement": 3, "weeding": 4, "fallen_tree": 1, "drainage": 3,
                    "street_light": 3, "traffic_mirror": 2, "guardrail": 1, "sign": 1, "other": 1}
STATUS_WEIGHTS = {"completed": 12, "in_progress": 3, "received": 2, "declined": 3, "referred": 2,
                  "monitoring": 1}


def request_id(code: str, n: int) -> str:
    """Deterministic pseudonymous case ID in the published pattern."""
    return "c-" + hashlib.sha256(f"{code}-{n}".encode()).hexdigest()[:16]


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def cases_for(code: str, count: int, towns: list[str], office: tuple[float, float],
              rng: random.Random) -> list[dict[str, Any]]:
    """Fake cases for one body, one dict per row in schema order."""
    rows = []
    span = (RUN_DATE - FIRST_DAY).days
    for n in range(count):
        requested = FIRST_DAY + timedelta(days=rng.randrange(span))
        status = pick(rng, STATUS_WEIGHTS)
        category = pick(rng, CATEGORY_WEIGHTS)
        first = requested + timedelta(days=rng.randrange(0, 6)) if status != "received" else None
        closed = None
        if status in {"completed", "declined", "referred"}:
            closed = (first or requested) + timedelta(days=rng.randrange(1, 60))
            closed = min(closed, RUN_DATE)
        lat = office[0] + rng.uniform(-0.04, 0.04)
        lon = office[1] + rng.uniform(-0.05, 0.05)
        located = n % 9 != 4
        mesh_code = mesh.to_meshcode(lat, lon, 5) if located else None
        centre = mesh.to_meshpoint(mesh_code, 0.5, 0.5) if mesh_code else None
        text = DESCRIPTIONS[n % len(DESCRIPTIONS)]
        if code == "352152" and n < len(PAYLOADS):
            text = PAYLOADS[n]
        rows.append({
            "municipality_code": code,
            "service_request_id": request_id(code, n),
            "requested_date": requested.isoformat(),
            "fiscal_year": requested.year if requested.month >= 4 else requested.year - 1,
            "infrastructure": "road",
            "category": category,
            "channel": rng.choice(["app", "phone", "counter", "web"]),
            "road_administrator": "prefecture" if code == "350001" else "municipal",
            "status": status,
            "first_response_date": first.isoformat() if first else "",
            "closed_date": closed.isoformat() if closed else "",
            "resolution": rng.choice(["repaired", "temporary_repair", "cleared"])
            if status == "completed" else "",
            "decline_reason": rng.choice(["private_property", "no_defect", "budget", "standard_met"])
            if status == "declined" else "",
            "referred_to": ("prefecture" if code != "350001" else "municipality")
            if status == "referred" else "",
            "referred_to_code": ("350001" if code != "350001" else "352152") if status == "referred" else "",
            "reopened": "true" if n % 17 == 3 else "false",
            "duplicate_of": "",
            "town": "{{7*7}}町" if code == "352152" and n == 1 else towns[n % len(towns)],
            "mesh_code": mesh_code or "",
            "mesh_level": "quarter" if located else "municipality",
            "latitude": f"{centre[0]:.6f}" if centre else "",
            "longitude": f"{centre[1]:.6f}" if centre else "",
            "description": text,
            "description_status": ("redacted" if "〔" in text else "published") if text else "empty",
            "status_detail": "<b>対応済み</b> {{7*7}}" if code == "352152" and n == 2 else
            ("補修を行いました。" if status == "completed" else ""),
        })
    return sorted(rows, key=lambda r: r["service_request_id"])


def actions_for(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Handling steps implied by each case's dates and status."""
    rows = []
    for case in cases:
        steps = [("received", case["requested_date"], "municipality")]
        if case["first_response_date"]:
            steps.append(("acknowledged", case["first_response_date"], "municipality"))
        if case["status"] in {"completed", "declined", "referred", "monitoring"} and case["closed_date"]:
            actor = "contractor" if case["status"] == "completed" else "municipality"
            steps.append((case["status"], case["closed_date"], actor))
        for step, (action, day, actor) in enumerate(steps, start=1):
            rows.append({"municipality_code": case["municipality_code"],
                         "service_request_id": case["service_request_id"], "step": step,
                         "action": action, "action_date": day, "actor": actor, "note": ""})
    return rows


def contracts_for(code: str) -> list[dict[str, Any]]:
    """A few contracts in the shape each body actually uses (see CONTEXT.md)."""
    base = {"municipality_code": code, "infrastructure": "road", "district": "",
            "procurement_method": "designated_tender", "estimated_price": ""}
    specs = {
        "350001": [("lump_sum", "general", "周南土木 道路維持業務（東地区）", 0, 48_400_000),
                   ("lump_sum", "general", "周南土木 道路維持業務（西地区）", 3, 39_600_000)],
        "352071": [("unit_price", "pavement", "市道舗装補修単価契約", 3, 22_000_000),
                   ("lump_sum", "general", "道路維持業務（第3四半期・北部）", 1, 6_600_000)],
        "352152": [("unit_price", "pavement", "市道舗装補修単価契約（徳山地区）", 0, 30_800_000),
                   ("per_job", "drainage", "側溝蓋修繕工事 <script>x</script>", 2, 1_320_000),
                   ("per_job", "lighting", "街路灯修繕 {{7*7}}", 1, 880_000)],
    }
    rows = []
    for n, (ctype, work, title, who, amount) in enumerate(specs[code], start=1):
        rows.append({**base, "contract_id": f"{code}-R7-{n:03d}", "fiscal_year": 2025, "title": title,
                     "work_category": work, "contract_type": ctype,
                     "procurement_method": "negotiated" if ctype == "per_job" else "open_tender",
                     "contractor": CONTRACTORS[who], "district": "東地区" if n == 1 else "",
                     "start_date": "2025-04-01", "end_date": "2026-03-31",
                     "contract_amount": amount, "estimated_price": amount + 1_100_000})
    return rows


def work_orders_for(code: str, contracts: list[dict[str, Any]], cases: list[dict[str, Any]],
                    rng: random.Random) -> list[dict[str, Any]]:
    """Work orders under the unit-price and per-job contracts, some linked to completed cases."""
    done = [c for c in cases if c["status"] == "completed" and c["fiscal_year"] == 2025]
    rows = []
    n = 0
    for contract in contracts:
        jobs = 1 if contract["contract_type"] == "per_job" else 4
        for _ in range(jobs):
            case = done[n % len(done)] if done else None
            n += 1
            ordered = date(2025, 4, 15) + timedelta(days=rng.randrange(0, 200))
            completed = ordered + timedelta(days=rng.randrange(3, 30))
            status = "completed" if completed <= RUN_DATE else "ordered"
            amount = contract["contract_amount"] if contract["contract_type"] == "per_job" else \
                rng.randrange(20, 400) * 1_100
            rows.append({
                "municipality_code": code, "work_order_id": f"{code}-W{n:04d}",
                "contract_id": contract["contract_id"],
                "service_request_id": case["service_request_id"] if case else "",
                "fiscal_year": 2025, "infrastructure": "road", "work_category": contract["work_category"],
                "order_date": ordered.isoformat(),
                "completion_date": completed.isoformat() if status == "completed" else "",
                "status": status, "amount": amount, "town": case["town"] if case else "",
                "mesh_code": case["mesh_code"] if case else "",
                "mesh_level": case["mesh_level"] if case else "none",
            })
    return rows


def metrics_for(tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The metrics of the combined tables, computed by the pipeline itself (with its suppression)."""
    frames = {name: pd.DataFrame(rows, columns=schema.field_names(name)).fillna("").astype(str)
              for name, rows in tables.items()}
    since = {code: FIRST_DAY.isoformat() for code in BODIES}
    computed = metrics.compute_metrics(frames, reference.municipalities(), RUN_DATE, data_since=since,
                                       yearly=reference.yearly_figures(), coverage=reference.coverage(),
                                       yearly_sources=reference.YEARLY_SOURCES)
    return metrics.to_text(computed).astype(object).where(lambda f: f.notna(), "").to_dict("records")


def metric_definitions() -> dict[str, Any]:
    """The published definitions file."""
    return metrics.definitions_document()


def csv_text(name: str, rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    """Rows -> published CSV text (UTF-8, LF, header, schema column order)."""
    buffer = io.StringIO()
    fieldnames = columns or schema.field_names(name)
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_package(folder: Path, name: str, prefix: str, title: tuple[str, str],
                  tables: dict[str, list[dict[str, Any]]], synthetic_note: dict[str, Any],
                  extra_files: dict[str, bytes] | None = None) -> None:
    """One package folder: CSVs, excel/ copies, datapackage.json and the whole-package zip."""
    folder.mkdir(parents=True)
    (folder / "excel").mkdir()
    resources = []
    for res, rows in tables.items():
        text = csv_text(res, rows)
        path = f"{prefix}_{res}.csv"
        (folder / path).write_text(text, encoding="utf-8", newline="")
        (folder / "excel" / path).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
        table_schema = schema.load(res)
        resources.append({"name": res, "path": path, "type": "table", "scheme": "file", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "schema": table_schema})
    for extra, content in (extra_files or {}).items():
        (folder / extra).write_bytes(content)
    descriptor = {
        "name": name, "title": title[0], "title_en": title[1],
        "description": f"{title[0]}の道路維持管理に関する市民通報・対応・契約・作業（テスト用の架空データ）",
        "description_en": f"Resident reports, handling, contracts and work orders of {title[1]}"
                          " (fake test data)",
        "licenses": [LICENSE],
        "sources": [{"title": "テスト用の架空データ / fake fixture data",
                     "path": "tests/site/make_fixture_packages.py"}],
        "version": "1.0.0", "created": CREATED, "mieruka": synthetic_note, "resources": resources,
    }
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with zipfile.ZipFile(folder / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for member in ["datapackage.json", *(r["path"] for r in resources), *sorted(extra_files or {})]:
            info = zipfile.ZipInfo(f"{name}/{member}", date_time=(2025, 11, 20, 3, 0, 0))
            archive.writestr(info, (folder / member).read_bytes(), zipfile.ZIP_DEFLATED)


def main() -> None:
    """Rebuild the fixture folder from scratch."""
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    munis = reference.municipalities().fillna("").to_dict("records")
    by_code = {m["municipality_code"]: m for m in munis}
    combined: dict[str, list[dict[str, Any]]] = {
        r: [] for r in ("cases", "actions", "contracts", "work_orders")}
    bodies = []
    for code, (slug, count, towns) in BODIES.items():
        rng = random.Random(int(code))
        muni = by_code[code]
        office = (float(muni["office_latitude"]), float(muni["office_longitude"]))
        cases = cases_for(code, count, towns, office, rng)
        contracts = contracts_for(code)
        tables = {"cases": cases, "actions": actions_for(cases), "contracts": contracts,
                  "work_orders": work_orders_for(code, contracts, cases, rng), "municipalities": [muni]}
        note = {"synthetic": True,
                "anonymization": {"method": "mesh generalization and text scrubbing",
                                  "parameters": {"mesh_level": "quarter", "k": 3},
                                  "redactions": {"person_name": 1 + count // 10, "phone": 1}},
                "quarantined_rows": 1 if code == "352071" else 0, "data_since": FIRST_DAY.isoformat()}
        write_package(OUT / f"{code}_{slug}", f"{code}_{slug}", code, (muni["name_ja"], muni["name_en"]),
                      tables, note)
        for res in combined:
            combined[res].extend(tables[res])
        stale = code == "352071"
        bodies.append({
            "code": code, "package": f"{code}_{slug}", "status": "stale" if stale else "published",
            "last_good": "2025-11-18" if stale else RUN_DATE.isoformat(),
            "rows": {res: len(rows) for res, rows in tables.items()},
            "quarantined": note["quarantined_rows"],
            "changes": {"cases": {"added": 3, "changed": 2, "removed": 0},
                        "work_orders": {"added": 1, "changed": 0, "removed": 0}},
        })
    bodies.append({"code": "352101", "package": "352101_hikari", "status": "failed", "last_good": None,
                   "rows": {}, "quarantined": 0, "changes": {}})
    combined_tables = {**combined, "municipalities": munis, "metrics": metrics_for(combined)}
    definitions = json.dumps(metric_definitions(), ensure_ascii=False, indent=2) + "\n"
    write_package(OUT / "350001_yamaguchi_all", "350001_yamaguchi_all", "350001_all",
                  ("山口県内の全団体", "All bodies in Yamaguchi Prefecture"), combined_tables,
                  {"synthetic": True, "anonymization": {"method": "see each body's package"},
                   "quarantined_rows": 1, "metric_definitions": "350001_all_metric_definitions.json",
                   "data_since": {code: FIRST_DAY.isoformat() for code in BODIES}},
                  extra_files={"350001_all_metric_definitions.json": definitions.encode()})
    run = {"run_date": RUN_DATE.isoformat(), "synthetic": True, "bodies": bodies}
    (OUT / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
