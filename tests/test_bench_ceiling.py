"""bench/ceiling.py counts what it times: every row goallint reads and every finding of goallint's report,
on a generated province and on the real corpus written as canonical JSON."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from builders.bench import bench_generate
from goallint.cli import app

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"


def _generated(tmp: Path) -> Path:
    bench_generate().generate(tmp, 400, ["json"], seed=5)
    return tmp / "json"


def _as_json(tmp: Path, sources: list[Path]) -> Path:
    """The tables of `sources` in canonical JSON (`goallint convert` to canonical YAML, then JSON)."""
    tmp.mkdir(parents=True)
    for source in sources:
        yaml_path = tmp / f"{source.stem}.yaml"
        converted = CliRunner().invoke(app, ["convert", str(source), str(yaml_path)])
        assert converted.exit_code == 0, converted.output
        data = YAML(typ="safe", pure=True).load(yaml_path.read_text("utf-8"))
        (tmp / f"{source.stem}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        yaml_path.unlink()
    return tmp


def _ceiling(folder: Path, report: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ceiling.py"), str(folder), "--report", str(report)],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("corpus", ["generated", "real"])
def test_ceiling_reads_every_row_and_writes_every_finding(tmp_path, corpus):
    folder = (
        _generated(tmp_path / "corpus")
        if corpus == "generated"
        else _as_json(tmp_path / "corpus", sorted(CORPUS.glob("*-projects.txt")))
    )
    report = tmp_path / "report.json"
    checked = CliRunner().invoke(app, ["check", "--no-config", "--format", "json", "-o", str(report), str(folder)])
    assert checked.exit_code == 1, checked.output  # both carry the real corpus's defects
    data = json.loads(report.read_text("utf-8"))
    rows, findings = data["summary"]["rows"], len(data["findings"])
    assert rows > 0 and findings > 0

    done = _ceiling(folder, report)
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


def test_ceiling_names_the_file_of_a_row_it_cannot_measure(tmp_path):
    # the department-wide table's rows carry their goal number: written as mappings, not five texts
    folder = _as_json(tmp_path / "corpus", [CORPUS / "tianjin-ccpit-2025-department.txt"])
    report = tmp_path / "report.json"
    CliRunner().invoke(app, ["check", "--no-config", "--format", "json", "-o", str(report), str(folder)])
    done = _ceiling(folder, report)
    assert done.returncode != 0
    assert "tianjin-ccpit-2025-department.json: a row that is not five texts" in done.stderr
    assert "Traceback" not in done.stderr
