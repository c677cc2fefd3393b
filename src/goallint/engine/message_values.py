"""What a finding's message may quote: the values of its placeholders ({indicator}, {value}, {budget}, {deadline},
{form}, {units} …), worked out per finding by the engine (runner.py), the costly ones only when a message asks."""

from __future__ import annotations

import re
from typing import Any

from goallint.engine.compile import numbers_of
from goallint.model import IndicatorRow, Table
from goallint.safety import MAX_VALUE_CHARS, shorten

LONG_BLOCKS = ("中期", "长期")


class _Blank(dict):
    table: Table | None = None  # for {budget}, converted only when a message uses it (pint is slow)
    row: IndicatorRow | None = None  # for {form} and {units}, worked out only when a message uses them (few do)

    def __missing__(self, key: str) -> str:
        if key == "budget" and self.table is not None:
            text = self["budget"] = _amount(self.table.budget.total, self.table.unit)
            return text
        if key == "form" and self.row is not None:
            text = self["form"] = value_form(
                self.row, example_year(self.row, self.table, self.get("fiscal_year") or None)
            )
            return text
        if key in ("units", "units_en") and self.row is not None:
            self["units"], self["units_en"] = unit_examples(self.row)
            return self[key]
        return ""


def _amount(q, unit: str | None) -> str:
    if q is None:
        return ""
    try:
        if unit == "万元":
            q = q.to("wan_yuan")
        elif unit == "元":
            q = q.to("yuan")
        # no exponent: 1234567.89元, not 1.23457e+06元
        return f"{q.magnitude:.6f}".rstrip("0").rstrip(".") + (unit or "")
    except Exception:  # noqa: BLE001
        return f"{q.magnitude:g} {q.units:~}"


def placeholder_values(row: IndicatorRow | None, table: Table | None, fiscal_year: int | None) -> dict[str, Any]:
    values: dict[str, Any] = _Blank()
    if table is not None:
        values.update(
            project=table.project or table.title or "",
            table=table.number if table.number is not None else (table.location.table or ""),
            table_unit=table.unit or "",
            period=table.period.text if table.period is not None else "",
            period_start=table.period.start if table.period is not None and table.period.start is not None else "",
            period_end=table.period.end if table.period is not None and table.period.end is not None else "",
        )
        values.table = table  # {budget} on demand
    values["fiscal_year"] = fiscal_year if fiscal_year is not None else ""
    values["deadline"] = deadline_example(example_year(row, table, fiscal_year))
    if row is not None:
        target = row.target
        values.update(
            indicator=row.level3 or row.description,
            value=row.value,
            level1=row.level1,
            level2=row.level2,
            level3=row.level3,
            description=row.description,
        )
        values.row = row  # {form}, {units} on demand
        nums = numbers_of(target) if target is not None else []
        if nums:
            n = nums[0]
            values.update(unit=n.unit_text or "", number=n.number_text, comparator=n.comparator_text or "")
        if target is not None and target.kind == "unreadable":
            values.update(reason=target.reason, detail=target.detail)
    for key, text in values.items():  # an enormous cell is quoted by its start, not whole (docs/robustness.md)
        if isinstance(text, str) and len(text) > MAX_VALUE_CHARS:
            values[key] = shorten(text)
    return values


_RATE = re.compile(r"(?<![频速效汇])率(?!先)")
_REPORTS = re.compile(r"报道|文章|稿件|信息|简报|新闻|宣传")


def example_year(row: IndicatorRow | None, table: Table | None, fiscal_year: int | None) -> int | None:
    """The year a deadline in a message should name: the end of the project period for a 中期/长期
    target (GL505 checks those against the period, not the fiscal year), else the fiscal year."""
    if row is not None and row.block in LONG_BLOCKS and table is not None and table.period is not None:
        return table.period.end or fiscal_year
    return fiscal_year


def deadline_example(fiscal_year: int | None) -> str:
    """A deadline to show in a message: the end of the table's fiscal year (a 2023 table is not told 2025)."""
    return f"{fiscal_year}年12月底前完成" if fiscal_year is not None else "12月底前完成"


def value_form(row: IndicatorRow, fiscal_year: int | None = None) -> str:
    """An example value of the form this indicator takes, for messages that show what to write:
    a percentage for a rate or satisfaction, money for a cost, a deadline for a time, else a count."""
    name = f"{row.level3}{row.description}"
    if "满意" in name or "满意" in row.level2:
        return "≥90%"
    if _RATE.search(name):
        return "≥95%"
    if "成本" in row.level2 or "成本" in row.level1:
        return "≤20万元"
    if "时效" in row.level2:
        return deadline_example(fiscal_year)
    if "质量" in row.level2:  # a quality is a share that meets it (合格率, 准确率), also when not named one
        return "≥95%"
    if "频" in name:
        return "≥12次/年"
    if _REPORTS.search(name):
        return "≥5篇"
    return "≥5个"


def unit_examples(row: IndicatorRow) -> tuple[str, str]:
    """(zh, en) units that fit this indicator, for messages that ask for a unit: a time row is not told %."""
    name = f"{row.level3}{row.description}"
    if "满意" in name or "满意" in row.level2 or _RATE.search(name):
        return "「%」", "%"
    if "成本" in row.level2 or "成本" in row.level1:
        return "「万元」或「元」", "万元 or 元"
    if "时效" in row.level2:
        return "「天」「个月」「小时」（或写成日期）", "天, 个月, 小时 (or a date)"
    if "频" in name:
        return "「次/年」「次/月」", "次/年, 次/月"
    return "「个」「家」「人」「人次」「场」等计量单位", "a counting unit such as 个, 家, 人, 人次, 场"
