"""The table model: Document → Table → IndicatorRow, and the typed targets parsed from 指标值.

Readers build these objects; the value parser fills `IndicatorRow.target`; rules read them.
Every object carries a Location so that a finding can point at the cell it is about.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal

import pint
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, field_validator


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- locations


class Location(Model):
    """Where something is: the file, the table in it, the row in the table, the column.

    `table` and `row` are 1-based positions (the n-th table of the document, the n-th indicator
    row of the table). `line` is the 1-based source line where the source has lines (text
    dumps, YAML, CSV); `sheet` and `cell` are for spreadsheets; `page` is the 1-based page of a
    PDF (its `cell` names the page too: `第2页 表1 行5 列7`).
    """

    file: str
    table: int | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None


# --------------------------------------------------------------------------- amounts


def _to_quantity(value: Any) -> pint.Quantity:
    from goallint.units import registry

    if isinstance(value, pint.Quantity):
        return value
    if isinstance(value, str):
        q = registry().Quantity(value.strip())
        if not isinstance(q, pint.Quantity) or q.dimensionless:
            raise ValueError(f"amount {value!r} needs a unit, e.g. '12.00 万元'")
        return q
    if isinstance(value, dict) and {"value", "unit"} <= value.keys():
        return registry().Quantity(float(value["value"]), value["unit"])
    raise ValueError(f"not an amount: {value!r} (write e.g. '12.00 万元')")


def _quantity_text(q: pint.Quantity) -> str:
    return f"{q.magnitude:g} {q.units:~}"


# A pint quantity in the model; written as text such as "12 万元" in YAML/JSON.
Amount = Annotated[pint.Quantity, PlainValidator(_to_quantity), PlainSerializer(_quantity_text, return_type=str)]


# --------------------------------------------------------------------------- targets


class Comparator(StrEnum):
    """Canonical comparators; the glyph or word as written is kept in `comparator_text`."""

    GE = "≥"
    LE = "≤"
    GT = "＞"
    LT = "＜"
    EQ = "＝"


Span = tuple[int, int]


class TargetBase(Model):
    # read-only: one target stands for every cell with the same text (goallint.values caches them)
    model_config = ConfigDict(extra="forbid", frozen=True)

    raw: str
    # character spans in `raw` of each part (e.g. "comparator", "number", "unit")
    spans: dict[str, Span] = Field(default_factory=dict)


class Numeric(TargetBase):
    """A number with optional comparator and unit: `≥90%`, `≤23.38万元`, `不少于50家`, `约6952平方米`."""

    kind: Literal["numeric"] = "numeric"
    comparator: Comparator | None = None
    comparator_text: str | None = None  # as written: "≧", ">=", "不少于", "以上"
    approximate: bool = False  # 约 / 左右
    number: float  # as written, before magnitude: 39 in `≥39万次`
    number_text: str
    magnitude: int = 1  # 千/万/亿 before a counting unit or standing alone: 10000 in `≥39万次`
    magnitude_text: str | None = None
    unit: str | None = None  # registry unit name: "wan_yuan", "percent", "tai"
    unit_text: str | None = None  # as written: "万元", "%", "百分比"
    dimension: str | None = None  # "currency", "ratio", "time", "count", "area", "rate", ...
    base_value: float | None = None  # value in the dimension's base unit (元, fraction, hour, ...)
    base_unit: str | None = None

    @property
    def value(self) -> float:
        return self.number * self.magnitude


class Range(TargetBase):
    """`80%-90%`, `3-5个`."""

    kind: Literal["range"] = "range"
    low: Numeric
    high: Numeric


class Deadline(TargetBase):
    """`2025年12月底前完成`, `2025年底`, `2022年下半年`, `2025年12月31日前`."""

    kind: Literal["deadline"] = "deadline"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None  # 1..4
    half: int | None = None  # 1 上半年, 2 下半年
    period: Literal["year_end", "month_end", "quarter_end", "within_year", "full_year"] | None = None
    period_text: str | None = None  # 年底, 月底, 年内, 全年
    bound: Literal["before", "at"] = "at"  # 前/之前/底前/内 → before
    bound_text: str | None = None
    text: str = ""  # the rest of the cell: 完成, 完成拨付


class Duration(TargetBase):
    """A time window: `12个月内完成`, `合同签署3个月内完成测评工作`, `7*24小时`."""

    kind: Literal["duration"] = "duration"
    number: float
    number_text: str
    factors: list[float] = Field(default_factory=list)  # 7*24 → [7, 24], number 168
    unit: str | None = None
    unit_text: str | None = None
    within: bool = False  # 内 / 以内
    base_value: float | None = None  # in hours
    before: str = ""  # anchor text before the number: 合同签署
    after: str = ""  # text after: 完成测评工作


class Schedule(TargetBase):
    """Several points in time: `4月、7月、10月`, `二季度…；四季度…`."""

    kind: Literal["schedule"] = "schedule"
    months: list[int] = Field(default_factory=list)
    quarters: list[int] = Field(default_factory=list)
    year: int | None = None


class Qualitative(TargetBase):
    """Text without a number; `flags` name the lexicon lists whose words it contains."""

    kind: Literal["qualitative"] = "qualitative"
    text: str
    flags: list[str] = Field(default_factory=list)  # e.g. ["vague"], ["binary"]


class Mixed(TargetBase):
    """A sentence with a measurable clause: `一年内低于5次`, `获得企业对天津满意度达到99%`."""

    kind: Literal["mixed"] = "mixed"
    measure: Numeric | Range | Deadline | Duration = Field(discriminator="kind")
    before: str = ""
    after: str = ""


class Empty(TargetBase):
    kind: Literal["empty"] = "empty"


UnreadableReason = Literal["unknown_unit", "unit_without_number", "tangled", "too_long", "other"]


class Unreadable(TargetBase):
    """A value the grammar cannot read; reported, never dropped."""

    kind: Literal["unreadable"] = "unreadable"
    reason: UnreadableReason
    detail: str = ""  # e.g. the unknown unit text "官方报道信息数量"


Target = Annotated[
    Numeric | Range | Deadline | Duration | Schedule | Qualitative | Mixed | Empty | Unreadable,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- tables


class FiscalYear(Model):
    year: int
    source: Literal["stated", "inferred", "user"]
    evidence: str = ""  # the text it was read or inferred from


class Budget(Model):
    """预算数 = 财政资金 + 其他资金, each a quantity in the table's unit (None when the cell is empty)."""

    total: Amount | None = None
    fiscal: Amount | None = None
    other: Amount | None = None
    carryover: Amount | None = None  # 上年结转 (part of total beside 财政拨款 and 其他资金)


