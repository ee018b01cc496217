"""Tests of pipeline.anonymize: pseudonyms, k-anonymous locations (checked with pycanon), dates only,
private land without coordinates."""

import re
from collections.abc import Callable

import pandas as pd
import pytest
from pycanon import anonymity

from pipeline import anonymize
from pipeline.anonymize import DEMO_SECRET, Report, Settings, generalize, iso_date, pseudonym, town_only

Maker = Callable[..., pd.DataFrame]
# The cell rule's quasi-identifiers (docs/privacy.md): the published place (cell and town) and the year.
QUASI = ["mesh_code", "town", "fiscal_year"]


def _publish(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    return anonymize.cases(frame, "352152", settings, Report(), {})


def test_pseudonym_stable_keyed_and_formatted() -> None:
    first = pseudonym(DEMO_SECRET, "352152", "R00001")
    assert first == pseudonym(DEMO_SECRET, "352152", "R00001")
    assert re.fullmatch(r"c-[0-9a-f]{16}", first)
    assert first != pseudonym(b"another secret", "352152", "R00001")
    assert first != pseudonym(DEMO_SECRET, "352071", "R00001")
    assert first != pseudonym(DEMO_SECRET, "352152", "R00002")


def test_town_only() -> None:
    assert town_only("岐山通1丁目2番3号") == "岐山通"
    assert town_only("大字徳山12番地の3") == "大字徳山"
    assert town_only(None) == ""


@pytest.mark.parametrize("k", [2, 3, 5])
def test_generalized_groups_have_k_cases_or_move_to_municipality(k: int, make_cases: Maker) -> None:
    frame = make_cases(300, seed=k)
    groups = frame[["category", "fiscal_year"]]
    out = generalize(frame["latitude"], frame["longitude"], groups, k)
    placed = out[out["mesh_code"] != ""]
    sizes = pd.concat([placed["mesh_code"], groups.loc[placed.index]], axis=1).value_counts()
    assert (sizes >= k).all()
    assert set(out["mesh_level"]) <= {"quarter", "half", "standard", "second", "municipality"}
    assert (out.loc[out["mesh_level"] == "municipality", "mesh_code"] == "").all()
    assert out.loc[out["mesh_level"] == "municipality", "latitude"].isna().all()
    # clustered and isolated both occur
    assert out["mesh_level"].isin(["quarter", "half", "standard"]).any() and "municipality" in set(out["mesh_level"])


@pytest.mark.parametrize("k", [2, 3, 5])
def test_fine_cells_leave_no_remainder(k: int, make_cases: Maker) -> None:
    """A published cell of 1 km or finer never holds a case of its group published at a finer cell inside it:
    a reader cannot narrow a case down to 'this cell minus the finer cells shown'."""
    frame = make_cases(400, seed=k)
    groups = frame[["fiscal_year"]]
    out = generalize(frame["latitude"], frame["longitude"], groups, k)
    fine = out[out["mesh_level"].isin(["quarter", "half", "standard"])].assign(year=groups["fiscal_year"])
    assert {"quarter", "half"} & set(fine["mesh_level"])
    for (code, year), _ in fine.groupby(["mesh_code", "year"]):
        inside = fine[(fine["year"] == year) & fine["mesh_code"].str.startswith(code) & (fine["mesh_code"] != code)]
        assert inside.empty, (code, year)


@pytest.mark.parametrize(("n", "k"), [(300, 3), (500, 5), (200, 2)])
def test_published_cases_are_k_anonymous_by_pycanon(n: int, k: int, make_cases: Maker) -> None:
    published = _publish(make_cases(n, seed=n), Settings(secret=DEMO_SECRET, k=k))
    located = published[published["mesh_code"] != ""]
    assert len(located) > n / 2
    assert anonymity.k_anonymity(located[QUASI].copy(), QUASI) >= k
    assert anonymity.k_anonymity(located[["mesh_code", "fiscal_year"]].copy(), ["mesh_code", "fiscal_year"]) >= k
    coarse = published[published["mesh_code"] == ""]
    assert (coarse["mesh_level"] == "municipality").all()
    assert coarse["latitude"].isna().all() and coarse["longitude"].isna().all()
    # a coarsened case carries no town unless k cases share it
    towns = coarse[coarse["town"] != ""].groupby(["town", "fiscal_year"]).size()
    assert (towns >= k).all()


def test_cell_centres_not_points(cases_frame: pd.DataFrame) -> None:
    published = _publish(cases_frame, Settings(secret=DEMO_SECRET))
    located = published[published["mesh_code"] != ""]
    exact = set(zip(cases_frame["latitude"].round(6), cases_frame["longitude"].round(6), strict=True))
    assert not exact & set(zip(located["latitude"], located["longitude"], strict=True))
    assert located.groupby("mesh_code")[["latitude", "longitude"]].nunique().max().max() == 1


def test_dates_only_no_times(cases_frame: pd.DataFrame) -> None:
    published = _publish(cases_frame, Settings(secret=DEMO_SECRET))
    for column in ("requested_date", "first_response_date", "closed_date"):
        values = published[column][published[column] != ""]
        assert len(values)
        assert values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), column
    assert iso_date(pd.NaT) == "" and iso_date(None) == "" and iso_date(float("nan")) == ""
    assert iso_date(pd.Timestamp("2025-04-10 13:45")) == "2025-04-10"


