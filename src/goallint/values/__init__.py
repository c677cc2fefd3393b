"""The indicator-value parser: 指标值 text → typed Target (goallint.model).

    parse_value("≥39万次")  → Numeric(comparator=≥, number=39, magnitude=10000, unit="ci", ...)
    render(target)          → canonical text "≥39万次"

Each distinct text is parsed once (cached); the parser never raises.
"""

from __future__ import annotations

from functools import lru_cache

from goallint.model import Target, Unreadable
from goallint.safety import MAX_VALUE_CHARS
from goallint.values.render import render

__all__ = ["parse_value", "render", "clear_cache"]


# Each cached target is ~2 KB: 8,192 of them bound memory (a province repeats its common values; the
# rare ones, mostly one-off numbers, are parsed again by the fast scanner, values/scan.py)
@lru_cache(maxsize=8192)
def _parse_cached(text: str):
    from goallint.values.parse import parse

    try:
        return parse(text)
    except Exception as e:  # the parser must never raise: report instead
        return Unreadable(raw=text, reason="other", detail=f"{type(e).__name__}: {e}")


def parse_value(text: str) -> Target:
    """Parse one 指标值. Cached by text: treat the result as read-only."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > MAX_VALUE_CHARS:  # the grammar's time grows faster than the length: a sentence, not a value
        return Unreadable(raw=text, reason="too_long", detail=f"{len(text)} characters (at most {MAX_VALUE_CHARS})")
    return _parse_cached(text)


def clear_cache() -> None:
    _parse_cached.cache_clear()
