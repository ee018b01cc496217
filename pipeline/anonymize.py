"""Anonymize stage: typed intake tables -> publishable tables in the schemas' shape.

Entry point `anonymize_body(tables, adapter, settings)`. Input: the normalize stage's tables. Output: the
body's published tables (schema columns, text values) and the Report published in datapackage.json.

- Case numbers become pseudonyms: HMAC-SHA256 of the body's own number under a secret key.
- Locations are snapped to JIS X 0410 mesh cells (250 m, 500 m, 1 km, 10 km), coarsened until each
  (cell, fiscal year) group holds at least k cases; private-land cases keep only the town. A town is
  published only when it is a known town of the body and its (cell, town, fiscal year) group holds
  at least k cases (docs/privacy.md).
- Free text is scrubbed (pipeline.scrub) or withheld, each distinct text once, with results kept from
  night to night per body (pipeline.scrub_cache); contact columns never got this far.
"""

import datetime as dt
import hmac
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import location, places, public_ids, reference, schema, scrub_cache, towns
from .adapter import Adapter
from .mesh import generalize, k_towns
from .normalize import Normalized
from .places import town_only as town_only  # re-exported: callers cut town cells here
from .scrub import scrub
from .scrub_cache import ScrubCache

# why: the cell rule groups by fiscal year only (docs/privacy.md): category and exact date are
# published for every case anyway, so a cell need only be shared by k cases of the same year.
CELL_KEY = ("fiscal_year",)
DEFAULT_K = 3
DEMO_SECRET = b"mieruka-demo-secret: synthetic sample data only"


@dataclass
class Settings:
    """Per-body anonymization settings (from the adapter's [anonymize] table and defaults)."""

    secret: bytes
    k: int = DEFAULT_K
    publish_free_text: bool = True
    private_categories: frozenset[str] = frozenset()
    cache_dir: Path | None = None  # the body's private scrub-cache folder (pipeline.scrub_cache); None: no cache


@dataclass
class Report:
    """What anonymization did, published in datapackage.json (never the redacted values)."""

    redactions: Counter[str] = field(default_factory=Counter)
    texts: Counter[str] = field(default_factory=Counter)  # published / redacted / withheld / …
    mesh_levels: Counter[str] = field(default_factory=Counter)
    columns: Counter[str] = field(default_factory=Counter)  # towns, districts, titles, contractors withheld
    locations_withheld: int = 0  # points outside the body or swapped (pipeline.location)

    def to_dict(self, settings: Settings) -> dict[str, object]:
        """The report as published in datapackage.json: a summary (method, parameters, redactions: what the
        methodology page lists) followed by the details of each part."""
        return {
            "method": "case IDs: keyed HMAC-SHA256 pseudonyms; locations: JIS X 0410 mesh cells coarsened until "
                      "k-anonymous; dates without times; free text: personal data replaced by placeholders "
                      "(patterns, honorifics, a Japanese tokenizer for names, a gazetteer of place names) or "
                      "withheld",
            "parameters": {"k": settings.k, "free_text_published": settings.publish_free_text,
                           "private_categories": sorted(settings.private_categories)},
            "redactions": dict(sorted(self.redactions.items())),
            "pseudonyms": "HMAC-SHA256 of the body's own case number, keyed by a secret kept outside "
                          "the repository; first 64 bits, hex, prefixed 'c-'",
            "location": {"method": "JIS X 0410 regional mesh, coarsened until k-anonymous per "
                                   "(mesh cell, fiscal year); towns kept only where known and k-anonymous per "
                                   "(mesh cell, town, fiscal year)", "k": settings.k,
                         "levels": ["quarter (≈250 m)", "half (≈500 m)", "standard (≈1 km)", "second (≈10 km)",
                                    "municipality"],
                         "points_outside_body_or_swapped": self.locations_withheld,
                         "private_categories": sorted(settings.private_categories),
                         "published_levels": dict(sorted(self.mesh_levels.items()))},
            "columns": dict(sorted(self.columns.items())),
            "dates": "dates only, times removed",
            "free_text": {"published": settings.publish_free_text,
                          "method": "NFKC, then pattern and name scrubbing with visible placeholders (names "
                                    "without a honorific: SudachiPy person tags and a surname list, place "
                                    "names of the prefecture kept); withheld entirely when sensitive or "
                                    "uncertain",
                          "texts": dict(sorted(self.texts.items())),
                          "redactions_by_kind": dict(sorted(self.redactions.items()))},
        }


