"""The metrics table body by body, each body's rows cached by its package's input fingerprint.

A body's rows depend on its own tables and on a few figures of the whole table: the periods (from the
earliest data start of any body to the as-of date), the receiving bodies of the referral flows (every body
has a row for each) and the settings. The cache key holds all of them, so a body whose package is unchanged
and whose context is the same reuses last night's rows, and one changed body recomputes its own rows only.

The all-bodies rows are computed from every body's rows of the tables on every night: a median over all
bodies is not a function of the bodies' medians. They are the cheaper half (no per-body cells). Every figure
is computed from the published rows, so none is withheld and there is no suppression to re-solve across
bodies (docs/privacy.md, "Disclosure consistency"); the rows are sorted together at the end.

Written as text (text_by_body), a body's part is cached as the bytes it is published as too, so an
unchanged body's rows are neither read back nor formatted again: the file is the same bytes either way.

The cache lives in the packages folder (`.metrics-cache/`), so that it travels with the release it belongs
to: a body's entry is carried over from the previous release when its key matches, and dropped otherwise.
"""

import datetime as dt
import functools
import hashlib
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from . import parsed
from .cache import CACHE_DIR, Cache
from .cases import flow_targets
from .compute import Inputs, empty_metrics, finish, join_inputs, read_inputs, sort_rows, table_grid, table_rows
from .definitions import definitions_version
from .denominators import Reference
from .grid import Grid
from .inputs import READS, Cases, code
from .registry import REGISTRY

Text = Callable[[pd.DataFrame], bytes]


