"""Where each object of a JSON document starts: its file line, so a quarantined record names its line."""

import bisect
import contextlib
import json
import re
from typing import Any

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]')


def object_lines(text: str, max_depth: int = 6) -> dict[tuple[Any, ...], int]:
    """{path: line} for every JSON object down to `max_depth` levels; a path is the keys and list indexes
    leading to it ((3, 'notes', 0))."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    lines: dict[tuple[Any, ...], int] = {}
    stack: list[list[Any]] = []  # [bracket, current key or index, expecting a key]
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == '"':
            if stack and stack[-1][2] and len(stack) <= max_depth:
                key = token[1:-1]
                if "\\" in key:
                    with contextlib.suppress(ValueError):
                        key = json.loads(token)
                stack[-1][1] = key
        elif first == "{":
            if len(stack) < max_depth:
                lines[tuple(level[1] for level in stack)] = bisect.bisect_left(newlines, match.start()) + 1
            stack.append(["{", None, True])
        elif first == "[":
            stack.append(["[", 0, False])
        elif first in "}]":
            if stack:
                stack.pop()
        elif first == ":":
            if stack:
                stack[-1][2] = False
        elif stack:  # ','
            top = stack[-1]
            if top[0] == "[":
                top[1] += 1
            else:
                top[2] = True
    return lines
