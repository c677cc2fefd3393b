"""Targeted cases for every construct of the indicator-value grammar."""

import pytest

from goallint.model import Comparator
from goallint.values import clear_cache, parse_value, render


def p(text):
    return parse_value(text)


def part(t, name):
    a, b = t.spans[name]
    return t.raw[a:b]


# ------------------------------------------------------------------ comparators and glyphs
@pytest.mark.parametrize(
    "text,cmp,written",
    [
        ("≥90%", Comparator.GE, "≥"),
        (">=90%", Comparator.GE, ">="),
        ("≧90%", Comparator.GE, "≧"),
        ("≤5%", Comparator.LE, "≤"),
        ("<=5%", Comparator.LE, "<="),
        ("≦4000万元", Comparator.LE, "≦"),
        ("＞10条", Comparator.GT, ">"),
        (">10条", Comparator.GT, ">"),
        ("<24小时", Comparator.LT, "<"),
        ("＝3个", Comparator.EQ, "="),
        ("不少于50家", Comparator.GE, "不少于"),
        ("不低于150人", Comparator.GE, "不低于"),
        ("至少3次", Comparator.GE, "至少"),
        ("超过5次", Comparator.GT, "超过"),
        ("不超过110万元", Comparator.LE, "不超过"),
        ("不高于324万", Comparator.LE, "不高于"),
        ("低于5次", Comparator.LT, "低于"),
        ("不到5次", Comparator.LT, "不到"),
        ("50家以上", Comparator.GE, "以上"),
        ("5万元以内", Comparator.LE, "以内"),
        ("3次以下", Comparator.LE, "以下"),
    ],
)
def test_comparators(text, cmp, written):
    t = p(text)
    assert t.kind == "numeric" and t.comparator == cmp
    # full-width ＞ ＝ are folded for parsing, but the span points at the glyph as written
    assert part(t, "comparator") in (written, text[t.spans["comparator"][0] : t.spans["comparator"][1]])
    assert t.comparator_text in (written, part(t, "comparator"))


def test_fullwidth_glyph_kept_in_raw_and_span():
    t = p("＞１０条")
    assert t.number == 10 and part(t, "comparator") == "＞" and part(t, "number") == "１０"


def test_approximate():
    t = p("约6952平方米")
    assert t.approximate and t.dimension == "area" and t.base_value == 6952 and render(t) == "约6952平方米"
    assert p("100人左右").approximate


# ------------------------------------------------------------------ numbers and magnitudes
def test_magnitude_before_counting_unit():
    t = p("≥39万次")
    assert (t.number, t.magnitude, t.magnitude_text, t.unit, t.unit_text) == (39, 10000, "万", "ci", "次")
    assert t.value == 390000 and t.base_value == 390000 and t.dimension == "count"
    assert part(t, "number") == "39" and part(t, "magnitude") == "万" and part(t, "unit") == "次"
    assert render(t) == "≥39万次"


def test_bare_wan_has_no_unit():
    t = p("≤121.2万")
    assert t.unit is None and t.magnitude == 10000 and t.magnitude_text == "万" and t.dimension is None
    assert t.base_value == pytest.approx(1212000)


def test_currency_units():
    assert p("≥3亿元").unit == "yi_yuan" and p("≥3亿元").base_value == 3e8
    t = p("≤23.38万元")
    assert t.unit == "wan_yuan" and t.magnitude == 1 and t.base_value == pytest.approx(233800) and t.base_unit == "yuan"
    assert render(t) == "≤23.38万元"


def test_thousand_and_separators():
    t = p("≥1千人")
    assert t.magnitude == 1000 and t.unit == "ren" and t.base_value == 1000
    t = p("≥1,000家")
    assert t.number == 1000 and t.number_text == "1,000"


@pytest.mark.parametrize("text,n", [("三个", 3), ("十二次", 12), ("两场", 2), ("二十五人", 25), ("一百家", 100)])
def test_chinese_numerals(text, n):
    t = p(text)
    assert t.kind == "numeric" and t.number == n


