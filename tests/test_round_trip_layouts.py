"""Tables of other regions' templates converted and checked again (issue 17): the canonical YAML, the canonical
JSON (the YAML's keys), the full-model JSON and the long layout (.xlsx, .csv) keep the rows, their blocks,
split targets and kept cells, the self-evaluation form and the header fields, so that the converted file
gives the same findings (codes, rows, messages) as the original. Also the project period against 中期
targets (GL505) and 上年结转 in the budget arithmetic (GL403), on built .docx and .xlsx files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from goallint import convert, pipeline
from goallint.cli import app
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.readers.canonical import json_schema

sys.path.insert(0, str(Path(__file__).resolve().parent))
from builders import grid_layouts  # noqa: E402
from builders.docx_form import write_layout_docx  # noqa: E402
from builders.layouts import C, Layout  # noqa: E402
from builders.layouts import write_layout_docx as write_cells_docx  # noqa: E402
from builders.layouts import write_layout_xlsx as write_cells_xlsx  # noqa: E402
from builders.xlsx_form import write_layout_xlsx  # noqa: E402

runner = CliRunner()


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules())


# --------------------------------------------------------------------------- layouts with header blocks


GRID = ["一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值"]


def older_ministry(period: str | None = "2024-2026年") -> Layout:
    """templates.md 2: 主管部门及代码, 实施单位, 项目属性, 项目期, 中期 and 年度 amounts, 中期目标 | 年度目标, and a grid
    with 中期指标值 | 年度指标值: one 中期 deadline after the period's end and one before its start."""
    header = [
        ["项目名称", C("国际展会服务项目", span=4)],
        ["主管部门及代码", "[105]某省商务厅", "实施单位", C("某省国际展览中心", span=2)],
    ]
    header.append(
        ["项目属性", "延续项目", "项目期", C(period, span=2)] if period else ["项目属性", C("延续项目", span=4)]
    )
    return Layout(
        before=["项目支出绩效目标申报表", "（2024年度）"],
        rows=[
            *header,
            [C("项目资金\n（万元）", down=3), "中期资金总额", "300", "年度资金总额", "100"],
            ["其中：财政拨款", "250", "其中：财政拨款", "80"],
            ["其他资金", "50", "其他资金", "20"],
            [C("总体目标", down=2), C("中期目标", span=2), C("年度目标", span=2)],
            [C("1.三年举办展会9场。\n2.服务企业2000家次。", span=2), C("1.全年举办展会3场。", span=2)],
            GRID,
            ["产出指标", "数量指标", "举办展会场次", "≥9场", "≥3场"],
            ["产出指标", "时效指标", "展会举办完成时间", "2026年12月底前", "2024年12月底前"],
            ["产出指标", "时效指标", "展馆改造完成时间", "2027年6月底前", "2024年6月底前"],
            ["产出指标", "时效指标", "场馆租赁签约时间", "2023年底前", "2024年3月底前"],
            ["满意度指标", "服务对象满意度指标", "参展企业满意度", "≥90%", "≥90%"],
        ],
    )


def national_export(total: str = "30.00", carryover: str = "10.00") -> Layout:
    """templates.md 1: 项目名称 and 主管部门 on one row, 年度资金总额 | 其中：财政拨款 | 其他资金, 上年结转, and the
    target split over 指标性质 | 指标值 | 度量单位 | 权重(%)."""
    return Layout(
        before=["项目支出绩效目标表（2024年度）", "单位：万元"],
        rows=[
            ["项目名称", C("跨境电商统计体系建设", span=3), "主管部门", C("[301]某市商务局", span=2)],
            ["年度资金总额", total, "其中：财政拨款", "20.00", "其他资金", "0", C("", span=1)],
            ["上年结转", carryover, C("", span=5)],
            ["年度绩效目标", C("1.完成全年跨境电商统计监测。\n2.形成季度分析报告。", span=6)],
            ["一级指标", "二级指标", "三级指标", "指标性质", "*指标值", "度量单位", "权重(%)"],
            ["产出指标", "数量指标", "监测企业数量", "≥", "200", "家", "30"],
            ["产出指标", "数量指标", "培训企业人次", "", "500", "人次", "20"],
            ["产出指标", "质量指标", "数据准确率", ">=", "95", "百分比", "20"],
            ["满意度指标", "服务对象满意度指标", "企业满意度", "≤", "90", "%", "30"],
        ],
    )


