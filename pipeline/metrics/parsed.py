"""A body's cases as the all-bodies metrics read them (parsed from its published text, with each case's first
referral date), as an Arrow table kept from night to night.

The all-bodies rows count every body's cases, so on a night on which one body changed they still read every body's
cases. Parsing them (dates, codes, text, the referral steps) is most of that work; a body whose package and data
start are unchanged gives the same parsed columns, which are kept under a key of both and read back as they were
(dates as their day numbers, text as its distinct values and their codes, so they come back the same).
"""

import datetime as dt
import hashlib
import json

import numpy as np
import pandas as pd
import pyarrow as pa

from .inputs import Cases

# why: a change to what the kept table holds makes every kept table unusable
VERSION = "1"
KIND = ".cases"  # the kept file: <package>.<key>.cases.arrow in the metrics cache
DATES = ("requested", "first_response", "closed")
TEXTS = ("code", "category", "channel", "status", "decline_reason", "mesh_level", "referred_to", "referred_to_code")
FLAGS = ("reopened", "duplicate")


def key(name: str, fingerprint: str, data_since: dict[str, str] | None, as_of: dt.date, salt: str) -> str:
    """What a body's parsed cases depend on: its package, every data start, the as-of date and the code."""
    figures = [VERSION, name, fingerprint, sorted((data_since or {}).items()), as_of.isoformat(), salt]
    return hashlib.sha256(json.dumps(figures, ensure_ascii=False).encode()).hexdigest()[:40]


def to_table(cases: Cases, referral: np.ndarray) -> pa.Table:
    """Parsed cases and their referral dates -> a table to keep (the case keys are not kept: they were only
    needed to look up the referral dates)."""
    columns: dict[str, pa.Array] = {}
    for name in DATES:
        columns[name] = pa.array(getattr(cases, name).astype("datetime64[D]").view("int64"))
    columns["referral"] = pa.array(np.asarray(referral, dtype="datetime64[D]").view("int64"))
    for name in TEXTS:
        values = getattr(cases, name)
        if values is None:
            values = np.full(len(cases), "", dtype=object)
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
        columns[name] = pa.DictionaryArray.from_arrays(pa.array(codes.astype("int32")),
                                                       pa.array(list(uniques), type=pa.string()))
    for name in FLAGS:
        columns[name] = pa.array(np.asarray(getattr(cases, name), dtype=bool))
    return pa.table(columns)


def from_table(table: pa.Table) -> tuple[Cases, np.ndarray]:
    """A kept table -> the parsed cases (without keys) and their referral dates, as to_table was given them."""
    def day(name: str) -> np.ndarray:
        days: np.ndarray = table[name].to_numpy().view("datetime64[D]")
        return days

    def text(name: str) -> np.ndarray:
        column = table[name].combine_chunks()
        indices = column.indices.to_numpy(zero_copy_only=False)
        uniques = np.array(column.dictionary.to_pylist(), dtype=object)
        values: np.ndarray = uniques[indices] if len(uniques) else np.array([], dtype=object)
        return values

    def flag(name: str) -> np.ndarray:
        on: np.ndarray = table[name].to_numpy(zero_copy_only=False).astype(bool)
        return on

    cases = Cases(code=text("code"), requested=day("requested"), first_response=day("first_response"),
                  closed=day("closed"), category=text("category"), channel=text("channel"), status=text("status"),
                  decline_reason=text("decline_reason"), reopened=flag("reopened"), duplicate=flag("duplicate"),
                  mesh_level=text("mesh_level"), key=None, referred_to=text("referred_to"),
                  referred_to_code=text("referred_to_code"))
    return cases, day("referral")


__all__ = ["from_table", "key", "to_table"]
