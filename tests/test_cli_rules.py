"""The rule commands: check (exit codes), rules, explain, test-rules, schema rule, docs/rules.md."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goallint.cli import app

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
USER_RULES = ROOT / "tests" / "engine" / "data" / "user-rules"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_test_rules_passes_on_builtins():
    result = run("test-rules")
    assert result.exit_code == 0, result.output
    assert "0 mismatches" in result.output and "0 rule file errors" in result.output


def test_test_rules_reports_missed_and_unexpected(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(USER_RULES, folder)
    path = folder / "local" / "TJ001-satisfaction-floor.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("value: ≥80%}", "value: ≥95%}")  # a fail example that does not fail
    text = text.replace(
        "{level3: 服务对象满意度, value: ≥90%}", "{level3: 服务对象满意度, value: ≥60%}"
    )  # a pass that fails
    path.write_text(text, encoding="utf-8")
    result = run("test-rules", str(folder))
    assert result.exit_code == 1
    out = result.output
    assert "missed" in out and "unexpected" in out
    missed_line = next(i for i, line in enumerate(text.splitlines(), 1) if "value: ≥95%" in line)
    unexpected_line = next(i for i, line in enumerate(text.splitlines(), 1) if "value: ≥60%" in line)
    assert f"{path}:{missed_line}: TJ001 missed" in out
    assert f"{path}:{unexpected_line}: TJ001 unexpected" in out
    assert out.index("missed (") < out.index("unexpected (")


def test_rule_author_workflow(tmp_path):
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "TJ101-no-approx.yaml").write_text(
        textwrap.dedent(
            """\
            id: TJ101
            name: no-approximate-values
            family: measurability
            severity: info
            summary: {zh: 指标值不要写「约」, en: No approximate targets}
            message: {zh: "「{indicator}」的「{value}」是约数", en: "'{value}' of '{indicator}' is approximate"}
            explanation: {zh: 约数无法考核。错误：约6952平方米；正确：≥6952平方米。}
            conditions: {approximate: true}
            examples:
              fail: [约6952平方米, 5万人次左右]
              pass: [≥6952平方米, ≥5万人次]
            """
        ),
        encoding="utf-8",
    )
    listed = run("rules", "--rules", str(folder))
    assert listed.exit_code == 0 and "TJ101" in listed.output and "GL101" in listed.output
    assert "no-approximate-values" in listed.output
    tested = run("test-rules", str(folder))
    assert tested.exit_code == 0, tested.output
    assert "1 rules, 4 examples, 0 mismatches" in tested.output
    # malformed: a misspelt key → file and line, the other rules still listed
    (folder / "TJ102-broken.yaml").write_text(
        (folder / "TJ101-no-approx.yaml")
        .read_text(encoding="utf-8")
        .replace("TJ101", "TJ102")
        .replace("severity: info", "severty: info"),
        encoding="utf-8",
    )
    broken = run("rules", "--rules", str(folder))
    assert broken.exit_code == 2
    assert f"{folder / 'TJ102-broken.yaml'}:4: unknown key 'severty'" in broken.output
    assert "TJ101" in broken.output
    assert run("test-rules", str(folder)).exit_code == 1


def test_explain():
    result = run("explain", "GL104")
    assert result.exit_code == 0
    assert "bare-wan-on-cost" in result.output and "≤121.2万元" in result.output and "触发" in result.output
    assert run("explain", "GL104", "--lang", "en").output.count("Does not trigger") == 1
    assert run("explain", "nonstandard-comparator").exit_code == 0
    assert run("explain", "GL999").exit_code == 2


def test_schema_rule_is_valid_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    result = run("schema", "rule")
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    # every built-in rule file validates against it
    from ruamel.yaml import YAML

    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "rules" / "notation").glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        errors = list(validator.iter_errors(json.loads(json.dumps(data, default=str))))
        assert errors == [], (path, errors[0].message if errors else "")
    assert not validator.is_valid({"id": "GL101", "name": "x"})


def test_docs_rules_md_is_current():
    result = run("rules", "--markdown")
    assert result.exit_code == 0
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert result.output == current, "docs/rules.md is stale: run `goallint rules --markdown > docs/rules.md`"


def test_check_exit_codes(tmp_path):
    clean = tmp_path / "clean.yaml"
    clean.write_text(
        "goallint: 1\ntables:\n  - project: 项目\n    rows:\n      - [产出指标, 数量指标, 企业数量, '', ≥50家]\n"
        "      - [产出指标, 质量指标, 验收合格率, '', ≥95%]\n      - [产出指标, 时效指标, 完成时间, '', 2025年12月底前完成]\n"
        "      - [产出指标, 成本指标, 项目成本, '', ≤20万元]\n      - [效益指标, 社会效益指标, 服务企业数量, '', ≥30家]\n"
        "      - [满意度指标, 服务对象满意度指标, 企业满意度, '', ≥90%]\n",
        encoding="utf-8",
    )
    ok = run("check", "--no-config", str(clean))
    assert ok.exit_code == 0, ok.output
    assert "未发现问题" in ok.output

    bad = run("check", "--no-config", str(CORPUS / "tianjin-cooperation-2022-projects.txt"))
    assert bad.exit_code == 1
    assert "GL105" in bad.output and "「1」" in bad.output and "共" in bad.output
    # only info findings below the fail level → 0
    assert (
        run(
            "check",
            "--no-config",
            "--select",
            "GL105",
            "--fail-level",
            "error",
            str(CORPUS / "tianjin-cooperation-2022-projects.txt"),
        ).exit_code
        == 0
    )

    missing = run("check", "--no-config", str(tmp_path / "nope.txt"), str(clean))
    assert missing.exit_code == 2
    assert "nope.txt" in missing.output and "Traceback" not in missing.output
    assert "未发现问题" in missing.output  # the other file was still checked


def test_check_english_and_select(tmp_path):
    result = run(
        "check", "--no-config", "--lang", "en", "--select", "GL104", str(CORPUS / "tianjin-commerce-2025-projects.txt")
    )
    assert result.exit_code == 1
    assert "GL104" in result.output and "GL103" not in result.output
    assert "safe fix" in result.output and "problems:" in result.output


def test_check_uses_config_found_upward(tmp_path):
    shutil.copy(CORPUS / "tianjin-cooperation-2022-projects.txt", tmp_path / "t.txt")
    (tmp_path / "goallint.yaml").write_text("select: [GL105]\nfail-level: error\n", encoding="utf-8")
    result = run("check", str(tmp_path / "t.txt"))
    assert result.exit_code == 0 and "GL105" in result.output and "GL104" not in result.output
    (tmp_path / "goallint.yaml").write_text("selct: [GL105]\n", encoding="utf-8")
    broken = run("check", str(tmp_path / "t.txt"))
    assert broken.exit_code == 2 and f"{tmp_path / 'goallint.yaml'}:1:" in broken.output


def test_check_with_user_rules_folder():
    result = run(
        "check",
        "--no-config",
        "--rules",
        str(USER_RULES),
        "--select",
        "TJ",
        str(CORPUS / "tianjin-commerce-2025-projects.txt"),
    )
    # a row rule and a Python-check rule of the user folder (TJ004's duplicates: 表41 repeats a name
    # with different descriptions, which is not a duplicate)
    assert "TJ001" in result.output and "TJ003" in result.output


def test_piped_output_is_plain():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "goallint.cli",
            "check",
            "--no-config",
            str(CORPUS / "tianjin-cooperation-2022-projects.txt"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "\x1b[" not in proc.stdout and "GL105" in proc.stdout