def xlsx_cells(path: Path, layout: Layout) -> Path:
    """An .xlsx of a cell-by-cell layout: the lines above the table in merged rows of its own (Excel has no
    paragraphs above a table)."""
    width = max(sum(c.span if isinstance(c, C) else 1 for c in row) for row in layout.rows)
    rows = [[C(line, span=width)] for line in layout.before] + layout.rows
    return write_cells_xlsx(path, [Layout(rows=rows)])


# every layout of builders/grid_layouts.py and the two header blocks above, as .xlsx files
SOURCES = {
    "split": lambda p: write_layout_xlsx([grid_layouts.split_export()], p),
    "split-two-level": lambda p: write_layout_xlsx([grid_layouts.split_two_level()], p),
    "midterm-annual": lambda p: write_layout_xlsx([grid_layouts.midterm_and_annual()], p),
    "stacked": lambda p: write_layout_xlsx([grid_layouts.stacked_blocks()], p),
    "side-by-side": lambda p: write_layout_xlsx([grid_layouts.side_by_side_blocks()], p),
    "self-evaluation": lambda p: write_layout_xlsx([grid_layouts.self_evaluation()], p),
    "provincial": lambda p: write_layout_xlsx([grid_layouts.provincial(2)], p),
    "older-ministry": lambda p: xlsx_cells(p, older_ministry()),
    "national-export": lambda p: xlsx_cells(p, national_export(total="35.00")),
    # Word tables with merged cells
    "split.docx": lambda p: write_layout_docx([grid_layouts.split_export()], p.with_suffix(".docx")),
    "midterm-annual.docx": lambda p: write_layout_docx([grid_layouts.midterm_and_annual()], p.with_suffix(".docx")),
    "stacked.docx": lambda p: write_layout_docx([grid_layouts.stacked_blocks()], p.with_suffix(".docx")),
    "self-evaluation.docx": lambda p: write_layout_docx([grid_layouts.self_evaluation()], p.with_suffix(".docx")),
    "older-ministry.docx": lambda p: write_cells_docx(p.with_suffix(".docx"), [older_ministry()]),
}


def rows_of(document) -> list[tuple]:
    return [
        (
            t,
            r.level1,
            r.level2,
            r.level3,
            r.description,
            r.value,
            r.block,
            r.goal,
            tuple(sorted(r.extra.items())),
            tuple(sorted((name, part.text, part.span) for name, part in r.parts.items())),
        )
        for t, table in enumerate(document.tables, 1)
        for r in table.rows
    ]


def header_of(table) -> tuple:
    return (
        table.project,
        table.unit,
        table.form,
        table.budget,
        table.goals,
        table.supervisor,
        table.implementer,
        table.attribute,
        table.period,
        table.fiscal_year.year if table.fiscal_year else None,
    )


def findings_of(engine, document) -> list[tuple]:
    """Each finding as codes, table, row, messages, block and form: all but the location's file, line and cell."""
    return sorted(
        (
            f.rule_id,
            f.severity,
            f.location.table,
            f.location.row,
            f.message_zh,
            f.message_en,
            f.block,
            f.table_form,
            f.value,
            f.fix.text if f.fix else None,
        )
        for f in engine.check(document)
    )


def canonical_json(yaml_path: Path, out: Path) -> Path:
    """The canonical YAML's data written as JSON (`"goallint": 1` and the same keys)."""
    from ruamel.yaml import YAML

    out.write_text(json.dumps(YAML(typ="safe").load(yaml_path.read_text("utf-8")), ensure_ascii=False), "utf-8")
    return out


