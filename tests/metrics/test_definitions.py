"""Registry, published definitions and the metrics Table Schema: complete, bilingual, versioned."""

import json

import pytest
from conftest import AS_OF, municipalities

from pipeline import schema
from pipeline.metrics import compute_metrics, definitions_document, metric_definitions, metrics_schema
from pipeline.metrics.definitions import SCHEMA_PATH, UNIT_LABELS, build_schema, schema_text
from pipeline.metrics.registry import FLAGS, REGISTRY

TEXT_KEYS = ("label_ja", "label_en", "description_ja", "description_en", "n_ja", "n_en", "formula")


def test_ids_unique():
    ids = [m.id for m in REGISTRY]
    assert len(ids) == len(set(ids))
    assert all(i.replace("_", "").isalnum() and i == i.lower() for i in ids)


@pytest.mark.parametrize("metric", REGISTRY, ids=lambda m: m.id)
def test_labels_and_descriptions_complete(metric):
    for key in TEXT_KEYS:
        assert getattr(metric, key).strip(), (metric.id, key)
    assert metric.unit in UNIT_LABELS
    assert metric.kind != "quantile" or metric.unit in ("days", "business_days")


def test_labels_differ_between_metrics():
    for lang in ("ja", "en"):
        labels = [getattr(m, f"label_{lang}") for m in REGISTRY]
        assert len(labels) == len(set(labels)), lang


def test_flags_and_units_bilingual():
    for table in (FLAGS, UNIT_LABELS):
        for code, labels in table.items():
            assert labels["ja"].strip() and labels["en"].strip(), code


def test_definitions_versioned_and_dimensions_labelled():
    defs = metric_definitions()
    assert [d["id"] for d in defs] == [m.id for m in REGISTRY]
    versions = {d["version"] for d in defs}
    assert len(versions) == 1
    version = versions.pop()
    assert version == definitions_document()["version"]
    assert version.split("+")[1].isalnum() and len(version.split("+")[1]) == 12
    channel = next(d for d in defs if d["id"] == "channel_share")
    assert set(channel["dimension_values"]) == set(schema.enum("cases", "channel"))
    assert all(v["ja"] and v["en"] for d in defs for v in d["dimension_values"].values())
    json.dumps(definitions_document(), ensure_ascii=False)


def test_schema_file_is_generated_from_the_registry():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()
    assert metrics_schema() == build_schema()


def test_schema_fields_bilingual_and_in_column_order():
    spec = metrics_schema()
    from pipeline.metrics import COLUMNS

    assert tuple(f["name"] for f in spec["fields"]) == COLUMNS
    for key in ("title", "title_en", "description", "description_en"):
        assert spec[key].strip()
    for field in spec["fields"]:
        for key in ("title", "title_en", "description", "description_en"):
            assert field[key].strip(), (field["name"], key)
        assert "example" in field
        if "enum_labels" in field:
            assert list(field["enum_labels"]) == field["constraints"]["enum"], field["name"]


def test_every_metric_appears_in_the_output(tables):
    df = compute_metrics(tables, municipalities(), AS_OF)
    base = set(df["metric_id"].str.split(".").str[0])
    assert base == {m.id for m in REGISTRY}
    dims = {m.id for m in REGISTRY if m.dimension}
    assert all(("." in i) == (i.split(".")[0] in dims) for i in set(df["metric_id"]))
    assert set(df["unit"]) <= set(UNIT_LABELS)
    assert set(" ".join(df["flags"]).split()) <= set(FLAGS)


def test_definitions_are_data_files_with_explicit_keys():
    """Every metric comes from a TOML file with its min-n and suppression group as keys of its own."""
    from pipeline.metrics.registry import DEFINITIONS, REGISTRY, in_group, load

    assert load(DEFINITIONS) == REGISTRY
    assert all(m.min_n == 20 for m in REGISTRY)
    received = in_group("requests_received")
    assert "requests_received" in received and "completed_share" in received
    assert "decline_reason_share" not in received  # its n is the declined cases, not the cases received
    assert in_group("open_backlog") == ("open_backlog", "open_backlog_age_median")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('min_n = 20\n', "min_n = '20'"),
        ('better = "lower"\n', "better = 'best'"),
        ('monthly = true\n', "unknown keys ['montly']"),
    ],
)
def test_a_bad_definition_names_file_metric_and_key(tmp_path, change, message):
    from pipeline.metrics.registry import DEFINITIONS, DefinitionError, load

    for path in DEFINITIONS.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "cases.toml").read_text(encoding="utf-8")
    broken = {"min_n = 20\n": 'min_n = "20"\n', 'better = "lower"\n': 'better = "best"\n',
              "monthly = true\n": "montly = true\n"}[change]
    (tmp_path / "cases.toml").write_text(text.replace(change, broken, 1), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"cases\.toml metric \d+ \(") as error:
        load(tmp_path)
    assert message in str(error.value)
