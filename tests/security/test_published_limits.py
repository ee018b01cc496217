"""A value longer than the schema lets a package publish is one quarantined row, not a failed body."""

from pathlib import Path

from pipeline import adapter as adapters
from pipeline import ingest, normalize

HEADER = ("contract_id,title,infrastructure,work_category,contract_type,procurement_method,contractor,district,"
          "start_date,end_date,contract_amount,estimated_price")
ROW = "{id},{title},road,pavement,unit_price,open_tender,{contractor},徳山地区,2025-04-01,2026-03-31,1000,1000"


def _contracts(tmp_path: Path, rows: list[str]) -> normalize.Normalized:
    adapter = adapters.standard("352152", "shunan")
    source = adapter.sources["contracts"]
    path = tmp_path / "contracts.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    frame = ingest.select(ingest.read(path, source), source, adapter.pii_drop, path.name)
    return normalize.parse_columns(frame, "contracts", adapter, source, path.name)


def test_over_long_contractor_title_and_id_are_quarantined(tmp_path: Path) -> None:
    result = _contracts(tmp_path, [
        ROW.format(id="K-1", title="舗装補修", contractor="株式会社徳山建設"),
        ROW.format(id="K-2", title="舗装補修", contractor="株" * 121),
        ROW.format(id="K-3", title="舗" * 201, contractor="株式会社徳山建設"),
        ROW.format(id="K" * 41, title="舗装補修", contractor="株式会社徳山建設"),
        ROW.format(id="K-5", title="舗装補修", contractor="Ｋ" * 120),  # 120 after NFKC: fits
    ])
    assert result.frame["contract_id"].tolist() == ["K-1", "K-5"]
    assert sorted((p.row, p.column, p.reason) for p in result.problems) == [
        (3, "contractor", "contractor: longer than 120 characters, the published limit"),
        (4, "title", "title: longer than 200 characters, the published limit"),
        (5, "contract_id", "contract_id: longer than 40 characters, the published limit"),
    ]


def test_scrubbed_and_town_fields_keep_their_own_shortening() -> None:
    assert normalize.published_limit("cases", "description") is None  # the scrubber withholds long texts
    assert normalize.published_limit("cases", "town") is None  # town_only cuts it to 40
    assert normalize.published_limit("contracts", "district") == 60