@pytest.mark.parametrize("name", SOURCES)
def test_converted_tables_give_the_same_rows_and_findings(tmp_path, name, engine):
    source = SOURCES[name](tmp_path / f"{name}.xlsx")
    original = pipeline.load(source)
    assert original.problems == []
    expected_rows, expected = rows_of(original), findings_of(engine, original)
    assert expected  # every layout has something to find

    converted = {suffix: tmp_path / f"out{suffix}" for suffix in (".yaml", ".json", ".xlsx", ".csv")}
    for out in converted.values():
        convert.convert(source, out)
    converted["canonical .json"] = canonical_json(converted[".yaml"], tmp_path / "canonical.json")
    for kind, path in converted.items():
        document = pipeline.load(path)
        assert document.problems == [], kind
        assert rows_of(document) == expected_rows, kind
        assert findings_of(engine, document) == expected, kind
        if kind in (".yaml", ".json", "canonical .json"):
            assert [header_of(t) for t in document.tables] == [header_of(t) for t in original.tables], kind
            assert [(t.mid_budget, t.mid_goals) for t in document.tables] == [
                (t.mid_budget, t.mid_goals) for t in original.tables
            ], kind
        else:  # the long layout: everything the rules read
            assert [header_of(t) for t in document.tables] == [header_of(t) for t in original.tables], kind

    data = json.loads(converted["canonical .json"].read_text("utf-8"))
    assert list(jsonschema.Draft202012Validator(json_schema()).iter_errors(data)) == []


def test_the_yaml_says_blocks_parts_kept_cells_and_header_fields(tmp_path):
    """What a drafter sees in the YAML of the older template and the national export."""
    older = pipeline.load(xlsx_cells(tmp_path / "older.xlsx", older_ministry()))
    convert.write(older, tmp_path / "older.yaml")
    text = (tmp_path / "older.yaml").read_text("utf-8")
    assert "supervisor: {code: '105', name: 某省商务厅}" in text
    assert "implementer: {code: null, name: 某省国际展览中心}" in text
    assert "attribute: 延续项目" in text and "period: 2024-2026年" in text
    assert "mid-budget: {total: 300.0, fiscal: 250.0, other: 50.0}" in text
    assert "{level1: 产出指标, level2: 时效指标, level3: 展馆改造完成时间, value: 2027年6月底前, block: 中期}" in text

    export = pipeline.load(xlsx_cells(tmp_path / "export.xlsx", national_export()))
    convert.write(export, tmp_path / "export.yaml")
    text = (tmp_path / "export.yaml").read_text("utf-8")
    assert "budget: {total: 30.0, fiscal: 20.0, other: 0.0, carryover: 10.0}" in text
    assert "comparator: '', value: '500', unit: 人次, weight: '20'" in text


def test_converting_to_the_long_layout_warns_about_the_midterm_budget(tmp_path):
    source = xlsx_cells(tmp_path / "older.xlsx", older_ministry())
    result = runner.invoke(app, ["convert", str(source), str(tmp_path / "out.csv")])
    assert result.exit_code == 0
    assert "中期资金和中期目标不能写入 .csv" in result.output
    result = runner.invoke(app, ["convert", str(source), str(tmp_path / "out.yaml")])
    assert "中期资金" not in result.output


# --------------------------------------------------------------------------- hand-written canonical files


HAND_WRITTEN = """\
goallint: 1
fiscal-year: 2024
tables:
  - unit: 万元
    project: 国际展会服务项目
    form: self-evaluation
    supervisor: {code: 105, name: 某省商务厅}
    period: 2024年至2026年
    budget: {total: 100, fiscal: 80, other: 10, carryover: 10}
    mid-budget: {total: 300, fiscal: 250, other: 50}
    mid-goals: [三年举办展会9场。]
    rows:
      - {level1: 产出指标, level2: 数量指标, level3: 培训人次, comparator: '>=', value: 500, unit: 人次, actual: 520人次}
      - {一级指标: 产出指标, 二级指标: 时效指标, 三级指标: 完成时间, 指标值: 2027年底前, 目标期: 中期, 得分: 10}
      - [产出指标, 时效指标, 完成时间, '', 2024年底前]
"""


