"""Identifiers that reach file names are checked at adapter load: a clear error naming the adapter and value."""

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import adapter as adapters
from pipeline import identifiers
from pipeline.sample import SAMPLE_MARKER

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_FILE_NAMES = [
    "../cases.csv", "../../etc/passwd.csv", "/etc/passwd", "/tmp/cases.csv", "raw/cases.csv", "a\\b.csv",
    "cases\x00.csv", "cases\n.csv", ".", "..", ".hidden.csv", "", "x" * 252 + ".csv", "要" * 84 + ".csv",
    "．．／cases.csv", "‥／cases.csv", "․․/cases.csv", "∕etc∕passwd.csv", "⁄etc⁄passwd.csv", "＼cases.csv",
    "cases\u202e.csv", "cases\u200b.csv", "cases.csv\u2028", "cases.exe", "cases.csv;rm -rf", "$(id).csv",
    "cases.csv/", "~/cases.csv", "c:cases.csv",
]
GOOD_FILE_NAMES = ["cases.csv", "要望受付台帳.csv", "道路維持管理データ.xlsx", "requests.json",
                   "2025年度 要望一覧（周南）.csv", "R7_発注-明細.v2.TSV", "x" * 251 + ".csv"]


@pytest.mark.parametrize("name", HOSTILE_FILE_NAMES)
def test_hostile_file_names_are_refused(name: str) -> None:
    with pytest.raises(identifiers.IdentifierError) as caught:
        identifiers.check_file_name(name)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("name", GOOD_FILE_NAMES)
def test_plain_file_names_are_accepted(name: str) -> None:
    assert identifiers.check_file_name(name) == name


@pytest.mark.parametrize(("code", "slug"), [("35215", "shunan"), ("352153", "shunan"), ("352152", "../x"),
                                            ("352152", "Shunan"), ("352152", "shunan\x00"), ("352152", "s" * 41),
                                            ("352152", "ｓｈｕｎａｎ"), ("352152", "shunan/x"), ("352152", "")])
def test_package_names_are_checked(code: str, slug: str) -> None:
    with pytest.raises(identifiers.IdentifierError):
        identifiers.package_name(code, slug)


def _adapter_text(file: str = "cases.csv", slug: str = "shunan") -> str:
    text = (adapters.ADAPTERS / "_standard.toml").read_text(encoding="utf-8")
    text = text.replace('"000000"', '"352152"').replace('"romaji-name"', f'"{slug}"')
    return text.replace('file = "cases.csv"', f"file = {_toml_string(file)}")


def _toml_string(value: str) -> str:
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04X}" for c in value) + '"'


@pytest.mark.parametrize("name", HOSTILE_FILE_NAMES)
def test_adapter_with_a_hostile_file_name_is_refused_naming_adapter_and_value(tmp_path: Path, name: str) -> None:
    path = tmp_path / "352152_shunan.toml"
    path.write_text(_adapter_text(file=name), encoding="utf-8")
    with pytest.raises(adapters.AdapterError) as caught:
        adapters.load(path)
    message = str(caught.value)
    assert message.startswith("352152_shunan.toml [resources.cases]: file must be a plain name"), message
    assert repr(name[:80]) in message or name == ""
    assert "\n" not in message


@pytest.mark.parametrize("slug", ["../x", "Shunan", "shunan/../../x", "ｓｈｕｎａｎ"])
def test_adapter_with_a_hostile_slug_is_refused(tmp_path: Path, slug: str) -> None:
    path = tmp_path / "352152_shunan.toml"
    path.write_text(_adapter_text(slug=slug), encoding="utf-8")
    with pytest.raises(adapters.AdapterError, match=r"^352152_shunan\.toml: \[municipality\] slug"):
        adapters.load(path)


def test_adapter_file_must_be_named_after_its_code_and_slug(tmp_path: Path) -> None:
    path = tmp_path / "352152_other.toml"
    path.write_text(_adapter_text(), encoding="utf-8")
    with pytest.raises(adapters.AdapterError, match=r"must be named 352152_shunan\.toml"):
        adapters.load(path)


def test_every_bundled_adapter_passes() -> None:
    names = [a.package_name for a in adapters.discover()]
    assert names == ["350001_yamaguchi", "352071_kudamatsu", "352101_hikari", "352152_shunan"]


@pytest.mark.parametrize("folder", ["not-a-body", "352152_Shunan", "352153_shunan", "352152_ｓｈｕｎａｎ"])
def test_raw_folder_with_a_bad_name_fails_alone_in_one_line(tmp_path: Path, folder: str) -> None:
    raw = tmp_path / "raw"
    (raw / folder).mkdir(parents=True)
    (raw / SAMPLE_MARKER).write_text("synthetic\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "build", "--raw", str(raw), "--packages",
                           str(tmp_path / "datapackages"), "--output", str(tmp_path / "output"), "--executor",
                           "serial"], cwd=ROOT, capture_output=True, encoding="utf-8", errors="replace", check=False)
    assert done.returncode == 1, "the body failed; with no other body nothing is published"
    errors = [line for line in done.stdout.splitlines() if f"raw folder {folder}" in line]
    assert len(errors) == 1 and "adapter not usable" in errors[0], done.stdout
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "datapackages").exists()