@dataclass(frozen=True)
class Body:
    """One body package's tables (the columns the metrics read, as Arrow), with what identifies its content."""

    name: str  # the package folder
    code: str  # its municipality code (the descriptor's)
    fingerprint: str | None  # the package's recorded input fingerprint; None: never cached
    arrow: dict[str, pa.Table]

    def tables(self, names: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
        """The tables (those named, else all) as frames (categorical where the Arrow columns are dictionary-encoded)."""
        return {name: table.to_pandas() for name, table in self.arrow.items() if names is None or name in names}

    def codes(self) -> set[str]:
        """The municipality codes of its rows."""
        return set(self._codes)

    @functools.cached_property
    def _codes(self) -> frozenset[str]:
        found: set[str] = set()
        for table in self.arrow.values():
            if "municipality_code" in table.column_names and table.num_rows:
                column = table["municipality_code"].unique().cast(pa.string()).to_pylist()
                found |= set(code(pd.DataFrame({"municipality_code": pd.Series(column, dtype=object)})))
        return frozenset(found)


@dataclass(frozen=True)
class Settings:
    """What every body's rows depend on besides its own tables (and the as-of date)."""

    as_of: dt.date
    reference: Reference
    min_n: int | None = None  # None: each metric's own
    salt: str = ""  # the code fingerprint of the run, so that new code never reuses old rows


# why: a pass over the whole table holds every metric over every cell of every body at once (about 4 KB a cell:
# 0.5 GB over the 114,000 cells of 175 bodies, and as much again for their rows); above this many cells the bodies
# are computed one by one, so that the metrics' memory is that of the all-bodies cells and of one body's rows.
WHOLE_PASS_CELLS = 60_000


def compute_by_body(tables: dict[str, pd.DataFrame], bodies: list[Body], settings: Settings,
                    data_since: dict[str, str] | None, cache: Cache) -> pd.DataFrame:
    """The metrics table (as compute_metrics gives it) from every body's tables together (`tables`, in body
    order) and each body's own, reusing a body's cached rows where its key matches (rows_by_body, in one frame)."""
    return sort_rows(pd.concat(list(rows_by_body(bodies, settings, data_since, cache, lambda: tables)),
                               ignore_index=True))


def rows_by_body(bodies: list[Body], settings: Settings, data_since: dict[str, str] | None, cache: Cache,
                 load: Callable[[], dict[str, pd.DataFrame]] | None = None) -> Iterator[pd.DataFrame]:
    """The metrics table in parts (see _parts), each typed and sorted."""
    for part in _parts(bodies, settings, data_since, cache, load, None):
        assert isinstance(part, pd.DataFrame)
        yield part


def text_by_body(bodies: list[Body], settings: Settings, data_since: dict[str, str] | None, cache: Cache,
                 text: Text) -> Iterator[bytes]:
    """The metrics table in parts (see _parts) as text(part) gives them (rows -> their published bytes), a body's
    kept in the cache under its key: a night does not format an unchanged body's rows again."""
    for part in _parts(bodies, settings, data_since, cache, None, text):
        assert isinstance(part, bytes)
        yield part


def _parts(bodies: list[Body], settings: Settings, data_since: dict[str, str] | None, cache: Cache,
           load: Callable[[], dict[str, pd.DataFrame]] | None, text: Text | None) -> Iterator[pd.DataFrame | bytes]:
    """The metrics table in parts, one after another in the order of the primary key (as the published file holds
    them): the all-bodies rows, then each body's rows in code order; as text(part) when text is given.

    Only the all-bodies rows need every body's cases together: load() gives every body's tables (default: the
    bodies' own, read body by body, see _every_body), and they are let go once those rows are made. A body's
    rows come from its own tables (Body.arrow), or from the cache.
    When most bodies changed (a first night, new code) on a table of at most WHOLE_PASS_CELLS cells, one pass over
    the whole table is cheaper than a pass per body: the table comes in one part, and each body's rows are cached
    from it. Bodies that share codes are compared together, so no body is computed alone: one part too."""
    as_of = settings.as_of
    inputs = read_inputs(load(), data_since, as_of) if load else _every_body(bodies, data_since, settings, cache)
    if not inputs.bodies:
        yield empty_metrics()
        return
    grid = table_grid(inputs, settings.as_of)
    targets = flow_targets(inputs.cases)
    plan = _plan(bodies, inputs, grid, targets, settings)

    def out(rows: pd.DataFrame) -> pd.DataFrame | bytes:
        return rows if text is None else text(rows)

    if plan is None:
        cache.computed.extend(b.name for b in bodies)
        yield out(finish(table_rows(inputs, grid, settings.reference, settings.min_n, targets)))
        return
    missing = [name for name, (_, key) in plan.items() if not cache.has(name, key)]
    planned = [b for b in bodies if b.name in plan]
    ordered = _in_code_order(planned, plan)
    if 2 * len(missing) > len(plan) and grid.size <= WHOLE_PASS_CELLS:
        whole = finish(table_rows(inputs, grid, settings.reference, settings.min_n, targets))
        _keep_all(whole, plan, set(missing), cache)
        if text is None or ordered is None:
            yield out(whole)
        else:
            yield from _whole_as_text(whole, ordered, plan, cache, text)
        return
    yield out(finish(table_rows(inputs, grid.only_all(), settings.reference, settings.min_n, targets)))
    since = inputs.since
    del inputs  # why: every body's cases; what follows needs one body's at a time
    if ordered is None:  # why: bodies whose codes interleave: their rows are sorted together
        yield out(pd.concat([_body_rows(body, plan[body.name], since, grid, targets, settings, cache)
                             for body in planned], ignore_index=True))
        return
    for body in ordered:
        rows = functools.partial(_body_rows, body, plan[body.name], since, grid, targets, settings, cache)
        yield rows() if text is None else _body_text(body, plan[body.name], cache, text, rows)


def _whole_as_text(whole: pd.DataFrame, ordered: list[Body], plan: dict[str, tuple[tuple[str, ...], str]],
                   cache: Cache, text: Text) -> Iterator[bytes]:
    """One pass's table as text in parts, the all-bodies rows then each body's (kept under its key): the same
    bytes as text(whole), since its rows are in that order."""
    body_rows = (whole["scope"] == "body").to_numpy()
    yield text(whole[~body_rows])
    for body in ordered:
        codes, key = plan[body.name]
        data = text(whole[body_rows & whole["municipality_code"].isin(codes).to_numpy()])
        if key:
            cache.keep_text(body.name, key, data)
        yield data


def _every_body(bodies: list[Body], data_since: dict[str, str] | None, settings: Settings, cache: Cache) -> Inputs:
    """What read_inputs gives for every body's tables together, without a frame of every body's cases: each body's
    cases and referrals are read from its own tables (or kept from an earlier night, _parsed_cases) and joined
    (join_inputs), the money tables (fewer rows, no per-case text) read together. Bodies that share a code are
    read as one table (their referrals may join)."""
    def every(resource: str) -> pd.DataFrame:
        tables = [b.arrow[resource] for b in bodies if resource in b.arrow]
        if not tables:
            return pd.DataFrame({c: pd.Series([], dtype=object) for c in READS[resource]})
        frame: pd.DataFrame = pa.concat_tables(tables).to_pandas()
        return frame

    seen: set[str] = set()
    shared = False
    for body in bodies:
        codes = body.codes()
        shared |= bool(codes & seen)
        seen |= codes
    if shared or not bodies:
        return read_inputs({resource: every(resource) for resource in READS}, data_since, settings.as_of)
    parts = [_parsed_cases(b, data_since, settings, cache) for b in bodies]
    return join_inputs(parts, data_since or {}, every("contracts"), every("work_orders"))


def _parsed_cases(body: Body, data_since: dict[str, str] | None, settings: Settings,
                  cache: Cache) -> tuple[Cases, np.ndarray]:
    """A body's parsed cases and their referral dates: kept from an earlier night while its package, the data
    starts, the as-of date and the code are the same (metrics.parsed), else read from its tables (and kept)."""
    key = parsed.key(body.name, body.fingerprint, data_since, settings.as_of, settings.salt) if body.fingerprint else ""
    kept = cache.read(body.name, key, parsed.KIND) if key else None
    if kept is not None:
        return parsed.from_table(kept)
    mine = read_inputs(body.tables(("cases", "actions")), data_since, settings.as_of)
    if key:
        cache.keep(body.name, key, parsed.to_table(mine.cases, mine.referral), parsed.KIND)
    return mine.cases, mine.referral


def _in_code_order(bodies: list[Body], plan: dict[str, tuple[tuple[str, ...], str]]) -> list[Body] | None:
    """The bodies in the order of their codes, or None when one body's codes fall between another's."""
    ordered = sorted(bodies, key=lambda b: plan[b.name][0])
    spans = [(plan[b.name][0][0], plan[b.name][0][-1]) for b in ordered]
    if any(high >= low for (_, high), (low, _) in itertools.pairwise(spans)):
        return None
    return ordered


def _body_rows(body: Body, planned: tuple[tuple[str, ...], str], data_since: dict[str, str], grid: Grid,
               targets: tuple[str, ...], settings: Settings, cache: Cache) -> pd.DataFrame:
    """One body's rows: cached under its key, else computed from its own tables alone (and cached)."""
    codes, key = planned
    rows = cache.load(body.name, key) if key else None
    if rows is not None:
        return rows
    since = {c: data_since[c] for c in codes if c in data_since}
    mine = read_inputs(body.tables(), since, settings.as_of)
    rows = finish(table_rows(mine, grid.for_bodies(codes), settings.reference, settings.min_n, targets))
    cache.computed.append(body.name)
    if key:
        cache.store(body.name, key, rows)
    return rows


def _body_text(body: Body, planned: tuple[tuple[str, ...], str], cache: Cache, text: Text,
               compute: Callable[[], pd.DataFrame]) -> bytes:
    """One body's rows as published: kept under its key, else text() of its rows (and kept)."""
    _, key = planned
    data = cache.read_text(body.name, key) if key else None
    if data is not None and cache.carry(body.name, key) is not None:  # why: its rows are kept too (Cache.has)
        cache.reused.append(body.name)
        return data
    data = text(compute())
    if key:
        cache.keep_text(body.name, key, data)
    return data


def _keep_all(whole: pd.DataFrame, plan: dict[str, tuple[tuple[str, ...], str]], missing: set[str],
              cache: Cache) -> None:
    """After one pass over the whole table: cache each changed body's rows, carry the others' entries over."""
    mine = (whole["scope"] == "body").to_numpy()
    for name, (codes, key) in plan.items():
        cache.computed.append(name)
        if not key:
            continue
        if name in missing:
            rows = whole[mine & whole["municipality_code"].isin(codes).to_numpy()].reset_index(drop=True)
            cache.store(name, key, rows)
        else:
            cache.carry(name, key)


def _plan(bodies: list[Body], inputs: Inputs, grid: Grid, targets: tuple[str, ...],
          settings: Settings) -> dict[str, tuple[tuple[str, ...], str]] | None:
    """{package: (the codes whose rows it gives, its cache key)} for the bodies with rows; None when codes
    are shared."""
    owned = _owned(bodies, inputs)
    if owned is None:
        return None
    context = _context(grid, targets, settings)
    return {b.name: (owned[b.name], _key(b, owned[b.name], grid, inputs.since, context))
            for b in bodies if owned[b.name]}


def _owned(bodies: list[Body], inputs: Inputs) -> dict[str, tuple[str, ...]] | None:
    """{package: the codes whose rows it alone gives}; None when two packages share a code or a code
    of the table belongs to no package."""
    wanted = set(inputs.bodies)
    owned: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for body in bodies:
        mine = (body.codes() | ({body.code} & set(inputs.since))) & wanted
        if mine & seen:
            return None
        seen |= mine
        owned[body.name] = tuple(sorted(mine))
    return owned if seen == wanted else None


def _context(grid: Grid, targets: tuple[str, ...], settings: Settings) -> str:
    """The part of every body's key that the whole table sets: periods, flow targets, settings, code."""
    ref = settings.reference
    digest = hashlib.sha256()
    for frame in (ref.municipalities, ref.yearly):
        if frame is not None:
            digest.update(json.dumps([str(c) for c in frame.columns]).encode())
            digest.update(pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes())
    figures = [settings.salt, settings.as_of.isoformat(), grid.fy0, grid.n_fy, grid.m0, grid.n_m, list(targets),
               settings.min_n, definitions_version(), _registry_digest(), digest.hexdigest(),
               sorted((k, list(v)) for k, v in (ref.coverage or {}).items()), sorted((ref.sources or {}).items())]
    return json.dumps(figures, ensure_ascii=False)


def _registry_digest() -> str:
    """Every definition with the keys that steer the computation (min_n, suppression group)."""
    return hashlib.sha256(json.dumps([asdict(m) for m in REGISTRY], ensure_ascii=False).encode()).hexdigest()


def _key(body: Body, codes: tuple[str, ...], grid: Grid, since: dict[str, str], context: str) -> str:
    """The body's cache key ('' when its package records no fingerprint)."""
    if not body.fingerprint:
        return ""
    index = {b: i for i, b in enumerate(grid.bodies)}
    starts = [int(grid.starts[index[c]]) for c in codes]
    mine = [body.name, body.fingerprint, list(codes), starts, [since.get(c, "") for c in codes], context]
    return hashlib.sha256(json.dumps(mine, ensure_ascii=False).encode()).hexdigest()[:40]


__all__ = ["CACHE_DIR", "WHOLE_PASS_CELLS", "Body", "Cache", "Settings", "compute_by_body", "rows_by_body",
           "text_by_body"]
