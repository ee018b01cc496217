"""The nightly path for every body: ingest -> normalize -> anonymize -> package -> validate.

One body's broken export never stops the others: it fails alone, and its last good package
(if any) is carried over and marked stale. I/O happens here and in package.py; the stages
themselves are pure functions over DataFrames.

Bodies are independent, so they are built by an executor (executor.py): serially, on a local
process pool, or on a Dask cluster. Each body writes only into its own package folder; the
shared files (run.json, the combined package, the logs) are written here once every body is back.
"""

import dataclasses
import datetime as dt
import errno
import hashlib
import hmac
import json
import shutil
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import adapter as adapters
from . import (
    anonymize,
    changes,
    combined,
    executor,
    fetch,
    hardlink,
    ingest,
    location,
    normalize,
    package,
    reference,
    schema,
)
from .adapter import Adapter
from .faults import fault_point
from .fetch import FetchSettings
from .formats import dcat
from .ingest import RawFile
from .paths import PACKAGE
from .portal import config as portal_config
from .problems import ExportError, Problem
from .validate import validate_package


@dataclass
class BodyResult:
    """What happened to one body tonight."""

    code: str
    package: str
    status: str = "failed"  # published | stale | failed
    rows: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    error: str | None = None
    last_good: str | None = None
    problems: list[Problem] = field(default_factory=list)
    sources: list[RawFile] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    reused: bool = False  # inputs unchanged since the last run: the package was carried over as is
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds (private run log only)
    # table -> rows_in, published, quarantined (rows_in = published + quarantined) and rows by cause
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        """The manifest entry: counts and status only; quarantined values stay in the private log."""
        return {"code": self.code, "package": self.package, "status": self.status, "rows": self.rows,
                "quarantined": self.quarantined, "tables": self.tables, "last_good": self.last_good,
                "error": self.error if self.status != "published" else None,
                "changes": self.changes, "unchanged_inputs": self.reused}


@dataclass(frozen=True)
class Options:
    """Settings of one build run."""

    raw_dir: Path
    out_dir: Path  # the packages directory being written (a fresh staging folder)
    previous_dir: Path | None  # last published packages, for stale carry-over
    log_dir: Path
    run_date: dt.date
    secret: bytes
    synthetic: bool
    license_id: str = "CC-BY-4.0"
    fetch: FetchSettings = field(default_factory=FetchSettings)
    progress: bool = False  # a live "[2/20] body" line for terminals; cron gets the summary only
    executor: str = "process"  # serial, process, or a Dask scheduler address (tcp://host:8786)
    workers: int | None = None  # process pool size (default: one per core); a Dask cluster sets its own
    code: str | None = None  # code_fingerprint() of the process that started the run (set by run)
    adapters_dir: Path | None = None  # --adapters (else $MIERUKA_ADAPTERS, else pipeline/adapters/)


def find_bodies(raw_dir: Path, adapters_dir: Path | None = None) -> list[tuple[Adapter, Path]]:
    """Each raw folder <code>_<slug>/ with its adapter; a folder without one uses the standard format.

    A broken adapter file does not stop the others: its body comes back as a BrokenAdapter, which
    fails that body alone with the adapter's message (see build_body)."""
    found, broken = adapters.discover_isolated(adapters.adapters_dir(adapters_dir))
    group = portal_config()
    known = {a.package_name: a for a in found if group.includes(a.code)}
    bodies: list[tuple[Adapter, Path]] = []
    for folder in sorted(p for p in raw_dir.iterdir() if p.is_dir()):
        code, _, slug = folder.name.partition("_")
        if not group.includes(code):
            continue  # why: the portal's members are configuration (pipeline/portal.py)
        adapter = known.get(folder.name)
        if adapter is None and folder.name in broken:
            adapter = broken_adapter(folder.name, broken.pop(folder.name))
        if adapter is None:
            adapter = adapters.standard(code, slug)  # AdapterError if the name is not <code>_<slug>
        bodies.append((adapter, folder))
    present = {a.package_name for a, _ in bodies}
    # why: a body whose exports are fetched from its URL needs no folder in the drop beforehand
    bodies += [(a, raw_dir / name) for name, a in sorted(known.items())
               if name not in present and any(s.url for s in a.sources.values())]
    # why: an adapter without its folder that cannot even be read is reported, not silently skipped
    bodies += [(broken_adapter(stem, error), raw_dir / stem) for stem, error in sorted(broken.items())]
    return sorted(bodies, key=lambda pair: pair[0].package_name)


