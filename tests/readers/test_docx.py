"""The Word (.docx) reader: real .docx files built from the corpus tables, variants, bad files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document as new_document

from builders.docx_form import write_docx
from builders.helpers import CORPUS, CORPUS_FILES, SOFFICE, assert_same_tables, convert, rows_of, small_document
from goallint import readers
from goallint.errors import InputError
from goallint.model import Budget, Location
from goallint.readers import docx as docx_reader
from goallint.units import quantity


@pytest.fixture(scope="module")
def corpus():
    return {path: readers.read(path) for path in CORPUS_FILES}


# --------------------------------------------------------------------------- the corpus, as .docx


def test_corpus_files_present():
    assert len(CORPUS_FILES) == 3


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_round_trip(corpus, path, tmp_path):
    expected = corpus[path]
    out = write_docx(expected, tmp_path / (path.stem + ".docx"))
    actual = readers.read(out)  # through the registry: suffix and sniffing
    assert actual.format == "docx"
    assert actual.problems == []
    assert_same_tables(expected, actual)
    assert [t.location.table for t in actual.tables] == list(range(1, len(expected.tables) + 1))


@pytest.mark.parametrize(
    "options",
    [
        {"odd_labels": True},
        {"header_in_table": True},
        {"auto_numbered_goals": True},
        {"split": {0: 3, 2: 5, 4: 1}},
        {"split": {0: 3, 1: 9}, "repeat_header": False},
    ],
    ids=["odd-labels", "header-in-table", "auto-numbered-goals", "split-repeated-header", "split-no-header"],
)
def test_corpus_variants(corpus, options, tmp_path):
    expected = corpus[CORPUS / "tianjin-ccpit-2023-projects.txt"]
    actual = docx_reader.read(write_docx(expected, tmp_path / "variant.docx", **options))
    assert actual.problems == []
    assert_same_tables(expected, actual)


def test_split_table_locations(tmp_path):
    doc = small_document()
    actual = docx_reader.read(write_docx(doc, tmp_path / "split.docx", split={0: 2}))
    table = actual.tables[0]
    assert len(table.rows) == 6
    # rows 1-2 in the first Word table (header block of 5 rows, grid header on row 5),
    # rows 3- in the second, after its repeated grid header
    assert [r.location.cell for r in table.rows[:4]] == ["表1 行6 列7", "表1 行7 列7", "表2 行2 列7", "表2 行3 列7"]
    assert [r.location.row for r in table.rows] == [1, 2, 3, 4, 5, 6]
    assert all(r.location.table == 1 for r in table.rows)


# --------------------------------------------------------------------------- header fields


def test_small_table_fields(tmp_path):
    actual = docx_reader.read(write_docx(small_document(), tmp_path / "t.docx"))
    t = actual.tables[0]
    assert (t.number, t.title, t.department_code, t.department_name) == (
        1,
        "信息化运维项目绩效目标表",
        "573301",
        "中国国际贸易促进委员会天津市分会",
    )
    assert t.unit == "万元"
    assert t.budget.total == quantity(12, "wan_yuan")
    assert t.budget.other is None  # empty 其他资金
    assert t.goals == ["确保机房网络全年无阻碍运行。", "确保门户网站网络安全，不发生网络意识形态问题。"]
    assert rows_of(t)[1] == ("产出指标", "数量指标", "系统开发", "系统开发", "≥1个")  # 一级/二级 merged, filled down
    assert t.location == Location(file=str(tmp_path / "t.docx"), table=1, cell="表1 行1 列1")


def test_unit_yuan(tmp_path):
    doc = small_document(unit="元", total=200000.0)
    out = write_docx(doc, tmp_path / "yuan.docx")
    assert "200000.00" in _all_text(out)
    t = docx_reader.read(out).tables[0]
    assert t.unit == "元"
    assert t.budget.total == quantity(200000, "yuan")
    assert t.budget.total.to("wan_yuan").magnitude == pytest.approx(20)


def _all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def _table_with(cells: list[list[str]], doc=None):
    doc = doc or new_document()
    table = doc.add_table(rows=len(cells), cols=max(len(r) for r in cells))
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return doc


FORM = [
    ["项目名称", "展会项目", "", "", ""],
    ["预算数", "91.84", "其中：财政资金", "80.00", ""],
    ["其他资金", "", "资金用途", "展会场地租赁。", ""],
    ["年度绩效目标", "1.举办展会。\n2.促进合作。", "", "", ""],
    ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
    ["产出指标", "数量指标", "参展企业数量", "参展企业数量", "≥300家"],
    ["", "", "展会天数", "展会天数", "3天"],
]


def test_labels_anywhere_and_unparsed_cells(tmp_path):
    # a form with labels in other places than the published layout, and no title or unit paragraph
    doc = new_document()
    doc.add_paragraph("单位：万元")
    _table_with(FORM, doc)
    path = tmp_path / "form.docx"
    doc.save(path)
    t = docx_reader.read(path).tables[0]
    assert t.project == "展会项目"
    assert t.budget == Budget(total=quantity(91.84, "wan_yuan"), fiscal=quantity(80, "wan_yuan"))
    assert t.purpose == "展会场地租赁。"
    assert t.goals == ["举办展会。", "促进合作。"]  # one cell text with a line break, numbering removed
    assert rows_of(t) == [
        ("产出指标", "数量指标", "参展企业数量", "参展企业数量", "≥300家"),
        ("产出指标", "数量指标", "展会天数", "展会天数", "3天"),  # empty 一级/二级 filled down
    ]
    assert t.title is None and t.number is None


def test_bad_amount_names_cell(tmp_path):
    cells = [row[:] for row in FORM]
    cells[1][1] = "约九十万"
    doc = new_document()
    doc.add_paragraph("单位：万元")
    _table_with(cells, doc)
    path = tmp_path / "bad-amount.docx"
    doc.save(path)
    document = docx_reader.read(path)
    assert document.tables[0].budget.total is None
    (problem,) = document.problems
    assert problem.code == "bad-amount"
    assert "约九十万" in problem.message and "表1 行2 列2" in problem.message
    assert problem.location.cell == "表1 行2 列2" and problem.location.table == 1


def test_non_target_tables_ignored(tmp_path):
    doc = new_document()
    doc.add_paragraph("附件：项目清单")
    _table_with([["序号", "名称"], ["1", "某项目"]], doc)  # not a target table
    doc.add_paragraph("1.信息化运维项目绩效目标表")
    doc.add_paragraph("单位：元")
    _table_with(FORM, doc)
    _table_with([["备注"], ["无"]], doc)
    path = tmp_path / "mixed.docx"
    doc.save(path)
    document = docx_reader.read(path)
    assert len(document.tables) == 1
    t = document.tables[0]
    assert (t.number, t.title, t.unit) == (1, "信息化运维项目绩效目标表", "元")
    assert t.location.table == 1 and t.location.cell == "表2 行1 列1"  # the second Word table
    assert t.rows[0].location.cell == "表2 行6 列5"


def test_continuation_with_vmerge_across_tables(tmp_path):
    # a table split by hand: the second Word table starts with a continued vertical merge
    doc = new_document()
    doc.add_paragraph("单位：万元")
    _table_with(FORM[:6], doc)
    doc.add_paragraph("")
    second = _table_with(
        [["", "", "展会天数", "展会天数", "3天"], ["效益指标", "社会效益指标", "媒体报道", "媒体报道", "≥20篇"]], doc
    )
    del second
    path = tmp_path / "continued.docx"
    doc.save(path)
    (t,) = docx_reader.read(path).tables
    assert rows_of(t)[1:] == [
        ("产出指标", "数量指标", "展会天数", "展会天数", "3天"),
        ("效益指标", "社会效益指标", "媒体报道", "媒体报道", "≥20篇"),
    ]
    assert t.rows[2].location.cell == "表2 行2 列5"


def test_department_table_goes_to_department_reader(tmp_path):
    doc = new_document()
    doc.add_paragraph("中国国际贸易促进委员会天津市分会部门整体支出绩效目标表（2025年度）")
    _table_with(
        [
            ["部门名称", "中国国际贸易促进委员会天津市分会", "", "", ""],
            ["序号", "主要工作任务", "总额", "财政资金", "其他资金"],
            ["1", "开展网络安全和信息化工作。", "409.60", "409.60", ""],
            ["一级指标", "二级指标", "三级指标", "年度指标值", ""],
            ["产出指标", "数量指标", "硬件采购数量", "≥17台", ""],
        ],
        doc,
    )
    path = tmp_path / "department.docx"
    doc.save(path)
    try:
        document = docx_reader.read(path)
    except InputError as exc:  # the department reader is not there: skipped with a problem, no table
        assert "部门整体支出绩效目标表" in str(exc)
        return
    assert [t.kind for t in document.tables] == ["department"]
    assert document.tables[0].location.table == 1


# --------------------------------------------------------------------------- bad files


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    text = tmp_path / "text.docx"
    text.write_text("这不是 Word 文件\n", encoding="utf-8")
    other_zip = tmp_path / "other.docx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("readme.txt", "hello")
    from openpyxl import Workbook

    workbook = tmp_path / "workbook.docx"
    Workbook().save(workbook)
    ole = tmp_path / "old.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    broken = tmp_path / "broken.docx"
    good = write_docx(small_document(), tmp_path / "good.docx").read_bytes()
    broken.write_bytes(good[: len(good) // 2])
    no_tables = tmp_path / "no-tables.docx"
    d = new_document()
    d.add_paragraph("1.信息化运维项目绩效目标表")
    d.save(no_tables)
    unrelated = tmp_path / "unrelated.docx"
    _table_with([["序号", "名称"], ["1", "某项目"]]).save(unrelated)
    return {
        "text": text,
        "zip": other_zip,
        "xlsx": workbook,
        "ole": ole,
        "broken": broken,
        "no-tables": no_tables,
        "unrelated": unrelated,
    }


@pytest.mark.parametrize("kind", ["text", "zip", "xlsx", "ole", "broken", "no-tables", "unrelated"])
@pytest.mark.parametrize("via", ["registry", "reader"])
def test_bad_files(tmp_path, kind, via):
    path = _bad_files(tmp_path)[kind]
    with pytest.raises(InputError) as info:
        (readers.read if via == "registry" else docx_reader.read)(path)
    assert info.value.file == str(path)
    if via == "reader":
        expected = {
            "text": "不是 zip",
            "zip": "word/document.xml",
            "xlsx": "Excel",
            "ole": ".doc",
            "broken": ".docx",
            "no-tables": "未找到绩效目标表",
            "unrelated": "未找到绩效目标表",
        }[kind]
        assert expected in info.value.message


def test_sniff():
    assert docx_reader.sniff(Path("a.docx"), b"PK\x03\x04....[Content_Types].xml....word/document.xml")
    assert not docx_reader.sniff(Path("a.docx"), b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml")
    assert not docx_reader.sniff(Path("a.docx"), "一级指标".encode())


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_round_trip(corpus, tmp_path):
    expected = corpus[CORPUS / "tianjin-ccpit-2023-projects.txt"]
    docx_path = write_docx(expected, tmp_path / "ccpit.docx", split={0: 3}, auto_numbered_goals=True)
    odt = convert(docx_path, "odt", tmp_path / "odt")
    again = convert(odt, "docx:MS Word 2007 XML", tmp_path / "docx")
    actual = readers.read(again)
    assert actual.problems == []
    assert_same_tables(expected, actual)
