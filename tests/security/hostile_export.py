"""A raw export in the standard intake format whose every free field carries a script-injection payload.

The synthetic sample of 周南市 (standard intake format) is written first, then payloads from
fixtures/xss_payloads.txt go into each field a municipality or a resident controls: case descriptions
and status details, action notes, town names, contract titles, contractors, districts, contract and
work order identifiers. The rest of each row stays valid, so the pipeline publishes it.
"""

import csv
import io
from pathlib import Path

from pipeline.sample import SAMPLE_MARKER, write_sample

PAYLOADS_FILE = Path(__file__).parent / "fixtures" / "xss_payloads.txt"
CODE = "352152"
BODY = "352152_shunan"
# why: town names are cut at the first digit and at 40 characters before publication.
TOWN_PAYLOADS = ('"><svg onload=alert(document.domain)>', "<img src=x onerror=window.__pwned=true>",
                 "＜script＞window.__pwned=true＜/script＞")
DISTRICT_LIMIT = 60  # the published limit: longer payloads go into titles and contractor names
ID_PAYLOADS = ('"><svg/onload=window.__pwned=1>', "<img src=x onerror=alert(1)>",
               "</script><script>alert(1)</script>")


def payloads() -> list[str]:
    """The payload corpus, one per non-comment line."""
    lines = PAYLOADS_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("# ")]


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def write_hostile_export(raw: Path, scale: float = 1.0) -> list[str]:
    """Write the hostile raw folder raw/352152_shunan/ (plus the sample marker); returns the payloads."""
    corpus = payloads()
    write_sample(raw, (CODE,), scale=scale)
    (raw / SAMPLE_MARKER).write_text("synthetic sample with hostile text\n", encoding="utf-8")
    folder = raw / BODY
    _poison_cases(folder / "cases.csv", corpus)
    _poison_actions(folder / "actions.csv", corpus)
    renamed = _poison_contracts(folder / "contracts.csv", corpus)
    _poison_work_orders(folder / "work_orders.csv", corpus, renamed)
    return corpus


def _poison_cases(path: Path, corpus: list[str]) -> None:
    header, rows = _read(path)
    towns = sorted({r["town"] for r in rows if r["town"]}, key=lambda t: (-sum(r["town"] == t for r in rows), t))
    hostile_town = dict(zip(towns, TOWN_PAYLOADS, strict=False))  # the most frequent towns pass the k rule
    for i, row in enumerate(rows):
        row["description"] = corpus[i % len(corpus)]
        row["status_detail"] = corpus[(i + 7) % len(corpus)]
        row["town"] = hostile_town.get(row["town"], row["town"])
    _write(path, header, rows)


def _poison_actions(path: Path, corpus: list[str]) -> None:
    header, rows = _read(path)
    for i, row in enumerate(rows):
        row["note"] = corpus[(i + 13) % len(corpus)]
    _write(path, header, rows)


def _poison_contracts(path: Path, corpus: list[str]) -> dict[str, str]:
    header, rows = _read(path)
    short = [p for p in corpus if len(p) <= DISTRICT_LIMIT]
    renamed = {}
    for i, row in enumerate(rows):
        row["title"] = corpus[i % len(corpus)]
        row["contractor"] = corpus[(i + 3) % len(corpus)]
        row["district"] = short[(i + 5) % len(short)]
        if i < len(ID_PAYLOADS):
            renamed[row["contract_id"]] = ID_PAYLOADS[i]
            row["contract_id"] = ID_PAYLOADS[i]
    _write(path, header, rows)
    return renamed


def _poison_work_orders(path: Path, corpus: list[str], renamed: dict[str, str]) -> None:
    header, rows = _read(path)
    for i, row in enumerate(rows):
        row["contract_id"] = renamed.get(row["contract_id"], row["contract_id"])
        if i % 10 == 0:
            row["work_order_id"] = f"{ID_PAYLOADS[(i // 10) % len(ID_PAYLOADS)]}-{i}"
    _write(path, header, rows)
