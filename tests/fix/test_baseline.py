"""`check --baseline`: recorded findings stay quiet when rows move, come back when the value changes,
duplicates are counted; --update-baseline; --show-suppressed lists config ignores and baselined
findings with the reason."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from goallint.cli import app

runner = CliRunner()

TABLE = """\
goallint: 1
fiscal-year: 2024
tables:
  - number: 1
    title: 信息化运维项目绩效目标表
    unit: 万元
    project: 信息化运维项目
    budget: {total: 12.0, fiscal: 12.0, other: null}
    rows:
      - [产出指标, 数量指标, 硬件维护数量, 维护的硬件设备数量, ≧17台]
      - [产出指标, 质量指标, 系统故障率, 系统故障率, ≤5%]
      - [产出指标, 时效指标, 完成时间, 完成时间, 2024年12月底前]
      - [产出指标, 成本指标, 硬件设备维保费, 硬件设备维保费, ≤2.5万]
      - [效益指标, 社会效益指标, 门户网站访问量, 门户网站访问量, ≥39万次]
      - [满意度指标, 服务对象满意度指标, 使用人员满意度, 使用人员满意度, ≥95%]
"""
NEW_ROW = "      - [产出指标, 数量指标, 系统开发数量, 系统开发数量, ≧3个]\n"
FIRST_ROW = "      - [产出指标, 数量指标, 硬件维护数量"


def check(*args: str, cwd: Path | None = None):
    result = runner.invoke(app, ["check", "--no-color", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result, json.loads(result.stdout)["findings"]


def keys(findings) -> list[tuple]:
    return sorted((f["rule"], f["indicator"] or "", f["value"]) for f in findings)


def setup(tmp_path: Path, text: str = TABLE) -> tuple[Path, Path]:
    table = tmp_path / "tables" / "table.yaml"
    table.parent.mkdir()
    table.write_text(text, encoding="utf-8")
    return table, tmp_path / "goallint-baseline.json"


def test_first_run_records_then_only_new_findings(tmp_path):
    table, baseline = setup(tmp_path)
    _, everything = check("--no-config", str(table))
    assert {f["rule"] for f in everything} >= {"GL102", "GL104"}
    result, reported = check("--no-config", "--baseline", str(baseline), str(table))
    assert reported == [] and result.exit_code == 0
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["goallint-baseline"] == 1
    assert sum(e["count"] for e in data["findings"]) == len(everything)
    entry = next(e for e in data["findings"] if e["rule"] == "GL102")
    assert entry == {
        "file": "tables/table.yaml",
        "project": "信息化运维项目",
        "indicator": "硬件维护数量",
        "rule": "GL102",
        "value": "≧17台",
        "count": 1,
    }
    # a row inserted above: every old finding has moved down one row, only the new row's is reported
    table.write_text(TABLE.replace(FIRST_ROW, NEW_ROW + FIRST_ROW, 1), encoding="utf-8")
    result, reported = check("--no-config", "--baseline", str(baseline), str(table))
    assert keys(reported) == [("GL102", "系统开发数量", "≧3个")]
    assert reported[0]["row"] == 1 and result.exit_code == 1


def test_changed_value_reappears(tmp_path):
    table, baseline = setup(tmp_path)
    check("--no-config", "--baseline", str(baseline), str(table))
    table.write_text(TABLE.replace("≧17台", "≧18台"), encoding="utf-8")
    _, reported = check("--no-config", "--baseline", str(baseline), str(table))
    assert keys(reported) == [("GL102", "硬件维护数量", "≧18台")]


def test_duplicates_are_counted(tmp_path):
    row = "      - [产出指标, 数量指标, 硬件维护数量, 维护的硬件设备数量, ≧17台]\n"
    table, baseline = setup(tmp_path, TABLE.replace(row, row * 2))
    check("--no-config", "--baseline", str(baseline), str(table))
    entry = next(e for e in json.loads(baseline.read_text(encoding="utf-8"))["findings"] if e["rule"] == "GL102")
    assert entry["count"] == 2
    table.write_text(TABLE.replace(row, row * 3), encoding="utf-8")
    _, reported = check("--no-config", "--baseline", str(baseline), str(table))
    assert [(f["rule"], f["value"]) for f in reported if f["rule"] == "GL102"] == [("GL102", "≧17台")]


def test_csv_row_insertion(tmp_path):
    header = "项目名称,单位,预算数,一级指标,二级指标,三级指标,绩效指标描述,指标值\n"
    rows = [
        "运维项目,万元,12.00,产出指标,数量指标,硬件维护数量,硬件维护数量,≧17台\n",
        "运维项目,万元,12.00,产出指标,成本指标,维保费,维保费,≤2.5万\n",
        "运维项目,万元,12.00,满意度指标,服务对象满意度指标,使用人员满意度,使用人员满意度,≥95%\n",
    ]
    table = tmp_path / "t.csv"
    baseline = tmp_path / "baseline.yaml"
    table.write_text(header + "".join(rows), encoding="utf-8")
    _, everything = check("--no-config", str(table))
    check("--no-config", "--baseline", str(baseline), str(table))
    assert "goallint-baseline: 1" in baseline.read_text(encoding="utf-8")  # YAML because of the suffix
    inserted = "运维项目,万元,12.00,产出指标,数量指标,系统开发数量,系统开发数量,≧3个\n"
    table.write_text(header + inserted + "".join(rows), encoding="utf-8")
    _, reported = check("--no-config", "--baseline", str(baseline), str(table))
    assert keys(reported) == [("GL102", "系统开发数量", "≧3个")]
    # the old findings are still there without the baseline, at other lines
    _, now = check("--no-config", str(table))
    assert len(now) == len(everything) + 1


def test_update_baseline_rewrites_and_keeps_other_files(tmp_path):
    table, baseline = setup(tmp_path)
    other = tmp_path / "tables" / "other.yaml"
    other.write_text(TABLE, encoding="utf-8")
    check("--no-config", "--baseline", str(baseline), str(table), str(other))
    table.write_text(TABLE.replace(FIRST_ROW, NEW_ROW + FIRST_ROW, 1).replace("≤2.5万]", "≤2.5万元]"), encoding="utf-8")
    result, reported = check("--no-config", "--baseline", str(baseline), "--update-baseline", str(table))
    assert reported == []
    assert "基线已写入" in result.output
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    mine = {(e["rule"], e["value"]) for e in entries if e["file"] == "tables/table.yaml"}
    assert ("GL102", "≧3个") in mine and ("GL104", "≤2.5万") not in mine  # the fixed finding is gone
    assert any(e["file"] == "tables/other.yaml" and e["rule"] == "GL104" for e in entries)  # not checked: kept
    _, reported = check("--no-config", "--baseline", str(baseline), str(table), str(other))
    assert reported == []


def test_show_suppressed_lists_config_ignores_and_baseline_with_reasons(tmp_path):
    table, baseline = setup(tmp_path)
    config = tmp_path / "goallint.yaml"
    config.write_text(
        "indicator-ignores:\n"
        "  - indicator: 硬件设备维保费\n"
        "    rules: [GL104]\n"
        "    reason: 维保费按万元填报，已与财政局确认\n",
        encoding="utf-8",
    )
    _, reported = check("--config", str(config), str(table))
    assert "GL104" not in {f["rule"] for f in reported} and "GL102" in {f["rule"] for f in reported}
    check("--config", str(config), "--baseline", str(baseline), str(table))
    result = runner.invoke(
        app,
        ["check", "--no-color", "--config", str(config), "--baseline", str(baseline), "--show-suppressed", str(table)],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "已屏蔽的问题" in out
    block = out[out.index("已屏蔽的问题") :]
    assert "GL104" in block and "维保费按万元填报，已与财政局确认" in block
    assert "GL102" in block and f"基线 {baseline}" in block
    # English
    result = runner.invoke(
        app,
        [
            "check",
            "--no-color",
            "--lang",
            "en",
            "--config",
            str(config),
            "--baseline",
            str(baseline),
            "--show-suppressed",
            str(table),
        ],
    )
    assert "Suppressed findings" in result.stdout and f"baseline {baseline}" in result.stdout


def test_fix_leaves_baselined_findings_alone(tmp_path):
    table, baseline = setup(tmp_path)
    check("--no-config", "--baseline", str(baseline), str(table))
    table.write_text(TABLE.replace(FIRST_ROW, NEW_ROW + FIRST_ROW, 1), encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-config", "--baseline", str(baseline), "--fix", str(table)])
    text = table.read_text(encoding="utf-8")
    assert "≥3个" in text and "≧17台" in text and "≤2.5万]" in text
    assert "已应用 1 个修复" in result.output


def test_bad_baseline_and_usage_errors(tmp_path):
    table, baseline = setup(tmp_path)
    baseline.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-config", "--baseline", str(baseline), str(table)])
    assert result.exit_code == 2 and str(baseline) in result.output and "Traceback" not in result.output
    baseline.write_text('{"findings": []}', encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-config", "--baseline", str(baseline), str(table)])
    assert result.exit_code == 2 and "goallint-baseline" in result.output
    result = runner.invoke(app, ["check", "--no-config", "--update-baseline", str(table)])
    assert result.exit_code == 2 and "--update-baseline needs --baseline" in result.output
