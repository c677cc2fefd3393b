"""Budget checks (GL4xx): cost amounts against 预算数, the funding split, department task sums.

Every amount is a pint quantity; sums and comparisons are made in the table's unit (a `单位：元`
table with 预算数 200000.00 and a row `≤25万元` is 250000元 against 200000元), and amounts are
shown in that unit. Float noise from unit conversion (23.38万元 → 233800.00000000003元) is never
a finding: comparisons allow `EPSILON` of the table's unit.

Rows are converted as plain floats, `value * factor`, with the factor pint itself uses for that
pair of units (asked of pint once per pair and cached): the same float as `Quantity.to()` gives,
without building a Quantity per row.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import pint

from goallint.engine.checks import CheckContext, Hit, register_check
from goallint.engine.compile import numbers_of
from goallint.model import IndicatorRow, Table, Task, field_location

EPSILON = 1e-6  # in the table's unit
TABLE_UNIT_NAMES = {"万元": "wan_yuan", "元": "yuan"}


# --------------------------------------------------------------------------- amounts


def table_unit(table: Table) -> str:
    """The registry unit of the table's amounts (万元 when the table does not say)."""
    if table.unit in TABLE_UNIT_NAMES:
        return TABLE_UNIT_NAMES[table.unit]
    if table.budget.total is not None:
        return str(table.budget.total.units)
    return "wan_yuan"


def unit_label(table: Table) -> str:
    return table.unit or {"yuan": "元", "wan_yuan": "万元"}.get(table_unit(table), "万元")


def number_text(x: float) -> str:
    """A plain number: no exponent, at most 6 decimals, trailing zeros dropped (14330, 0.5, 233800)."""
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@cache
def conversion_factor(src: Hashable, dst: str) -> float | None:
    """The factor pint multiplies by to convert `src` to `dst` (None when they are not the same dimension)."""
    from goallint.units import registry

    try:
        return float(registry().Quantity(1.0, src).to(dst).magnitude)
    except pint.DimensionalityError:
        return None


def in_unit(q: pint.Quantity | None, table: Table) -> float | None:
    """`q` as a number in the table's unit (None when absent or not money)."""
    if q is None:
        return None
    # `_units` (pint's UnitsContainer, hash cached) rather than `.units`, which builds a Unit per call
    factor = conversion_factor(q._units, table_unit(table))
    return None if factor is None else float(q.magnitude * factor)


def shown(x: float, table: Table) -> str:
    """An amount in the table's unit as a drafter reads it: `14330万元`."""
    return f"{number_text(x)}{unit_label(table)}"


def row_amount(row: IndicatorRow, table: Table) -> float | None:
    """The money amount of a row's value in the table's unit: its (last) currency number (a range's high end)."""
    if row.target is None:
        return None
    for n in reversed(numbers_of(row.target)):
        if n.dimension == "currency" and n.unit:
            factor = conversion_factor(n.unit, table_unit(table))
            return None if factor is None else float(n.value * factor)
    return None


def budget_amount(table: Table) -> float | None:
    """预算数 in the table's unit; when the cell is empty, 财政资金 + 其他资金."""
    total = in_unit(table.budget.total, table)
    if total is not None:
        return total
    fiscal = in_unit(table.budget.fiscal, table)
    if fiscal is None:
        return None
    return fiscal + (in_unit(table.budget.other, table) or 0.0)


def exceeds(amount: float, limit: float, tolerance: float = 0.0) -> bool:
    """`amount` is above `limit` by more than the fraction `tolerance` (and float noise)."""
    return amount > limit * (1 + tolerance) + EPSILON


def _name(row: IndicatorRow) -> str:
    return row.level3 or row.description


