"""The malformed-export corpus: every file in fixtures/exports/ with its documented outcome.

Each file goes through the real read path of a body (ingest.read -> select -> normalize). The outcome is
either an ERROR, one line naming the file (and the row where there is one), or ACCEPTED: the rows kept,
each rejected cell quarantined with file, row, column, value and reason. Never a traceback.
(Regenerate the files with `.venv/bin/python tests/security/make_malformed_exports.py`.)

The outcome of each file is documented in fixtures/exports/README.md and checked by OUTCOMES below.
"""

import shutil
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from pipeline import adapter as adapters
from pipeline import ingest, normalize, package
from pipeline.problems import ExportError

CORPUS = Path(__file__).parent / "fixtures" / "exports"
STANDARD = adapters.standard("352152", "shunan")
KUDAMATSU = adapters.load(adapters.ADAPTERS / "352071_kudamatsu.toml")
MB = 1 << 20


@dataclass(frozen=True)
class Error:
    """The export is refused with one line holding these words (and naming this row, if given)."""

    words: str
    row: int | None = None


@dataclass(frozen=True)
class Accepted:
    """The export is read: these case numbers kept, these (row, column, reason words) quarantined."""

    kept: tuple[str, ...]
    quarantined: tuple[tuple[int, str, str], ...] = ()
    values: tuple[tuple[str, str, str], ...] = ()  # (case_number, column, published value)


