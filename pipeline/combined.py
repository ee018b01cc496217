"""The combined package: every published body in one package, with the benchmark metrics.

It is built only from the body packages already written tonight (published or carried over as
stale), never from raw data, so it cannot hold anything the body packages do not.
Layout: 350001_yamaguchi_all/350001_all_<resource>.csv, plus the metrics resource and the
machine-readable metric definitions (350001_all_metric_definitions.json).
"""

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from . import hardlink, metrics, package, reference, schema

PREFECTURE = "350001"
NAME = "350001_yamaguchi_all"
PREFIX = "350001_all"
DEFINITIONS_FILE = f"{PREFIX}_metric_definitions.json"


def read_package(directory: Path) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """A published package: its descriptor and its resources as text frames (empty cells are "")."""
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    tables = {r["name"]: pd.read_csv(directory / r["path"], dtype=str, keep_default_na=False)
              for r in descriptor["resources"]}
    return descriptor, tables


def combine(body_tables: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Body tables -> one table per resource (municipalities: the reference table of all bodies)."""
    out: dict[str, pd.DataFrame] = {"municipalities": reference.municipalities()}
    for resource in ("cases", "actions", "contracts", "work_orders"):
        frames = [t[resource] for t in body_tables if resource in t]
        columns = schema.field_names(resource)
        out[resource] = (pd.concat(frames, ignore_index=True) if frames
                         else pd.DataFrame(columns=columns))[columns]
    return out


def fingerprint(directories: list[Path], code: str, synthetic: bool, license_id: str) -> str:
    """The combined package depends only on the body packages, the code and these settings."""
    digest = hashlib.sha256(f"{code}\0{synthetic}\0{license_id}".encode())
    for directory in directories:
        digest.update(directory.name.encode() + b"\0" + (directory / "datapackage.json").read_bytes())
    return digest.hexdigest()


def _reuse(previous: Path | None, target: Path, print_: str) -> bool:
    if previous is None or package.recorded_fingerprint(previous / NAME) != print_:
        return False
    hardlink.copy_tree(previous / NAME, target)  # why: published files never change in place
    return True


def write(out_dir: Path, packages: list[str], run_date: dt.date, synthetic: bool,
          license_id: str = "CC-BY-4.0", previous: Path | None = None, code: str = "") -> Path:
    """Write the combined package of the given body packages into out_dir/NAME.

    When the body packages are the very ones the previous combined package was made from, it is
    carried over as is (a night without changes costs seconds)."""
    directories = [out_dir / name for name in sorted(packages)]
    print_ = fingerprint(directories, code, synthetic, license_id)
    if _reuse(previous, out_dir / NAME, print_):
        return out_dir / NAME
    read = [read_package(d) for d in directories]
    tables = combine([t for _, t in read])
    descriptors = [d for d, _ in read]
    data_since = {d["mieruka"]["municipality_code"]: d["mieruka"]["data_since"] for d in descriptors
                  if d.get("mieruka", {}).get("data_since")}
    typed = {name: frame for name, frame in tables.items() if name != "municipalities"}
    figures = metrics.compute_metrics(typed, tables["municipalities"], run_date, data_since=data_since)
    definitions = metrics.definitions_document()
    extra = {DEFINITIONS_FILE: (json.dumps(definitions, ensure_ascii=False, indent=2) + "\n").encode()}
    note_ja, note_en = package.synthetic_notes(synthetic)
    meta = package.package_meta(
        name=NAME, title=f"山口県内の道路等維持管理オープンデータ（全団体）{note_ja}",
        title_en=f"Yamaguchi prefecture: road and infrastructure maintenance open data, all bodies{note_en}",
        description="県と県内市町の通報・対応・契約・作業を一つにまとめ、団体間比較のための指標を加えたもの。"
                    "個人情報は除去済み。",
        description_en="Every published body's reports, handling steps, contracts and work orders in one "
                       "package, with the benchmark metrics. Personal data removed.",
        created=package.created(run_date),
        sources=[{"title": d["name"], "path": f"../{d['name']}/datapackage.json", "created": d.get("created")}
                 for d in descriptors],
        keywords=["道路維持管理", "市民通報", "群マネ", "見える化", "山口県", "benchmark", "road maintenance"],
        license_id=license_id, version=schema.version(),
        custom={"synthetic": synthetic, "municipality_code": PREFECTURE, "bodies": sorted(packages),
                "data_since": data_since, "metric_definitions": DEFINITIONS_FILE, "input_fingerprint": print_},
    )
    frames: dict[str, pd.DataFrame] = {**tables, "metrics": metrics.to_text(figures)}
    return package.write_package(out_dir / NAME, meta, frames, PREFIX, extra_files=extra)