def _named_by(ctx: CheckContext, param: str, row: IndicatorRow) -> bool:
    """The row's 三级指标 or 绩效指标描述 has a word of the lexicon named by the parameter `param`."""
    lexicon = ctx.params.get(param)
    if not lexicon:
        return False
    if lexicon not in ctx.lexicons:
        from goallint.yamlpos import RuleError

        raise RuleError(
            None,
            f"parameter {param}: unknown lexicon {lexicon!r}"
            f" (no {lexicon}.yaml in rules/lexicon/ or a rules folder's lexicon/)",
        )
    return ctx.in_lexicon(lexicon, row.level3) or ctx.in_lexicon(lexicon, row.description)


def _validate(params: dict) -> tuple[str, str] | None:
    """Load-time check of the budget checks' parameters."""
    for name in ("tolerance",):
        if name in params and (
            not isinstance(params[name], (int, float)) or isinstance(params[name], bool) or params[name] < 0
        ):
            return name, "a number ≥ 0"
    for name in ("per-unit-lexicon", "total-lexicon"):
        if name in params and not isinstance(params[name], str):
            return name, "a lexicon name, e.g. per-unit-cost"
    if "single-row" in params and not isinstance(params["single-row"], bool):
        return "single-row", "true or false"
    if "compare" in params:
        compare = params["compare"]
        if not isinstance(compare, list) or not set(compare) <= {"tasks", "parts", "goals"}:
            return "compare", "a list of tasks, parts, goals"
    return None


@dataclass
class CostAmount:
    row: IndicatorRow
    amount: float  # in the table's unit


def cost_amounts(ctx: CheckContext, rows: Iterable[IndicatorRow], table: Table) -> list[CostAmount]:
    """The rows' money amounts, leaving out per-unit costs (人均, 单价 …: lexicon `per-unit-lexicon`)."""
    out = []
    for row in rows:
        amount = row_amount(row, table)
        if amount is None or _named_by(ctx, "per-unit-lexicon", row):
            continue
        out.append(CostAmount(row, amount))
    return out


@dataclass
class CostTotal:
    amount: float  # what the cost rows promise together
    total_row: CostAmount | None  # the row that is the total of the others, if one is
    parts: list[CostAmount]  # the amounts added (without the total row)


def cost_total(ctx: CheckContext, amounts: list[CostAmount]) -> CostTotal:
    """The sum of cost amounts, counting a total row once.

    A row is the total of the others when its amount equals their sum (with three or more rows:
    `项目总成本 ≤130万元` and parts 75+35+5.2+14.8), or when its name says so (lexicon
    `total-lexicon`: 总成本, 合计 …); then the total is the larger of that row and the parts' sum.
    """
    everything = sum(a.amount for a in amounts)
    if len(amounts) >= 3:
        for a in amounts:
            rest = everything - a.amount
            if abs(a.amount - rest) <= EPSILON:
                return CostTotal(a.amount, a, [b for b in amounts if b is not a])
    if len(amounts) >= 2:
        named = [a for a in amounts if _named_by(ctx, "total-lexicon", a.row)]
        if len(named) == 1:
            t = named[0]
            parts = [b for b in amounts if b is not t]
            return CostTotal(max(t.amount, everything - t.amount), t, parts)
    return CostTotal(everything, None, list(amounts))


def parts_text(amounts: list[CostAmount]) -> str:
    """`场地费 ≤80万元 + 宣传费 ≤300000元`: the rows as written, for a message."""
    return " + ".join(f"{_name(a.row)} {a.row.value.strip()}" for a in amounts)


# --------------------------------------------------------------------------- GL401


def _budget_and_tolerance(ctx: CheckContext):
    """(table, 预算数 in the table's unit, `tolerance`), or None when there is no table or no budget to compare."""
    table = ctx.table
    budget = budget_amount(table) if table is not None else None
    if budget is None:
        return None
    return table, budget, float(ctx.params.get("tolerance") or 0)


