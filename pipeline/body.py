"""One body end to end: the stages in order, each with the same shape (inputs -> pure transform -> outputs).

    exports.read_exports      raw files            -> intake text frames          (ingest)
    normalize.normalize_body  intake frames        -> typed tables + rejected rows (normalize)
    anonymize.anonymize_body  typed tables         -> published tables + report   (anonymize)
    package.write_package     published tables     -> the body's package folder   (package)
    validate.validate_package the package folder   -> a verdict                   (validate)
    words.remember_package    the package folder   -> its texts split into words  (kept for the database)

`build_body` never raises for bad data: a body that cannot be published comes back as a failed
BodyResult saying why, and the others go on.
"""

import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

from . import anonymize, changes, fetch, package, reference, schema
from .adapter import Adapter
from .exports import read_exports
from .faults import fault_point
from .formats import sqlite_parts, words
from .ingest import RawFile
from .normalize import Normalized, normalize_body
from .options import Options
from .problems import ExportError, Problem
from .results import BodyResult
from .reuse import input_fingerprint, reuse_previous
from .validate import validate_package


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
        exports = read_exports(adapter, folder)
        result.sources = exports.files
        tables = normalize_body(exports, adapter, as_of=options.run_date)
    except ExportError as exc:
        result.problems = [exc.problem]
        result.error = exc.problem.describe()
        return result
    clock = _lap(result, "ingest_normalize", clock)
    _count(result, tables)
    result.error = over_reject_limit(tables, adapter, result.problems)
    if result.error is not None:
        return result
    return _publish(result, tables, adapter, folder, options, fingerprint, clock)


def _publish(result: BodyResult, tables: dict[str, Normalized], adapter: Adapter, folder: Path, options: Options,
             fingerprint: str, clock: float) -> BodyResult:
    """Anonymize, package and validate a body whose tables are within its reject limit."""
    settings = anonymize.Settings(secret=options.secret, k=adapter.k, publish_free_text=adapter.publish_free_text,
                                  private_categories=frozenset(adapter.private_categories),
                                  cache_dir=options.log_dir.parent / "scrub-cache" / adapter.package_name)
    published, report = anonymize.anonymize_body(tables, adapter, settings)
    clock = _lap(result, "anonymize", clock)
    frames = {"municipalities": reference.municipalities().query("municipality_code == @adapter.code"),
              **published}
    directory = options.out_dir / adapter.package_name
    meta = body_meta(adapter, options, result.sources, report.to_dict(settings), result.quarantined)
    meta["mieruka"]["input_fingerprint"] = fingerprint
    package.write_package(directory, meta, frames, adapter.code, helpers=options.helpers)
    fault_point("build:body-written")
    clock = _lap(result, "package", clock)
    verdict = validate_package(directory / "datapackage.json")
    clock = _lap(result, "validate", clock)
    if not verdict.valid:
        shutil.rmtree(directory)
        result.error = f"published package did not validate: {verdict.text.splitlines()[0] if verdict.text else ''}"
        return result
    result.status = "published"
    kept_words = options.words_dir / f"{adapter.package_name}.parquet"
    words.remember_package(directory, kept_words)
    clock = _lap(result, "words", clock)
    sqlite_parts.remember_package(directory, options.parts_dir / f"{adapter.package_name}.db", words.load(kept_words))
    _lap(result, "database_part", clock)
    if options.previous_dir is not None:
        result.changes = changes.diff(options.previous_dir / adapter.package_name, directory)
    result.rows = {name: len(frame) for name, frame in published.items()}
    for name, frame in published.items():  # why: rows in = published + quarantined, checked per table
        if name in result.tables and result.tables[name]["published"] != len(frame):
            raise RuntimeError(f"{adapter.package_name} {name}: {result.tables[name]['published']} rows normalized "
                               f"but {len(frame)} published")
    result.last_good = options.run_date.isoformat()
    return result


def _count(result: BodyResult, tables: dict[str, Normalized]) -> None:
    """The result's problems and its rows in, published and quarantined per table."""
    result.problems = sorted(p for t in tables.values() for p in t.problems)
    result.quarantined = sum(t.quarantined_rows for t in tables.values())
    # why: quarantined = rejected (an error in the row) + left out (an adapter filter or an identical repeat)
    result.tables = {name: {"rows_in": t.rows_in, "published": len(t.frame), "quarantined": t.quarantined_rows,
                            "rejected": t.rejected_rows, "left_out": t.quarantined_rows - t.rejected_rows,
                            "causes": t.causes(), "kept": t.kept()} for name, t in tables.items()}


def over_reject_limit(tables: dict[str, Normalized], adapter: Adapter, problems: list[Problem]) -> str | None:
    """The body's error when more of its rows were rejected than its adapter allows (None: within the limit)."""
    rejected = sum(t.rejected_rows for t in tables.values())
    considered = sum(t.rows_in - (t.quarantined_rows - t.rejected_rows) for t in tables.values())
    share = rejected / considered if considered else 1.0
    if share <= adapter.max_reject_share:
        return None
    causes = Counter[str]()
    for table in tables.values():
        causes.update(table.causes())
    first = next(p for p in problems if not p.excluded)
    return (f"{rejected} of {considered} rows rejected ({share:.1%}), over the limit of "
            f"{adapter.max_reject_share:.0%}; by cause: "
            + "; ".join(f"{n} × {c}" for c, n in causes.most_common(3))
            + f"; first: {first.describe()}")


def _lap(result: BodyResult, stage: str, since: float) -> float:
    now = time.perf_counter()
    result.timings[stage] = round(now - since, 4)
    return now


def body_meta(adapter: Adapter, options: Options, sources: list[RawFile], anonymization: dict[str, Any],
              quarantined: int) -> dict[str, Any]:
    """The body package's descriptor fields: titles in both languages, sources, licence and anonymization."""
    listed = reference.names().get(adapter.code)
    names = listed or own_names(adapter)
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
                "data_since": adapter.data_since, "currency": adapter.currency,
                # why: a body outside the portal's reference has no row in the municipalities table to name it
                **({} if listed else {"names": names})},
    )


def own_names(adapter: Adapter) -> dict[str, str]:
    """The names of a body outside the portal's reference: the adapter's, else the national lists', else its code."""
    national = reference.national_names().get(adapter.code, {})
    ja = adapter.name_ja or national.get("ja") or adapter.code
    return {"ja": ja, "en": adapter.name_en or national.get("en") or ja}
