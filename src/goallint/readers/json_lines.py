"""Source lines of a canonical JSON file's tables, rows and table keys, without a YAML parse.

The canonical reader needs the line of every table and row (finding locations). Reading the whole
JSON text again with ruamel's round-trip loader just for those lines took two thirds of a run's
time; this scanner finds the same lines with one regular-expression pass. Its tokens are large so
that its Python loop is short: the keys with flat values on one line (a table's `"number": 1,
"title": "…", "budget": {…}, "goals": […]`) are one token, and so are the list items written one
a line (the rows `["产出指标", …, "≥90%"],` of a table). Such a run of items is kept as its first
index, first line and length, such keys as the span of their line: the reader asks for every row
but hardly ever for a key.

`JsonLines.line(loc)` answers for the paths the reader asks about — `("tables", i)`,
`("tables", i, "rows", j)`, `("tables", i, key)` … (up to four parts) — with the line ruamel gives
(an array item: the line where the item starts; a mapping key: the line of the key). Anything else,
and any file the scanner is not sure of, is answered from the ruamel tree, loaded on demand, so
the result is always ruamel's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

# The text is valid JSON (json.loads read it), so the patterns need not check its grammar, only
# find where values end: a string ends at its closing quote, a flat list or mapping at the first
# bracket outside its strings (another opening bracket means it nests). The repeats never need to
# give back what they took, so they are possessive (`*+`), which the regex engine runs faster.
_STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_SCALAR = rf'(?:{_STRING}|[^\s,:\[\]{{}}"]++)'
_FLAT_LIST = rf'\[[^"\[\]{{}}]*+(?:{_STRING}[^"\[\]{{}}]*+)*+\]'
_FLAT_MAP = rf'\{{[^"\[\]{{}}]*+(?:{_STRING}[^"\[\]{{}}]*+)*+\}}'
# the same within one line (no JSON string holds a line break)
_S = r"[ \t]*+"
_LINE_LIST = rf'\[[^"\[\]{{}}\n]*+(?:{_STRING}[^"\[\]{{}}\n]*+)*+\]'
_LINE_MAP = rf'\{{[^"\[\]{{}}\n]*+(?:{_STRING}[^"\[\]{{}}\n]*+)*+\}}'
_LINE_VALUE = rf"(?:{_LINE_LIST}|{_LINE_MAP}|{_SCALAR})"
_LINE_ITEM = rf"(?:{_LINE_LIST}|{_SCALAR})"
_TOKEN = (
    # keys with flat values, all on one line: `"number": 1, "title": "…", "budget": {…}, "goals": […]`
    rf"(?P<pairs>{_STRING}{_S}:{_S}{_LINE_VALUE}(?:{_S},{_S}{_STRING}{_S}:{_S}{_LINE_VALUE})*+)"
    # a key with any other value (a nesting one opens a frame)
    rf"|(?P<key>(?P<name>{_STRING})\s*+:\s*+(?:{_FLAT_LIST}|{_FLAT_MAP}|{_SCALAR}|(?P<open>[\[{{])))"
    # list items that are flat lists or scalars, one a line: the rows `["产出指标", …, "≥90%"],`
    rf"|(?P<run>{_LINE_ITEM}(?:{_S},{_S}\n{_S}{_LINE_ITEM})*+)"
    rf"|(?P<value>{_FLAT_LIST})"
    rf"|(?P<item>[\[{{])|(?P<close>[\]}}])|(?P<other>[^\s,:])"
)
_PAIR = rf"{_S}:{_S}{_LINE_VALUE}"  # after a key: its value on the line
# without backslashes a string is `"[^"]*+"`, which the regex engine skips much faster, and a key's name is
# the text between its quotes (with them, the key is decoded from the token: _key)
_PATTERNS = {
    True: (re.compile(_TOKEN), re.compile(rf"({_STRING}){_PAIR}")),
    False: tuple(re.compile(p.replace(_STRING, r'"[^"]*+"')) for p in (_TOKEN, rf'"([^"]*+)"{_PAIR}')),
}
# ruamel also breaks lines at these; a file holding them is left to ruamel
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
DEPTH = 4


def _key(token: str) -> str:
    return token[1:-1] if "\\" not in token else json.loads(token)


class Lines:
    """What `scan` found: the line of each array item and mapping key up to DEPTH parts.

    `get(path)` answers for one path; `items()` lists them all (in no particular order).
    """

    def __init__(self, text: str):
        self._text = text
        self._escapes = "\\" in text  # once: the text is long, and each mapping's keys are resolved alone
        self._items: dict[tuple, int] = {}  # items found one by one
        self._runs: dict[tuple, list[tuple[int, int, int]]] = {}  # list path → (first index, its line, count)
        # mapping path → its keys in text order: (line, name) for a key alone, (line, start, end) for a line of keys
        self._keys: dict[tuple, list[tuple]] = {}
        self._key_lines: dict[tuple, dict[str, int]] = {}  # mapping path → its keys' lines, once asked for

    def get(self, path: tuple) -> int | None:
        if not path:
            return None
        last, base = path[-1], path[:-1]
        if isinstance(last, int):
            found = self._items.get(path)
            if found is None:
                for first, line, count in self._runs.get(base, ()):
                    if first <= last < first + count:
                        return line + last - first
            return found
        return self.keys(base).get(last)

    def item_lines(self, path: tuple, count: int) -> list[int | None]:
        """The lines of the first `count` items of the list at `path` (None where not found)."""
        runs = self._runs.get(path)
        if runs and len(runs) == 1 and runs[0][0] == 0 and runs[0][2] >= count:
            line = runs[0][1]
            return list(range(line, line + count))
        get = self.get
        return [get((*path, i)) for i in range(count)]

    def keys(self, base: tuple) -> dict[str, int]:
        """The line of each key of the mapping at `base`, by name (a repeated key: the line of its last place);
        empty if the scan found no such mapping. Worked out on the first question, then kept."""
        found = self._key_lines.get(base)
        if found is None:
            found = self._key_lines[base] = {}
            escapes = self._escapes
            pair = _PATTERNS[escapes][1]
            for entry in self._keys.get(base, ()):
                if len(entry) == 2:
                    found[entry[1]] = entry[0]
                else:  # a line of keys: each has its line
                    line, start, end = entry
                    names = pair.findall(self._text, start, end)
                    found.update(dict.fromkeys(map(_key, names) if escapes else names, line))
        return found

    def items(self) -> Iterator[tuple[tuple, int]]:
        yield from self._items.items()
        for base, runs in self._runs.items():
            for first, line, count in runs:
                for i in range(count):
                    yield (*base, first + i), line + i
        for base in self._keys:
            for name, line in self.keys(base).items():
                yield (*base, name), line

    def __contains__(self, path: tuple) -> bool:
        return self.get(path) is not None

    def __bool__(self) -> bool:
        return bool(self._items or self._runs or self._keys)


def scan(text: str) -> Lines | None:
    """The lines of array items and mapping keys up to DEPTH parts; None if unsure.

    `text` is JSON that `json.loads` read. Keys on one line are one token, and so are list items
    one a line; the line of each of them follows from the token's first line.
    """
    if any(c in text for c in _OTHER_BREAKS):
        return None
    token = _PATTERNS["\\" in text][0]
    lines = Lines(text)
    items, runs, keys = lines._items, lines._runs, lines._keys
    stack: list[list] = []  # a frame: [path, items so far] for a list, [path, None] for a mapping
    line, last = 1, 0
    count = text.count
    for m in token.finditer(text):
        kind = m.lastgroup
        if kind == "close":
            if not stack:
                return None
            stack.pop()
            continue
        if kind == "other":
            return None
        start = m.start()
        line += count("\n", last, start)
        last = start
        top = stack[-1] if stack else None
        if kind == "pairs" or kind == "key":
            if top is None or top[1] is not None:
                return None
            base = top[0]
            if kind == "pairs":
                if len(base) < DEPTH:
                    keys.setdefault(base, []).append((line, start, m.end()))
                continue
            name = _key(m.group("name"))
            if len(base) < DEPTH:
                keys.setdefault(base, []).append((line, name))
            opening = m.group("open")
            if opening is not None:
                stack.append([(*base, name), 0 if opening == "[" else None])
            continue
        if top is None:  # the top value
            if kind == "item":
                stack.append([(), 0 if m.group() == "[" else None])
            continue
        if top[1] is None:
            return None
        if kind == "run":
            end = m.end()
            first, n = top[1], count("\n", start, end) + 1
            top[1] += n
            if len(top[0]) < DEPTH:
                runs.setdefault(top[0], []).append((first, line, n))
            line += n - 1
            last = end
            continue
        path = (*top[0], top[1])
        top[1] += 1
        if len(path) <= DEPTH:
            items[path] = line
        if kind == "item":
            stack.append([path, 0 if m.group() == "[" else None])
    return lines if not stack else None


class JsonLines:
    """Lines of a canonical JSON text; `tree()` is the ruamel tree (for error messages)."""

    def __init__(self, text: str, tree: Callable[[], Any]):
        self._lines = scan(text)
        self.tree = tree

    def item_lines(self, path: tuple, count: int) -> list[int | None]:
        """The lines of the first `count` items of the list at `path`."""
        if self._lines is not None:
            found = self._lines.item_lines(path, count)
            if None not in found:
                return found
        return [self.line((*path, i)) for i in range(count)]

    def scanned_keys(self, path: tuple) -> dict[str, int]:
        """The line of each key of the mapping at `path`, as the scan found them (empty if it did not; never the
        ruamel tree: for optional places)."""
        return self._lines.keys(path) if self._lines is not None else {}

    def line(self, loc: tuple) -> int | None:
        if self._lines is not None:
            found = self._lines.get(loc)
            if found is not None:
                return found
        from goallint.yamlpos import line_of

        tree = self.tree()
        return line_of(tree, loc)[0] if tree is not None else None
