"""Reader problems: each kind has its own code (rules/reader/problems.yaml), and every name a reader
can emit is registered; they are listed, explained, selected, ignored and reported like rules."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from goallint import pipeline
from goallint.cli import app
from goallint.config import Settings
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.model import Location, Problem
from goallint.reader_problems import ProblemKind, by_id, problem_kind, problem_kinds

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "goallint"
EXAMPLES = ROOT / "examples"
NAME = re.compile(r"^[a-z]+(-[a-z]+)+$")
runner = CliRunner()


def emitted_names() -> dict[str, list[str]]:
    """Every kebab-case text passed to Problem(code=…) or to a reader's problem(…) helper, with where."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in ("Problem", "problem"):
                continue
            args = [*node.args[:2], *(kw.value for kw in node.keywords if kw.arg == "code")]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and NAME.match(arg.value):
                    found.setdefault(arg.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


def test_every_name_a_reader_emits_is_registered():
    emitted = emitted_names()
    assert len(emitted) >= 20  # the scan sees the readers' problems (not an empty pass)
    unknown = {name: where for name, where in emitted.items() if name not in problem_kinds()}
    assert unknown == {}, "register these in rules/reader/problems.yaml"


def test_every_registered_problem_is_emitted_somewhere():
    assert set(problem_kinds()) - set(emitted_names()) == set()


def test_ids_are_distinct_gl0xx_and_each_has_bad_and_good_examples():
    kinds = list(problem_kinds().values())
    ids = [k.id for k in kinds]
    assert len(set(ids)) == len(ids) and "GL000" not in ids
    assert ids == sorted(ids)  # new entries go at the end, with the next id
    for k in kinds:
        assert k.family == "reader" and k.bad != k.good
        assert "错误：" in k.explanation_text("zh") and "Good: " in k.explanation_text("en")


def test_an_unregistered_name_fails_where_the_problem_is_made():
    with pytest.raises(ValidationError, match="not registered.*problems.yaml"):
        Problem(code="no-such-problem", message="x", location=Location(file="a.txt"))
    assert Problem(code="truncated-table", message="x", location=Location(file="a.txt")).code == "truncated-table"


def test_a_broken_registry_entry_is_an_error_with_its_line(tmp_path, monkeypatch):
    from goallint import reader_problems
    from goallint.engine.yamlpos import RuleError

    folder = tmp_path / "reader"
    folder.mkdir()
    (folder / "problems.yaml").write_text(
        "- id: GL001\n  name: a-problem\n  severity: warning\n  summary: {zh: 甲, en: a}\n"
        "  explanation: {zh: 甲, en: a}\n  bad: x\n  good: y\n"
        "- id: GL002\n  name: b-problem\n  severity: loud\n  summary: {zh: 乙, en: b}\n"
        "  explanation: {zh: 乙, en: b}\n  bad: x\n  good: y\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(reader_problems, "registry_file", lambda: folder / "problems.yaml")
    problem_kinds.cache_clear()
    try:
        with pytest.raises(RuleError) as error:
            problem_kinds()
        assert error.value.line == 10 and "severity" in str(error.value)
    finally:
        problem_kinds.cache_clear()


def test_problems_are_reported_under_their_own_ids(ruleset):
    doc = pipeline.load(EXAMPLES / "department-faulty.txt")
    findings = [f for f in Engine(ruleset).check(doc) if f.rule_name == "ambiguous-task-budget"]
    assert len(findings) == 3 and {f.rule_id for f in findings} == {problem_kind("ambiguous-task-budget").id}
    assert all(f.severity == "warning" and f.message_zh for f in findings)


def _ids(ruleset, doc, settings=None, **options) -> set[str]:
    return {f.rule_id for f in Engine(ruleset, settings or Settings(), **options).check(doc)}


def test_select_and_ignore_take_problem_ids_names_and_the_family(ruleset):
    doc = pipeline.load(EXAMPLES / "department-faulty.txt")
    gl013 = problem_kind("ambiguous-task-budget").id
    everything = _ids(ruleset, doc)
    assert gl013 in everything and any(i.startswith("GL4") for i in everything)
    # a selection of rules keeps the reader problems: they say the file was not read whole
    assert gl013 in _ids(ruleset, doc, select=["GL4"])
    # a selection that names reader problems picks among them
    assert _ids(ruleset, doc, select=[gl013]) == {gl013}
    assert _ids(ruleset, doc, select=["truncated-table"]) == set()
    assert _ids(ruleset, doc, select=["reader"]) == {gl013}
    for code in (gl013, "ambiguous-task-budget", "reader", "GL0"):
        suppressed: list = []
        ids = {f.rule_id for f in Engine(ruleset, Settings(), ignore=[code]).check(doc, suppressed=suppressed)}
        assert gl013 not in ids and ids  # the rules still report
        assert {(f.rule_id, reason) for f, reason in suppressed} == {(gl013, f"--ignore {code}")}
    suppressed = []
    Engine(ruleset, Settings(ignore=["reader"], source="goallint.yaml")).check(doc, suppressed=suppressed)
    assert {reason for _, reason in suppressed} == {"goallint.yaml: ignore reader"}


def test_severity_and_per_file_ignores_apply_to_problems(ruleset):
    doc = pipeline.load(EXAMPLES / "department-faulty.txt")
    gl013 = problem_kind("ambiguous-task-budget").id
    found = Engine(ruleset, Settings(severity={gl013: "error"})).check(doc)
    assert {f.severity for f in found if f.rule_id == gl013} == {"error"}
    suppressed: list = []
    found = Engine(ruleset, Settings(per_file_ignores={"department-*.txt": ["GL0"]})).check(doc, suppressed=suppressed)
    assert gl013 not in {f.rule_id for f in found} and len(suppressed) == 3  # per-file-ignores name ids or names
    found = Engine(ruleset, Settings(per_file_ignores={"department-*.txt": [gl013]})).check(doc)
    assert gl013 not in {f.rule_id for f in found}


def test_rules_lists_and_explain_explains_them():
    listed = runner.invoke(app, ["rules"])
    assert listed.exit_code == 0
    for kind in problem_kinds().values():
        assert re.search(rf"^ *{kind.id} +{kind.name} +{kind.severity}", listed.output, re.M), kind.id
    explained = runner.invoke(app, ["explain", "GL001"])
    kind = by_id("GL001")
    assert explained.exit_code == 0 and isinstance(kind, ProblemKind)
    assert kind.summary.zh in explained.output and f"错误：{kind.bad}" in explained.output
    by_name = runner.invoke(app, ["explain", kind.name, "--lang", "en"])
    assert kind.summary.en in by_name.output and f"Good: {kind.good}" in by_name.output


def test_docs_rules_md_documents_every_problem():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for kind in problem_kinds().values():
        assert f"### {kind.id} {kind.name}" in text and kind.bad in text


def test_sarif_lists_the_problem_as_a_rule_with_its_explanation():
    result = runner.invoke(app, ["check", "-f", "sarif", "-j1", str(EXAMPLES / "department-faulty.txt")])
    sarif = json.loads(result.stdout)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    kind = problem_kind("ambiguous-task-budget")
    assert rules[kind.id]["name"] == kind.name
    assert rules[kind.id]["shortDescription"]["text"] == kind.summary.zh
    assert kind.bad in rules[kind.id]["fullDescription"]["text"]
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {kind.id}
