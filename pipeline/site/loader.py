"""Published packages directory -> in-memory tables the pages are made from (read-only)."""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import identifiers, schema

ALL_SUFFIX = "_all"
TABLES = ("cases", "actions", "contracts", "work_orders", "municipalities")
# why: the pages read the combined package only for its metrics and its bodies' names; its copies of every
# body's cases, actions, contracts and work orders (the largest tables there are) are downloads only.
READ_COMBINED = ("municipalities", "metrics")


class LazyTables(Mapping[str, pd.DataFrame]):
    """A package's tables, each read from its CSV the first time a page asks for it.

    why: on a night when only some bodies changed, the other bodies' largest tables (actions, read only
    for the case view's files) are never needed."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self._paths = paths
        self._read: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._read:
            if name in self._paths:
                self._read[name] = _read_csv(self._paths[name], name)
            elif name in TABLES:
                self._read[name] = _empty(name)
            else:
                raise KeyError(name)
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return iter([*self._paths, *(n for n in TABLES if n not in self._paths)])

    def __len__(self) -> int:
        return len(set(self._paths) | set(TABLES))


@dataclass
class Package:
    """One published package folder and its tables (all columns read as text)."""

    folder: Path
    descriptor: dict[str, Any]
    tables: Mapping[str, pd.DataFrame]
    # figures worked out once per build from the tables (both languages and every page share them)
    derived: dict[Any, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name", self.folder.name))

    @property
    def code(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def mieruka(self) -> dict[str, Any]:
        note: dict[str, Any] = self.descriptor.get("mieruka", {}) or {}
        return note

    def files(self) -> list[str]:
        """Every downloadable file of the package, relative to its folder, sorted."""
        return sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file())


@dataclass
class SiteData:
    """Everything the portal shows, read from one published packages directory."""

    root: Path
    run: dict[str, Any]
    bodies: list[Package]
    combined: Package | None
    metrics: pd.DataFrame | None
    metric_definitions: list[dict[str, Any]] = field(default_factory=list)
    # figures worked out once per build and shared by both languages (filled by pipeline.site.pages)
    derived: dict[str, Any] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        flags = [bool(self.run.get("synthetic"))]
        flags += [bool(p.mieruka.get("synthetic")) for p in self.bodies]
        return any(flags)

    @property
    def run_date(self) -> str:
        return str(self.run.get("run_date", ""))

    @property
    def data_date(self) -> str:
        """The day the published data last changed: the newest last_good in run.json (else the run date).

        why: a night that changes no data must give the same site, so pages show this date, not the run's.
        """
        days = sorted(str(b.get("last_good") or "") for b in self.run.get("bodies", []) if b.get("last_good"))
        return days[-1] if days else self.run_date

    def body(self, code: str) -> Package | None:
        return next((p for p in self.bodies if p.code == code), None)


def _read_csv(path: Path, resource: str) -> pd.DataFrame:
    """CSV -> DataFrame of strings (codes keep their leading zeros; empty cells are "")."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if resource in schema.RESOURCES:
        for name in schema.field_names(resource):
            if name not in frame.columns:
                frame[name] = ""
    return frame


def _empty(resource: str) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=str) for name in schema.field_names(resource)})


def read_package(folder: Path) -> Package:
    """A package folder -> Package with every resource of its datapackage.json."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    combined = str(descriptor.get("name", "")).endswith(ALL_SUFFIX)
    paths: dict[str, Path] = {}
    for resource in descriptor.get("resources", []):
        path = folder / resource["path"]
        if path.suffix == ".csv" and path.is_file() and (not combined or resource["name"] in READ_COMBINED):
            paths[resource["name"]] = path
    return Package(folder=folder, descriptor=descriptor, tables=LazyTables(paths))


def _read_metrics(package: Package) -> tuple[pd.DataFrame | None, list[dict[str, Any]]]:
    """The combined package's metrics table and metric definitions, or (None, []) before they exist."""
    metrics = package.tables.get("metrics")
    candidates = sorted(package.folder.glob("*metric_definitions.json"))
    definitions: list[dict[str, Any]] = []
    if candidates:
        loaded = json.loads(candidates[0].read_text(encoding="utf-8"))
        # why: the file is either a bare list or {"version": ..., "metrics": [...]}.
        definitions = loaded.get("metrics", []) if isinstance(loaded, dict) else loaded
    if metrics is None:
        found = sorted(package.folder.glob("*_metrics.csv"))
        metrics = _read_csv(found[0], "metrics") if found else None
    return metrics, definitions


def _changed(changes: dict[str, Any]) -> dict[str, Any]:
    return {name: counts for name, counts in sorted(changes.items())
            if any(counts.get(kind) for kind in ("added", "changed", "removed"))}


def site_manifest(run: dict[str, Any]) -> dict[str, Any]:
    """run.json -> the part of it the site may show: nothing that changes on a night without new data.

    Left out: the run date (unless no body has a last good date), whether inputs were unchanged, the
    status tally, change counts that are all zero, and raw folders not named <code>_<slug> (no body: the
    run's output and run.json report them).
    """
    bodies = []
    for entry in run.get("bodies", []):
        if not _is_body(entry):
            continue
        kept = {k: v for k, v in entry.items() if k not in ("unchanged_inputs", "changes", "timings")}
        changed = _changed(entry.get("changes") or {})
        if changed:
            kept["changes"] = changed
        bodies.append(kept)
    manifest: dict[str, Any] = {"synthetic": bool(run.get("synthetic")), "bodies": bodies}
    if not any(b.get("last_good") for b in bodies) and run.get("run_date"):
        manifest["run_date"] = run["run_date"]
    return manifest


def _is_body(entry: dict[str, Any]) -> bool:
    """Whether a run.json entry is a body: its package is named <code>_<slug> (not a misnamed raw folder)."""
    code, _, slug = str(entry.get("package", "")).partition("_")
    try:
        return identifiers.package_name(code, slug) == entry.get("package") and code == entry.get("code")
    except identifiers.IdentifierError:
        return False


def read_manifest(root: Path) -> dict[str, Any]:
    """The site's part of root/run.json ({} when there is none)."""
    run_path = root / "run.json"
    return site_manifest(json.loads(run_path.read_text(encoding="utf-8"))) if run_path.is_file() else {}


def load(root: Path) -> SiteData:
    """Published packages directory -> SiteData; bodies sorted by local government code."""
    run = read_manifest(root)
    bodies: list[Package] = []
    combined: Package | None = None
    for folder in sorted(p for p in root.iterdir() if (p / "datapackage.json").is_file()):
        package = read_package(folder)
        if package.name.endswith(ALL_SUFFIX):
            combined = package
        else:
            bodies.append(package)
    metrics, definitions = _read_metrics(combined) if combined else (None, [])
    return SiteData(root=root, run=run, bodies=bodies, combined=combined, metrics=metrics,
                    metric_definitions=definitions)