@register_check(
    "amount-over-budget",
    scope="table",
    placeholders={"amount": "the row's amount in the table's unit (25万元 in a 元 table: 250000元)"},
    params={"tolerance": 0.0},
    validate=_validate,
)
def amount_over_budget(ctx: CheckContext) -> Iterator[Hit]:
    """Report each selected row whose money amount exceeds 预算数 by more than `tolerance` (a fraction)."""
    compared = _budget_and_tolerance(ctx)
    if compared is None:
        return
    table, budget, tolerance = compared
    for row in ctx.rows:
        amount = row_amount(row, table)
        if amount is not None and exceeds(amount, budget, tolerance):
            yield Hit(row=row, values={"amount": shown(amount, table), "budget": shown(budget, table)})


# --------------------------------------------------------------------------- GL402


@register_check(
    "cost-sum",
    scope="table",
    placeholders={
        "sum": "the cost amounts added up (a total row counted once), in the table's unit",
        "parts": "the rows added, as written: `场地费 ≤80万元 + 宣传费 ≤300000元`",
        "excess": "how much the sum exceeds 预算数",
    },
    params={"tolerance": 0.0, "per-unit-lexicon": "", "total-lexicon": "", "single-row": True},
    validate=_validate,
)
def cost_sum(ctx: CheckContext) -> Iterator[Hit]:
    """The selected rows' money amounts added up exceed 预算数 by more than `tolerance` (a fraction).

    A row that is the total of the others (equal to their sum, or named by `total-lexicon`) is
    counted once; rows named by `per-unit-lexicon` (人均, 单价) are not added. With
    `single-row: false` the table is reported only when two or more amounts are added and none
    exceeds the budget alone (that row is GL401's finding). Reported on the table.
    """
    compared = _budget_and_tolerance(ctx)
    if compared is None:
        return
    table, budget, tolerance = compared
    amounts = cost_amounts(ctx, ctx.rows, table)
    if not amounts:
        return
    if ctx.params.get("single-row") is False and (
        len(amounts) < 2 or any(exceeds(a.amount, budget, tolerance) for a in amounts)
    ):
        return
    total = cost_total(ctx, amounts)
    if not exceeds(total.amount, budget, tolerance):
        return
    shown_parts = parts_text(total.parts)
    if total.total_row is not None:
        shown_parts = f"{_name(total.total_row.row)} {total.total_row.row.value.strip()}；{shown_parts}"
    yield Hit(
        row=None,
        column="指标值",
        values={
            "sum": shown(total.amount, table),
            "parts": shown_parts,
            "excess": shown(total.amount - budget, table),
            "budget": shown(budget, table),
        },
    )


# --------------------------------------------------------------------------- GL403


def _other_unsaid(table: Table) -> bool:
    """The total is a sentence that names 财政资金 and no 其他资金, and no cell of the form gives either:
    the reader placed the total but neither part (a file that gives 财政资金 its own cell or key and
    leaves 其他资金 empty or out still counts it as 0)."""
    places = table.field_locations
    return (
        table.budget.other is None
        and "budget.total" in places
        and "budget.fiscal" not in places
        and "budget.other" not in places
    )


