"""The README opens with exactly the two set-up commands, and .ci/run runs the second one."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def setup_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert first_block, "README must open with a ```sh block"
    assert text.index(first_block.group(0)) < text.index("\n## "), "the set-up block comes before any section"
    return [line for line in first_block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_two_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert "goallint check examples/" in commands[0]
    assert "pytest" in commands[1] and "[test]" in commands[1]
    assert all(cmd.startswith("python3.11 -m venv ") for cmd in commands)


def test_ci_runs_the_second_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert setup_commands()[1] in ci_lines
