"""Tables in the templates of other regions (../shared/templates.md sections 1–5), cell by cell.

Each function returns a `Sheet`: the lines above the table (title, unit), its rows as published (one
string per grid column, merged cells repeated in `merges`), header words as real tables write them
(`*指标值`, stray spaces, full-width and ASCII brackets, 权重(%)), neighbouring numeric columns
included. `builders.docx_form.write_layout_docx` and `builders.xlsx_form.write_layout_xlsx` write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Sheet:
    before: list[str]
    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, last row, last col)
    numbers: bool = True  # .xlsx: digits-only cells stored as numbers


def _header_block(width: int, project: str, total: str, goals: str) -> tuple[list[list[str]], list]:
    pad = [""] * (width - 2)
    rows = [
        ["项目名称", project, *pad],
        ["年度资金总额", total, "其中：财政拨款", total, "其他资金", "0", *[""] * (width - 6)],
        ["年度绩效目标", goals, *pad],
    ]
    merges = [(0, 1, 0, width - 1), (2, 1, 2, width - 1)]
    if width > 6:
        merges.append((1, 5, 1, width - 1))
    return rows, merges


def _vertical(rows: list[list[str]], first: int, col: int) -> list[tuple[int, int, int, int]]:
    """Merges of equal runs in column `col` from row `first` on (the merged cells blanked)."""
    merges = []
    start = first
    for r in range(first + 1, len(rows) + 1):
        if r == len(rows) or rows[r][col] != rows[start][col] or not rows[start][col]:
            if r - start > 1:
                merges.append((start, col, r - 1, col))
                for k in range(start + 1, r):
                    rows[k][col] = ""
            start = r
    return merges


def split_export(*, ascii_comparators: bool = False, unit_header: str = "度量单位") -> Sheet:
    """1. The national budget system's export: 指标性质 | 指标值 | 度量单位 | 权重(%)."""
    ge = ">=" if ascii_comparators else "≥"
    le = "<=" if ascii_comparators else "≤"
    width = 7
    rows, merges = _header_block(width, "跨境电商统计体系建设", "30.00", "完成全年跨境电商统计监测工作。")
    first = len(rows)
    rows.append(["一级指标", "二级指标", "三级指标", "指标性质", "*指标值", f" {unit_header} ", "权重（%）"])
    rows += [
        ["产出指标", "数量指标", "监测企业数量", ge, "200", "家", "20"],
        ["产出指标", "数量指标", "培训企业人次", "", "500", "人次", "10"],
        ["产出指标", "质量指标", "数据准确率", ge, "95", "百分比", "10"],
        ["产出指标", "质量指标", "报表差错率", "≧", "5", "%", "10"],
        ["产出指标", "时效指标", "完成时间", le, "12", "月", "10"],
        ["成本指标", "经济成本指标", "项目总成本", "", "30", "万元", "10"],
        ["效益指标", "社会效益指标", "服务企业发展", "定性", "好", "", "10"],
        ["满意度指标", "服务对象满意度指标", "企业满意度", le, "90", "%", "10"],
        ["", "", "", "", "", "", ""],  # an empty template row
    ]
    merges += _vertical(rows, first + 1, 0)
    return Sheet(["项目支出绩效目标表（2024年度）", "单位：万元"], rows, merges)


def split_two_level() -> Sheet:
    """1, variant: a two-level header, 指标值 merged over 指标性质 | 指标值 | 计量单位, and 指标解释 after it."""
    width = 8
    rows, merges = _header_block(width, "外贸企业培训", "20.00", "培训外贸企业。")
    h = len(rows)
    rows.append(["一级指标", "二级指标", "三级指标", "指标值", "", "", "指标解释", "权重(%)"])
    rows.append(["", "", "", "指标性质", "指标值", "计量单位", "", ""])
    merges += [(h, 0, h + 1, 0), (h, 1, h + 1, 1), (h, 2, h + 1, 2), (h, 3, h, 5), (h, 6, h + 1, 6), (h, 7, h + 1, 7)]
    rows += [
        ["产出指标", "数量指标", "培训人次", "≥", "500", "人次", "参训企业人次", "30"],
        ["产出指标", "质量指标", "培训合格率", "<=", "90", "%", "考试合格人数占比", "30"],
        ["满意度指标", "服务对象满意度指标", "参训企业满意度", "＝", "95", "%", "问卷调查", "40"],
    ]
    return Sheet(["项目支出绩效目标表", "单位：万元"], rows, merges)


def midterm_and_annual() -> Sheet:
    """2. The older Ministry of Finance template: 中期指标值 | 年度指标值 side by side."""
    width = 5
    rows, merges = _header_block(width, "国际展会举办", "300.00", "举办国际展会。")
    rows.append(["一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值"])
    first = len(rows)
    rows += [
        ["产出指标", "数量指标", "举办展会场次", "≥9场", "≥3场"],
        ["产出指标", "时效指标", "完成时间", "2026年12月底前", "2024年12月底前"],
        ["产出指标", "时效指标", "展馆改造完成时间", "2025年6月底前", "2025年6月底前"],
        ["满意度指标", "服务对象满意度指标", "参展商满意度", "≥90%", "≥90%"],
    ]
    merges += _vertical(rows, first, 0)
    return Sheet(["项目支出绩效目标表（2024年度）", "单位：万元"], rows, merges)


