"""The acceptance sweep of issue 17: tables of other regions as a new user has them (../shared/templates.md 1–5),
built the way real files vary, with what a person counts in each.

Each `Case` is one file: its tables laid out cell by cell (`builders.layouts.Layout`, merges as `C`), with a
title and a 单位 line above the table, merged header cells over several rows, line breaks inside cells, stray
spaces, full-width punctuation, a 合计 or 总分 row, a 填表人/联系电话 footer, an empty trailing row, a table
continued in a second Word table, several projects in one file, and what a person reads from it: the indicator
rows (categories, name, target as written, block), the project, the annual total in 元 and the fiscal year.

`write(case, kind, folder)` writes it as .docx, .xlsx or the Word text dump in GBK; .pdf and .doc are
LibreOffice conversions of the .docx, .xls of the .xlsx (`builders.helpers.convert`). Run this file to print
the sweep table (`python tests/builders/sweep_tables.py [folder]`, docs/layouts.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

try:
    from .layouts import C, Layout, write_layout_docx, write_layout_dump, write_layout_xlsx
except ImportError:  # run as a script
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from builders.layouts import C, Layout, write_layout_docx, write_layout_dump, write_layout_xlsx


@dataclass
class Expected:
    rows: list[tuple[str, str, str, str, str | None]]  # canonical 一级, 二级, 三级 name, target as written, block
    project: str | None
    total_yuan: float | None
    year: int | None
    form: str | None = None


@dataclass
class Case:
    name: str
    template: str  # templates.md section
    tables: list[Layout]  # Word tables in order (a continuation is a table without `before`)
    expected: list[Expected]  # per table a person counts (a continued table is one)
    sheets: bool = False  # .xlsx: one sheet per project instead of all stacked in one sheet
    width: int = 0
    dump: bool = True  # whether the Word text dump applies
    notes: list[str] = field(default_factory=list)


def _footer(width: int) -> list[list[str | C]]:
    return [
        [C("填表人：张  三        联系电话：0571-87654321        填报日期：2024年1月10日", span=width)],
        [""] * width,  # an empty trailing row
    ]


def _grid(rows: list[list[str]], merge_col0: bool = True) -> list[list[str | C]]:
    """Indicator rows with the 一级指标 column merged down over equal runs (as Word and Excel tables print)."""
    out: list[list[str | C]] = []
    i = 0
    while i < len(rows):
        j = i
        while merge_col0 and j + 1 < len(rows) and rows[j + 1][0] == rows[i][0]:
            j += 1
        out.append([C(rows[i][0], down=j - i + 1) if j > i else rows[i][0], *rows[i][1:]])
        out += [list(r[1:]) for r in rows[i + 1 : j + 1]]
        i = j + 1
    return out


# --------------------------------------------------------------------------- 1. the national export


def export_one_level() -> Case:
    width = 7
    head = [
        ["项目名称", C("跨境电商统计体系建设", span=3), "主管部门", C("某市商务局", span=2)],
        ["年度资金总额", "30.00", "其中：财政拨款", "30.00", "其他资金", C("0", span=2)],
        ["年度绩效目标", C("1.完成全年跨境电商统计监测。\n2.服务跨境电商企业200家以上。", span=6)],
        ["一级\n指标", "二级指标", "三级指标", "指标性质", "*指标值", " 度量单位 ", "权重（%）"],
    ]
    body = [
        ["产出指标", "数量指标", "监测企业数量", "≥", "200", "家", "20"],
        ["产出指标", "数量指标", "开展跨境电商\n业务培训场次", " ≥ ", "6", "场", "10"],
        ["产出指标", "质量指标", "统计数据准确率", "≥", "95", "%", "10"],
        ["产出指标", "时效指标", "统计报告报送及时率", "＝", "100", "%", "10"],
        ["成本指标", "经济成本指标", "项目总成本", "≤", "30", "万元", "10"],
        ["效益指标", "社会效益\n指标", "跨境电商企业数量增长率", "≥", "5", "%", "15"],
        ["效益指标", "可持续影响指标", "统计监测机制运行年限", "≥", "3", "年", "10"],
        ["满意度指标", "服务对象满意度指标", "企业满意度", "≥", "90", "%", "15"],
    ]
    rows = head + _grid(body) + [[C("合计", span=6), "100"], *_footer(width)]
    expected = Expected(
        rows=[(a, b, c, f"{d.strip()}{v}{u}", None) for a, b, c, d, v, u, _ in body],
        project="跨境电商统计体系建设",
        total_yuan=300000.0,
        year=2024,
    )
    return Case(
        "export-one-level",
        "1",
        [Layout(rows=rows, before=["2024年度项目支出绩效目标表", "单位：万元"])],
        [expected],
        width=width,
    )


def export_two_level() -> Case:
    """指标值 merged over 指标性质 | 指标值 | 计量单位, 指标值类型, 指标解释, 评(扣)分标准, ASCII comparators,
    指标性质 blank on qualitative rows, the table continued in a second Word table with its header repeated."""
    width = 10
    head = [
        ["项目名称", C("外贸企业培训", span=4), "主管部门及代码", C("[301]某市商务局", span=4)],
        ["年度资金总额", C("20.00", span=2), "其中：财政拨款", C("20.00", span=2), "其他资金", C("0.00", span=3)],
        ["年度绩效目标", C("全年培训外贸企业500人次，提升企业外贸业务能力。", span=9)],
    ]
    header = [
        [
            C("一级指标", down=2),
            C("二级指标", down=2),
            C("三级指标", down=2),
            C("指标值类型", down=2),
            C("指标值", span=3),
            C("指标解释", down=2),
            C("评(扣)分标准", down=2),
            C("权重\n(%)", down=2),
        ],
        ["指标性质", "*指标值", "计量单位"],
    ]
    body = [
        [
            "产出指标",
            "数量指标",
            "培训企业人次",
            "定量",
            ">=",
            "500",
            "人次",
            "参训企业人次",
            "完成得满分，未完成按比例扣分",
            "20",
        ],
        ["产出指标", "数量指标", "编印培训教材", "定量", "", "500", "册", "教材册数", "按比例扣分", "10"],
        [
            "产出指标",
            "质量指标",
            "培训合格率",
            "定量",
            ">=",
            "90",
            "%",
            "考试合格人数占参训人数比例",
            "低于90%不得分",
            "20",
        ],
        [
            "产出指标",
            "时效指标",
            "培训完成时间",
            "定性",
            "",
            "2024年12月底前",
            "",
            "全部培训完成时间",
            "逾期不得分",
            "10",
        ],
        [
            "成本指标",
            "经济成本指标",
            "人均培训成本",
            "定量",
            "<=",
            "400",
            "元/人次",
            "总成本除以人次",
            "超出不得分",
            "10",
        ],
        [
            "效益指标",
            "社会效益指标",
            "企业外贸业务能力",
            "定性",
            "",
            "明显提升",
            "",
            "培训后企业反馈",
            "酌情扣分",
            "15",
        ],
        [
            "满意度指标",
            "服务对象满意度指标",
            "参训企业满意度",
            "定量",
            ">=",
            "95",
            "%",
            "问卷调查",
            "每低1%扣1分",
            "15",
        ],
    ]
    first = head + header + _grid(body[:4])
    second = header + _grid(body[4:]) + [[C("合计", span=9), "100"], *_footer(width)]
    glyph = {">=": "≥", "<=": "≤"}
    expected = Expected(
        rows=[(a, b, c, f"{glyph.get(d, d)}{v}{u}", None) for a, b, c, _, d, v, u, *_ in body],
        project="外贸企业培训",
        total_yuan=200000.0,
        year=2024,
    )
    return Case(
        "export-two-level",
        "1",
        [Layout(rows=first, before=["项目支出绩效目标表", "（2024年度）", "金额单位：万元"]), Layout(rows=second)],
        [expected],
        width=width,
        notes=["two Word tables"],
    )


def export_two_projects() -> Case:
    """指标方向 instead of 指标性质 beside a plain 指标值 holding comparator and number, two projects in one
    file, the title inside the table."""
    width = 7
    tables, expected = [], []
    for name, total, base in (("展会补助资金", "120万元（其中财政资金100万元）", 1), ("口岸运行维护", "80.00", 3)):
        head = [
            [C("2025年度项目支出绩效目标表", span=width)],
            [C("单位：万元", span=width)],
            ["项目名称", C(name, span=6)],
            ["资金总额", C(total, span=6)],
            ["年度目标", C("保障项目顺利实施。", span=6)],
        ]
        if base == 1:
            head.append(["一级指标", "二级指标", "三级指标", "指标方向", "指标值", "计量单位", "分值"])
        else:  # 绩效指标 merged over the three names, the other headers merged down beside them
            head.append([C("绩效指标", span=3), *(C(h, down=2) for h in ("指标方向", "指标值", "计量单位", "分值"))])
            head.append(["一级指标", "二级指标", "三级指标"])
        body = [
            ["产出指标", "数量指标", f"补助企业数量{base}", "正向", f"≥{10 * base}", "家", "30"],
            ["产出指标", "质量指标", "资金拨付准确率", "正向", "100", "%", "20"],
            ["产出指标", "时效指标", "资金拨付时间", "", "2025年10月底前", "", "10"],
            ["效益指标", "经济效益指标", "带动企业出口额增长", "正向", "≥5", "%", "20"],
            ["满意度指标", "服务对象满意度指标", "受益企业满意度", "正向", "≥ 90", "%", "20"],
        ]
        tables.append(Layout(rows=head + _grid(body) + _footer(width)))
        expected.append(
            Expected(
                rows=[(a, b, c, f"{v}{u}".replace(" ", ""), None) for a, b, c, _, v, u, _ in body],
                project=name,
                total_yuan=float(total[:3]) * 10000 if "万元" in total else 800000.0,
                year=2025,
            )
        )
    return Case("export-two-projects", "1", tables, expected, width=width, notes=["title in the table"])


# --------------------------------------------------------------------------- 2. the older MoF template


def ministry_midterm() -> Case:
    width = 6
    head = [
        ["项目名称", C("国际展会举办", span=5)],
        ["主管部门及代码", C("某市商务局 301001", span=2), "实施单位", C("某市贸促会", span=2)],
        ["项目属性", C("延续项目", span=2), "项目期", C("2024年-2026年", span=2)],
        [C("项目资金\n（万元）", down=3), "中期资金总额：", "900", C("年度资金总额：", span=2), "300"],
        ["其中：财政拨款", "800", C("其中：财政拨款", span=2), "250"],
        ["其他资金", "100", C("其他资金", span=2), "50"],
        [C("总\n体\n目\n标", down=2), C("中期目标（2024年-2026年）", span=2), C("年度目标", span=3)],
        [
            C("目标1：举办国际展会9场。\n目标2：吸引参展企业1500家。", span=2),
            C("目标1：举办国际展会3场。\n目标2：吸引参展企业500家。", span=3),
        ],
    ]
    body = [
        ["产出指标", "数量指标", "举办展会场次", "≥9场", "≥3场"],
        ["产出指标", "数量指标", "吸引参展企业数量", "≥1500家", "≥500家"],
        ["产出指标", "质量指标", "国际参展商占比", "≥30%", "≥30%"],
        ["产出指标", "时效指标", "展会完成时间", "2026年12月底前", "2024年12月底前"],
        ["效益指标", "经济效益指标", "展会意向成交额", "≥30亿元", "≥10亿元"],
        ["效益指标", "社会效益指标", "城市国际影响力", "显著提升", "明显提升"],
        ["满意度指标", "服务对象满意度指标", "参展商满意度", "≥90%", "≥90%"],
    ]
    grid = _grid(body)
    rows = head + [
        [C("绩\n效\n指\n标", down=len(grid) + 1), "一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值"],
        *grid,
    ]
    rows += [["填表人：", "李四", "联系电话：", "87654321", "", ""], [""] * width]
    expected_rows = []
    for a, b, c, mid, year in body:
        expected_rows += [(a, b, c, mid, "中期"), (a, b, c, year, "年度")]
    expected = Expected(rows=expected_rows, project="国际展会举办", total_yuan=3000000.0, year=2024)
    return Case(
        "ministry-midterm",
        "2",
        [Layout(rows=rows, before=["项目支出绩效目标申报表", "（2024年度）"])],
        [expected],
        width=width,
        notes=["绩效指标 label column merged down"],
    )


# --------------------------------------------------------------------------- 3. 长期 / 年度 blocks


def blocks_stacked() -> Case:
    """Stacked blocks, money in 元 (单位：元), the 长期 heading with its years."""
    width = 5
    head = [
        ["项目名称", C("招商推介活动", span=4)],
        ["项目期", C("2024—2026年", span=4)],
        ["年度资金总额", C("500,000.00", span=4)],
        ["年度绩效目标", C("开展招商推介活动4场。", span=4)],
    ]
    rows, expected_rows = list(head), []
    for heading, block, values in (
        ("长期绩效指标（2024—2026年）", "长期", ("≥12场", "≥30个", "2026年12月底前", "≥90%")),
        ("年度绩效指标", "年度", ("≥4场", "≥10个", "2024年12月底前", "≥90%")),
    ):
        body = [
            ["产出指标", "数量指标", "举办招商推介活动", values[0], ""],
            ["产出指标", "数量指标", "签约项目数量", values[1], "以签约为准"],
            ["产出指标", "时效指标", "活动完成时间", values[2], ""],
            ["满意度指标", "服务对象满意度指标", "参会企业满意度", values[3], ""],
        ]
        rows.append([C(heading, span=width)])
        rows.append(["一级指标", "二级指标", "指标内容", "指标值", "备注"])
        rows += _grid(body)
        expected_rows += [(a, b, c, v, block) for a, b, c, v, _ in body]
    rows += _footer(width)
    expected = Expected(rows=expected_rows, project="招商推介活动", total_yuan=500000.0, year=2024)
    return Case(
        "blocks-stacked",
        "3",
        [Layout(rows=rows, before=["2024年项目支出绩效目标表", "单位：元"])],
        [expected],
        width=width,
    )


def blocks_side_by_side() -> Case:
    width = 7
    head = [
        ["项目名称", C("招商推介活动", span=6)],
        ["年度资金总额（万元）", C("50", span=6)],
        ["长期目标", C("三年举办招商推介活动12场。", span=6)],
        ["年度目标", C("全年举办招商推介活动4场。", span=6)],
        [C("长期绩效指标", span=4), C("年度绩效指标", span=3)],
        ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
    ]
    body = [
        ("产出指标", "数量指标", "举办招商推介活动", "≥12场", "≥4场"),
        ("产出指标", "质量指标", "签约项目履约率", "≥80%", "≥80%"),
        ("产出指标", "时效指标", "活动完成时间", "2026年12月底前", "2024年12月底前"),
        ("效益指标", "经济效益指标", "引进投资额", "≥30亿元", "≥10亿元"),
    ]
    grid = _grid([[a, b, c, long, b, c, year] for a, b, c, long, year in body])
    rows = head + grid + _footer(width)
    expected_rows = [(a, b, c, long, "长期") for a, b, c, long, _ in body]
    expected_rows += [(a, b, c, year, "年度") for a, b, c, _, year in body]
    expected = Expected(rows=expected_rows, project="招商推介活动", total_yuan=500000.0, year=2024)
    return Case(
        "blocks-side-by-side",
        "3",
        [Layout(rows=rows, before=["2024年度项目支出绩效目标表"])],
        [expected],
        width=width,
    )


# --------------------------------------------------------------------------- 4. self-evaluation


def self_evaluation() -> Case:
    """The MoF self-evaluation form: a budget execution block of numbers, 预期目标 | 实际完成情况, weights in
    category names, a 总分 row."""
    width = 8
    head = [
        ["项目名称", C("外贸企业培训", span=7)],
        ["主管部门", C("某市商务局", span=3), "实施单位", C("某市贸促会", span=3)],
        [C("项目资金\n（万元）", down=4), "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "20", "20", "19.5", "10", "97.5%", "9.75"],
        ["其中：当年财政拨款", "20", "20", "19.5", "—", "97.5%", "—"],
        ["上年结转资金", "0", "0", "0", "—", "", "—"],
        [C("年度总体目标", down=2), C("预期目标", span=3), C("实际完成情况", span=4)],
        [C("培训外贸企业500人次。", span=3), C("培训外贸企业520人次。", span=4)],
        ["一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ]
    body = [
        ["产出指标（50分）", "数量指标", "培训人次", "≥500人次", "520人次", "20", "20", ""],
        ["产出指标（50分）", "质量指标", "培训合格率", "≥90%", "85%", "20", "15", "部分学员未参加考试"],
        ["产出指标（50分）", "时效指标", "培训完成时间", "2023年12月底前", "2023年11月", "10", "10", ""],
        ["效益指标（30分）", "社会效益指标", "企业外贸业务能力", "明显提升", "明显提升", "30", "28", ""],
        ["满意度指标（10分）", "服务对象满意度指标", "参训企业满意度", "≥95%", "96%", "10", "10", ""],
    ]
    rows = head + _grid(body) + [[C("总分", span=5), "100", "92.75", ""], *_footer(width)]
    canon = {"产出指标（50分）": "产出指标", "效益指标（30分）": "效益指标", "满意度指标（10分）": "满意度指标"}
    expected = Expected(
        rows=[(canon[a], b, c, v, None) for a, b, c, v, *_ in body],
        project="外贸企业培训",
        total_yuan=200000.0,
        year=2023,
        form="self-evaluation",
    )
    return Case(
        "self-evaluation",
        "4",
        [Layout(rows=rows, before=["项目支出绩效自评表", "（2023年度）"])],
        [expected],
        width=width,
    )


# --------------------------------------------------------------------------- 5. provincial forms


def provincial_expected_value() -> Case:
    """当年预期实现值 beside 绩效标准, 投入/过程 first levels, 满意度 under 效益指标, 社会效益 without its
    suffix, no 项目名称 (a unit-level table), template text left in a name."""
    width = 5
    head = [
        ["部门（单位）名称", C("某市商务局", span=4)],
        ["资金总额（万元）", C("50.00", span=4)],
        ["年度绩效目标", C("1、保障单位正常运转。\n2、完成年度招商任务。", span=4)],
        ["一级指标", "二级指标", "三级指标", "绩效标准", "当年预期实现值"],
    ]
    body = [
        ["投入指标", "资金投入", "预算执行率", "按进度执行", "≥95%"],
        ["投入指标", "资金投入", "资金到位率", "及时足额", "100%"],
        ["过程指标", "业务管理", "制度执行有效性", "严格执行", "有效执行"],
        ["产出指标", "数量指标", "培训人次（≥**人次）", "按计划完成", "≥500人次"],
        ["产出指标", "质量指标", "培训合格率", "达到考核标准", "≥90%"],
        ["效益指标", "社会效益", "企业外贸能力", "明显提升", "明显提升"],
        ["效益指标", "满意度", "参训企业满意度", "≥90%", "≥90%"],
    ]
    rows = head + _grid(body) + _footer(width)
    level2 = {"资金投入": "资金投入指标", "社会效益": "社会效益指标", "满意度": "满意度指标"}
    expected = Expected(
        rows=[(a, level2.get(b, b), c, v, None) for a, b, c, _, v in body],
        project=None,
        total_yuan=500000.0,
        year=2024,
    )
    return Case(
        "provincial-expected-value",
        "5",
        [Layout(rows=rows, before=["2024年度项目绩效目标表", "填报单位（盖章）：某市商务局"])],
        [expected],
        width=width,
    )


def provincial_years_long() -> Case:
    """2023年实际实现值 | 预期2024年实现值 | 指标标准或依据, long enough to span two PDF pages."""
    width = 6
    head = [
        ["项目名称", C("中小企业国际市场开拓", span=5)],
        ["项目资金", C("200万元（其中财政资金150万元）", span=5)],
        ["年度绩效目标", C("支持中小企业参加境外展会，开拓国际市场。", span=5)],
        ["一级指标", "二级指标", "三级指标", "2023年\n实际实现值", "预期2024年实现值", "指标标准或依据"],
    ]
    body = []
    for i, fair in enumerate(
        ["广交会", "华交会", "进博会", "东盟博览会", "中东欧博览会", "服贸会", "消博会", "高交会"]
    ):
        body.append(["产出指标", "数量指标", f"组织企业参加{fair}数量", f"{20 + i}家", f"≥{22 + i}家", "历史数据"])
        body.append(["产出指标", "质量指标", f"{fair}展位利用率", "92%", "≥95%", "行业标准"])
        body.append(["产出指标", "时效指标", f"{fair}补助兑付时间", "2023年12月", "2024年12月底前", "资金管理办法"])
    body.append(["效益指标", "经济效益指标", "带动出口额", "5亿元", "≥6亿元", "统计数据"])
    body.append(["满意度指标", "服务对象满意度指标", "参展企业满意度", "93%", "≥90%", "问卷调查"])
    rows = head + _grid(body) + _footer(width)
    expected = Expected(
        rows=[(a, b, c, v, None) for a, b, c, _, v, _ in body],
        project="中小企业国际市场开拓",
        total_yuan=2000000.0,
        year=2024,
    )
    return Case(
        "provincial-years-long",
        "5",
        [Layout(rows=rows, before=["项目支出绩效目标表（2024年）", "单位：万元"])],
        [expected],
        width=width,
        notes=["spans two PDF pages"],
    )


def provincial_value_and_unit() -> Case:
    """指标值及单位 beside 绩效标准, weights in category names, full-width punctuation, stray spaces."""
    width = 6
    head = [
        ["项目名称", C(" 电子商务进农村示范 ", span=5)],
        ["主管部门", C("某县商务局", span=2), "实施单位", C("某县电子商务中心", span=2)],
        ["年度预算（万元）", C("１５０．００", span=5)],
        ["年度绩效目标", C("建设县级电子商务公共服务中心1个，村级服务站点50个。", span=5)],
        ["一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准", "权重"],
    ]
    body = [
        ["产出指标（60%）", " 数量指标 ", "村级服务站点", "≥50个", "按建设标准", "20"],
        ["产出指标（60%）", "数量指标", "县级公共服务中心", "＝1个", "按建设标准", "10"],
        ["产出指标（60%）", "质量指标", "站点验收合格率", "≥ 95%", "验收合格", "15"],
        ["产出指标（60%）", "成本指标", "单个站点建设成本", "≤2万元", "成本控制", "15"],
        ["效益指标（30%）", "经济效益指标", "农产品网络销售额", "≥3000万元", "统计数据", "20"],
        ["效益指标（30%）", "生态效益指标", "减少农产品损耗", "有所减少", "定性", "10"],
        ["满意度指标（10%）", "服务对象满意度指标", "农户满意度", "≥90%", "问卷调查", "10"],
    ]
    rows = head + _grid(body) + [[C("合  计", span=5), "100"], *_footer(width)]
    canon = {"产出指标（60%）": "产出指标", "效益指标（30%）": "效益指标", "满意度指标（10%）": "满意度指标"}
    expected = Expected(
        rows=[(canon[a], b.strip(), c, v.replace(" ", ""), None) for a, b, c, v, *_ in body],
        project="电子商务进农村示范",
        total_yuan=1500000.0,
        # the title's bare year (`2024年项目支出…申报表`) is no statement of the budget year (fiscal_year.py: bare
        # years name the activity), and no deadline dates the table: no year
        year=None,
    )
    return Case(
        "provincial-value-and-unit",
        "5",
        [Layout(rows=rows, before=["2024年项目支出绩效目标申报表"])],
        [expected],
        width=width,
    )


CASES = [
    export_one_level,
    export_two_level,
    export_two_projects,
    ministry_midterm,
    blocks_stacked,
    blocks_side_by_side,
    self_evaluation,
    provincial_expected_value,
    provincial_years_long,
    provincial_value_and_unit,
]


def _sheet_rows(layouts: list[Layout], width: int) -> list[list[str | C]]:
    rows: list[list[str | C]] = []
    for layout in layouts:
        rows += [[C(line, span=width)] for line in layout.before]
        rows += layout.rows
    return rows


def write(case: Case, kind: str, folder: Path) -> Path:
    """The case as a .docx, .xlsx or GBK Word dump (.txt) in `folder`."""
    path = folder / f"{case.name}.{kind}"
    if kind == "docx":
        return write_layout_docx(path, case.tables)
    if kind == "xlsx":
        if not case.sheets:
            return write_layout_xlsx(path, [Layout(rows=_sheet_rows(case.tables, case.width))])
        return write_layout_xlsx(
            path, [Layout(rows=_sheet_rows([t], case.width), sheet=f"项目{i}") for i, t in enumerate(case.tables, 1)]
        )
    if kind == "txt":
        write_layout_dump(path, case.tables)
        path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
        return path
    raise ValueError(kind)


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from builders.sweep_run import main

    main(sys.argv[1:])
