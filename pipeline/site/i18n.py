"""UI text written by the site's Python code, in the page language, from the same gettext catalogues as the
templates: the Japanese source text is the message id, translations/<lang>/LC_MESSAGES/messages.po holds the
other languages. `_("%(n)s件", "en", n=3)` -> "3 cases". A message without a translation stays Japanese.
"""

import ast
from functools import cache
from pathlib import Path

from . import catalogs

SOURCE_LANG = "ja"
LANGS = ("ja", "en")
HERE = Path(__file__).resolve().parent
KEYWORDS = ("_", "gettext", "both", "N_")


@cache
def catalog(lang: str) -> dict[str, str]:
    """{Japanese message: translation} of one language's .po ({} for the source language)."""
    for po in catalogs.po_files():
        if po.parents[1].name == lang:
            return {str(m.id): str(m.string) for m in catalogs.read(po) if isinstance(m.id, str) and m.id and m.string}
    return {}


def gettext(message: str, lang: str, **values: object) -> str:
    """message (Japanese) in lang, with its %(name)s placeholders filled from values."""
    text = message if lang == SOURCE_LANG else catalog(lang).get(message, message)
    return text % values if values else text


_ = gettext


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is defined; it is translated (with _) where it is shown."""
    return message


def both(message: str, **values: object) -> dict[str, str]:
    """{"ja": …, "en": …}: the message in every language of the site (for data both pages share)."""
    return {lang: gettext(message, lang, **values) for lang in LANGS}


def python_messages(folder: Path = HERE) -> list[str]:
    """Every message id the site's Python code passes to _, gettext or both (a string literal first argument)."""
    found: set[str] = set()
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return sorted(found)
