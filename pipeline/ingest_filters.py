"""Row filters, counts and left-out rows of an adapter: rows leave a table with a problem naming the reason."""

import unicodedata
from typing import Any

import pandas as pd

from .adapter import RowFilter
from .problems import ExportError, Problem
from .readers.columns import FILE, KEY, RECORD, ROW, cell_int


def left_out(frame: pd.DataFrame, mask: pd.Series, column: str | None, reason: str,
              first: pd.Series | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    problems = [Problem(str(frame.at[i, FILE]), cell_int(frame.at[i, ROW]), column,
                        f"repeats line {cell_int(first.at[i])}" if first is not None else "", reason,
                        record=str(frame.at[i, RECORD]) if RECORD in frame.columns else None,
                        key=cell_int(frame.at[i, KEY]), excluded=True) for i in frame.index[mask]]
    return frame[~mask], problems


def closest(name: str, header: list[str]) -> str:
    """'closest in the header: '予定価格 （税抜き）'; the header has [...]' for a column an adapter misnames."""
    import difflib

    folded = {unicodedata.normalize("NFKC", h).replace(" ", ""): h for h in header}
    close = difflib.get_close_matches(unicodedata.normalize("NFKC", name).replace(" ", ""), list(folded), n=1,
                                      cutoff=0.6)
    near = f"closest in the header: {folded[close[0]]!r}; " if close else ""
    return f"{near}the header has {header[:12]}" + (f" and {len(header) - 12} more" if len(header) > 12 else "")


def column_text(frame: pd.DataFrame, name: str, what: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype(str)
    normalized = {unicodedata.normalize("NFKC", str(c)).strip(): c for c in frame.columns}
    actual = normalized.get(unicodedata.normalize("NFKC", name).strip())
    if actual is None:
        header = [str(c) for c in frame.columns if not str(c).startswith("_")]
        raise ExportError(str(frame[FILE].iat[0]) if FILE in frame.columns and len(frame) else "export",
                          f"{what} names column {name!r}, which the header does not have; "
                          + closest(name, header), column=name)
    return frame[actual].astype(str)


def passes(frame: pd.DataFrame, rule: RowFilter, what: str = "a filter") -> pd.Series:
    def norm(v: str) -> str:
        return unicodedata.normalize("NFKC", v).strip()

    values = column_text(frame, rule.column, what).map(norm)
    keep = pd.Series(True, index=frame.index)
    if rule.equals is not None:
        keep &= values == norm(rule.equals)
    if rule.contains is not None:
        keep &= values.str.contains(norm(rule.contains), regex=False)
    if rule.not_contains is not None:
        keep &= ~values.str.contains(norm(rule.not_contains), regex=False)
    if rule.one_of is not None:
        keep &= values.isin([norm(v) for v in rule.one_of])
    if rule.not_empty:
        keep &= values != ""
    return keep


def count_column(frame: pd.DataFrame, count: Any, name: str) -> pd.Series:
    keys = [column_text(frame, c, f"counts.{name}") for c in count.by]
    group = pd.Series(list(zip(*keys, strict=True)), index=frame.index) if len(keys) > 1 else keys[0]
    counted = pd.Series(True, index=frame.index)
    if count.where is not None:
        counted = passes(frame, count.where, f"counts.{name}.where")
    totals = counted.groupby(group).sum()
    return group.map(totals).astype(int).astype(str)


def apply_filters(frame: pd.DataFrame, filters: tuple[RowFilter, ...]) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows failing a filter leave the table, each with a problem naming the filter and its reason."""
    excluded: list[Problem] = []
    for rule in filters:
        keep = passes(frame, rule)
        values = column_text(frame, rule.column, "a filter")
        reason = f"left out by a filter of the adapter ({rule.describe()})"
        reason += f": {rule.reason}" if rule.reason else ""
        excluded += [Problem(str(frame.at[i, FILE]) if FILE in frame.columns else "", cell_int(frame.at[i, ROW]),
                             rule.column, str(values.at[i]), reason, key=cell_int(frame.at[i, KEY]), excluded=True,
                             record=str(frame.at[i, RECORD]) if RECORD in frame.columns else None)
                     for i in frame.index[~keep]]
        frame = frame[keep]
    return frame, excluded