def broken_adapter(stem: str, error: adapters.AdapterError) -> Adapter:
    """A stand-in for a body whose adapter file is invalid: building it fails with the adapter's message."""
    code, _, slug = stem.partition("_")
    return Adapter(code=code, slug=slug, path=Path(stem + ".toml"), sources={}, values={}, pii_drop=(),
                   broken=str(error))


def read_body(adapter: Adapter, folder: Path, as_of: dt.date | None = None,
              ) -> tuple[dict[str, normalize.Normalized], list[RawFile]]:
    """Raw files of one body -> normalized tables and the files' provenance."""
    out: dict[str, normalize.Normalized] = {}
    files: dict[str, RawFile] = {}
    for resource, source in adapter.sources.items():
        read = ingest.read_table(folder, source)
        label = source.file if not source.is_pattern else (read.paths[0].name if len(read.paths) == 1 else source.file)
        frame = ingest.select(read.frame, source, adapter.pii_drop, label)
        for path in read.paths:
            files[path.name] = ingest.describe(path)
        parsed = normalize.parse_columns(frame, resource, adapter, source, label)
        parsed = normalize.Normalized(parsed.frame, read.excluded + parsed.problems, read.rows_in)
        out[resource] = normalize.check_as_of(parsed, resource, label, as_of)
    location.check_tables(out, adapter)  # points outside the body lose their location (row kept), reported
    if "cases" in out:
        cases_source = adapter.sources["cases"]
        if "actions" in out:
            out["cases"] = normalize.closed_from_actions(out["cases"], out["actions"], cases_source.closed_from_actions)
        out["cases"] = normalize.normalize_cases(out["cases"], cases_source.file)
    _link(out, adapter)
    return out, [files[k] for k in sorted(files)]


def _link(tables: dict[str, normalize.Normalized], adapter: Adapter) -> None:
    """Rows pointing at a case or contract that does not exist are quarantined."""
    known_cases = set(tables["cases"].frame["case_number"]) if "cases" in tables else set()
    if "actions" in tables:
        result = tables["actions"]
        missing = ~result.frame["case_number"].isin(known_cases)
        tables["actions"] = normalize.reject(result, missing, adapter.sources["actions"].file, "case_number",
                                             "action for a case that is not in the cases export")
    if "work_orders" in tables:
        result = tables["work_orders"]
        file = adapter.sources["work_orders"].file
        known_contracts = set(tables["contracts"].frame["contract_id"]) if "contracts" in tables else set()
        result = normalize.reject(result, ~result.frame["contract_id"].isin(known_contracts), file,
                                  "contract_id", "work order under a contract that is not in the contracts export")
        result = normalize.check_unique(result, "work_order_id", file)
        dangling = result.frame["case_number"].notna() & ~result.frame["case_number"].isin(known_cases)
        tables["work_orders"] = normalize.reject(result, dangling, file, "case_number",
                                                 "work order for a case that is not in the cases export")
    if "contracts" in tables:
        tables["contracts"] = normalize.check_unique(tables["contracts"], "contract_id",
                                                     adapter.sources["contracts"].file)


def publishable(tables: dict[str, normalize.Normalized], adapter: Adapter, settings: anonymize.Settings,
                ) -> tuple[dict[str, pd.DataFrame], anonymize.Report]:
    """Normalized tables -> the body's published tables (pure)."""
    report = anonymize.Report()
    cache: dict[str, tuple[str, str]] = {}
    out: dict[str, pd.DataFrame] = {}
    if "cases" in tables:
        out["cases"] = anonymize.cases(tables["cases"].frame, adapter.code, settings, report, cache)
    if "actions" in tables:
        out["actions"] = anonymize.actions(tables["actions"].frame, adapter.code, settings, report, cache)
    if "contracts" in tables:
        out["contracts"] = anonymize.contracts(tables["contracts"].frame, adapter.code, report)
    if "work_orders" in tables:
        orders = anonymize.work_orders(tables["work_orders"].frame, adapter.code, settings, report)
        out["work_orders"] = no_finer_than_cases(orders, out["cases"]) if "cases" in out else orders
    if "cases" in out:
        anonymize.place_guarantee(out, tables["cases"].frame, adapter.code, report)
        out["case_cells"] = anonymize.case_cells(out["cases"])
    report.locations_withheld = location.kept_rows([p for t in tables.values() for p in t.problems])
    return out, report


