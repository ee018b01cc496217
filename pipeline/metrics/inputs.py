"""Published tables (text as read from the CSVs, or already typed) -> numpy columns the metrics need."""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TRUE_TEXT = frozenset({"true", "1", "yes", "t"})
# The columns of each published table the metrics read (compute_metrics needs no others).
READS: dict[str, tuple[str, ...]] = {
    "cases": ("municipality_code", "service_request_id", "requested_date", "first_response_date", "closed_date",
              "category", "channel", "status", "decline_reason", "reopened", "duplicate_of", "mesh_level",
              "referred_to", "referred_to_code"),
    "actions": ("municipality_code", "service_request_id", "action", "action_date"),
    "contracts": ("municipality_code", "contract_id", "contract_type", "fiscal_year", "start_date", "end_date",
                  "contract_amount", "work_category", "contractor", "procurement_method", "estimated_price"),
    "work_orders": ("municipality_code", "contract_id", "fiscal_year", "order_date", "amount", "status",
                    "work_category"),
}


def rows_read(resource: str, table: pa.Table) -> pa.Table:
    """The rows of a table (an arrow table of its READS columns) the metrics can use; the rest dropped.

    Of the actions only the referred steps count (first_referral); a row is kept if its action merely
    contains "referred", so that first_referral still makes the exact comparison."""
    if resource != "actions" or not table.num_rows:
        return table
    action = pc.fill_null(table["action"].cast(pa.string()), "")
    return table.filter(pc.match_substring(action, "referred"))


def text(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Column as stripped text (object array); missing cells and absent columns give ''."""
    if name not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    column = frame[name]
    if isinstance(column.dtype, pd.CategoricalDtype) and column.cat.categories.dtype == object:
        codes, uniques = column.cat.codes.to_numpy(), column.cat.categories.to_numpy(dtype=object)
    elif column.dtype == object:
        # why: a column repeats few values; strip each distinct one once (missing cells give "")
        codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    else:
        return column.astype("string").fillna("").str.strip().to_numpy(dtype=object)
    if all(isinstance(u, str) for u in uniques):
        stripped: np.ndarray = np.array([*(u.strip() for u in uniques), ""], dtype=object)[codes]
        return stripped
    values = column.astype("string").fillna("").str.strip()
    return values.to_numpy(dtype=object)


def code(frame: pd.DataFrame, name: str = "municipality_code") -> np.ndarray:
    """Local-government codes as 6-character text, restoring zeros lost to integer inference."""
    values = text(frame, name)
    if not len(values):
        return values
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.array([v.zfill(6) if v.isdigit() else v for v in uniques], dtype=object)[codes]


def dates(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Column as datetime64[D]; empty or unparseable cells give NaT."""
    if name not in frame.columns:
        return np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[D]")
    column = frame[name]
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    if isinstance(column.dtype, pd.CategoricalDtype) or column.dtype == object:
        # why: a column repeats few dates; parse each distinct text once (missing cells give NaT)
        codes, uniques = _distinct(column)
        parsed = _parse_dates(pd.Series(uniques, dtype=object))
        dated: np.ndarray = np.append(parsed, np.datetime64("NaT", "D"))[codes]
        return dated
    return _parse_dates(column)


def _distinct(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for missing) and the distinct values of an object or categorical column."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories.to_numpy(dtype=object)
    return pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)


