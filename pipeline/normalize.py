"""Normalize stage: intake text cells -> typed canonical values, one problem per rejected cell.

Entry point `normalize_body(exports, adapter, as_of)`. Input: the ingest stage's Exports. Output: one
Normalized per resource (typed rows plus every rejected row with file, row, column, value and reason).
Pure functions over DataFrames; the cell parsers are in pipeline/cells.py. Every value is parsed once
per distinct value (exports repeat the same dates and words thousands of times), then mapped back.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import intake, location
from .adapter import Adapter, Source
from .cells import Invalid as Invalid  # re-exported: the reason a cell is refused
from .cells import parsers
from .cells import published_limit as published_limit  # re-exported: callers check a column's limit
from .cells import text as text  # re-exported: the canonical cleaning of a text cell
from .exports import Exports
from .ingest import DASHES, FILE, KEY, NOT_AN_OBJECT, NUL_MARK, RECORD, ROW, cell_int
from .location import ROW_KEPT
from .problems import Problem
from .wareki import fiscal_year

JAPAN_LAT = (20.0, 46.0)
JAPAN_LON = (122.0, 154.0)


@dataclass
class Normalized:
    """Typed rows of one resource and the rows it rejected."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_in: int = 0

    @property
    def withholding(self) -> list[Problem]:
        """Problems that keep the row out of the package (a withheld location keeps its row)."""
        return [p for p in self.problems if not p.reason.endswith(ROW_KEPT)]

    @property
    def rejected_rows(self) -> int:
        """Rows quarantined for an error (rows left out by an adapter filter are not errors)."""
        return len({_row_id(p) for p in self.withholding if not p.excluded})

    @property
    def quarantined_rows(self) -> int:
        """Every row that is not published: rejected or left out by a filter."""
        return len({_row_id(p) for p in self.withholding})

    def causes(self) -> dict[str, int]:
        """Quarantined rows by their first cause (a row with two bad cells counts once)."""
        return _by_cause(self.withholding)

    def kept(self) -> dict[str, int]:
        """Published rows with a logged problem (a withheld location, an undated completion), by first cause."""
        return _by_cause([p for p in self.problems if p.reason.endswith(ROW_KEPT)])


