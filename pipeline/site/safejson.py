"""JSON that is safe inside HTML (<script> blocks) and as a static data file."""

import json
from typing import Any

from markupsafe import Markup

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dumps(value: Any) -> str:
    """Value -> compact, key-sorted JSON with <, >, & and line separators escaped as \\u sequences."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def dumps_markup(value: Any) -> Markup:
    """dumps() for a Jinja template: nothing in it can close a <script> element or open a tag."""
    # why: every markup-significant character is escaped by dumps().
    return Markup(dumps(value))
