"""The combined package: every published body in one package, with the benchmark metrics.

It is built only from the body packages already written tonight (published or carried over as
stale), never from raw data, so it cannot hold anything the body packages do not.
Layout: 350001_yamaguchi_all/350001_all_<resource>.csv, plus the metrics resource and the
machine-readable metric definitions (350001_all_metric_definitions.json).

The package is streamed, so its size is not bounded by memory: every body CSV is already in published
form (schema columns, neutralized text, rows sorted by a primary key that starts with the municipality
code), so a combined CSV is the body CSVs in code order under one header, copied block by block. Only
where that does not hold (a file out of order, an older header, two bodies sharing codes) are those few
files read and sorted together. The metrics read only the columns they use (metrics.READS), body by
body. A combined resource longer than a spreadsheet shows (package.EXCEL_ROWS) gets no Excel copy: its
descriptor says "excel_copy": false. In the zip, each body's part of a combined CSV is compressed on its own
and kept from night to night (pipeline.zip_segments), so a night compresses the changed bodies' parts only.
"""

import datetime as dt
import hashlib
import json
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import formats, hardlink, metrics, package, portal, reference, schema, zip_segments
from .formats import sqlite, sqlite_parts, words

PREFECTURE = portal.PREFECTURE  # the portal group's prefecture: configuration (pipeline/portal.py)
NAME = "350001_yamaguchi_all"
PREFIX = "350001_all"
DEFINITIONS_FILE = f"{PREFIX}_metric_definitions.json"
DATABASE_FILE = f"{PREFIX}.db"
BODY_RESOURCES = ("cases", "actions", "contracts", "work_orders")
# Read as plain text (sorting, one value per row); every other column the metrics read is dictionary-encoded.
_PLAIN = frozenset({"service_request_id", "contract_id", "work_order_id", "step"})


def fingerprint(directories: list[Path], code: str, synthetic: bool, license_id: str) -> str:
    """The combined package depends only on the body packages, the code and these settings."""
    digest = hashlib.sha256(f"{code}\0{synthetic}\0{license_id}".encode())
    for directory in directories:
        digest.update(directory.name.encode() + b"\0" + (directory / "datapackage.json").read_bytes())
    return digest.hexdigest()


def _reuse(previous: Path | None, out_dir: Path, print_: str) -> bool:
    if previous is None or package.recorded_fingerprint(previous / NAME) != print_:
        return False
    hardlink.copy_tree(previous / NAME, out_dir / NAME)  # why: published files never change in place
    if (previous / metrics.CACHE_DIR).is_dir():
        hardlink.copy_tree(previous / metrics.CACHE_DIR, out_dir / metrics.CACHE_DIR, exist_ok=True)
    return True


