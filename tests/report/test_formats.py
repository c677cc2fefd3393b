"""Every --format on the real corpus and examples: JSON against `goallint schema report`, SARIF against the
official 2.1.0 schema, GitHub workflow-command lines (with escaping), the xlsx workbook read back."""

from __future__ import annotations

import json
import re
import shutil

import jsonschema
import openpyxl
import pytest

from goallint.engine.loader import load_rules
from goallint.report.github import command, escape_data, escape_property

from .helpers import CORPUS, EXAMPLES, ROOT, SCHEMAS, run


@pytest.fixture(scope="module")
def report() -> dict:
    result = run("check", "--no-config", "--format", "json", EXAMPLES, CORPUS)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_json_report_is_valid_against_its_schema(report):
    schema = json.loads(run("schema", "report").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(report)
    # the schema is strict: an unknown field or a missing one is an error
    broken = json.loads(json.dumps(report))
    broken["findings"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)
    del broken["findings"][0]["extra"], broken["findings"][0]["rule"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_json_report_contents(report):
    files = {f["path"]: f for f in report["files"]}
    assert len(files) == len(list(EXAMPLES.iterdir())) + len(list(CORPUS.iterdir()))
    corpus_2023 = files[str(CORPUS / "tianjin-ccpit-2023-projects.txt")]
    assert corpus_2023["format"] == "word-dump" and corpus_2023["tables"] > 1 and corpus_2023["errors"] == []
    s = report["summary"]
    assert s["findings"] == len(report["findings"]) == s["error"] + s["warning"] + s["info"]
    assert sum(s["rules"].values()) == s["findings"]
    assert s["rows"] == sum(f["rows"] for f in report["files"])
    # the faulty workbook's ≧2次 (examples/faulty.xlsx, table 2 row 2): location, parsed target, safe fix
    (hit,) = [f for f in report["findings"] if f["file"].endswith("faulty.xlsx") and f["rule"] == "GL102"]
    assert hit["table_number"] == 2 and hit["row"] == 2 and hit["sheet"] and hit["cell"] == "G9"
    assert (
        hit["indicator"] == hit["level3"] == "配套活动场次"
        and hit["level1"] == "产出指标"
        and hit["level2"] == "数量指标"
    )
    assert hit["value"] == "≧2次" and hit["column"] == "指标值"
    assert hit["target"]["kind"] == "numeric" and hit["target"]["comparator"] == "≥" and hit["target"]["number"] == 2
    assert hit["fix"] == {"text": "≥2次", "safe": True}
    assert "≧" in hit["message"] and hit["severity"] == "warning" and hit["name"] == "nonstandard-comparator"


def test_json_lang_en_and_output_file(tmp_path):
    out = tmp_path / "report.json"
    result = run("check", "--no-config", "--format", "json", "--lang", "en", "--output", out, EXAMPLES / "faulty.xlsx")
    assert result.exit_code == 1 and result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["lang"] == "en"
    gl102 = next(f for f in data["findings"] if f["rule"] == "GL102")
    assert "nonstandard" in gl102["message"] or "≧" in gl102["message"]
    assert not re.search(r"[指标值应写作]", gl102["message"])


@pytest.fixture(scope="module")
def sarif() -> dict:
    result = run("check", "--no-config", "--format", "sarif", EXAMPLES, CORPUS)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_sarif_is_valid_against_the_official_schema(sarif):
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    assert sarif["version"] == "2.1.0"
    broken = json.loads(json.dumps(sarif))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(broken)


def test_sarif_rules_and_locations(sarif):
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    results = run_["results"]
    assert set(ids) == {r["ruleId"] for r in results}
    builtin = {lr.id: lr.rule for lr in load_rules().rules}
    for result in results:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        (loc,) = result["locations"]
        uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/") and (ROOT / uri).is_file()  # relative to the working folder (the repo root)
        assert loc["logicalLocations"][0]["name"]
        if uri.endswith((".txt", ".yaml", ".csv")):
            assert loc["physicalLocation"]["region"]["startLine"] >= 1
        if uri.endswith((".xlsx", ".docx")):
            assert "region" not in loc["physicalLocation"]
    # help text comes from the rule's explanation
    gl102 = rules[ids.index("GL102")]
    assert gl102["help"]["text"].startswith(builtin["GL102"].explanation.zh.strip()[:40])
    assert gl102["shortDescription"]["text"] == builtin["GL102"].summary.zh
    assert gl102["defaultConfiguration"]["level"] == "warning"
    # a text-dump finding points at the line of its row
    dump = next(
        r
        for r in results
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("2023-projects.txt")
    )
    line = dump["locations"][0]["physicalLocation"]["region"]["startLine"]
    source = (CORPUS / "tianjin-ccpit-2023-projects.txt").read_text(encoding="utf-8").splitlines()
    assert dump["properties"]["value"] in source[line - 1]


def test_sarif_reports_an_unreadable_file_as_a_notification(tmp_path):
    shutil.copy(EXAMPLES / "faulty.csv", tmp_path / "faulty.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    result = run("check", "--no-config", "--format", "sarif", tmp_path)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    inv = data["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert "broken.xlsx" in note["message"]["text"] and note["level"] == "error"
    assert data["runs"][0]["results"], "the readable file is still reported"
    jsonschema.Draft4Validator(json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))).validate(
        data
    )


GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^,:]+(,line=\d+)?,title=[^,:]+::.+$")


