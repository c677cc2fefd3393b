"""Header blocks as other regions write them (../shared/templates.md sections 1, 2 and 5), read from
real .docx (merged cells), .xlsx (merged ranges) and Word dump files built cell by cell."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from goallint import pipeline, readers
from goallint.readers import form_knowledge
from goallint.units import quantity

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from builders.layouts import C, Layout, write_layout_docx, write_layout_dump, write_layout_xlsx  # noqa: E402

WAN = "wan_yuan"

GRID5 = [
    ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
    ["产出指标", "数量指标", "举办展会场次", "全年举办展会场次", "≥3场"],
    ["满意度指标", "服务对象满意度指标", "参展企业满意度", "", "≥90%"],
]


def national_export(year_title: str = "项目支出绩效目标表（2024年度）") -> Layout:
    """templates.md 1: 项目名称 and 主管部门 on one row, 年度资金总额 | 其中：财政拨款 | 其他资金, 年度绩效目标."""
    return Layout(
        before=[year_title, "单位：万元"],
        rows=[
            ["项目名称", C("跨境电商统计体系建设", span=2), "主管部门", "[301]某市商务局"],
            ["年度资金总额", "30.00", "其中：财政拨款", "30.00", "其他资金", "0"],
            ["上年结转", "", C("", span=4)],
            ["年度绩效目标", C("1.完成全年跨境电商统计监测。\n2.形成季度分析报告。", span=4)],
            *GRID5,
        ],
    )


def older_ministry() -> Layout:
    """templates.md 2: 主管部门及代码, 实施单位, 项目属性, 项目期, 中期 and 年度 amounts side by side,
    总体目标 over 中期目标 | 年度目标."""
    return Layout(
        before=["项目支出绩效目标申报表", "（2024年度）"],
        rows=[
            ["项目名称", C("国际展会服务项目", span=4)],
            ["主管部门及代码", "[105]某省商务厅", "实施单位", C("某省国际展览中心", span=2)],
            ["项目属性", "延续项目", "项目期", C("2024-2026年", span=2)],
            [C("项目资金\n（万元）", down=3), "中期资金总额", "300", "年度资金总额", "100"],
            ["其中：财政拨款", "250", "其中：财政拨款", "80"],
            ["其他资金", "50", "其他资金", "20"],
            [C("总体目标", down=2), C("中期目标", span=2), C("年度目标", span=2)],
            [C("1.三年举办展会9场。\n2.服务企业2000家次。", span=2), C("1.全年举办展会3场。", span=2)],
            *GRID5,
        ],
    )


def unit_level() -> Layout:
    """templates.md 5: no 项目名称 (a unit-level table), the unit in a label：value cell, money in a sentence."""
    return Layout(
        before=["2024年度部门项目支出绩效目标表"],
        rows=[
            [C("单位名称：某市商务局", span=5)],
            ["年度资金总额", C("120万元（其中财政资金100万元）", span=4)],
            ["项目期", C("3年", span=4)],
            ["年度绩效目标", C("1.完成年度招商任务。", span=4)],
            *GRID5,
        ],
    )


def read_docx(tmp_path, *layouts) -> object:
    return readers.read(write_layout_docx(tmp_path / "t.docx", list(layouts)))


def read_xlsx(tmp_path, *layouts) -> object:
    # Excel has no paragraphs above a table: the lines above become merged cells of the first rows
    sheets = []
    for number, layout in enumerate(layouts, 1):
        width = max(sum(c.span if isinstance(c, C) else 1 for c in row) for row in layout.rows)
        rows = [[C(line, span=width)] for line in layout.before] + layout.rows
        sheets.append(Layout(rows=rows, sheet=f"表{number}"))
    return readers.read(write_layout_xlsx(tmp_path / "t.xlsx", sheets))


def read_dump(tmp_path, *layouts) -> object:
    # a Word dump: the title is the bookmark line, the other lines above the table are cells
    tables = [
        Layout(before=layout.before[:1], rows=[[line] for line in layout.before[1:]] + layout.rows)
        for layout in layouts
    ]
    return readers.read(write_layout_dump(tmp_path / "t.txt", tables))


READERS = {"docx": read_docx, "xlsx": read_xlsx, "dump": read_dump}


def codes(document) -> list[str]:
    return [p.code for p in document.problems]


# --------------------------------------------------------------------------- templates.md 1


@pytest.mark.parametrize("kind", READERS)
def test_national_export_header(kind, tmp_path):
    document = READERS[kind](tmp_path, national_export())
    table = document.tables[0]
    assert table.project == "跨境电商统计体系建设"
    assert table.supervisor.code == "301" and table.supervisor.name == "某市商务局"
    assert table.unit == "万元"
    assert table.budget.total == quantity(30, WAN)
    assert table.budget.fiscal == quantity(30, WAN)
    assert table.budget.other == quantity(0, WAN)
    assert table.budget.carryover is None  # left blank
    assert table.goals == ["完成全年跨境电商统计监测。", "形成季度分析报告。"]
    assert table.fiscal_year is None  # the reader leaves the title's year to fiscal_year.py
    assert "unparsed-cell" not in codes(document)
    assert len(table.rows) == 2


def test_fiscal_year_in_the_title_per_table(tmp_path):
    """One file, two tables of different years: each table keeps its own."""
    path = write_layout_docx(
        tmp_path / "two.docx",
        [national_export("2023年度项目支出绩效目标表"), national_export("项目支出绩效目标表（2024年度）")],
    )
    document = pipeline.load(path)
    assert [t.fiscal_year.year for t in document.tables] == [2023, 2024]
    assert all(t.fiscal_year.source == "stated" for t in document.tables)


# --------------------------------------------------------------------------- templates.md 2


@pytest.mark.parametrize("kind", READERS)
def test_older_ministry_header(kind, tmp_path):
    document = READERS[kind](tmp_path, older_ministry())
    table = document.tables[0]
    assert table.project == "国际展会服务项目"
    assert (table.supervisor.code, table.supervisor.name) == ("105", "某省商务厅")
    assert (table.implementer.code, table.implementer.name) == (None, "某省国际展览中心")
    assert table.attribute == "延续项目"
    assert (table.period.start, table.period.end, table.period.years) == (2024, 2026, 3)
    assert table.unit == "万元"  # from 项目资金（万元）
    assert table.mid_budget.total == quantity(300, WAN)
    assert table.mid_budget.fiscal == quantity(250, WAN)
    assert table.mid_budget.other == quantity(50, WAN)
    assert table.budget.total == quantity(100, WAN)
    assert table.budget.fiscal == quantity(80, WAN)
    assert table.budget.other == quantity(20, WAN)
    assert table.mid_goals == ["三年举办展会9场。", "服务企业2000家次。"]
    assert table.goals == ["全年举办展会3场。"]
    assert table.fiscal_year.year == 2024  # the line （2024年度） under the title
    assert "unparsed-cell" not in codes(document) and "bad-amount" not in codes(document)


def test_older_ministry_as_word_dump(tmp_path):
    layout = older_ministry()
    layout.rows.insert(0, ["（2024年度）"])
    document = readers.read(
        write_layout_dump(tmp_path / "t.txt", [Layout(before=["1.项目支出绩效目标申报表"], rows=layout.rows)])
    )
    assert document.format == "word-dump"
    table = document.tables[0]
    assert table.title == "项目支出绩效目标申报表"
    assert table.project == "国际展会服务项目"
    assert (table.supervisor.code, table.supervisor.name) == ("105", "某省商务厅")
    assert table.implementer.name == "某省国际展览中心"
    assert table.attribute == "延续项目"
    assert table.period.years == 3
    assert table.unit == "万元"
    assert (table.mid_budget.total, table.mid_budget.fiscal, table.mid_budget.other) == (
        quantity(300, WAN),
        quantity(250, WAN),
        quantity(50, WAN),
    )
    assert (table.budget.total, table.budget.fiscal, table.budget.other) == (
        quantity(100, WAN),
        quantity(80, WAN),
        quantity(20, WAN),
    )
    assert table.mid_goals == ["三年举办展会9场。", "服务企业2000家次。"]
    assert table.goals == ["全年举办展会3场。"]
    assert table.fiscal_year.year == 2024
    assert len(table.rows) == 2
    assert document.problems == []


def test_stacked_mid_amounts_in_a_word_dump(tmp_path):
    """中期资金总额 with its parts, then 年度资金总额 with its parts, one label/value pair per row."""
    rows = [
        ["项目名称", "展会服务"],
        ["单位：万元", ""],
        ["中期资金总额", "300"],
        ["其中：财政拨款", "250"],
        ["其他资金", "50"],
        ["年度资金总额", "100"],
        ["其中：财政拨款", "80"],
        ["其他资金", "20"],
        ["绩效目标", "1.举办展会3场。"],
        *GRID5,
    ]
    document = readers.read(write_layout_dump(tmp_path / "t.txt", [Layout(rows=rows)]))
    table = document.tables[0]
    assert (table.mid_budget.total, table.mid_budget.fiscal, table.mid_budget.other) == (
        quantity(300, WAN),
        quantity(250, WAN),
        quantity(50, WAN),
    )
    assert (table.budget.total, table.budget.fiscal, table.budget.other) == (
        quantity(100, WAN),
        quantity(80, WAN),
        quantity(20, WAN),
    )


# --------------------------------------------------------------------------- templates.md 5


@pytest.mark.parametrize("kind", READERS)
def test_unit_level_table_without_project_name(kind, tmp_path):
    document = READERS[kind](tmp_path, unit_level(), unit_level())
    first, second = document.tables
    assert first.project is None and second.project is None
    assert first.implementer.name == "某市商务局"
    assert first.budget.total == quantity(120, WAN)
    assert first.budget.fiscal == quantity(100, WAN)  # named in the sentence, no cell of its own
    assert first.period.years == 3 and first.period.start is None
    said = [p for p in document.problems if p.code == "no-project-name"]
    assert len(said) == 1  # said once per file, not per table
    assert "没有项目名称" in said[0].message and said[0].location.table == 1


def test_unknown_cell_is_one_warning_naming_it(tmp_path):
    layout = national_export()
    layout.rows.insert(2, ["填报人", "张三", C("联系电话 12345678", span=3)])
    document = read_xlsx(tmp_path, layout)
    unparsed = [p for p in document.problems if p.code == "unparsed-cell"]
    # 填报人 is no label, so it, 张三 and the phone cell are each named once (row 5: two title rows above)
    assert [p.location.cell for p in unparsed] == ["A5", "B5", "C5"]
    assert "填报人" in unparsed[0].message and "表1!A5" in unparsed[0].message
    assert document.tables[0].project == "跨境电商统计体系建设"  # the rest still read


def test_bad_amount_names_the_cell(tmp_path):
    layout = national_export()
    layout.rows[1][1] = "三十万"
    document = read_xlsx(tmp_path, layout)
    bad = [p for p in document.problems if p.code == "bad-amount"]
    assert len(bad) == 1 and "三十万" in bad[0].message and bad[0].location.cell == "B4"
    assert document.tables[0].budget.total is None


def test_label_and_value_in_a_paragraph_above_the_table(tmp_path):
    layout = national_export()
    layout.before.append("实施单位：某市电子商务促进中心")
    table = read_docx(tmp_path, layout).tables[0]
    assert table.implementer.name == "某市电子商务促进中心"


def test_label_and_value_in_one_cell(tmp_path):
    layout = national_export()
    layout.rows.insert(1, [C("项目期：2024年至2026年", span=3), C("预算年度：2024", span=2)])
    document = read_docx(tmp_path, layout)
    table = document.tables[0]
    assert (table.period.start, table.period.end) == (2024, 2026)
    assert table.fiscal_year.year == 2024 and "预算年度" not in codes(document)


# --------------------------------------------------------------------------- the shared knowledge


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("12.00", "12.00", None),
        ("1,200.50", "1200.50", None),
        ("１２０．５", "120.5", None),
        ("12 万元", "12", "万元"),
        ("300元", "300", "元"),
    ],
)
def test_amounts(text, number, unit):
    money = form_knowledge.parse_amount(text)
    assert str(money.number) == number and money.unit == unit


def test_money_in_a_sentence():
    money, parts = form_knowledge.amount_and_parts("120万元（其中财政资金100万元，其他资金20万元）", "total")
    assert (money.number, money.unit) == (120, "万元")
    assert {k: (m.number, m.unit) for k, m in parts.items()} == {"fiscal": (100, "万元"), "other": (20, "万元")}
    assert form_knowledge.amount_and_parts("约一百万", "total") == (None, {})


@pytest.mark.parametrize(
    ("text", "start", "end", "years"),
    [
        ("2024-2026年", 2024, 2026, 3),
        ("2024年至2026年", 2024, 2026, 3),
        ("3年", None, None, 3),
        ("三年", None, None, 3),
    ],
)
def test_project_period(text, start, end, years):
    period = form_knowledge.project_period(text)
    assert (period.start, period.end, period.years) == (start, end, years)


def test_goals_split_alike_everywhere():
    lines = ["1.第一项", "接续", "2、第二项", "3．第三项"]
    assert form_knowledge.split_goals(lines) == ["第一项接续", "第二项", "第三项"]
    assert form_knowledge.split_goals(lines, joiner="\n") == ["第一项\n接续", "第二项", "第三项"]


def test_code_and_name():
    assert form_knowledge.code_and_name("[105]某省商务厅") == ("105", "某省商务厅")
    assert form_knowledge.code_and_name("某省商务厅（105001）") == ("105001", "某省商务厅")
    assert form_knowledge.code_and_name("某省商务厅") == (None, "某省商务厅")


def test_carryover_is_part_of_the_total(tmp_path):
    """年度资金总额 = 财政拨款 + 上年结转 + 其他资金: GL403 does not fire when 上年结转 makes up the difference."""
    from goallint.config import Settings
    from goallint.engine.loader import load_rules
    from goallint.engine.runner import Engine

    layout = national_export()
    layout.rows[1] = ["年度资金总额", "30.00", "其中：财政拨款", "25.00", "其他资金", "0"]
    layout.rows[2] = ["上年结转", "5.00", C("", span=4)]
    engine = Engine(load_rules(plugins=False), Settings(select=["GL403"]))
    document = pipeline.load(write_layout_docx(tmp_path / "c.docx", [layout]))
    assert document.tables[0].budget.carryover == quantity(5, WAN)
    assert [f.rule_id for f in engine.check(document)] == []
    layout.rows[2] = ["上年结转", "", C("", span=4)]
    document = pipeline.load(write_layout_docx(tmp_path / "d.docx", [layout]))
    assert [f.rule_id for f in engine.check(document)] == ["GL403"]
