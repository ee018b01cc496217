"""Descriptor entries of written files: path, format, media type, bytes and sha256."""


import hashlib
from pathlib import Path
from typing import Any

# Media types of the distributions (IANA where registered).
MEDIA_TYPES = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sqlite": "application/vnd.sqlite3",
    "zip": "application/zip",
}


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def distribution(directory: Path, relative: str, kind: str, title: str, title_en: str,
                 resource: str | None = None) -> dict[str, Any]:
    """The descriptor entry of one written file (relative to the package folder)."""
    path = directory / relative
    entry: dict[str, Any] = {"path": relative, "format": kind, "mediatype": MEDIA_TYPES[kind],
                             "title": title, "title_en": title_en}
    if resource:
        entry["resource"] = resource
    entry["bytes"] = path.stat().st_size
    entry["hash"] = f"sha256:{sha256_file(path)}"
    return entry
