"""The adapter schema, checked at load: each kind of mistake gives one message naming the file, the
table, the key and, where one is close, the key that was meant."""

import tomllib
from pathlib import Path

import pytest

from pipeline import adapter as adapters
from pipeline import adapter_docs

STANDARD = (adapters.ADAPTERS / "_standard.toml").read_text(encoding="utf-8")
BASE = STANDARD.replace('"000000"', '"352152"').replace('"romaji-name"', '"shunan"')
NAME = "352152_shunan.toml"


def _load(text: str) -> adapters.Adapter:
    return adapters.parse(tomllib.loads(text), Path(NAME))


def _error(text: str) -> str:
    with pytest.raises(adapters.AdapterError) as caught:
        _load(text)
    message = str(caught.value)
    assert message.startswith(NAME), message
    assert "\n" not in message
    return message


def test_the_standard_adapter_loads() -> None:
    adapter = _load(BASE)
    assert list(adapter.sources) == ["cases", "actions", "contracts", "work_orders"]
    assert adapter.coverage == ("352152",)


@pytest.mark.parametrize(("text", "words"), [
    # unknown keys, with a suggestion where one is close
    (BASE.replace('format = "csv"', 'fromat = "csv"'), ["[defaults] unknown key 'fromat'", "did you mean 'format'?"]),
    (BASE.replace("[pii]", "[pii]\nwords = { a = \"b\" }"), ["[pii] unknown key 'words'", "known keys: drop"]),
    (BASE.replace('slug = "shunan"', 'slug = "shunan"\ncoverrage = ["352152"]'),
     ["[municipality] unknown key 'coverrage'", "did you mean 'coverage'?"]),
    (BASE.replace("[resources.cases]\n", "[resources.case]\n"), ["unknown resource [resources.case]",
                                                                 "did you mean 'cases'?"]),
    (BASE + "\n[values.stauts]\n\"x\" = \"received\"\n", ["[values.stauts]", "did you mean 'status'?"]),
    (BASE + '\n[values.cases.categroy]\n"x" = "pothole"\n', ["[values.cases.categroy]", "did you mean 'category'?"]),
    (BASE.replace('file = "cases.csv"', 'file = "cases.csv"\n[[resources.cases.filters]]\ncolum = "x"'),
     ["[resources.cases.filters]", "'colum'", "did you mean 'column'?"]),
    # wrong types and values
    (BASE.replace("publish_free_text = true", 'publish_free_text = "yes"'),
     ["[municipality] 'publish_free_text'", "valid boolean", "'yes'"]),
    (BASE.replace("k = 3", 'k = "3"'), ["[anonymize] 'k'", "valid integer"]),
    (BASE.replace('format = "csv"', 'format = "cvs"'), ["'format'", "'cvs' is not one of", "did you mean 'csv'?"]),
    (BASE.replace('encoding = "utf-8"', 'encoding = "utf8x"'), ["encoding 'utf8x' is not one of"]),
    (BASE.replace('dates = ["iso"]', 'dates = ["isoo"]'), ["unknown date formats ['isoo']", "did you mean 'iso'?"]),
    (BASE.replace('slug = "shunan"', 'slug = "shunan"\ncoverage = ["352153"]'),
     ["[municipality] coverage: '352153' is not a valid 6-digit"]),
    (BASE.replace('slug = "shunan"', 'slug = "shunan"\ncurrency = "yen"'), ["currency 'yen' is not an ISO 4217"]),
    (BASE.replace('slug = "shunan"', 'slug = "shunan"\ntimezone = "Tokyo"'), ["timezone 'Tokyo'"]),
    (BASE + '\n[values.status]\n"x" = "recieved"\n', ["maps to 'recieved'", "did you mean 'received'?"]),
    # mapping mistakes
    (BASE.replace('file = "cases.csv"', 'file = "cases.csv"\ncolumns = { "番号" = "case_number" }'),
     ["[resources.cases]: required intake column 'received' is not mapped", "[resources.cases.columns]"]),
    (BASE.replace('file = "cases.csv"', 'file = "cases.csv"\ncolumns = { "受付日" = "recieved" }'),
     ["columns '受付日' maps to unknown intake column 'recieved'", "did you mean 'received'?"]),
    (BASE.replace('file = "cases.csv"', 'file = "cases.csv"\n[resources.cases.constants]\ncategroy = "other"'),
     ["constants for unknown intake column 'categroy'", "did you mean 'category'?"]),
    (BASE.replace('file = "cases.csv"', 'file = "cases.csv"\n[resources.cases.ids]\ncase_numbr = ["a"]'),
     ["ids for unknown intake column 'case_numbr'", "did you mean 'case_number'?"]),
    (BASE.replace('file = "cases.csv"', 'file = "cases.csv"\nclosed_from_actions = ["complete"]'),
     ["'complete' is not an action code", "did you mean 'completed'?"]),
    (BASE.replace('file = "cases.csv"', 'file = "cases.csv"\nshorten = ["titel"]'),
     ["shorten: 'titel' is not a text column of cases"]),
    (BASE.replace('file = "cases.csv"', 'file = "cases.csv"\ncaptures = "(?P<x"'), ["captures is not a regular expr"]),
    (BASE.replace('file = "cases.csv"', 'file = "R5*.csv"\nurl = "https://example.org/a.csv"'),
     ["url needs one file name"]),
])
def test_each_adapter_mistake_gives_one_clear_message(text: str, words: list[str]) -> None:
    message = _error(text)
    for word in words:
        assert word in message, message


