"""Source lines of a canonical JSON file's tables, rows and table keys, without a YAML parse.

The canonical reader needs the line of every table and row (finding locations). Reading the whole
JSON text again with ruamel's round-trip loader just for those lines took two thirds of a run's
time; this scanner finds the same lines with one regular-expression pass, in which a flat list or
mapping (a row `["产出指标", …, "≥90%"]`, a budget `{"total": 12, …}`) is a single token.

`JsonLines.line(loc)` answers for the paths the reader asks about — `("tables", i)`,
`("tables", i, "rows", j)`, `("tables", i, key)` … (up to four parts) — with the line ruamel gives
(an array item: the line where the item starts; a mapping key: the line of the key). Anything else,
and any file the scanner is not sure of, is answered from the ruamel tree, loaded on demand, so
the result is always ruamel's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_SCALAR = rf"(?:{_STRING}|-?[0-9][0-9.eE+-]*|true|false|null)"
_FLAT_LIST = rf"\[\s*(?:{_SCALAR}(?:\s*,\s*{_SCALAR})*)?\s*\]"
_FLAT_MAP = rf"\{{\s*(?:{_STRING}\s*:\s*{_SCALAR}(?:\s*,\s*{_STRING}\s*:\s*{_SCALAR})*)?\s*\}}"
_TOKEN = re.compile(rf"{_FLAT_LIST}|{_FLAT_MAP}|{_STRING}|[\[\]{{}},:]")
# ruamel also breaks lines at these; a file holding them is left to ruamel
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")
DEPTH = 4


def scan(text: str) -> dict[tuple, int] | None:
    """Path → 1-based line for array items and mapping keys up to DEPTH parts; None if unsure."""
    if _OTHER_BREAKS.search(text):
        return None
    lines: dict[tuple, int] = {}
    # a frame: [is_list, path, item index, current key, expecting a key]
    stack: list[list] = []
    line, last = 1, 0
    count = text.count
    for m in _TOKEN.finditer(text):
        start = m.start()
        c = text[start]
        if c == ",":
            if stack:
                top = stack[-1]
                if top[0]:
                    top[2] += 1
                else:
                    top[4] = True
            continue
        if c == ":":
            if stack:
                stack[-1][4] = False
            continue
        if c == "]" or c == "}":
            if not stack:
                return None
            stack.pop()
            continue
        top = stack[-1] if stack else None
        if top is not None and not top[0] and top[4]:  # a mapping key
            if c != '"':
                return None
            key = json.loads(m.group())
            top[3] = key
            path = (*top[1], key)
            if len(path) <= DEPTH:
                line += count("\n", last, start)
                last = start
                lines[path] = line
            continue
        # a value
        if top is None:
            path: tuple = ()
        elif top[0]:
            path = (*top[1], top[2])
            if len(path) <= DEPTH:
                line += count("\n", last, start)
                last = start
                lines[path] = line
        else:
            path = (*top[1], top[3])
        if m.end() - start == 1 and c in "[{":  # an opening bracket: descend
            stack.append([c == "[", path, 0, None, c == "{"])
    return lines if not stack else None


class JsonLines:
    """Lines of a canonical JSON text; `tree()` is the ruamel tree (for error messages)."""

    def __init__(self, text: str, tree: Callable[[], Any]):
        self._lines = scan(text)
        self.tree = tree

    def line(self, loc: tuple) -> int | None:
        if self._lines is not None:
            found = self._lines.get(loc)
            if found is not None:
                return found
        from goallint.readers.canonical import _resolve

        tree = self.tree()
        return _resolve(tree, loc)[0] if tree is not None else None
