"""Selectors and conditions compiled from YAML-shaped dicts, on hand-built and parsed targets."""

from __future__ import annotations

import pytest

from goallint.engine.compile import RowView, compile_condition, compile_fix, compile_selector
from goallint.engine.schema import Condition, Fix, Selector
from goallint.model import (
    Budget,
    Deadline,
    IndicatorRow,
    Location,
    Mixed,
    Numeric,
    Qualitative,
    Table,
    Unreadable,
)
from goallint.units import quantity
from goallint.values import parse_value


def view(value="", level1="", level2="", level3="", description="", target=None, budget=None, fy=None, params=None):
    row = IndicatorRow(
        level1=level1,
        level2=level2,
        level3=level3,
        description=description,
        value=value,
        location=Location(file="t", table=1, row=1),
    )
    row.target = target if target is not None else parse_value(value)
    table = Table(unit="万元", budget=Budget(total=budget), location=Location(file="t", table=1))
    return RowView(row, table, fy, params or {})


def cond(lexicons, **data):
    return compile_condition(Condition.model_validate(data), lexicons)


def sel(lexicons, **data):
    return compile_selector(Selector.model_validate(data), lexicons)


def test_selector_alias_matches_category_variants(lexicons):
    s = sel(lexicons, level2="社会效益指标")
    assert s(view(level2="社会效益"))
    assert s(view(level2="社会效益指标"))
    assert not s(view(level2="经济效益指标"))
    exact = sel(lexicons, level2={"is": "社会效益指标"})
    assert not exact(view(level2="社会效益"))


def test_selector_regex_lexicon_any_not(lexicons):
    s = sel(lexicons, indicator={"lexicon": "cost"})
    assert s(view(level3="项目金额")) and s(view(description="活动成本")) and not s(view(level3="参展企业数量"))
    r = sel(lexicons, level3={"regex": "率$"})
    assert r(view(level3="培训合格率")) and not r(view(level3="合格率说明"))
    combo = sel(
        lexicons, any=[{"level2": "成本指标"}, {"level1": "成本指标"}], **{"not": {"level3": {"contains": "租"}}}
    )
    assert combo(view(level1="成本指标", level3="活动成本"))
    assert not combo(view(level2="成本指标", level3="场地租赁费"))
    assert not combo(view(level2="数量指标", level3="活动成本"))


def test_kind_and_comparator(lexicons):
    c = cond(lexicons, kind="numeric", comparator=[">="])
    assert c(view("≥90%")) and c(view("不少于50家")) and not c(view("≤5万元")) and not c(view("有效提升"))
    none = cond(lexicons, comparator="none")
    assert none(view("100%")) and not none(view("≥100%"))
    assert cond(lexicons, **{"comparator-text": ["≧"]})(view("≧2次"))
    assert not cond(lexicons, **{"comparator-text": ["≧"]})(view("≥2次"))


def test_mixed_numeric_conditions_look_at_measure(lexicons):
    t = parse_value("获得企业对天津满意度达到99%")
    assert isinstance(t, Mixed)
    v = view(target=t)
    assert cond(lexicons, percent=True, quantity="> 98 %")(v)
    assert not cond(lexicons, kind="numeric")(v)
    assert cond(lexicons, **{"measure-kind": "numeric"})(v)
    assert cond(lexicons, rest={"lexicon": "satisfaction"})(v)


def test_units_dimension_magnitude(lexicons):
    assert cond(lexicons, unit="wan_yuan", dimension="currency")(view("≤23.38万元"))
    assert cond(lexicons, **{"unit-text": ["百分比"]})(view("≥90百分比"))
    bare = cond(lexicons, **{"magnitude-text": "万"}, unit="none")
    assert bare(view("≤121.2万")) and not bare(view("≤121.2万元")) and not bare(view("≥39万次"))


def test_number_and_quantity_comparisons(lexicons):
    assert cond(lexicons, number="> 100")(view("≥120%"))
    assert not cond(lexicons, number="> 100")(view("≥90%"))
    assert cond(lexicons, number=">= 390000")(view("≥39万次"))  # magnitude applied
    over = cond(lexicons, quantity="> 100 %")
    assert over(view("≥120%")) and not over(view("100%")) and not over(view("≥120家"))
    # 8万元 against a budget of 5万元 held in 元
    budget = quantity(50000, "yuan")
    assert cond(lexicons, quantity="> budget")(view("≤8万元", budget=budget))
    assert not cond(lexicons, quantity="> budget")(view("≤3万元", budget=budget))
    assert not cond(lexicons, quantity="> budget")(view("≤8万元"))  # no budget: does not hold
    assert cond(lexicons, quantity="< $floor %")(view("≥80%", params={"floor": 85}))
    assert not cond(lexicons, quantity="< $floor %")(view("≥90%", params={"floor": 85}))


