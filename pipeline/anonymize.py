"""Anonymize: typed intake tables -> publishable tables in the schemas' shape.

- Case numbers become pseudonyms: HMAC-SHA256 of the body's own number under a secret key.
- Locations are snapped to JIS X 0410 mesh cells, coarsened until each (cell, category,
  fiscal year) group holds at least k cases; private-land cases keep only the town.
- Free text is scrubbed (pipeline.scrub) or withheld, each distinct text once, with results kept from
  night to night per body (pipeline.scrub_cache); contact columns never got this far.
"""

import datetime as dt
import hashlib
import hmac
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import jismesh.utils as jm
import numpy as np
import pandas as pd

from . import schema, scrub_cache
from .scrub import scrub
from .scrub_cache import ScrubCache

# (level name, jismesh level): quarter ≈ 250 m, half ≈ 500 m, standard ≈ 1 km.
MESH_LEVELS = (("quarter", 5), ("half", 4), ("standard", 3))
DEFAULT_K = 3
DEMO_SECRET = b"mieruka-demo-secret: synthetic sample data only"
_TOWN_CUT = re.compile(r"[0-9０-９一二三四五六七八九十]+\s*(丁目|番|号|-|－|の).*$|[0-9０-９].*$")


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
                                   "(mesh cell, category, fiscal year)", "k": settings.k,
                         "levels": ["quarter (≈250 m)", "half (≈500 m)", "standard (≈1 km)", "municipality"],
                         "private_categories": sorted(settings.private_categories),
                         "published_levels": dict(sorted(self.mesh_levels.items()))},
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
    digest = hmac.new(secret, f"{code}:{own_id}".encode(), hashlib.sha256).hexdigest()
    return f"c-{digest[:16]}"


def town_only(value: object) -> str:
    """'岐山通1丁目2番3号' -> '岐山通': never publish block or lot numbers."""
    if not isinstance(value, str):
        return ""
    return _TOWN_CUT.sub("", value).strip()[:40]


def generalize(lat: pd.Series, lon: pd.Series, groups: pd.DataFrame, k: int) -> pd.DataFrame:
    """Exact points -> mesh_code, mesh_level, latitude, longitude (cell centre), k-anonymous per group."""
    n = len(lat)
    out = pd.DataFrame({"mesh_code": pd.Series([""] * n, dtype=object), "mesh_level": "none",
                        "latitude": np.nan, "longitude": np.nan}, index=lat.index)
    has = lat.notna() & lon.notna()
    pending = has.copy()
    keys = [groups[c].astype(str) for c in groups.columns]
    for name, level in MESH_LEVELS:
        if not pending.any():
            break
        idx = pending[pending].index
        codes = pd.Series(jm.to_meshcode(lat[idx].to_numpy(float), lon[idx].to_numpy(float), level),
                          index=idx).astype("int64").astype(str)
        size = pd.concat([codes.rename("cell"), *[key[idx] for key in keys]], axis=1) \
            .groupby(["cell", *[k_.name for k_ in keys]])["cell"].transform("size")
        ok = idx[(size >= k).to_numpy()]
        out.loc[ok, "mesh_code"] = codes[ok]
        out.loc[ok, "mesh_level"] = name
        pending[ok] = False
    rest = pending[pending].index
    out.loc[rest, "mesh_level"] = "municipality"
    placed = out.index[out["mesh_code"] != ""]
    if len(placed):
        centres = jm.to_meshpoint(out.loc[placed, "mesh_code"].to_numpy(np.int64), 0.5, 0.5)
        out.loc[placed, "latitude"] = np.round(centres[0], 6)
        out.loc[placed, "longitude"] = np.round(centres[1], 6)
    return out


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
    status = np.array(statuses, dtype=object)[codes] if len(codes) else np.array([], dtype=object)
    return pd.Series(published, index=values.index, dtype=object), pd.Series(status, index=values.index, dtype=object)


def _ids(values: pd.Series, code: str, settings: Settings) -> pd.Series:
    """Case numbers -> pseudonyms, each distinct number hashed once."""
    distinct = {v: pseudonym(settings.secret, code, v) for v in pd.unique(values) if isinstance(v, str) and v}
    return values.map(lambda v: distinct.get(v, "") if isinstance(v, str) else "")


def iso_date(value: object) -> str:
    """A date, datetime or Timestamp -> 'YYYY-MM-DD'; anything else (None, NaN, NaT) -> ''. Never a time."""
    if not isinstance(value, dt.date) or pd.isna(value):  # pd.NaT is a datetime too
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat()


