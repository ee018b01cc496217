"""Package: published tables -> a Frictionless data package on disk.

CSV: UTF-8 without BOM, LF, header, columns in schema order, rows sorted by primary key.
An Excel-friendly copy (UTF-8 with BOM, CRLF) sits in excel/, and the whole package in a zip.
Text cells that a spreadsheet would run as a formula are neutralized (OWASP): a leading
= + - @ TAB or CR gets an apostrophe in front; the value is otherwise unchanged.
"""

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import __version__, deflate, formats, schema

LICENSES = {
    "CC-BY-4.0": {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                  "path": "https://creativecommons.org/licenses/by/4.0/"},
    "PDL-1.0": {"name": "PDL-1.0", "title": "公共データ利用規約（第1.0版） Public Data License 1.0",
                "path": "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"},
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = r"^([=+\-@\t\r])"
# why: a fixed timestamp inside zip files keeps the packages byte-identical from run to run.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
# Bytes read at a time when a file is copied into the zip or the combined package.
BLOCK = 1 << 20
# Rows a spreadsheet shows (Excel: 1,048,576 including the header); a longer file gets no Excel copy.
EXCEL_ROWS = 1_048_576


def neutralize(values: pd.Series) -> pd.Series:
    """Prefix an apostrophe to text a spreadsheet would run as a formula."""
    risky = values.str.startswith(FORMULA_START, na=False)
    return values.where(~risky, "'" + values)


def _neutralize_arrow(values: pa.Array) -> pa.Array:
    """neutralize() on an arrow text column, in one vectorized pass."""
    return pc.replace_substring_regex(values, _FORMULA_RE, "'\\1", max_replacements=1)


def text_fields(resource: str) -> list[str]:
    """Free-text string fields (no enum, no pattern, no format): the ones neutralized."""
    return [f["name"] for f in schema.load(resource)["fields"]
            if f["type"] == "string" and "enum" not in f.get("constraints", {})
            and "pattern" not in f.get("constraints", {}) and "format" not in f]


def prepare(frame: pd.DataFrame, resource: str) -> pd.DataFrame:
    """Schema column order, text cells, formula neutralization, rows sorted by primary key.

    The columns come back as arrow text (pandas ArrowDtype), which csv_bytes writes without a copy.
    """
    spec = schema.load(resource)
    texts = set(text_fields(resource))
    columns: dict[str, pa.Array] = {}
    for f in spec["fields"]:
        column = _as_text(frame[f["name"]], f["type"])
        columns[f["name"]] = _neutralize_arrow(column) if f["name"] in texts else column
    table = pa.table(columns) if columns else pa.table({})
    key = spec.get("primaryKey", [])
    if key and table.num_rows > 1:
        sort_keys = pa.table({f"k{i}": sort_key(table[k], is_integer(spec, k)) for i, k in enumerate(key)})
        order = pc.sort_indices(sort_keys, sort_keys=[(f"k{i}", "ascending") for i in range(len(key))])
        table = table.take(order)
    return pd.DataFrame({name: pd.arrays.ArrowExtensionArray(table[name]) for name in table.column_names})


def _as_text(column: pd.Series, kind: str) -> pa.Array:
    """One column as arrow text: booleans as true/false, numbers with up to six decimals, missing as ""."""
    if isinstance(column.dtype, pd.ArrowDtype) and column.dtype.pyarrow_dtype == pa.string() and kind not in (
            "boolean", "number"):
        return pc.fill_null(column.array.__arrow_array__().combine_chunks(), "")
    if kind == "boolean":
        return pa.array(_format_each(column, _boolean_text), pa.string())
    if kind == "number":
        return pa.array(_format_each(column, _number_text), pa.string())
    try:  # why: a column of str (and None or NaN for missing) converts in one pass
        return pc.fill_null(pa.array(column.to_numpy(object), pa.string(), from_pandas=True), "")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array(column.fillna("").astype(str).to_numpy(object), pa.string())


def _format_each(column: pd.Series, fmt: Callable[[Any], str]) -> np.ndarray:
    """fmt applied once per distinct value (missing values give ""); a column repeats few values."""
    codes, uniques = pd.factorize(column.to_numpy(object), use_na_sentinel=True)
    formatted = np.array([*(fmt(v) for v in uniques), ""], dtype=object)
    return formatted[codes]  # why: code -1 (missing) picks the trailing ""


def _boolean_text(v: Any) -> str:
    return v if isinstance(v, str) else ("" if v is None or v != v else ("true" if v else "false"))


def _number_text(v: Any) -> str:
    return "" if v is None or v != v or v == "" else f"{float(v):.6f}".rstrip("0").rstrip(".")


def sort_key(values: pa.ChunkedArray, integer: bool) -> pa.ChunkedArray:
    """Text sorts as is; an integer key sorts by value (zero-padded to 12 digits, as str.zfill)."""
    if not integer:
        return values
    if pc.any(pc.starts_with(values, "-")).as_py():
        return pa.chunked_array([pa.array([v.zfill(12) for v in values.to_pylist()], pa.string())])
    return pc.utf8_lpad(values, 12, "0")


def is_integer(spec: dict[str, Any], name: str) -> bool:
    return any(f["name"] == name and f["type"] == "integer" for f in spec["fields"])


def csv_bytes(frame: pd.DataFrame, *, excel: bool = False) -> bytes:
    """Text frame -> CSV bytes (pyarrow's writer: an order of magnitude faster than pandas).

    A frame of arrow text columns (as prepare() returns) is written without converting a cell.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))
    data: bytes = sink.getvalue().to_pybytes()
    if excel:
        # why: Excel in Japan opens UTF-8 CSV correctly only with a BOM; CRLF for Notepad users.
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n")
        return b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    return data


def write_resource(directory: Path, file_name: str, frame: pd.DataFrame, resource: str) -> dict[str, Any]:
    """Write one CSV (and its Excel copy); returns its resource descriptor."""
    data = csv_bytes(frame)
    (directory / file_name).write_bytes(data)
    (directory / "excel").mkdir(exist_ok=True)
    (directory / "excel" / file_name).write_bytes(csv_bytes(frame, excel=True))
    return resource_descriptor(resource, file_name, len(data), hashlib.sha256(data).hexdigest())


def resource_descriptor(resource: str, file_name: str, size: int, sha256: str) -> dict[str, Any]:
    """The descriptor of one written CSV resource, given its size in bytes and sha256 (hex)."""
    spec = schema.load(resource)
    return {
        "name": resource, "path": file_name, "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "title": spec["title"], "title_en": spec["title_en"],
        "description": spec["description"], "description_en": spec["description_en"],
        "bytes": size, "hash": f"sha256:{sha256}",
        "schema": {k: v for k, v in spec.items() if k not in ("name", "title", "title_en", "description",
                                                               "description_en")},
    }


class ExcelCopy:
    """The Excel copy of a CSV written piece by piece: as csv_bytes(excel=True) gives for the whole.

    A BOM, then every LF not already preceded by CR becomes CRLF (a CR at the end of one piece is held
    back until the next shows whether an LF follows it).
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(exist_ok=True)
        self._file = path.open("wb")
        self._file.write(b"\xef\xbb\xbf")
        self._held = b""
        self.written = 3  # bytes written so far (a held CR not yet)

    @property
    def holding(self) -> bool:
        """Whether a CR is held back (so the bytes written do not yet end where the input does)."""
        return bool(self._held)

    def write(self, data: bytes) -> None:
        data = self._held + data
        self._held = b"\r" if data.endswith(b"\r") else b""
        if self._held:
            data = data[:-1]
        out = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        self._file.write(out)
        self.written += len(out)

    def close(self) -> None:
        self._file.write(self._held)
        self.written += len(self._held)
        self._file.close()


def write_package(directory: Path, meta: dict[str, Any], tables: dict[str, pd.DataFrame],
                  prefix: str, extra_files: dict[str, bytes] | None = None, helpers: int = 0) -> Path:
    """Write every resource, datapackage.json and the zip into `directory` (created fresh).

    helpers: processes the formats may start beside this one (pipeline/spare.py)."""
    directory.mkdir(parents=True, exist_ok=True)
    resources = [write_resource(directory, f"{prefix}_{name}.csv", prepare(frame, name), name)
                 for name, frame in tables.items()]
    for name, data in (extra_files or {}).items():
        (directory / name).write_bytes(data)
    descriptor = {**meta, "resources": resources}
    descriptor = with_formats(descriptor, formats.write_all(directory, descriptor, helpers=helpers))
    text = json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    (directory / "datapackage.json").write_text(text, encoding="utf-8")
    zip_package(directory, f"{directory.name}.zip", distributed(descriptor))
    return directory


def with_formats(descriptor: dict[str, Any], additions: dict[str, Any]) -> dict[str, Any]:
    """The descriptor with the other formats' files (and the cases' date range) under "mieruka"."""
    return {**descriptor, "mieruka": {**descriptor.get("mieruka", {}), **additions}}


def distributed(descriptor: dict[str, Any]) -> set[str]:
    """Paths of the files in the other formats (downloads of their own, not in the zip; the CSVs are)."""
    return {d["path"] for d in descriptor.get("mieruka", {}).get("distributions", []) if d["format"] != "csv"}


def zip_package(directory: Path, name: str, leave_out: set[str] | frozenset[str] = frozenset()) -> None:
    """The CSV package in one zip, each file copied in blocks (a combined CSV can be gigabytes).

    leave_out: paths (relative, POSIX) of files that are downloads of their own (Parquet, Open311, …)."""
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name != name
                   and p.relative_to(directory).as_posix() not in leave_out)
    with zipfile.ZipFile(directory / name, "w", zipfile.ZIP_DEFLATED) as archive:
        add_to_zip(archive, directory, files)