def test_private_land_loses_coordinates(cases_frame: pd.DataFrame) -> None:
    settings = Settings(secret=DEMO_SECRET, private_categories=frozenset({"weeding"}))
    published = _publish(cases_frame, settings)
    private = (cases_frame["road_administrator"] == "private") | (cases_frame["category"] == "weeding")
    assert private.sum() > 10
    rows = published[private.to_numpy()]
    assert (rows["mesh_code"] == "").all()
    assert rows["latitude"].isna().all() and rows["longitude"].isna().all()
    assert (rows["mesh_level"] == "municipality").all()


def test_no_private_columns_or_raw_ids(cases_frame: pd.DataFrame) -> None:
    published = _publish(cases_frame, Settings(secret=DEMO_SECRET))
    assert not {"case_number", "address", "reporter_name", "reporter_phone", "reporter_email"} & set(published)
    text = published.to_csv()
    for needle in ("R00001", "山田太郎", "090-1234-5678", "taro@example.jp", "2丁目", "番"):
        assert needle not in text
    assert published["service_request_id"].str.fullmatch(r"c-[0-9a-f]{16}").all()
    dup = published["duplicate_of"][published["duplicate_of"] != ""]
    assert len(dup) and dup.isin(published["service_request_id"]).all()


def test_free_text_statuses_and_withholding(make_cases: Maker) -> None:
    texts = ["道路に穴", "山田様宅の前に穴", "母が入院中で段差が危ない", "", "やまださんから電話"]
    frame = make_cases(10, descriptions=texts)
    report = Report()
    published = anonymize.cases(frame, "352152", Settings(secret=DEMO_SECRET), report, {})
    assert list(published["description_status"][:5]) == ["published", "redacted", "withheld", "empty", "withheld"]
    assert list(published["description"][:5]) == ["道路に穴", "[個人名]様宅の前に穴", "", "", ""]
    assert report.redactions["person_name"] == 2
    hidden = anonymize.cases(frame, "352152", Settings(secret=DEMO_SECRET, publish_free_text=False), Report(), {})
    assert set(hidden["description_status"]) <= {"not_published", "empty"}
    assert (hidden["description"] == "").all()


def test_deterministic(cases_frame: pd.DataFrame) -> None:
    """The same cases in another row order publish the same rows (compared in key order)."""
    shuffled = cases_frame.sample(frac=1, random_state=1).reset_index(drop=True)
    assert list(shuffled["case_number"]) != list(cases_frame["case_number"])
    first = _publish(cases_frame, Settings(secret=DEMO_SECRET))
    second = _publish(shuffled, Settings(secret=DEMO_SECRET))
    key = "service_request_id"
    pd.testing.assert_frame_equal(first.sort_values(key).reset_index(drop=True),
                                  second.sort_values(key).reset_index(drop=True))


def test_report_summary_for_the_methodology_page(cases_frame: pd.DataFrame) -> None:
    """The methodology page lists method, parameters and redactions by kind from datapackage.json."""
    frame = cases_frame.copy()
    frame["description"] = "山田様宅の前、電話0834-22-1234"
    settings = Settings(secret=DEMO_SECRET, k=5)
    report = Report()
    anonymize.cases(frame, "352152", settings, report, {})
    summary = report.to_dict(settings)
    assert summary["parameters"] == {"k": 5, "free_text_published": True, "private_categories": []}
    assert summary["redactions"] == {"person_name": len(frame), "phone": len(frame)}
    assert isinstance(summary["method"], str) and "tokenizer" in summary["method"]


def test_a_single_located_case_is_generalized() -> None:
    """jismesh fails on one-element arrays with NumPy 2: a body with one located case must still build."""
    lat, lon = pd.Series([34.0526]), pd.Series([131.8063])
    out = generalize(lat, lon, pd.DataFrame({"fiscal_year": ["2025"]}), 1)
    assert out["mesh_level"].tolist() == ["quarter"] and out["latitude"].notna().all()
    out = generalize(lat, lon, pd.DataFrame({"fiscal_year": ["2025"]}), 3)
    assert out["mesh_level"].tolist() == ["municipality"]