def test_a_list_under_the_wrong_table_is_named_by_its_key() -> None:
    # why: a key written after [resources.x.columns] belongs to that table: say which source column it is
    text = BASE.replace('file = "cases.csv"', 'file = "cases.csv"\n[resources.cases.columns]\n'
                                              'optional = ["x"]')
    assert "columns 'optional' maps to unknown intake column 'x'" in _error(text)


def test_actions_need_cases_and_work_orders_need_contracts() -> None:
    text = BASE.split("[resources.cases]")[0] + '[resources.actions]\nfile = "a.csv"\n'
    assert "[resources.actions] needs [resources.cases]" in _error(text)


def test_a_contracts_only_body_loads() -> None:
    text = BASE.split("[resources.cases]")[0] + '[resources.contracts]\nfile = "contracts.csv"\n[pii]\n'
    assert list(_load(text).sources) == ["contracts"]


def test_declared_capabilities_are_read() -> None:
    text = BASE.replace('[resources.cases]\nfile = "cases.csv"', '''[resources.cases]
file = "R5*＿*.csv"
encoding = "auto"
encodings = { "R5a＿b.csv" = "cp932" }
captures = '^R(?P<year>\\d+)'
dates = ["unix", "iso"]
filters = [{ column = "kind", in = ["a", "b"], reason = "why" }]
ids = { case_number = ["x", "y"] }
closed_from_actions = ["completed"]
[resources.cases.columns]
"when" = ["received", "first_response"]
"c" = "category"
"s" = "status"
[resources.cases.counts.n]
by = ["x"]
where = { column = "y", not_empty = true }''')
    source = _load(text).sources["cases"]
    assert source.is_pattern and source.encoding_for("R5a＿b.csv") == "cp932" and source.encoding_for("z") == "auto"
    assert source.columns["when"] == "received" and source.also["when"] == ("first_response",)
    assert source.filters[0].one_of == ("a", "b") and source.filters[0].reason == "why"
    assert source.ids == {"case_number": ("x", "y")} and source.counts["n"].where.not_empty
    assert source.closed_from_actions == ("completed",) and source.dates == ("unix", "iso")


def test_every_bundled_and_example_adapter_loads() -> None:
    root = Path(__file__).resolve().parents[2]
    assert [a.package_name for a in adapters.discover(root / "examples" / "real")] == [
        "352152_shunan", "990019_chicago", "990027_hoboken", "990035_montreal", "991015_mlit-chugoku"]
    assert len(adapters.discover()) == 4


def test_docs_adapters_md_is_generated_from_the_schema() -> None:
    current = adapter_docs.TARGET.read_text(encoding="utf-8")
    assert current == adapter_docs.render(), "docs/adapters.md is out of date: python -m pipeline.adapter_docs"
    for model in adapter_docs.s.MODELS:
        for name, info in model.model_fields.items():
            assert f"`{info.alias or name}`" in current, name


def test_a_body_name_with_markup_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    """A name goes into titles, feeds, the catalogue and the workbook: markup is refused when the adapter loads."""
    path = tmp_path / "990043_evil.toml"
    path.write_text('[municipality]\ncode = "990043"\nslug = "evil"\n'
                    'name_ja = "<script>alert(1)</script>悪意市"\nname_en = "Evil City"\n'
                    '[resources.cases]\nfile = "cases.csv"\n', encoding="utf-8")
    with pytest.raises(adapters.AdapterError, match=r"990043_evil\.toml: \[municipality\] .name_ja."):
        adapters.load(path)