def test_hand_written_keys(tmp_path, engine):
    path = tmp_path / "t.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    document = pipeline.load(path)
    table = document.tables[0]
    assert table.form == "self-evaluation"
    assert (table.supervisor.code, table.supervisor.name) == ("105", "某省商务厅")
    assert (table.period.start, table.period.end, table.period.years) == (2024, 2026, 3)
    assert str(table.budget.carryover) == "10.0 wan_yuan"
    assert str(table.mid_budget.total) == "300.0 wan_yuan" and table.mid_goals == ["三年举办展会9场。"]
    first, second, third = table.rows
    assert first.value == "≥500人次" and first.parts["comparator"].text == ">=" and first.extra == {"actual": "520人次"}
    assert first.parts["unit"].location.line == 13 and first.parts["unit"].location.column == "度量单位"
    assert (second.block, second.extra) == ("中期", {"score": "10"}) and third.block is None
    findings = engine.check(document)
    late = [f for f in findings if f.rule_id == "GL505"]
    assert [(f.location.line, f.block) for f in late] == [(14, "中期")]
    assert "项目期「2024年至2026年」" in late[0].message_zh and late[0].message_zh.startswith("（中期指标）")
    assert not [f for f in findings if f.rule_id in ("GL403", "GL502")]


@pytest.mark.parametrize(
    ("row", "line", "words"),
    [
        ("{level3: 完成时间, value: 2027年底前, block: 下期}", 5, "block"),
        ("{level3: 完成时间, value: 2027年底前, wieght: 10}", 5, "wieght"),
        ("{三级指标: 完成时间, 指标值: 2027年, 目标期: 年}", 5, "目标期"),
    ],
)
def test_bad_new_keys_are_errors_at_their_line(tmp_path, row, line, words):
    path = tmp_path / "t.yaml"
    path.write_text(f"goallint: 1\ntables:\n  - project: x\n    rows:\n      - {row}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-config", str(path)])
    assert result.exit_code == 2
    assert f"t.yaml:{line}" in result.output and words in result.output


def test_a_fix_in_a_split_row_writes_the_comparator_key(tmp_path):
    source = xlsx_cells(tmp_path / "export.xlsx", national_export())
    out = tmp_path / "export.yaml"
    convert.convert(source, out)
    before = out.read_text("utf-8")
    result = runner.invoke(app, ["check", "--no-config", "--fix", str(out)])
    assert result.exit_code in (0, 1)
    after = out.read_text("utf-8")
    assert "comparator: '>=', value: '95', unit: 百分比" in before
    assert "comparator: '>=', value: '95', unit: \"%\"" in after  # GL103's % in the unit key (>= reads as ≥)
    assert after.replace('unit: "%"', "unit: 百分比") == before  # nothing else changed


# --------------------------------------------------------------------------- 中期 targets and the project period


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_midterm_targets_are_checked_against_the_project_period(tmp_path, kind, engine):
    write = {"docx": lambda p, layout: write_cells_docx(p, [layout]), "xlsx": xlsx_cells}[kind]
    document = pipeline.load(write(tmp_path / f"t.{kind}", older_ministry()))
    table = document.tables[0]
    assert (table.period.start, table.period.end) == (2024, 2026)
    findings = engine.check(document)
    outside = [(f.level3, f.block, f.value) for f in findings if f.rule_id == "GL505"]
    assert outside == [("展馆改造完成时间", "中期", "2027年6月底前"), ("场馆租赁签约时间", "中期", "2023年底前")]
    message = next(f.message_zh for f in findings if f.rule_id == "GL505")
    assert (
        message.startswith("（中期指标）「展馆改造完成时间」") and "项目期「2024-2026年」（2024年至2026年）" in message
    )
    # 2026 within the period is fine for the 中期 target; the 年度 targets are within 2024; the 中期 2023 is
    # GL505's, not GL501's
    assert not [f for f in findings if f.rule_id in ("GL501", "GL502")]