@pytest.mark.parametrize(
    "text,unit_text,base",
    [("90%", "%", 0.9), ("≥90百分比", "百分比", 0.9), ("≥90百分之", "百分之", 0.9)],
)
def test_percent_spellings(text, unit_text, base):
    t = p(text)
    assert t.unit == "percent" and t.unit_text == unit_text and t.base_value == pytest.approx(base)
    assert t.dimension == "ratio" and t.base_unit == "fraction"


def test_percent_written_before():
    t = p("百分之90")
    assert t.kind == "numeric" and t.unit == "percent" and t.unit_text == "百分之" and t.number == 90


@pytest.mark.parametrize(
    "text,dimension,base,base_unit",
    [
        ("≤30分钟", "time", 0.5, "hour"),
        ("≤4小时", "time", 4, "hour"),
        ("≤3工作日", "time", 72, "hour"),
        ("≥1年", "time", 8760, "hour"),
        ("≤12月", "time", 8640, "hour"),
        ("≤45天", "time", 1080, "hour"),
        ("≥12次/年", "rate", None, "ci/hour"),
        ("≤1次/季", "rate", None, "ci/hour"),
        ("≥90幅/期", "rate", 90, "fu/qi"),
        ("≥110万平米", "area", 1100000, "square_meter"),
        ("≥95000TEU", "count", 95000, "teu"),
        ("≥1倍", "multiple", 1, "bei"),
        ("≥2000人次", "count", 2000, "renci"),
        ("≥2国别", "count", 2, "guobie"),
        ("≥9个项目", "count", 9, "xiangmu"),
        ("不少于3199.8亿元人民币", "currency", 3.1998e11, "yuan"),
    ],
)
def test_dimensions(text, dimension, base, base_unit):
    t = p(text)
    assert t.kind == "numeric" and t.dimension == dimension and t.base_unit == base_unit
    if base is not None:
        assert t.base_value == pytest.approx(base)


# ------------------------------------------------------------------ ranges
@pytest.mark.parametrize("text,lo,hi", [("80%-90%", 0.8, 0.9), ("80%～90%", 0.8, 0.9), ("3-5个", 3, 5)])
def test_ranges(text, lo, hi):
    t = p(text)
    assert t.kind == "range" and t.low.base_value == pytest.approx(lo) and t.high.base_value == pytest.approx(hi)
    assert t.low.unit == t.high.unit


def test_range_render():
    assert render(p("80%-90%")) == "80%-90%"


# ------------------------------------------------------------------ deadlines
@pytest.mark.parametrize(
    "text,fields",
    [
        ("2025年12月底前完成", dict(year=2025, month=12, period="month_end", bound="before", text="完成")),
        ("2025年底", dict(year=2025, month=None, period="year_end", bound="at", text="")),
        ("2025年3月底前完成拨付", dict(year=2025, month=3, period="month_end", bound="before", text="完成拨付")),
        ("2022年下半年", dict(year=2022, half=2)),
        ("2022年上半年", dict(year=2022, half=1)),
        ("2025年12月31日前", dict(year=2025, month=12, day=31, bound="before")),
        ("2025全年底前完成", dict(year=2025, period="year_end", period_text="全年底", bound="before", text="完成")),
        ("12月底前", dict(year=None, month=12, period="month_end", bound="before")),
        ("2025年年内完成拨付", dict(year=2025, period="within_year", text="完成拨付")),
        ("2025年8月前", dict(year=2025, month=8, bound="before", bound_text="前")),
        ("2022年度", dict(year=2022, period="full_year")),
        ("2022年", dict(year=2022, month=None, period=None)),
        ("2025年第二季度末前", dict(year=2025, quarter=2, period="quarter_end")),
    ],
)
def test_deadlines(text, fields):
    t = p(text)
    assert t.kind == "deadline", t
    for k, v in fields.items():
        assert getattr(t, k) == v, k


def test_deadline_spans_and_render():
    t = p("2025年12月底前")
    assert part(t, "year") == "2025年" and part(t, "month") == "12" and part(t, "bound") == "前"
    assert render(t) == "2025年12月底前"


def test_bad_dates_are_not_deadlines():
    assert p("2025年13月底前").kind != "deadline"
    assert p("2025年2月30日前").kind != "deadline"


