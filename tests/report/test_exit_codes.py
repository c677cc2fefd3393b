"""Exit codes: 0 clean, 1 findings at or above --fail-on (alias --fail-level), 2 usage or input errors."""

from __future__ import annotations

import pytest

from .helpers import EXAMPLES, run

FAULTY = EXAMPLES / "faulty.xlsx"  # GL102 (warning, table 2 row 2) among others


def test_clean_is_0():
    assert run("check", "--no-config", EXAMPLES / "clean.xlsx", EXAMPLES / "clean.yaml").exit_code == 0


def test_findings_are_1():
    assert run("check", "--no-config", FAULTY).exit_code == 1


@pytest.mark.parametrize(
    ("option", "level", "code"),
    [
        ("--fail-on", "error", 0),  # GL102 is a warning
        ("--fail-on", "warning", 1),
        ("--fail-on", "info", 1),
        ("--fail-level", "error", 0),  # the older spelling
        ("--fail-level", "warning", 1),
        ("--fail-on", "never", 0),
    ],
)
def test_fail_on(option, level, code):
    result = run("check", "--no-config", "--select", "GL102", option, level, FAULTY)
    assert "GL102" in result.stdout
    assert result.exit_code == code, result.output


def test_default_fail_on_is_warning():
    result = run("check", "--no-config", "--select", "GL102", FAULTY)
    assert result.exit_code == 1
    assert run("check", "--no-config", "--select", "GL102", "--severity-does-not-exist", FAULTY).exit_code == 2


def test_config_fail_level_and_flag_override(tmp_path):
    (tmp_path / "goallint.yaml").write_text("select: [GL102]\nfail-level: error\n", encoding="utf-8")
    table = tmp_path / "faulty.xlsx"
    table.write_bytes(FAULTY.read_bytes())
    assert run("check", table).exit_code == 0
    assert run("check", "--fail-on", "warning", table).exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "nope"),
        ("--fail-on", "fatal"),
        ("--jobs", "0"),
        ("--format", "xlsx"),  # needs --output
    ],
)
def test_usage_errors_are_2(args):
    result = run("check", "--no-config", *args, EXAMPLES / "clean.xlsx")
    assert result.exit_code == 2, result.output


def test_missing_and_unreadable_files_are_2(tmp_path):
    missing = run("check", "--no-config", tmp_path / "nothere.xlsx")
    assert missing.exit_code == 2 and "nothere.xlsx" in missing.stderr
    bad = tmp_path / "notes.txt"
    bad.write_text("这不是绩效目标表。\n", encoding="utf-8")
    result = run("check", "--no-config", bad, EXAMPLES / "clean.xlsx")
    assert result.exit_code == 2 and "notes.txt" in result.stderr


def test_input_error_wins_over_findings():
    result = run("check", "--no-config", FAULTY, EXAMPLES / "nothere.docx")
    assert result.exit_code == 2
    assert "GL102" in result.stdout  # the readable file is still reported


def test_bad_config_is_2(tmp_path):
    config = tmp_path / "goallint.yaml"
    config.write_text("exclude: 3\n", encoding="utf-8")
    result = run("check", "--config", config, EXAMPLES / "clean.xlsx")
    assert result.exit_code == 2 and "goallint.yaml" in result.stderr


def test_a_rule_code_that_names_no_rule_is_2():
    """`--select GL12` (for GL102) would run nothing and pass: it is a usage error, and the files are still checked."""
    result = run("check", "--no-config", "--select", "GL102", "--ignore", "GL1O5", FAULTY)
    assert result.exit_code == 2
    assert "--ignore GL1O5" in result.stderr and "没有这样的规则" in result.stderr
    assert "GL102" in result.stdout