def write(out_dir: Path, packages: list[str], run_date: dt.date, synthetic: bool,
          license_id: str = "CC-BY-4.0", previous: Path | None = None, code: str = "",
          words_dir: Path | None = None, parts_dir: Path | None = None, zip_parts_dir: Path | None = None,
          timings: dict[str, float] | None = None) -> Path:
    """Write the combined package of the given body packages into out_dir/NAME.

    When the body packages are the very ones the previous combined package was made from, it is
    carried over as is (a night without changes costs seconds). Otherwise the metrics of a body whose
    package is unchanged are carried over from the previous release's metrics cache (metrics.bodies). The
    database's full-text index takes the bodies' kept word splits from words_dir (pipeline.formats.words), and its
    body tables the bodies' kept parts from parts_dir (pipeline.formats.sqlite_parts); its zip keeps each body's
    compressed part of a combined CSV in zip_parts_dir (pipeline.zip_segments).
    `timings` receives the seconds of the metrics and of what follows them (the other formats, the database's
    wait and the zip; for the timings log)."""
    directories = [out_dir / name for name in sorted(packages)]
    print_ = fingerprint(directories, code, synthetic, license_id)
    if _reuse(previous, out_dir, print_):
        return out_dir / NAME
    descriptors = [json.loads((d / "datapackage.json").read_text(encoding="utf-8")) for d in directories]
    target = out_dir / NAME
    target.mkdir(parents=True, exist_ok=True)
    resources = [package.write_resource(target, f"{PREFIX}_municipalities.csv",
                                         package.prepare(reference.municipalities(), "municipalities"),
                                         "municipalities")]
    scanned: dict[str, list[_Part]] = {}
    layouts: dict[Path, list[zip_segments.Piece]] = {}
    for resource in BODY_RESOURCES:
        files = [(d.name, d / r["path"], str(r.get("hash", "")))
                 for d, desc in zip(directories, descriptors, strict=True)
                 for r in desc["resources"] if r["name"] == resource]
        descriptor, scanned[resource], pieces = write_streamed(target, f"{PREFIX}_{resource}.csv", resource, files)
        resources.append(descriptor)
        layouts.update(pieces)
    data_since = {d["mieruka"]["municipality_code"]: d["mieruka"]["data_since"] for d in descriptors
                  if d.get("mieruka", {}).get("data_since")}
    concatenated = _concatenated(scanned, directories)
    paths = {r["name"]: target / r["path"] for r in resources} | {"metrics": target / f"{PREFIX}_metrics.csv"}
    # why: the database is made in a thread meanwhile (SQLite runs without the GIL: sqlite.Background)
    with sqlite.Background(target / DATABASE_FILE, paths, words.load_all(words_dir, packages),
                           directories if concatenated else None, parts_dir) as database:
        cache = metrics.Cache(out_dir / metrics.CACHE_DIR, previous / metrics.CACHE_DIR if previous else None)
        clock = time.perf_counter()
        parts = metric_parts(scanned, descriptors, directories, run_date, data_since, code, cache)
        del scanned
        resources.append(write_metrics(paths["metrics"], parts))
        laps = {"metrics": time.perf_counter() - clock}
        database.metrics_written()
        definitions = metrics.definitions_document()
        (target / DEFINITIONS_FILE).write_bytes(
            (json.dumps(definitions, ensure_ascii=False, indent=2) + "\n").encode())
        descriptor = _descriptor(packages, descriptors, run_date, synthetic, license_id, data_since, print_,
                                 resources)
        clock = time.perf_counter()
        _formats_and_zip(target, descriptor, resources, database, layouts, zip_segments.Kept(zip_parts_dir))
        laps["combined_formats"] = time.perf_counter() - clock
    if timings is not None:
        timings.update({k: round(v, 4) for k, v in laps.items()})
    return target


