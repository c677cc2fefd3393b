"""`check --fix` / `--diff` in every writable format: only the fixed cells change, the fixed findings
are gone afterwards, nothing else moves; --diff writes nothing; partly read files are refused."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from typer.testing import CliRunner

from builders.docx_form import write_docx
from builders.helpers import CORPUS, SOFFICE, convert, small_document
from builders.xlsx_form import write_xlsx
from goallint import pipeline
from goallint.cli import app
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.fix.docx import _cell, _runs
from goallint.model import Location
from goallint.readers import docx as docx_reader

runner = CliRunner()
FIXABLE = {"GL102", "GL103", "GL104"}
# row index (0-based in small_document) → (faulty value, value after --fix)
FAULTY = {
    0: ("≧17台", "≥17台"),  # GL102
    2: ("≦5百分比", "≤5%"),  # GL102 then GL103: two passes on one cell
    3: ("≤2.5万", "≤2.5万元"),  # GL104 (a cost row)
    5: ("≥95百分比", "≥95%"),  # GL103
}


def run(*args: str):
    return runner.invoke(app, ["check", "--no-config", "--no-color", *args])


def faulty_document(tables: int = 1):
    doc = small_document()
    for index, (bad, _) in FAULTY.items():
        doc.tables[0].rows[index].value = bad
    if tables == 2:  # a second table that has nothing to fix
        second = small_document(title="网站运维项目绩效目标表", project="网站运维项目", number=2).tables[0]
        doc.tables.append(second)
    return doc


def findings(path: Path):
    document = pipeline.load(path)
    return document, Engine(load_rules()).check(document)


def signature(path: Path, fixed_rows: set) -> list[tuple]:
    """The findings on rows no fix touched (a fixed row may gain or lose findings: `27万` → `27万元`
    then lacks a comparator)."""
    _, found = findings(path)
    return sorted(
        (f.rule_id, f.location.table, f.location.row, f.value, f.message_zh)
        for f in found
        if (f.location.table, f.location.row) not in fixed_rows
    )


def rows_with_safe_fixes(path: Path) -> set:
    _, found = findings(path)
    return {(f.location.table, f.location.row) for f in found if f.fix is not None and f.fix.safe}


def fixed_values(path: Path) -> list[str]:
    document, _ = findings(path)
    return [r.value for r in document.tables[0].rows]


def expected_values() -> list[str]:
    values = [r.value for r in small_document().tables[0].rows]
    for index, (_, good) in FAULTY.items():
        values[index] = good
    return values


def assert_round_trip(path: Path) -> None:
    """--fix on `path`: the fixable findings go, the others stay (with the fixed values), values are right."""
    _, before = findings(path)
    assert {f.rule_id for f in before} >= FIXABLE
    fixed_rows = rows_with_safe_fixes(path)
    others_before = signature(path, fixed_rows)
    result = run("--fix", str(path))
    assert result.exit_code in (0, 1), result.output
    assert "已应用 5 个修复" in result.output and "4 个单元格" in result.output
    _, after = findings(path)
    assert f"剩余 {len(after)} 个问题" in result.output
    assert not [f for f in after if f.rule_id in FIXABLE]
    assert signature(path, fixed_rows) == others_before
    assert fixed_values(path) == expected_values()


# --------------------------------------------------------------------------- YAML and JSON

YAML_TEXT = """\
# 手写的表格 — comments and layout must survive
goallint: 1
fiscal-year: 2024
tables:
  - number: 1
    title: 信息化运维项目绩效目标表   # title comment
    unit: 万元
    project: 信息化运维项目
    budget: {total: 12.0, fiscal: 12.0, other: null}
    rows:
      # 一级 / 二级 / 三级 / 描述 / 指标值
      - [产出指标, 数量指标, 硬件维护数量, 维护的硬件设备数量, ≧17台]
      - [产出指标, 数量指标, 系统开发, 系统开发, ≥1个]     # trailing comment
      - [产出指标, 质量指标, 系统故障率, 系统故障率, '≦5百分比']
      - level1: 产出指标
        level2: 成本指标
        level3: 硬件设备维保费
        description: 硬件设备维保费
        value: "≤2.5万"    # quoted
      - [效益指标, 社会效益指标, 门户网站访问量, 门户网站访问量, ≥39万次]
      - {一级指标: 满意度指标, 二级指标: 服务对象满意度指标, 三级指标: 使用人员满意度, 绩效指标描述: 使用人员满意度, 指标值: ≥95百分比}
