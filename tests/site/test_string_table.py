"""One string table: every UI string of pipeline/site/*.py goes through gettext (Japanese source, English in the .po).

A string literal with Japanese text, or with two or more English words, is a UI literal unless it is a
message id (the first argument of _, gettext, both or N_ from pipeline.site.i18n), a docstring, the message
of an exception or a log line, a regular expression, or markup/script code (checked for Japanese only).
Identifiers, CSS classes, URLs and format codes hold no Japanese and no two plain English words.
"""

import ast
import re
from pathlib import Path

import pytest

from pipeline.site import catalogs, i18n

SITE = Path(__file__).resolve().parents[2] / "pipeline" / "site"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff5e]")
# a plain word: letters only, not glued to code characters (identifiers, CSS classes, paths, keys, placeholders)
ENGLISH_WORD = re.compile(r"(?<![\w\-./:=≠|*'\"%{@#$\\])[A-Za-z][a-z]+(?![\w\-./:=≠…|*'\"%}(@\\])")
NOT_TEXT = re.compile(r"\{[^}]*\}|%\(\w+\)[sdf]|%[sdf]|https?://\S+")
MARKUP = re.compile(r"<[a-zA-Z!/][^>]*>|\{%|\bfunction\b|=>")
MESSAGE_CALLS = set(i18n.KEYWORDS)
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
LOG_OBJECTS = {"LOGGER", "logger", "logging", "log"}

# Literals the maps' own modules still carry; they move into the catalogue with the maps work, and this list
# is emptied when it is merged (the test fails while the list and the files disagree, either way).
MAPS_PENDING: dict[str, set[str]] = {}


def _exempt_nodes(tree: ast.AST) -> set[int]:  # noqa: C901 (one branch per kind of exempt node)
    """ids of the string constants that are not UI text (see the module docstring)."""
    exempt: set[int] = set()

    def all_inside(node: ast.AST) -> None:
        exempt.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                exempt.add(id(first.value))
        if isinstance(node, ast.Raise) and node.exc is not None:
            all_inside(node.exc)
        if isinstance(node, ast.Assert) and node.msg is not None:
            all_inside(node.msg)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in MESSAGE_CALLS and node.args:
                exempt.add(id(node.args[0]))
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if func.value.id in LOG_OBJECTS and func.attr in LOG_METHODS:
                    all_inside(node)
                if func.value.id == "re":
                    for arg in node.args[:1]:
                        all_inside(arg)
    return exempt


def is_ui_text(text: str) -> bool:
    if JAPANESE.search(text):
        return True
    if MARKUP.search(text):
        return False
    return len(ENGLISH_WORD.findall(NOT_TEXT.sub(" ", text))) >= 2


def ui_literals(source: str) -> list[str]:
    """The UI literals of one module's source, in order of appearance."""
    tree = ast.parse(source)
    exempt = _exempt_nodes(tree)
    found = [node for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and id(node) not in exempt and is_ui_text(node.value)]
    return [str(node.value) for node in sorted(found, key=lambda n: (n.lineno, n.col_offset))]


def site_modules() -> list[Path]:
    return sorted(SITE.glob("*.py"))


@pytest.mark.parametrize("path", site_modules(), ids=lambda p: p.name)
def test_no_ui_literal_outside_the_catalogue(path: Path) -> None:
    found = set(ui_literals(path.read_text(encoding="utf-8")))
    assert found == MAPS_PENDING.get(path.name, set()), f"{path.name}: put these through gettext: {found}"


def test_the_pending_list_names_only_the_maps_modules() -> None:
    assert set(MAPS_PENDING) <= {"maps.py", "map_document.py", "mapframes.py"}


PLANTED = '''
"""A docstring may say anything: Cases received, 受付件数."""
import logging
import re

from .i18n import N_, _

LOGGER = logging.getLogger(__name__)
TITLE = "{planted}"
OK = {{"css": "leaflet-container value", "url": "https://example.jp/a b", "fmt": "%(n)s / {{n:,}}", "id": "case_cells"}}
MESSAGE = N_("受付件数")
PATTERN = re.compile("[ぁ-ん]+")


def f(lang):
    LOGGER.warning("map %s could not be made; the page shows its table only", lang)
    if not lang:
        raise ValueError(f"unsupported page language {{lang!r}}; expected one of ja, en")
    return _("通報", lang) + "<span class=\\"n\\">" + "function (x) {{ return x; }}"
'''


@pytest.mark.parametrize("planted", ["受付件数", "Cases received", "データなし", "No data for this body",
                                     "円", "（途中：", " (partial, to "])
def test_a_planted_literal_is_caught(planted: str) -> None:
    assert ui_literals(PLANTED.format(planted=planted)) == [planted]


def test_identifiers_classes_urls_formats_markup_and_messages_pass() -> None:
    assert ui_literals(PLANTED.format(planted="municipality_code")) == []


def test_every_python_message_has_an_english_translation() -> None:
    english = i18n.catalog("en")
    messages = i18n.python_messages()
    assert "%(amount)s円" in messages and "比較指標" in messages
    assert [m for m in messages if not english.get(m)] == []
    assert set(messages) <= set(catalogs.extract())


def test_a_message_is_translated_with_its_values() -> None:
    assert i18n.gettext("%(amount)s円", "en", amount="1,000") == "¥1,000"
    assert i18n.gettext("%(amount)s円", "ja", amount="1,000") == "1,000円"
    assert i18n.both("全団体") == {"ja": "全団体", "en": "All bodies"}