# ------------------------------------------------------------------ durations and schedules
def test_duration_within():
    t = p("12个月内完成")
    assert t.kind == "duration" and t.number == 12 and t.unit == "month" and t.within and t.after == "完成"
    assert t.base_value == 12 * 30 * 24


def test_duration_with_anchor():
    t = p("合同签署3个月内完成测评工作")
    assert (t.kind, t.before, t.after, t.number, t.within) == ("duration", "合同签署", "完成测评工作", 3, True)
    assert part(t, "number") == "3"


def test_duration_product():
    t = p("7*24小时")
    assert t.kind == "duration" and t.factors == [7, 24] and t.number == 168 and t.base_value == 168
    assert p("7×24小时").factors == [7, 24]


def test_schedule_months():
    t = p("4月、7月、10月")
    assert t.kind == "schedule" and t.months == [4, 7, 10]


def test_schedule_quarters():
    t = p("二季度完成亚布力论坛等活动；四季度赴外埠参加中阿博览会等展会活动")
    assert t.kind == "schedule" and t.quarters == [2, 4]


def test_bare_month_is_a_month_not_a_duration():
    assert p("12月").kind == "deadline" and p("12月").month == 12
    assert p("12个月").kind == "numeric" and p("12个月").dimension == "time"


# ------------------------------------------------------------------ mixed
@pytest.mark.parametrize(
    "text,before,after,cmp,base",
    [
        ("一年内低于5次", "一年内", "", Comparator.LT, 5),
        ("考察对象不少于三个地区", "考察对象", "地区", Comparator.GE, 3),
        ("获得企业对天津满意度达到99%", "获得企业对天津满意度", "", Comparator.GE, 0.99),
        ("总参会规模不少于40人", "总参会规模", "", Comparator.GE, 40),
        ("企业满意度95%", "企业满意度", "", None, 0.95),
    ],
)
def test_mixed(text, before, after, cmp, base):
    t = p(text)
    assert t.kind == "mixed" and t.before == before and t.after == after
    assert t.measure.comparator == cmp and t.measure.base_value == pytest.approx(base)
    a, b = t.spans["measure"]
    assert t.measure.raw == text[a:b]


def test_mixed_with_duration():
    t = p("运维期间，保障故障出现12小时内响应处置")
    assert t.kind == "mixed" and t.measure.kind == "duration" and t.measure.base_value == 12
    assert t.before == "运维期间，保障故障出现" and t.after == "响应处置"


def test_mixed_across_a_line_break():
    t = p("总预算不高于\n324万")
    assert t.kind == "mixed" and t.measure.magnitude == 10000 and t.measure.unit is None
    assert part(t, "number") == "324"


# ------------------------------------------------------------------ qualitative, empty, unreadable
def test_qualitative_flags():
    # every lexicon list flags the text (有效提升 is also a `change`); these two are about values
    def flags(text):
        return [f for f in p(text).flags if f in ("vague", "binary")]

    assert flags("有效提升") == ["vague"] and "change" in p("有效提升").flags
    assert flags("持续优化") == ["vague"]
    assert flags("符合") == ["binary"] and flags("是") == ["binary"]
    assert flags("支持各类主流硬件设备") == []
    assert p("是否").flags == []  # one-char words match a whole cell only


@pytest.mark.parametrize("text", ["", "   ", "\n", "/", "-", "—", "／"])
def test_empty(text):
    assert p(text).kind == "empty"


def test_none_is_a_statement():
    assert p("无").kind == "qualitative"


@pytest.mark.parametrize(
    "text,reason,detail",
    [
        ("≥5官方报道信息数量", "unknown_unit", "官方报道信息数量"),
        ("万元", "unit_without_number", "万元"),
        ("%", "unit_without_number", "%"),
        ("≥万元", "unit_without_number", "万元"),
        ("≥1工作日平均每天发送", "tangled", "工作日平均每天发送"),
    ],
)
def test_unreadable(text, reason, detail):
    t = p(text)
    assert t.kind == "unreadable" and t.reason == reason and t.detail == detail


def test_never_a_wrong_numeric():
    assert p("≥5官方报道").kind == "unreadable"
    assert p("≥1工作日平均").kind == "unreadable"


def test_cache_returns_same_object():
    clear_cache()
    assert p("≥90%") is p("≥90%")
