"""The rule file schema (one YAML file per rule under rules/<family>/), as pydantic models.

The models are the single definition of the rule language: the loader validates with them,
`goallint schema rule` prints their JSON Schema, docs/rule-language.md describes them.
Keys are kebab-case in YAML (`comparator-text`), snake_case in Python.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

# Built-in families and the digit of their GL ids.
FAMILIES = {
    "notation": 1,
    "direction": 2,
    "plausibility": 3,
    "budget": 4,
    "time": 5,
    "measurability": 6,
    "structure": 7,
    "consistency": 8,
}

TARGET_KINDS = ("numeric", "range", "deadline", "duration", "schedule", "qualitative", "mixed", "empty", "unreadable")
UNREADABLE_REASONS = ("unknown_unit", "unit_without_number", "tangled", "too_long", "other")
COMPARATORS = {
    "≥": "≥",
    ">=": "≥",
    "≤": "≤",
    "<=": "≤",
    "＞": "＞",
    ">": "＞",
    "＜": "＜",
    "<": "＜",
    "＝": "＝",
    "=": "＝",
}

# Placeholders every message may use; a check adds its own (see engine.checks.register_check).
PLACEHOLDERS = {
    "indicator": "三级指标 (or 绩效指标描述 when 三级指标 is empty)",
    "value": "指标值 as written",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "绩效指标描述",
    "project": "项目名称 (or the table title)",
    "table": "the table number",
    "budget": "预算数 with its unit, e.g. 91.84万元",
    "table_unit": "the table's unit (元 / 万元)",
    "unit": "the unit of the value as written (%, 万元, 家…)",
    "number": "the number of the value as written",
    "comparator": "the comparator as written (≧, 不少于…)",
    "fiscal_year": "the fiscal year of the table",
    "period": "项目期 as written (`2024-2026年`), empty when the table has none",
    "period_start": "the first year of 项目期",
    "period_end": "the last year of 项目期",
    "expected": "what to write instead: the fixed cell when the rule has a fix",
    "reason": "why the value is unreadable (unknown_unit, tangled …)",
    "detail": "the part of an unreadable value that could not be read",
    "rule": "the rule id",
    "form": "a value of the form this indicator takes (≥95% for a rate, ≤20万元 for a cost, 2025年12月底前 for a time …)",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Text(Strict):
    """A text in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class TextZh(Strict):
    """A text in Chinese, optionally also in English."""

    zh: str = Field(min_length=1)
    en: str | None = None


StrList = str | list[str]


