"""The python-calamine reader against the openpyxl reader it replaced (tests/readers/openpyxl_oracle.py):
every .xlsx in tests/ and examples/, and workbooks built in every shape the builders make, give the
same grids (cell text, merges, cell addresses), problems, model and findings."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from goallint import pipeline, readers
from goallint.canonical import dump_json
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.readers import xlsx as xlsx_reader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import openpyxl_oracle  # noqa: E402

from builders.helpers import CORPUS_FILES, small_document  # noqa: E402
from builders.xlsx_form import write_xlsx  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# the hostile files the new reader refuses on purpose (tests/robustness/test_hostile.py) are left out
CHECKED_IN = sorted(
    p
    for p in [*ROOT.glob("tests/**/*.xlsx"), *ROOT.glob("examples/**/*.xlsx")]
    if "hostile" not in p.parts or p.name == "huge-table.xlsx"
)
ENGINE = Engine(load_rules())


def grid_signature(grid):
    return [[(c.text, c.row, c.col, c.location, c.merged_from) for c in row] for row in grid.rows], grid.location


def assert_same(path: Path) -> None:
    old = openpyxl_oracle.grids(path)
    new = [(s.name, *xlsx_reader.sheet_grid(s, str(path))) for s in xlsx_reader.open_xlsx(path, str(path))]
    assert [name for name, _, _ in new] == [name for name, _, _ in old]
    for (name, old_grid, old_problems), (_, new_grid, new_problems) in zip(old, new, strict=True):
        assert grid_signature(new_grid) == grid_signature(old_grid), name
        assert new_problems == old_problems, name
    old_doc, new_doc = openpyxl_oracle.read(path), readers.read(path)
    assert dump_json(new_doc) == dump_json(old_doc)
    pipeline.parse_targets(old_doc)
    pipeline.assign_fiscal_year(old_doc, given=None)
    new_doc = pipeline.load(path)
    assert ENGINE.check(new_doc) == ENGINE.check(old_doc)


def test_there_are_checked_in_workbooks():
    assert {p.name for p in CHECKED_IN} >= {"clean.xlsx", "faulty.xlsx", "department-ccpit-2025.xlsx"}


@pytest.mark.parametrize("path", CHECKED_IN, ids=lambda p: str(p.relative_to(ROOT)))
def test_checked_in_workbooks(path):
    assert_same(path)


PROJECT_FILES = [p for p in CORPUS_FILES if "projects" in p.name]


@pytest.mark.parametrize(
    ("source", "options"),
    [(p, {}) for p in PROJECT_FILES]
    + [(PROJECT_FILES[0], {o: True}) for o in ("odd_labels", "typed_values", "amounts_as_text", "formula_total")],
    ids=lambda v: v.name if isinstance(v, Path) else ",".join(v) or "plain",
)
def test_built_form_workbooks(source, options, tmp_path):
    document = readers.read(source)
    if any(t.tasks for t in document.tables):
        pytest.skip("the form builder writes project tables")
    assert_same(write_xlsx(document, tmp_path / "built.xlsx", **options))


@pytest.mark.parametrize("source", CORPUS_FILES, ids=lambda p: p.name)
def test_long_layout_workbooks(source, tmp_path):
    from goallint.convert import xlsx_long

    path = tmp_path / "long.xlsx"
    xlsx_long.write(readers.read(source), path)
    assert_same(path)


def test_number_formats_dates_and_odd_cells(tmp_path):
    """A form whose cells hold what Excel users type: formatted numbers, dates, booleans, line breaks,
    an empty merge, a formula without a cached value, a hidden sheet and a sheet of notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "项目表"
    rows = [
        ["2.展会项目绩效目标表"],
        ["某某局", None, None, None, "单位：万元"],
        ["项目名称", "展会项目"],
        ["预算金额", 91.845, "其中：财政  资金", 80, "其他资金", 11.845],
        ["资金用途", "展会场地租赁。\r\n第二行"],
        ["总体目标", "1.举办展会。\n2.促进合作。"],
        ["一级指标", "二级指标", "三级指标", "指标解释", "目标值"],
        ["产出指标", "数量指标", "参展企业数量", "参展企业数量", 300],
        [None, None, "满意度", "满意度", 0.955],
        [None, "时效指标", "完成时间", "完成时间", dt.datetime(2025, 12, 31)],
        [None, None, "开始时间", "开始时间", dt.datetime(2025, 3, 1, 9, 30)],
        [None, "质量指标", "合格率", "合格率", 12345.6],
        [None, None, "是否达标", "是否达标", True],
        [None, None, "金额", "金额", -3],
        [None, None, "台数", "台数", 7],
    ]
    for row in rows:
        ws.append(row)
    formats = {
        "B4": "0.00",
        "D4": '0.00"万元"',
        "F4": "#,##0.00",
        "E8": "General",
        "E9": "0.0%",
        "E10": 'yyyy"年"m"月"d"日"',
        "E11": "yyyy-mm-dd hh:mm",
        "E12": "#,##0.00",
        "E14": "#,##0.00_);[Red](#,##0.00)",
        "E15": '"≥"0"台"',
    }
    for address, fmt in formats.items():
        ws[address].number_format = fmt
    ws.merge_cells("A8:A15")
    ws.merge_cells("B8:B9")
    ws.merge_cells("G20:H21")  # empty
    ws["C17"] = "=SUM(B4:B5)"  # saved without a cached value
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "说明"
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    assert_same(path)
    doc = readers.read(path)
    assert [r.value for r in doc.tables[0].rows][:3] == ["300", "95.5%", "2025年12月31日"]
    codes = [p.code for p in doc.problems]
    assert codes[0] == "formula-without-value" and codes[-1] == "unrecognised-sheet"
    assert doc.problems[0].location.cell == "C17"


def test_small_document(tmp_path):
    assert_same(write_xlsx(small_document(), tmp_path / "small.xlsx", typed_values=True))