def test_github_lines(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("check", "--no-config", "--format", "github", EXAMPLES / "faulty.xlsx", EXAMPLES / "faulty.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(GITHUB_LINE.match(line) for line in lines), lines
    yaml_lines = [line for line in lines if "faulty.yaml" in line]
    assert yaml_lines and all(",line=" in line for line in yaml_lines)
    assert all(
        line.split(" ", 1)[1].startswith(("file=examples/faulty.xlsx,", "file=examples/faulty.yaml,")) for line in lines
    )
    gl201 = next(line for line in lines if "title=GL201" in line)
    assert gl201.startswith("::error ") and "「≤90%25」" in gl201 and "%" not in gl201.replace("%25", "")


def test_github_escaping():
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    line = command("warning", "第1行\n≥90%", file="表,1:2.csv", line=3, title="GL102 x")
    assert line == "::warning file=表%2C1%3A2.csv,line=3,title=GL102 x::第1行%0A≥90%25"
    assert command("notice", "m") == "::notice::m"


def test_xlsx_workbook(tmp_path, report):
    out = tmp_path / "findings.xlsx"
    result = run("check", "--no-config", "--format", "xlsx", "--output", out, EXAMPLES, CORPUS)
    assert result.exit_code == 1 and result.stdout == ""
    wb = openpyxl.load_workbook(out)
    findings, by_rule, by_file = wb.worksheets
    assert findings.title == "问题清单" and by_rule.title == "按规则汇总"
    assert findings.freeze_panes == "A2"
    assert findings.auto_filter.ref == f"A1:O{findings.max_row}"
    header = [c.value for c in findings[1]]
    assert header[:4] == ["文件", "表", "项目名称", "行"] and "问题" in header
    rows = list(findings.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report["findings"])
    # same findings, same order as the JSON report
    assert [(r[0], r[9], r[8] or None) for r in rows] == [
        (f["file"], f["rule"], f["value"]) for f in report["findings"]
    ]
    counts = {r[0]: r[3] for r in by_rule.iter_rows(min_row=2, values_only=True) if r[0] != "合计"}
    assert counts == report["summary"]["rules"]
    total = next(r for r in by_rule.iter_rows(min_row=2, values_only=True) if r[0] == "合计")
    assert total[3] == report["summary"]["findings"]
    assert by_file.max_row - 1 == len(report["files"])


def test_xlsx_needs_output():
    result = run("check", "--no-config", "--format", "xlsx", EXAMPLES / "clean.xlsx")
    assert result.exit_code == 2 and "--output" in result.stderr


def test_text_summary_and_colour():
    result = run("check", "--no-config", EXAMPLES / "faulty.xlsx")
    assert result.exit_code == 1
    assert "\x1b[" not in result.stdout  # not a terminal: plain
    last = result.stdout.strip().splitlines()[-1]
    assert re.match(r"共 \d+ 个问题：错误 \d+，警告 \d+，提示 \d+.*（1 个文件，1 张表，7 行指标）", last), last
    assert "「≧2次」" in result.stdout and "→ 「≥2次」（可安全自动修复）" in result.stdout
    coloured = run("check", "--no-config", "--color", EXAMPLES / "faulty.xlsx")
    assert "\x1b[" in coloured.stdout
    en = run("check", "--no-config", "--lang", "en", EXAMPLES / "clean.xlsx")
    assert en.exit_code == 0 and en.stdout.strip() == "No problems found (1 files, 1 tables, 10 rows)"


def test_output_to_a_missing_folder_is_2(tmp_path):
    for fmt, name in (("json", "r.json"), ("xlsx", "r.xlsx")):
        result = run(
            "check", "--no-config", "--format", fmt, "--output", tmp_path / "nowhere" / name, EXAMPLES / "clean.csv"
        )
        assert result.exit_code == 2 and "nowhere" in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_sarif_in_english():
    data = json.loads(run("check", "--no-config", "--format", "sarif", "--lang", "en", EXAMPLES / "faulty.xlsx").stdout)
    rules = {r["id"]: r for r in data["runs"][0]["tool"]["driver"]["rules"]}
    gl102 = load_rules().by_id("GL102").rule
    assert rules["GL102"]["shortDescription"]["text"] == gl102.summary.en
    result = next(r for r in data["runs"][0]["results"] if r["ruleId"] == "GL102")
    assert result["locations"][0]["logicalLocations"][0]["name"].startswith("table 2 row 2 ")
    assert "suggested: '≥2次'" in result["message"]["text"]


def test_control_characters_and_enormous_cells_in_reports(tmp_path):
    """A hostile canonical JSON (a control character inside a value, a 5,000-character value) still gives an
    xlsx workbook (Excel refuses control characters) and a text report that quotes the long cell by its start."""
    long_value = "有效提升" * 1250
    table = {
        "goallint": 1,
        "fiscal-year": 2025,
        "tables": [
            {
                "unit": "万元",
                "project": "测试项目",
                "budget": {"total": 10, "fiscal": 10, "other": None},
                "rows": [
                    ["产出指标", "数量指标", "培训人数", "", "≧\u00012次"],
                    ["效益指标", "社会效益指标", "服务能力", "", long_value],
                ],
            }
        ],
    }
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "findings.xlsx"
    result = run("check", "--no-config", "--format", "xlsx", "--output", out, source)
    assert result.exit_code == 1, result.output
    cells = [c.value for row in openpyxl.load_workbook(out)["问题清单"].iter_rows(min_row=2) for c in row]
    assert "≧2次" in cells, cells  # the value cell, without its control character
    assert not any(isinstance(v, str) and "\u0001" in v for v in cells)
    assert not any(isinstance(v, str) and len(v) > 1000 for v in cells)
    text = run("check", "--no-config", "--no-color", source).stdout
    assert "（共 5000 字）" in text and long_value not in text
