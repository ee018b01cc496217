"""A body's error is published in run.json without the values it quotes from the export (a cell, a header, a
sheet's name can name a person); the whole message stays in the run's output and the private log."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.problems import ExportError, Problem, redact, shorten
from pipeline.results import BodyResult

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_every_quoted_value_is_redacted(cell: str, header: str, sheet: str) -> None:
    problem = Problem("cases.csv", 12, header, cell, f"sheet {sheet!r} not found; sheets: {[sheet, '作業']!r}")
    assert redact(problem.describe()) == "cases.csv, line 12, column …: value …: sheet … not found; sheets: […, …]"


def test_words_of_our_own_stay() -> None:
    reason = "date after the run's as-of date 2026-04-05: an event cannot be reported before it happens"
    assert redact(reason) == reason
    assert redact("broken JSON: Expecting ',' delimiter") == "broken JSON: Expecting … delimiter"


def test_run_json_gets_the_error_without_the_sheet_names(tmp_path: Path) -> None:
    error = ExportError("道路維持管理データ.xlsx", f"sheet '通報' not found; sheets: {['通報（永井彩分）', '作業']!r}")
    result = BodyResult("352110", "352110_nagato", status="failed", error=str(error), problems=[error.problem])
    public = result.public()
    assert public["error"] == "道路維持管理データ.xlsx: sheet … not found; sheets: […, …]"
    assert "永井" not in json.dumps(public, ensure_ascii=False)
    assert "永井彩" in (result.error or "")  # the operator still reads it (run output, private quarantine log)
    assert BodyResult("352110", "352110_nagato", status="published", error=None).public()["error"] is None


def test_a_long_value_is_shortened_and_then_redacted_whole() -> None:
    value = "山田太郎 090-1234-5678 " * 20
    problem = Problem("cases.csv", 3, "description", value, "too long")
    assert shorten(value) in problem.describe()
    assert redact(problem.describe()) == "cases.csv, line 3, column …: value …: too long"
