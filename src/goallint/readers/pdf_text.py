"""Text of a PDF region from its characters: lines, and lines joined into paragraphs.

A PDF knows glyph positions, not paragraphs. A cell's (or the page's) text wraps at the right edge
of its box; a paragraph ends where a line stops short of it. So a line continues the one before
when the one before was full (the next line's first character would not have fitted after it) and
the line does not start a numbered item (`2.`, `3、`: a goal). Wrapped lines are joined without a
space (Chinese text has none; a number broken over two lines must stay one number), except
between two Latin letters, where the wrap replaced a space. Paragraphs are separated by "\\n", as
the paragraphs of a Word cell are.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_GAP = 3.0  # points between two characters read as a space (pdfplumber's x_tolerance)
_ITEM = re.compile(r"^\d{1,3}\s*[.．、]")
# lines above a table that start a paragraph of their own: the department (`573301…`), the unit
_HEADING = re.compile(r"^(?:\d{6}|(?:金额)?单位\s*[：:]|部门)")
# a unit statement printed on the line of the department (a spreadsheet's cell to the right, a tab in
# Word) is a paragraph of its own, as when it is a paragraph or cell of its own
_UNIT_AFTER = re.compile(r"\s+(?=(?:金额)?单位\s*[：:])")
_MAX_PADDING = 8.0  # points: a cell's inner margin (Word and LibreOffice use about 5.4)


@dataclass(slots=True)
class Line:
    x0: float
    x1: float
    top: float
    text: str
    first_width: float  # width of its first character


class Chars:
    """A page's characters sorted by their vertical centre, for quick lookup by box."""

    def __init__(self, chars: list[dict]):
        self.chars = sorted(chars, key=lambda c: c["top"] + c["bottom"])
        self.keys = [(c["top"] + c["bottom"]) / 2 for c in self.chars]

    def __bool__(self) -> bool:
        return bool(self.chars)

    def within(self, x0: float, top: float, x1: float, bottom: float) -> list[dict]:
        """The characters whose centre lies in the box."""
        start = bisect.bisect_left(self.keys, top)
        stop = bisect.bisect_right(self.keys, bottom)
        return [c for c in self.chars[start:stop] if x0 <= (c["x0"] + c["x1"]) / 2 <= x1]


def lines(chars: list[dict]) -> list[Line]:
    """Characters grouped into lines (by their top, within half a character) in reading order."""
    out: list[Line] = []
    group: list[dict] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if group and char["top"] - group[0]["top"] > group[0]["size"] * 0.5:
            out.append(_line(group))
            group = []
        group.append(char)
    if group:
        out.append(_line(group))
    return [line for line in out if line.text]


def _line(group: list[dict]) -> Line:
    group.sort(key=lambda c: c["x0"])
    parts: list[str] = []
    previous = None
    for char in group:
        if previous is not None and char["x0"] - previous["x1"] > _GAP and parts and parts[-1] != " ":
            parts.append(" ")
        parts.append(char["text"])
        previous = char
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    first = group[0]
    return Line(first["x0"], max(c["x1"] for c in group), first["top"], text, first["x1"] - first["x0"])


def joined(left: str, right: str) -> str:
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return f"{left} {right}"
    return left + right


def is_full(line: Line, right: float, next_width: float | None = None) -> bool:
    """Whether the line was wrapped: less than two characters' room was left at its right edge (the
    next character would not fit, or not with the punctuation that may not start a line: `息。`)."""
    width = next_width if next_width is not None else line.first_width
    return line.x1 + 2 * width > right + 0.5


def paragraphs(found: list[Line], right: float, starts=_ITEM.match) -> str:
    """The lines joined: wrapped lines into one paragraph, paragraphs separated by "\\n". A line for
    which `starts(text)` is true always starts a paragraph."""
    text = ""
    for index, line in enumerate(found):
        if index == 0:
            text = line.text
        elif is_full(found[index - 1], right, line.first_width) and not starts(line.text):
            text = joined(text, line.text)
        else:
            text += "\n" + line.text
    return text


def cell_text(chars: Chars, x0: float, top: float, x1: float, bottom: float) -> tuple[str, bool]:
    """A cell's text and whether its last line is full (its text may go on in the next page's row)."""
    found = lines(chars.within(x0, top, x1, bottom))
    if not found:
        return "", False
    padding = min(_MAX_PADDING, max(1.0, min(line.x0 for line in found) - x0))
    right = x1 - padding
    return paragraphs(found, right), is_full(found[-1], right)


def region_lines(chars: Chars, width: float, top: float, bottom: float, right: float | None) -> list[str]:
    """The paragraphs of the text wholly between `top` and `bottom` (the text above a table); `right`
    is the right edge of the text (the table's, or the widest line's when None)."""
    if bottom - top < 1:
        return []
    found = lines([c for c in chars.within(0, top, width, bottom) if c["top"] >= top and c["bottom"] <= bottom])
    if not found:
        return []
    edge = max(right or 0.0, max(line.x1 for line in found))
    text = _UNIT_AFTER.sub("\n", paragraphs(found, edge, _HEADING.match))
    return [part for part in text.split("\n") if part]
