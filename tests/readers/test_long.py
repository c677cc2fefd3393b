"""The long layout (readers/long.py): columns by header name, rows grouped by project, Excel too."""

from __future__ import annotations

from pathlib import Path

import pytest

from goallint import readers
from goallint.convert import xlsx_long
from goallint.errors import InputError
from goallint.model import Location
from goallint.readers import long
from goallint.units import quantity

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
PROJECT_FILES = sorted(CORPUS.glob("*-projects.txt"))

HEADER = [
    "项目名称",
    "单位",
    "预算数",
    "财政资金",
    "其他资金",
    "绩效目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标描述",
    "指标值",
]


def read(header, rows, file="t.csv"):
    return long.read_rows(
        file,
        header,
        ((cells, Location(file=file, line=line)) for line, cells in enumerate(rows, 2)),
        Location(file=file, line=1),
    )


def row(project="信息化运维项目", total="12.00", level3="系统故障率", value="≤5%", goals="1.确保运行"):
    return [project, "万元", total, total, "", goals, "产出指标", "质量指标", level3, level3, value]


def test_rows_group_by_project_in_order_of_first_appearance():
    doc = read(
        HEADER,
        [
            row("A项目", level3="a1"),
            row("B项目", total="30", level3="b1"),
            row("A项目", level3="a2"),
            ["", "", "", "", "", "", "效益指标", "社会效益指标", "a3", "a3", "≥1次"],  # empty project: as above
            row("B项目", total="30", level3="b2"),
        ],
    )
    assert [t.project for t in doc.tables] == ["A项目", "B项目"]
    a, b = doc.tables
    assert [r.level3 for r in a.rows] == ["a1", "a2", "a3"]  # the empty-project row follows the row above
    assert [r.level3 for r in b.rows] == ["b1", "b2"]
    assert [r.location.line for r in a.rows] == [2, 4, 5]
    assert [(r.location.table, r.location.row) for r in b.rows] == [(2, 1), (2, 2)]
    assert b.budget.total == quantity(30, "wan_yuan")
    assert a.goals == ["确保运行"]
    assert doc.problems == []


@pytest.mark.parametrize(
    "header",
    [
        [
            "项目",
            "金额单位",
            "预算金额",
            "其中：财政资金",
            "其他资金",
            "年度绩效目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标解释",
            "目标值",
        ],
        [
            "项目名称 ",
            "单位",
            "年度预算",
            "财政拨款",
            "其他资金",
            "绩效目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标说明",
            "年度指标值",
        ],
        [
            "项目名称*",
            "单位",
            "预算数",
            "其中: 财政 资金",
            "其他资金",
            "绩效目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "绩效指标描述",
            "指标值",
        ],
    ],
)
def test_header_variants(header):
    doc = read(header, [row(total="23.38")])
    table = doc.tables[0]
    assert table.project == "信息化运维项目"
    assert table.unit == "万元"
    assert table.budget.total == quantity(23.38, "wan_yuan")
    assert table.budget.fiscal == quantity(23.38, "wan_yuan")
    assert table.rows[0].description == "系统故障率" and table.rows[0].value == "≤5%"


def test_columns_found_by_name_not_position():
    order = [10, 8, 0, 2, 1, 5, 6, 7, 9, 3, 4]
    doc = read([HEADER[i] for i in order], [[row()[i] for i in order]])
    t = doc.tables[0]
    assert (t.project, t.rows[0].level3, t.rows[0].value, t.budget.total) == (
        "信息化运维项目",
        "系统故障率",
        "≤5%",
        quantity(12, "wan_yuan"),
    )


def test_unit_from_the_budget_header():
    doc = read(["项目名称", "预算数（元）", "三级指标", "指标值"], [["P", "200000.00", "成本", "≤8万元"]])
    assert doc.tables[0].unit == "元"
    assert doc.tables[0].budget.total == quantity(200000, "yuan")


def test_budget_without_a_unit_is_a_problem_not_a_guess():
    doc = read(["项目名称", "预算数", "三级指标", "指标值"], [["P", "12", "成本", "≤8万元"]])
    assert doc.tables[0].budget.total is None
    assert [p.code for p in doc.problems] == ["missing-unit"]


def test_disagreeing_budgets_within_a_project_name_both_rows():
    doc = read(HEADER, [row(total="12.00"), row(total="12"), row(total="15.00", level3="x")])
    assert doc.tables[0].budget.total == quantity(12, "wan_yuan")  # the first value is kept
    # 12.00 and 12 agree; 15.00 disagrees in 预算数 and in 财政资金
    assert [p.location.column for p in doc.problems] == ["预算数", "财政资金"]
    problem = doc.problems[0]
    assert problem.code == "inconsistent-header"
    assert "第 2 行" in problem.message and "第 4 行" in problem.message
    assert "12.00" in problem.message and "15.00" in problem.message
    assert (problem.location.line, problem.location.table) == (4, 1)


