"""Where each header field's value stands (Table.field_locations), in every reader, and the findings on
header fields that point there: GL707 (template text in 项目名称 / 资金用途 / 绩效目标), GL403 (预算数),
GL802 (a goal no indicator measures)."""

from __future__ import annotations

import json
from pathlib import Path

from builders.docx_form import write_docx
from builders.helpers import convert, require_soffice, small_document
from builders.xlsx_form import write_xlsx
from goallint import readers
from goallint.config import Settings
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.model import Document, Finding, Location
from goallint.run import CheckOptions, check_paths

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def template_document() -> Document:
    """One table with template text in its project name and in its first goal."""
    return small_document(project="XX项目", goals=["目标内容1保障机关正常运转。", "确保门户网站网络安全。"])


def findings(path: Path, *codes: str) -> list[Finding]:
    result = check_paths([path], CheckOptions(no_config=True, select=list(codes)))
    assert result.files[0].errors == []
    return [f for f in result.findings if f.rule_id in codes]


def places(findings: list[Finding]) -> set[tuple]:
    return {(f.location.column, f.location.sheet, f.location.cell, f.location.line) for f in findings}


def test_docx_header_cells(tmp_path):
    path = write_docx(template_document(), tmp_path / "t.docx")
    table = readers.read(path).tables[0]
    cells = {name: loc.cell for name, loc in table.field_locations.items()}
    assert cells == {
        "project": "表1 行1 列2",
        "budget.total": "表1 行2 列3",
        "budget.fiscal": "表1 行2 列5",
        "budget.other": "表1 行2 列7",
        "purpose": "表1 行3 列2",
        "goals": "表1 行4 列2",
    }
    # both template texts at their cells, not at the table's heading
    assert places(findings(path, "GL707")) == {
        ("项目名称", None, "表1 行1 列2", None),
        ("绩效目标", None, "表1 行4 列2", None),
    }


def test_xlsx_header_cells(tmp_path):
    path = write_xlsx(template_document(), tmp_path / "t.xlsx")
    table = readers.read(path).tables[0]
    sheet = table.location.sheet
    assert {name: (loc.sheet, loc.cell) for name, loc in table.field_locations.items()} == {
        "project": (sheet, "B3"),
        "budget.total": (sheet, "C4"),
        "budget.fiscal": (sheet, "E4"),
        "budget.other": (sheet, "G4"),
        "purpose": (sheet, "B5"),
        "goals": (sheet, "B6"),
    }
    assert places(findings(path, "GL707")) == {("项目名称", sheet, "B3", None), ("绩效目标", sheet, "B6", None)}


def test_pdf_header_cells(tmp_path):
    require_soffice()
    source = write_docx(template_document(), tmp_path / "t.docx")
    path = convert(source, "pdf", tmp_path / "out")
    table = readers.read(path).tables[0]
    project, goals = table.field_locations["project"], table.field_locations["goals"]
    assert (project.page, goals.page) == (1, 1)
    assert project.cell != goals.cell and "行1" in project.cell and "行4" in goals.cell
    assert {f.location.cell for f in findings(path, "GL707")} == {project.cell, goals.cell}


def test_word_dump_lines_of_header_values_and_of_each_goal(tmp_path):
    text = (
        "[bookmark: _Toc_1]1.XX项目绩效目标表\n"
        "\t573301中国国际贸易促进委员会天津市分会\n"
        "\t单位：万元\n"
        "\n"
        "\t项目名称\n"
        "\tXX项目\n"  # line 6
        "\n"
        "\t预算规模及资金用途\n"
        "\t预算数\n"
        "\t12.00\n"  # line 10
        "\t其中：财政资金\n"
        "\t10.00\n"  # line 12
        "\t其他资金\n"
        "\t\n"
        "\n"
        "\t\n"
        "\t保障机关正常运转。\n"  # line 17
        "\n"
        "\t绩效目标\n"
        "\t1.确保机房网络全年无阻碍运行。\n"  # line 20
        "\n"
        "2.目标内容2确保门户网站网络安全。\n"  # line 22: the second goal, after a blank line
        "\n"
        "\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n"
        "\n"
        "\t产出指标\n\t数量指标\n\t硬件维护数量\n\t维护的硬件设备数量\n\t≥17台\n"
    )
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    table = readers.read(path).tables[0]
    assert table.goals == ["确保机房网络全年无阻碍运行。", "目标内容2确保门户网站网络安全。"]
    lines = {name: loc.line for name, loc in table.field_locations.items()}
    assert lines == {
        "project": 6,
        "budget.total": 10,
        "budget.fiscal": 12,
        "budget.other": 14,  # the blank cell beside 其他资金
        "purpose": 17,
        "goals": 20,
        "goals.1": 20,
        "goals.2": 22,
    }
    assert places(findings(path, "GL707")) == {("项目名称", None, None, 6), ("绩效目标", None, None, 22)}
    # GL403: 预算数 12 ≠ 财政资金 10, reported at the 预算数 value's line
    assert [f.location.line for f in findings(path, "GL403")] == [10]


def test_word_dump_corpus_template_text_at_its_lines():
    """Commerce 表62 and 表66: the template text 目标内容 at the lines of the purpose and goal that hold it."""
    path = CORPUS / "tianjin-commerce-2025-projects.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    got = findings(path, "GL707")
    assert len(got) == 3
    for f in got:
        assert f.location.line is not None
        assert f.value is None and "目标内容" in lines[f.location.line - 1], f.location