OUTCOMES: dict[str, Error | Accepted] = {
    "bom_utf8.csv": Accepted(("A-1", "A-2")),
    "bom_only.csv": Error("empty file: no header row"),
    "utf16le_bom.csv": Error("file is UTF-16"),
    "cp932_declared_utf8.csv": Error("not valid utf-8 at byte 171 (it decodes as cp932: fix the adapter)", 2),
    "mixed_utf8_with_cp932_row.csv": Error("(this line is cp932: the file mixes encodings)", 4),
    "kudamatsu_utf8_declared_cp932.csv": Error("declared encoding cp932, but the file is UTF-8"),
    "kudamatsu_mixed_cp932_with_utf8_row.csv": Error("(this line is utf-8: the file mixes encodings)", 3),
    "kudamatsu_era_out_of_range.csv": Accepted(("K-1",), (
        (3, "received", "outside the 令和 era"), (4, "received", "outside the 平成 era"),
        (5, "received", "outside the 平成 era"), (6, "received", "outside the 昭和 era"),
        (7, "received", "date outside the years 1950–2100"))),
    "kudamatsu_fullwidth_and_letter_eras.csv": Accepted(("K-1", "K-2", "K-3", "K-4"), values=(
        ("K-1", "received", "2025-04-10"), ("K-2", "received", "2025-04-11"), ("K-3", "received", "2025-04-12"),
        ("K-4", "received", "2019-05-01"))),
    "excel_dates.csv": Accepted(("E-1", "E-4"), ((3, "received", "not a date"), (4, "received", "not a date")),
                                (("E-1", "received", "2025-04-10"), ("E-4", "received", "2025-04-10"))),
    "fullwidth_numbers.csv": Accepted(("F-1",), values=(
        ("F-1", "received", "2025-04-10"), ("F-1", "latitude", "34.05"), ("F-1", "referred_to_code", "352152"))),
    "excel_codes.csv": Accepted(("X-1", "X-2", "X-3", "X-4"), ((6, "referred_to_code", "not a local government code"),),
                                (("X-1", "referred_to_code", "352152"), ("X-2", "referred_to_code", "352152"),
                                 ("X-3", "referred_to_code", "352152"), ("X-4", "referred_to_code", "110027"))),
    "excel_exponent_case_numbers.csv": Accepted(("202504100003",), (
        (2, "case_number", "exponent notation"), (3, "case_number", "exponent notation"))),
    "missing_required_column.csv": Error("column 'category' (for category) is missing", 1),
    "extra_columns.csv": Accepted(("A-1", "A-2")),
    "row_with_extra_field.csv": Error("13 fields where the header has 12", 3),
    "first_row_with_extra_field.csv": Error("more fields than the header's 12", 2),
    "trailing_delimiter_every_row.csv": Accepted(("A-1", "A-2"), values=(
        ("A-1", "description", "穴があいている"), ("A-2", "town", "熊毛"))),
    "row_with_missing_fields.csv": Accepted(("A-1",), ((3, "status", "required value is empty"),)),
    "duplicate_ids.csv": Accepted(("A-1",), ((3, "case_number", "duplicate identifier"),)),
    "swapped_lat_lon.csv": Accepted(("S-1",), values=(("S-1", "latitude", "34.05"), ("S-1", "longitude", "131.8"))),
    "outside_japan.csv": Accepted(("A-1",), ((3, "latitude", "outside Japan"), (4, "latitude", "outside Japan"))),
    "duplicate_header.csv": Error("duplicate column name in the header", 1),
    "fullwidth_header.csv": Accepted(("A-1", "A-2")),
    "empty.csv": Error("empty file"),
    "whitespace_only.csv": Error("empty file"),
    "header_only.csv": Error("header only"),
    "blank_lines_and_crlf.csv": Accepted(("A-1", "A-2")),
    "bare_cr_line_ends.csv": Accepted(("A-1", "A-2")),
    "binary_junk.csv": Error("not valid utf-8", 1),
    "utf8_cut_off_at_the_end.csv": Error("(the file ends in the middle of a character: it was cut off", 3),
    "utf8_line_cut_mid_character.csv": Error("(a character is cut off at the end of this line", 3),
    # 25:30 is the small hours of the next day (a Japanese schedule's 30-hour clock); 30:00 is no time of day
    "time_of_day_after_midnight.csv": Accepted(("T-1",), ((3, "received", "impossible time of day"),),
                                               values=(("T-1", "received", "2025-04-11"),)),
    "png_named_csv.csv": Error("NUL bytes", 3),
    "xlsx_named_csv.csv": Error("NUL bytes", 1),
    # a NUL byte in one row rejects that row only (a few NULs are a damaged row, many a binary file)
    "nul_after_first_block.csv": Accepted(("A-1", "A-2"), ((4, None, "NUL byte in this row"),)),
    "unclosed_quote.csv": Error("a quote opened here is never closed", 3),
    "stray_quote_inside_field.csv": Accepted(("Q-1",), values=(("Q-1", "description", '穴の深さ5"くらい'),)),
    "semicolon_delimited.csv": Error("not delimited by ','", 1),
    "tab_delimited.csv": Error("not delimited by ','", 1),
    # a case number that looks like a formula is refused; formula-like text is neutralized by the writer
    "formula_cells.csv": Accepted(("F-2",), ((2, "case_number", "starts like a spreadsheet formula"),), values=(
        ("F-2", "description", "=cmd|' /C calc'!A0"),)),
    "control_and_bidi_characters.csv": Accepted(("C-1",), values=(("C-1", "description", "穴があるです"),)),
}


def read_cases(path: Path, adapter: adapters.Adapter) -> normalize.Normalized:
    """A cases export through the body's read path (the file is copied under the adapter's name)."""
    source = adapter.sources["cases"]
    target = path.parent / "body" / source.file
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, target)
    frame = ingest.select(ingest.read(target, source), source, adapter.pii_drop, source.file)
    return normalize.normalize_cases(normalize.parse_columns(frame, "cases", adapter, source, source.file),
                                     source.file)


def _adapter(name: str) -> adapters.Adapter:
    return KUDAMATSU if name.startswith("kudamatsu_") else STANDARD


