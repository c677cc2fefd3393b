"""Target → canonical text: ≥90%, ≤23.38万元, 2025年12月底前, ≥39万次, 约6952平方米, 80%-90%.

Canonical means: comparators as ≥ ≤ ＞ ＜ ＝ before the number, ASCII digits, the unit in its
canonical spelling (the first Chinese alias in grammar/units.txt; % for percent), 约 for approximate.
"""

from __future__ import annotations

from functools import cache

from goallint.model import (
    Deadline,
    Duration,
    Empty,
    Mixed,
    Numeric,
    Qualitative,
    Range,
    Schedule,
    Unreadable,
)
from goallint.values.numbers import format_number

_MAGNITUDE_TEXT = {1000: "千", 10000: "万", 100000000: "亿", 1000000: "百万", 10000000: "千万"}


@cache
def unit_spelling(unit: str) -> str:
    """The canonical written form of a registry unit: its symbol in units.txt (ci/year → 次/年)."""
    if "/" in unit:
        a, _, b = unit.partition("/")
        return f"{unit_spelling(a)}/{unit_spelling(b)}"
    from goallint.units import registry

    symbol = registry()._units[unit].symbol  # noqa: SLF001
    return symbol if symbol and symbol != "_" else unit


def _amount(t: Numeric, with_unit: bool = True) -> str:
    mag = _MAGNITUDE_TEXT.get(t.magnitude, "") if t.magnitude != 1 else ""
    unit = unit_spelling(t.unit) if (t.unit and with_unit) else ""
    return f"{format_number(t.number)}{mag}{unit}"


def render(t) -> str:
    if isinstance(t, Numeric):
        return ("约" if t.approximate else "") + (t.comparator.value if t.comparator else "") + _amount(t)
    if isinstance(t, Range):
        return ("约" if t.low.approximate else "") + f"{_amount(t.low)}-{_amount(t.high)}"
    if isinstance(t, Deadline):
        out = ""
        if t.year is not None:
            out += f"{t.year}年"
        if t.half:
            out += "上半年" if t.half == 1 else "下半年"
        if t.quarter:
            out += f"第{t.quarter}季度"
        if t.month:
            out += f"{t.month}月"
            if t.period == "month_end":
                out += "底"
        if t.day:
            out += f"{t.day}日"
        if t.period == "year_end":
            out = out[:-1] + "年底" if out.endswith("年") else out + "年底"
        elif t.period == "within_year":
            out = out[:-1] + "年内" if out.endswith("年") else out + "年内"
        elif t.period == "full_year":
            out = out[:-1] + "年度" if out.endswith("年") else out + "全年"
        elif t.period == "quarter_end":
            out += "末"
        if t.bound == "before":
            out += "前"
        return out + t.text
    if isinstance(t, Duration):
        num = "*".join(format_number(x) for x in t.factors) if t.factors else format_number(t.number)
        unit = unit_spelling(t.unit) if t.unit else ""
        return f"{t.before}{num}{unit}{'内' if t.within else ''}{t.after}"
    if isinstance(t, Schedule):
        parts = [f"{m}月" for m in t.months] + [f"第{q}季度" for q in t.quarters]
        return (f"{t.year}年" if t.year else "") + "、".join(parts)
    if isinstance(t, Mixed):
        return f"{t.before}{render(t.measure)}{t.after}"
    if isinstance(t, Qualitative):
        return t.text
    if isinstance(t, (Empty, Unreadable)):
        return t.raw.strip()
    raise TypeError(f"not a target: {t!r}")
