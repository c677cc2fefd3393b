"""Word lists (rules/lexicon/*.yaml) and the unit table read from the pint registry."""

from __future__ import annotations

import re
from functools import cache

from goallint.resources import rules_dir
from goallint.units import registry


@cache
def word_lists() -> dict[str, tuple[str, ...]]:
    """name → words, for every rules/lexicon/*.yaml holding a `words` list."""
    from goallint.yamlpos import load_plain, save_cache

    lists: dict[str, tuple[str, ...]] = {}
    folder = rules_dir() / "lexicon"
    for path in sorted(folder.glob("*.yaml")):
        data, _tree = load_plain(path)  # from the parse cache when the file is unchanged
        if isinstance(data, dict) and isinstance(data.get("words"), list):
            name = str(data.get("name") or path.stem)
            lists[name] = tuple(str(w) for w in data["words"] if str(w))
    save_cache()
    return lists


@cache
def _flag_patterns() -> tuple[tuple[str, frozenset[str], re.Pattern[str] | None], ...]:
    """Per list: its one-char words (whole-cell matches) and one regex for its longer words."""
    out = []
    for name, words in word_lists().items():
        longer = sorted({w for w in words if len(w) > 1}, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, longer))) if longer else None
        out.append((name, frozenset(w for w in words if len(w) == 1), pattern))
    return tuple(out)


def flags_for(text: str) -> list[str]:
    """Names of the lists with a word occurring in `text` (a whole-cell match for one-char words)."""
    return [
        name
        for name, single, pattern in _flag_patterns()
        if text in single or (pattern is not None and pattern.search(text) is not None)
    ]


@cache
def unit_table() -> dict[str, str]:
    """Every spelling of every unit in grammar/units.txt (name, symbol, aliases) → unit name."""
    reg = registry()
    table: dict[str, str] = {}
    for name, definition in reg._units.items():  # noqa: SLF001 - pint offers no public listing
        table.setdefault(name, definition.name)
        symbol = getattr(definition, "symbol", None)
        if symbol:
            table.setdefault(symbol, definition.name)
        for alias in getattr(definition, "aliases", ()) or ():
            table.setdefault(alias, definition.name)
    return table


def lookup_unit(text: str) -> str | None:
    """Registry unit name for a written unit: 万元 → wan_yuan, 次/年 → ci/year; None if unknown."""
    table = unit_table()
    if text in table:
        return table[text]
    if "/" in text:
        num, _, den = text.partition("/")
        if num in table and den in table:
            return f"{table[num]}/{table[den]}"
    if text.startswith("每"):
        return None
    return None


def known_prefix(text: str) -> str | None:
    """The longest unit spelling `text` starts with (for telling 'tangled' from 'unknown_unit')."""
    table = unit_table()
    for end in range(len(text) - 1, 0, -1):
        if text[:end] in table:
            return text[:end]
    return None


@cache
def dimension_of(unit: str) -> str | None:
    """The `dimension` string of a registry unit (see the comments at the top of units.txt)."""
    dims = dict(registry().parse_units(unit).dimensionality)
    if not dims:
        return "ratio"
    counts = [d for d in dims if d.startswith("[count_")]
    if dims == {"[currency]": 1}:
        return "currency"
    if dims == {"[time]": 1}:
        return "time"
    if dims == {"[length]": 2}:
        return "area"
    if dims == {"[multiple]": 1}:
        return "multiple"
    if len(dims) == 1 and counts and dims[counts[0]] == 1:
        return "count"
    if counts and len(dims) == 2 and sorted(dims.values()) == [-1, 1] and dims[counts[0]] in (1, -1):
        return "rate"
    return "other"


@cache
def _base_factor(unit: str) -> tuple[float, str]:
    """The factor to the dimension's base unit and that unit's name (pint converts by this same product)."""
    q = registry().Quantity(1.0, unit).to_base_units()
    return q.magnitude, "fraction" if q.dimensionless else f"{q.units}".replace(" ", "")


def base_of(value: float, unit: str) -> tuple[float, str]:
    """Amount in the dimension's base unit: (0.9, 'fraction') for 90%, (390000, 'ci') for 39万次."""
    factor, base = _base_factor(unit)
    return float(f"{float(value * factor):.12g}"), base  # 95% → 0.95, not 0.9500000000000001