def as_list(value: StrList | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# --------------------------------------------------------------------------- text matchers


class Match(Strict):
    """How to match a piece of text. Several keys: all must hold."""

    is_: StrList | None = Field(None, alias="is", description="exactly this text (one of these)")
    alias: StrList | None = Field(
        None, description="this category name or any alias of it (rules/lexicon/category-aliases.yaml)"
    )
    contains: StrList | None = Field(None, description="contains this text (one of these)")
    regex: str | None = Field(None, description="Python regular expression, searched anywhere in the text")
    lexicon: StrList | None = Field(
        None, description="contains a word of this lexicon list (rules/lexicon/<name>.yaml)"
    )
    empty: bool | None = Field(None, description="true: the text is empty; false: it is not")
    not_: Match | None = Field(None, alias="not", description="the inner match must NOT hold")

    @field_validator("regex")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
        return value


# A bare string or list in a selector means `alias:` (the name or any alias of it).
Matcher = str | list[str] | Match


class Selector(Strict):
    """Which rows a rule looks at. Every key given must match (AND)."""

    level1: Matcher | None = Field(None, description="一级指标")
    level2: Matcher | None = Field(None, description="二级指标")
    level3: Matcher | None = Field(None, description="三级指标")
    description: Matcher | None = Field(None, description="绩效指标描述")
    indicator: Matcher | None = Field(None, description="三级指标 or 绩效指标描述 (either matches)")
    value: Matcher | None = Field(None, description="指标值 as written")
    any: list[Selector] | None = Field(None, description="at least one of these selectors matches")
    not_: Selector | None = Field(None, alias="not", description="this selector must NOT match")


# --------------------------------------------------------------------------- conditions

RowField = Literal["level1", "level2", "level3", "description", "value"]


def _parsed_comparison(value: str) -> str:
    """A comparison as written in a rule ('> 100', '< fiscal_year'): refused where it is written when it does
    not parse."""
    from goallint.engine.compare import parse_comparison

    parse_comparison(value)  # raises ValueError with a readable message
    return value


Comparison = Annotated[str, AfterValidator(_parsed_comparison)]


class WrittenYear(Strict):
    """Years written in cells as points in time (2023年12月底, 2023年度, 2022年上半年, a closing 2022年)."""

    compare: Comparison = Field(description="the comparison, e.g. '< fiscal_year', '> fiscal_year + 1'")
    in_: list[RowField] = Field(["value"], alias="in", description="the cells to read (default: the value)")


class SameText(Strict):
    """`field` repeats one of the cells `as` (both non-empty; spaces and punctuation ignored)."""

    field: RowField = Field("value", description="the cell that may repeat another (default: the value)")
    as_: list[RowField] = Field(alias="as", min_length=1, description="the cells it is compared with")


class Condition(Strict):
    """A test on the typed target of a row. Every key given must hold (AND).

    Numeric keys (comparator, unit…, number, quantity) look at the numbers of the target: a Numeric
    itself, both ends of a Range, the measure of a Mixed. They hold when some number satisfies them.
    """

    all: list[Condition] | None = Field(None, description="every one of these holds")
    any: list[Condition] | None = Field(None, description="at least one of these holds")
    not_: Condition | None = Field(None, alias="not", description="this condition does NOT hold")

    kind: StrList | None = Field(None, description=f"target kind, one of {', '.join(TARGET_KINDS)}")
    measure_kind: StrList | None = Field(
        None, alias="measure-kind", description="kind of the measurable part: the target itself or a Mixed's measure"
    )
    comparator: StrList | None = Field(
        None, description="canonical comparator (≥ ≤ ＞ ＜ ＝, or >= <= > < =); 'none' = no comparator"
    )
    comparator_text: StrList | None = Field(
        None, alias="comparator-text", description="comparator as written (≧, 不少于, 以上)"
    )
    unit: StrList | None = Field(None, description="registry unit name (percent, wan_yuan, jia…); 'none' = no unit")
    unit_text: StrList | None = Field(
        None, alias="unit-text", description="unit as written (百分比, 万元); 'none' = no unit"
    )
    magnitude_text: StrList | None = Field(
        None, alias="magnitude-text", description="magnitude word as written (千, 万, 亿); 'none' = none"
    )
    dimension: StrList | None = Field(
        None, description="unit dimension (currency, ratio, time, count, area…); 'none' = no unit"
    )
    percent: bool | None = Field(None, description="the number is a percentage")
    approximate: bool | None = Field(None, description="written with 约 / 左右")
    number: str | None = Field(None, description="compare the number (with 万/亿 applied): '> 100', '== 0', '< $floor'")
    quantity: str | None = Field(
        None,
        description="compare the quantity with units: '> 100 %', '> budget', '>= 50 万元', '< $satisfaction-floor %'",
    )
    year: str | None = Field(
        None,
        description="compare the year of a deadline/schedule: '> fiscal_year', '< fiscal_year - 1', "
        "'> period_end' (the last year of 项目期; false when the table states none)",
    )
    text: Matcher | None = Field(None, description="the whole value as written")
    rest: Matcher | None = Field(
        None,
        description="the words around the number: a Mixed's before+after, a Qualitative's text, an Unreadable's detail",
    )
    flag: StrList | None = Field(None, description="a Qualitative target carries this lexicon flag (vague, binary…)")
    reason: StrList | None = Field(
        None, description=f"why an Unreadable is unreadable: {', '.join(UNREADABLE_REASONS)}"
    )
    row: Selector | None = Field(
        None, description="the row matches this selector (to combine row names with value tests)"
    )
    written_year: WrittenYear | None = Field(
        None, alias="written-year", description="a year written as a point in time in the row's cells compares true"
    )
    same_text: SameText | None = Field(
        None, alias="same-text", description="one cell repeats another (compared without spaces and punctuation)"
    )
    no_direction: bool | None = Field(
        None,
        alias="no-direction",
        description="the target is split over columns and its 指标性质 cell gives no direction (blank, 定量), "
        "nor a 指标方向 cell",
    )
    block: StrList | None = Field(
        None, description="the row's block in a two-target table: 年度, 中期, 长期; 'none' = a table with one target"
    )
    period: bool | None = Field(
        None, description="true: the table's 项目期 gives its first and last year (`2024-2026年`); false: it does not"
    )
    param: dict[str, Any] | None = Field(
        None, description="each named rule parameter (after profile/config overrides) equals the given value"
    )

    @field_validator("kind", "measure_kind", "reason")
    @classmethod
    def _known(cls, value: StrList | None, info: ValidationInfo) -> StrList | None:
        """Each name of a kind (kind, measure_kind) or reason is one of the known ones."""
        noun, known = ("reason", UNREADABLE_REASONS) if info.field_name == "reason" else ("kind", TARGET_KINDS)
        for k in as_list(value):
            if k not in known:
                raise ValueError(f"unknown {noun} {k!r}; use one of {', '.join(known)}")
        return value

    @field_validator("comparator")
    @classmethod
    def _comparators(cls, value: StrList | None) -> StrList | None:
        for k in as_list(value):
            if k != "none" and k not in COMPARATORS:
                raise ValueError(f"unknown comparator {k!r}; use ≥ ≤ ＞ ＜ ＝ (or >= <= > < =) or none")
        return value

    @field_validator("number", "quantity", "year")
    @classmethod
    def _comparison(cls, value: str | None) -> str | None:
        return value if value is None else _parsed_comparison(value)


# --------------------------------------------------------------------------- fixes


class Fix(Strict):
    """A fix as data: the new text of one part of the value (or of the whole measure via a template).

    Exactly one of `map`, `with`, `template`.
    """

    part: Literal["comparator", "unit", "magnitude", "number", "value"] = Field(
        "value", description="which part of the value to replace ('value' = the whole cell)"
    )
    map: dict[str, str] | None = Field(
        None, description="old text of the part → new text; parts not listed are left alone"
    )
    with_: str | None = Field(None, alias="with", description="the new text of the part")
    template: str | None = Field(
        None,
        description="new text of the measurable part from its pieces: {comparator} (canonical glyph), "
        "{comparator_text}, {number}, {magnitude}, {unit}",
    )
    safe: bool = Field(False, description="true: the fix never changes the meaning and may be applied automatically")

    @model_validator(mode="after")
    def _one_way(self) -> Fix:
        given = [k for k in ("map", "with_", "template") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a fix needs exactly one of `map`, `with`, `template`")
        return self


# --------------------------------------------------------------------------- examples


class CellExample(Strict):
    """One indicator row: the value cell and, where the rule needs them, the indicator names."""

    value: str = Field("", description="指标值")
    level1: str = Field("", description="一级指标")
    level2: str = Field("", description="二级指标")
    level3: str = Field("", description="三级指标")
    description: str = Field("", description="绩效指标描述")
    comparator: str | None = Field(
        None, description="a target split over columns: the 指标性质 cell (≥, >=, 定性, '' for blank); value is 指标值"
    )
    unit: str | None = Field(None, description="a target split over columns: the 度量单位 cell")
    block: Literal["年度", "中期", "长期"] | None = Field(None, description="the row's block in a two-target table")
    period: str | None = Field(None, description="项目期 of the table as written, e.g. '2024-2026年'")
    fiscal_year: int | None = Field(None, alias="fiscal-year")
    budget: str | None = Field(None, description="预算数 of the table, e.g. '100 万元'")
    fix: str | None = Field(None, description="fail examples: the expected text after the fix")
    note: str | None = None


class TableExample(Strict):
    """A small table in the canonical table format (see `goallint schema table`)."""

    table: dict[str, Any] = Field(description="one table as in the `tables:` list of a canonical file")
    fiscal_year: int | None = Field(None, alias="fiscal-year")
    rows: list[int] | None = Field(None, description="fail examples: the row numbers (1-based) that must be reported")
    count: int | None = Field(None, description="fail examples: the number of findings expected")
    note: str | None = None


Example = str | CellExample | TableExample


class Examples(Strict):
    fail: list[Example] = Field(default_factory=list, description="must trigger the rule")
    pass_: list[Example] = Field(default_factory=list, alias="pass", description="must not trigger the rule")


# --------------------------------------------------------------------------- the rule


class Rule(Strict):
    """One rule file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, title="goallint rule file")

    id: str = Field(
        pattern=r"^[A-Z]{1,5}[0-9]{3}$", description="GL + 3 digits for built-ins; user rules their own prefix (TJ001)"
    )
    name: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", description="kebab-case name")
    family: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description=f"family: {', '.join(FAMILIES)} (or your own)")
    severity: Severity
    enabled: bool = True
    summary: Text
    message: Text
    explanation: TextZh
    scope: Literal["row", "table", "document"] = Field(
        "row", description="row rules run per indicator row; table/document rules need `check`"
    )
    selectors: Selector | None = None
    conditions: Condition | None = None
    check: str | None = Field(None, description="name of a registered Python check (table-level and cross-row checks)")
    params: dict[str, Any] = Field(
        default_factory=dict, description="parameters: for the check, and $name in comparisons"
    )
    fix: Fix | None = None
    part: Literal["comparator", "number", "unit"] | None = Field(
        None,
        description="a target split over columns (指标性质 | 指标值 | 度量单位): the cell findings point at "
        "(default: the cell the fix changes, else 指标值)",
    )
    supersedes: list[str] = Field(
        default_factory=list,
        description="rule ids this more specific rule replaces on the same cell: one cell, one story",
    )
    examples: Examples
    references: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.id.startswith("GL"):
            digit = FAMILIES.get(self.family)
            if digit is None:
                raise ValueError(f"built-in rule family {self.family!r} unknown; use one of {', '.join(FAMILIES)}")
            if self.id[2] != str(digit):
                raise ValueError(f"GL{digit}xx ids belong to family {self.family!r}; {self.id} does not")
        if self.scope != "row" and self.check is None:
            raise ValueError(f"scope {self.scope!r} needs a `check`")
        if self.check is None and self.conditions is None and self.selectors is None:
            raise ValueError("a rule needs `conditions`, `selectors` or a `check`")
        if not self.examples.fail or not self.examples.pass_:
            raise ValueError("examples need at least one `fail` and one `pass` example")
        return self


def json_schema() -> dict[str, Any]:
    schema = Rule.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://goallint.invalid/schema/rule.json",
        **schema,
        "description": "goallint rule file: one rule per YAML file under rules/<family>/",
    }
