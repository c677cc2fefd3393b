"""What the department-wide table readers share: the title, the year and unit marks, category levels,
amounts and the join of wrapped lines (the dump reader, readers/department/dump.py, and the form
reader, readers/department/form.py, give the same texts and amounts for the same table).

The category levels (一级指标 / 二级指标 names, and which 二级指标 are cost categories) come from
rules/lexicon/category-levels.yaml with their other spellings from category-aliases.yaml
(`社会效益` for 社会效益指标): data, not code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from goallint.model import Budget, FiscalYear, Task
from goallint.readers.form_knowledge import join_wrapped  # noqa: F401  (the department readers import it from here)
from goallint.units import TABLE_UNITS, quantity

TITLE = "整体支出绩效目标表"
YEAR = re.compile(r"[（(]\s*(\d{4})\s*年度?\s*[）)]")
UNIT = re.compile(r"预算资金\s*[（(]\s*(万元|元)\s*[）)]")
COLUMNS = ("basic", "project", "other")
COLUMN_NAMES = {"basic": "基本支出", "project": "项目支出", "other": "其他资金"}


@dataclass(frozen=True)
class Levels:
    level1: frozenset[str]  # 一级指标 names
    level2: frozenset[str]  # 二级指标 names and their other spellings
    cost_level2: frozenset[str]  # the 二级指标 under the 一级指标 成本指标 (经济成本指标 …)


@cache
def levels() -> Levels:
    """The category levels from rules/lexicon/ (category-levels.yaml, category-aliases.yaml)."""
    from goallint.resources import rules_dir
    from goallint.yamlpos import load_plain

    def load(name: str) -> dict:  # from the parse cache, like the rule files: no YAML parser at start-up
        return load_plain(rules_dir() / "lexicon" / f"{name}.yaml")[0]

    hierarchy = load("category-levels")
    aliases = load("category-aliases")["aliases"]

    def spellings(names) -> frozenset[str]:
        return frozenset(n for name in names for n in (name, *aliases.get(name, ())))

    parents = hierarchy["level2"]
    cost = [name for name, under in parents.items() if "成本指标" in under and name != "成本指标"]
    return Levels(frozenset(hierarchy["level1"]), spellings(parents), spellings(cost))


def width(text: str) -> float:
    """Display width in full-width characters: CJK (and ambiguous) 1, ASCII ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def parse_amount(text: str) -> Decimal | None:
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def amount(value: Decimal | None, unit: str | None):
    if value is None:
        return None
    return quantity(float(value), TABLE_UNITS.get(unit or "万元", "wan_yuan"))


def budget_of(total: Task | None) -> Budget:
    """Table.budget from the 合计 row: total = 总额, fiscal = 基本支出 + 项目支出, other = 其他资金."""
    if total is None:
        return Budget()
    parts = [q for q in (total.basic, total.project) if q is not None]
    fiscal = None
    if parts:
        fiscal = parts[0]
        for q in parts[1:]:
            fiscal = fiscal + q
    return Budget(total=total.total, fiscal=fiscal, other=total.other)


def stated_year(text: str) -> FiscalYear | None:
    m = YEAR.search(text)
    return FiscalYear(year=int(m.group(1)), source="stated", evidence=m.group(0)) if m else None