def _formats_and_zip(target: Path, descriptor: dict[str, Any], resources: list[dict[str, Any]],
                     database: sqlite.Background, layouts: dict[Path, list[zip_segments.Piece]],
                     kept: zip_segments.Kept) -> None:
    """The Parquet copies, the zip and datapackage.json, with the database (made beside) listed once it is done.
    A combined CSV whose pieces are known (layouts) is zipped from its bodies' kept segments (kept).

    why: the zip's CSVs are compressed while the database is finished (the deflate runs without the GIL too);
    datapackage.json, which lists the database's hash, goes into the zip last."""
    additions = formats.write_all(target, descriptor, combined=True)
    members = [target / r["path"] for r in resources] + [target / DEFINITIONS_FILE] + \
        [target / d["path"] for d in additions["distributions"] if d["format"] == "csv"]
    with zipfile.ZipFile(target / f"{NAME}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(members):
            if member in layouts:
                zip_segments.write_member(archive, package.zip_info(target, member), member, layouts[member], kept,
                                          package.BLOCK)
            else:
                package.add_to_zip(archive, target, [member])
        kept.prune()
        additions["distributions"].append(formats.database_entry(target, database.wait()))
        descriptor = package.with_formats(descriptor, additions)
        text = json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        (target / "datapackage.json").write_text(text, encoding="utf-8")
        package.add_to_zip(archive, target, [target / "datapackage.json"])


def metric_parts(scanned: dict[str, list["_Part"]], descriptors: list[dict[str, Any]], directories: list[Path],
                 run_date: dt.date, data_since: dict[str, str], code: str, cache: metrics.Cache
                 ) -> Iterator[bytes]:
    """The metrics table from the scanned body CSVs, as text in parts in the published order (metrics.text_by_body):
    the all-bodies rows from every body's rows, then each body's own (computed, or carried over from the cache when
    its package and the table's context are unchanged)."""
    bodies = []
    for directory, descriptor in zip(directories, descriptors, strict=True):
        arrow = {resource: pa.concat_tables([p.reads for p in parts if p.name == directory.name])
                 for resource, parts in scanned.items() if any(p.name == directory.name for p in parts)}
        bodies.append(metrics.Body(directory.name, descriptor.get("mieruka", {}).get("municipality_code", ""),
                                   package.recorded_fingerprint(directory), arrow))
    ref = metrics.Reference(reference.municipalities(), reference.yearly_figures(), reference.coverage(),
                            reference.YEARLY_SOURCES)
    settings = metrics.Settings(run_date, ref, salt=code)
    return metrics.text_by_body(bodies, settings, data_since, cache, metric_text)


def metric_text(rows: pd.DataFrame) -> bytes:
    """Metrics rows as the metrics CSV holds them, without its header (b"" for none)."""
    if not len(rows):
        return b""
    data = package.csv_bytes(package.prepare(metrics.to_text(rows), "metrics"))
    return data[data.index(b"\n") + 1:]


def write_metrics(path: Path, parts: Iterable[pd.DataFrame | bytes]) -> dict[str, Any]:
    """The metrics resource (and its Excel copy) written part by part, each part's rows after the one before in the
    primary key's order: the same bytes as package.write_resource() of the whole table, without holding it whole
    (1,741 bodies: millions of rows). A part is rows, or their text as metric_text() gives it. Returns its
    descriptor."""
    with _Sink(path, package.ExcelCopy(path.parent / "excel" / path.name)) as out:
        out.emit(header("metrics"))
        for part in parts:
            data = part if isinstance(part, bytes) else metric_text(part)
            if data:
                out.emit(data)
    return package.resource_descriptor("metrics", path.name, out.size, out.digest.hexdigest())


def _descriptor(packages: list[str], descriptors: list[dict[str, Any]], run_date: dt.date, synthetic: bool,
                license_id: str, data_since: dict[str, str], print_: str,
                resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The combined package's descriptor (before the other formats are added)."""
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
    return {**meta, "resources": resources}


@dataclass
class _Part:
    """One body's CSV of a resource, as scanned: its rows, code range, whether it can be copied as is,
    and the columns the metrics read."""

    name: str
    path: Path
    rows: int
    low: str
    high: str
    copyable: bool
    reads: pa.Table


def header(resource: str) -> bytes:
    """The header line a published CSV of this resource starts with."""
    empty = pd.DataFrame(columns=schema.field_names(resource))
    return package.csv_bytes(package.prepare(empty, resource))


def _scan(name: str, path: Path, resource: str, head: bytes) -> _Part:
    """Read a body CSV's key columns and the columns the metrics use (not the rest)."""
    spec = schema.load(resource)
    key = list(spec.get("primaryKey", []))
    wanted = list(dict.fromkeys([*key, *metrics.READS[resource]]))
    with path.open("rb") as f:
        first = f.readline()
    types = {c: pa.string() if c in _PLAIN or c in key else pa.dictionary(pa.int32(), pa.string()) for c in wanted}
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types=types, include_columns=wanted, include_missing_columns=True, strings_can_be_null=False))
    codes = table["municipality_code"]
    rows = table.num_rows
    low = pc.min(codes).as_py() if rows else ""
    high = pc.max(codes).as_py() if rows else ""
    sorted_ = first == head and (rows < 2 or _in_key_order(table, spec, key))
    reads = metrics.rows_read(resource, pa.table({c: _compact(c, table[c]) for c in metrics.READS[resource]}))
    return _Part(name, path, rows, low or "", high or "", sorted_, reads)


def _concatenated(scanned: dict[str, list["_Part"]], directories: list[Path]) -> bool:
    """Whether each combined table the database holds is its bodies' rows one body after another, in the order of
    directories (current headers, rows in key order, no two bodies' codes interleaved). Then the database copies
    the bodies' parts (pipeline.formats.sqlite_parts); else it reads the combined CSVs."""
    order = {d.name: i for i, d in enumerate(directories)}
    for resource in (r for r in scanned if r in sqlite_parts.BODY_TABLES):
        groups = _groups(scanned[resource])
        if any(len(g) != 1 or not g[0].copyable for g in groups):
            return False
        positions = [order.get(g[0].name, -1) for g in groups]
        if -1 in positions or positions != sorted(positions):
            return False
    return True


def _in_key_order(table: pa.Table, spec: dict[str, Any], key: list[str]) -> bool:
    """Whether the rows are already in the order package.prepare() sorts them into."""
    sort_keys = pa.table({f"k{i}": package.sort_key(pc.fill_null(table[k].cast(pa.string()), ""),
                                                    package.is_integer(spec, k))
                          for i, k in enumerate(key)})
    order = pc.sort_indices(sort_keys, sort_keys=[(f"k{i}", "ascending") for i in range(len(key))])
    return bool(np.array_equal(order.to_numpy(), np.arange(table.num_rows)))