@register_check(
    "budget-split",
    scope="table",
    placeholders={
        "fiscal": "财政资金",
        "other": "其他资金 (0 when the cell is empty)",
        "carryover": "上年结转 (empty when the table has none)",
        "sum": "财政资金 + 其他资金 (+ 上年结转)",
        "difference": "how far apart they are",
        "parts": "the parts named with their amounts, in Chinese: `财政资金 80万元 与其他资金 10万元`, "
        "with 上年结转: `财政资金 80万元、其他资金 10万元 与上年结转 5万元`",
        "arithmetic": "the sum written out: `财政资金 80万元 + 其他资金 10万元 (+ 上年结转 5万元)`",
        "count": "how many amounts are compared, in Chinese: 三 (四 with 上年结转)",
        "formula": "`财政资金 + 其他资金`, with ` + 上年结转` when the table has it",
    },
    params={"tolerance": 0.01},
    validate=_validate,
)
def budget_split(ctx: CheckContext) -> Iterator[Hit]:
    """财政资金 + 其他资金 (+ 上年结转, when the table has it) differs from 预算数 by more than `tolerance`.

    The tolerance is in the table's unit: 0.01 allows rounding to 2 decimals.

    An empty 其他资金 cell counts as 0; a table without 预算数 or 财政资金 is not checked. A form with
    no 其他资金 at all (its total a sentence, `120万元（其中财政资金100万元）`, and no 其他资金 cell)
    leaves the rest of the total unsaid: only parts larger than the total are reported there. The
    message quotes 上年结转 in the sum only when the table has it, so a table without one reads as before.
    """
    table = ctx.table
    if table is None:
        return
    total = in_unit(table.budget.total, table)
    fiscal = in_unit(table.budget.fiscal, table)
    if total is None or fiscal is None:
        return
    other = in_unit(table.budget.other, table) or 0.0
    carryover = in_unit(table.budget.carryover, table)  # 上年结转 is a part too
    parts = fiscal + other + (carryover or 0.0)
    tolerance = float(ctx.params.get("tolerance") or 0) + EPSILON
    if abs(total - parts) <= tolerance or (_other_unsaid(table) and parts <= total + tolerance):
        return
    named = [("财政资金", shown(fiscal, table)), ("其他资金", shown(other, table))]
    if carryover is not None:
        named.append(("上年结转", shown(carryover, table)))
    written = [f"{name} {amount}" for name, amount in named]
    yield Hit(
        row=None,
        column="预算数",
        location=field_location(table, "budget.total"),
        values={
            "budget": shown(total, table),
            "fiscal": named[0][1],
            "other": named[1][1],
            "carryover": named[2][1] if carryover is not None else "",
            "sum": shown(parts, table),
            "difference": shown(abs(total - parts), table),
            "parts": "、".join(written[:-1]) + " 与" + written[-1],
            "arithmetic": " + ".join(written),
            "count": "三" if carryover is None else "四",
            "formula": " + ".join(name for name, _ in named),
        },
    )


# --------------------------------------------------------------------------- GL404

TASK_COLUMNS = (("basic", "基本支出"), ("project", "项目支出"), ("other", "其他资金"))


def _task_label(task: Task) -> str:
    if task.number is None:
        return "合计行"
    name = task.name if len(task.name) <= 20 else task.name[:20] + "…"
    return f"工作任务{task.number}「{name}」"


def _ambiguous_lines(ctx: CheckContext) -> set[int]:
    """Source lines of tasks whose amounts the reader could not place in columns (it said so)."""
    return {
        p.location.line
        for p in ctx.document.problems
        if p.code == "ambiguous-task-budget" and p.location.line is not None
    }


def _mismatch(got: float, want: float, tolerance: float) -> bool:
    return abs(got - want) > tolerance + EPSILON


