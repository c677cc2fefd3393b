"""Built-in table-level checks; rule files switch them on (`check: name`, `params: {...}`)."""

from __future__ import annotations

from collections.abc import Iterator

from goallint.engine.checks import CheckContext, Hit, register_check
from goallint.engine.compile import numbers_of
from goallint.engine.lexicon import normalize_name


@register_check(
    "required-categories",
    scope="table",
    placeholders={"category": "the missing 一级指标"},
    params={"required-level1": ["产出指标", "效益指标", "满意度指标"]},
)
def required_categories(ctx: CheckContext) -> Iterator[Hit]:
    """Each category of `required-level1` (names or aliases) has at least one row in the table."""
    if ctx.table is None or not ctx.table.rows:
        return
    present = {ctx.canonical(r.level1) for r in ctx.table.rows if r.level1}
    for category in ctx.params.get("required-level1") or []:
        if ctx.canonical(category) not in present:
            yield Hit(row=None, values={"category": category})


@register_check(
    "duplicate-indicators",
    scope="table",
    placeholders={"first_row": "the row number of the first occurrence"},
    params={"same-value": False},
)
def duplicate_indicators(ctx: CheckContext) -> Iterator[Hit]:
    """A 三级指标 (with the same 二级指标) appearing twice in a table; with `same-value: true` only when the values match too."""
    seen: dict[tuple, int] = {}
    for row in ctx.rows:
        name = normalize_name(row.level3 or row.description)
        if not name:
            continue
        key = (ctx.canonical(row.level2), name) + ((normalize_name(row.value),) if ctx.params.get("same-value") else ())
        if key in seen:
            yield Hit(row=row, column="三级指标", values={"first_row": seen[key]})
        else:
            seen[key] = row.location.row or 0


@register_check(
    "cost-sum",
    scope="table",
    placeholders={"sum": "the sum of the cost amounts"},
    params={"tolerance": 0.0},
)
def cost_sum(ctx: CheckContext) -> Iterator[Hit]:
    """The amounts (currency values) of the selected rows summed exceed 预算数 by more than `tolerance` (a fraction)."""
    from goallint.units import registry

    table = ctx.table
    if table is None or table.budget.total is None:
        return
    total = None
    for row in ctx.rows:
        for n in numbers_of(row.target)[-1:]:
            if n.dimension == "currency" and n.unit:
                q = registry().Quantity(n.value, n.unit)
                total = q if total is None else total + q
    if total is None:
        return
    budget = table.budget.total
    if total.to(budget.units).magnitude > budget.magnitude * (1 + float(ctx.params.get("tolerance") or 0)) + 1e-9:
        unit = table.unit or "万元"
        shown = total.to("wan_yuan" if unit == "万元" else "yuan").magnitude
        yield Hit(row=None, values={"sum": f"{shown:g}{unit}"})
