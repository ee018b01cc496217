"""Privacy audit of published packages against the raw exports they came from (docs/privacy.md).

`join_attack` plays an attacker who also knows the raw data (the exact point and town of every case)
and joins every published table of a body, and the site's case JSON, on every key: case pseudonym,
work order, contract. It reports each case that some published row locates more finely than the
case's own published cell and town. `utility` measures what the location rules cost.

Run on a build: `python -m pipeline.audit --raw RAW --packages DIR [--site DIR]` prints both.
"""

import argparse
import html
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import build, reference, towns
from .anonymize import DEMO_SECRET, pseudonym
from .bodies import find_bodies
from .mesh import meshcodes
from .places import body_wide, town_only

FINE = ("quarter", "half", "standard")


@dataclass(frozen=True)
class Leak:
    """One published row that locates a case more finely than the case is published."""

    body: str
    case: str  # pseudonym
    table: str
    column: str
    detail: str


@dataclass
class Raw:
    """What the attacker knows of one body: each case's exact point and town, by pseudonym."""

    code: str
    cases: pd.DataFrame  # service_request_id, town (raw town part), latitude, longitude


def read_raw(raw_dir: Path, secret: bytes = DEMO_SECRET) -> dict[str, Raw]:
    """The raw exports as the pipeline reads them (after the location checks), keyed by package name."""
    out = {}
    for adapter, folder in find_bodies(raw_dir):
        tables, _ = build.read_body(adapter, folder)
        frame = tables["cases"].frame
        ids = [pseudonym(secret, adapter.code, str(n)) for n in frame["case_number"]]
        out[adapter.package_name] = Raw(adapter.code, pd.DataFrame({
            "service_request_id": ids, "town": frame["town"].map(town_only).to_numpy(),
            "latitude": pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(),
            "longitude": pd.to_numeric(frame["longitude"], errors="coerce").to_numpy()}))
    return out


def _table(folder: Path, name: str) -> pd.DataFrame:
    found = sorted(folder.glob(f"*_{name}.csv"))
    return pd.read_csv(found[0], dtype=str, keep_default_na=False) if found else pd.DataFrame()