def _by_cause(problems: list[Problem]) -> dict[str, int]:
    first: dict[object, str] = {}
    for problem in problems:
        first.setdefault(_row_id(problem), problem.cause)
    counts: dict[str, int] = {}
    for cause in first.values():
        counts[cause] = counts.get(cause, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _row_id(problem: Problem) -> object:
    return problem.key if problem.key is not None else (problem.file, problem.row)


def _problem(frame: pd.DataFrame, i: int, file: str, column: str | None, value: str, reason: str) -> Problem:
    """A problem for the row at index i: its own file, line, record label and key."""
    return Problem(str(frame.at[i, FILE]) if FILE in frame.columns else file, cell_int(frame.at[i, ROW]), column,
                   value, reason, record=str(frame.at[i, RECORD]) if RECORD in frame.columns else None,
                   key=cell_int(frame.at[i, KEY]) if KEY in frame.columns else None)


def parse_columns(frame: pd.DataFrame, resource: str, adapter: Adapter, source: Source,
                  file: str) -> Normalized:
    """Intake text frame -> typed frame; cells that fail become problems and their rows drop."""
    if KEY not in frame.columns:
        frame = frame.assign(**{KEY: range(len(frame))})
    parsers_ = parsers(resource, adapter, source)
    carried = [c for c in (ROW, KEY, FILE, RECORD) if c in frame.columns]
    out = pd.DataFrame({c: frame[c].to_numpy() for c in carried})
    problems: list[Problem] = []
    if NUL_MARK in frame.columns:
        problems += [_problem(frame, i, file, None, "", "NUL byte in this row: the row is damaged")
                     for i in frame.index[frame[NUL_MARK].astype(bool)]]
    if NOT_AN_OBJECT in frame.columns:
        bad = ~frame[NOT_AN_OBJECT].astype(str).isin(["", "nan", "None"])
        problems += [_problem(frame, i, file, None, str(frame.at[i, NOT_AN_OBJECT]), "item is not a JSON object")
                     for i in frame.index[bad]]
    for column in intake.columns(resource):
        if column.kind == "private":
            continue  # why: never carried past ingest, not even as an empty column
        if column.name not in frame.columns:
            out[column.name] = None
            continue
        raw = frame[column.name].astype(str)
        if column.kind == "int" or (column.kind in ("date", "number", "code") and not column.required):
            raw = raw.where(~raw.str.strip().isin(DASHES), "")  # why: '-' in an amount or date cell means none
        values, failed = _map_unique(raw, parsers_[column.name], column.required)
        out[column.name] = values
        problems.extend(_problem(frame, i, file, column.name, str(raw.at[i]), _naming(column.name, reason))
                        for i, reason in failed.items())
    result = Normalized(out, problems, rows_in=len(frame))
    return _drop_rejected(result)


def _naming(column: str, reason: str) -> str:
    """'latitude: not a number': rows are counted by reason, and a bare 'not a number' names no column."""
    return reason if column in reason else f"{column}: {reason}"


def _map_unique(raw: pd.Series, parse: Callable[[str], object],
                required: bool) -> tuple[pd.Series, dict[int, str]]:
    """Each distinct text parsed once -> (the values, None where empty or refused; {row index: reason})."""
    codes, uniques = pd.factorize(raw, sort=False)
    parsed = np.full(len(uniques), None, dtype=object)
    reasons: dict[int, str] = {}
    for j, value in enumerate(uniques):
        if not value.strip():
            if required:
                reasons[j] = "required value is empty"
            continue
        try:
            parsed[j] = parse(value)
        except Invalid as exc:
            reasons[j] = str(exc)
    values = pd.Series(parsed[codes], index=raw.index, dtype=object)
    refused = np.flatnonzero(np.isin(codes, list(reasons))) if reasons else np.array([], dtype="int64")
    bad = {cell_int(raw.index[k]): reasons[int(codes[k])] for k in refused}
    return values, bad


def _drop_rejected(result: Normalized) -> Normalized:
    keys = {p.key for p in result.problems}
    frame = result.frame[~result.frame[KEY].isin(keys)].reset_index(drop=True)
    return Normalized(frame, result.problems, result.rows_in)


def reject(result: Normalized, mask: pd.Series, file: str, column: str, reason: str,
           values: pd.Series | None = None) -> Normalized:
    """Move the rows under `mask` to the problems, with one reason."""
    if not mask.any():
        return result
    frame = result.frame[~mask].reset_index(drop=True)
    return Normalized(frame, result.problems + _logged(result, mask, file, column, reason, values), result.rows_in)


def _logged(result: Normalized, mask: pd.Series, file: str, column: str, reason: str,
            values: pd.Series | None = None) -> list[Problem]:
    """One problem with this reason for each row under `mask`, showing its value (of `values`, else the column)."""
    shown = values if values is not None else result.frame[column]
    shown = shown.astype(object).where(shown.notna(), "").astype(str)
    return [_problem(result.frame, i, file, column, str(shown.at[i]), reason) for i in result.frame.index[mask]]


def log_kept(result: Normalized, mask: pd.Series, file: str, column: str, reason: str) -> Normalized:
    """Log a problem for the rows under `mask` and keep them (reason ends with ROW_KEPT)."""
    if not mask.any():
        return result
    return Normalized(result.frame, result.problems + _logged(result, mask, file, column, reason), result.rows_in)


def check_coordinates(result: Normalized, file: str) -> Normalized:
    """Swap lat/lon given the wrong way round; reject coordinates outside Japan."""
    frame = result.frame
    if "latitude" not in frame.columns:
        return result
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    swapped = lat.between(*JAPAN_LON) & lon.between(*JAPAN_LAT)
    frame.loc[swapped, ["latitude", "longitude"]] = frame.loc[swapped, ["longitude", "latitude"]].to_numpy()
    lat, lon = lat.where(~swapped, lon), lon.where(~swapped, lat)
    half = lat.isna() != lon.isna()
    result = reject(result, half, file, "latitude", "latitude and longitude must both be given or both empty")
    frame = result.frame
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    outside = lat.notna() & ~(lat.between(*JAPAN_LAT) & lon.between(*JAPAN_LON))
    shown = frame["latitude"].astype(str) + "," + frame["longitude"].astype(str)
    return reject(result, outside, file, "latitude", "coordinates outside Japan", shown)


def check_unique(result: Normalized, column: str, file: str) -> Normalized:
    duplicated = result.frame[column].duplicated(keep="first") & result.frame[column].notna()
    return reject(result, duplicated, file, column, "duplicate identifier: an earlier row has the same one")


# why: events that a run dated D reports cannot have happened after D; contract periods may run beyond it
EVENT_DATES = {"cases": ("received", "first_response", "closed"), "actions": ("action_date",),
               "work_orders": ("order_date", "completion_date")}


def check_as_of(result: Normalized, resource: str, file: str, as_of: dt.date | None) -> Normalized:
    """Rows with an event date after the run's as-of date are quarantined, naming the date."""
    if as_of is None:
        return result
    for column in EVENT_DATES.get(resource, ()):
        if column not in result.frame.columns:
            continue
        later = result.frame[column].map(lambda d: d is not None and d == d and d > as_of).astype(bool)
        result = reject(result, later, file, column,
                        f"date after the run's as-of date {as_of.isoformat()}: an event cannot be reported "
                        "before it happens")
    return result


CLOSED_STATUSES = ("completed", "declined")


def closed_from_actions(cases: Normalized, actions: Normalized, codes_: tuple[str, ...]) -> Normalized:
    """A closed case's closed date, where the export gives none, is the latest date of its actions of these codes."""
    if not codes_ or cases.frame.empty:
        return cases
    done = actions.frame[actions.frame["action"].isin(codes_)]
    latest = done.groupby("case_number")["action_date"].max()
    f = cases.frame.copy()
    # why: only a case that is closed has a closed date; an open one's follow-up work does not close it
    missing = f["closed"].isna() & f["status"].isin(CLOSED_STATUSES)
    f.loc[missing, "closed"] = f.loc[missing, "case_number"].map(latest)
    f["closed"] = f["closed"].astype(object).where(f["closed"].notna(), None)
    return Normalized(f, cases.problems, cases.rows_in)


def normalize_cases(result: Normalized, file: str) -> Normalized:
    """Cross-field rules of a case; fills the derived and defaulted columns."""
    result = check_unique(result, "case_number", file)
    result = check_coordinates(result, file)
    f = result.frame
    declined = (f["status"] == "declined") & f["decline_reason"].isna()
    result = reject(result, declined, file, "decline_reason", "declined case without a decline reason")
    f = result.frame
    before = pd.Series([c is not None and c < r for c, r in zip(f["closed"], f["received"], strict=True)],
                       index=f.index, dtype=bool)
    result = reject(result, before, file, "closed", "closed before it was received")
    f = result.frame
    # why: the case happened and was done; dropping it would undercount the body's requests. Its time to close is
    # unknown (left out of those figures) and the metric closed_date_recorded_share shows the gap.
    completed = (f["status"] == "completed") & f["closed"].isna()
    result = log_kept(result, completed, file, "closed",
                      f"completed case without a completion date (give the date it was closed); {ROW_KEPT}")
    f = result.frame.copy()
    f["fiscal_year"] = f["received"].map(fiscal_year)
    defaults = {"infrastructure": "road", "channel": "other", "road_administrator": "unknown",
                "reopened": False}
    for column, value in defaults.items():
        f[column] = f[column].where(f[column].notna(), value)
    return Normalized(f, result.problems, result.rows_in)


def normalize_body(exports: Exports, adapter: Adapter, as_of: dt.date | None = None) -> dict[str, Normalized]:
    """Normalize stage of one body: intake text frames -> typed canonical tables and their rejected rows.

    Each resource is parsed cell by cell, dated no later than the run (as_of), its points checked
    against the body's territory; cases take their closed dates from the actions and their cross-field
    rules, and rows pointing at a missing case or contract are quarantined (link)."""
    out: dict[str, Normalized] = {}
    for resource, export in exports.tables.items():
        parsed = parse_columns(export.frame, resource, adapter, adapter.sources[resource], export.label)
        parsed = Normalized(parsed.frame, export.excluded + parsed.problems, export.rows_in)
        out[resource] = check_as_of(parsed, resource, export.label, as_of)
    location.check_tables(out, adapter)  # points outside the body lose their location (row kept), reported
    if "cases" in out:
        cases_source = adapter.sources["cases"]
        if "actions" in out:
            out["cases"] = closed_from_actions(out["cases"], out["actions"], cases_source.closed_from_actions)
        out["cases"] = normalize_cases(out["cases"], cases_source.file)
    link(out, adapter)
    return out


def link(tables: dict[str, Normalized], adapter: Adapter) -> None:
    """Cross-table quarantine: rows pointing at a case or contract that does not exist (in place)."""
    known_cases = set(tables["cases"].frame["case_number"]) if "cases" in tables else set()
    if "actions" in tables:
        result = tables["actions"]
        missing = ~result.frame["case_number"].isin(known_cases)
        tables["actions"] = reject(result, missing, adapter.sources["actions"].file, "case_number",
                                             "action for a case that is not in the cases export")
    if "work_orders" in tables:
        result = tables["work_orders"]
        file = adapter.sources["work_orders"].file
        known_contracts = set(tables["contracts"].frame["contract_id"]) if "contracts" in tables else set()
        result = reject(result, ~result.frame["contract_id"].isin(known_contracts), file,
                                  "contract_id", "work order under a contract that is not in the contracts export")
        result = check_unique(result, "work_order_id", file)
        dangling = result.frame["case_number"].notna() & ~result.frame["case_number"].isin(known_cases)
        tables["work_orders"] = reject(result, dangling, file, "case_number",
                                                 "work order for a case that is not in the cases export")
    if "contracts" in tables:
        tables["contracts"] = check_unique(tables["contracts"], "contract_id",
                                                     adapter.sources["contracts"].file)
