"""Docs coverage: every option of every `mieruka` command, as its --help lists it, is in the README's
command table, on the row of its own command (so a new option cannot ship undocumented)."""

import re
from pathlib import Path

import pytest

from pipeline.cli import main

README = Path(__file__).parents[2] / "README.md"


OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def _help_text(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def _options(help_text: str) -> set[str]:
    """The long options of the help's "options:" section (-h/--help left out: argparse adds it)."""
    section = help_text.split("\noptions:\n", 1)[1].split("\n\n", 1)[0]
    # an option's line starts with its names; the help text after two spaces may mention other options
    names = [line.strip().split("  ")[0] for line in section.splitlines() if re.match(r"\s{2}-", line)]
    return {name for line in names for name in OPTION.findall(line)} - {"--help"}


def _commands(help_text: str) -> list[str]:
    block = help_text.split("\n  COMMAND\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines()]


def _table_rows() -> dict[str, str]:
    """README command table: the command's first word after `mieruka` -> the row's first cell."""
    text = README.read_text(encoding="utf-8")
    table = text.split("## The command line", 1)[1].split("\n\n", 2)[1]
    rows: dict[str, str] = {}
    for line in table.splitlines():
        match = re.match(r"\| `mieruka ([^`]*)`", line)
        if match:
            rows[match.group(1).split()[0]] = match.group(1)
    return rows


def test_every_option_of_every_command_is_on_its_row_of_the_readme_table(capsys: pytest.CaptureFixture[str]) -> None:
    top = _help_text(capsys)
    commands = _commands(top)
    assert commands == ["build", "nightly", "sample", "validate", "serve"]
    rows = _table_rows()
    missing = {}
    for command in commands:
        assert command in rows, f"no row for `mieruka {command}` in the README's command table"
        options = _options(_help_text(capsys, command))
        assert options, command
        documented = set(OPTION.findall(rows[command]))
        if options - documented:
            missing[command] = sorted(options - documented)
    top_options = _options(top)
    assert top_options == {"--version"}
    readme = README.read_text(encoding="utf-8")
    missing.update({"mieruka": [name for name in sorted(top_options) if f"mieruka {name}" not in readme]})
    assert not any(missing.values()), f"options missing from the README: {missing}"