def pseudonym(secret: bytes, code: str, own_id: str) -> str:
    """A stable public ID for a case: the same secret and number give the same ID every night."""
    digest = hmac.digest(secret, f"{code}:{own_id}".encode(), "sha256").hex()
    return f"c-{digest[:16]}"


# The body whose scrub cache is open: its cases are anonymized first, then its actions, in one process.
_OPEN: list[tuple[Path, ScrubCache]] = []


def open_scrub_cache(settings: Settings, fresh: bool) -> ScrubCache:
    """The body's scrub cache: read from disk when `fresh` (the first table), else the one already open."""
    if settings.cache_dir is None:
        return scrub_cache.load(None, settings.secret)
    if not fresh and _OPEN and _OPEN[0][0] == settings.cache_dir and _OPEN[0][1].secret == settings.secret:
        return _OPEN[0][1]
    store = scrub_cache.load(settings.cache_dir, settings.secret)
    _OPEN[:] = [(settings.cache_dir, store)]
    return store


def scrub_column(values: pd.Series, settings: Settings, report: Report,
                 cache: dict[str, tuple[str, str]], store: ScrubCache | None = None) -> tuple[pd.Series, pd.Series]:
    """Free text -> (published text, status); every row's redactions are counted in the report.

    Each distinct text is scrubbed once (the scrubber is pure), or not at all when `store` knows it."""
    store = store if store is not None else scrub_cache.load(None, settings.secret)
    codes, uniques = pd.factorize(values.map(lambda v: v if isinstance(v, str) else ""), sort=False)
    occurrences = np.bincount(codes, minlength=len(uniques))
    texts: list[str] = []
    statuses: list[str] = []
    for text, n in zip(uniques, occurrences.tolist(), strict=True):
        if not text.strip():
            result = ("", "empty")
        elif not settings.publish_free_text:
            result = ("", "not_published")
        else:
            scrubbed = store.scrub(text, scrub)
            for kind, count in scrubbed.counts.items():
                report.redactions[kind] += count * n
            if text not in cache:
                status = "withheld" if scrubbed.withheld else ("redacted" if scrubbed.counts else "published")
                cache[text] = ("" if scrubbed.withheld else scrubbed.text, status)
            result = cache[text]
        texts.append(result[0])
        statuses.append(result[1])
        report.texts[result[1]] += n
    published = np.array(texts, dtype=object)[codes] if len(codes) else np.array([], dtype=object)
    kinds = np.array(statuses, dtype=object)[codes] if len(codes) else np.array([], dtype=object)
    return pd.Series(published, index=values.index, dtype=object), pd.Series(kinds, index=values.index, dtype=object)


def _ids(values: pd.Series, code: str, settings: Settings) -> pd.Series:
    """Case numbers -> pseudonyms, each distinct number hashed once; '' where there is none."""
    return _per_distinct(values, lambda v: pseudonym(settings.secret, code, v) if isinstance(v, str) and v else "")


def _per_distinct(values: pd.Series, text: Callable[[object], str]) -> pd.Series:
    """text() of every value, computed once per distinct value (missing values give text(None))."""
    codes, uniques = pd.factorize(values, sort=False)
    texts = np.array([*(text(v) for v in uniques), text(None)], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype=object)


def iso_date(value: object) -> str:
    """A date, datetime or Timestamp -> 'YYYY-MM-DD'; anything else (None, NaN, NaT) -> ''. Never a time."""
    if not isinstance(value, dt.date) or pd.isna(value):  # pd.NaT is a datetime too
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat()


def _iso(values: pd.Series) -> pd.Series:
    return _per_distinct(values, iso_date)


