"""Recall of the issue-19 rules through the readers of other templates: the recall tables
(tests/data/templates/issue19-recall.yaml) written as real .docx and .xlsx files in the shapes of
../shared/templates.md (builders/recall_layouts.py) — the national export with its target split over
指标性质 | 指标值 | 度量单位, the older form's 中期 | 年度 columns, stacked 长期 / 年度 blocks, a
self-evaluation form, a provincial form — must give the findings the YAML gives: every planted defect
found but the one known miss, no false alarm, in the 年度 block and in the 中期 / 长期 block alike."""

from __future__ import annotations

import pytest

from builders.docx_form import write_layout_docx
from builders.recall_layouts import LAYOUTS, lay_out
from builders.xlsx_form import write_layout_xlsx
from goallint import pipeline
from goallint.config import Settings
from goallint.engine.runner import Engine

from .test_recall_templates import MISSED, PLANTED, RULES, TABLES

WRITERS = {"docx": write_layout_docx, "xlsx": write_layout_xlsx}


@pytest.fixture(scope="module")
def source():
    return pipeline.load(TABLES)


@pytest.fixture(scope="module")
def laid_out(source, tmp_path_factory):
    """(table number, suffix) → the file of that table in its template's layout."""
    folder = tmp_path_factory.mktemp("recall")
    return {
        (table.number, suffix): write([lay_out(table, layout)], folder / f"{table.number}-{layout}.{suffix}")
        for table, layout in zip(source.tables, LAYOUTS, strict=True)
        for suffix, write in WRITERS.items()
    }


def _found(ruleset, path, number: int, source) -> dict[str | None, dict[tuple[int, int | None], str]]:
    """block → {(table number, row of the YAML table): rule} for the findings of RULES in one laid-out file."""
    doc = pipeline.load(path)
    assert not doc.problems, doc.problems
    (table,) = doc.tables
    expected = source.tables[number - 1]
    names = [(r.level2, r.level3, r.description, r.value) for r in expected.rows]
    out: dict[str | None, dict] = {}
    for f in Engine(ruleset, Settings(select=RULES)).check(doc):
        row = None
        if f.location.row is not None:
            read = table.rows[f.location.row - 1]
            row = names.index((read.level2, read.level3, read.description, read.value)) + 1
        block = f.block if f.block != "年度" else None
        out.setdefault(block, {})[(number, row)] = f.rule_id
    return out


@pytest.mark.parametrize("suffix", sorted(WRITERS))
@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_recall_through_the_readers_of_other_templates(ruleset, source, laid_out, number, suffix):
    planted = {k: rule for k, rule in PLANTED.items() if k[0] == number}
    by_block = _found(ruleset, laid_out[number, suffix], number, source)
    annual = by_block.pop(None, {})
    hits = {k for k, rule in planted.items() if annual.get(k) == rule}
    assert set(planted) - hits == {k for k in MISSED if k[0] == number}
    assert {k: rule for k, rule in annual.items() if planted.get(k) != rule} == {}  # no false alarm
    for block, found in by_block.items():  # the 中期 / 长期 targets repeat the 年度 ones: the same findings
        assert found == {k: rule for k, rule in annual.items() if k[1] is not None}, block