def test_missing_required_column_names_the_header_row():
    header = [h for h in HEADER if h != "指标值"]
    with pytest.raises(InputError) as info:
        read(header, [row()[:-1]], file="团队表.csv")
    error = info.value
    assert error.file == "团队表.csv" and error.line == 1
    assert "指标值" in error.message and "第 1 行" in error.message


def test_two_columns_for_one_field_is_an_error():
    with pytest.raises(InputError, match="财政资金.*财政拨款|财政拨款.*财政资金"):
        read([*HEADER, "财政拨款"], [row() + ["12"]])


def test_rows_without_indicators_keep_the_project_and_blank_rows_are_skipped():
    doc = read(HEADER, [row("P1"), [""] * len(HEADER), ["P2", "万元", "5", "5", "", "", "", "", "", "", ""]])
    assert [t.project for t in doc.tables] == ["P1", "P2"]
    assert doc.tables[1].rows == [] and doc.tables[1].budget.total == quantity(5, "wan_yuan")


def test_goals_split_on_numbering():
    doc = read(HEADER, [row(goals="1.第一项\n2、第二项\n续写\n3．第三项")])
    assert doc.tables[0].goals == ["第一项", "第二项\n续写", "第三项"]
    assert long.split_goals(long.join_goals(["a", "b\nc", "1.5万人次"])) == ["a", "b\nc", "1.5万人次"]


def test_find_header_skips_a_title_row():
    rows = [["2023年项目支出绩效目标表"], [], HEADER, row()]
    assert long.find_header(rows) == 2
    assert long.find_header([["标题"], ["序号", "名称"]]) == 0  # not a long header: the first non-empty row


# --------------------------------------------------------------------------- Excel


def _sheet_rows(path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    return sheet.title, values


def read_xlsx(path: Path):
    """Through the registry: the .xlsx reader hands long-layout sheets to long.read_rows."""
    doc = readers.read(path)
    assert doc.format == "xlsx"
    return doc


def test_excel_cells_and_locations(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(["2023年绩效目标"])  # a title row above the header
    sheet.append(["部门编码", "年度", *HEADER])
    sheet.append([573301, 2023, "P", "万元", 12.0, 12, None, "1.确保", "产出指标", "数量指标", "台数", "台数", "≥17台"])
    sheet.append([573301, 2023, "P", "万元", 15.5, 15.5, None, None, "产出指标", "数量指标", "个数", "个数", 3])
    path = tmp_path / "long.xlsx"
    book.save(path)
    values = list(book.active.iter_rows(values_only=True))
    header_index = long.find_header(values)
    assert header_index == 1
    file = str(path)
    doc = long.read_rows(
        file,
        list(values[header_index]),
        ((list(v), Location(file=file, sheet="项目", cell=f"A{n}")) for n, v in enumerate(values[2:], 3)),
        Location(file=file, sheet="项目", cell="A2"),
        format="xlsx",
    )
    table = doc.tables[0]
    assert table.department_code == "573301" and table.fiscal_year.year == 2023
    assert table.budget.total == quantity(12, "wan_yuan")
    assert [r.value for r in table.rows] == ["≥17台", "3"]  # a number cell as text, no ".0"
    # a row points at its 指标值 cell (column M), like the form layout's rows
    assert table.rows[1].location.sheet == "项目" and table.rows[1].location.cell == "M4"
    problem = doc.problems[0]
    assert "项目!E3" in problem.message and "项目!E4" in problem.message  # both cells of 预算数
    assert problem.location.cell == "E4"


@pytest.mark.parametrize("source", PROJECT_FILES, ids=lambda p: p.name)
def test_corpus_round_trip_through_long_xlsx(source, tmp_path):
    original = readers.read(source)
    out = tmp_path / "long.xlsx"
    xlsx_long.write(original, out)
    sheet_title, values = _sheet_rows(out)
    assert values[0][:3] == ("表号", "表名称", "部门编码")
    back = read_xlsx(out)
    assert len(back.tables) == len(original.tables)
    for a, b in zip(original.tables, back.tables, strict=False):
        assert b.project == a.project
        assert (b.unit, b.budget, b.goals, b.purpose) == (a.unit, a.budget, a.goals, a.purpose)
        assert (b.number, b.title, b.department_code, b.department_name) == (
            a.number,
            a.title,
            a.department_code,
            a.department_name,
        )
        assert [(r.level1, r.level2, r.level3, r.description, r.value) for r in b.rows] == [
            (r.level1, r.level2, r.level3, r.description, r.value) for r in a.rows
        ]
    assert back.problems == []


def test_xlsx_writer_freezes_the_header_and_filters(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    doc = readers.read(PROJECT_FILES[0])
    out = tmp_path / "x.xlsx"
    xlsx_long.write(doc, out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row == 1 + sum(max(len(t.rows), 1) for t in doc.tables)
    widths = [sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLMNOPQ"[: sheet.max_column]]
    assert all(8 <= w <= 60 for w in widths) and max(widths) > min(widths)
    budget_col = [c.value for c in sheet[1]].index("预算数") + 1
    assert isinstance(sheet.cell(row=2, column=budget_col).value, (int, float))  # a number, not text