@register_check(
    "department-task-sums",
    scope="table",
    placeholders={
        "subject": "what does not add up: 工作任务4「…」, 合计行, 主要工作任务",
        "parts": "the amounts added, with their labels",
        "sum": "their sum, in the table's unit",
        "target": "the amount they should equal, with its label: 总额 1291.3万元",
        "difference": "how far apart they are",
    },
    params={"tolerance": 0.01, "per-unit-lexicon": "", "total-lexicon": "", "compare": ["tasks", "parts", "goals"]},
    validate=_validate,
)
def department_task_sums(ctx: CheckContext) -> Iterator[Hit]:
    """Department-wide tables (部门整体支出绩效目标表): the task budget sums.

    `compare` chooses what is checked:
    `tasks`: the tasks' 总额 (and each of 基本支出/项目支出/其他资金) add up to the 合计 row's;
    `parts`: each task's (and the 合计 row's) 基本支出 + 项目支出 + 其他资金 equal its 总额;
    `goals`: the money amounts of the selected rows (cost indicators) of the goals serving a task
    (对应工作任务) add up to that task's 总额 — checked only when every such goal has one.
    Differences up to `tolerance` (table unit) are rounding. Tasks whose amounts the reader could
    not place in columns (an `ambiguous-task-budget` problem, already reported) are left out of
    the column checks. Task findings point at the task's line; goal findings at the cost row.
    """
    table = ctx.table
    if table is None or table.kind != "department" or not table.tasks or table.truncated:
        return  # a cut-off table lacks tasks or goals; the cut is reported by the reader
    compare = set(ctx.params.get("compare") or [])
    tolerance = float(ctx.params.get("tolerance") or 0)
    ambiguous = _ambiguous_lines(ctx)

    def placed(task: Task) -> bool:
        return task.location.line is None or task.location.line not in ambiguous

    def hit(
        location_of: Task | None,
        row: IndicatorRow | None,
        subject: str,
        parts: str,
        got: float,
        target: str,
        want: float,
    ) -> Hit:
        return Hit(
            row=row,
            location=location_of.location if location_of is not None and row is None else None,
            column="总额" if row is None else None,
            values={
                "subject": subject,
                "parts": parts,
                "sum": shown(got, table),
                "target": f"{target} {shown(want, table)}",
                "difference": shown(abs(got - want), table),
            },
        )

    total_row = table.tasks_total
    if "tasks" in compare and total_row is not None:
        want = in_unit(total_row.total, table)
        totals = [in_unit(t.total, table) for t in table.tasks]
        if want is not None and all(x is not None for x in totals):
            got = sum(totals)  # type: ignore[arg-type]
            if _mismatch(got, want, tolerance):
                parts = " + ".join(
                    f"任务{t.number} {shown(x, table)}"  # type: ignore[arg-type]
                    for t, x in zip(table.tasks, totals, strict=True)
                )
                yield hit(total_row, None, "各工作任务的总额", parts, got, "合计行 总额", want)
        if all(placed(t) for t in table.tasks) and placed(total_row):
            for column, label in TASK_COLUMNS:
                want = in_unit(getattr(total_row, column), table)
                if want is None:
                    continue
                values = [in_unit(getattr(t, column), table) or 0.0 for t in table.tasks]
                got = sum(values)
                if _mismatch(got, want, tolerance):
                    parts = " + ".join(
                        f"任务{t.number} {shown(x, table)}" for t, x in zip(table.tasks, values, strict=True)
                    )
                    yield hit(total_row, None, f"各工作任务的{label}", parts, got, f"合计行 {label}", want)

    if "parts" in compare:
        for task in ([total_row] if total_row is not None else []) + list(table.tasks):
            want = in_unit(task.total, table)
            columns = [(label, in_unit(getattr(task, column), table)) for column, label in TASK_COLUMNS]
            known = [(label, x) for label, x in columns if x is not None]
            if want is None or not known or not placed(task):
                continue
            got = sum(x for _, x in known)
            if _mismatch(got, want, tolerance):
                parts = " + ".join(f"{label} {shown(x, table)}" for label, x in known)
                yield hit(task, None, _task_label(task), parts, got, "总额", want)

    # every goal must name its task: a goal of unknown task could be the missing money
    if "goals" in compare and table.goal_tasks and None not in table.goal_tasks:
        by_goal: dict[int, list[CostAmount]] = {}
        for a in cost_amounts(ctx, ctx.rows, table):
            if a.row.goal is not None:
                by_goal.setdefault(a.row.goal, []).append(a)
        for task in table.tasks:
            goals = [g for g, n in enumerate(table.goal_tasks, 1) if n is not None and n == task.number]
            want = in_unit(task.total, table)
            if not goals or want is None or any(g not in by_goal for g in goals):
                continue
            totals = [cost_total(ctx, by_goal[g]) for g in goals]
            got = sum(t.amount for t in totals)
            if _mismatch(got, want, tolerance):
                parts = " + ".join(
                    f"目标{g} {parts_text([t.total_row] if t.total_row is not None else t.parts)}"
                    for g, t in zip(goals, totals, strict=True)
                )
                first = by_goal[goals[0]][0].row
                yield hit(
                    None, first, _task_label(task) + "对应的年度目标", parts, got, f"工作任务{task.number} 总额", want
                )