def cases(frame: pd.DataFrame, code: str, settings: Settings, report: Report,
          cache: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Typed intake cases -> published cases (schema columns, text values)."""
    out = pd.DataFrame(index=frame.index)
    out["municipality_code"] = code
    out["service_request_id"] = _ids(frame["case_number"], code, settings)
    out["requested_date"] = _iso(frame["received"])
    out["fiscal_year"] = frame["fiscal_year"].astype(int).astype(str)
    for column in ("infrastructure", "category", "channel", "road_administrator", "status", "resolution",
                   "decline_reason", "referred_to", "referred_to_code"):
        out[column] = frame[column].fillna("")
    out["first_response_date"] = _iso(frame["first_response"])
    out["closed_date"] = _iso(frame["closed"])
    out["reopened"] = frame["reopened"].map(lambda b: "true" if b else "false")
    out["duplicate_of"] = _ids(frame["duplicate_of"], code, settings)
    # why: a case on private land (or declined as such) points at somebody's property
    private = ((frame["road_administrator"] == "private") | (frame["decline_reason"] == "private_property")
               | frame["category"].isin(settings.private_categories))
    lat = pd.to_numeric(frame["latitude"], errors="coerce").where(~private)
    lon = pd.to_numeric(frame["longitude"], errors="coerce").where(~private)
    location = generalize(lat, lon, frame[list(CELL_KEY)], settings.k)
    location.loc[private & (location["mesh_level"] == "none"), "mesh_level"] = "municipality"
    report.mesh_levels.update(location["mesh_level"])
    checked = places.towns_checked(frame["town"], code, report.columns)
    out["town"] = k_towns(checked, location["mesh_code"], frame[list(CELL_KEY)], settings.k)
    out = pd.concat([out, location], axis=1)
    store = open_scrub_cache(settings, fresh=True)
    out["description"], out["description_status"] = scrub_column(frame["description"], settings, report, cache,
                                                                  store)
    out["status_detail"], _ = scrub_column(frame["status_detail"], settings, Report(), cache, store)
    scrub_cache.save(store)
    return out[schema.field_names("cases")]


def actions(frame: pd.DataFrame, code: str, settings: Settings, report: Report,
            cache: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Typed intake actions -> published actions, numbered per case in date order."""
    ordered = frame.assign(_date=frame["action_date"]).sort_values(["case_number", "_date", "_row"], kind="stable")
    out = pd.DataFrame(index=ordered.index)
    out["municipality_code"] = code
    out["service_request_id"] = _ids(ordered["case_number"], code, settings)
    out["step"] = (ordered.groupby("case_number").cumcount() + 1).astype(str)
    out["action"] = ordered["action"]
    out["action_date"] = _iso(ordered["action_date"])
    out["actor"] = ordered["actor"].fillna("municipality")
    store = open_scrub_cache(settings, fresh=False)
    out["note"], _ = scrub_column(ordered["note"], settings, Report(), cache, store)
    scrub_cache.save(store)
    return out[schema.field_names("actions")]


def contracts(frame: pd.DataFrame, code: str, settings: Settings, report: Report | None = None) -> pd.DataFrame:
    """Contracts: companies, amounts and periods are public record; a contractor without a legal-entity
    form is published as 個人事業主 (pipeline.places). Districts and titles are made safe against the
    published cases afterwards (places.contract_places)."""
    counts = report.columns if report is not None else Counter()
    out = pd.DataFrame(index=frame.index)
    out["municipality_code"] = code
    out["contract_id"] = public_ids.record_numbers(frame["contract_id"], settings.secret, "ct", counts)
    out["fiscal_year"] = frame["start_date"].map(lambda d: str(d.year if d.month >= 4 else d.year - 1))
    for column in ("title", "infrastructure", "work_category", "contract_type", "procurement_method",
                   "contractor", "district"):
        out[column] = frame[column].fillna("")
    out["infrastructure"] = out["infrastructure"].replace("", "road")
    out["contractor"] = out["contractor"].map(lambda name: places.contractor(name, counts))
    out["start_date"] = _iso(frame["start_date"])
    out["end_date"] = _iso(frame["end_date"])
    for column in ("contract_amount", "estimated_price", "bidders"):
        out[column] = frame[column].map(lambda v: "" if v is None or v != v else str(int(v)))
    return out[schema.field_names("contracts")]


def work_orders(frame: pd.DataFrame, code: str, settings: Settings, report: Report | None = None) -> pd.DataFrame:
    """Work orders: case links pseudonymized, locations generalized like the cases'."""
    out = pd.DataFrame(index=frame.index)
    out["municipality_code"] = code
    counts = report.columns if report is not None else Counter()
    out["work_order_id"] = public_ids.record_numbers(frame["work_order_id"], settings.secret, "wo", counts)
    out["contract_id"] = public_ids.record_numbers(frame["contract_id"], settings.secret, "ct", Counter())
    out["service_request_id"] = _ids(frame["case_number"], code, settings)
    out["fiscal_year"] = frame["order_date"].map(lambda d: str(d.year if d.month >= 4 else d.year - 1))
    out["infrastructure"] = frame["infrastructure"].fillna("road")
    out["work_category"] = frame["work_category"]
    out["order_date"] = _iso(frame["order_date"])
    out["completion_date"] = _iso(frame["completion_date"])
    out["status"] = frame["status"]
    out["amount"] = frame["amount"].map(lambda v: "" if v is None or v != v else str(int(v)))
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    year = pd.DataFrame({"y": out["fiscal_year"]})
    location = generalize(lat, lon, year, settings.k)
    checked = places.towns_checked(frame["town"], code, report.columns if report is not None else Counter())
    out["town"] = k_towns(checked, location["mesh_code"], year, settings.k)
    out["mesh_code"] = location["mesh_code"]
    out["mesh_level"] = location["mesh_level"]
    return out[schema.field_names("work_orders")]


def place_guarantee(tables: dict[str, pd.DataFrame], raw_cases: pd.DataFrame, code: str, report: Report) -> None:
    """No published text or contract locates a case more finely than its own cell and town (in place).

    - Case descriptions, status details and action notes: every town name of the body (its known towns,
      and the towns its own export uses) other than the case's published town becomes [地名].
    - Contract districts and titles are generalized against the published cases (pipeline.places).
    """
    names = set(raw_cases["town"].map(town_only)) if "town" in raw_cases.columns else set()
    names |= towns.town_names(code)
    pattern = places.place_pattern(names)
    cases = tables["cases"]
    for column in ("description", "status_detail"):
        cases[column] = places.mask_places(cases[column], cases["town"], pattern, report.columns, column)
    if "actions" in tables:
        actions = tables["actions"]
        town = actions["service_request_id"].map(cases.set_index("service_request_id")["town"]).fillna("")
        actions["note"] = places.mask_places(actions["note"], town, pattern, report.columns, "note")
    if "contracts" not in tables:
        return
    body = reference.names().get(code, {})
    body_names = tuple(n for n in (body.get("ja", ""), body.get("ja", "")[:-1]) if len(n) >= 2)
    orders = tables.get("work_orders", pd.DataFrame(columns=["contract_id", "service_request_id"]))
    tables["contracts"] = places.contract_places(tables["contracts"], orders, cases, code, body_names,
                                                 report.columns)


def case_cells(cases: pd.DataFrame) -> pd.DataFrame:
    """Published cases -> counts per (fiscal year, published mesh cell, status): what the maps draw.

    Each case is counted once, in the cell it is published at (its exact point decided that cell, see
    generalize), so the counts tell nothing that the cases table does not; cases without a published
    cell are counted with an empty mesh_code. Every located case is thus on the map."""
    keys = ["municipality_code", "fiscal_year", "mesh_level", "mesh_code", "latitude", "longitude", "status"]
    frame = cases[keys].copy()
    for column in ("latitude", "longitude"):
        frame[column] = frame[column].map(lambda v: "" if v is None or v != v or v == "" else f"{float(v):.6f}")
    counts = frame.groupby(keys, sort=True, dropna=False).size().rename("cases").reset_index()
    counts["cases"] = counts["cases"].astype(str)
    return counts[schema.field_names("case_cells")]


def anonymize_body(tables: dict[str, Normalized], adapter: Adapter, settings: Settings,
                   ) -> tuple[dict[str, pd.DataFrame], Report]:
    """Anonymize stage of one body: normalized tables -> its published tables and the report of what was done.

    Pure apart from the body's scrub cache (settings.cache_dir). Work orders never locate their case more
    finely than the case itself (no_finer_than_cases); the places guarantee and case_cells follow the cases."""
    report = Report()
    cache: dict[str, tuple[str, str]] = {}
    out: dict[str, pd.DataFrame] = {}
    if "cases" in tables:
        out["cases"] = cases(tables["cases"].frame, adapter.code, settings, report, cache)
    if "actions" in tables:
        out["actions"] = actions(tables["actions"].frame, adapter.code, settings, report, cache)
    if "contracts" in tables:
        out["contracts"] = contracts(tables["contracts"].frame, adapter.code, settings, report)
    if "work_orders" in tables:
        orders = work_orders(tables["work_orders"].frame, adapter.code, settings, report)
        out["work_orders"] = no_finer_than_cases(orders, out["cases"]) if "cases" in out else orders
    if "cases" in out:
        place_guarantee(out, tables["cases"].frame, adapter.code, report)
        out["case_cells"] = case_cells(out["cases"])
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
