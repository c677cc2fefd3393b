"""What a user sees of a finding in every output: the table number printed in the table's title (表62),
never its position in the file (the commerce file's 表62 is its 58th table), and a code that
`goallint explain` explains — every rule id and every reader problem id (GL001…)."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from goallint.engine.loader import load_rules
from goallint.reader_problems import problem_kinds

from .helpers import CORPUS, run

COMMERCE = CORPUS / "tianjin-commerce-2025-projects.txt"
# printed number → position of the tables GL707 reports in the commerce file (the numbering skips 9, …)
PRINTED = {62: 58, 66: 62}


def test_the_file_numbers_its_tables_otherwise_than_by_position():
    """The premise: were the position shown anywhere, the tests below would see 表58 / 表62 mixed up."""
    data = json.loads(run("check", COMMERCE, "--select", "GL707", "--format", "json").stdout)
    got = {(f["table_number"], f["table"]) for f in data["findings"]}
    assert got == set(PRINTED.items())


def test_text_report_shows_printed_numbers():
    out = run("check", COMMERCE, "--select", "GL707").stdout
    headings = re.findall(r"^  表 ?(\d+)", out, re.M)
    assert sorted(map(int, headings)) == [62, 66]
    assert "表58" not in out


def test_json_and_sarif_name_tables_by_printed_number():
    data = json.loads(run("check", COMMERCE, "--select", "GL707", "--format", "json").stdout)
    for f in data["findings"]:
        assert f"表{f['table_number']}" in f["message"] and f["table_number"] in PRINTED
    sarif = json.loads(run("check", COMMERCE, "--select", "GL707", "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert len(results) == 3
    for result in results:
        names = {loc["name"] for where in result["locations"] for loc in where.get("logicalLocations", [])}
        number = result["properties"]["tableNumber"]
        assert names == {f"表{number}"} and number in PRINTED


def test_github_annotations_name_tables_by_printed_number():
    out = run("check", COMMERCE, "--select", "GL707", "--format", "github").stdout
    titles = re.findall(r"::(表\d+): ", out)
    assert sorted(titles) == ["表62", "表62", "表66"]


def test_xlsx_and_html_show_printed_numbers(tmp_path):
    book = tmp_path / "r.xlsx"
    assert run("check", COMMERCE, "--select", "GL707", "--format", "xlsx", "-o", book).exit_code == 1
    sheet = openpyxl.load_workbook(book).worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("表")
    assert sorted(row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]) == [62, 62, 66]
    page = tmp_path / "r.html"
    assert run("check", COMMERCE, "--select", "GL707", "--format", "html", "-o", page).exit_code == 1
    html = page.read_text(encoding="utf-8")
    for printed in PRINTED:  # the tables with findings, under their printed number and project
        assert re.search(rf"<summary>表{printed}\u3000", html), printed
    # the 58th table (printed 62) is not shown as 表58 with 表62's project
    assert not re.search(r"<summary>表58\u3000ZX（市级）天津市人民政府外商投资办公室办公费", html)


def _codes() -> list[str]:
    ruleset = load_rules(plugins=False)
    codes = [lr.id for lr in ruleset.rules] + [kind.id for kind in problem_kinds().values()]
    assert len(codes) == len(set(codes))
    return sorted(codes)


def test_every_code_is_registered_once_and_reader_codes_are_gl0():
    codes = _codes()
    reader = [c for c in codes if c.startswith("GL0")]
    assert reader == sorted(kind.id for kind in problem_kinds().values())
    assert reader[0] == "GL001" and len(reader) >= 32  # GL001–GL032 and any added since


@pytest.mark.parametrize("code", _codes())
def test_explain_explains_every_code_a_report_can_hold(code):
    for lang in ("zh", "en"):
        result = run("explain", code, "--lang", lang)
        assert result.exit_code == 0, (code, result.output)
        first = result.stdout.splitlines()[0]
        assert first.startswith(f"{code} "), first
        assert len(result.stdout.strip().splitlines()) >= 3  # the summary and an explanation, not just a title


def test_every_code_in_the_corpus_reports_is_explained():
    data = json.loads(run("check", CORPUS, "--format", "json").stdout)
    found = {f["rule"] for f in data["findings"]}
    assert found and found <= set(_codes())
