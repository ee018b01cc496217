"""Where each object of a JSON document starts: its file line, so a quarantined record names its line."""

import json
import re
from typing import Any

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|\n')


def object_lines(text: str) -> dict[tuple[Any, ...], int]:
    """{path: line} for every JSON object; a path is the keys and list indexes leading to it ((3, 'notes', 0))."""
    lines: dict[tuple[Any, ...], int] = {}
    line = 1
    stack: list[list[Any]] = []  # [bracket, current key or index, expecting a key]
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
        elif token[0] == '"':
            if stack and stack[-1][0] == "{" and stack[-1][2]:
                try:
                    stack[-1][1] = json.loads(token)
                except ValueError:
                    stack[-1][1] = token[1:-1]
        elif token in "{[":
            if token == "{":
                lines[tuple(level[1] for level in stack)] = line
            stack.append([token, 0 if token == "[" else None, token == "{"])
        elif token in "}]":
            if stack:
                stack.pop()
        elif token == ":":
            if stack:
                stack[-1][2] = False
        elif token == "," and stack:
            if stack[-1][0] == "[":
                stack[-1][1] += 1
            else:
                stack[-1][2] = True
    return lines
