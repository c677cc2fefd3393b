"""The Word text-dump reader against the real corpus files in tests/data/corpus/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goallint import readers
from goallint.errors import InputError
from goallint.readers import word_dump
from goallint.units import quantity

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
CCPIT_2023 = CORPUS / "tianjin-ccpit-2023-projects.txt"
COMMERCE_2025 = CORPUS / "tianjin-commerce-2025-projects.txt"
COOPERATION_2022 = CORPUS / "tianjin-cooperation-2022-projects.txt"
DEPARTMENT_2025 = CORPUS / "tianjin-ccpit-2025-department.txt"

# Indicator rows per table, counted in the files by hand (2023, 2022) and, for the 62 commerce tables,
# by counting the 二级指标 cells under each grid header with awk and removing the two 三级指标 cells
# that repeat a 二级指标 name (tables 45 and 62). The 2023 file's 7th table is cut off after its
# first row plus two cells of the second.
ROWS = {
    CCPIT_2023: [14, 10, 12, 10, 22, 13, 1],
    COMMERCE_2025: [
        6,
        6,
        7,
        8,
        6,
        6,
        7,
        6,
        9,
        6,  # printed numbers 1-8, 10, 11
        6,
        7,
        6,
        7,
        6,
        10,
        9,
        9,
        11,
        9,  # 12-21
        18,
        12,
        10,
        6,
        9,
        8,
        11,
        8,
        6,
        7,  # 22-31
        7,
        10,
        10,
        7,
        6,
        7,
        7,
        10,
        6,
        6,  # 32-35, 37-39, 41, 42, 44
        8,
        10,
        6,
        8,
        6,
        6,
        6,
        6,
        9,
        6,  # 45-54
        12,
        6,
        6,
        7,
        6,
        6,
        10,
        6,
        9,
        8,  # 55-64
        6,
        11,  # 65, 66
    ],
    COOPERATION_2022: [10, 6, 23, 7, 6, 7, 7, 7, 16, 6, 7, 6, 7],
}


@pytest.fixture(scope="module")
def docs():
    return {path: word_dump.read(path) for path in ROWS}


def row_texts(row):
    return (row.level1, row.level2, row.level3, row.description, row.value)


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize("path,count", [(CCPIT_2023, 7), (COMMERCE_2025, 62), (COOPERATION_2022, 13)])
def test_table_count(docs, path, count):
    assert len(docs[path].tables) == count


@pytest.mark.parametrize("path", list(ROWS), ids=lambda p: p.name)
def test_row_count_per_table(docs, path):
    assert [len(t.rows) for t in docs[path].tables] == ROWS[path]


def test_commerce_printed_numbers_skip_missing_tables(docs):
    # the document numbers its tables 1…66 but holds no tables 9, 36, 40 and 43
    numbers = [t.number for t in docs[COMMERCE_2025].tables]
    assert numbers == [n for n in range(1, 67) if n not in (9, 36, 40, 43)]
    assert [t.location.table for t in docs[COMMERCE_2025].tables] == list(range(1, 63))


def test_format_and_path(docs):
    doc = docs[CCPIT_2023]
    assert doc.format == "word-dump"
    assert doc.path == str(CCPIT_2023)
    assert doc.tables[0].rows[0].location.file == str(CCPIT_2023)


# --------------------------------------------------------------------------- header fields


def test_first_2023_table_header(docs):
    t = docs[CCPIT_2023].tables[0]
    assert t.number == 1
    assert t.title == "信息化运维项目绩效目标表"
    assert t.department_code == "573301"
    assert t.department_name == "中国国际贸易促进委员会天津市分会"
    assert t.unit == "万元"
    assert t.project == "信息化运维项目"
    assert t.budget.total == quantity(12.0, "wan_yuan")
    assert t.budget.fiscal == quantity(12.0, "wan_yuan")
    assert t.budget.other is None
    assert t.purpose == "确保现有的机房网络、安全、服务器以及操作系统可无阻碍运行。"
    assert len(t.goals) == 1 and t.goals[0].startswith("确保现有的机房网络")
    assert t.goals[0].endswith("不发生网络意识形态问题。")
    assert t.location.line == 1
    assert t.truncated is False


def test_budget_units_compare_as_quantities(docs):
    t = docs[COMMERCE_2025].tables[0]
    assert t.budget.total == quantity(23.38, "wan_yuan")
    assert t.budget.total.to("yuan").magnitude == pytest.approx(233800)
    big = docs[COMMERCE_2025].tables[20]  # 22.NM（中央）现代商贸流通体系试点城市建设项目
    assert big.project == "NM（中央）现代商贸流通体系试点城市建设项目"
    assert big.budget.total == quantity(14330.0, "wan_yuan")


def test_goals_numbering_removed(docs):
    assert docs[CCPIT_2023].tables[2].goals == [
        "为出口企业签发原产地证，充分利用原产地证规则，享受特定的关税减免待遇，为企业减免贸易成本，促进扩大出口，提高我国出口产品的市场竞争力。",
        "为企业签发ATA单证册，促进国际经贸、科技、文化、体育的交流和发展，实现国际通用、通关快捷。",
        "加大宣传和培训力度，精确服务企业需求。",
        "主动服务自贸区企业，在自由贸易试验区设立签证点，为自贸区企业开展常态化签证工作。",
    ]
    # `1.2023年PECC…`: only the item number is removed, not the year
    assert docs[CCPIT_2023].tables[1].goals[0].startswith("2023年PECC博览会认真贯彻落实")
    # `4.2025年在我市…`
    assert docs[COMMERCE_2025].tables[21].goals[3].startswith("2025年在我市")


def test_goal_after_blank_line_in_cell(docs):
    # 59.电子政务内网: a blank line inside the 绩效目标 cell before `2.完成干部信息管理系统建设…`
    t = docs[COMMERCE_2025].tables[54]
    assert t.number == 59
    assert len(t.goals) == 2
    assert t.goals[1] == "完成干部信息管理系统建设，满足组织人事部门对机构和干部信息管理需要。"
    assert t.rows[0].level1 == "产出指标"  # the grid still starts right


def test_tables_without_bookmark_or_department(docs):
    tables = docs[COOPERATION_2022].tables
    # 2-4 start with ` \t306101…`, 5-7 and 9 with `单位：万元`, 8 with `项目名称`
    assert [t.location.line for t in tables] == [1, 89, 153, 319, 389, 451, 520, 589, 656, 784, 852, 928, 997]
    assert [t.number for t in tables] == [1, None, None, None, None, None, None, None, None, 10, 11, 12, 13]
    assert tables[1].title is None
    assert tables[1].project == "办机关日常运行补助专项"
    assert tables[7].project == "对口支援新疆前方指挥部工作经费"
    assert tables[7].budget.total == quantity(750.0, "wan_yuan")
    assert all(t.unit == "万元" for t in tables)
    assert [t.department_code for t in tables] == ["306101"] * 12 + ["306201"]
    assert tables[12].department_name == "天津市合作交流综合服务中心"
    # the previous tables' last rows were not swallowed by the next table's header
    assert row_texts(tables[0].rows[-1]) == (
        "满意度指标",
        "服务对象满意度指标",
        "信息系统正常运转",
        "信息系统正常运转",
        "系统运维正常",
    )
    assert tables[6].rows[-1].value == "≥100%"
    assert tables[12].title == "市合作交流综合服务中心日常运行和离退休双补支出绩效目标表"  # two bookmarks on one line


def test_no_problems_in_complete_files(docs):
    assert docs[COMMERCE_2025].problems == []
    assert docs[COOPERATION_2022].problems == []


# --------------------------------------------------------------------------- rows


def test_fill_down_of_merged_cells(docs):
    rows = docs[CCPIT_2023].tables[0].rows
    # line 36: an empty 一级指标 cell (merged) → 产出指标 from the row above
    assert row_texts(rows[1]) == ("产出指标", "数量指标", "系统开发", "系统开发", "≥1个")
    assert rows[1].location.line == 40
    assert row_texts(rows[8]) == ("产出指标", "成本指标", "安全等级保护测评", "安全等级保护测评", "≤5万元")
    assert rows[9].level1 == "效益指标"
    assert rows[10].level1 == "效益指标" and rows[10].level2 == "可持续影响指标"
    assert rows[13].level1 == "满意度指标"
    assert rows[13].value == "≥95%"  # trailing space removed


def test_blank_lines_inside_a_row(docs):
    # 2023 t1 row 6: blank lines after the 三级指标 and 描述 cells, value on line 68
    row = docs[CCPIT_2023].tables[0].rows[5]
    assert row_texts(row) == ("产出指标", "时效指标", "系统运行维护响应时间", "系统运行维护响应时间", "≤30分钟")
    assert row.location.line == 68
    # commerce 17.国家会展中心…: the value `≤3000万元` after a blank line (line 1154)
    t = docs[COMMERCE_2025].tables[15]
    assert t.number == 17
    cost = next(r for r in t.rows if r.level2 == "成本指标")
    assert row_texts(cost) == ("产出指标", "成本指标", "会展奖励总额", "奖励总额", "≤3000万元")
    assert cost.location.line == 1154
    after = t.rows[t.rows.index(cost) + 1]
    assert after.level1 == "效益指标" and after.value == "切实提升"


def test_multi_line_value_cell(docs):
    row = docs[COOPERATION_2022].tables[10].rows[4]
    assert row.value == "总预算不高于324万"
    assert row.location.line == 910


def test_repeated_level1_kept(docs):
    # 22.现代商贸流通体系: 效益指标 and 满意度指标 written on every row instead of merged
    t = docs[COMMERCE_2025].tables[20]
    assert [r.level1 for r in t.rows].count("满意度指标") == 2
    assert [(r.level1, r.level2) for r in t.rows[10:13]] == [("效益指标", "经济效益指标")] * 3
    assert t.rows[-1].value == "≥80%"
    assert t.rows[-1].location.line == 1671


def test_level2_name_in_level3_column_kept_as_written(docs):
    # 45.WZ2024年…尾款: 三级指标 repeats 数量指标; 62.外商投资办公室办公费: 三级指标 repeats 服务对象满意度指标
    t45 = docs[COMMERCE_2025].tables[40]
    assert t45.number == 45
    assert row_texts(t45.rows[0]) == ("产出指标", "数量指标", "数量指标", "《2023年天津市开发区综合评价报告》", "1个")
    t62 = docs[COMMERCE_2025].tables[57]
    assert t62.number == 62
    assert row_texts(t62.rows[-1]) == (
        "满意度指标",
        "服务对象满意度指标",
        "服务对象满意度指标",
        "企业满意度",
        "企业满意度95%",
    )
    assert t62.rows[-1].location.line == 4589


def test_cost_first_under_output_kept(docs):
    # 62.外商投资办公室办公费 and 2022's 13th table list 成本指标 first, under 产出指标
    assert row_texts(docs[COMMERCE_2025].tables[57].rows[0])[:2] == ("产出指标", "成本指标")
    rows = docs[COOPERATION_2022].tables[12].rows
    assert row_texts(rows[0]) == ("产出指标", "成本指标", "保障成本", "保障离退休人员双补及事业运行成本", "60万元")
    assert row_texts(rows[1])[:2] == ("产出指标", "数量指标")
    assert rows[5].level1 == "效益指标" and rows[5].level2 == "经济效益指标"


def test_row_locations(docs):
    t = docs[COMMERCE_2025].tables[61]
    assert t.number == 66
    loc = t.rows[-1].location
    assert (loc.table, loc.row, loc.column) == (62, 11, "指标值")
    assert loc.line > 4829
    rows = docs[CCPIT_2023].tables[0].rows
    assert [r.location.line for r in rows[:3]] == [34, 40, 46]
    assert [r.location.row for r in rows] == list(range(1, 15))
    assert docs[CCPIT_2023].tables[4].location.line == 409  # bookmark line right after a value cell


def test_value_line_points_at_the_value(docs):
    lines = COOPERATION_2022.read_text(encoding="utf-8").split("\n")
    for table in docs[COOPERATION_2022].tables:
        for row in table.rows:
            assert lines[row.location.line - 1].strip().startswith(row.value.split("\n")[0][:6])


# --------------------------------------------------------------------------- truncation


def test_truncated_last_table(docs):
    doc = docs[CCPIT_2023]
    last = doc.tables[-1]
    assert last.truncated is True
    assert all(not t.truncated for t in doc.tables[:-1])
    assert last.project == "外事费"
    assert row_texts(last.rows[0]) == ("产出指标", "数量指标", "出国团组数", "出国团组数", "≥6个")
    [problem] = doc.problems
    assert problem.code == "truncated-table"
    assert "外事费" in problem.message and "表7" in problem.message and "截断" in problem.message
    assert problem.location.table == 7
    assert problem.location.line == 723


# --------------------------------------------------------------------------- odd input


# the grid of a small test table: its header and one indicator row
ONE_ROW_GRID = (
    "\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n\n\t产出指标\n\t数量指标\n\t甲\n\t甲\n\t≥1个\n"
)


def read_text(tmp_path, text: str):
    path = tmp_path / "dump.txt"
    path.write_text(text, encoding="utf-8")
    return word_dump.read(path)


def test_stray_line_and_bad_amount(tmp_path):
    text = (
        "这一行不在任何单元格里\n"
        "[bookmark: _Toc_1]1.测试项目绩效目标表\n"
        "\t100001测试单位\n\t单位：元\n\n\t项目名称\n\t测试项目\n\n"
        "\t预算规模及资金用途\n\t预算数\n\t二十万\n\t其中：财政    资金\n\t200,000.00\n\t其他资金\n\t\n\n"
        "\t\n\t用途\n\n\t绩效目标\n\t1.目标一\n2.目标二\n\n\n"
    )
    doc = read_text(tmp_path, text + ONE_ROW_GRID)
    [table] = doc.tables
    assert table.unit == "元"
    assert table.budget.total is None
    assert table.budget.fiscal == quantity(200000.0, "yuan")
    assert table.budget.other is None
    assert table.goals == ["目标一", "目标二"]
    codes = {p.code: p for p in doc.problems}
    assert codes["unparsed-line"].location.line == 1
    assert codes["bad-amount"].location.line == 11
    assert "二十万" in codes["bad-amount"].message
    assert len(table.rows) == 1 and table.rows[0].location.line == 35


def test_utf8_bom_and_crlf(tmp_path):
    data = CCPIT_2023.read_bytes()
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    doc = word_dump.read(path)
    assert [len(t.rows) for t in doc.tables] == ROWS[CCPIT_2023]
    assert doc.tables[0].title == "信息化运维项目绩效目标表"
    assert doc.tables[0].rows[1].location.line == 40
    assert readers.reader_for(path).name == "word-dump"


def test_crlf_reads_as_lf(tmp_path):
    # Windows line ends change nothing read: cells, goals over several lines and each goal's own line
    # (field_locations), problems, all as in the same file with \n line ends; a last line ending in a lone
    # \r too (here a cell that leaves the last row incomplete)
    data = CCPIT_2023.read_bytes()
    lf, crlf = tmp_path / "lf.txt", tmp_path / "crlf.txt"
    lf.write_bytes(data + "\n\t未知".encode())
    crlf.write_bytes(data.replace(b"\n", b"\r\n") + "\r\n\t未知\r".encode())
    a, b = word_dump.read(lf), word_dump.read(crlf)
    tables = json.dumps([t.model_dump(mode="json") for t in a.tables], ensure_ascii=False)
    assert [t.model_dump(mode="json") for t in b.tables] == json.loads(tables.replace(str(lf), str(crlf)))
    assert [(p.code, p.message, p.location.line) for p in b.problems] == [
        (p.code, p.message, p.location.line) for p in a.problems
    ]
    assert "truncated-table" in {p.code for p in b.problems}
    assert any(key == "goals.2" for t in b.tables for key in t.field_locations)


def test_undecodable_raises_input_error(tmp_path):
    # GBK reads (tests/readers/test_text_encoding.py); bytes valid in no encoding name the file and line
    path = tmp_path / "broken.txt"
    path.write_bytes(CCPIT_2023.read_bytes() + b"\n\t\xff\xfe\x80\n")
    with pytest.raises(InputError) as exc:
        readers.read(path)  # sniffing ignores undecodable bytes; reading refuses them
    assert exc.value.file == str(path)
    assert "UTF-8" in exc.value.message and "GBK" in exc.value.message
    assert exc.value.line == CCPIT_2023.read_bytes().count(b"\n") + 2


# --------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize("path", list(ROWS), ids=lambda p: p.name)
def test_sniff_accepts_word_dumps(path):
    assert word_dump.sniff(path, path.read_bytes()[:65536])
    assert readers.reader_for(path).name == "word-dump"


def test_sniff_rejects_pdf_dump():
    assert not word_dump.sniff(DEPARTMENT_2025, DEPARTMENT_2025.read_bytes()[:65536])


def test_sniff_rejects_random_text(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n\t今天讨论了预算。\n项目名称在别处。\n" * 20, encoding="utf-8")
    assert not word_dump.sniff(path, path.read_bytes())
    with pytest.raises(InputError) as exc:
        readers.read(path)
    assert exc.value.file == str(path)
    assert "不是可识别的绩效目标表格式" in exc.value.message


def test_registry_reads_corpus_file():
    doc = readers.read(COOPERATION_2022)
    assert doc.format == "word-dump" and len(doc.tables) == 13


def test_bare_title_line_starts_a_table(tmp_path):
    # a numbered title without a bookmark after the previous table's last cell
    text = CCPIT_2023.read_text(encoding="utf-8").split("\n")
    first = "\n".join(text[:116])  # table 1, ending with its last value cell `≥95% `
    second = "\n".join(text[120:208]).replace("[bookmark: _Toc_4_4_0000000005]", "")
    path = tmp_path / "two.txt"
    path.write_text(first + "\n" + second + "\n", encoding="utf-8")
    doc = word_dump.read(path)
    assert [t.number for t in doc.tables] == [1, 2]
    assert doc.tables[1].title == "2023年PECC国际贸易投资博览会绩效目标表"
    assert doc.tables[1].location.line == 117
    assert [len(t.rows) for t in doc.tables] == [14, 10]
    assert doc.tables[0].rows[-1].value == "≥95%"
    assert doc.problems == []


def test_header_cells_read_as_the_grid_reader_reads_them(tmp_path):
    # `金额单位：万元` is a unit cell in a Word dump as in a .docx grid (the patterns are form_knowledge's)
    header = (
        "\t100001测试单位\n\t金额单位：万元\n\n\t项目名称\n\t测试项目\n\n\t预算数\n\t20\n\t绩效目标\n\t1.目标一\n\n"
    )
    doc = read_text(tmp_path, "[bookmark: _Toc_1]1.测试项目绩效目标表\n" + header + ONE_ROW_GRID)
    [table] = doc.tables
    assert (table.number, table.title) == (1, "测试项目绩效目标表")
    assert (table.department_code, table.department_name) == ("100001", "测试单位")
    assert table.unit == "万元"
    assert table.budget.total == quantity(20.0, "wan_yuan")
    assert doc.problems == []
