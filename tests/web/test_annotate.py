"""Annotated copies (goallint/annotate): real .docx/.xlsx built from a corpus table, checked by the engine,
annotated, and read back: exactly the faulty cells are marked, each with a comment naming its rules;
every other cell is unchanged; the original is untouched; LibreOffice opens the copies."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import require
from lxml import etree
from typer.testing import CliRunner

from builders.docx_form import write_docx
from builders.helpers import convert as soffice_convert
from builders.xlsx_form import HEADER_ROW, write_xlsx
from goallint import pipeline
from goallint.annotate import FILL, annotate, field_of
from goallint.cli import app
from goallint.readers import docx as docx_reader

W = docx_reader.W
# where the builders put things (tests/builders/docx_form.py, xlsx_form.py): the expected marks are
# computed from the layout, independently of the annotator's own cell finding
DOCX_FIRST_ROW = 5  # 0-based Word row of indicator row 1 (project, budget, purpose, goals, grid header above)
DOCX_COLUMN = {"level1": 0, "level2": 1, "level3": 2, "description": 4, "value": 6}
DOCX_HEADER = {"project": (0, 1), "total": (1, 2), "fiscal": (1, 4), "other": (1, 6)}
XLSX_COLUMN = {"level1": "A", "level2": "B", "level3": "C", "description": "E", "value": "G"}
XLSX_HEADER = {"project": "B3", "total": "C4", "fiscal": "E4", "other": "G4"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checked(path: Path, engine):
    findings = engine.check(pipeline.load(path))
    assert {"GL201", "GL102", "GL403", "GL705"} <= {f.rule_id for f in findings}, [f.rule_id for f in findings]
    return findings


# --------------------------------------------------------------------------- Word


def word_cells(path: Path) -> dict[tuple[int, int], object]:
    """(0-based row, first grid column) → w:tc of the first Word table."""
    body = docx.Document(str(path)).element.body
    tbl = body.find(f"{{{W}}}tbl")
    cells = {}
    for r, tr in enumerate(tbl.findall(f"{{{W}}}tr")):
        col = 0
        for tc in tr.findall(f"{{{W}}}tc"):
            cells[(r, col)] = tc
            span = tc.find(f"{{{W}}}tcPr/{{{W}}}gridSpan")
            col += int(span.get(f"{{{W}}}val")) if span is not None else 1
    return cells


def expected_docx(findings) -> dict[tuple[int, int], set[str]]:
    out: dict[tuple[int, int], set[str]] = {}
    for f in findings:
        name = field_of(f.location.column)
        key = (
            (DOCX_FIRST_ROW + f.location.row - 1, DOCX_COLUMN[name or "value"])
            if f.location.row is not None
            else DOCX_HEADER.get(name, (0, 0))
        )
        out.setdefault(key, set()).add(f.rule_id)
    return out


def comments_by_id(path: Path) -> dict[str, str]:
    return {str(c.comment_id): c.text for c in docx.Document(str(path)).comments}


def test_docx_copy_marks_exactly_the_faulty_cells(tmp_path, table_document, engine):
    source = write_docx(table_document, tmp_path / "表.docx")
    before = digest(source)
    findings = checked(source, engine)
    out = annotate(source, findings, tmp_path / "out" / "表.docx")
    assert digest(source) == before  # the original is never modified

    expected = expected_docx(findings)
    original, copy = word_cells(source), word_cells(out)
    assert original.keys() == copy.keys()
    comments = comments_by_id(out)
    marked = {}
    for key, tc in copy.items():
        shd = tc.find(f"{{{W}}}tcPr/{{{W}}}shd")
        anchors = [e.get(f"{{{W}}}id") for e in tc.iter(f"{{{W}}}commentRangeStart")]
        if shd is None and not anchors:
            # every other cell is unchanged, byte for byte
            assert etree.tostring(tc) == etree.tostring(original[key]), key
            continue
        assert shd is not None and len(anchors) == 1, key
        text = comments[anchors[0]]
        rules = set(re.findall(r"GL\d{3}", text))
        marked[key] = rules
        worst = max((f.severity for f in findings if f.rule_id in rules), key=["info", "warning", "error"].index)
        assert shd.get(f"{{{W}}}fill") == FILL[worst]
        assert docx_reader._cell_text(tc) == docx_reader._cell_text(original[key])  # the text is kept
    assert marked == expected
    satisfaction = next(key for key, rules in marked.items() if "GL201" in rules)
    assert docx_reader._cell_text(copy[satisfaction]) == "≤90%"
    assert "预算数" not in docx_reader._cell_text(copy[DOCX_HEADER["total"]])  # the amount, not its label


def test_docx_comment_text_names_rule_and_message(tmp_path, table_document, engine):
    source = write_docx(table_document, tmp_path / "t.docx")
    findings = checked(source, engine)
    out = annotate(source, findings, tmp_path / "copy.docx")
    text = "\n".join(comments_by_id(out).values())
    gl201 = next(f for f in findings if f.rule_id == "GL201")
    label = {"error": "错误", "warning": "警告", "info": "提示"}[gl201.severity]
    assert f"GL201 {gl201.rule_name}（{label}）：{gl201.message_zh}" in text
    assert all(c.author == "goallint" for c in docx.Document(str(out)).comments)


def test_docx_empty_cell_gets_an_anchor(tmp_path, table_document, engine):
    """A faulty empty 指标值 (GL101) has no run to anchor a comment: one empty run is added."""
    document = table_document.model_copy(deep=True)
    document.tables[0].rows[2].value = ""
    source = write_docx(document, tmp_path / "empty.docx")
    findings = [f for f in engine.check(pipeline.load(source)) if f.location.row == 3]
    assert findings, "an empty value is a finding"
    out = annotate(source, findings, tmp_path / "copy.docx")
    tc = word_cells(out)[(DOCX_FIRST_ROW + 2, DOCX_COLUMN["value"])]
    assert tc.find(f".//{{{W}}}commentRangeStart") is not None
    assert docx_reader._cell_text(tc) == ""


# --------------------------------------------------------------------------- Excel


def expected_xlsx(findings) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in findings:
        name = field_of(f.location.column)
        key = (
            f"{XLSX_COLUMN[name or 'value']}{HEADER_ROW + f.location.row}"
            if f.location.row is not None
            else XLSX_HEADER.get(name, "A1")
        )
        out.setdefault(key, set()).add(f.rule_id)
    return out


def style(cell) -> tuple:
    return (
        cell.fill.fill_type,
        cell.fill.fgColor.rgb,
        cell.number_format,
        cell.font.b,
        cell.alignment.wrap_text,
        cell.alignment.vertical,
    )


def test_xlsx_copy_marks_exactly_the_faulty_cells(tmp_path, table_document, engine):
    source = write_xlsx(table_document, tmp_path / "表.xlsx")
    before = digest(source)
    findings = checked(source, engine)
    out = annotate(source, findings, tmp_path / "out" / "表.xlsx")
    assert digest(source) == before
    original = openpyxl.load_workbook(source).worksheets[0]
    copy = openpyxl.load_workbook(out).worksheets[0]
    assert copy.title == original.title
    marked = {}
    for row in copy.iter_rows(
        min_row=1, max_row=max(copy.max_row, original.max_row), max_col=max(copy.max_column, original.max_column)
    ):
        for cell in row:
            was = original[cell.coordinate]
            assert cell.value == was.value, cell.coordinate  # no value changes anywhere
            if cell.comment is None:
                assert style(cell) == style(was), cell.coordinate
                continue
            rules = set(re.findall(r"GL\d{3}", cell.comment.text))
            marked[cell.coordinate] = rules
            worst = max((f.severity for f in findings if f.rule_id in rules), key=["info", "warning", "error"].index)
            assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith(FILL[worst])
            assert cell.comment.author == "goallint"
    assert marked == expected_xlsx(findings)
    assert copy[next(k for k, v in marked.items() if "GL201" in v)].value == "≤90%"
    assert copy.merged_cells.ranges and {str(r) for r in copy.merged_cells.ranges} == {
        str(r) for r in original.merged_cells.ranges
    }


def test_xlsx_long_layout_marks_value_cells(tmp_path, table_document, engine):
    """The long layout (one indicator per row): the 指标值 column of the faulty rows."""
    from goallint.convert import convert

    source = tmp_path / "long.xlsx"
    yaml_path = tmp_path / "t.yaml"
    from goallint import canonical

    yaml_path.write_text(canonical.dump_yaml(table_document), encoding="utf-8")
    convert(yaml_path, source)
    findings = engine.check(pipeline.load(source))
    out = annotate(source, findings, tmp_path / "copy.xlsx")
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    value_col = openpyxl.utils.get_column_letter(header.index("指标值") + 1)
    notes = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    gl201 = next(f for f in findings if f.rule_id == "GL201")
    row_of = next(r for r in range(2, ws.max_row + 1) if ws[f"{value_col}{r}"].value == "≤90%")
    assert "GL201" in notes[f"{value_col}{row_of}"] and gl201.value == "≤90%"


# --------------------------------------------------------------------------- errors, CLI, LibreOffice


def test_refuses_to_overwrite_the_original(tmp_path, table_document, engine):
    from goallint.errors import InputError

    source = write_docx(table_document, tmp_path / "t.docx")
    before = digest(source)
    with pytest.raises(InputError, match="不能覆盖原文件"):
        annotate(source, checked(source, engine), source)
    assert digest(source) == before
    with pytest.raises(InputError, match=r"\.docx"):
        annotate(tmp_path / "t.csv", [], tmp_path / "x.csv")


def test_cli_annotate(tmp_path, table_document):
    (tmp_path / "in").mkdir()
    docx_path = write_docx(table_document, tmp_path / "in" / "表.docx")
    xlsx_path = write_xlsx(table_document, tmp_path / "in" / "表.xlsx")
    csv_path = tmp_path / "in" / "t.csv"
    csv_path.write_text("项目名称,一级指标,二级指标,三级指标,指标值\nP,产出指标,数量指标,台数,≧5台\n", encoding="utf-8")
    before = {p: digest(p) for p in (docx_path, xlsx_path)}
    result = CliRunner().invoke(
        app, ["check", "--no-config", str(tmp_path / "in"), "--annotate", str(tmp_path / "out")]
    )
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["表.docx", "表.xlsx"]
    assert "t.csv" in result.output and "跳过" in result.output  # a CSV has no copy, and says so
    assert {p: digest(p) for p in before} == before
    notes = [
        c.comment.text
        for row in openpyxl.load_workbook(tmp_path / "out" / "表.xlsx").worksheets[0].iter_rows()
        for c in row
        if c.comment
    ]
    assert any("GL201" in n for n in notes)
    refused = CliRunner().invoke(
        app, ["check", "--no-config", str(docx_path), "--annotate", str(tmp_path / "o2"), "--fix"]
    )
    assert refused.exit_code == 2 and not (tmp_path / "o2").exists()


def test_libreoffice_opens_the_copies(tmp_path, table_document, engine):
    require("soffice")
    copies = []
    for name, write in (("t.docx", write_docx), ("t.xlsx", write_xlsx)):
        source = write(table_document, tmp_path / name)
        copies.append(annotate(source, checked(source, engine), tmp_path / "copies" / name))

    def convert(path: Path, to: str, outdir: Path) -> Path:
        out = soffice_convert(path, to, outdir)
        assert out.stat().st_size > 1000
        return out

    for copy in copies:
        pdf = convert(copy, "pdf", tmp_path / ("pdf-" + copy.suffix[1:]))
        assert pdf.read_bytes().startswith(b"%PDF")
    # LibreOffice read the comments too: saved again by it, they are still there
    again = convert(copies[1], "xlsx", tmp_path / "lo")
    notes = [
        c.comment.text for row in openpyxl.load_workbook(again).worksheets[0].iter_rows() for c in row if c.comment
    ]
    assert any("GL201" in n for n in notes)
    again = convert(copies[0], "docx", tmp_path / "lo")
    assert any("GL201" in c.text for c in docx.Document(str(again)).comments)


def marks_in_copy(path: Path) -> list[tuple[str, set[str]]]:
    """(cell text, rule ids in its comment or note) of every marked cell of an annotated copy."""
    out = []
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        comments = {str(c.comment_id): c.text for c in document.comments}
        for tc in document.element.body.iter(f"{{{W}}}tc"):
            starts = [e.get(f"{{{W}}}id") for e in tc.findall(f".//{{{W}}}commentRangeStart")]
            own = [s for s in starts if s in comments and tc.find(f"{{{W}}}tcPr/{{{W}}}shd") is not None]
            for s in own:
                out.append((docx_reader._cell_text(tc).replace("\n", ""), set(re.findall(r"GL\d{3}", comments[s]))))
    else:
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.comment is not None:
                        out.append((str(cell.value or "").strip(), set(re.findall(r"GL\d{3}", cell.comment.text))))
    return out


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_many_tables_each_value_finding_on_its_own_cell(tmp_path, engine, suffix):
    """A whole corpus document (7 tables; in Word the first split over two tables by a page break):
    every finding about a 指标值 is in a comment on a cell holding exactly that value, each row place
    is its own marked cell, and every rule that fired is in some comment."""
    from builders.helpers import CORPUS

    document = pipeline.load(CORPUS / "tianjin-ccpit-2023-projects.txt")
    source = (
        write_docx(document, tmp_path / "t.docx", split={0: 3})
        if suffix == ".docx"
        else write_xlsx(document, tmp_path / "t.xlsx")
    )
    findings = engine.check(pipeline.load(source))
    out = annotate(source, findings, tmp_path / "out" / source.name)
    marks = marks_in_copy(out)
    value_findings = [
        f for f in findings if f.location.row is not None and field_of(f.location.column) in (None, "value")
    ]
    assert len(value_findings) >= 5
    for f in value_findings:
        assert any(text == (f.value or "").replace("\n", "") and f.rule_id in rules for text, rules in marks), (
            f.rule_id,
            f.value,
        )
    row_places = {
        (f.location.table, f.location.row, field_of(f.location.column) or "value") for f in findings if f.location.row
    }
    table_places = {(f.location.table, f.location.column) for f in findings if not f.location.row}
    # table findings about different columns may share the table's first cell
    assert len(row_places) <= len(marks) <= len(row_places) + len(table_places)
    assert {r for _, rules in marks for r in rules} == {f.rule_id for f in findings}
