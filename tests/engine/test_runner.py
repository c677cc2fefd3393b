"""The engine over whole documents: findings, order, placeholders, checks, problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from goallint import pipeline
from goallint.config import Settings
from goallint.engine.examples import run_rule_examples
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine

from .conftest import USER_RULES

CORPUS = Path(__file__).parents[1] / "data" / "corpus"


@pytest.fixture(scope="module")
def corpus_findings(ruleset):
    engine = Engine(ruleset)
    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        out[path.name] = engine.check(pipeline.load(path))
    return out


def test_notation_rules_on_the_corpus(corpus_findings):
    commerce = corpus_findings["tianjin-commerce-2025-projects.txt"]
    by = {(f.rule_id, f.value) for f in commerce}
    assert ("GL101", "万元") in by
    assert ("GL102", "≧90%") in by
    assert ("GL103", "≥90百分比") in by
    assert ("GL104", "≤121.2万") in by
    assert ("GL105", "≥7万") in by
    assert ("GL106", "≥5官方报道信息数量") in by and ("GL106", "≥1工作日平均每天发送") in by
    assert ("GL106", "企业满意度95%") in by
    coop = {(f.rule_id, f.value) for f in corpus_findings["tianjin-cooperation-2022-projects.txt"]}
    assert ("GL105", "1") in coop and ("GL104", "总预算不高于324万") in coop
    # a bare 万 on a cost row is GL104's, not also GL105's
    assert ("GL105", "≤121.2万") not in by


def test_every_unreadable_value_is_reported(corpus_findings, ruleset):
    for name, findings in corpus_findings.items():
        doc = pipeline.load(CORPUS / name)
        reported = {(f.location.table, f.location.row) for f in findings if f.rule_id in ("GL101", "GL106")}
        for t_index, table in enumerate(doc.tables, 1):
            for row in table.rows:
                if row.target.kind in ("unreadable", "empty"):
                    assert (t_index, row.location.row) in reported, (name, row.value)


def test_document_problems_become_findings(corpus_findings):
    ccpit = corpus_findings["tianjin-ccpit-2023-projects.txt"]
    problems = [f for f in ccpit if f.rule_id == "GL001"]
    assert problems and problems[0].rule_name == "truncated-table" and problems[0].location.line


def test_finding_fields_and_order(corpus_findings):
    findings = corpus_findings["tianjin-commerce-2025-projects.txt"]
    keys = [f.sort_key() for f in findings]
    assert keys == sorted(keys)
    f = next(f for f in findings if f.rule_id == "GL104" and f.value == "≤121.2万")
    assert f.fix.text == "≤121.2万元" and f.fix.safe
    assert f.level2 == "成本指标" and f.level3 == "项目金额" and f.location.line == 2001
    assert f.location.column == "指标值" and f.project and f.target.kind == "numeric"
    assert "项目金额" in f.message_zh and "≤121.2万" in f.message_zh and "≤121.2万元" in f.message_zh
    assert "≤121.2万元" in f.message_en and "{" not in f.message_en


def test_select_ignore_severity(ruleset):
    doc = pipeline.load(CORPUS / "tianjin-commerce-2025-projects.txt")
    only = Engine(ruleset, Settings(select=["GL102"])).check(doc)
    assert only and {f.rule_id for f in only} == {"GL102"}
    fam = Engine(ruleset, Settings(select=["GL1"], ignore=["GL103", "bare-wan-on-cost"])).check(doc)
    assert {f.rule_id for f in fam} == {"GL101", "GL102", "GL105", "GL106", "GL107"}  # GL107: 表63 ≥1分 (份 meant)
    sev = Engine(ruleset, Settings(select=["GL1"], severity={"GL1": "info", "GL101": "error"})).check(doc)
    assert {f.severity for f in sev if f.rule_id == "GL101"} == {"error"}
    assert {f.severity for f in sev if f.rule_id == "GL102"} == {"info"}


def test_user_rules_examples_and_checks():
    rs = load_rules([USER_RULES], plugins=False)
    assert rs.errors == []
    local = [r for r in rs.rules if r.origin == "local"]
    assert {r.id for r in local} == {"TJ001", "TJ002", "TJ003", "TJ004", "TJ005"}
    for lr in local:
        count, mismatches = run_rule_examples(lr, rs)
        assert count >= 2 and mismatches == [], [str(m) for m in mismatches]


def test_check_findings_fill_placeholders():
    from goallint.engine.examples import example_document

    rs = load_rules([USER_RULES], plugins=False)
    lr = rs.by_id("TJ003")
    doc = example_document(lr.rule.examples.fail[0])
    findings = Engine(rs, Settings(select=["TJ003"])).check(doc)
    assert len(findings) == 1
    assert findings[0].message_zh == "成本指标合计 110万元 超过预算数 100万元"
    assert findings[0].location.row is None and findings[0].location.table == 1


def test_disabled_rule_runs_only_when_named(ruleset):
    rs = load_rules([USER_RULES], plugins=False)
    from goallint.engine.examples import example_document
    from goallint.engine.schema import CellExample

    doc = example_document(CellExample(level3="学员培训率", value="1"))
    assert not [f for f in Engine(rs).check(doc) if f.rule_id == "TJ005"]
    assert not [f for f in Engine(rs, Settings(select=["TJ"])).check(doc) if f.rule_id == "TJ005"]
    assert [f for f in Engine(rs, Settings(select=["TJ005"])).check(doc) if f.rule_id == "TJ005"]
    assert [
        f
        for f in Engine(rs, Settings(**{"extend-select": ["training-needs-percent"]})).check(doc)
        if f.rule_id == "TJ005"
    ]


def test_profile_thresholds_reach_conditions():
    from goallint.config import Profile
    from goallint.engine.examples import example_document
    from goallint.engine.schema import CellExample

    rs = load_rules([USER_RULES], plugins=False)
    doc = example_document(CellExample(level3="服务对象满意度", value="≥80%"))
    assert Engine(rs, Settings(select=["TJ001"])).check(doc)  # rule default floor 85
    lenient = Profile(name="x", description="x", thresholds={"satisfaction-floor": 75})
    assert not Engine(rs, Settings(select=["TJ001"]), profile=lenient).check(doc)
    strict = Settings(select=["TJ001"], thresholds={"satisfaction-floor": 90})
    found = Engine(rs, strict, profile=lenient).check(doc)  # config beats profile
    assert found and "应不低于 90%" in found[0].message_zh


def test_each_table_check_gets_the_rows_its_filter_chooses(ruleset, monkeypatch):
    """Checks without a selector or condition are handed every row of the table (a list of their own);
    the others only the rows their filter picks, in table order, as the plain evaluation chooses them."""
    from goallint.engine import fastpath
    from goallint.engine.compile import RowView

    engine = Engine(ruleset)
    unfiltered = {engine.table_checks[i].id for i in engine.decisions.unfiltered}
    assert {"GL701", "GL705", "GL707"} <= unfiltered and not {"GL401", "GL402"} & unfiltered
    seen: list[tuple[str, object, list]] = []
    checked = engine._checked
    monkeypatch.setattr(
        engine,
        "_checked",
        lambda active, document, table, rows, fy: (
            seen.append((active.id, table, rows)) or checked(active, document, table, rows, fy)
        ),
    )
    document = pipeline.load(CORPUS / "tianjin-commerce-2025-projects.txt")
    engine.check(document)
    assert len(seen) == len(engine.table_checks) * len(document.tables)
    by_id = {a.id: a for a in engine.table_checks}
    for rule, table, rows in seen:
        lr = by_id[rule].loaded
        if rule in unfiltered:
            assert rows == table.rows and rows is not table.rows
            continue
        fy = table.fiscal_year.year if table.fiscal_year else None
        picked = [
            r
            for r in table.rows
            if (lr.selector is None or lr.selector(RowView(r, table, fy, by_id[rule].params)))
            and (lr.condition is None or lr.condition(RowView(r, table, fy, by_id[rule].params)))
        ]
        assert rows == picked
    assert any(rows and rule in ("GL401", "GL402") for rule, _, rows in seen)
    assert fastpath.ENABLED
