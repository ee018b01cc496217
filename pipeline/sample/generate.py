"""Synthetic exports in the standard intake format: cases, actions, contracts, work orders.

Deterministic: the same seed, bodies and years give the same records. Values use the schema's
enum codes; the format writers translate them into each body's own words.
"""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import intake, reference
from ..wareki import fiscal_year
from .geo import Sampler
from .profiles import (
    CATEGORY_WORK,
    DESCRIPTIONS,
    GIVEN,
    PII_TEMPLATES,
    PILOT,
    SEASON,
    STAFF_NOTES,
    SURNAMES,
    Profile,
)

HOLIDAYS_CLOSED = {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}


@dataclass(frozen=True)
class Tables:
    """One body's synthetic export in intake columns."""

    cases: pd.DataFrame
    actions: pd.DataFrame
    contracts: pd.DataFrame
    work_orders: pd.DataFrame


def profile_for(code: str) -> Profile:
    """Pilot bodies have hand-set profiles; any other municipality gets one scaled by population."""
    if code in PILOT:
        return PILOT[code]
    row = reference.municipalities().set_index("municipality_code").loc[code]
    population = int(row["population"] or 10000)
    base = PILOT["352152"]
    slug = row["name_en"].lower().replace("-", "_").replace(" ", "_")
    return Profile(
        code=code, slug=slug, cases_per_year=max(30, population * 560 // 131327),
        categories=base.categories, channels=base.channels,
        towns=tuple(f"{row['name_ja']}{n}" for n in ("中央", "東", "西", "南", "北", "本町")),
        districts=("全域",), median_days=8 + (int(code) % 9), decline_share=0.05 + (int(code) % 7) / 100,
        refer_share=0.8, other_admin_share=0.1, contractors=(f"{row['name_ja']}建設株式会社", "有限会社山口土木"),
    )


def generate(code: str, years: list[int], seed: int = 20260405, scale: float = 1.0,
             profile: Profile | None = None) -> Tables:
    """Synthetic export of one body for the given fiscal years (profile: profile_for(code) unless given)."""
    profile = profile or profile_for(code)
    rng = random.Random(f"{seed}:{code}")
    sampler = Sampler(code, profile.towns, rng)
    contracts = _contracts(profile, years, rng)
    cases: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    orders: list[dict[str, Any]] = []
    for year in years:
        for number in range(max(1, int(profile.cases_per_year * scale * rng.uniform(0.9, 1.1)))):
            case = _case(profile, year, number, rng, sampler)
            cases.append(case)
            actions.extend(_actions(case, rng))
            if case["status"] == "completed" and case["resolution"] in ("repaired", "cleared", "replaced"):
                orders.append(_work_order(profile, case, contracts, rng, len(orders)))
    _mark_duplicates(cases, rng)
    contract_frame = pd.DataFrame(_per_job_contracts(profile, contracts, orders), columns=intake.names("contracts"))
    return Tables(
        pd.DataFrame(cases, columns=intake.names("cases")),
        pd.DataFrame(actions, columns=intake.names("actions")),
        contract_frame,
        pd.DataFrame(orders, columns=intake.names("work_orders")),
    )


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _received(year: int, rng: random.Random, category: str) -> dt.datetime:
    season = SEASON.get(category)
    month_index = rng.choices(range(12), weights=season)[0] if season else rng.randrange(12)
    month = (month_index + 3) % 12 + 1
    calendar_year = year if month >= 4 else year + 1
    day = rng.randint(1, 28)
    return dt.datetime(calendar_year, month, day, rng.randint(8, 19), rng.choice((0, 15, 30, 45)))  # noqa: DTZ001


def _business_shift(start: dt.date, days: int) -> dt.date:
    date = start + dt.timedelta(days=days)
    while date.weekday() >= 5 or (date.month, date.day) in HOLIDAYS_CLOSED:
        date += dt.timedelta(days=1)
    return date


def _case(profile: Profile, year: int, number: int, rng: random.Random, sampler: "Sampler") -> dict[str, Any]:
    category = _pick(rng, profile.categories)
    received = _received(year, rng, category)
    administrator, other_admin = _administrator(profile, category, rng)
    status, resolution, decline, referred, referred_code = _outcome(profile, category, administrator, other_admin,
                                                                    rng)
    first = _business_shift(received.date(), max(0, int(rng.expovariate(1 / 1.5))))
    days = max(0, int(rng.lognormvariate(0, 0.9) * profile.median_days))
    if status in ("referred",):
        days = max(0, int(rng.expovariate(1 / 3)))
    closed_on = max(_business_shift(received.date(), days), first)
    closed: dt.date | None = closed_on
    open_cut = dt.date(year + 1, 3, 31)
    if status == "completed" and closed_on > open_cut and rng.random() < 0.7:
        status, closed, resolution = "in_progress", None, None
    lat, lon, town, address = sampler.point()
    with_location = profile.code != "352101" or rng.random() < 0.97
    return {
        "case_number": f"{profile.code[2:5]}-{year}-{number + 1:05d}",
        "received": received.isoformat(sep=" ", timespec="minutes"),
        "infrastructure": "park" if category == "park_facility" else (
            "river" if category == "river_facility" else "road"),
        "category": category,
        "channel": _pick(rng, profile.channels),
        "road_administrator": administrator,
        "status": status,
        "first_response": first.isoformat(),
        "closed": closed.isoformat() if closed else None,
        "resolution": resolution,
        "decline_reason": decline,
        "referred_to": referred,
        "referred_to_code": referred_code,
        "reopened": rng.random() < 0.015 and status == "completed",
        "duplicate_of": None,
        "town": town,
        "address": address,
        "latitude": round(lat, 6) if with_location else None,
        "longitude": round(lon, 6) if with_location else None,
        "description": _description(profile, category, rng, address) if rng.random() < profile.description_share
        else "",
        "status_detail": rng.choice(STAFF_NOTES[status]),
        "reporter_name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
        "reporter_phone": rng.choice(("0834-{a}-{b}", "0833-{a}-{b}", "0820-{a}-{b}", "090-{c}-{b}",
                                      "080-{c}-{b}")).format(a=rng.randint(10, 99), b=rng.randint(1000, 9999),
                                                             c=rng.randint(1000, 9999)),
        "reporter_email": f"user{rng.randint(100, 999)}@example.jp" if rng.random() < 0.3 else "",
    }


def _administrator(profile: Profile, category: str, rng: random.Random) -> tuple[str, bool]:
    """The road administrator of a case, and whether it is the other administrator (prefecture or city)."""
    other_admin = rng.random() < profile.other_admin_share
    administrator = ("municipal" if profile.code != "350001" else "prefecture")
    if other_admin:
        administrator = "prefecture" if profile.code != "350001" else "municipal"
    if category in ("dumping", "other") and rng.random() < 0.3:
        administrator = "private"
    return administrator, other_admin


def _outcome(profile: Profile, category: str, administrator: str, other_admin: bool, rng: random.Random,
             ) -> tuple[str, str | None, str | None, str | None, str | None]:
    """(status, resolution, decline reason, referred to, referred-to code) of a case."""
    status, resolution, decline, referred, referred_code = "completed", None, None, None, None
    roll = rng.random()
    if other_admin and rng.random() < profile.refer_share:
        status, referred = "referred", "prefecture" if profile.code != "350001" else "municipality"
        referred_code = "350001" if profile.code != "350001" else rng.choice(("352071", "352101", "352152"))
    elif administrator == "private" or roll < profile.decline_share:
        status = "declined"
        decline = "private_property" if administrator == "private" else rng.choices(
            ("no_defect", "planned_work", "budget", "standard_met", "other"), weights=(40, 20, 15, 20, 5))[0]
    elif roll < profile.decline_share + profile.monitoring_share:
        status = "monitoring"
    else:
        resolution = rng.choices(("repaired", "temporary_repair", "cleared", "replaced", "no_action_needed"),
                                 weights=(40, 12, 30, 10, 8))[0]
        if category in ("weeding", "fallen_tree", "dumping", "animal"):
            resolution = "cleared"
    return status, resolution, decline, referred, referred_code


def _description(profile: Profile, category: str, rng: random.Random, address: str) -> str:
    thing = rng.choice(DESCRIPTIONS.get(category, DESCRIPTIONS["other"]))
    if rng.random() >= profile.pii_share:
        return thing
    template = rng.choice(PII_TEMPLATES)
    return template.format(
        surname=rng.choice(SURNAMES), given=rng.choice(GIVEN), thing=thing, address=address,
        phone=rng.choice(("0834-22-{a}", "0833(41){a}", "090 {b} {a}", "0820-7{c}-{a}")).format(
            a=rng.randint(1000, 9999), b=rng.randint(1000, 9999), c=rng.randint(1, 9)),
        email=f"{rng.choice(('yamada', 'k.sato', 'hikari88'))}@example.jp",
        plate=f"山口 {rng.randint(300, 599)} {rng.choice('あさたなま')} {rng.randint(10, 99)}-{rng.randint(10, 99)}",
    )


def _actions(case: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    received = dt.date.fromisoformat(case["received"][:10])
    first = dt.date.fromisoformat(case["first_response"])
    steps = [("received", received, "municipality"), ("acknowledged", first, "municipality")]
    closed = dt.date.fromisoformat(case["closed"]) if case["closed"] else None
    status = case["status"]
    if status in ("completed", "declined", "monitoring", "in_progress"):
        inspected = min(first + dt.timedelta(days=rng.randint(0, 3)), closed or first + dt.timedelta(days=3))
        steps.append(("inspected", inspected, "municipality"))
    if status in ("completed", "in_progress") and case["resolution"] != "no_action_needed":
        ordered = inspected + dt.timedelta(days=rng.randint(0, 2))
        if closed is not None:
            ordered = min(ordered, closed)
        steps.append(("work_ordered", ordered, "municipality"))
    if closed is not None:
        final = {"completed": "completed", "declined": "declined", "referred": "referred",
                 "monitoring": "monitoring"}[status]
        steps.append((final, closed, "contractor" if final == "completed" and case["resolution"] != "no_action_needed"
                      else "municipality"))
    if case["reopened"] and closed is not None:
        steps.append(("reopened", closed + dt.timedelta(days=rng.randint(5, 40)), "municipality"))
    return [{"case_number": case["case_number"], "action": a, "action_date": d.isoformat(), "actor": who,
             "note": rng.choice(STAFF_NOTES.get(status, ("",))) if a == "inspected" else ""}
            for a, d, who in steps]


def _contracts(profile: Profile, years: list[int], rng: random.Random) -> list[dict[str, Any]]:
    """Standing contracts, following each body's real contract style (CONTEXT.md)."""
    out: list[dict[str, Any]] = []

    def add(year: int, title: str, work: str, ctype: str, district: str, start: dt.date, end: dt.date,
            amount: int, method: str = "open_tender") -> None:
        estimated = int(amount / rng.uniform(0.86, 0.99))
        out.append({
            "contract_id": f"R{year - 2018}-{profile.code[2:5]}-{len(out) + 1:03d}", "title": title,
            "infrastructure": "road", "work_category": work, "contract_type": ctype,
            "procurement_method": method, "contractor": rng.choice(profile.contractors), "district": district,
            "start_date": start.isoformat(), "end_date": end.isoformat(), "contract_amount": amount,
            "estimated_price": estimated,
        })

    for year in years:
        fy_start, fy_end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
        reiwa = f"令和{year - 2018}年度"
        if profile.code == "350001":
            for district in profile.districts:
                add(year, f"{reiwa} {district} 道路維持管理業務", "general", "lump_sum", district, fy_start, fy_end,
                    rng.randrange(38_000_000, 62_000_000, 1000))
        elif profile.code == "352071":
            add(year, f"{reiwa} 市道舗装補修単価契約", "pavement", "unit_price", "全域", fy_start, fy_end,
                rng.randrange(14_000_000, 20_000_000, 1000))
            for q, (m1, m2) in enumerate(((4, 6), (7, 9), (10, 12), (1, 3)), start=1):
                y = year if m1 >= 4 else year + 1
                end_day = (dt.date(y, m2 % 12 + 1, 1) if m2 < 12 else dt.date(y + 1, 1, 1)) - dt.timedelta(days=1)
                for district in profile.districts:
                    add(year, f"{reiwa} 第{q}四半期 道路維持作業（{district}）", "general", "lump_sum", district,
                        dt.date(y, m1, 1), end_day, rng.randrange(2_400_000, 4_200_000, 1000), "designated_tender")
        elif profile.code == "352152" or profile.code not in PILOT:
            for district in profile.districts:
                add(year, f"{reiwa} 舗装補修単価契約（{district}）", "pavement", "unit_price", district, fy_start,
                    fy_end, rng.randrange(18_000_000, 30_000_000, 1000))
    return out


def _work_order(profile: Profile, case: dict[str, Any], contracts: list[dict[str, Any]], rng: random.Random,
                index: int) -> dict[str, Any]:
    work = CATEGORY_WORK[case["category"]]
    closed = dt.date.fromisoformat(case["closed"])
    ordered = dt.date.fromisoformat(case["first_response"])
    year = fiscal_year(ordered)
    standing = [c for c in contracts if c["start_date"] <= ordered.isoformat() <= c["end_date"]
                and (c["work_category"] == work or c["contract_type"] == "lump_sum")
                and (c["work_category"] == work or work != "pavement" or c["work_category"] == "general")]
    unit = [c for c in standing if c["contract_type"] == "unit_price" and c["work_category"] == work]
    lump = [c for c in standing if c["contract_type"] == "lump_sum"]
    amount: int | None = rng.randrange(30_000, 900_000, 1000) if work == "pavement" else rng.randrange(
        20_000, 400_000, 1000)
    if unit:
        contract_id, kind = rng.choice(unit)["contract_id"], "unit_price"
    elif lump:
        contract_id, kind, amount = rng.choice(lump)["contract_id"], "lump_sum", None
    else:
        contract_id, kind = f"K{year - 2018}-{profile.code[2:5]}-{index + 1:05d}", "per_job"
    return {
        "work_order_id": f"WO{year}-{index + 1:05d}", "contract_id": contract_id,
        "case_number": case["case_number"], "infrastructure": case["infrastructure"], "work_category": work,
        "order_date": ordered.isoformat(), "completion_date": closed.isoformat(), "status": "completed",
        "amount": amount, "town": case["town"], "address": case["address"], "latitude": case["latitude"],
        "longitude": case["longitude"], "_kind": kind, "_contractor": rng.choice(profile.contractors),
    }


def _per_job_contracts(profile: Profile, contracts: list[dict[str, Any]],
                       orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per-job orders (個別発注) are contracts of their own, one job each."""
    out = list(contracts)
    for order in orders:
        if order.pop("_kind") == "per_job":
            date = dt.date.fromisoformat(order["order_date"])
            out.append({
                "contract_id": order["contract_id"], "title": f"{order['town']} 道路補修工事（個別発注）",
                "infrastructure": order["infrastructure"], "work_category": order["work_category"],
                "contract_type": "per_job", "procurement_method": "negotiated" if order["amount"] < 1_300_000
                else "designated_tender", "contractor": order["_contractor"], "district": order["town"],
                "start_date": date.isoformat(), "end_date": order["completion_date"],
                "contract_amount": order["amount"], "estimated_price": None,
            })
        order.pop("_contractor")
    return out


def _mark_duplicates(cases: list[dict[str, Any]], rng: random.Random) -> None:
    for i in range(1, len(cases)):
        if rng.random() < 0.02 and cases[i - 1]["category"] == cases[i]["category"]:
            cases[i]["duplicate_of"] = cases[i - 1]["case_number"]
