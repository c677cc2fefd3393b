"""Shared by the report tests: run the real CLI in-process and keep stdout and stderr apart."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from goallint.cli import app

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
EXAMPLES = ROOT / "examples"
SCHEMAS = ROOT / "tests" / "data" / "schemas"


def run(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])