"""


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.split("\n"), after.split("\n")
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=False) if x != y]


def test_yaml_round_trip_keeps_comments_and_layout(tmp_path):
    path = tmp_path / "table.yaml"
    path.write_text(YAML_TEXT, encoding="utf-8")
    assert_round_trip(path)
    after = path.read_text(encoding="utf-8")
    assert changed_lines(YAML_TEXT, after) == [
        (
            "      - [产出指标, 数量指标, 硬件维护数量, 维护的硬件设备数量, ≧17台]",
            "      - [产出指标, 数量指标, 硬件维护数量, 维护的硬件设备数量, ≥17台]",
        ),
        (
            "      - [产出指标, 质量指标, 系统故障率, 系统故障率, '≦5百分比']",
            "      - [产出指标, 质量指标, 系统故障率, 系统故障率, '≤5%']",
        ),
        ('        value: "≤2.5万"    # quoted', '        value: "≤2.5万元"    # quoted'),
        (
            "      - {一级指标: 满意度指标, 二级指标: 服务对象满意度指标, 三级指标: 使用人员满意度, 绩效指标描述: 使用人员满意度, 指标值: ≥95百分比}",
            "      - {一级指标: 满意度指标, 二级指标: 服务对象满意度指标, 三级指标: 使用人员满意度, 绩效指标描述: 使用人员满意度, 指标值: ≥95%}",
        ),
    ]


def test_yaml_value_that_needs_quotes_gets_them(tmp_path):
    from goallint.fix.canonical import _yaml_scalar

    assert _yaml_scalar("≥17台", None, True) == "≥17台"
    assert _yaml_scalar("a, b", None, True) == '"a, b"'  # a comma would split a flow row
    assert _yaml_scalar("#1", None, False) == '"#1"'
    assert _yaml_scalar("it's", "'", True) == "'it''s'"


def test_json_round_trip(tmp_path):
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(YAML_TEXT)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    path = tmp_path / "table.json"
    path.write_text(text, encoding="utf-8")
    assert_round_trip(path)
    after = json.loads(path.read_text(encoding="utf-8"))
    rows = data["tables"][0]["rows"]
    rows[0][4], rows[2][4], rows[3]["value"], rows[5]["指标值"] = "≥17台", "≤5%", "≤2.5万元", "≥95%"
    assert after == data
    # the JSON layout (indent 1) is kept: same number of lines, only the value lines differ
    assert len(changed_lines(text, path.read_text(encoding="utf-8"))) == 4


# --------------------------------------------------------------------------- CSV


def write_csv(path: Path, *, bom: bool, newline: str, encoding: str = "utf-8") -> None:
    from goallint.convert.long_rows import document_to_rows

    header, rows = document_to_rows(faulty_document())
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


@pytest.mark.parametrize(
    ("bom", "newline", "encoding"), [(True, "\r\n", "utf-8"), (False, "\n", "utf-8"), (False, "\r\n", "gbk")]
)
def test_csv_round_trip_changes_only_the_fixed_fields(tmp_path, bom, newline, encoding):
    path = tmp_path / "table.csv"
    write_csv(path, bom=bom, newline=newline, encoding=encoding)
    before = path.read_bytes()
    assert_round_trip(path)
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") == bom
    text_before = before.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    text_after = after.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    # goals span two lines inside a quoted cell: the records, not the lines, are compared
    rec_before = list(csv.reader(io.StringIO(text_before, newline="")))
    rec_after = list(csv.reader(io.StringIO(text_after, newline="")))
    assert len(rec_before) == len(rec_after)
    value_column = rec_before[0].index("指标值")
    for i, (a, b) in enumerate(zip(rec_before, rec_after, strict=False)):
        assert a[:value_column] + a[value_column + 1 :] == b[:value_column] + b[value_column + 1 :], i
    assert [r[value_column] for r in rec_after[1:]] == expected_values()
    assert text_after.count(newline) == text_before.count(newline)
    # byte for byte the same once the four values are put back
    restored = text_after
    for bad, good in FAULTY.values():
        restored = restored.replace(good, bad, 1) if good != "≥17台" else restored.replace(",≥17台", ",≧17台", 1)
    assert restored == text_before


# --------------------------------------------------------------------------- Excel


def cells_of(path: Path) -> dict:
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        out[(ws.title, "merged")] = sorted(str(r) for r in ws.merged_cells.ranges)
        for row in ws.iter_rows():
            for c in row:
                out[(ws.title, c.coordinate)] = (
                    c.value,
                    c.number_format,
                    c.font.b,
                    c.font.color.rgb if c.font.color else None,
                    c.comment.text if c.comment else None,
                    c.alignment.wrap_text,
                )
    return out


def test_xlsx_round_trip_keeps_every_other_cell_and_part(tmp_path):
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    path = write_xlsx(faulty_document(tables=2), tmp_path / "table.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws["G8"].font = Font(bold=True, color="FFFF0000")  # the first fixed cell: its style must stay
    ws["C8"].comment = Comment("请核对数量", "审核人")
    wb.save(path)
    before_cells = cells_of(path)
    before_zip = {i.filename: zipfile.ZipFile(path).read(i.filename) for i in zipfile.ZipFile(path).infolist()}
    assert_round_trip(path)
    after_cells = cells_of(path)
    sheet = ws.title
    fixed = {(sheet, f"G{8 + i}") for i in FAULTY}
    assert before_cells.keys() == after_cells.keys()
    for key in before_cells:
        if key in fixed:
            assert after_cells[key][1:] == before_cells[key][1:], key  # format, font, comment kept
            assert after_cells[key][0] == FAULTY[int(key[1][1:]) - 8][1]
        else:
            assert after_cells[key] == before_cells[key], key
    after_zip = zipfile.ZipFile(path)
    assert [i.filename for i in after_zip.infolist()] == list(before_zip)
    changed = [name for name in before_zip if after_zip.read(name) != before_zip[name]]
    assert changed == ["xl/worksheets/sheet1.xml"]


def test_xlsx_rich_text_cell_keeps_its_runs(tmp_path):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    path = write_xlsx(faulty_document(), tmp_path / "rich.xlsx")
    wb = load_workbook(path)
    wb.worksheets[0]["G8"] = CellRichText([TextBlock(InlineFont(b=True, color="FFFF0000"), "≧"), "17台"])
    wb.save(path)
    assert_round_trip(path)
    value = load_workbook(path, rich_text=True).worksheets[0]["G8"].value
    assert isinstance(value, CellRichText) and str(value) == "≥17台"
    assert value[0].text == "≥" and value[0].font.b and value[0].font.color.rgb == "FFFF0000"


def test_xlsx_number_cell_is_skipped_with_a_reason(tmp_path):
    from goallint.fix import CellEdit
    from goallint.fix import xlsx as xlsx_fix

    path = write_xlsx(small_document(), tmp_path / "t.xlsx", typed_values=True)
    data = path.read_bytes()
    document = pipeline.load(path)
    row = document.tables[0].rows[2]  # ≤5% is text; make an edit against a number cell: 预算数 C4
    edit = CellEdit(location=row.location.model_copy(update={"cell": "C4"}), old="12.00", new="13", rule_id="X")
    new, skipped = xlsx_fix.apply(data, [edit], document)
    assert new == data and "不是文本单元格" in skipped[0][1]


# --------------------------------------------------------------------------- Word


def _document_xml(path: Path):
    return etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))


def _blank_cells(root, path: Path, cells: list[str]):
    """The document XML with the text of the given cells blanked (everything else compared as is)."""
    tables: list = []
    docx_reader.read_body(root.find(docx_reader._w("body")), str(path), word_tables=tables)
    for cell in cells:
        number, row, col = (int(x) for x in cell.replace("表", "").replace("行", "").replace("列", "").split())
        for t in _runs(_cell(tables, number, row, col)):
            t.text = ""
    return etree.tostring(root, method="c14n")


def test_docx_round_trip_keeps_the_document_xml_outside_the_fixed_cells(tmp_path):
    import docx
    from docx.shared import RGBColor

    path = write_docx(faulty_document(tables=2), tmp_path / "table.docx")
    d = docx.Document(str(path))
    # formatting in the first fixed cell: the value in two runs, the second red and bold
    cell = d.tables[0].rows[5].cells[6]
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.add_run("≧")
    red = paragraph.add_run("17台")
    red.bold, red.font.color.rgb = True, RGBColor(0xFF, 0, 0)
    d.add_comment(d.tables[0].rows[5].cells[2].paragraphs[0].runs, text="请核对", author="审核人")
    d.save(str(path))
    document, _ = findings(path)
    cells = [document.tables[0].rows[i].location.cell for i in FAULTY]
    before_root = _document_xml(path)
    before_parts = {i.filename: zipfile.ZipFile(path).read(i.filename) for i in zipfile.ZipFile(path).infolist()}
    assert_round_trip(path)
    after_root = _document_xml(path)
    assert _blank_cells(after_root, path, cells) == _blank_cells(before_root, path, cells)
    after = zipfile.ZipFile(path)
    assert [name for name in before_parts if after.read(name) != before_parts[name]] == ["word/document.xml"]
    d = docx.Document(str(path))
    runs = d.tables[0].rows[5].cells[6].paragraphs[0].runs
    assert [r.text for r in runs] == ["≥", "17台"] and runs[1].bold and runs[1].font.color.rgb == RGBColor(0xFF, 0, 0)
    assert len(list(d.comments)) == 1


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_fixed_files_open_in_libreoffice(tmp_path):
    """A real office suite reads the written cells (inline strings in Excel, edited runs in Word)."""
    xlsx = write_xlsx(faulty_document(), tmp_path / "t.xlsx")
    docx_path = write_docx(faulty_document(), tmp_path / "t.docx")
    run("--fix", str(xlsx), str(docx_path))
    for path, to in ((xlsx, "xlsx:Calc MS Excel 2007 XML"), (docx_path, "docx:MS Word 2007 XML")):
        converted = convert(path, to, tmp_path / ("out-" + path.suffix[1:]))
        assert fixed_values(converted) == expected_values(), path


# --------------------------------------------------------------------------- Word text dump


def test_text_dump_round_trip_changes_only_the_fixed_lines(tmp_path):
    path = tmp_path / "commerce.txt"
    shutil.copy(CORPUS / "tianjin-commerce-2025-projects.txt", path)
    before = path.read_text(encoding="utf-8")
    _, found = findings(path)
    fixable = [f for f in found if f.fix is not None and f.fix.safe]
    assert fixable
    fixed_rows = rows_with_safe_fixes(path)
    others = signature(path, fixed_rows)
    result = run("--fix", str(path))
    assert f"已应用 {len(fixable)} 个修复" in result.output, result.output
    after = path.read_text(encoding="utf-8")
    changes = changed_lines(before, after)
    assert len(changes) == len(fixable)
    assert sorted(new for _, new in changes) == sorted(
        before.split("\n")[f.location.line - 1].replace(f.value, f.fix.text) for f in fixable
    )
    _, found = findings(path)
    assert not [f for f in found if f.fix is not None and f.fix.safe]
    assert signature(path, fixed_rows) == others


# --------------------------------------------------------------------------- --diff, refusals


def test_diff_writes_nothing_and_shows_the_cells(tmp_path):
    yaml_path = tmp_path / "a.yaml"
    yaml_path.write_text(YAML_TEXT, encoding="utf-8")
    write_docx(faulty_document(), tmp_path / "b.docx")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    result = run("--diff", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()} == before
    out = result.stdout
    assert f"--- {yaml_path}\n+++ {yaml_path}\n" in out
    assert "-≧17台\n+≥17台\n" in out and "-≦5百分比\n+≤5%\n" in out  # two passes shown as one change
    assert "@@ 表 1 信息化运维项目 · 表1 行6 列7 · 第1行 硬件维护数量 · GL102 @@" in out
    assert out.count("@@ ") == 8
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(Path(__file__).resolve().parents[2] / "examples" / "clean.yaml", clean)
    assert run("--diff", str(clean)).exit_code == 0


def test_fix_refuses_a_partly_read_file(tmp_path):
    text = YAML_TEXT.replace("    unit: 万元\n", "    unit: 万元\n    truncated: true\n")
    path = tmp_path / "cut.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("--fix", str(path))
    assert "未修复" in result.output and "文件未完整读取" in result.output
    assert path.read_text(encoding="utf-8") == text
    # a Word dump cut off inside a table: the reader reports the truncation
    dump = tmp_path / "dump.txt"
    lines = (CORPUS / "tianjin-commerce-2025-projects.txt").read_text(encoding="utf-8").split("\n")
    dump.write_text("\n".join(lines[:620]), encoding="utf-8")
    document, found = findings(dump)
    assert document.problems and any(f.fix is not None and f.fix.safe for f in found)
    before = dump.read_bytes()
    result = run("--fix", str(dump))
    assert "文件未完整读取" in result.output and dump.read_bytes() == before


def test_fix_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(YAML_TEXT, encoding="utf-8")
    path.chmod(0o640)
    run("--fix", str(path))
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
    assert path.stat().st_mode & 0o777 == 0o640


def test_fix_skips_a_cell_it_cannot_place(tmp_path):
    from goallint.fix import CellEdit
    from goallint.fix import text as text_fix

    data = "a\t≧1次\t≧1次\n".encode()
    document = pipeline.load(CORPUS / "tianjin-commerce-2025-projects.txt")
    edit = CellEdit(location=Location(file="x", table=1, row=1, line=1), old="≧1次", new="≥1次", rule_id="GL102")
    new, skipped = text_fix.apply(data, [edit], document)
    assert new == data and "出现 2 次" in skipped[0][1]