def test_every_corpus_file_has_a_documented_outcome() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.csv"))
    assert files == sorted(OUTCOMES)
    documented = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert all(name in documented for name in files)


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_corpus_file_outcome(tmp_path: Path, name: str) -> None:
    adapter = _adapter(name)
    shutil.copyfile(CORPUS / name, tmp_path / name)
    expected = OUTCOMES[name]
    if isinstance(expected, Error):
        with pytest.raises(ExportError) as caught:
            read_cases(tmp_path / name, adapter)
        message = str(caught.value)
        assert message.startswith(adapter.sources["cases"].file), message
        assert expected.words in message and "\n" not in message and len(message) < 500, message
        assert caught.value.problem.row == expected.row, message
        return
    result = read_cases(tmp_path / name, adapter)
    assert tuple(result.frame["case_number"]) == expected.kept
    got = sorted((p.row, p.column, p.reason) for p in result.problems)
    assert [(r, c) for r, c, _ in got] == [(r, c) for r, c, _ in sorted(expected.quarantined)], got
    for (_, _, reason), (_, _, words) in zip(got, sorted(expected.quarantined), strict=True):
        assert words in reason
    assert all(p.file == adapter.sources["cases"].file and p.value is not None for p in result.problems)
    rows = result.frame.set_index("case_number")
    for case, column, value in expected.values:
        assert str(rows.at[case, column]) == value, (case, column)
    private = {c for c in rows.columns if c.startswith("reporter_") or c in ("memo", "address")}
    assert private == set()


def test_formula_cells_are_neutralized_by_the_package_writer(tmp_path: Path) -> None:
    shutil.copyfile(CORPUS / "formula_cells.csv", tmp_path / "formula_cells.csv")
    texts = read_cases(tmp_path / "formula_cells.csv", STANDARD).frame["description"].astype(str)
    assert package.neutralize(texts).tolist() == ["'=cmd|' /C calc'!A0"]
    hyperlink = pd.Series(['=HYPERLINK("http://evil.invalid","詳細")'])
    assert package.neutralize(hyperlink).tolist() == ["'=HYPERLINK(\"http://evil.invalid\",\"詳細\")"]


HEADER = "case_number,received,category,status,town,description"


def _huge(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "huge.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


@pytest.mark.parametrize(("field", "line", "reason"), [
    ("description", f"H-1,2025-04-10,pothole,received,久米,{'穴' * MB}", "text longer than 10000 characters"),
    ("case_number", f"{'H' * MB},2025-04-10,pothole,received,久米,穴", "identifier longer than 64 characters"),
    ("town", f'H-1,2025-04-10,pothole,received,"{"久米" * MB}",穴', "text longer than 10000 characters"),
    ("description", 'H-1,2025-04-10,pothole,received,久米,"' + "穴\n" * (MB // 4) + '"',
     "text longer than 10000 characters"),
])
def test_one_megabyte_field_is_one_quarantined_row(tmp_path: Path, field: str, line: str, reason: str) -> None:
    path = _huge(tmp_path, "\n".join([HEADER, "G-1,2025-04-10,pothole,received,久米,穴", line]) + "\n")
    tracemalloc.start()
    # why: CPU time of this process, not the wall clock: a loaded machine must not decide the figure
    started = time.process_time()
    result = read_cases(path, STANDARD)
    seconds = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.frame["case_number"].tolist() == ["G-1"]
    [problem] = result.problems
    assert (problem.row, problem.column, problem.reason) == (3, field, f"{field}: {reason}")
    assert len(problem.describe()) < 220, "the message shows a shortened value"
    assert seconds < 10 and peak < 200 * MB, (seconds, peak)


@pytest.mark.parametrize(("content", "words", "row"), [
    (HEADER.replace("town", "町" * MB) + "\nH-1,2025-04-10,pothole,received,久米,穴\n", "header row longer than", 1),
    (bytes(range(128, 256)) * (MB // 128), "not valid utf-8", 1),
    (HEADER + "\n" + "H-1," * (MB // 4) + "\n", "more fields than the header's 6", 2),
])
def test_one_megabyte_line_gives_a_short_clear_error(tmp_path: Path, content: str | bytes, words: str,
                                                    row: int) -> None:
    started = time.process_time()  # CPU time, whatever the load
    with pytest.raises(ExportError) as caught:
        read_cases(_huge(tmp_path, content), STANDARD)
    message = str(caught.value)
    assert words in message and len(message) < 500, message[:600]
    assert caught.value.problem.row == row
    assert time.process_time() - started < 10


def test_quarantine_log_row_keeps_the_whole_bad_value_out_of_messages() -> None:
    problem = ExportError("cases.csv", "bad", row=3, column="description", value="穴" * MB).problem
    assert len(problem.describe()) < 120
    assert isinstance(pd.DataFrame([problem.to_dict()]), pd.DataFrame)
