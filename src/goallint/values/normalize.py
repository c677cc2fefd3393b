"""Normalisation of a cell before parsing, keeping a map back to the raw text.

Each raw character becomes at most one character (NFKC only where it yields exactly one
character: full-width digits, letters and signs → ASCII), and whitespace is dropped, so every
position in the normalised text maps to exactly one position in the raw text.
"""

from __future__ import annotations

import re
import unicodedata

# NFKC would leave these alone or turn them into something the grammar does not expect.
_KEEP = {"〇"}
_SPACE = re.compile(r"\s")  # the characters str.isspace() calls whitespace


def normalize(raw: str) -> tuple[str, list[int]]:
    """Return (text, positions): text[i] comes from raw[positions[i]]."""
    if not _SPACE.search(raw) and unicodedata.is_normalized("NFKC", raw):
        # nothing to fold or drop (most cells): a character whose NFKC form differs never occurs in NFKC text
        return raw, list(range(len(raw)))
    return by_character(raw)


def by_character(raw: str) -> tuple[str, list[int]]:
    """normalize() one character at a time (what the shortcut above must agree with)."""
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(raw):
        if ch.isspace():
            continue
        if ch not in _KEEP and not ch.isascii():
            folded = unicodedata.normalize("NFKC", ch)
            if len(folded) == 1 and not folded.isspace():
                ch = folded
        out.append(ch)
        pos.append(i)
    return "".join(out), pos


def raw_span(pos: list[int], start: int, end: int) -> tuple[int, int]:
    """Span in the raw text of the normalised slice [start, end)."""
    return pos[start], pos[end - 1] + 1