def _parse_dates(column: pd.Series) -> np.ndarray:
    head = column.astype("string").str.slice(0, 10)
    parsed = pd.to_datetime(head, format="%Y-%m-%d", errors="coerce")
    return parsed.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def numbers(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Column as float64; empty or non-numeric cells give NaN."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    column = frame[name]
    if isinstance(column.dtype, pd.CategoricalDtype):
        # why: a column repeats values; parse each distinct text once (missing cells give NaN)
        codes, uniques = _distinct(column)
        parsed = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(dtype="float64",
                                                                                      na_value=np.nan)
        mapped: np.ndarray = np.append(parsed, np.nan)[codes]
        return mapped
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def flags(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Boolean column from true/false text or typed booleans; missing is False."""
    if name not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    column = frame[name]
    if pd.api.types.is_bool_dtype(column):
        return column.fillna(False).to_numpy(dtype=bool)
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = _distinct(column)
        distinct = flags(pd.DataFrame({name: pd.Series(uniques, dtype=object)}), name)
        mapped: np.ndarray = np.append(distinct, False)[codes]
        return mapped
    lowered = column.astype("string").fillna("").str.strip().str.lower()
    return lowered.isin(TRUE_TEXT).to_numpy(dtype=bool)


def day(value: dt.date | str) -> np.datetime64:
    """A date or ISO date text -> datetime64[D]."""
    return np.datetime64(str(value)[:10], "D")


@dataclass(frozen=True)
class Cases:
    """The columns of the cases table the metrics read, one entry per counted case."""

    code: np.ndarray
    requested: np.ndarray
    first_response: np.ndarray
    closed: np.ndarray
    category: np.ndarray
    channel: np.ndarray
    status: np.ndarray
    decline_reason: np.ndarray
    reopened: np.ndarray
    duplicate: np.ndarray
    mesh_level: np.ndarray
    key: np.ndarray | None  # municipality_code|service_request_id; None once the referrals are looked up (join_cases)
    referred_to: np.ndarray | None = None
    referred_to_code: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.code)


def _per_code(codes: np.ndarray, starts: dict[str, np.datetime64]) -> np.ndarray:
    """Each row's body's data start (NaT where none is given), looked up once per distinct code."""
    if not len(codes):
        return np.array([], dtype="datetime64[D]")
    index, uniques = pd.factorize(codes, use_na_sentinel=False)
    return np.array([starts.get(c, np.datetime64("NaT")) for c in uniques], dtype="datetime64[D]")[index]


def read_cases(frame: pd.DataFrame, data_since: dict[str, str], until: dt.date) -> Cases:
    """Cases table -> Cases, keeping rows received from the body's data start to the as-of date."""
    codes = code(frame)
    requested = dates(frame, "requested_date")
    since = _per_code(codes, {c: day(v) for c, v in data_since.items()})
    keep = ~np.isnat(requested) & (np.isnat(since) | (requested >= since))
    # why: a date received after the export date is a typo; it would fall outside every period.
    keep &= requested <= np.datetime64(until, "D")
    ids = text(frame, "service_request_id")
    return Cases(
        code=codes[keep],
        requested=requested[keep],
        first_response=dates(frame, "first_response_date")[keep],
        closed=dates(frame, "closed_date")[keep],
        category=text(frame, "category")[keep],
        channel=text(frame, "channel")[keep],
        status=text(frame, "status")[keep],
        decline_reason=text(frame, "decline_reason")[keep],
        reopened=flags(frame, "reopened")[keep],
        duplicate=text(frame, "duplicate_of")[keep] != "",
        mesh_level=text(frame, "mesh_level")[keep],
        key=(codes + "|" + ids)[keep] if len(codes) else np.array([], dtype=object),
        referred_to=text(frame, "referred_to")[keep],
        referred_to_code=code(frame, "referred_to_code")[keep],
    )


def join_cases(parts: list[Cases]) -> Cases:
    """The cases of several bodies one after another, without their keys (only a body's own referrals are looked
    up by them, and at 10 million cases they are about 1 GB of text)."""
    def joined(name: str) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts])

    return Cases(
        code=joined("code"), requested=joined("requested"), first_response=joined("first_response"),
        closed=joined("closed"), category=joined("category"), channel=joined("channel"), status=joined("status"),
        decline_reason=joined("decline_reason"), reopened=joined("reopened"), duplicate=joined("duplicate"),
        mesh_level=joined("mesh_level"), key=None, referred_to=joined("referred_to"),
        referred_to_code=joined("referred_to_code"),
    )


def first_referral(actions: pd.DataFrame | None) -> dict[str, np.datetime64]:
    """Actions table -> {municipality_code|service_request_id: date of the first 'referred' step}."""
    if actions is None or actions.empty:
        return {}
    actions = actions[text(actions, "action") == "referred"]  # why: few rows; read the rest of them only
    when = dates(actions, "action_date")
    if not len(actions):
        return {}
    keys = (code(actions) + "|" + text(actions, "service_request_id"))[~np.isnat(when)]
    when = when[~np.isnat(when)]
    out: dict[str, np.datetime64] = {}
    for k, d in zip(keys, when, strict=True):
        if k not in out or d < out[k]:
            out[k] = d
    return out


class Columns:
    """A published table's columns as the metrics read them, each parsed once however often it is read."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._parsed: dict[tuple[str, str], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.frame)

    def _once(self, kind: str, name: str) -> np.ndarray:
        if (kind, name) not in self._parsed:
            parse = {"text": text, "code": code, "numbers": numbers, "dates": dates}[kind]
            self._parsed[(kind, name)] = parse(self.frame, name)
        return self._parsed[(kind, name)]

    def text(self, name: str) -> np.ndarray:
        return self._once("text", name)

    def code(self, name: str = "municipality_code") -> np.ndarray:
        return self._once("code", name)

    def numbers(self, name: str) -> np.ndarray:
        return self._once("numbers", name)

    def dates(self, name: str) -> np.ndarray:
        return self._once("dates", name)