def zip_info(directory: Path, path: Path) -> zipfile.ZipInfo:
    """A package file's zip entry: <folder name>/<relative path>, the fixed time, deflated (pipeline.deflate)."""
    info = zipfile.ZipInfo(f"{directory.name}/{path.relative_to(directory).as_posix()}", ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.file_size = path.stat().st_size  # why: as writestr sets it, so the zip64 choice is the same
    return info


def add_to_zip(archive: zipfile.ZipFile, directory: Path, files: list[Path]) -> None:
    """Files of the package folder into its zip, in the order given, under <folder name>/<relative path>."""
    for path in files:
        with path.open("rb") as source, deflate.open_member(archive, zip_info(directory, path)) as target:
            shutil.copyfileobj(source, target, BLOCK)


def created(run_date: dt.date) -> str:
    """The descriptor's `created` (RFC 3339): the run date at midnight, Japan time, so reruns match."""
    return f"{run_date.isoformat()}T00:00:00+09:00"


def package_meta(*, name: str, title: str, title_en: str, description: str, description_en: str,
                 created: str, sources: list[dict[str, Any]], keywords: list[str], license_id: str,
                 custom: dict[str, Any], version: str) -> dict[str, Any]:
    """The package-level descriptor (everything but the resources)."""
    return {
        "profile": "tabular-data-package", "name": name, "id": f"mieruka:{name}", "title": title,
        "title_en": title_en, "description": description, "description_en": description_en,
        "version": version, "created": created, "licenses": [LICENSES[license_id]],
        "sources": sources, "keywords": keywords,
        "contributors": [{"title": "mieruka", "role": "publisher"}],
        "mieruka": {**custom, "generator": f"mieruka {__version__}"},
    }


def recorded_fingerprint(directory: Path) -> str | None:
    """The input fingerprint a published package was made from (None if absent or unreadable)."""
    try:
        descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    value = descriptor.get("mieruka", {}).get("input_fingerprint")
    return str(value) if value else None


def synthetic_notes(synthetic: bool) -> tuple[str, str]:
    """Title suffixes (ja, en) that mark a package built from the synthetic sample."""
    if not synthetic:
        return "", ""
    return "（合成データ：実在の通報ではありません）", " (synthetic sample data, not real reports)"