def test_without_a_period_a_later_midterm_deadline_is_no_finding(tmp_path, engine):
    document = pipeline.load(xlsx_cells(tmp_path / "t.xlsx", older_ministry(period=None)))
    assert document.tables[0].period is None
    findings = engine.check(document)
    assert not [f for f in findings if f.rule_id in ("GL502", "GL505")]
    # the 中期 2023 deadline is before the fiscal year: without a period it is stale (GL501)
    assert [(f.rule_id, f.level3, f.block) for f in findings if f.rule_id == "GL501"] == [
        ("GL501", "场馆租赁签约时间", "中期")
    ]


def test_a_period_without_years_checks_nothing(tmp_path, engine):
    document = pipeline.load(xlsx_cells(tmp_path / "t.xlsx", older_ministry(period="3年")))
    assert document.tables[0].period.years == 3 and document.tables[0].period.end is None
    assert not [f for f in engine.check(document) if f.rule_id in ("GL502", "GL505")]


# --------------------------------------------------------------------------- GL403 with 上年结转


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_carryover_in_the_budget_arithmetic(tmp_path, kind, engine):
    write = {"docx": lambda p, layout: write_cells_docx(p, [layout]), "xlsx": xlsx_cells}[kind]
    good = pipeline.load(write(tmp_path / f"good.{kind}", national_export(total="30.00")))
    assert str(good.tables[0].budget.carryover) == "10.0 wan_yuan"
    assert not [f for f in engine.check(good) if f.rule_id == "GL403"]  # 30 = 20 + 0 + 10

    bad = pipeline.load(write(tmp_path / f"bad.{kind}", national_export(total="35.00")))
    (finding,) = [f for f in engine.check(bad) if f.rule_id == "GL403"]
    assert finding.message_zh == (
        "预算数 35万元 不等于财政资金 20万元、其他资金 0万元 与上年结转 10万元 之和 30万元（相差 5万元）；"
        "请核对这四个金额，使 预算数 = 财政资金 + 其他资金 + 上年结转"
    )
    assert "财政资金 20万元 + 其他资金 0万元 + 上年结转 10万元 = 30万元" in finding.message_en


def test_without_carryover_the_budget_message_is_unchanged(tmp_path, engine):
    document = pipeline.load(xlsx_cells(tmp_path / "t.xlsx", national_export(total="35.00", carryover="")))
    assert document.tables[0].budget.carryover is None
    (finding,) = [f for f in engine.check(document) if f.rule_id == "GL403"]
    assert finding.message_zh == (
        "预算数 35万元 不等于财政资金 20万元 与其他资金 0万元 之和 20万元（相差 15万元）；"
        "请核对这三个金额，使 预算数 = 财政资金 + 其他资金"
    )


def test_control_characters_in_the_new_cells_are_removed_and_named(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        'goallint: 1\ntables:\n  - project: x\n    rows:\n      - {level3: 人次, comparator: "\\u0001≥", value: "500",'
        ' unit: 人次, actual: "\\u0002480"}\n',
        encoding="utf-8",
    )
    document = pipeline.load(path)
    row = document.tables[0].rows[0]
    assert (row.value, row.parts["comparator"].text, row.extra) == ("≥500人次", "≥", {"actual": "480"})
    assert [p.code for p in document.problems] == ["control-characters"]


def test_parse_prints_the_new_keys_and_reads_its_own_output(tmp_path, engine):
    source = write_cells_docx(tmp_path / "older.docx", [older_ministry()])
    result = runner.invoke(app, ["parse", str(source)])
    assert result.exit_code == 0
    (tmp_path / "parsed.yaml").write_text(result.stdout, encoding="utf-8")
    assert "period: 2024-2026年" in result.stdout and "block: 中期" in result.stdout
    full = runner.invoke(app, ["parse", "--format", "json", str(source)])
    data = json.loads(full.stdout)
    assert data["tables"][0]["period"] == {"text": "2024-2026年", "start": 2024, "end": 2026, "years": 3}
    assert {row.get("block") for row in data["tables"][0]["rows"]} == {"中期", "年度"}
    original = findings_of(engine, pipeline.load(source))
    assert findings_of(engine, pipeline.load(tmp_path / "parsed.yaml")) == original
    assert [f[0] for f in original].count("GL505") == 2
