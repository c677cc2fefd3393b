"""bench/ceiling.py counts what it times: every row of the corpus and every finding of goallint's report."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from goallint.cli import app

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/: the builders
from builders.bench import bench_generate  # noqa: E402

ROOT = Path(__file__).parents[1]


def _corpus(tmp: Path, rows: int) -> Path:
    generate = bench_generate()
    generate.generate(tmp, rows, ["json"], seed=5)
    return tmp / "json"


def test_ceiling_reads_every_row_and_writes_every_finding(tmp_path):
    folder = _corpus(tmp_path / "corpus", 400)
    rows = sum(len(t["rows"]) for p in folder.glob("*.json") for t in json.loads(p.read_text("utf-8"))["tables"])
    report = tmp_path / "report.json"
    checked = CliRunner().invoke(app, ["check", "--no-config", "--format", "json", "-o", str(report), str(folder)])
    assert checked.exit_code == 1, checked.output  # the generated corpus carries the real corpus's defects
    findings = len(json.loads(report.read_text("utf-8"))["findings"])
    assert findings > 0

    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ceiling.py"), str(folder), "--report", str(report)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    head = re.match(r"([\d,]+) rows, ([\d,]+) distinct, ([\d,]+) findings", done.stdout)
    assert head, done.stdout
    assert int(head[1].replace(",", "")) == rows
    assert 0 < int(head[2].replace(",", "")) <= rows
    assert int(head[3].replace(",", "")) == findings
    for name in ("floor", "row lookups", "report", "least before any value or check"):
        line = next(line for line in done.stdout.splitlines() if line.startswith(name))
        seconds, ratio = map(float, line.split()[-2:])
        assert seconds >= 0 and ratio >= 0
