"""Snapshot tests: the JSON and text reports of every corpus file and every example, pinned.

Any change of a message, a location or a count shows in review as a change of a file under
`tests/__snapshots__/test_snapshots/`. When a change is intended, update them with

    pytest tests/test_snapshots.py --snapshot-update

and review the diff like code. Paths in the reports are relative to the repository root, and the
goallint version is masked, so the snapshots do not change with the checkout's location or a release.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from typer.testing import CliRunner

from goallint.cli import app

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    [p for p in (ROOT / "tests" / "data" / "corpus").iterdir() if p.is_file()]
    + [p for p in (ROOT / "examples").iterdir() if p.is_file()]
)
VERSION = re.compile(r'("goallint": )"[^"]*"')


class TextSnapshot(SingleFileSnapshotExtension):
    """One plain UTF-8 file per snapshot, readable in a diff."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


@pytest.fixture
def text_snapshot(snapshot):
    return snapshot.use_extension(TextSnapshot)


def report(path: Path, fmt: str) -> str:
    relative = path.relative_to(ROOT)
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, ["check", str(relative), "--format", fmt, "--no-config"])
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 1), result.output
    return VERSION.sub(r'\1"<version>"', result.stdout)


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_report_is_pinned(path: Path, fmt: str, text_snapshot):
    assert report(path, fmt) == text_snapshot
