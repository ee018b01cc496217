"""Docs coverage, as datasette's test_docs does: what a user can set is documented where they look.

- every option of every `mieruka` command has its own help text, and every command an example
  (the README's command table is checked by tests/stages/test_cli_docs.py);
- every key of every adapter table has its own row, with a meaning, in its table's section of
  docs/adapters.md (generated from pipeline/adapter_schema.py, so the meaning is the schema's);
- every option of `python -m pipeline.audit` has a help text and is in docs/privacy.md, where the audit is described.
"""

import argparse
import re
from pathlib import Path

import pytest

from pipeline import adapter_docs, adapter_schema, audit, cli

ROOT = Path(__file__).resolve().parents[1]


# why: argparse has no public way to list a parser's options and subcommands; _actions is how its own help reads them
def _commands() -> dict[str, argparse.ArgumentParser]:
    top = cli.parser()
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    return {"mieruka": top, **{f"mieruka {name}": p for name, p in sub.choices.items()}}


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if a.option_strings and "--help" not in a.option_strings]  # noqa: SLF001


@pytest.mark.parametrize("command", [*sorted(_commands()), "python -m pipeline.audit"])
def test_every_option_has_help_and_every_command_an_example(command: str) -> None:
    parser = audit.parser() if command.endswith("audit") else _commands()[command]
    undocumented = [a.option_strings[-1] for a in _options(parser) if not (a.help or "").strip()]
    assert not undocumented, f"{command}: options without a help text: {undocumented}"
    if not command.endswith("audit"):  # why: the audit is a developer's tool, documented in docs/privacy.md
        assert "Example" in (parser.epilog or ""), f"{command}: no Example in its help"


def _sections(text: str) -> dict[str, str]:
    """docs/adapters.md: section title -> its text."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_adapter_key_has_a_row_with_a_meaning_in_its_section() -> None:
    sections = _sections(adapter_docs.TARGET.read_text(encoding="utf-8"))
    titles = dict(adapter_docs.SECTIONS)
    assert set(titles) == set(adapter_schema.MODELS), "an adapter table has no section in docs/adapters.md"
    missing = []
    for model, title in titles.items():
        rows = {m[1]: m[2] for m in re.finditer(r"^\| `([^`]+)` \|.*\| (.*) \|$", sections[title], flags=re.M)}
        for name, info in model.model_fields.items():
            key = info.alias or name
            if not rows.get(key, "").strip():
                missing.append(f"{title} {key}")
    assert not missing, f"adapter keys without a documented meaning: {missing}"


def test_every_audit_option_is_in_the_privacy_document() -> None:
    privacy = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
    options = {s for a in _options(audit.parser()) for s in a.option_strings if s.startswith("--")}
    assert options == {"--raw", "--packages", "--site"}
    assert not [o for o in sorted(options) if f"{o} " not in privacy], "audit options missing from docs/privacy.md"
