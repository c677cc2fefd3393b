"""The canonical format's keys for the tables of other templates (issue 17), read back into the model.

`readers/canonical.py` reads the canonical YAML/JSON; this module holds what tables of other regions'
templates add to it, so that a table converted to YAML or JSON and checked again gives the findings of
the original:

- rows written as mappings may say their block (`block: 中期`), the cells of a target split over
  columns (`comparator:` the 指标性质 cell and `unit:` the 度量单位 cell beside `value:` the 指标值
  cell, combined as the readers combine them, readers/columns.py) and the cells kept beside the target
  and never linted (`weight`, `score`, `actual`, `previous`, `value-type`,
  `direction`);
- tables may say their form (`form: self-evaluation`), 主管部门 / 实施单位, 项目属性, 项目期, the 中期
  budget and goals, and 上年结转 in either budget.

Every key is optional; a table without them reads as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from goallint.model import Agency, IndicatorRow, Location, ProjectPeriod, TargetPart, constructor

Block = Literal["年度", "中期", "长期"]
# the cells kept beside a target (readers/columns.py KEPT_ROLES) and their printed column names
KEPT = {
    "weight": "权重",
    "score": "得分",
    "actual": "实际完成值",
    "previous": "上年实际值",
    "value_type": "指标值类型",
    "direction": "指标方向",
}
KEPT_ROLE = {
    "weight": "weight",
    "score": "score",
    "actual": "actual",
    "previous": "previous",
    "value_type": "value-type",
    "direction": "direction",
}
PART_COLUMNS = {"comparator": "指标性质", "number": "指标值", "unit": "度量单位"}


def _cell(value: Any) -> Any:
    from goallint.readers.canonical import _cell as cell  # numbers in cells are read as text, as in the five cells

    return cell(value)


def _code(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


OptionalCell = Annotated[str | None, BeforeValidator(lambda v: None if v is None else _cell(v))]


class RowFields(BaseModel):
    """Keys of a mapping row beyond the five cells (English names; `RowChineseFields` the printed ones)."""

    model_config = ConfigDict(extra="forbid")
    comparator: OptionalCell = Field(
        None,
        description="a target split over columns: the 指标性质 cell (≥, >=, 定性, '' for a blank cell); "
        "`value` is then the 指标值 cell, and the target the cells combined",
    )
    unit: OptionalCell = Field(None, description="a target split over columns: the 度量单位 cell")
    block: Block | None = Field(None, description="which target of a two-target table the row is: 年度, 中期 or 长期")
    weight: OptionalCell = Field(None, description="权重 / 分值, kept and never checked")
    score: OptionalCell = Field(None, description="得分 (self-evaluation), kept and never checked")
    actual: OptionalCell = Field(None, description="实际完成值 (self-evaluation), kept and never checked")
    previous: OptionalCell = Field(None, description="上年实际值 / 2023年实际实现值 (a past year's value), kept")
    value_type: OptionalCell = Field(None, alias="value-type", description="指标值类型 (定量/定性), kept")
    direction: OptionalCell = Field(None, description="指标方向, kept")


class RowChineseFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comparator: OptionalCell = Field(None, alias="指标性质")
    unit: OptionalCell = Field(None, alias="度量单位")
    block: Block | None = Field(None, alias="目标期", description="年度, 中期 or 长期")
    weight: OptionalCell = Field(None, alias="权重")
    score: OptionalCell = Field(None, alias="得分")
    actual: OptionalCell = Field(None, alias="实际完成值")
    previous: OptionalCell = Field(None, alias="上年实际值")
    value_type: OptionalCell = Field(None, alias="指标值类型")
    direction: OptionalCell = Field(None, alias="指标方向")


CELL_KEYS = ("comparator", "unit", *KEPT)  # the text cells of a row beyond the five
CHINESE_KEYS = {"指标性质", "度量单位", "目标期", "权重", "得分", "实际完成值", "上年实际值", "指标值类型", "指标方向"}


class CanonicalAgency(BaseModel):
    """主管部门 / 实施单位: its code and name."""

    model_config = ConfigDict(extra="forbid")
    code: Annotated[str | None, BeforeValidator(_code)] = Field(None, description="代码")
    name: str | None = Field(None, description="名称")


class CanonicalPeriod(BaseModel):
    """项目期 with its years, where they are not what its text says."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="项目期 as written")
    start: int | None = Field(None, description="first year")
    end: int | None = Field(None, description="last year")
    years: int | None = Field(None, description="length in years")


