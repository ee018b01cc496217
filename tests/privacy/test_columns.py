"""Every published text-like column is validated or scrubbed: towns, contract districts and titles,
contractors (docs/privacy.md, "Columns")."""

from collections import Counter

import pandas as pd

from pipeline import places


def test_town_must_be_a_known_town_of_the_body() -> None:
    counts: Counter[str] = Counter()
    values = pd.Series(["山田太郎様方前", "久米1丁目2-3", "岐山通り", "櫛ヶ浜", "須々万", "末武上", ""])
    out = places.towns_checked(values, "352152", counts)
    # 末武上 is a town of Kudamatsu, not of Shunan; a name is never published as a town
    assert out.tolist() == ["", "久米", "岐山通り", "櫛ヶ浜", "須々万", "", ""]
    assert counts["not_a_known_town"] == 2


def test_prefecture_takes_any_town_of_the_prefecture() -> None:
    counts: Counter[str] = Counter()
    out = places.towns_checked(pd.Series(["末武上", "久米", "山田太郎様方前"]), "350001", counts)
    assert out.tolist() == ["末武上", "久米", ""]


def test_body_without_a_town_list_publishes_plain_names_only() -> None:
    counts: Counter[str] = Counter()
    out = places.towns_checked(pd.Series(["Halsey Street", "山田太郎様方前", "中央"]), "131016", counts)
    assert out.tolist() == ["", "", "中央"]
    assert counts["not_a_known_town"] == 2


def test_contractor_without_a_legal_entity_form_is_a_sole_proprietor() -> None:
    counts: Counter[str] = Counter()
    names = ["株式会社県央建設", "周陽道路(株)", "㈲笠戸造園", "山田造園", "鈴木 一郎", "Acme Paving Co.", ""]
    assert [places.contractor(n, counts) for n in names] == [
        "株式会社県央建設", "周陽道路(株)", "㈲笠戸造園", places.SOLE_PROPRIETOR, places.SOLE_PROPRIETOR,
        "Acme Paving Co.", ""]
    assert counts["contractor_sole_proprietor"] == 2


def _contract(contract_id: str, district: str, title: str) -> dict[str, str]:
    return {"contract_id": contract_id, "district": district, "title": title}


def test_contract_districts_and_titles_are_scrubbed_and_generalized() -> None:
    contracts = pd.DataFrame([
        _contract("A", "鈴木二郎様宅前", "鈴木二郎様宅前 道路補修工事(個別発注)"),
        _contract("B", "浅江", "浅江 道路補修工事(個別発注)"),  # its case publishes no town: withheld
        _contract("C", "室積", "室積 道路補修工事(個別発注)"),  # its case publishes 室積: kept
        _contract("D", "東部", "令和7年度 道路維持作業(東部)"),  # an area: one of its cases has no town
        _contract("E", "全域", "令和7年度 舗装補修単価契約"),
    ])
    orders = pd.DataFrame({"contract_id": ["A", "B", "C", "D", "D", "E"],
                           "service_request_id": ["c-1", "c-2", "c-3", "c-3", "c-2", "c-2"]})
    cases = pd.DataFrame({"service_request_id": ["c-1", "c-2", "c-3"], "town": ["室積", "", "室積"]})
    counts: Counter[str] = Counter()
    out = places.contract_places(contracts, orders, cases, "352101", ("光市", "光"), counts)
    assert out["district"].tolist() == ["", "", "室積", "", "全域"]
    assert out["title"].tolist()[1:4] == ["光市 道路補修工事(個別発注)", "室積 道路補修工事(個別発注)",
                                          "令和7年度 道路維持作業(光市)"]
    assert out.loc[0, "title"] == "光市 道路補修工事(個別発注)"
    assert counts["district_redacted"] == 1 and counts["district_generalized"] == 2  # A; B and D


def test_texts_name_no_town_but_the_published_one() -> None:
    pattern = places.place_pattern({"久米", "鹿野", "西豊井", "林"})
    counts: Counter[str] = Counter()
    texts = pd.Series(["久米[番地]付近の穴", "久米から鹿野へ向かう道", "西豊井の側溝", "林道の倒木"])
    kept = pd.Series(["久米", "久米", "", ""])
    out = places.mask_places(texts, kept, pattern, counts, "description")
    # one-character names are left alone: too many ordinary words contain them
    assert out.tolist() == ["久米[番地]付近の穴", "久米から[地名]へ向かう道", "[地名]の側溝", "林道の倒木"]
    assert counts["description_place_masked"] == 2
