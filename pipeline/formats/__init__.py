"""Open formats made from a written package's own CSVs: Parquet, Open311, a labelled workbook, SQLite.

Every format is read back from the published CSVs (never from raw data or the frames in memory), so it
cannot hold anything the CSVs do not. Each file written is listed in the package descriptor under
`mieruka.distributions` (path, format, media type, bytes, sha256), which the DCAT catalogue reads.
A custom property rather than extra resources: frictionless would otherwise try to validate the
Parquet and JSON files as tables. The Excel-friendly CSV copies are listed there too (with their size
and hash); the zip stays the CSV package (the CSVs and their Excel copies), the other formats are
downloads of their own.
"""

from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .. import schema, spare
from . import labelled, open311, parquet
from .files import distribution


def _coverage(paths: dict[str, Path], tables: dict[str, pa.Table]) -> dict[str, str] | None:
    """First and last date received of the package's cases (the DCAT temporal coverage)."""
    if "cases" not in paths:
        return None
    pieces = tables["cases"].to_batches() if "cases" in tables else parquet.batches(paths["cases"], "cases")
    found = []
    for batch in pieces:
        found += [d for d in (pc.min(batch.column("requested_date")).as_py(),
                              pc.max(batch.column("requested_date")).as_py()) if d is not None]
    return {"start": min(found).isoformat(), "end": max(found).isoformat()} if found else None


def _excel_copies(directory: Path, descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    entries = []
    for r in descriptor["resources"]:
        if (directory / "excel" / r["path"]).is_file():
            spec = schema.load(r["name"])
            entries.append(distribution(directory, f"excel/{r['path']}", "csv",
                                        f"{spec.get('title', r['name'])}（Excel向けCSV）",
                                        f"{spec.get('title_en', r['name'])} (CSV for Excel)", r["name"]))
    return entries


def _parquet_copies(directory: Path, descriptor: dict[str, Any], tables: dict[str, pa.Table]) -> list[dict[str, Any]]:
    entries = []
    for r in descriptor["resources"]:
        name = r["name"]
        relative = f"parquet/{Path(r['path']).stem}.parquet"
        if name in tables:
            parquet.write_table(tables[name], directory / relative, name)
        else:
            parquet.write(directory / r["path"], directory / relative, name)
        spec = schema.load(name)
        entries.append(distribution(directory, relative, "parquet", f"{spec.get('title', name)}（Parquet）",
                                    f"{spec.get('title_en', name)} (Parquet)", name))
    return entries


def _body_formats(directory: Path, descriptor: dict[str, Any], paths: dict[str, Path],
                  tables: dict[str, pa.Table], helpers: int = 0) -> list[dict[str, Any]]:
    """Open311 and the labelled workbook of a body package; with a helper process, Open311 is written there
    (reading the CSVs again) while this process writes the workbook: the same files either way."""
    entries = []
    with spare.pool(min(helpers, 1) if "cases" in paths else 0, (open311.__name__,)) as beside:
        made = None
        if "cases" in paths:
            agency = _agency(tables, str(descriptor.get("mieruka", {}).get("municipality_code", "")))
            made = beside.submit(open311.write, directory, paths, agency) if beside \
                else open311.write(directory, paths, agency, tables)
        workbook = labelled.write(directory, directory.name, descriptor, paths, tables)
        relatives = made.result() if isinstance(made, Future) else made
    for relative in relatives or []:
        entries.append(distribution(directory, relative, "json", f"Open311 GeoReport v2: {Path(relative).name}",
                                    f"Open311 GeoReport v2: {Path(relative).name}"))
    if workbook:
        entries.append(distribution(directory, workbook, "xlsx", "日本語表示のExcelファイル（README付き）",
                                    "Excel workbook with Japanese headers and labels (with a README sheet)"))
    return entries


def write_all(directory: Path, descriptor: dict[str, Any], *, combined: bool = False,
              helpers: int = 0) -> dict[str, Any]:
    """Every format of the package in `directory` (its CSVs already written, as descriptor["resources"] says).

    Returns the descriptor's additions: {"distributions": [...], "coverage": {start, end}}.
    A body package gets Parquet, Open311 and the labelled workbook, each CSV read once into a typed table
    that all three share; the combined package (`combined`) Parquet here, its CSVs (gigabytes, at the national
    scale) read block by block; its database is made beside (sqlite.Background) and listed with
    database_entry(). helpers: processes a body package's formats may start beside this one (pipeline/spare.py).
    """
    paths = {r["name"]: directory / r["path"] for r in descriptor["resources"]}
    tables = {} if combined else {name: parquet.read_typed(path, name) for name, path in paths.items()}
    entries = _excel_copies(directory, descriptor) + _parquet_copies(directory, descriptor, tables)
    if not combined:
        entries += _body_formats(directory, descriptor, paths, tables, helpers)
    out: dict[str, Any] = {"distributions": entries}
    coverage = _coverage(paths, tables)
    if coverage:
        out["coverage"] = coverage
    return out


def database_entry(directory: Path, database: Path) -> dict[str, Any]:
    """The distribution entry of a package's SQLite database."""
    return distribution(directory, database.relative_to(directory).as_posix(), "sqlite",
                        "SQLiteデータベース（全表）", "SQLite database (every table)")


def _agency(tables: dict[str, pa.Table], code: str) -> str:
    """The body's Japanese name from the package's own municipalities table (its code if absent)."""
    if "municipalities" not in tables:
        return code
    rows = tables["municipalities"].to_pylist()
    return next((str(r["name_ja"]) for r in rows if str(r["municipality_code"]) == code and r["name_ja"]), code)
