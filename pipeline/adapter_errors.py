"""An adapter file's errors in words: the file, the table and the key at fault, and the key that was meant."""

import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from . import adapter_schema


class AdapterError(ValueError):
    """An adapter file that cannot be used, with the file and the key at fault."""


def _location(loc: tuple[Any, ...]) -> tuple[str, str]:
    """pydantic's error location -> ('[resources.cases]', 'key')."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    # why: a union type (str | list[str]) adds the member type's name after the key; it is not a key
    parts = [p for p in parts if p not in ("str", "list[str]", "dict[str,str]", "literal['standard']")
             and not p.startswith(("function-", "dict[", "list[", "literal["))]
    if not parts:
        return "", ""
    tables = {"municipality", "defaults", "resources", "values", "pii", "anonymize"}
    head = parts[:-1]
    if len(parts) >= 2 and parts[0] == "resources" and len(parts) == 2:
        head = parts
        return f"[{'.'.join(head)}]", ""
    if parts[0] in tables and len(parts) == 1:
        return f"[{parts[0]}]", ""
    return (f"[{'.'.join(head)}]" if head else ""), parts[-1]


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys the table holding the key at `loc` may have (for 'did you mean')."""
    parts = [str(p) for p in loc if not isinstance(p, int)][:-1]
    s = adapter_schema
    model: type[BaseModel] = s.AdapterFile
    if parts[:1] == ["resources"] or parts[:1] == ["defaults"]:
        model = s.Source
        rest = parts[2:] if parts[:1] == ["resources"] else parts[1:]
        if rest[:1] == ["filters"]:
            model = s.Filter
        elif rest[:1] == ["counts"]:
            model = s.Filter if rest[-1:] == ["where"] else s.Count
    elif parts:
        tables: dict[str, type[BaseModel]] = {"municipality": s.Municipality, "pii": s.Pii, "anonymize": s.Anonymize}
        model = tables.get(parts[0], s.AdapterFile)
    return [info.alias or name for name, info in model.model_fields.items()]


def suggest(word: str, known: list[str]) -> str:
    """'; did you mean 'columns'?' for a misspelt key, or ''."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def schema_errors(exc: ValidationError, where: str) -> AdapterError:
    """pydantic's validation errors -> one AdapterError: the first error, and a count and sample of the rest."""
    lines = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        table, key = _location(loc)
        prefix = f"{where}: {table}" + (f" {key!r}" if key else "")
        if error["type"] == "extra_forbidden":
            known = _known_keys(loc)
            lines.append(f"{where}: {table or 'top level'} unknown key {key!r}{suggest(key, known)}"
                         + (f" (known keys: {', '.join(known)})" if known and not suggest(key, known) else ""))
        elif error["type"] == "missing":
            lines.append(f"{prefix}: required key is missing")
        elif error["type"] == "literal_error":
            expected = error.get("ctx", {}).get("expected", "")
            given = str(error.get("input"))
            options = re.findall(r"'([^']+)'", expected)
            lines.append(f"{prefix}: {given!r} is not one of {expected}{suggest(given, options)}")
        else:
            given = error.get("input")
            lines.append(f"{prefix}: {error['msg'].lower()}, not {given!r}"
                         if not isinstance(given, dict | list) else f"{prefix}: {error['msg'].lower()}")
    unique = list(dict.fromkeys(lines))
    more = f" (and {len(unique) - 1} more: {'; '.join(u.removeprefix(where + ': ') for u in unique[1:4])})" \
        if len(unique) > 1 else ""
    return AdapterError(unique[0] + more)
