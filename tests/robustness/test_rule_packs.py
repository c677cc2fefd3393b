"""Rule packs are data, never code: safe YAML, regexes with a time limit, rules that fail at run time
reported as rule errors (file and line) while the other rules run on, no Python from a rule folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from goallint.engine import guard
from goallint.engine.compile import REGEX_TIMEOUT
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.model import Document, IndicatorRow, Location, Table
from goallint.pipeline import parse_targets
from goallint.run import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "tests" / "data" / "hostile" / "rules"
OWNED = Path("/tmp/goallint-owned")

TABLE = """goallint: 1
tables:
  - project: 测试项目
    budget: {total: 10}
    unit: 万元
    rows:
      - [产出指标, 数量指标, 完成数量, "", 成成成成成成成成成成成成成成成成成成成成成成成成成成成成成成成成成成成成成成了]
      - [满意度指标, 服务对象满意度指标, 服务对象满意度, "", ≥90%]
      - [产出指标, 数量指标, 培训人数, "", 约100人]
"""


def test_object_tag_is_a_load_error_with_file_and_line():
    OWNED.unlink(missing_ok=True)
    rs = load_rules([PACKS / "object-tag"], builtin=False, plugins=False)
    assert not rs.rules
    (error,) = rs.errors
    assert error.file.endswith("XX001-object-tag.yaml") and error.line == 12
    assert "!!python/object/apply:os.system" in error.message and "not allowed" in error.message
    assert not OWNED.exists()  # nothing was constructed, nothing ran


def test_alias_bomb_in_a_rule_file(tmp_path):
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=False):
        bomb.append(f"{name}: &{name} [{','.join(['*' + prev] * 10)}]")
    (tmp_path / "XX009.yaml").write_text("id: XX009\n" + "\n".join(bomb) + "\n", encoding="utf-8")
    rs = load_rules([tmp_path], builtin=False, plugins=False)  # the check is linear in the file, not in the expansion
    (error,) = rs.errors
    assert "alias bomb" in error.message and error.line is not None


def test_no_python_from_a_rule_folder(tmp_path):
    """A .py file beside the rules is never imported; `check:` names only registered checks."""
    (tmp_path / "evil.py").write_text(f"open({str(OWNED)!r}, 'w').write('owned')\n", encoding="utf-8")
    (tmp_path / "__init__.py").write_text("import evil\n", encoding="utf-8")
    rule = (PACKS / "runtime" / "XX003-bad-format.yaml").read_text(encoding="utf-8")
    (tmp_path / "XX004.yaml").write_text(
        rule.replace("XX003", "XX004").replace("bad-format", "python-check") + "scope: table\ncheck: evil\n",
        encoding="utf-8",
    )
    OWNED.unlink(missing_ok=True)
    rs = load_rules([tmp_path], builtin=False, plugins=False)
    (error,) = rs.errors
    assert "unknown check 'evil'" in error.message and error.line is not None
    assert not OWNED.exists()


def _document(tmp_path) -> Document:
    path = tmp_path / "table.yaml"
    path.write_text(TABLE, encoding="utf-8")
    from goallint import pipeline

    return pipeline.load(path)


def test_runtime_failures_are_rule_errors_and_other_rules_run(tmp_path):
    rs = load_rules([PACKS / "runtime"], plugins=False)
    assert not rs.errors
    engine = Engine(rs)
    findings = engine.check(_document(tmp_path))
    errors = {e.file.rsplit("/", 1)[-1]: e for e in guard.errors(rs.rules)}
    assert set(errors) == {"XX002-backtracking.yaml", "XX003-bad-format.yaml"}
    regex_error = errors["XX002-backtracking.yaml"]
    assert regex_error.line == 13 and "took longer than" in regex_error.message and "row 1" in regex_error.message
    format_error = errors["XX003-bad-format.yaml"]
    assert (
        format_error.line == 8 and "Unknown format code 'd'" in format_error.message and "row 2" in format_error.message
    )
    # the built-in rules still ran: 约100人 is an approximate value (GL1xx notation), the 成… value is no quantity
    ids = {f.rule_id for f in findings}
    assert "GL601" in ids and len(ids) >= 3
    assert f"{REGEX_TIMEOUT:g} s" in regex_error.message  # timed out once; the rule was then skipped


def test_runtime_failure_in_a_check_run(tmp_path):
    """Through check_paths: the rule errors are run errors (exit 2) and the file's findings are kept."""
    path = tmp_path / "table.yaml"
    path.write_text(TABLE, encoding="utf-8")
    copy = tmp_path / "pack"
    shutil.copytree(PACKS / "runtime", copy)
    run = check_paths([path, ROOT / "examples" / "faulty.csv"], CheckOptions(no_config=True, rules=[copy]), jobs=1)
    assert run.failed
    assert len(run.errors) == 2 and all("failed on" in e for e in run.errors)
    assert any(e.startswith(f"{copy / 'XX002-backtracking.yaml'}:13:") for e in run.errors)
    assert all(not r.errors for r in run.files) and all(r.findings for r in run.files)


def test_python_check_that_raises_is_a_rule_error(tmp_path):
    """A registered check (as a plugin adds one) that raises: reported with the rule's file and line."""
    from goallint.engine.checks import register_check, registry

    name = "robustness-test-raises"
    if name not in registry():

        @register_check(name, scope="table")
        def raises(ctx):
            raise ZeroDivisionError("boom")
            yield  # a generator, like real checks

    rule = (PACKS / "runtime" / "XX003-bad-format.yaml").read_text(encoding="utf-8")
    rule = rule.replace("XX003", "XX005").replace("{value:d}", "{project}").replace("bad-format", "raises")
    (tmp_path / "XX005.yaml").write_text(rule + f"scope: table\ncheck: {name}\n", encoding="utf-8")
    rs = load_rules([tmp_path], plugins=False)
    assert not rs.errors, rs.errors
    findings = Engine(rs).check(_document(tmp_path))
    (error,) = guard.errors(rs.rules)
    assert error.file.endswith("XX005.yaml") and "ZeroDivisionError: boom" in error.message and error.line is not None
    assert findings  # the built-in rules ran


def test_regex_rules_still_match(tmp_path):
    """The time limit changes nothing for ordinary regexes (GL106's `…(度|率)…\\d` condition)."""
    rs = load_rules(plugins=False)
    table = Table(
        project="p",
        location=Location(file="t", table=1),
        rows=[
            IndicatorRow(
                level1="满意度指标",
                level2="服务对象满意度指标",
                level3="满意度",
                value="企业满意度95%",
                location=Location(file="t", table=1, row=1),
            )
        ],
    )
    document = parse_targets(Document(path="t", format="test", tables=[table]))
    found = Engine(rs).check(document)
    assert "GL106" in {f.rule_id for f in found}
    assert not guard.errors(rs.rules)


def test_object_tag_in_a_configuration_file(tmp_path):
    config = tmp_path / "goallint.yaml"
    config.write_text(
        f'select: [GL1]\nthresholds: !!python/object/apply:os.system ["touch {OWNED}"]\n', encoding="utf-8"
    )
    OWNED.unlink(missing_ok=True)
    run = check_paths([ROOT / "examples" / "clean.csv"], CheckOptions(config=config))
    assert run.failed and run.errors == [
        f"{config}:2: YAML tag !!python/object/apply:os.system is not allowed: rule packs and configuration are data, "
        "only standard YAML types are read"
    ]
    assert not OWNED.exists()