def _compact(name: str, column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column the metrics read: ids as text, the rest (codes, dates, categories repeat) dictionary-encoded."""
    if pa.types.is_dictionary(column.type) or pa.types.is_null(column.type):
        return column.cast(pa.dictionary(pa.int32(), pa.string()))
    return column if column.type == pa.string() and name in _PLAIN else pc.dictionary_encode(column)


def _groups(parts: list[_Part]) -> list[list[_Part]]:
    """Files with rows in code order; files whose code ranges overlap fall in one group."""
    groups: list[list[_Part]] = []
    for part in sorted((p for p in parts if p.rows), key=lambda p: (p.low, p.high, p.name)):
        if groups and part.low <= max(q.high for q in groups[-1]):
            groups[-1].append(part)
        else:
            groups.append([part])
    return groups


def _sorted_rows(group: list[_Part], resource: str) -> bytes:
    """The rows of files that cannot simply follow one another, sorted as package.prepare() does."""
    columns = schema.field_names(resource)
    frames = [pd.read_csv(p.path, dtype=str, keep_default_na=False) for p in sorted(group, key=lambda p: p.name)]
    data = package.csv_bytes(package.prepare(pd.concat(frames, ignore_index=True).reindex(columns=columns),
                                             resource))
    return data[data.index(b"\n") + 1:]


def write_streamed(directory: Path, file_name: str, resource: str, files: list[tuple[str, Path, str]]
                   ) -> tuple[dict[str, Any], list["_Part"], dict[Path, list[zip_segments.Piece]]]:
    """One combined resource from the body CSVs (name, path, recorded hash), block by block.

    Returns its descriptor, the scanned body files (each with the columns the metrics read) and the pieces
    of the files written (the CSV and its Excel copy: pipeline.zip_segments), where they are known."""
    head = header(resource)
    parts = [_scan(name, path, resource, head) for name, path, _ in files]
    hashes = {path: file_hash for _, path, file_hash in files}
    rows = sum(p.rows for p in parts)
    excel = package.ExcelCopy(directory / "excel" / file_name) if rows < package.EXCEL_ROWS else None
    layout = _Layout()
    with _Sink(directory / file_name, excel) as out:
        out.emit(head)
        layout.add(out.size, excel, None)
        for group in _groups(parts):
            if len(group) == 1 and group[0].copyable:
                with group[0].path.open("rb") as source:
                    source.readline()
                    while block := source.read(package.BLOCK):
                        out.emit(block)
                layout.add(out.size, excel, hashes.get(group[0].path) or None)
            else:
                out.emit(_sorted_rows(group, resource))
                layout.add(out.size, excel, None)
    descriptor = package.resource_descriptor(resource, file_name, out.size, out.digest.hexdigest())
    if excel is None:
        descriptor["excel_copy"] = False
    pieces = {directory / file_name: layout.csv}
    if excel is not None and layout.excel is not None and sum(p.length for p in layout.excel) == excel.written:
        pieces[directory / "excel" / file_name] = layout.excel
    return descriptor, parts, pieces


class _Sink:
    """A CSV written block by block, with its size and sha256 as it grows, and its Excel copy (None: none)."""

    def __init__(self, path: Path, excel: package.ExcelCopy | None) -> None:
        self.path, self.excel = path, excel
        self.digest = hashlib.sha256()
        self.size = 0

    def __enter__(self) -> "_Sink":
        self._file = self.path.open("wb")
        return self

    def __exit__(self, *_: object) -> None:
        self._file.close()
        if self.excel is not None:
            self.excel.close()

    def emit(self, data: bytes) -> None:
        self._file.write(data)
        self.digest.update(data)
        self.size += len(data)
        if self.excel is not None:
            self.excel.write(data)


@dataclass
class _Layout:
    """The pieces of a combined CSV and of its Excel copy, as they are written (pipeline.zip_segments).

    A body file's piece is keyed by its recorded hash. The Excel copy's piece is keyed only where the
    conversion did not carry a CR over from the piece before or into the piece after (else it depends
    on its neighbours); a copy whose pieces do not add up to its length is zipped whole."""

    csv: list[zip_segments.Piece] = field(default_factory=list)
    excel: list[zip_segments.Piece] | None = field(default_factory=list)
    at: int = 0
    excel_at: int = 0
    clean: bool = True

    def add(self, end: int, excel: package.ExcelCopy | None, file_hash: str | None) -> None:
        """The piece that ends at `end` bytes of the CSV (and at what the Excel copy has written)."""
        def key(variant: str, usable: bool = True) -> str | None:
            return zip_segments.segment_key(file_hash, variant) if file_hash and usable else None

        self.csv.append(zip_segments.Piece(end - self.at, key("csv")))
        self.at = end
        if excel is None or self.excel is None:
            self.excel = None
            return
        clean = self.clean and not excel.holding
        self.excel.append(zip_segments.Piece(excel.written - self.excel_at, key("excel", clean)))
        self.excel_at, self.clean = excel.written, not excel.holding
