"""The metrics resource, written as the package writer writes CSV, validates against its Table Schema."""

import json
from pathlib import Path

import frictionless
import pandas as pd
import pytest
from conftest import AS_OF, municipalities

from pipeline import package
from pipeline.metrics import compute_metrics, empty_metrics, metrics_schema, to_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "packages"


def _validate(df: pd.DataFrame, tmp_path: Path) -> frictionless.Report:
    text = package.prepare(to_text(df), "metrics")
    (tmp_path / "metrics.csv").write_bytes(package.csv_bytes(text))
    schema = frictionless.Schema.from_descriptor(json.loads(json.dumps(metrics_schema())))
    return frictionless.Resource(path="metrics.csv", schema=schema, basepath=str(tmp_path)).validate()


def test_hand_made_tables_validate(tables, tmp_path):
    df = compute_metrics(tables, municipalities(road_km=""), AS_OF, data_since={"352152": "2025-04-01"}, min_n=5)
    report = _validate(df, tmp_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    lines = (tmp_path / "metrics.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == '"scope","municipality_code","category","period_type","period","metric_id","value",' + (
        '"lower","upper","n","unreliable","flags","unit","denominator_value","denominator_year","denominator_source"'
    )
    assert any(',"true",' in line for line in lines) and any(',"false",' in line for line in lines)
    assert any(',"",' in line for line in lines)  # NaN is written empty, never 0 or "nan"
    assert not any("nan" in line.lower().split(",")[6] for line in lines[1:])


def test_empty_table_validates(tmp_path):
    assert _validate(empty_metrics(), tmp_path).valid


@pytest.mark.parametrize("package_dir", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_fixture_packages_smoke(package_dir, tmp_path):
    folder = FIXTURES / package_dir
    tables = {
        name: pd.read_csv(next(folder.glob(f"*_{name}.csv")), dtype=str, keep_default_na=False)
        for name in ("cases", "actions", "contracts", "work_orders", "municipalities")
    }
    run_date = json.loads((FIXTURES / "run.json").read_text(encoding="utf-8"))["run_date"]
    as_of = pd.Timestamp(str(run_date)[:10]).date()
    df = compute_metrics(tables, tables.pop("municipalities"), as_of)
    assert len(df) > 0
    codes = set(pd.read_csv(next(folder.glob("*_cases.csv")), dtype=str)["municipality_code"])
    assert set(df.loc[df["scope"] == "body", "municipality_code"]) == codes
    total = df[
        (df["metric_id"] == "requests_received")
        & (df["scope"] == "all")
        & (df["category"] == "all")
        & (df["period_type"] == "fiscal_year")
    ]
    assert total["value"].sum() + total["value"].isna().sum() >= 1
    report = _validate(df, tmp_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
