"""The Excel (.xlsx) reader: form-layout sheets built from the corpus tables, cell texts, long-layout
sheets, bad files."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from builders.docx_form import write_docx
from builders.helpers import CORPUS, CORPUS_FILES, SOFFICE, assert_same_tables, convert, rows_of, small_document
from builders.xlsx_form import write_xlsx
from goallint import readers
from goallint.errors import InputError
from goallint.readers import xlsx as xlsx_reader
from goallint.readers.cell_text import cell_text
from goallint.units import quantity


@pytest.fixture(scope="module")
def corpus():
    return {path: readers.read(path) for path in CORPUS_FILES}


# --------------------------------------------------------------------------- the corpus, as .xlsx


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_round_trip(corpus, path, tmp_path):
    expected = corpus[path]
    out = write_xlsx(expected, tmp_path / (path.stem + ".xlsx"))
    actual = readers.read(out)
    assert actual.format == "xlsx"
    assert actual.problems == []
    assert_same_tables(expected, actual)


@pytest.mark.parametrize(
    "options",
    [{"odd_labels": True}, {"typed_values": True}, {"amounts_as_text": True}],
    ids=["odd-labels", "typed-values", "amounts-as-text"],
)
def test_corpus_variants(corpus, options, tmp_path):
    expected = corpus[CORPUS / "tianjin-commerce-2025-projects.txt"]
    actual = xlsx_reader.read(write_xlsx(expected, tmp_path / "variant.xlsx", **options))
    assert actual.problems == []
    assert_same_tables(expected, actual)


def test_typed_values_are_numbers(tmp_path):
    out = write_xlsx(small_document(), tmp_path / "typed.xlsx", typed_values=True)
    ws = load_workbook(out).worksheets[0]
    assert ws["C4"].value == 12.0 and ws["C4"].number_format == "0.00"
    t = xlsx_reader.read(out).tables[0]
    assert t.budget.total == quantity(12, "wan_yuan")


def test_locations(tmp_path):
    out = write_xlsx(small_document(), tmp_path / "loc.xlsx")
    doc = xlsx_reader.read(out)
    t = doc.tables[0]
    assert t.location.sheet == "1.信息化运维项目" and t.location.cell == "A1" and t.location.table == 1
    assert [r.location.cell for r in t.rows[:3]] == ["G8", "G9", "G10"]
    assert [r.location.row for r in t.rows[:3]] == [1, 2, 3]
    assert t.rows[0].location.sheet == "1.信息化运维项目"
    assert rows_of(t)[1][:2] == ("产出指标", "数量指标")  # merged A8:A11, B8:B9 filled down


def test_unit_yuan(tmp_path):
    t = xlsx_reader.read(write_xlsx(small_document(unit="元", total=200000.0), tmp_path / "yuan.xlsx")).tables[0]
    assert t.unit == "元"
    assert t.budget.total == quantity(200000, "yuan")


def test_several_sheets_number_tables(corpus, tmp_path):
    expected = corpus[CORPUS / "tianjin-cooperation-2022-projects.txt"]
    doc = xlsx_reader.read(write_xlsx(expected, tmp_path / "many.xlsx"))
    assert [t.location.table for t in doc.tables] == list(range(1, 14))
    assert doc.tables[12].rows[0].location.table == 13


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    "value,fmt,text",
    [
        (91.84, "General", "91.84"),
        (12, "General", "12"),
        (12.0, "0.00", "12.00"),
        (0.9, "0%", "90%"),
        (0.955, "0.0%", "95.5%"),
        (12345.6, "#,##0.00", "12,345.60"),
        (12, '0.00"万元"', "12.00万元"),
        (2.675, "0.00", "2.68"),  # Excel rounds half up
        (0.1 + 0.2, "General", "0.3"),
        (-3, "#,##0.00_);[Red](#,##0.00)", "(3.00)"),
        (7, '"≥"0"台"', "≥7台"),
        (dt.datetime(2025, 12, 31), 'yyyy"年"m"月"d"日"', "2025年12月31日"),
        (dt.datetime(2025, 12, 31), "yyyy-mm-dd", "2025-12-31"),
        ("  ≥90%\r\n ", "General", "≥90%"),
        (None, "General", ""),
    ],
)
def test_cell_text(value, fmt, text):
    assert cell_text(value, fmt) == text


def _sheet(rows, merges=(), formats=None, title="Sheet1"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    for address, fmt in (formats or {}).items():
        ws[address].number_format = fmt
    return wb


FORM = [
    ["2.展会项目绩效目标表"],
    ["573301中国国际贸易促进委员会天津市分会", None, None, None, "单位：万元"],
    ["项目名称", "展会项目"],
    ["预算金额", 91.84, "其中：财政  资金", 80, "其他资金", None],
    ["资金用途", "展会场地租赁。"],
    ["总体目标", "1.举办展会。\n2.促进合作。"],
    ["一级指标", "二级指标", "三级指标", "指标解释", "目标值"],
    ["产出指标", "数量指标", "参展企业数量", "参展企业数量", "≥300家"],
    [None, None, "满意度", "满意度", 0.9],
]


def test_hand_made_form_with_odd_labels(tmp_path):
    path = tmp_path / "form.xlsx"
    _sheet(FORM, merges=["A8:A9", "B8:B9", "A1:E1"], formats={"E9": "0%", "D4": "0.00"}).save(path)
    doc = xlsx_reader.read(path)
    assert doc.problems == []
    t = doc.tables[0]
    assert (t.number, t.title, t.department_code, t.unit, t.project) == (
        2,
        "展会项目绩效目标表",
        "573301",
        "万元",
        "展会项目",
    )
    assert t.budget.total == quantity(91.84, "wan_yuan") and t.budget.fiscal == quantity(80, "wan_yuan")
    assert t.budget.other is None
    assert t.purpose == "展会场地租赁。" and t.goals == ["举办展会。", "促进合作。"]
    assert rows_of(t) == [
        ("产出指标", "数量指标", "参展企业数量", "参展企业数量", "≥300家"),
        ("产出指标", "数量指标", "满意度", "满意度", "90%"),
    ]
    assert t.rows[1].location.cell == "E9"


def test_bad_amount_names_cell(tmp_path):
    rows = [row[:] for row in FORM]
    rows[3][1] = "九十万"
    path = tmp_path / "bad.xlsx"
    _sheet(rows, title="项目表").save(path)
    doc = xlsx_reader.read(path)
    (problem,) = doc.problems
    assert problem.code == "bad-amount" and "项目表!B4" in problem.message
    assert (problem.location.sheet, problem.location.cell) == ("项目表", "B4")


def test_formula_cached_value(tmp_path):
    out = write_xlsx(small_document(), tmp_path / "formula.xlsx", formula_total=True)
    doc = xlsx_reader.read(out)  # openpyxl saves formulas without their value
    assert doc.tables[0].budget.total is None
    assert [p.code for p in doc.problems] == ["formula-without-value"]
    assert doc.problems[0].location.cell == "C4"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_round_trip(corpus, tmp_path):
    expected = corpus[CORPUS / "tianjin-cooperation-2022-projects.txt"]
    out = write_xlsx(expected, tmp_path / "coop.xlsx", typed_values=True, formula_total=True)
    ods = convert(out, "ods", tmp_path / "ods")
    again = convert(ods, "xlsx:Calc MS Excel 2007 XML", tmp_path / "xlsx")
    actual = readers.read(again)
    assert actual.problems == []  # LibreOffice computed and saved the formulas' values
    assert_same_tables(expected, actual)


def test_form_and_notes_sheets(tmp_path):
    wb = _sheet(FORM, title="表1")
    notes = wb.create_sheet("说明")
    notes["A1"] = "本表由预算系统导出。"
    wb.create_sheet("空表")
    path = tmp_path / "notes.xlsx"
    wb.save(path)
    doc = xlsx_reader.read(path)
    assert len(doc.tables) == 1
    assert [(p.code, p.location.sheet) for p in doc.problems] == [("unrecognised-sheet", "说明")]


# --------------------------------------------------------------------------- the long layout


def test_long_layout_sheet(corpus, tmp_path):
    from goallint.convert import xlsx_long

    expected = corpus[CORPUS / "tianjin-ccpit-2023-projects.txt"]
    path = tmp_path / "long.xlsx"
    xlsx_long.write(expected, path)
    doc = readers.read(path)
    assert [t.project for t in doc.tables] == [t.project for t in expected.tables]
    assert [rows_of(t) for t in doc.tables] == [rows_of(t) for t in expected.tables]
    assert doc.tables[0].rows[0].location.sheet == "绩效目标表"


def test_long_and_form_sheets_in_one_workbook(corpus, tmp_path):
    from goallint.convert import xlsx_long

    expected = corpus[CORPUS / "tianjin-ccpit-2023-projects.txt"]
    long_path = tmp_path / "long.xlsx"
    xlsx_long.write(expected, long_path)
    wb = load_workbook(long_path)
    form = wb.create_sheet("表单")
    for row in FORM:
        form.append(row)
    path = tmp_path / "both.xlsx"
    wb.save(path)
    doc = xlsx_reader.read(path)
    assert len(doc.tables) == len(expected.tables) + 1
    assert doc.tables[-1].project == "展会项目"
    assert doc.tables[-1].location.table == len(expected.tables) + 1


# --------------------------------------------------------------------------- bad files


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    text = tmp_path / "text.xlsx"
    text.write_text("项目名称,指标值\n", encoding="utf-8")
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("data.bin", "hello")
    word = tmp_path / "word.xlsx"
    write_docx(small_document(), word)
    ole = tmp_path / "old.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    no_header = tmp_path / "no-header.xlsx"
    _sheet([["序号", "名称"], [1, "某项目"]], title="清单").save(no_header)
    long_bad = tmp_path / "long-bad.xlsx"
    _sheet([["项目名称", "一级指标", "二级指标", "三级指标", "指标值", "指标值"], ["a", "b", "c", "d", "e", "f"]]).save(
        long_bad
    )
    return {
        "text": text,
        "zip": other_zip,
        "docx": word,
        "ole": ole,
        "empty": empty,
        "no-header": no_header,
        "long-bad": long_bad,
    }


@pytest.mark.parametrize("kind", ["text", "zip", "docx", "ole", "empty", "no-header", "long-bad"])
@pytest.mark.parametrize("via", ["registry", "reader"])
def test_bad_files(tmp_path, kind, via):
    path = _bad_files(tmp_path)[kind]
    with pytest.raises(InputError) as info:
        (readers.read if via == "registry" else xlsx_reader.read)(path)
    assert info.value.file == str(path)
    if via == "reader":
        expected = {
            "text": "不是 zip",
            "zip": "xl/workbook.xml",
            "docx": "Word",
            "ole": ".xls",
            "empty": "空",
            "no-header": "“清单”",
            "long-bad": "Sheet1!A1",
        }[kind]
        assert expected in info.value.message


def test_sniff():
    assert xlsx_reader.sniff(Path("a.xlsx"), b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml")
    assert not xlsx_reader.sniff(Path("a.xlsx"), b"PK\x03\x04....[Content_Types].xml....word/document.xml")
    assert not xlsx_reader.sniff(Path("a.xlsx"), b"\xd0\xcf\x11\xe0")


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize("name", ["clean", "faulty"])
@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_examples_are_current(name, suffix):
    from builders.make_examples import CLEAN, FAULTY, ROOT
    from goallint.model import Document

    path = ROOT / "examples" / f"{name}{suffix}"
    expected = Document(path=name, format="example", tables=[CLEAN if name == "clean" else FAULTY])
    actual = readers.read(path)
    assert actual.format == suffix[1:] and actual.problems == []
    assert_same_tables(expected, actual)
