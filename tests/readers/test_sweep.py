"""The issue-17 acceptance sweep as tests: tables of other regions built as real files vary (builders/sweep_tables.py:
a title and 单位 line above, merged header cells over two rows, line breaks in cells, stray spaces, full-width
digits, 合计 / 总分 rows, a 填表人 footer, an empty trailing row, a table continued in a second Word table,
several projects in one file, a self-evaluation's execution block), read from .docx, .xlsx, the GBK Word dump
and LibreOffice's .pdf/.doc/.xls: every indicator row a person counts and no other, targets, categories and
blocks right, the header fields right, no reader warning a person would not agree with, and no finding on a
row that is no indicator."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from builders import sweep_tables  # noqa: E402
from builders.helpers import require_soffice  # noqa: E402
from builders.sweep_run import build, judge  # noqa: E402

CASES = {make.__name__: make for make in sweep_tables.CASES}
# reader warnings a person agrees with: the unit-level table has no 项目名称 (said once)
AGREED = {"provincial_expected_value": ["no-project-name"]}
# findings that would come from a row or cell the reader should not have taken as an indicator or header
NEVER = {"GL101", "GL704", "GL005", "GL006", "GL030", "GL001", "GL011"}


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules())


def check_case(name: str, kind: str, folder: Path, engine: Engine) -> None:
    case = CASES[name]()
    outcome = judge(case, build(case, kind, folder), engine)
    assert outcome.wrong == [], outcome.wrong  # rows lost or invented, categories, targets, blocks, header fields
    assert (outcome.right, outcome.read) == (outcome.expected, outcome.expected)
    codes = [w.split()[0] for w in outcome.warnings]
    assert codes == AGREED.get(name, []), outcome.warnings
    rules = {f.split()[0] for f in outcome.findings}
    assert not rules & NEVER, outcome.findings


@pytest.mark.parametrize("kind", ["docx", "xlsx", "txt"])
@pytest.mark.parametrize("name", list(CASES))
def test_sweep(tmp_path, name, kind, engine):
    check_case(name, kind, tmp_path, engine)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("export_two_level", "pdf"),  # two Word tables on one page: one table in the PDF too
        ("provincial_years_long", "pdf"),  # over two pages
        ("ministry_midterm", "doc"),
        ("self_evaluation", "xls"),
        ("export_two_projects", "xls"),  # two projects stacked in one sheet
    ],
)
def test_sweep_through_libreoffice(tmp_path, name, kind, engine):
    require_soffice()
    check_case(name, kind, tmp_path, engine)


@pytest.mark.parametrize("kind", ["docx", "xlsx", "txt"])
def test_a_quantitative_row_without_its_comparator_is_found_at_its_cell(tmp_path, kind, engine):
    from goallint import pipeline

    document = pipeline.load(build(sweep_tables.export_two_level(), kind, tmp_path))
    found = [f for f in engine.check(document) if f.rule_id == "GL205"]
    assert [f.level3 for f in found] == ["编印培训教材"]  # 定量, 指标性质 blank; the 定性 rows with it blank are fine


def test_the_self_evaluation_keeps_results_out_of_the_budget_and_targets(tmp_path):
    from goallint import pipeline

    case = sweep_tables.self_evaluation()
    for kind in ("docx", "txt"):
        table = pipeline.load(build(case, kind, tmp_path)).tables[0]
        assert table.form == "self-evaluation"
        assert table.budget.total.to("wan_yuan").magnitude == pytest.approx(20)  # 年初预算数, not 全年执行数 19.5
        assert table.goals == ["培训外贸企业500人次。"]  # 预期目标, not 实际完成情况
        assert table.rows[1].extra == {"actual": "85%", "weight": "20", "score": "15"}


def test_a_past_years_value_is_kept_and_no_self_evaluation(tmp_path):
    from goallint import pipeline

    table = pipeline.load(build(sweep_tables.provincial_years_long(), "xlsx", tmp_path)).tables[0]
    assert table.form is None
    assert table.rows[0].extra == {"previous": "20家"}
    assert table.rows[0].value == "≥22家"
