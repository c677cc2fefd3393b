"""The indicator-value parser: 指标值 text → typed Target (goallint.model).

    parse_value("≥39万次")  → Numeric(comparator=≥, number=39, magnitude=10000, unit="ci", ...)
    render(target)          → canonical text "≥39万次"

Each distinct text is parsed once (cached); the parser never raises.
"""

from __future__ import annotations

from goallint.model import Target, Unreadable
from goallint.safety import MAX_VALUE_CHARS
from goallint.values.render import render

__all__ = ["parse_value", "parse_uncached", "cached", "render", "clear_cache"]

# text → its target. A province has tens of thousands of distinct values and repeats them
# everywhere, so each is parsed once while the cache holds it. Bounded (forgets all when full) so
# that memory does not grow with the corpus; the size is measured in docs/performance.md. A dict
# rather than functools.lru_cache so that the row-decision memory can ask, without parsing,
# whether a row's target is the parser's answer (`cached`).
LIMIT = 1 << 14
_cache: dict[str, Target] = {}


def parse_uncached(text: str) -> Target:
    from goallint.values.parse import parse

    try:
        return parse(text)
    except Exception as e:  # the parser must never raise: report instead
        return Unreadable(raw=text, reason="other", detail=f"{type(e).__name__}: {e}")


def parse_value(text: str) -> Target:
    """Parse one 指标值. Cached by text: treat the result as read-only."""
    if text.__class__ is not str:
        text = "" if text is None else str(text)
    target = _cache.get(text)
    if target is not None:
        return target
    if len(text) > MAX_VALUE_CHARS:  # the grammar's time grows faster than the length: a sentence, not a value
        return Unreadable(raw=text, reason="too_long", detail=f"{len(text)} characters (at most {MAX_VALUE_CHARS})")
    if len(_cache) >= LIMIT:
        _cache.clear()
    target = _cache[text] = parse_uncached(text)
    return target


def cached(text: str) -> Target | None:
    """The target parse_value holds for `text` (None if it holds none): parse_value(text) without parsing."""
    return _cache.get(text)


def clear_cache() -> None:
    _cache.clear()
