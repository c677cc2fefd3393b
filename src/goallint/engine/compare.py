"""Small comparison expressions used by the `number`, `quantity` and `year` conditions.

"> 100"              a plain number
">= 50 万元"          a number with a unit (quantity)
"> 100 %"            a percentage
"> budget"           the table's 预算数 (budget.total, budget.fiscal, budget.other)
"> fiscal_year + 1"  the table's fiscal year, optionally plus/minus whole years
"> period_end"       the first / last year of the table's 项目期 (period_start, period_end); unknown → false
"< $floor %"         a parameter (rule `params`, profile or config thresholds), optionally with a unit
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    "≥": operator.ge,
    "<=": operator.le,
    "≤": operator.le,
    ">": operator.gt,
    "＞": operator.gt,
    "<": operator.lt,
    "＜": operator.lt,
    "==": operator.eq,
    "=": operator.eq,
    "＝": operator.eq,
    "!=": operator.ne,
}

_EXPR = re.compile(r"^\s*(>=|<=|!=|==|≥|≤|>|<|=|＞|＜|＝)\s*(.+?)\s*$")
_RHS = re.compile(
    r"^(?P<base>\$[A-Za-z_][\w-]*|-?\d+(?:\.\d+)?|budget(?:\.(?:total|fiscal|other))?|fiscal_year|period_start|period_end)"
    r"\s*(?:(?P<sign>[+-])\s*(?P<offset>\d+(?:\.\d+)?))?\s*(?P<unit>.*)$"
)


YEARS = ("fiscal_year", "period_start", "period_end")  # bases that are years


@dataclass(frozen=True)
class Comparison:
    op: str
    base: str  # a number, "budget.total", "fiscal_year", "period_start", "period_end" or "$name"
    offset: float = 0.0
    unit: str | None = None  # unit as written after the number ("%", "万元")

    @property
    def function(self) -> Callable[[Any, Any], bool]:
        return OPS[self.op]


def parse_comparison(text: str) -> Comparison:
    m = _EXPR.match(text)
    if not m:
        raise ValueError(f"comparison {text!r} should look like '> 100', '>= 50 万元', '> budget' or '> fiscal_year'")
    op, rhs = m.groups()
    r = _RHS.match(rhs)
    if not r:
        raise ValueError(
            f"comparison {text!r}: the right side should be a number, 'budget', 'fiscal_year' or a $parameter"
        )
    base = r["base"]
    if base == "budget":
        base = "budget.total"
    offset = float(r["offset"]) * (-1 if r["sign"] == "-" else 1) if r["offset"] else 0.0
    unit = r["unit"].strip() or None
    if unit and (base.startswith("budget") or base in YEARS):
        raise ValueError(f"comparison {text!r}: {base} takes no unit")
    return Comparison(op=op, base=base, offset=offset, unit=unit)
