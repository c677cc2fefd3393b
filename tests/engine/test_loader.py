"""Loading rule files: built-ins load clean; each kind of mistake names the file and the line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from goallint.engine.loader import load_rules

GOOD = textwrap.dedent(
    """\
    id: TJ001
    name: good-rule
    family: notation
    severity: warning
    summary: {zh: 好规则, en: good rule}
    message:
      zh: "「{indicator}」的「{value}」有问题"
      en: "'{value}' of '{indicator}' is wrong"
    explanation:
      zh: 说明。错误：≧90%；正确：≥90%。
    conditions:
      comparator-text: ≧
    examples:
      fail: [≧90%]
      pass: [≥90%]
    """
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtins_load_without_errors(ruleset):
    assert ruleset.errors == []
    ids = [r.id for r in ruleset.rules]
    assert {"GL101", "GL102", "GL103", "GL104", "GL105", "GL106"} <= set(ids)
    assert ids == sorted(ids)
    assert {"cost", "satisfaction", "category-aliases", "vague"} <= set(ruleset.lexicons.lists)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    "old, new, needle, words",
    [
        ("severity: warning", "severity: fatal", "severity:", "severity"),
        ("family: notation\n", "family: notation\nlevel: high\n", "level:", "unknown key 'level'"),
        ("'{value}' of", "'{valeu}' of", "en: \"'{valeu}'", "unknown placeholder {valeu}"),
        ("comparator-text: ≧", "text: {regex: '(['}", "regex", "invalid regular expression"),
        ("comparator-text: ≧", "comparator-txt: ≧", "comparator-txt", "unknown key 'comparator-txt'"),
        ("comparator-text: ≧", "rest: {lexicon: nosuchlist}", "nosuchlist", "unknown lexicon 'nosuchlist'"),
        ("comparator-text: ≧", "number: '>> 5'", "number:", "comparison"),
        ("name: good-rule", "name: Good_Rule", "name:", "name"),
        ("id: TJ001", "id: GL201", "id:", "family"),
    ],
)
def test_malformed_rule_names_file_and_line(tmp_path, old, new, needle, words):
    assert old in GOOD
    write(tmp_path, "TJ000-ok.yaml", GOOD.replace("TJ001", "TJ000").replace("good-rule", "ok-rule"))
    text = GOOD.replace(old, new)
    bad = write(tmp_path, "TJ001-bad.yaml", text)
    rs = load_rules([tmp_path], builtin=False, plugins=False)
    assert len(rs.errors) == 1, [str(e) for e in rs.errors]
    error = rs.errors[0]
    assert error.file == str(bad)
    assert error.line == line_of(text, needle), str(error)
    assert words in str(error)
    assert str(error).startswith(f"{bad}:{error.line}: ")
    assert [r.id for r in rs.rules] == ["TJ000"]  # the other rule still loads


def test_yaml_syntax_error_has_line(tmp_path):
    write(tmp_path, "TJ000-ok.yaml", GOOD.replace("TJ001", "TJ000"))
    text = GOOD.replace("severity: warning", "severity: [warning")
    bad = write(tmp_path, "TJ001-bad.yaml", text)
    rs = load_rules([tmp_path], builtin=False, plugins=False)
    assert len(rs.errors) == 1 and rs.errors[0].file == str(bad)
    assert "YAML syntax error" in rs.errors[0].message
    assert rs.errors[0].line is not None and rs.errors[0].line >= line_of(text, "severity")
    assert [r.id for r in rs.rules] == ["TJ000"]


def test_unknown_check_and_bad_param(tmp_path):
    text = GOOD.replace("conditions:\n  comparator-text: ≧\n", "scope: table\ncheck: no-such-check\n")
    write(tmp_path, "a.yaml", text)
    text2 = GOOD.replace("TJ001", "TJ002").replace(
        "conditions:\n  comparator-text: ≧\n", "scope: table\ncheck: cost-sum\nparams: {tolerence: 1}\n"
    )
    write(tmp_path, "b.yaml", text2)
    rs = load_rules([tmp_path], builtin=False, plugins=False)
    msgs = sorted(str(e) for e in rs.errors)
    assert any("unknown check 'no-such-check'" in m and f":{line_of(text, 'check:')}:" in m for m in msgs), msgs
    assert any("no parameter 'tolerence'" in m and f":{line_of(text2, 'params:')}:" in m for m in msgs), msgs


def test_duplicate_id_is_an_error(tmp_path):
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD.replace("good-rule", "other-rule"))
    rs = load_rules([tmp_path], builtin=False, plugins=False)
    assert len(rs.rules) == 1
    assert "already used" in rs.errors[0].message and rs.errors[0].line == 1


def test_missing_folder_is_an_error(tmp_path):
    rs = load_rules([tmp_path / "nope"], builtin=False, plugins=False)
    assert rs.errors and "not found" in rs.errors[0].message