class ProjectPeriod(Model):
    """项目期 as written (`2024-2026年`, `3年`, `2024年至2026年`) and the years read from it."""

    text: str
    start: int | None = None  # first year
    end: int | None = None  # last year
    years: int | None = None  # length in years (`3年`, or end - start + 1)


class Agency(Model):
    """主管部门 / 实施单位 as written, split into its code and name where a code is given."""

    code: str | None = None
    name: str | None = None


class Task(Model):
    """A work task of a department-wide table (主要工作任务) with its budget; also the 合计 row.

    总额 = 基本支出 + 项目支出 (together 财政资金) + 其他资金, each in the table's unit.
    """

    number: int | None = None  # 序号; None for the 合计 row
    name: str
    total: Amount | None = None  # 总额
    basic: Amount | None = None  # 基本支出
    project: Amount | None = None  # 项目支出
    other: Amount | None = None  # 其他资金
    location: Location


class TargetPart(Model):
    """One cell of a target split over several columns (指标性质 | 指标值 | 度量单位).

    `text` is the cell as written; `span` is where the part stands in the row's combined `value`
    (`≥` `95` `%` → value `≥95%`, the comparator at (0, 1)); a blank cell has an empty span.
    """

    text: str = ""
    span: Span = (0, 0)
    location: Location


Block = Literal["年度", "中期", "长期"]


def _empty(value: Any) -> bool:
    return not value


class IndicatorRow(Model):
    goal: int | None = None  # department-wide tables: the number of the goal (目标1 → 1) the row measures
    level1: str = ""  # 一级指标 (merged cells filled down)
    level2: str = ""  # 二级指标
    level3: str = ""  # 三级指标
    description: str = ""  # 绩效指标描述
    value: str = ""  # 指标值, as written (a target split over columns: the cells combined, see `parts`)
    target: Target | None = None  # filled by goallint.values
    location: Location
    # a target split over columns: "comparator" (指标性质), "number" (指标值), "unit" (度量单位) → its cell;
    # empty for a target written in one cell (readers/columns.py)
    parts: dict[str, TargetPart] = Field(default_factory=dict, exclude_if=_empty)
    # which target of a two-target table the row is (年度, 中期 or 长期); None when the table has one
    block: Block | None = Field(None, exclude_if=_empty)
    # cells beside the target that are never linted: weight (权重/分值), score (得分), actual (实际完成值)…
    extra: dict[str, str] = Field(default_factory=dict, exclude_if=_empty)