def test_range_numbers_both_ends(lexicons):
    c = cond(lexicons, quantity="> 100 %")
    assert c(view("90%-120%")) and not c(view("80%-90%"))


def test_year_against_fiscal_year(lexicons):
    d = Deadline(raw="2026年底前完成", year=2026, period="year_end", bound="before")
    assert cond(lexicons, year="> fiscal_year")(view(target=d, fy=2025))
    assert not cond(lexicons, year="> fiscal_year")(view(target=d, fy=2026))
    assert cond(lexicons, year="== fiscal_year + 1")(view(target=d, fy=2025))
    assert not cond(lexicons, year="> fiscal_year")(view(target=d))  # unknown fiscal year


def test_flags_reason_text_and_boolean_ops(lexicons):
    q = Qualitative(raw="有效提升", text="有效提升", flags=["vague"])
    assert cond(lexicons, flag="vague")(view(target=q)) and not cond(lexicons, flag="binary")(view(target=q))
    u = Unreadable(raw="≥5官方报道信息数量", reason="unknown_unit", detail="官方报道信息数量")
    assert cond(lexicons, reason=["unknown_unit", "tangled"])(view(target=u))
    assert not cond(lexicons, reason="too_long")(view(target=u))
    assert cond(lexicons, text={"regex": r"^≥\d"})(view(target=u, value="≥5官方报道信息数量"))
    either = cond(lexicons, any=[{"kind": "empty"}, {"reason": "unit_without_number"}])
    assert either(view("")) and either(view("万元")) and not either(view("≥5篇"))
    assert cond(lexicons, **{"not": {"kind": "numeric"}})(view("有效提升"))
    assert cond(lexicons, all=[{"kind": "numeric"}, {"percent": True}])(view("95%"))
    assert cond(lexicons, percent=False)(view("≥5篇")) and not cond(lexicons, percent=False)(view("有效提升"))


def test_row_condition(lexicons):
    c = cond(lexicons, unit="none", row={"level2": "成本指标"})
    assert c(view("≤95", level2="成本指标")) and not c(view("≤95", level2="数量指标"))


def test_hand_built_numeric_target(lexicons):
    n = Numeric(
        raw="≧90%",
        comparator="≥",
        comparator_text="≧",
        number=90,
        number_text="90",
        unit="percent",
        unit_text="%",
        dimension="ratio",
        spans={"comparator": (0, 1), "number": (1, 3), "unit": (3, 4)},
    )
    v = view(target=n, value="≧90%")
    assert cond(lexicons, **{"comparator-text": "≧"}, percent=True)(v)
    fix = compile_fix(Fix.model_validate({"part": "comparator", "map": {"≧": "≥"}, "safe": True}))
    assert fix(v) == "≥90%"


@pytest.mark.parametrize(
    "fix, value, expected",
    [
        ({"part": "comparator", "map": {"≧": "≥", "≦": "≤"}}, "≦4000万元", "≤4000万元"),
        ({"part": "comparator", "map": {"≧": "≥"}}, "≥90%", None),
        ({"part": "magnitude", "with": "万元"}, "总预算不高于324万", "总预算不高于324万元"),
        ({"template": "{comparator}{number}%"}, "百分之95", "95%"),
        ({"template": "{comparator}{number}%"}, "≥90百分比", "≥90%"),
        ({"part": "unit", "map": {"百分比": "%"}}, "80百分比-90百分比", "80%-90%"),
        ({"part": "value", "with": "≥90%"}, "较好", "≥90%"),
    ],
)
def test_fix_as_data(fix, value, expected):
    assert compile_fix(Fix.model_validate(fix))(view(value)) == expected


def test_fix_needs_exactly_one_way():
    with pytest.raises(ValueError):
        Fix.model_validate({"part": "unit", "with": "%", "map": {"a": "b"}})
    with pytest.raises(ValueError):
        Fix.model_validate({"part": "unit"})
