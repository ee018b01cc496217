"""A body outside the portal's reference (another prefecture's city, a city abroad) is named on the pages by its
package descriptor: its adapter's names, else the national lists', never its bare code when a name is known."""

from pathlib import Path

import pandas as pd

from pipeline import adapter as adapters
from pipeline import reference
from pipeline.body import own_names
from pipeline.site.loader import Package, SiteData
from pipeline.site.names import body_names


def _package(tmp_path: Path, name: str, rows: list[dict[str, str]], mieruka: dict[str, object]) -> Package:
    table = pd.DataFrame(rows, columns=["municipality_code", "name_ja", "name_en"], dtype=str)
    return Package(tmp_path / name, {"name": name, "mieruka": mieruka}, {"municipalities": table})


def test_a_body_outside_the_reference_is_named_by_its_descriptor(tmp_path: Path) -> None:
    listed = _package(tmp_path, "352152_shunan", [{"municipality_code": "352152", "name_ja": "周南市",
                                                   "name_en": "Shunan"}], {})
    abroad = _package(tmp_path, "990027_hoboken", [], {"names": {"ja": "ホーボーケン市", "en": "City of Hoboken"}})
    unnamed = _package(tmp_path, "990035_montreal", [], {})
    data = SiteData(tmp_path, {"bodies": [{"code": "990035"}]}, [listed, abroad, unnamed], None, None)
    names = body_names(data)
    assert names["352152"] == {"ja": "周南市", "en": "Shunan"}
    assert names["990027"] == {"ja": "ホーボーケン市", "en": "City of Hoboken"}
    assert names["990035"] == {"ja": "990035", "en": "990035"}, "no name anywhere: the code"


def test_own_names_take_the_adapter_then_the_national_lists() -> None:
    hiroshima = adapters.standard("341002", "hiroshima")
    assert own_names(hiroshima) == {"ja": "広島市", "en": "Hiroshima"}
    assert reference.national_names()["131016"] == {"ja": "千代田区", "en": "Chiyoda, Tokyo"}
    assert len(reference.national_names()) == 1741
    hoboken = adapters.load(Path(__file__).resolve().parents[2] / "examples" / "real" / "990027_hoboken.toml")
    assert own_names(hoboken)["en"] == "City of Hoboken (New Jersey, USA)"


def test_a_misnamed_raw_folder_is_no_body_on_the_site() -> None:
    from pipeline.site.loader import site_manifest

    def body(package: str, status: str) -> dict[str, str]:
        return {"code": package.partition("_")[0], "package": package, "status": status}

    run = {"bodies": [body("352152_Shunan", "failed"), body("352152_shunan", "published"),
                      body("999999_typo", "failed"), body("notes_", "failed"), body("990027_hoboken", "failed")]}
    assert [b["package"] for b in site_manifest(run)["bodies"]] == ["352152_shunan", "990027_hoboken"]