def no_finer_than_cases(orders: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """A work order for a case publishes the case's own location, never a finer one.

    Otherwise the order's cell or town would undo the generalization of the case it points at."""
    place = cases.set_index("service_request_id")[["mesh_code", "mesh_level", "town"]]
    linked = orders["service_request_id"].isin(place.index) & (orders["service_request_id"] != "")
    out = orders.copy()
    for column in ("mesh_code", "mesh_level", "town"):
        out.loc[linked, column] = orders.loc[linked, "service_request_id"].map(place[column]).to_numpy()
    return out


@cache
def code_fingerprint() -> str:
    """Hash of the pipeline's own code, schemas, adapters and reference data (not the site)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".toml", ".csv", ".geojson") \
                and "site" not in path.relative_to(PACKAGE).parts and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def input_fingerprint(adapter: Adapter, folder: Path, options: Options) -> str:
    """Everything a body's package depends on, except the run date: equal prints, equal package."""
    digest = hashlib.sha256()
    parts = [adapter.package_name, options.code or code_fingerprint(), options.license_id, str(options.synthetic),
             hmac.new(options.secret, b"mieruka fingerprint", hashlib.sha256).hexdigest()]
    digest.update("\0".join(parts).encode())
    digest.update(adapter.path.read_bytes())
    for source in sorted({s.file for s in adapter.sources.values()}):
        path = folder / source
        digest.update(source.encode() + b"\0" + (_file_sha256(path) if path.is_file() else b"<missing>"))
    return digest.hexdigest()


def _file_sha256(path: Path) -> bytes:
    """The file's content hash, read in blocks (file times are not trusted: a copy can keep them)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def reuse_previous(result: BodyResult, fingerprint: str, options: Options) -> bool:
    """Carry last night's package over unchanged when its inputs are the same; True if done."""
    if options.previous_dir is None:
        return False
    old = options.previous_dir / result.package
    if package.recorded_fingerprint(old) != fingerprint:
        return False
    try:
        previous = json.loads((options.previous_dir / "run.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    entry = next((b for b in previous.get("bodies", []) if b.get("code") == result.code), None)
    if entry is None or entry.get("status") != "published":
        return False
    hardlink.copy_tree(old, options.out_dir / result.package)
    result.status, result.reused = "published", True
    result.rows, result.last_good = entry.get("rows", {}), entry.get("last_good")
    result.quarantined = entry.get("quarantined", 0)
    result.tables = entry.get("tables", {})
    result.changes = {name: {"added": 0, "changed": 0, "removed": 0} for name in result.rows}
    return True


def build_body(adapter: Adapter, folder: Path, options: Options) -> BodyResult:
    """One body end to end; never raises for bad data (the result says what went wrong)."""
    result = BodyResult(adapter.code, adapter.package_name)
    fault_point("build:body-started")
    if adapter.broken is not None:
        result.error = f"adapter not usable: {adapter.broken}"
        result.problems = [Problem(adapter.path.name, None, None, None, adapter.broken)]
        return result
    try:
        fetch.fetch_body(adapter, folder, options.fetch)
    except ExportError as exc:
        result.problems, result.error = [exc.problem], exc.problem.describe()
        return result
    fingerprint = input_fingerprint(adapter, folder, options)
    if reuse_previous(result, fingerprint, options):
        return result
    clock = time.perf_counter()
    try:
        tables, result.sources = read_body(adapter, folder, as_of=options.run_date)
    except ExportError as exc:
        result.problems = [exc.problem]
        result.error = exc.problem.describe()
        return result
    clock = _lap(result, "ingest_normalize", clock)
    result.problems = sorted(p for t in tables.values() for p in t.problems)
    result.quarantined = sum(t.quarantined_rows for t in tables.values())
    # why: quarantined = rejected (an error in the row) + left out (an adapter filter or an identical repeat)
    result.tables = {name: {"rows_in": t.rows_in, "published": len(t.frame), "quarantined": t.quarantined_rows,
                            "rejected": t.rejected_rows, "left_out": t.quarantined_rows - t.rejected_rows,
                            "causes": t.causes()} for name, t in tables.items()}
    rejected = sum(t.rejected_rows for t in tables.values())
    considered = sum(t.rows_in - (t.quarantined_rows - t.rejected_rows) for t in tables.values())
    share = rejected / considered if considered else 1.0
    if share > adapter.max_reject_share:
        causes = Counter[str]()
        for table in tables.values():
            causes.update(table.causes())
        first = next(p for p in result.problems if not p.excluded)
        result.error = (f"{rejected} of {considered} rows rejected ({share:.1%}), over the limit of "
                        f"{adapter.max_reject_share:.0%}; by cause: "
                        + "; ".join(f"{n} × {c}" for c, n in causes.most_common(3))
                        + f"; first: {first.describe()}")
        return result
    settings = anonymize.Settings(secret=options.secret, k=adapter.k, publish_free_text=adapter.publish_free_text,
                                  private_categories=frozenset(adapter.private_categories),
                                  cache_dir=options.log_dir.parent / "scrub-cache" / adapter.package_name)
    published, report = publishable(tables, adapter, settings)
    clock = _lap(result, "anonymize", clock)
    frames = {"municipalities": reference.municipalities().query("municipality_code == @adapter.code"),
              **published}
    directory = options.out_dir / adapter.package_name
    meta = _body_meta(adapter, options, result.sources, report.to_dict(settings), result.quarantined)
    meta["mieruka"]["input_fingerprint"] = fingerprint
    package.write_package(directory, meta, frames, adapter.code)
    fault_point("build:body-written")
    clock = _lap(result, "package", clock)
    verdict = validate_package(directory / "datapackage.json")
    _lap(result, "validate", clock)
    if not verdict.valid:
        shutil.rmtree(directory)
        result.error = f"published package did not validate: {verdict.text.splitlines()[0] if verdict.text else ''}"
        return result
    result.status = "published"
    if options.previous_dir is not None:
        result.changes = changes.diff(options.previous_dir / adapter.package_name, directory)
    result.rows = {name: len(frame) for name, frame in published.items()}
    for name, frame in published.items():  # why: rows in = published + quarantined, checked per table
        if name in result.tables and result.tables[name]["published"] != len(frame):
            raise RuntimeError(f"{adapter.package_name} {name}: {result.tables[name]['published']} rows normalized "
                               f"but {len(frame)} published")
    result.last_good = options.run_date.isoformat()
    return result


def _lap(result: BodyResult, stage: str, since: float) -> float:
    now = time.perf_counter()
    result.timings[stage] = round(now - since, 4)
    return now


def _body_meta(adapter: Adapter, options: Options, sources: list[RawFile], anonymization: dict[str, Any],
               quarantined: int) -> dict[str, Any]:
    names = reference.names().get(adapter.code) or {"ja": adapter.name_ja or adapter.code,
                                                     "en": adapter.name_en or adapter.name_ja or adapter.code}
    note_ja, note_en = package.synthetic_notes(options.synthetic)
    return package.package_meta(
        name=adapter.package_name, title=f"{names['ja']} 道路等維持管理オープンデータ{note_ja}",
        title_en=f"{names['en']}: road and infrastructure maintenance open data{note_en}",
        description=f"{names['ja']}が受け付けた通報・要望とその対応、維持管理の契約と支出。個人情報は除去済み。",
        description_en=f"Resident reports handled by {names['en']}, each handling step, maintenance contracts "
                       "and spending. Personal data removed.",
        created=package.created(options.run_date),
        sources=[{"title": s.path, "path": s.path, "sha256": s.sha256, "bytes": s.bytes,
                  "exported": s.modified} for s in sources],
        keywords=["道路維持管理", "市民通報", "群マネ", "見える化", names["ja"], "road maintenance", names["en"]],
        license_id=options.license_id, version=schema.version(),
        custom={"synthetic": options.synthetic, "municipality_code": adapter.code,
                "anonymization": anonymization, "quarantined_rows": quarantined,
                "data_since": adapter.data_since, "currency": adapter.currency},
    )


def carry_over(result: BodyResult, options: Options) -> BodyResult:
    """A failed body keeps its last good package, marked stale with its date."""
    if options.previous_dir is None:
        return result
    old = options.previous_dir / result.package
    if not (old / "datapackage.json").is_file():
        return result
    hardlink.copy_tree(old, options.out_dir / result.package)
    previous = json.loads((options.previous_dir / "run.json").read_text(encoding="utf-8")) \
        if (options.previous_dir / "run.json").is_file() else {}
    for body in previous.get("bodies", []):
        if body.get("code") == result.code:
            result.last_good = body.get("last_good")
            result.rows = body.get("rows", {})
    result.status = "stale"
    return result


def write_log(results: list[BodyResult], log_dir: Path, run_date: dt.date) -> Path:
    """The private run log: every quarantined value with file, row, column and reason."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / f"quarantine-{run_date.isoformat()}.csv"
    rows = [{"body": r.code, **p.to_dict()} for r in results for p in r.problems]
    pd.DataFrame(rows, columns=["body", "file", "row", "column", "value", "reason", "record", "excluded"]).to_csv(
        path, index=False)
    return path


def _status(text: str) -> None:
    """Overwrite the terminal's status line (only used when stderr is a terminal)."""
    sys.stderr.write(f"\r\033[K{text}")
    sys.stderr.flush()


@dataclass(frozen=True)
class BodyJob:
    """What a worker needs to build one body (it pickles: sent to pool and cluster workers)."""

    adapter: Adapter
    folder: Path
    options: Options
    on_cluster: bool  # workers on a cluster are other installations: check that their code is the same


def build_job(job: BodyJob) -> BodyResult:
    """One body in a worker; a defect met on its data becomes its failed result, never an exception."""
    adapter = job.adapter
    if job.on_cluster and code_fingerprint() != job.options.code:
        return BodyResult(adapter.code, adapter.package_name,
                          error="this worker runs other mieruka code than the machine that started the run; "
                                "install the same version everywhere")
    try:
        return build_body(adapter, job.folder, job.options)
    except Exception as exc:  # why: a defect met on one body's data must not stop the others
        shutil.rmtree(job.options.out_dir / adapter.package_name, ignore_errors=True)
        if disk_full(exc):
            raise  # why: a full disk is no defect of this body: it stops the run, the live release stays
        return internal_failure(adapter, exc)


def disk_full(exc: BaseException) -> bool:
    """Whether the exception is the disk (or quota) running full."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def internal_failure(adapter: Adapter, exc: BaseException) -> BodyResult:
    """The failed result of a body whose build raised (or whose worker was lost)."""
    result = BodyResult(adapter.code, adapter.package_name,
                        error=f"internal error while building: {type(exc).__name__}")
    result.problems = [Problem(adapter.package_name, None, None, None,
                               "".join(traceback.format_exception(exc))[-4000:])]
    return result


def reuse_unchanged(adapter: Adapter, folder: Path, options: Options) -> BodyResult | None:
    """Last night's package carried over when a body's files are unchanged (None: it must be built).

    Checked before any worker starts, so a night without changes starts none; a body fetched from
    a URL is left to its worker, which fetches first and then makes the same check."""
    if options.previous_dir is None or any(s.url for s in adapter.sources.values()):
        return None
    result = BodyResult(adapter.code, adapter.package_name)
    return result if reuse_previous(result, input_fingerprint(adapter, folder, options), options) else None


def _raw_bytes(folder: Path) -> int:
    """Size of a body's raw folder: the heaviest bodies are started first."""
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) if folder.is_dir() else 0


def build_bodies(options: Options, bodies: list[tuple[Adapter, Path]],
                 on_done: Callable[[str], None] | None = None) -> list[BodyResult]:
    """Every body's package into options.out_dir, results in body order whatever the executor."""
    results: list[BodyResult | None] = [reuse_unchanged(a, f, options) for a, f in bodies]
    for result in results:
        if result is not None and on_done:
            on_done(result.package)
    todo = [i for i, r in enumerate(results) if r is None]
    cluster = executor.on_cluster(options.executor)
    jobs = [BodyJob(bodies[i][0], bodies[i][1], options, cluster) for i in todo]
    outcomes = executor.run_all(build_job, jobs, options.executor, options.workers,
                                weights=[_raw_bytes(job.folder) for job in jobs],
                                on_done=(lambda index, _done: on_done(jobs[index].adapter.package_name))
                                if on_done else None)
    for i, outcome in zip(todo, outcomes, strict=True):
        adapter = bodies[i][0]
        if isinstance(outcome, BodyResult):
            results[i] = outcome
        elif disk_full(outcome):
            raise outcome
        else:  # why: the worker itself was lost (killed, out of memory) or the job could not be sent
            shutil.rmtree(options.out_dir / adapter.package_name, ignore_errors=True)
            results[i] = internal_failure(adapter, outcome)
    return [carry_over(r, options) if r.status == "failed" else r for r in results if r is not None]


def run(options: Options) -> list[BodyResult]:
    """Build every body's package into options.out_dir, then the combined package and run.json."""
    # why: every worker records the code of the process that planned the run, the one the next
    # night compares against, whenever its own interpreter happened to read the source files
    code = options.code or code_fingerprint()
    options = dataclasses.replace(options, code=code)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    bodies = find_bodies(options.raw_dir, options.adapters_dir)
    finished: list[str] = []

    def progress(package_name: str) -> None:
        finished.append(package_name)
        _status(f"[{len(finished)}/{len(bodies)}] {package_name}")

    results = build_bodies(options, bodies, progress if options.progress else None)
    fault_point("build:bodies-done")
    if options.progress:
        _status("combined package and metrics")
    clock = time.perf_counter()
    combined.write(options.out_dir, [r.package for r in results if r.status != "failed"], options.run_date,
                   options.synthetic, options.license_id, previous=options.previous_dir, code=code)
    dcat.write(options.out_dir)
    fault_point("build:combined-written")
    manifest = {"run_date": options.run_date.isoformat(), "synthetic": options.synthetic,
                "status": Counter(r.status for r in results),
                "bodies": [r.public() for r in results]}
    (options.out_dir / "run.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                              encoding="utf-8")
    fault_point("build:run-json-written")
    write_log(results, options.log_dir, options.run_date)
    if options.progress:
        _status("")
    timings = {"combined_and_metrics": round(time.perf_counter() - clock, 4),
               "bodies": {r.package: r.timings for r in results}}
    (options.log_dir / f"timings-{options.run_date.isoformat()}.json").write_text(
        json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    return results


def summary(results: list[BodyResult]) -> list[str]:
    """One screen for cron and for people: a line per body, then the totals."""
    lines = []
    for r in results:
        rows = ", ".join(f"{k} {v:,}" for k, v in sorted(r.rows.items()))
        line = f"{r.status:<9} {r.package:<28} {rows}"
        if r.quarantined:
            line += f"; {r.quarantined} row(s) quarantined"
        for name, table in sorted(r.tables.items()):
            causes = ", ".join(f"{n} {c}" for c, n in list(table["causes"].items())[:3])
            line += (f"\n          {name}: {table['rows_in']} in, {table['published']} published, "
                     f"{table['quarantined']} quarantined" + (f" ({causes})" if causes else ""))
        if r.status == "stale":
            line += f"; kept last good package of {r.last_good}"
        if r.error:
            line += f"\n          {r.error}"
        lines.append(line)
    counts = Counter(r.status for r in results)
    lines.append(", ".join(f"{counts[s]} {s}" for s in ("published", "stale", "failed") if counts[s])
                 + f" of {len(results)} bodies")
    return lines