def _site_rows(site: Path | None, code: str) -> pd.DataFrame:
    """The site's case JSON of one body (data/cases/<code>/*.json), as one frame."""
    if site is None:
        return pd.DataFrame()
    frames = []
    for path in sorted((site / "data" / "cases" / code).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        frames.append(pd.DataFrame(data["rows"], columns=data["columns"]))
    return pd.concat(frames, ignore_index=True).fillna("").astype(str) if frames else pd.DataFrame()


def _names(text: str, raw_town: str) -> bool:
    return len(raw_town) >= 2 and raw_town in text


def join_attack(packages: Path, raw: dict[str, Raw], site: Path | None = None) -> list[Leak]:
    """Every case that a published row, alone or joined on a key, locates more finely than it is published."""
    leaks: list[Leak] = []
    for name, known in sorted(raw.items()):
        folder = packages / name
        if not (folder / "datapackage.json").is_file():
            continue
        leaks.extend(_body(folder, known, site))
    return leaks


@dataclass(frozen=True)
class _Body:
    """One body's published cases beside the attacker's truth, for the leak checks."""

    code: str
    cases: pd.DataFrame  # published cases, indexed by pseudonym
    truth: pd.DataFrame  # the raw points and towns, indexed by pseudonym
    hidden_town: pd.Series  # raw town of each case published without one

    def text_leaks(self, table: str, frame: pd.DataFrame, columns: tuple[str, ...]) -> Iterator[Leak]:
        """Texts of a published table that name the withheld town of the case they belong to."""
        if frame.empty or "service_request_id" not in frame.columns:
            return
        rows = frame[frame["service_request_id"].isin(self.hidden_town.index)]
        for column in (c for c in columns if c in rows.columns):
            for sri, text in zip(rows["service_request_id"], rows[column], strict=True):
                if _names(str(text), self.hidden_town[sri]):
                    yield Leak(self.code, sri, table, column, f"names the withheld town {self.hidden_town[sri]!r}")


def _body(folder: Path, known: Raw, site: Path | None) -> Iterator[Leak]:
    cases = _table(folder, "cases").set_index("service_request_id")
    truth = known.cases.set_index("service_request_id")
    hidden = truth.index[truth["town"].ne("") & cases["town"].reindex(truth.index).fillna("").eq("")]
    body = _Body(known.code, cases, truth, truth.loc[hidden, "town"])
    # the case row itself: its cell holds its point, and its own texts do not name a withheld town
    yield from body.text_leaks("cases", cases.reset_index(), ("description", "status_detail"))
    orders = _table(folder, "work_orders")
    if not orders.empty:
        linked = orders[orders["service_request_id"].isin(cases.index)]
        yield from _order_leaks(body, linked)
        contracts = _table(folder, "contracts")
        if not contracts.empty:
            joined = linked.merge(contracts[["contract_id", "district", "title"]], on="contract_id", how="left")
            yield from body.text_leaks("contracts", joined, ("district", "title"))
            yield from _district_leaks(body, joined)
    yield from body.text_leaks("actions", _table(folder, "actions"), ("note",))
    yield from _site_leaks(body, _site_rows(site, body.code))
    yield from _cells_leaks(folder, cases, truth, body.code)


def _order_leaks(body: _Body, linked: pd.DataFrame) -> Iterator[Leak]:
    """Work orders whose cell or town differs from their case's published one."""
    cell, town = body.cases["mesh_code"], body.cases["town"]
    for sri, order_cell, order_town in zip(linked["service_request_id"], linked["mesh_code"], linked["town"],
                                           strict=True):
        if order_cell and order_cell != cell[sri]:
            yield Leak(body.code, sri, "work_orders", "mesh_code", f"cell {order_cell} against {cell[sri] or 'none'}")
        if order_town and order_town != town[sri]:
            yield Leak(body.code, sri, "work_orders", "town", f"town {order_town!r} against {town[sri]!r}")


def _district_leaks(body: _Body, joined: pd.DataFrame) -> Iterator[Leak]:
    """Contract districts that name a town other than the case's, or an area for a case without a town."""
    code = body.code
    known_towns = towns.known_towns(code) if towns.has_list(code) else frozenset()
    for sri, district in zip(joined["service_request_id"], joined["district"].fillna(""), strict=True):
        if not district or district in ("全域",):
            continue
        mine = body.cases["town"][sri]
        if towns.fold(district) in known_towns and district != mine:
            yield Leak(code, sri, "contracts", "district", f"town {district!r} against {mine!r}")
        elif not mine and towns.fold(district) not in known_towns and not _body_wide(district, code):
            yield Leak(code, sri, "contracts", "district", f"area {district!r} for a case without a town")


def _site_leaks(body: _Body, rows: pd.DataFrame) -> Iterator[Leak]:
    """The site's case JSON: its texts and towns against the published cases."""
    if rows.empty:
        return
    yield from body.text_leaks("site", rows, ("town", "description", "status_detail"))
    mine = rows[rows["service_request_id"].isin(body.cases.index)]
    published_town = body.cases["town"]
    for sri, town in zip(mine["service_request_id"], mine["town"], strict=True):
        if town and town != published_town[sri]:
            yield Leak(body.code, sri, "site", "town", f"town {town!r} against {published_town[sri]!r}")


def _body_wide(district: str, code: str) -> bool:
    name = reference.names().get(code, {}).get("ja", "")
    return body_wide(district, (name, name[:-1]))


def _cells_leaks(folder: Path, cases: pd.DataFrame, truth: pd.DataFrame, code: str) -> Iterator[Leak]:
    """case_cells adds nothing to the cases table, and each published cell holds the case's point."""
    cells = _table(folder, "case_cells")
    if not cells.empty:
        mine = cells.groupby(["fiscal_year", "mesh_level", "mesh_code", "status"])["cases"] \
            .apply(lambda s: int(pd.to_numeric(s).sum()))
        rows = cases.reset_index().groupby(["fiscal_year", "mesh_level", "mesh_code", "status"]).size()
        if not mine.sort_index().equals(rows.sort_index().astype(mine.dtype)):
            diff = mine.sub(rows, fill_value=0)
            for key in diff[diff != 0].index[:20]:
                yield Leak(code, "", "case_cells", "cases", f"cell {key} differs from the cases table")
    located = cases[cases["mesh_code"] != ""]
    point = truth.reindex(located.index)
    has = point["latitude"].notna()
    for level, digits in (("quarter", 5), ("half", 4), ("standard", 3), ("second", 2)):
        at = located.index[(located["mesh_level"] == level) & has]
        if not len(at):
            continue
        codes = meshcodes(point.loc[at, "latitude"].to_numpy(float), point.loc[at, "longitude"].to_numpy(float),
                          digits).astype("int64").astype(str)
        wrong = at[codes != located.loc[at, "mesh_code"].to_numpy()]
        for sri in wrong[:20]:
            yield Leak(code, sri, "cases", "mesh_code", "the published cell does not hold the case's point")


def utility(packages: Path, raw: dict[str, Raw]) -> dict[str, object]:
    """The location figures of a build: shares of cases by published level, on the maps, towns kept."""
    totals = {"cases": 0, "located": 0, "fine": 0, "second": 0, "no_cell_located": 0, "on_map": 0, "towns_raw": 0,
              "towns_published": 0, "districts": 0, "districts_published": 0}
    for name, known in sorted(raw.items()):
        folder = packages / name
        if not (folder / "datapackage.json").is_file():
            continue
        cases = _table(folder, "cases")
        cells = _table(folder, "case_cells")
        truth = known.cases.set_index("service_request_id").reindex(cases["service_request_id"])
        located = truth["latitude"].notna().to_numpy()
        level = cases["mesh_level"].to_numpy()
        totals["cases"] += len(cases)
        totals["located"] += int(located.sum())
        totals["fine"] += int(np.isin(level, FINE).sum())
        totals["second"] += int((level == "second").sum())
        totals["no_cell_located"] += int((located & (cases["mesh_code"] == "").to_numpy()).sum())
        totals["on_map"] += int(pd.to_numeric(cells["cases"]).sum()) if not cells.empty else 0
        totals["towns_raw"] += int((truth["town"].fillna("") != "").sum())
        totals["towns_published"] += int((cases["town"] != "").sum())
        contracts = _table(folder, "contracts")
        totals["districts"] += len(contracts)
        totals["districts_published"] += int((contracts["district"] != "").sum()) if len(contracts) else 0
    n = max(totals["cases"], 1)
    located_n = max(totals["located"], 1)
    return {**totals,
            "share_cases_1km_or_finer": round(totals["fine"] / n, 4),
            "share_located_in_a_cell": round((totals["located"] - totals["no_cell_located"]) / located_n, 4),
            "share_cases_counted_on_maps": round(totals["on_map"] / n, 4)}


@dataclass(frozen=True)
class Undone:
    """A withheld figure worked out again from the published files."""

    where: str  # file (and row or cell)
    value: int  # the figure as recounted from the published rows


_MARK_CELL = re.compile(r'<td class="num"[^>]*>\s*(&lt;\d+|x)\s*</td>')


def recount_received(cases: pd.DataFrame, scope: str, code: str, category: str, period_type: str,
                     period: str) -> int:
    """Cases received in one metrics cell, counted from the published cases table."""
    rows = cases if scope == "all" else cases[cases["municipality_code"] == code]
    if category != "all":
        rows = rows[rows["category"] == category]
    if period_type == "fiscal_year":
        rows = rows[rows["fiscal_year"] == period]
    else:
        rows = rows[rows["requested_date"].str[:7] == period]
    return len(rows)


def undo_suppressed(metrics: pd.DataFrame, cases: pd.DataFrame, pages: Path | None = None) -> list[Undone]:
    """Every withheld figure of the published files that the published rows give back.

    Metrics: a withheld count of cases received (or the n of a figure over those cases) is recounted
    from the cases table. Pages: a withheld mark in a count table counts published rows by published
    columns, so it is recounted too (reported with the value -1 when the page does not say which rows)."""
    out: list[Undone] = []
    withheld = metrics[metrics["flags"].str.split().map(lambda f: "suppressed" in f)]
    for row in withheld.itertuples(index=False):
        metric_id = str(row.metric_id)  # why: the metrics table is read as text; the stubs type a cell as any scalar
        if metric_id == "requests_received" or metric_id.startswith(_RECEIVED_N):
            value = recount_received(cases, str(row.scope), str(row.municipality_code), str(row.category),
                                     str(row.period_type), str(row.period))
            out.append(Undone(f"metrics: {row.scope} {row.municipality_code} {row.category} {row.period} "
                              f"{row.metric_id}", value))
    if pages is not None:
        for page in sorted(pages.rglob("*.html")):
            if "maps" in page.relative_to(pages).parts:
                continue
            for mark in _MARK_CELL.findall(page.read_text(encoding="utf-8")):
                out.append(Undone(f"{page.relative_to(pages).as_posix()}: {html.unescape(mark)}", -1))
    return out


# why: the figures whose n is the number of cases received in their cell (shares and rates of it).
_RECEIVED_N = ("requests_per_", "declined_share", "referred_share", "completed_share", "decline_reason_share")


def parser() -> argparse.ArgumentParser:
    """The audit's arguments: the raw exports, the packages built from them, and optionally the site."""
    out = argparse.ArgumentParser(prog="python -m pipeline.audit", description=__doc__.splitlines()[0])
    out.add_argument("--raw", type=Path, required=True, help="the raw exports folder the packages were built from")
    out.add_argument("--packages", type=Path, required=True, help="the data packages folder")
    out.add_argument("--site", type=Path, help="the built site, whose case JSON is joined too")
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the utility figures and the join attack's leaks; exit 1 if any leak, 2 for a usage error."""
    arguments = parser()
    args = arguments.parse_args(argv)
    for option, folder in (("--raw", args.raw), ("--packages", args.packages), ("--site", args.site)):
        if folder is not None and not folder.is_dir():
            arguments.error(f"{option}: folder not found: {folder}")
    raw = read_raw(args.raw)
    leaks = join_attack(args.packages, raw, args.site)
    figures = utility(args.packages, raw)
    for key, value in figures.items():
        sys.stdout.write(f"{key:<28} {value}\n")
    sys.stdout.write(f"{'join_attack_leaks':<28} {len(leaks)}\n")
    for leak in leaks[:30]:
        sys.stdout.write(f"  {leak}\n")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
