"""Where each object of a JSON document starts: its file line, so a quarantined record names its line."""

import bisect
import contextlib
import json
import re
from typing import Any

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]')

Level = list[Any]  # [bracket, current key or index, expecting a key]


def object_lines(text: str, max_depth: int = 6) -> dict[tuple[Any, ...], int]:
    """{path: line} for every JSON object down to `max_depth` levels; a path is the keys and list indexes
    leading to it ((3, 'notes', 0))."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    lines: dict[tuple[Any, ...], int] = {}
    stack: list[Level] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"':
            _string(stack, token, max_depth)
        elif token == "{":
            if len(stack) < max_depth:
                lines[tuple(level[1] for level in stack)] = bisect.bisect_left(newlines, match.start()) + 1
            stack.append(["{", None, True])
        elif token == "[":
            stack.append(["[", 0, False])
        elif stack:
            _punctuation(stack, token)
    return lines


def _string(stack: list[Level], token: str, max_depth: int) -> None:
    """A string token: the current key of the innermost object when a key is expected there."""
    if stack and stack[-1][2] and len(stack) <= max_depth:
        key = token[1:-1]
        if "\\" in key:
            with contextlib.suppress(ValueError):
                key = json.loads(token)
        stack[-1][1] = key


def _punctuation(stack: list[Level], token: str) -> None:
    """A closing bracket, ':' or ',' inside an object or list (stack not empty)."""
    top = stack[-1]
    if token in "}]":
        stack.pop()
    elif token == ":":
        top[2] = False
    elif top[0] == "[":  # ','
        top[1] += 1
    else:
        top[2] = True