def _iso(values: pd.Series) -> pd.Series:
    return values.map(iso_date)


def k_towns(towns: pd.Series, cells: pd.Series, groups: pd.DataFrame, k: int) -> pd.Series:
    """Town names -> town names kept only where (cell, town, *groups) holds >= k cases.

    why: the town is a location too. A case moved up to a coarse cell (or to the municipality) because
    its neighbourhood was sparse would be pinned down again by its town. Within each (cell, *groups)
    group the rarest towns are blanked until the blanked rows also number >= k (or all are blanked), so
    that (cell, town, *groups) stays k-anonymous wherever (cell, *groups) is. Ties among equally rare
    towns are broken by name, so the result is deterministic.
    """
    keys = [cells.astype(str).rename("_cell"), *[groups[c].astype(str).rename(f"_g{i}")
                                                  for i, c in enumerate(groups.columns)]]
    names = [key.name for key in keys]
    frame = pd.concat([*keys, towns.fillna("").astype(str).rename("_town")], axis=1)
    sizes = frame.groupby([*names, "_town"], sort=False).size().rename("_n").reset_index()
    sizes = sizes.sort_values([*names, "_n", "_town"], kind="stable").reset_index(drop=True)
    rare = (sizes["_n"] < k) | (sizes["_town"] == "")
    by_group = [sizes[name] for name in names]
    blanked = sizes["_n"].where(rare, 0).groupby(by_group, sort=False).transform("sum")
    kept_n = sizes["_n"].where(~rare, 0)
    before = kept_n.groupby(by_group, sort=False).cumsum() - kept_n  # kept rows counted before, rarest first
    # a group whose rare towns hold 1..k-1 cases blanks further towns, rarest first, until they hold >= k
    sizes["_blank"] = rare | ((blanked > 0) & (blanked + before < k))
    blank = frame.merge(sizes[[*names, "_town", "_blank"]], on=[*names, "_town"], how="left")["_blank"]
    out = frame["_town"].copy()
    out[blank.to_numpy(dtype=bool)] = ""
    return out


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
    location = generalize(lat, lon, frame[["category", "fiscal_year"]], settings.k)
    location.loc[private & (location["mesh_level"] == "none"), "mesh_level"] = "municipality"
    report.mesh_levels.update(location["mesh_level"])
    out["town"] = k_towns(frame["town"].map(town_only), location["mesh_code"],
                          frame[["category", "fiscal_year"]], settings.k)
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


def contracts(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """Contracts hold no personal data: companies, amounts and periods are public record."""
    out = pd.DataFrame(index=frame.index)
    out["municipality_code"] = code
    out["contract_id"] = frame["contract_id"]
    out["fiscal_year"] = frame["start_date"].map(lambda d: str(d.year if d.month >= 4 else d.year - 1))
    for column in ("title", "infrastructure", "work_category", "contract_type", "procurement_method",
                   "contractor", "district"):
        out[column] = frame[column].fillna("")
    out["infrastructure"] = out["infrastructure"].replace("", "road")
    out["start_date"] = _iso(frame["start_date"])
    out["end_date"] = _iso(frame["end_date"])
    for column in ("contract_amount", "estimated_price", "bidders"):
        out[column] = frame[column].map(lambda v: "" if v is None or v != v else str(int(v)))
    return out[schema.field_names("contracts")]


def work_orders(frame: pd.DataFrame, code: str, settings: Settings) -> pd.DataFrame:
    """Work orders: case links pseudonymized, locations generalized like the cases'."""
    out = pd.DataFrame(index=frame.index)
    out["municipality_code"] = code
    out["work_order_id"] = frame["work_order_id"]
    out["contract_id"] = frame["contract_id"]
    out["service_request_id"] = _ids(frame["case_number"], code, settings)
    out["fiscal_year"] = frame["order_date"].map(lambda d: str(d.year if d.month >= 4 else d.year - 1))
    out["infrastructure"] = frame["infrastructure"].fillna("road")
    out["work_category"] = frame["work_category"]
    out["order_date"] = _iso(frame["order_date"])
    out["completion_date"] = _iso(frame["completion_date"])
    out["status"] = frame["status"]
    out["amount"] = frame["amount"].map(lambda v: "" if v is None or v != v else str(int(v)))
    out["town"] = frame["town"].map(town_only)
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    location = generalize(lat, lon, pd.DataFrame({"w": frame["work_category"], "y": out["fiscal_year"]}),
                          settings.k)
    out["mesh_code"] = location["mesh_code"]
    out["mesh_level"] = location["mesh_level"]
    return out[schema.field_names("work_orders")]
