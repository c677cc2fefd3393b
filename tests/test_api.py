"""The library API: goallint.check and goallint.read (docs/api.md), and a cheap `import goallint`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import goallint
from goallint.config import Settings
from goallint.model import Document, Finding

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def test_check_returns_findings_and_per_file_results(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    result = goallint.check([EXAMPLES / "faulty.csv", str(broken)], config=False)
    assert [Path(f.path).name for f in result.files] == ["faulty.csv", "broken.docx"]  # in the order given
    faulty, bad = result.files
    assert bad.errors and "broken.docx" in bad.errors[0] and not bad.findings
    assert faulty.format == "csv" and faulty.tables >= 1 and faulty.rows > 0 and not faulty.errors
    assert faulty.findings and all(isinstance(f, Finding) for f in faulty.findings)
    assert result.findings == sorted(faulty.findings, key=Finding.sort_key)
    assert result.failed  # the unreadable file is an error of the run
    assert {f.rule_id for f in result.findings} <= set(result.rules)


def test_check_takes_one_path_a_selection_and_settings():
    one = goallint.check(str(EXAMPLES / "faulty.csv"), config=False, select=["GL6"])
    ids = {f.rule_id for f in one.findings}
    assert ids and all(i.startswith(("GL6", "GL0")) for i in ids)  # reader problems stay unless ignored
    ignored = goallint.check(EXAMPLES / "faulty.csv", config=Settings(ignore=["reader"]), select=["GL6"])
    assert {f.rule_id for f in ignored.findings} == {i for i in ids if i.startswith("GL6")}
    assert ignored.files[0].suppressed  # the reader problems, silenced with the reason


def test_check_matches_the_command_line(tmp_path):
    out = tmp_path / "report.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "goallint.cli",
            "check",
            "--no-config",
            "-f",
            "json",
            "-o",
            str(out),
            "-j1",
            str(EXAMPLES / "faulty.docx"),
        ],
        check=False,
    )
    import json

    report = json.loads(out.read_text(encoding="utf-8"))
    api = goallint.check(EXAMPLES / "faulty.docx", config=False)
    assert [(f["rule"], f.get("row")) for f in report["findings"]] == [
        (f.rule_id, f.location.row) for f in api.findings
    ]


def test_read_returns_the_model():
    document = goallint.read(EXAMPLES / "clean.xlsx")
    assert isinstance(document, Document) and document.tables and document.tables[0].rows
    assert all(row.target is not None for t in document.tables for row in t.rows)
    year = goallint.read(EXAMPLES / "clean.xlsx", fiscal_year=2031).tables[0]
    assert (year.fiscal_year or goallint.read(EXAMPLES / "clean.xlsx", fiscal_year=2031).fiscal_year).year == 2031


def test_read_raises_a_clear_error(tmp_path):
    from goallint.errors import GoallintError

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    try:
        goallint.read(broken)
    except GoallintError as error:
        assert "broken.xlsx" in str(error)
    else:
        raise AssertionError("no error")


def test_import_goallint_loads_nothing_heavy():
    heavy = "('pydantic', 'typer', 'lark', 'pint', 'ruamel.yaml')"
    code = f"import sys, goallint; goallint.check; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