class Problem(Model):
    """Something wrong with the document itself (not a rule finding): truncation, an unreadable cell."""

    code: str  # e.g. "truncated-table", "unparsed-line": a name registered in rules/reader/problems.yaml
    message: str
    location: Location

    @field_validator("code")
    @classmethod
    def _registered(cls, code: str) -> str:
        """An unregistered name is a reader's bug: it fails where the problem is made, not in a report."""
        from goallint.reader_problems import problem_kind

        problem_kind(code)
        return code


class Table(Model):
    kind: Literal["project", "department"] = "project"
    # the form of an indicator grid: None for a target table, "self-evaluation" for a 绩效自评表
    # (年初目标值 | 实际完成值 | 分值 | 得分): its targets are linted, its results never
    form: Literal["self-evaluation"] | None = Field(None, exclude_if=_empty)
    number: int | None = None  # the printed number in the title: "1." → 1
    title: str | None = None
    department_code: str | None = None
    department_name: str | None = None
    unit: Literal["元", "万元"] | None = None
    project: str | None = None
    budget: Budget = Field(default_factory=Budget)
    purpose: str = ""  # 资金用途
    goals: list[str] = Field(default_factory=list)  # 绩效目标 items, numbering removed
    # header fields of other templates (templates.md 1, 2, 5): None / empty when the table has no such field
    supervisor: Agency | None = None  # 主管部门(及代码)
    implementer: Agency | None = None  # 实施单位
    attribute: str | None = None  # 项目属性 (新增项目, 延续项目 …)
    period: ProjectPeriod | None = None  # 项目期: 中期/长期 targets are checked against it
    mid_budget: Budget | None = None  # 中期资金总额 with its 其中：财政拨款 / 其他资金
    mid_goals: list[str] = Field(default_factory=list)  # 中期目标 (总体目标 of the older template), numbered items
    rows: list[IndicatorRow] = Field(default_factory=list)
    # department-wide tables only: the tasks, the 合计 row, and for each goal the task number it serves
    tasks: list[Task] = Field(default_factory=list)
    tasks_total: Task | None = None
    goal_tasks: list[int | None] = Field(default_factory=list)
    goal_locations: list[Location] = Field(default_factory=list)  # where each goal is (when the reader knows)
    # where each header field's value stands, by field name: "project", "purpose", "goals", "mid_goals",
    # "budget.total" / "budget.fiscal" / … / "mid_budget.total" …, "supervisor", "implementer", "attribute",
    # "period", "department"; "goals.2" for one item of a list that has its own place. The cell (docx, xlsx,
    # pdf), the line (Word dump), the YAML/JSON line: a finding on a header field points there
    # (field_location below); readers that cannot say leave it out, and the finding names the table
    field_locations: dict[str, Location] = Field(default_factory=dict, exclude_if=_empty)
    fiscal_year: FiscalYear | None = None
    truncated: bool = False
    location: Location


# the fields of a Table that a project table's printed header gives, in field order (readers build tables
# from them: readers/canonical.py, readers/word_dump.py)
TABLE_HEADER_FIELDS = (
    "number",
    "title",
    "department_code",
    "department_name",
    "unit",
    "project",
    "budget",
    "purpose",
    "goals",
)


def field_location(table: Table, name: str, index: int | None = None) -> Location | None:
    """Where the header field `name` of `table` stands, or None; `index` (0-based) asks for one item of a list
    field ("goals", "mid_goals"): its own place ("goals.2" in `field_locations`, a department table's
    `goal_locations`) where the reader knows it, else the field's cell."""
    if index is not None:
        item = table.field_locations.get(f"{name}.{index + 1}")
        if item is not None:
            return item
        if name == "goals" and index < len(table.goal_locations):
            return table.goal_locations[index]
    return table.field_locations.get(name)