class TableFields(BaseModel):
    """Table keys of other templates (readers/canonical.py's table adds `mid-budget`, a budget like `budget`)."""

    model_config = ConfigDict(extra="forbid")
    form: Literal["self-evaluation"] | None = Field(
        None, description="self-evaluation: a 绩效自评表 (its targets are checked, its results never)"
    )
    supervisor: CanonicalAgency | None = Field(None, description="主管部门(及代码)")
    implementer: CanonicalAgency | None = Field(None, description="实施单位")
    attribute: str | None = Field(None, description="项目属性 (新增项目, 延续项目 …)")
    period: str | CanonicalPeriod | None = Field(
        None,
        description="项目期 as written (`2024-2026年`, `2024年至2026年`, `3年`): 中期 and 长期 targets are checked "
        "against its years; a mapping {text, start, end, years} gives them explicitly",
    )
    mid_goals: list[str] = Field(default_factory=list, alias="mid-goals", description="中期目标, numbering removed")


def period_of(value: str | CanonicalPeriod | None) -> ProjectPeriod | None:
    if value is None:
        return None
    if isinstance(value, CanonicalPeriod):
        return ProjectPeriod(text=value.text, start=value.start, end=value.end, years=value.years)
    from goallint.readers.form_knowledge import project_period

    return project_period(value) or ProjectPeriod(text=value)


# the Table fields that the keys of other templates give, in the order of `table_keys`
TABLE_KEYS = ("form", "supervisor", "implementer", "attribute", "period", "mid_budget", "mid_goals")


def table_keys(source: Any, budget: Callable[[Any, str], Any]) -> tuple:
    """The values of TABLE_KEYS for a table from the validated table `source`; `budget(amounts, key)` turns a
    budget mapping into a Budget in the table's unit (its error names the key)."""

    def agency(value: CanonicalAgency | None) -> Agency | None:
        return None if value is None else Agency(code=value.code, name=value.name)

    return (
        source.form,
        agency(source.supervisor),
        agency(source.implementer),
        source.attribute,
        period_of(source.period),
        None if source.mid_budget is None else budget(source.mid_budget, "mid-budget"),
        list(source.mid_goals),
    )


def indicator_row(cells: Any, extras: Any, location: Location, goal: int | None = None) -> IndicatorRow:
    """The IndicatorRow of a mapping row: its five cells (`cells.level1` …), and from `extras` (a RowFields or
    RowChineseFields, or a rule's cell example: engine/examples.py) the split target's parts, the block and the
    kept cells (those `extras` has)."""
    value, parts = cells.value, {}
    if extras.comparator is not None or extras.unit is not None:
        from goallint.readers.columns import combine

        value, spans = combine(cells.value, extras.comparator, extras.unit)
        texts = {"comparator": extras.comparator, "number": cells.value, "unit": extras.unit}
        parts = {
            name: TargetPart(
                text=texts[name] or "", span=span, location=location.model_copy(update={"column": PART_COLUMNS[name]})
            )
            for name, span in spans.items()
        }
    extra = {KEPT_ROLE[key]: text for key in KEPT if (text := getattr(extras, key, None))}
    return IndicatorRow(
        goal=goal,
        level1=cells.level1,
        level2=cells.level2,
        level3=cells.level3,
        description=cells.description,
        value=value,
        location=location,
        parts=parts,
        block=extras.block,
        extra=extra,
    )


def has_extras(row: Any) -> bool:
    return any(getattr(row, name) is not None for name in RowFields.model_fields)


_location = constructor(Location, "file", "table", "line")  # from a line found, without validation
_FIELD_KEYS = {"project": "project", "purpose": "purpose", "goals": "goals", "department": "department"}
_BUDGET_KEYS = ("total", "fiscal", "other")


def field_locations(
    source: Any, file: str, number: int, line: Callable[..., int | None], *, items: bool
) -> dict[str, Location]:
    """Table.field_locations of a canonical table: the line (`line(key, …)`) of each header key the table has;
    with `items`, also of each goal and budget amount (YAML, where each has its own line when written so)."""
    lines = [(name, line(key)) for name, key in _FIELD_KEYS.items() if getattr(source, name)]
    if items:
        goals = dict(lines).get("goals")
        for index in range(len(source.goals)):
            at = line("goals", index)
            if at is not None and at != goals:  # a flow list: one line for all
                lines.append((f"goals.{index + 1}", at))
    budget = source.budget
    if budget is not None and (budget.total is not None or budget.fiscal is not None or budget.other is not None):
        budget_line = line("budget")
        lines += [
            (f"budget.{key}", (line("budget", key) if items else None) or budget_line)
            for key in _BUDGET_KEYS
            if getattr(budget, key) is not None
        ]
    out: dict[str, Location] = {}
    # one Location a line, shared by the keys written on it (JSON writes a table's keys on one line); a Location
    # is a value that nothing changes (a finding copies what it needs)
    made: dict[int, Location] = {}
    for name, at in lines:
        if at is None:
            continue
        if at not in made:
            made[at] = _location(file, number, at)
        out[name] = made[at]
    return out
