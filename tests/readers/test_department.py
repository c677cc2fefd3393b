"""Department-wide tables (部门整体支出绩效目标表): the PDF text dump, and the form in .docx and .xlsx."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest

from builders.department import build_docx, build_xlsx, corpus_table
from goallint import readers  # noqa: E402
from goallint.model import FiscalYear, Location  # noqa: E402
from goallint.readers import word_dump  # noqa: E402
from goallint.readers.department import columns, dump_rows  # noqa: E402
from goallint.readers.department import dump as department_pdf  # noqa: E402
from goallint.readers.department import form as department_form  # noqa: E402
from goallint.readers.grid import Cell, Grid  # noqa: E402
from goallint.units import quantity  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
DUMP = CORPUS / "tianjin-ccpit-2025-department.txt"
PROJECT_DUMPS = sorted(CORPUS.glob("*-projects.txt"))


def wan(x):
    return None if x is None else quantity(x, "wan_yuan")


@pytest.fixture(scope="module")
def doc():
    return department_pdf.read(DUMP)


@pytest.fixture(scope="module")
def table(doc):
    return doc.tables[0]


# --------------------------------------------------------------------------- the PDF dump: header and tasks


def test_one_department_table(doc, table):
    assert doc.format == "department-pdf"
    assert len(doc.tables) == 1
    assert table.kind == "department"
    assert table.title == "整体支出绩效目标表"
    assert table.department_name == "中国国际贸易促进委员会天津市分会"
    assert table.unit == "万元"
    assert not table.truncated
    assert doc.problems == []
    assert table.location.table == 1 and table.location.line == 2


def test_stated_fiscal_year(doc, table):
    stated = FiscalYear(year=2025, source="stated", evidence="（2025年度）")
    assert doc.fiscal_year == stated
    assert table.fiscal_year == stated


# (number, 总额, 基本支出, 项目支出, 其他资金, line): rows with three numbers are placed by the 合计
# column sums — 基本支出 is the first part of every row, 项目支出 1306.00 = 468.00 + the second parts of
# tasks 1, 2, 3, 5, 7 (838.00), so task 6's 1406.50 is 其他资金 (663.30 + 1406.50 = 2069.80).
TASKS = [
    (1, "开展网络安全和信息化工作。", 409.60, 396.60, 13.00, None, 25),
    (2, "搭建对外经贸交流平台，扩大国际交流与合作，加强国际商会工作。", 524.00, 396.60, 127.40, None, 27),
    (3, "做好外资企业服务，助力外资企业在津发展。", 275.20, 216.40, 58.80, None, 33),
    (4, "开展法律事务工作，持续提升出证认证服务和公益性涉外商事法律服务。", 1291.30, 160.00, 468.00, 663.30, 39),
    (5, "承办有影响力的大型经贸活动。", 860.60, 360.60, 500.00, None, 45),
    (6, "组织企业参加境内外展会及经贸活动。", 1514.70, 108.20, None, 1406.50, 47),
    (7, "加强正常运转保障。", 355.20, 216.40, 138.80, None, 49),
]


def test_tasks(table):
    got = [(t.number, t.name, t.total, t.basic, t.project, t.other, t.location.line) for t in table.tasks]
    assert got == [(n, name, wan(a), wan(b), wan(p), wan(o), line) for n, name, a, b, p, o, line in TASKS]
    assert all(t.location.table == 1 for t in table.tasks)


def test_total_row_and_budget(table):
    total = table.tasks_total
    assert (total.number, total.name, total.location.line) == (None, "合计", 23)
    assert (total.total, total.basic, total.project, total.other) == (
        wan(5230.60),
        wan(1854.80),
        wan(1306.00),
        wan(2069.80),
    )
    assert table.budget.total == wan(5230.60)
    assert table.budget.fiscal.to("wan_yuan").magnitude == pytest.approx(3160.80)
    assert table.budget.other == wan(2069.80)


# --------------------------------------------------------------------------- goals


def test_goals_and_their_tasks(table):
    assert table.goal_tasks == [1, 2, 3, 4, 4, 5, 6, 7]
    assert [loc.line for loc in table.goal_locations] == [55, 61, 68, 85, 91, 97, 104, 110]
    assert table.goals[0] == "开展信息化建设，对信息化设备和网站进行维修维护，保障信息化工作正常开展。"
    assert table.goals[3] == (
        "向出口企业签发原产地证，为企业降低贸易成本，促进扩大出口，提高我市出口产品的市场竞争力；"
        "为企业签发ATA单证册，实现便捷通关。"
    )
    assert (
        table.goals[7] == "升级改造消防报警系统，防止安全隐患，落实安全生产要求。日常维护办公场所，保障机关正常运转。"
    )
    assert all("整体支出" not in g and "对应工" not in g for g in table.goals)


# --------------------------------------------------------------------------- indicator rows

# Counted by reading the file: goal 2 has two rows under each of 经济效益, 社会效益 and 可持续影响;
# goal 5 continues on the next page with four more 数量指标 rows.
ROWS_PER_GOAL = {1: 10, 2: 12, 3: 11, 4: 10, 5: 14, 6: 8, 7: 8, 8: 6}


def test_rows_per_goal(table):
    counts: dict[int, int] = {}
    for row in table.rows:
        counts[row.goal] = counts.get(row.goal, 0) + 1
    assert counts == ROWS_PER_GOAL
    assert len(table.rows) == 79
    assert [r.location.row for r in table.rows] == list(range(1, 80))


def full(row):
    return (row.goal, row.level1, row.level2, row.level3, row.value, row.location.line)


def find(table, goal, level3):
    found = [r for r in table.rows if r.goal == goal and r.level3 == level3]
    assert len(found) == 1, level3
    return full(found[0])


@pytest.mark.parametrize(
    "expected",
    [
        (1, "产出指标", "数量指标", "硬件采购（维护）数量", "≥17台", 135),
        (1, "产出指标", "成本指标", "业务总成本", "≤409.6万元", 151),
        (1, "效益指标", "社会效益", "我会官方网站点击量", "≥39万次", 155),
        (
            1,
            "效益指标",
            "可持续影响",
            "促进我会信息化工作，提升社会影响力，为企业及时提供经贸信息",
            "提升办公效率和社会影响力",
            164,
        ),
        (1, "满意度指标", "服务对象满意度", "系统使用人员满意度", "≥95%", 166),
        (2, "产出指标", "数量指标", "选取重点交流国家和地区，举办或组织我市企业参加境内外经贸活动", "≥8场", 179),
        (2, "产出指标", "时效指标", "相关活动完成时间", "2025年底前", 185),
        (
            2,
            "效益指标",
            "经济效益",
            "促进我市对外经贸交往",
            "通过举办推介交流会等经贸活动，促进我市与境外工商界合作，进一步助力我市高水平对外开放",
            192,
        ),
        (
            2,
            "效益指标",
            "社会效益",
            "提升我市国际知名度，助力我市高水平对外开放",
            "加强与各国和地区驻华使馆、商协会联系合作，走访及邀请相关政府官员、商协会代表、企业嘉宾出席经贸活动，"
            "宣介我市经贸发展情况，扩大天津知名度和影响力",
            224,
        ),
        (
            2,
            "效益指标",
            "社会效益",
            "做好会员企业服务",
            "为企业对接国际合作伙伴；帮助企业开拓国际市场；组织企业参加各类经贸活动",
            232,
        ),
        (
            2,
            "效益指标",
            "可持续影响",
            "促进会员企业发展，提升国际竞争力",
            "组织企业参加各类政策宣讲会和培训研讨会，助力企业防范风险，促进企业合规发展；积极推动企业参与国际合作与交流",
            245,
        ),
        (3, "产出指标", "数量指标", "组织开展外资企业相关活动", "≥3场", 267),
        (
            3,
            "效益指标",
            "可持续影响",
            "持续做好外资企业服务，助力招商引资",
            "通过开展投资促进活动，增进企业间及与政府部门的交流合作，提升招商引资质效",
            312,
        ),
        (4, "产出指标", "数量指标", "ATA单证册签证量", "≥20份", 327),
        (4, "产出指标", "时效指标", "ATA单证册签发时效", "≤3工作日", 333),
        (
            4,
            "效益指标",
            "社会效益",
            "促进我市外向型企业发展，持续提升国际竞争力",
            "通过免费签证降低出口企业成本，增加国际市场竞争力，进一步促进外向型经济发展",
            356,
        ),
        (5, "产出指标", "数量指标", "出具法律专业意见和纠纷解决方案", "≥10份", 373),
        (5, "产出指标", "数量指标", "WTO政策审议调研工作", "≥2国别", 377),
        (5, "产出指标", "数量指标", "“一带一路”沿线国家贸易投资政策分析与风险应对指导", "≥5项目", 415),
        (5, "产出指标", "质量指标", "服务内容专业严谨，合法合规", "高质量完成全年所有服务项目指标要求", 426),
        (5, "产出指标", "时效指标", "项目完成时间", "12个月内完成", 428),
        (6, "产出指标", "数量指标", "承办大型活动", "＝1场", 454),
        (
            6,
            "效益指标",
            "经济效益",
            "促进我市经济发展",
            "展示我市丰富的旅游资源和深厚的文化底蕴，促进国内外交流合作，推动我市经济高质量发展",
            463,
        ),
        (7, "产出指标", "数量指标", "组织企业参加境内外展会及经贸活动", "≥45个", 504),
        (8, "产出指标", "时效指标", "服务保障时间", "7*24小时", 540),
        (
            8,
            "效益指标",
            "社会效益",
            "保障安全生产，维护正常运转",
            "完善消防系统，有效保障安全生产；加强单位管理与服务，维护正常运转",
            548,
        ),
        (8, "满意度指标", "服务对象满意度", "办公人员满意度", "≥95%", 551),
    ],
    ids=lambda e: f"{e[0]}-{e[3][:8]}",
)
def test_full_rows(table, expected):
    assert find(table, expected[0], expected[3]) == expected


def test_goal_8_rows_in_order(table):
    assert [(r.level2, r.level3, r.value) for r in table.rows if r.goal == 8] == [
        ("数量指标", "运转保障类项目数量", "≥2个"),
        ("质量指标", "服务执行效率", "≥95%"),
        ("时效指标", "服务保障时间", "7*24小时"),
        ("成本指标", "业务总成本", "≤355.2万元"),
        ("社会效益", "保障安全生产，维护正常运转", "完善消防系统，有效保障安全生产；加强单位管理与服务，维护正常运转"),
        ("服务对象满意度", "办公人员满意度", "≥95%"),
    ]


def test_no_header_text_leaks_into_rows(table):
    for row in table.rows:
        for text in (row.level1, row.level2, row.level3, row.value):
            assert "整体支出" not in text and "年度绩效指标" not in text and "2025年度" not in text
        assert row.value and row.level3 and row.level1 and row.level2


def test_cost_rows_match_task_budget_as_written(table):
    # the 业务总成本 of each goal, read as written (goal 4: 932.4, goal 5: 358.9 — together task 4's 1291.3)
    costs = [r.value for r in table.rows if r.level3 == "业务总成本"]
    assert costs == [
        "≤409.6万元",
        "≤524万元",
        "≤275.2万元",
        "≤932.4万元",
        "≤358.9万元",
        "≤860.6万元",
        "≤1514.7万元",
        "≤355.2万元",
    ]


# --------------------------------------------------------------------------- value splitting


@pytest.mark.parametrize(
    "line,expected",
    [
        ("硬件采购（维护）数量 ≥17台", ("硬件采购（维护）数量", "≥17台")),
        ("系统使用人员满意度 ≥ 95%", ("系统使用人员满意度", "≥ 95%")),
        ("相关活动完成时间 2025年 12月底前", ("相关活动完成时间", "2025年 12月底前")),
        ("服务满意度 95 %", ("服务满意度", "95 %")),
        ("≥8场", ("", "≥8场")),
        ("ISO 9001认证数量 ≥1项", ("ISO 9001认证数量", "≥1项")),
        ("通过举办推介交流会等经贸活动，促进", None),
        ("做好2025年日本大阪世博会中国馆天津活动周相关活动", None),
    ],
)
def test_split_value(line, expected):
    assert dump_rows.split_value(line) == expected


# --------------------------------------------------------------------------- task columns


def D(*xs):
    return [Decimal(x) for x in xs]


def test_column_choices_by_row_arithmetic():
    # 100 = 60 + 40 — any two of the three columns
    assert len(columns.column_choices(Decimal("100"), D("60", "40"))) == 3
    # four numbers: the four columns
    assert columns.column_choices(Decimal("10"), D("1", "2", "7")) == [("basic", "project", "other")]


def test_assign_columns_by_total_row():
    rows = [(Decimal("409.60"), D("396.60", "13.00")), (Decimal("1514.70"), D("108.20", "1406.50")),
            (Decimal("1291.30"), D("160.00", "468.00", "663.30"))]  # fmt: skip
    sums = {"basic": Decimal("664.80"), "project": Decimal("481.00"), "other": Decimal("2069.80")}
    assert columns.assign_columns(rows, sums) == [
        [("basic", "project")],
        [("basic", "other")],
        [("basic", "project", "other")],
    ]


DUMP_HEAD = "整体支出绩效目标表\n（2024年度）\n部门\n名称\n某某局\n预算资金（万元）\n总额\n财政资金\n其他资金\n序号\n主要工作任务 基本支出 项目支出\n"


def test_ambiguous_columns_give_a_problem(tmp_path):
    # two tasks 100 = 50 + 50; 合计 100 50 50 … basic is 50 + 50, but which task has 项目支出?
    text = DUMP_HEAD + (
        "合  计 200.00 100.00 50.00 50.00\n1 任务一。 100.00 50.00 50.00\n2 任务二。 100.00 50.00 50.00\n"
        "序号 年度绩效目标\n对应工\n作任务\n1\n目标一。\n1\n2\n目标二。\n2\n"
        "绩效\n目标\n年度绩效指标\n一级指标 二级指标 三级指标 年度指标值\n"
        "目标1 产出指标 数量指标 甲数量 ≥1个\n目标2 产出指标 数量指标 乙数量 ≥2个\n"
    )
    path = tmp_path / "ambiguous.txt"
    path.write_text(text, encoding="utf-8")
    doc = department_pdf.read(path)
    table = doc.tables[0]
    assert [(t.basic, t.project, t.other) for t in table.tasks] == [(wan(50), None, None), (wan(50), None, None)]
    assert [t.total for t in table.tasks] == [wan(100), wan(100)]
    problems = [p for p in doc.problems if p.code == "ambiguous-task-budget"]
    assert [p.location.line for p in problems] == [13, 14]
    assert "项目支出" in problems[0].message and "其他资金" in problems[0].message
    assert table.fiscal_year.year == 2024
    assert [(r.goal, r.level3, r.value) for r in table.rows] == [(1, "甲数量", "≥1个"), (2, "乙数量", "≥2个")]


def test_amounts_that_do_not_add_up_are_read_as_written(tmp_path):
    text = DUMP_HEAD + (
        "合  计 999.00 10.00 20.00 30.00\n1 任务一。 999.00 10.00 20.00 30.00\n"
        "序号 年度绩效目标\n1\n目标一。\n1\n一级指标 二级指标 三级指标 年度指标值\n目标1 产出指标 数量指标 甲 ≥1个\n"
    )
    path = tmp_path / "sums.txt"
    path.write_text(text, encoding="utf-8")
    doc = department_pdf.read(path)
    task = doc.tables[0].tasks[0]
    assert (task.total, task.basic, task.project, task.other) == (wan(999), wan(10), wan(20), wan(30))
    assert doc.problems == []


# --------------------------------------------------------------------------- truncated dumps


def cut(tmp_path, lines: int) -> Path:
    path = tmp_path / f"cut-{lines}.txt"
    path.write_text("\n".join(DUMP.read_text(encoding="utf-8").split("\n")[:lines]), encoding="utf-8")
    return path


def test_truncated_in_the_goals(tmp_path):
    doc = department_pdf.read(cut(tmp_path, 100))  # cut inside goal 6's text
    table = doc.tables[0]
    assert table.truncated
    assert len(table.tasks) == 7 and table.tasks_total is not None
    assert table.goal_tasks == [1, 2, 3, 4, 4, None]
    assert table.goals[5].startswith("做好2025年日本大阪世博会")
    assert table.rows == []
    assert "truncated-table" in {p.code for p in doc.problems}


def test_truncated_in_the_indicator_grid(tmp_path):
    doc = department_pdf.read(cut(tmp_path, 270))  # inside goal 3's 数量指标 rows
    table = doc.tables[0]
    assert table.truncated
    assert len(table.goals) == 8
    counts = {}
    for row in table.rows:
        counts[row.goal] = counts.get(row.goal, 0) + 1
    assert counts == {1: 10, 2: 12, 3: 3}
    problem = next(p for p in doc.problems if p.code == "truncated-table")
    assert "目标4" in problem.message and "目标8" in problem.message


def test_truncated_in_the_tasks(tmp_path):
    doc = department_pdf.read(cut(tmp_path, 40))
    table = doc.tables[0]
    assert table.truncated
    assert [t.number for t in table.tasks] == [1, 2, 3, 4]
    assert table.tasks[3].total is None  # its numbers are on a line after the cut
    assert table.goals == [] and table.rows == []


def test_gb18030_reads_as_utf8(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(DUMP.read_text(encoding="utf-8").encode("gb18030"))
    from goallint.canonical import dump_json

    document = readers.read(path)
    assert document.encoding == "GB18030（GBK）"
    assert dump_json(document).replace(str(path), "X") == dump_json(readers.read(DUMP)).replace(str(DUMP), "X")


# --------------------------------------------------------------------------- sniffing


def test_sniff():
    head = DUMP.read_bytes()[: readers.SNIFF_BYTES]
    assert department_pdf.sniff(DUMP, head)
    assert not word_dump.sniff(DUMP, head), "the Word-dump reader must not claim the department PDF dump"
    for path in PROJECT_DUMPS:
        assert not department_pdf.sniff(path, path.read_bytes()[: readers.SNIFF_BYTES]), path.name
    assert readers.reader_for(DUMP).name == "department-pdf"
    for path in PROJECT_DUMPS:
        assert readers.reader_for(path).name == "word-dump"


@pytest.mark.parametrize(
    ("title", "section", "claimed"),
    [
        ("部门整体支出绩效目标表", "主要工作任务", True),
        ("部 门 整 体 支 出\n绩 效 目 标 表", "年度\u3000绩效\n目标", True),  # spaced and wrapped by the PDF's text
        ("部门整体支出绩效目标表", "年度目标", False),  # neither section
        ("部门整体支出　绩效表", "主要工作任务", False),  # not the title
    ],
)
def test_sniff_title_and_section_across_whitespace(title, section, claimed):
    head = f"{title}\n（2025年度）\n{section}\n1 某项工作 12.00\n".encode()
    assert department_pdf.sniff(Path("x.txt"), head) is claimed


def test_read_through_registry():
    doc = readers.read(DUMP)
    assert doc.format == "department-pdf" and doc.tables[0].kind == "department"


# --------------------------------------------------------------------------- the form layout: .docx and .xlsx


def semantic(table):
    total = table.tasks_total
    return {
        "kind": table.kind,
        "title": table.title,
        "department": table.department_name,
        "unit": table.unit,
        "fiscal_year": (table.fiscal_year.year, table.fiscal_year.source) if table.fiscal_year else None,
        "budget": (table.budget.total, table.budget.fiscal, table.budget.other),
        "tasks": [(t.number, t.name, t.total, t.basic, t.project, t.other) for t in table.tasks],
        "total": (total.total, total.basic, total.project, total.other) if total else None,
        "goals": table.goals,
        "goal_tasks": table.goal_tasks,
        "rows": [(r.goal, r.level1, r.level2, r.level3, r.value) for r in table.rows],
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("department")
    source = corpus_table()
    return build_docx(source, folder / "department.docx"), build_xlsx(source, folder / "department.xlsx")


def docx_grid(path: Path) -> Grid:
    """A tiny extraction (python-docx) of the first Word table: covered cells repeat the first cell."""
    from docx import Document

    document = Document(str(path))
    word = document.tables[0]
    rows: list[list[Cell]] = []
    origins: dict[object, tuple[int, int]] = {}  # keyed by the w:tc element (kept alive here)
    for r, row in enumerate(word.rows):
        cells = []
        for c, cell in enumerate(row.cells):
            origin = origins.setdefault(cell._tc, (r, c))
            loc = Location(file=str(path), cell=f"行{r + 1} 列{c + 1}")
            cells.append(Cell(text=cell.text.strip(), row=r, col=c, location=loc,
                              merged_from=None if origin == (r, c) else origin))  # fmt: skip
        rows.append(cells)
    before = [p.text for p in document.paragraphs if p.text.strip()]
    return Grid(rows=rows, location=Location(file=str(path), table=1), before=before)


def xlsx_grid(path: Path) -> Grid:
    """A tiny extraction (openpyxl) of the first sheet: covered cells empty, merged_from set."""
    from openpyxl import load_workbook

    sheet = load_workbook(str(path)).active
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in sheet.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    origin[(r - 1, c - 1)] = (rng.min_row - 1, rng.min_col - 1)
    rows = []
    for r, row in enumerate(sheet.iter_rows()):
        cells = []
        for c, cell in enumerate(row):
            value = cell.value
            text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
            cells.append(Cell(text=text.strip(), row=r, col=c, location=Location(file=str(path), sheet=sheet.title,
                              cell=cell.coordinate), merged_from=origin.get((r, c))))  # fmt: skip
        rows.append(cells)
    return Grid(rows=rows, location=Location(file=str(path), sheet=sheet.title))


def test_form_grids_read_like_the_dump(table, generated):
    docx_path, xlsx_path = generated
    expected = semantic(table)
    from_docx = department_form.read_grid(docx_grid(docx_path))
    from_xlsx = department_form.read_grid(xlsx_grid(xlsx_path))
    assert semantic(from_docx) == expected
    assert semantic(from_xlsx) == expected
    assert from_docx.fiscal_year == table.fiscal_year == from_xlsx.fiscal_year


def test_form_locations(generated):
    _, xlsx_path = generated
    table, problems = department_form.read_grid_problems(xlsx_grid(xlsx_path))
    assert problems == []
    first = table.rows[0]
    assert (first.location.sheet, first.location.cell, first.location.row, first.location.column) == (
        "整体支出绩效目标表", "F26", 1, "年度指标值")  # fmt: skip
    assert table.tasks[0].location.cell == "A8"
    assert table.goal_locations[0].cell == "A16"


def test_form_empty_cells_place_amounts():
    # the form needs no arithmetic: the empty 项目支出 cell of task 6 is empty
    source = corpus_table()
    from builders.department import layout

    rows, _ = layout(source)
    task6 = next(r for r in rows if r[0] == 6)
    assert task6[4] == "" and task6[5] == "1406.50"


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_read_generated_files_through_readers(table, generated, kind):
    if importlib.util.find_spec(f"goallint.readers.{kind}") is None:
        pytest.skip(f"readers/{kind}.py not there yet")
    path = generated[0] if kind == "docx" else generated[1]
    doc = readers.read(path)
    department = [t for t in doc.tables if t.kind == "department"]
    assert len(department) == 1
    assert semantic(department[0]) == semantic(table)
    assert not [p for p in doc.problems if p.code == "unsupported-table"]


# --------------------------------------------------------------------------- examples

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def test_faulty_example():
    doc = readers.read(EXAMPLES / "department-faulty.txt")
    table = doc.tables[0]
    # a descriptive value on the 三级指标's line: split at the gap between two CJK words
    assert [(r.goal, r.level3, r.value) for r in table.rows][-2:] == [
        (2, "完成时间", "年底前"),
        (2, "提升工作人员业务能力", "持续开展培训，提升工作人员能力水平"),
    ]
    # the 合计 row does not add up, so the columns of the short rows cannot be decided
    assert [p.code for p in doc.problems] == ["ambiguous-task-budget"] * 3
    assert [t.total for t in table.tasks] == [wan(150), wan(100), wan(50)]


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".xlsx"])
def test_corpus_examples(table, suffix):
    path = EXAMPLES / f"department-ccpit-2025{suffix}"
    if suffix != ".txt" and importlib.util.find_spec(f"goallint.readers.{suffix[1:]}") is None:
        pytest.skip("reader not there yet")
    doc = readers.read(path)
    assert semantic(doc.tables[0]) == semantic(table)