class Document(Model):
    path: str
    format: str  # reader name: "word-dump", "docx", "xlsx", "csv", "yaml", "json", ...
    tables: list[Table] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    fiscal_year: FiscalYear | None = None
    # text files: the encoding the file was read in ("GB18030（GBK）", "UTF-8 (BOM)"), for `parse`;
    # not part of the model's dumps (a table is the same table in any encoding)
    encoding: str | None = Field(default=None, exclude=True)


# --------------------------------------------------------------------------- findings


class FindingFix(Model):
    """The new text of the cell and whether it is safe to apply without review."""

    text: str
    safe: bool = False


class Finding(Model):
    """What a rule found, about a cell (a row's 指标值 by default), a row, a table or the document.

    `location` has the file, the table position (1-based), the row, the column and the source line;
    `table_number` is the number printed in the table's title.
    """

    rule_id: str
    rule_name: str
    severity: Literal["error", "warning", "info"]
    message_zh: str
    message_en: str
    location: Location
    table_number: int | None = None
    project: str | None = None
    level1: str = ""
    level2: str = ""
    level3: str = ""
    description: str = ""
    value: str | None = None  # the raw 指标值
    target: Target | None = None
    fix: FindingFix | None = None
    rule_file: str | None = None
    block: Block | None = Field(None, exclude_if=_empty)  # the row's block in a two-target table (年度, 中期, 长期)
    table_form: Literal["self-evaluation"] | None = Field(None, exclude_if=_empty)  # Table.form

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int | None:
        return self.location.line

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.table or 0, loc.row or 0, self.rule_id, loc.line or 0)


# --------------------------------------------------------------------------- fast construction


_IMMUTABLE = (type(None), str, int, float, bool, tuple, frozenset, StrEnum)


@cache  # one function per class and names: a reader may ask for it per table (a budget's amounts)
def constructor(cls: type[BaseModel], *names: str) -> Any:
    """A function `build(*values)` that does what `cls.model_construct(**dict(zip(names, values)))` does, faster.

    For readers and the engine, which build many objects from values already valid (nothing is
    validated, as with model_construct). The object is filled the way model_construct fills it: every
    field in field order (the order the JSON output follows), the given values and the others'
    defaults (a default factory is called per object), the given names as the fields set, no extra,
    no private attributes. What makes it faster: the defaults are looked up here once, not per object
    (docs/performance.md has the figures).
    """
    fields = cls.model_fields
    if any(name not in fields for name in names) or len(set(names)) != len(names):
        raise TypeError(f"{cls.__name__}: unknown or repeated field in {names}")
    if cls.__pydantic_post_init__ or cls.__pydantic_root_model__ or cls.model_config.get("extra") == "allow":
        raise TypeError(f"{cls.__name__}: needs model_construct")
    template: dict[str, Any] = {}  # every field in field order: the defaults, and None where a value is given
    factories: list[tuple[str, Any]] = []
    for name, field in fields.items():
        if name in names:
            template[name] = None
        elif field.default_factory is not None:
            template[name] = None
            factories.append((name, field.default_factory))
        elif field.is_required():
            raise TypeError(f"{cls.__name__}: required field {name!r} must be given")
        elif isinstance(field.default, _IMMUTABLE):
            template[name] = field.default  # model_construct hands out this same object
        else:
            raise TypeError(f"{cls.__name__}: mutable default of {name!r}")
    given, count = frozenset(names), len(names)
    new = object.__new__
    # pydantic's slots (the attributes' dict and its bookkeeping), set through their descriptors as
    # model_construct does, without looking each up by name per object
    slots = vars(BaseModel)
    set_dict, set_fields, set_extra, set_private = (
        slots[name].__set__
        for name in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
    )
    copy_template = template.copy

    def build(*values: Any, **named: Any) -> Any:
        data = copy_template()
        if values:
            if len(values) != count:
                raise TypeError(f"{cls.__name__}: {count} values expected, {len(values)} given")
            data.update(zip(names, values))  # noqa: B905 - the lengths are equal
        if named:
            if not named.keys() <= given:
                raise TypeError(f"{cls.__name__}: unexpected field in {sorted(named)}")
            data.update(named)
        if factories:
            for name, factory in factories:
                data[name] = factory()
        model = new(cls)
        set_dict(model, data)  # a new object's attributes, all at once, as model_construct sets them
        set_fields(model, set(given))
        set_extra(model, None)
        set_private(model, None)
        return model

    build.__qualname__ = f"build_{cls.__name__}"
    return build