YAML = """\
goallint: 1
tables:
  - number: 3
    project: XX项目
    unit: 万元
    budget:
      total: 12
      fiscal: 10
    purpose: 保障运转
    goals:
      - 保障运转
      - 目标内容2确保安全
    rows:
      - [产出指标, 数量指标, 物业管理服务面积, "", ≥29600平方米]
"""


def test_canonical_yaml_lines(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(YAML, encoding="utf-8")
    table = readers.read(path).tables[0]
    assert {name: loc.line for name, loc in table.field_locations.items()} == {
        "project": 4,
        "budget.total": 7,
        "budget.fiscal": 8,
        "purpose": 9,
        "goals": 10,
        "goals.1": 11,
        "goals.2": 12,
    }
    assert places(findings(path, "GL707")) == {("项目名称", None, None, 4), ("绩效目标", None, None, 12)}
    assert [f.location.line for f in findings(path, "GL403")] == [7]


def test_canonical_json_lines_from_the_scan(tmp_path):
    data = {
        "goallint": 1,
        "tables": [
            {
                "project": "XX项目",
                "unit": "万元",
                "budget": {"total": 12, "fiscal": 10},
                "goals": ["目标内容1保障运转"],
                "rows": [["产出指标", "数量指标", "物业管理服务面积", "", "≥29600平方米"]],
            }
        ],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    text = path.read_text(encoding="utf-8").split("\n")
    table = readers.read(path).tables[0]
    line = {name: loc.line for name, loc in table.field_locations.items()}
    assert '"project"' in text[line["project"] - 1]
    assert '"goals"' in text[line["goals"] - 1]
    assert '"budget"' in text[line["budget.total"] - 1]
    assert places(findings(path, "GL707")) == {
        ("项目名称", None, None, line["project"]),
        ("绩效目标", None, None, line["goals"]),
    }


def test_long_layout_cells(tmp_path):
    header = "项目名称,单位,预算数,财政资金,其他资金,绩效目标,一级指标,二级指标,三级指标,绩效指标描述,指标值"
    rows = [
        "XX项目,万元,12,12,,1.目标内容1保障运转,产出指标,数量指标,硬件维护数量,维护的硬件设备数量,≥17台",
        "XX项目,万元,12,12,,1.目标内容1保障运转,产出指标,质量指标,系统故障率,系统故障率,≤5%",
    ]
    path = tmp_path / "t.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    table = readers.read(path).tables[0]
    assert {name: (loc.line, loc.column) for name, loc in table.field_locations.items()} == {
        "project": (2, "项目名称"),
        "budget.total": (2, "预算数"),
        "budget.fiscal": (2, "财政资金"),
        "goals": (2, "绩效目标"),
    }
    assert places(findings(path, "GL707")) == {("项目名称", None, None, 2), ("绩效目标", None, None, 2)}


def test_a_table_without_places_points_at_the_table():
    """A table built without field_locations (a plugin's reader) is still reported, at its heading."""
    doc = template_document()
    assert doc.tables[0].field_locations == {}
    engine = Engine(load_rules(), Settings(select=["GL707"]))
    got = [f for f in engine.check(doc) if f.rule_id == "GL707"]
    assert {(f.location.column, f.location.table, f.location.cell) for f in got} == {
        ("项目名称", 1, None),
        ("绩效目标", 1, None),
    }


def test_field_locations_are_left_out_of_dumps_when_empty():
    doc = template_document()
    assert "field_locations" not in doc.tables[0].model_dump()
    doc.tables[0].field_locations["project"] = Location(file="x", table=1, cell="B3")
    assert doc.tables[0].model_dump()["field_locations"]["project"]["cell"] == "B3"


def test_department_goal_with_template_text_at_its_place(tmp_path):
    """A department-wide table: template text in its second goal is reported at that goal's own cell (xlsx)
    or line (the text dump), which the department readers record (Table.goal_locations)."""
    from builders.department import build_docx, build_xlsx, corpus_table

    source = corpus_table()
    source.goals[1] = "目标内容2" + source.goals[1]
    dump = CORPUS / "tianjin-ccpit-2025-department.txt"
    text = dump.read_text(encoding="utf-8")
    table = readers.read(dump).tables[0]
    first, second = table.goal_locations[:2]
    lines = text.split("\n")
    # the goal's number on its line (目标2 → "2"), its text on the next: put the placeholder into the text
    at = next(i for i in range(second.line - 1, len(lines)) if lines[i].strip().startswith(table.goals[1][:6]))
    lines[at] = lines[at].replace(table.goals[1][:6], "XX" + table.goals[1][:6], 1)
    edited = tmp_path / "department.txt"
    edited.write_text("\n".join(lines), encoding="utf-8")
    got = findings(edited, "GL707")
    assert [(f.location.column, f.location.line) for f in got] == [("绩效目标", second.line)]
    assert first.line != second.line
    for path in (build_xlsx(source, tmp_path / "d.xlsx"), build_docx(source, tmp_path / "d.docx")):
        table = readers.read(path).tables[0]
        got = findings(path, "GL707")
        assert len(got) == 1, path
        where = table.goal_locations[1]
        assert (got[0].location.sheet, got[0].location.cell) == (where.sheet, where.cell), path
