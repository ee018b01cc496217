"""Parquet copies of a package's CSVs, typed by the Table Schema.

Types: date -> date32, integer -> int64, number -> float64, boolean -> bool, coded text (enum fields and
the local-government code) -> dictionary-encoded text, other text -> text; an empty cell is null
(the schemas' missingValues is [""]). Local-government codes stay text (leading zeros; TRAPS.md).
The CSV is read in blocks and written one row group per block, so a combined CSV of millions of rows
is not held in memory. Same CSV bytes, same Parquet bytes (zstd level fixed, no timestamps inside).
"""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .. import schema

# Bytes of CSV per row group: about 100,000–200,000 rows of a cases file.
BLOCK_SIZE = 32 << 20
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9
DICTIONARY = pa.dictionary(pa.int32(), pa.string())


def is_code(spec: dict[str, Any]) -> bool:
    """Text that holds a code from a short list: dictionary-encoded."""
    return "enum" in spec.get("constraints", {}) or spec["name"] == "municipality_code"


def arrow_type(spec: dict[str, Any]) -> pa.DataType:
    """The Arrow type of one Table Schema field."""
    kind = spec["type"]
    if kind == "date":
        return pa.date32()
    if kind == "integer":
        return pa.int64()
    if kind == "number":
        return pa.float64()
    if kind == "boolean":
        return pa.bool_()
    return DICTIONARY if is_code(spec) else pa.string()


def arrow_schema(resource: str) -> pa.Schema:
    return pa.schema([pa.field(f["name"], arrow_type(f)) for f in schema.load(resource)["fields"]])


def _options(resource: str, block_size: int) -> tuple[pacsv.ReadOptions, pacsv.ConvertOptions]:
    types = arrow_schema(resource)
    read = pacsv.ReadOptions(block_size=block_size, use_threads=False)
    convert = pacsv.ConvertOptions(column_types={f.name: f.type for f in types}, null_values=[""],
                                   strings_can_be_null=True, quoted_strings_can_be_null=True,
                                   true_values=["true"], false_values=["false"],
                                   include_columns=types.names)
    return read, convert


def batches(csv_path: Path, resource: str, block_size: int = BLOCK_SIZE) -> Iterator[pa.RecordBatch]:
    """The CSV's rows, typed, block by block (columns in schema order)."""
    read, convert = _options(resource, block_size)
    with pacsv.open_csv(csv_path, read_options=read, convert_options=convert) as reader:
        for batch in reader:
            if batch.num_rows:
                yield batch


def read_typed(csv_path: Path, resource: str) -> pa.Table:
    """The whole CSV as a typed table (for a body's files; the combined ones go through batches())."""
    read, convert = _options(resource, BLOCK_SIZE)
    return pacsv.read_csv(csv_path, read_options=read, convert_options=convert)


def _write_batches(pieces: Iterable[pa.RecordBatch], parquet_path: Path, resource: str) -> int:
    """Typed batches -> one Parquet file, one row group a batch; returns the rows written."""
    parquet_path.parent.mkdir(parents=True, exist_ok=True)
    target = arrow_schema(resource)
    rows = 0
    with pq.ParquetWriter(parquet_path, target, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL,
                          write_statistics=True, store_schema=True) as writer:
        for batch in pieces:
            if batch.num_rows:
                writer.write_table(pa.Table.from_batches([batch]).cast(target), row_group_size=batch.num_rows)
                rows += batch.num_rows
    return rows


def write(csv_path: Path, parquet_path: Path, resource: str) -> int:
    """One CSV -> one Parquet file, read block by block; returns the rows written."""
    return _write_batches(batches(csv_path, resource), parquet_path, resource)


def write_table(table: pa.Table, parquet_path: Path, resource: str) -> int:
    """A CSV already read by read_typed -> the same Parquet file write() makes of it (its blocks as row groups)."""
    return _write_batches(table.to_batches(), parquet_path, resource)
