"""Indicator grids of other regions (../shared/templates.md 1–5, issue 17): files built cell by cell as published
(.docx with merged cells, .xlsx, Word dumps), every row in the right fields, findings at the right cells,
fixes written into the right cell, weights, scores and actual values never reported."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from goallint import pipeline
from goallint.annotate import annotate
from goallint.cli import app
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from builders import grid_layouts as layouts  # noqa: E402
from builders.docx_form import write_layout_docx  # noqa: E402
from builders.xlsx_form import write_layout_xlsx  # noqa: E402

runner = CliRunner()
WRITERS = {"docx": write_layout_docx, "xlsx": write_layout_xlsx}


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules())


def build(tmp_path: Path, sheet, kind: str, name: str = "t") -> Path:
    return WRITERS[kind]([sheet], tmp_path / f"{name}.{kind}")


def read(path: Path):
    document = pipeline.load(path)
    assert len(document.tables) == 1
    return document, document.tables[0]


def cell_of(location) -> str:
    return location.cell


# layouts' cells: xlsx rows start below the two lines above the table; docx cells are 表1 行r 列c
def xlsx(col: str, grid_row: int) -> str:
    return f"{col}{grid_row + 3}"


def docx(col: int, grid_row: int) -> str:
    return f"表1 行{grid_row + 1} 列{col + 1}"


def where(kind: str, col: int, grid_row: int) -> str:
    return xlsx("ABCDEFGHIJ"[col], grid_row) if kind == "xlsx" else docx(col, grid_row)


# --------------------------------------------------------------------------- 1. split over three columns


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_split_target_rows(tmp_path, kind):
    document, table = read(build(tmp_path, layouts.split_export(), kind))
    assert document.problems == []  # the empty template row, 权重 and the header's * and spaces: no warning
    got = [(r.level1, r.level2, r.level3, r.value, r.extra.get("weight")) for r in table.rows]
    assert got == [
        ("产出指标", "数量指标", "监测企业数量", "≥200家", "20"),
        ("产出指标", "数量指标", "培训企业人次", "500人次", "10"),
        ("产出指标", "质量指标", "数据准确率", "≥95百分比", "10"),
        ("产出指标", "质量指标", "报表差错率", "≧5%", "10"),
        ("产出指标", "时效指标", "完成时间", "≤12月", "10"),
        ("成本指标", "经济成本指标", "项目总成本", "30万元", "10"),
        ("效益指标", "社会效益指标", "服务企业发展", "好", "10"),
        ("满意度指标", "服务对象满意度指标", "企业满意度", "≤90%", "10"),
    ]
    first = table.rows[0]
    assert first.target.kind == "numeric" and first.target.number == 200 and first.target.unit_text == "家"
    # grid row 4 is the header; the first indicator row is grid row 5
    assert first.parts["comparator"].location.cell == where(kind, 3, 4)
    assert first.parts["number"].location.cell == where(kind, 4, 4) == first.location.cell
    assert first.parts["unit"].location.cell == where(kind, 5, 4)
    assert first.parts["comparator"].location.column == "指标性质"
    assert table.rows[6].target.kind == "qualitative"  # 定性 | 好


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_split_target_findings_point_at_the_cell_they_are_about(tmp_path, kind, engine):
    document, table = read(build(tmp_path, layouts.split_export(), kind))
    found = {(f.rule_id, f.location.row): f.location.cell for f in engine.check(document)}
    assert found[("GL205", 2)] == where(kind, 3, 5)  # 指标性质 blank: the comparator cell
    assert found[("GL103", 3)] == where(kind, 5, 6)  # 百分比: the unit cell
    assert found[("GL102", 4)] == where(kind, 3, 7)  # ≧: the comparator cell
    assert found[("GL203", 4)] == where(kind, 3, 7)  # a wrong direction: the comparator cell
    assert found[("GL204", 6)] == where(kind, 3, 9)  # a cost without a comparator: the comparator cell
    assert ("GL205", 6) not in found  # said once, by GL204
    assert found[("GL201", 8)] == where(kind, 3, 11)  # a satisfaction ceiling: the comparator cell
    weights = {where(kind, 6, r) for r in range(4, 14)}
    assert not weights & set(found.values())  # 权重 is never a target


@pytest.mark.parametrize("kind", ["docx", "xlsx", "txt"])
def test_split_target_fix_writes_the_part_cells(tmp_path, kind):
    sheet = layouts.split_export()
    path = (
        layouts.write_layout_dump(sheet, tmp_path / "t.txt", first_grid_row=3)
        if kind == "txt"
        else build(tmp_path, sheet, kind)
    )
    result = runner.invoke(app, ["check", "--no-config", "--no-color", "--fix", str(path)])
    assert result.exit_code in (0, 1), result.output
    _, table = read(path)
    accuracy, errors = table.rows[2], table.rows[3]
    assert (accuracy.value, errors.value) == ("≥95%", "≥5%")
    assert {k: p.text for k, p in accuracy.parts.items()} == {"comparator": "≥", "number": "95", "unit": "%"}
    assert {k: p.text for k, p in errors.parts.items()} == {"comparator": "≥", "number": "5", "unit": "%"}
    assert table.rows[7].value == "≤90%"  # GL201's fix is not safe: not written
    if kind == "xlsx":
        ws = openpyxl.load_workbook(path).active
        assert (ws["D10"].value, ws["E10"].value, ws["F9"].value, ws["E9"].value) == ("≥", 5, "%", 95)


def test_split_target_annotation_marks_the_comparator_cell(tmp_path, engine):
    path = build(tmp_path, layouts.split_export(), "xlsx")
    document, _ = read(path)
    findings = [f for f in engine.check(document) if f.rule_id == "GL205"]
    out = annotate(path, findings, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws["D8"].comment is not None and "GL205" in ws["D8"].comment.text
    assert ws["E8"].comment is None


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_ascii_comparators_and_a_two_level_header(tmp_path, kind, engine):
    document, table = read(build(tmp_path, layouts.split_export(ascii_comparators=True, unit_header="计量单位"), kind))
    assert table.rows[0].value == "≥200家" and table.rows[7].value == "≤90%"
    assert not any(f.rule_id == "GL102" and f.location.row == 1 for f in engine.check(document))
    document, table = read(build(tmp_path, layouts.split_two_level(), kind, "two"))
    assert document.problems == []
    got = [(r.level3, r.description, r.value, r.extra.get("weight")) for r in table.rows]
    assert got == [
        ("培训人次", "参训企业人次", "≥500人次", "30"),
        ("培训合格率", "考试合格人数占比", "≤90%", "30"),
        ("参训企业满意度", "问卷调查", "＝95%", "40"),
    ]
    assert table.rows[1].parts["comparator"].text == "<="
    polarity = [f for f in engine.check(document) if f.rule_id == "GL203"]
    assert [f.location.cell for f in polarity] == [where(kind, 3, 6)]


def test_split_target_in_a_word_dump(tmp_path, engine):
    path = layouts.write_layout_dump(layouts.split_export(), tmp_path / "t.txt", first_grid_row=3)
    document = pipeline.load(path)
    assert document.format == "word-dump" and document.problems == []
    table = document.tables[0]
    assert [r.value for r in table.rows][:3] == ["≥200家", "500人次", "≥95百分比"]
    lines = path.read_text(encoding="utf-8").split("\n")
    found = {(f.rule_id, f.location.row): f.location.line for f in engine.check(document)}
    assert lines[found[("GL205", 2)] - 1] == "\t"  # the blank 指标性质 cell's line
    assert lines[found[("GL103", 3)] - 1] == "\t百分比"
    assert lines[found[("GL102", 4)] - 1] == "\t≧"
    assert table.rows[0].extra == {"weight": "20"}


def test_split_target_in_the_long_layout(tmp_path, engine):
    path = tmp_path / "long.csv"
    path.write_text(
        "项目名称,三级指标,*指标性质,指标值,计量单位,权重(%)\n培训,培训人次,,500,人次,20\n培训,合格率,≧,90,%,20\n",
        encoding="utf-8",
    )
    document = pipeline.load(path)
    rows = document.tables[0].rows
    assert [(r.value, r.extra) for r in rows] == [("500人次", {"weight": "20"}), ("≧90%", {"weight": "20"})]
    found = {(f.rule_id, f.location.row): f.location.column for f in engine.check(document)}
    assert found[("GL205", 1)] == "*指标性质" and found[("GL102", 2)] == "*指标性质"


# --------------------------------------------------------------------------- 2. the target column by its header


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize(
    ("variant", "header"), [(1, "当年预期实现值"), (2, "预期2024年实现值"), (3, "指标值及单位")], ids=["1", "2", "3"]
)
def test_provincial_target_headers(tmp_path, kind, variant, header, engine):
    document, table = read(build(tmp_path, layouts.provincial(variant), kind))
    assert document.problems == []
    assert [r.value for r in table.rows] == ["≥500人次", "≥90%", "≥95%"]
    # the neighbouring columns (绩效标准, 2023年实际实现值, 指标标准或依据) hold ≤…: never read as targets
    assert not [f for f in engine.check(document) if f.rule_id in ("GL201", "GL203")]


def test_an_unknown_target_header_is_one_warning_and_the_configuration_names_it(tmp_path):
    rows, merges = layouts._header_block(6, "培训", "20.00", "培训。")
    rows += [
        ["一级指标", "二级指标", "三级指标", "本年度目标", "考核方式", "权重"],
        ["产出指标", "数量指标", "培训人次", "≥500人次", "抽查", "20"],
        ["满意度指标", "服务对象满意度指标", "满意度", "≤90%", "问卷", "20"],
    ]
    path = write_layout_xlsx([layouts.Sheet(["单位：万元"], rows, merges)], tmp_path / "own.xlsx")
    document = pipeline.load(path)
    assert [p.code for p in document.problems] == ["unknown-target-column"]
    assert "本年度目标" in document.problems[0].message
    (tmp_path / "goallint.yaml").write_text("columns:\n  value: [本年度目标]\n  skip: [考核方式]\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-color", "--format", "json", str(path)])
    report = json.loads(result.output)
    assert [(f["rule"], f["cell"]) for f in report["findings"] if f["row"]] == [("GL201", "D7")]
    (tmp_path / "goallint.yaml").write_text("columns:\n  target: [本年度目标]\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-color", str(path)])
    assert result.exit_code == 2 and "target" in result.output


def test_a_cell_outside_every_column_is_one_warning(tmp_path):
    sheet = layouts.midterm_and_annual()
    for row in sheet.rows:
        row.append("")
    sheet.rows[5][5] = "见附件"
    document, table = read(build(tmp_path, sheet, "xlsx"))
    assert [(p.code, p.location.cell) for p in document.problems] == [("unplaced-cell", "F8")]
    assert len(table.rows) == 8


# --------------------------------------------------------------------------- 3. two targets per row or per table


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_midterm_and_annual_side_by_side(tmp_path, kind, engine):
    document, table = read(build(tmp_path, layouts.midterm_and_annual(), kind))
    assert document.problems == []
    got = [(r.level3, r.block, r.value) for r in table.rows]
    assert got[:4] == [
        ("举办展会场次", "中期", "≥9场"),
        ("举办展会场次", "年度", "≥3场"),
        ("完成时间", "中期", "2026年12月底前"),
        ("完成时间", "年度", "2024年12月底前"),
    ]
    assert document.fiscal_year.year == 2024
    findings = engine.check(document)
    late = [(f.location.row, f.block) for f in findings if f.rule_id == "GL502"]
    assert late == [(6, "年度")]  # 2025年6月底前 as the 年度 target; the 中期 2026 and 2025 deadlines are fine
    assert next(f for f in findings if f.rule_id == "GL502").message_zh.startswith("（年度指标）")
    assert not [f for f in findings if f.rule_id in ("GL705", "GL708")]  # 中期 and 年度 repeat the indicators


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("sheet", [layouts.stacked_blocks, layouts.side_by_side_blocks], ids=["stacked", "side"])
def test_long_term_and_annual_blocks(tmp_path, kind, sheet, engine):
    document, table = read(build(tmp_path, sheet(), kind))
    assert document.problems == []
    names = [(r.level1, r.level2, r.level3 or r.description, r.block, r.value) for r in table.rows]
    assert sorted(names, key=lambda n: n[3]) == [
        ("产出指标", "数量指标", "举办招商推介活动", "年度", "≥4场"),
        ("产出指标", "时效指标", "活动完成时间", "年度", "2024年12月底前"),
        ("产出指标", "数量指标", "举办招商推介活动", "长期", "≥12场"),
        ("产出指标", "时效指标", "活动完成时间", "长期", "2026年12月底前"),
    ]
    findings = engine.check(document)
    assert not [f for f in findings if f.rule_id in ("GL502", "GL705", "GL708")]


def test_blocks_in_the_json_and_text_reports(tmp_path):
    path = build(tmp_path, layouts.midterm_and_annual(), "xlsx")
    result = runner.invoke(app, ["check", "--no-config", "--no-color", "--format", "json", str(path)])
    report = json.loads(result.output)
    late = next(f for f in report["findings"] if f["rule"] == "GL502")
    assert late["block"] == "年度" and late["cell"] == "E9"
    assert all("block" not in f for f in report["findings"] if f["row"] is None)
    text = runner.invoke(app, ["check", "--no-config", "--no-color", str(path)]).output
    assert "［年度］产出指标 / 时效指标 / 展馆改造完成时间" in text


# --------------------------------------------------------------------------- 4. self-evaluation tables


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_self_evaluation_lints_targets_only(tmp_path, kind, engine):
    document, table = read(build(tmp_path, layouts.self_evaluation(), kind))
    assert table.form == "self-evaluation"
    assert [p.code for p in document.problems] == []
    assert [r.value for r in table.rows] == ["≥500人次", "≧90%", "2024年12月底前", "≥95%"]
    assert table.rows[1].extra == {"actual": "≤80%", "weight": "20", "score": "15"}
    findings = engine.check(document)
    assert [(f.rule_id, f.location.row) for f in findings if f.rule_id == "GL102"] == [("GL102", 2)]
    # the actual values ≤80% (a ceiling on a 合格率) and 150% and the score 120 are never linted
    assert not [f for f in findings if f.rule_id in ("GL203", "GL301", "GL303")]
    values = {f.value for f in findings}
    assert not values & {"≤80%", "150%", "120", "520人次"}
    assert all(f.table_form == "self-evaluation" for f in findings)


def test_self_evaluation_in_the_reports(tmp_path):
    path = build(tmp_path, layouts.self_evaluation(), "xlsx")
    report = json.loads(runner.invoke(app, ["check", "--no-config", "--format", "json", str(path)]).output)
    assert {f["table_form"] for f in report["findings"]} == {"self-evaluation"}
    text = runner.invoke(app, ["check", "--no-config", "--no-color", str(path)]).output
    assert "绩效自评表" in text


def test_the_corpus_form_keeps_its_reading(tmp_path):
    """The five-column form: no parts, no block, nothing kept beside the target."""
    from builders.helpers import CORPUS_FILES

    document = pipeline.load(CORPUS_FILES[0])
    rows = [r for t in document.tables for r in t.rows]
    assert rows and not any(r.parts or r.block or r.extra for r in rows)
    assert all(t.form is None for t in document.tables)
    assert '"parts"' not in json.dumps(rows[0].model_dump(mode="json"))


def test_split_layout_after_a_libreoffice_resave(tmp_path):
    """A docx copy of the split layout still reads after LibreOffice saves it (merged cells rewritten)."""
    from builders.helpers import SOFFICE, convert

    if SOFFICE is None:
        pytest.skip("LibreOffice not installed")
    path = build(tmp_path, layouts.split_export(), "docx")
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(path, copy / "in.docx")
    out = convert(copy / "in.docx", "docx:MS Word 2007 XML", tmp_path / "converted")
    _, table = read(out)
    assert [r.value for r in table.rows][:2] == ["≥200家", "500人次"]


def test_an_unknown_column_is_one_warning_at_its_header(tmp_path):
    sheet = layouts.provincial(1)
    for index, row in enumerate(sheet.rows):
        row.append("责任科室" if index == 3 else ("综合科" if index > 3 else ""))
    document, table = read(build(tmp_path, sheet, "xlsx"))
    assert [(p.code, p.location.cell) for p in document.problems] == [("unknown-column", "F6")]
    assert "责任科室" in document.problems[0].message
    assert [r.value for r in table.rows] == ["≥500人次", "≥90%", "≥95%"]


@pytest.mark.parametrize(
    "sheet", [layouts.midterm_and_annual, layouts.stacked_blocks, layouts.self_evaluation], ids=lambda f: f.__name__
)
def test_other_layouts_in_a_word_dump(tmp_path, sheet):
    """A dump's row is as many cells as its grid header has labels, each meaning what its header says."""
    built = sheet()
    path = layouts.write_layout_dump(built, tmp_path / "t.txt", first_grid_row=3)
    document = pipeline.load(path)
    assert document.problems == []
    table = document.tables[0]
    expected = read(build(tmp_path, built, "xlsx"))[1]
    fields = [(r.level1, r.level2, r.level3, r.description, r.value, r.block, r.extra) for r in table.rows]
    assert fields == [(r.level1, r.level2, r.level3, r.description, r.value, r.block, r.extra) for r in expected.rows]
    assert table.form == expected.form