def stacked_blocks() -> Sheet:
    """3. 长期 and 年度 blocks stacked: a heading row above each repeated grid header."""
    width = 5
    rows, merges = _header_block(width, "招商推介活动", "50.00", "开展招商推介。")
    for heading, count, deadline in (
        ("长期绩效指标", "≥12场", "2026年12月底前"),
        ("年度绩效指标", "≥4场", "2024年12月底前"),
    ):
        rows.append([heading, "", "", "", ""])
        merges.append((len(rows) - 1, 0, len(rows) - 1, 4))
        rows.append(["一级指标", "二级指标", "指标内容", "指标值", "备注"])
        rows.append(["产出指标", "数量指标", "举办招商推介活动", count, ""])
        rows.append(["产出指标", "时效指标", "活动完成时间", deadline, "按计划"])
    return Sheet(["项目支出绩效目标表（2024年度）", "单位：万元"], rows, merges)


def side_by_side_blocks() -> Sheet:
    """3, variant: two blocks side by side in one table, headings above each."""
    width = 7
    rows, merges = _header_block(width, "招商推介活动", "50.00", "开展招商推介。")
    rows.append(["长期绩效指标", "", "", "", "年度绩效指标", "", ""])
    merges += [(len(rows) - 1, 0, len(rows) - 1, 3), (len(rows) - 1, 4, len(rows) - 1, 6)]
    rows.append(["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"])
    rows += [
        ["产出指标", "数量指标", "举办招商推介活动", "≥12场", "数量指标", "举办招商推介活动", "≥4场"],
        ["产出指标", "时效指标", "活动完成时间", "2026年12月底前", "时效指标", "活动完成时间", "2024年12月底前"],
    ]
    return Sheet(["项目支出绩效目标表（2024年度）", "单位：万元"], rows, merges)


def self_evaluation() -> Sheet:
    """4. A self-evaluation table: 年初目标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施."""
    width = 8
    rows, merges = _header_block(width, "外贸企业培训", "20.00", "培训外贸企业。")
    rows.append(
        ["一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    )
    first = len(rows)
    rows += [
        ["产出指标(50分)", "数量指标", "培训人次", "≥500人次", "520人次", "20", "20", ""],
        ["产出指标(50分)", "质量指标", "培训合格率", "≧90%", "≤80%", "20", "15", "部分学员未参加考试"],
        ["产出指标(50分)", "时效指标", "培训完成时间", "2024年12月底前", "2024年11月", "10", "10", ""],
        ["满意度指标（10分）", "服务对象满意度指标", "参训企业满意度", "≥95%", "150%", "10", "120", ""],
    ]
    merges += _vertical(rows, first, 0)
    return Sheet(["2024年度项目支出绩效自评表", "单位：万元"], rows, merges)


def provincial(kind: int) -> Sheet:
    """5. Provincial Word forms with other target headers."""
    headers = {
        1: (["一级指标", "二级指标", "三级指标", "绩效标准", "当年预期实现值"], 4),
        2: (["一级指标", "二级指标", "三级指标", "2023年实际实现值", "预期2024年实现值", "指标标准或依据"], 4),
        3: (["一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准"], 3),
    }
    header, target = headers[kind]
    width = len(header)
    rows, merges = _header_block(width, "外贸企业培训", "20.00", "培训外贸企业。")
    rows.append(header)
    first = len(rows)
    for names, value, other in (
        (["产出指标", "数量指标", "培训人次"], "≥500人次", "480人次"),
        (["产出指标", "质量指标", "培训合格率"], "≥90%", "≤85%"),
        (["满意度指标", "服务对象满意度指标", "参训企业满意度"], "≥95%", "≤90%"),
    ):
        row = [*names, *[other] * (width - 3)]
        row[target] = value
        rows.append(row)
    merges += _vertical(rows, first, 0)
    return Sheet(["项目支出绩效目标表", "单位：万元"], rows, merges)


def write_layout_dump(sheet: Sheet, path, *, first_grid_row: int) -> object:
    """A Word text dump (as the corpus's .txt files) of a sheet's grid rows from `first_grid_row` on: the
    title, then the header block as the corpus's form writes it (department, unit, 项目名称, 预算数 …), then
    every grid cell on a line of its own after a tab (a vertically merged cell is an empty cell)."""
    from pathlib import Path

    project = sheet.rows[0][1]
    lines = ["[bookmark: _Toc1]1.项目支出绩效目标表", " \t573301某市商务局", "\t单位：万元"]
    lines += ["\t项目名称", f"\t{project}", "\t预算数", "\t30.00", "\t其中：财政资金", "\t30.00", "\t其他资金", "\t"]
    lines += ["\t绩效目标", "\t1.完成全年工作。"]
    # a cell merged across columns is one cell of the dump; one merged down is an empty cell below
    across = {(r, c) for r1, c1, r2, c2 in sheet.merges for r in range(r1, r2 + 1) for c in range(c1 + 1, c2 + 1)}
    for r, row in enumerate(sheet.rows[first_grid_row:], first_grid_row):
        if not any(row):
            continue
        lines += [f"\t{cell.strip()}" for c, cell in enumerate(row) if (r, c) not in across]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
