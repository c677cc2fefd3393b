"""Time (GL5xx) and measurability (GL6xx) rules on the real corpus tables, and the conditions they use.

Rows are named (table number in the file, row number in the table), as `goallint check` prints them.
Every expectation below was checked by hand against the dump in tests/data/corpus/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from goallint import pipeline
from goallint.cli import app
from goallint.config import Settings, load_profile
from goallint.engine.compile import RowView, compile_condition, written_years
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.engine.schema import Condition
from goallint.model import IndicatorRow, Location
from goallint.values import parse_value

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
CCPIT_2023 = "tianjin-ccpit-2023-projects.txt"
DEPARTMENT = "tianjin-ccpit-2025-department.txt"
COMMERCE = "tianjin-commerce-2025-projects.txt"
COOPERATION = "tianjin-cooperation-2022-projects.txt"
COOP_2022_DEADLINES = {(4, 3), (6, 3), (7, 3), (8, 3), (10, 3), (11, 4), (13, 4)}


def check(ruleset, name: str, *, fiscal_year: int | None = None, settings: Settings | None = None, profile=None):
    engine = Engine(ruleset, settings or Settings(select=["GL5", "GL6"]), profile=profile)
    return engine.check(pipeline.load(CORPUS / name, fiscal_year=fiscal_year))


@pytest.fixture(scope="module")
def found(ruleset):
    """rule id → {(file, table, row)} for the GL5/GL6 findings on every corpus file (years as inferred)."""
    out: dict[str, set[tuple[str, int, int]]] = {}
    for path in sorted(CORPUS.glob("*.txt")):
        for f in check(ruleset, path.name):
            out.setdefault(f.rule_id, set()).add((path.name, f.location.table, f.location.row))
    return out


def rows(findings, rule: str) -> set[tuple[int, int]]:
    return {(f.location.table, f.location.row) for f in findings if f.rule_id == rule}


def at(name: str, *cells: tuple[int, int]) -> set[tuple[str, int, int]]:
    return {(name, t, r) for t, r in cells}


# --------------------------------------------------------------------------- GL501 / GL502


def test_gl501_2022_file_with_fiscal_year_2025_reports_its_2022_deadlines(ruleset):
    findings = check(ruleset, COOPERATION, fiscal_year=2025)
    assert rows(findings, "GL501") == COOP_2022_DEADLINES
    f = next(f for f in findings if f.rule_id == "GL501" and (f.location.table, f.location.row) == (11, 4))
    assert f.value == "2022年上半年" and f.severity == "error"
    assert "「举办活动时间」" in f.message_zh and "2025" in f.message_zh and "2022年上半年" in f.message_zh


def test_gl501_2022_file_without_fiscal_year_reports_nothing(ruleset, found):
    assert rows(check(ruleset, COOPERATION), "GL501") == set()
    assert "GL501" not in found and "GL502" not in found  # no corpus file has a deadline outside its own year


def test_gl501_through_the_cli():
    runner = CliRunner()
    stale = runner.invoke(
        app, ["check", str(CORPUS / COOPERATION), "--select", "GL501", "--fiscal-year", "2025", "--no-config"]
    )
    assert stale.exit_code == 1 and stale.output.count("GL501") == len(COOP_2022_DEADLINES), stale.output
    clean = runner.invoke(app, ["check", str(CORPUS / COOPERATION), "--select", "GL501", "--no-config"])
    assert clean.exit_code == 0 and "GL501" not in clean.output


def test_gl501_reads_time_rows_not_project_names_or_titles(ruleset):
    # one year later, every 2025 deadline is stale — 2025年3月底前完成拨付 included — but the years in
    # project names (2024年…项目尾款, 2024年内部控制专项经费) and in report titles of quantity rows
    # (《2023年天津市开发区综合评价报告》, 《2024年…报告》) are not deadlines
    found = rows(check(ruleset, COMMERCE, fiscal_year=2026), "GL501")
    assert {(14, 3), (22, 7), (24, 3), (28, 3), (28, 4), (39, 3), (40, 3), (48, 3), (49, 1), (51, 7), (53, 3)} <= found
    assert (9, 6) in found  # 2025全年底前完成: value and 三级指标
    assert not {(41, 1), (42, 1), (42, 2), (59, 3)} & found  # report titles in 数量指标 rows
    assert not {r for r in found if r[0] in (41, 42)} - {(41, 4), (42, 6)}
    assert (60, 5) not in found and (7, 5) not in found  # 12月: no year written
    # a 时效指标 whose description names the year, whatever the value says
    coop = rows(check(ruleset, COOPERATION, fiscal_year=2023), "GL501")
    assert coop == COOP_2022_DEADLINES


def test_gl502_deadline_after_the_fiscal_year_and_allow_multi_year(ruleset):
    early = check(ruleset, COOPERATION, fiscal_year=2021)
    assert rows(early, "GL502") == COOP_2022_DEADLINES
    assert {f.severity for f in early if f.rule_id == "GL502"} == {"warning"}
    allowed = check(
        ruleset,
        COOPERATION,
        fiscal_year=2021,
        settings=Settings(select=["GL502"], thresholds={"allow-multi-year": True}),
    )
    assert allowed == []
    department = load_profile("department", [])
    assert check(ruleset, COOPERATION, fiscal_year=2021, settings=Settings(select=["GL502"]), profile=department) == []
    assert rows(check(ruleset, COMMERCE, fiscal_year=2024), "GL502") >= {(14, 3), (24, 3), (48, 3), (53, 3)}


# --------------------------------------------------------------------------- GL503 / GL504


def test_gl503_time_rows_without_a_time(found):
    must = at(
        COMMERCE,
        (3, 4),
        (4, 5),
        (5, 3),
        (6, 3),
        (11, 3),
        (13, 3),
        (20, 5),
        (32, 5),
        (52, 3),
        (54, 4),
        (55, 3),
        (56, 3),
        (57, 6),
        (61, 3),
    )
    assert found["GL503"] == must
    must_not = (
        at(COMMERCE, (25, 3))  # 2025年底 — 完成: the 三级指标 states the date, the value is a completion word
        | at(COMMERCE, (16, 6))  # the date sits in the description: swapped, GL608's story of the cell
        | at(COMMERCE, (21, 9))  # 按时拨付 — 按时拨付: a copy of the name, GL603's story of the cell
        | at(COMMERCE, (60, 5), (1, 3), (7, 3))  # 12月, a rate, <24小时
        | at(COOPERATION, (1, 5), (1, 6), (5, 3), (9, 10), (4, 2))  # durations, 全年, a schedule, a 质量指标
        | at(DEPARTMENT, (1, 53), (1, 76))  # 12个月内完成, 7*24小时
    )
    assert not must_not & found["GL503"]


def test_gl504_bare_time_outside_time_rows(found):
    assert found["GL504"] == at(COMMERCE, (7, 5))  # 社会效益指标 保障市场平稳运行 12月
    # 12月 under 时效指标, 全年 under 时效指标, 2025年全部项目预算 (a sentence, GL601's) are not
    assert not at(COMMERCE, (60, 5), (49, 1)) & found["GL504"]


# --------------------------------------------------------------------------- GL601 – GL605


def test_gl601_quantitative_categories_without_a_number(found):
    assert found["GL601"] == at(COMMERCE, (49, 1)) | at(COOPERATION, (1, 10), (2, 6), (12, 6))
    # a benefit row whose name holds 认可度; an empty 万元 (GL101's); a 质量指标 in words
    assert not (at(COMMERCE, (18, 7), (17, 6)) | at(COOPERATION, (5, 2))) & found["GL601"]


def test_gl602_vague_targets(found):
    assert at(COMMERCE, (1, 5), (11, 5), (14, 6), (30, 6), (31, 5), (61, 5)) <= found["GL602"]
    # 有效保障 and 基本持平 have their own rules (GL611, GL612) with suggestions that fit them
    assert not at(COMMERCE, (3, 6), (21, 11)) & found["GL602"]
    assert at(CCPIT_2023, (3, 8), (3, 9), (3, 10), (5, 19), (5, 20), (5, 21)) == {
        x for x in found["GL602"] if x[0] == CCPIT_2023
    }
    # 积极推动…, 进一步促进…, 进一步扩大…: the general adverb × verb list, not only the corpus's phrases
    assert at(DEPARTMENT, (1, 21), (1, 41), (1, 56), (1, 71)) == {x for x in found["GL602"] if x[0] == DEPARTMENT}
    assert at(DEPARTMENT, (1, 78)) <= found["GL611"]  # 完善消防系统，有效保障安全生产…
    assert at(COOPERATION, (3, 19)) == {x for x in found["GL602"] if x[0] == COOPERATION}
    # concrete results without a vague word
    assert not (at(COMMERCE, (12, 6), (5, 5), (16, 9)) | at(CCPIT_2023, (2, 8))) & found["GL602"]


def test_gl603_value_repeats_the_indicator(found):
    assert at(COMMERCE, (52, 5), (53, 5), (17, 7), (34, 6), (21, 9), (60, 4)) <= found["GL603"]
    assert at(CCPIT_2023, (4, 7), (4, 8), (4, 9), (5, 10)) == {x for x in found["GL603"] if x[0] == CCPIT_2023}
    assert at(COOPERATION, (3, 18)) == {x for x in found["GL603"] if x[0] == COOPERATION}
    # a deadline that repeats a deadline-shaped name is still a target; different words are not repeats
    assert not (at(COMMERCE, (9, 6), (53, 3), (48, 3)) | at(CCPIT_2023, (2, 8))) & found["GL603"]


def test_gl604_is_off_by_default_and_compares_description_with_name(ruleset, found):
    assert "GL604" not in found
    on = check(ruleset, CCPIT_2023, settings=Settings(select=["GL604"]))
    got = rows(on, "GL604")
    assert {(1, 1), (1, 14), (2, 1), (5, 22)} <= got
    assert not {(3, 1), (3, 3), (4, 2), (4, 7)} & got  # 增长, 办理无差错率, 参会人数, 举办海外经贸项目
    assert {f.severity for f in on if f.rule_id == "GL604"} == {"info"}
    assert rows(check(ruleset, DEPARTMENT, settings=Settings(select=["GL604"])), "GL604") == set()  # no descriptions


def test_gl605_unit_does_not_fit(found):
    # 系统故障率 ≤1次/季, 完成率 ≤1年, and rates whose value is a date (资金发放及时率 2025年12月底前)
    assert found["GL605"] == at(COMMERCE, (3, 3), (8, 2), (44, 3), (28, 4), (34, 4), (35, 3), (51, 7))
    assert found["GL610"] == at(COMMERCE, (19, 5))  # 时效指标 每季度大型标志性活动数量 ≥1场: a count
    # 1笔 on a count named 项目数量 (its description says 本息率), 倍, 次/年 counts, hours in time rows
    assert not (at(COMMERCE, (11, 1), (21, 14), (23, 1), (62, 6), (17, 5)) | at(CCPIT_2023, (1, 5))) & found["GL605"]


def test_gl605_message_speaks_of_rates_only(ruleset):
    f = next(f for f in check(ruleset, COMMERCE) if f.rule_id == "GL605" and f.location.table == 44)
    assert "工作任务按计划完成率" in f.message_zh and "「≤1年」" in f.message_zh and "百分比" in f.message_zh
    # the message recites only what applies to a rate: nothing on costs or on how to write a time
    assert "成本" not in f.message_zh and "金额" not in f.message_zh


# --------------------------------------------------------------------------- the conditions they use


def view(value="", level2="", level3="", description="", fy=None, params=None):
    row = IndicatorRow(level2=level2, level3=level3, description=description, value=value, location=Location(file="t"))
    row.target = parse_value(value)
    return RowView(row, None, fy, params or {})


def cond(ruleset, **data):
    return compile_condition(Condition.model_validate(data), ruleset.lexicons)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2023年12月底前完成", [2023]),
        ("2022年度", [2022]),
        ("2022年上半年", [2022]),
        ("2025全年底前完成", [2025]),
        ("2025年年内完成拨付", [2025]),
        ("2025年3月底前完成2024年免除查验费拨付", [2025]),
        ("《2023年天津市开发区综合评价报告》", []),
        ("2023年PECC国际贸易投资博览会", []),
        ("2024—2025年档案整理", []),
        ("≥2000人次", []),
        ("2023年内蒙古", []),
        ("2025年3月底前完成2024年度工作", [2025]),
    ],
)
def test_written_years(text, years):
    assert list(written_years(text)) == years


def test_written_year_condition_reads_the_named_cells(ruleset):
    c = cond(ruleset, **{"written-year": {"compare": "< fiscal_year", "in": ["level3", "description"]}})
    assert c(view("按时完成", level3="保障时间", description="2022年全年", fy=2025))
    assert not c(view("2022年", level3="经费拨付时间", fy=2025))  # the value is not among the cells read
    assert not c(view("按时完成", level3="2022年全年", fy=None))  # no fiscal year: nothing compares
    v = cond(ruleset, **{"written-year": {"compare": "> fiscal_year"}})
    assert v(view("系统开发于2026年6月底前完成", fy=2025)) and not v(view("系统开发于2025年6月底前完成", fy=2025))


def test_same_text_condition(ruleset):
    c = cond(ruleset, **{"same-text": {"as": ["level3", "description"]}})
    assert c(view("指导商务工作", level3="指导商务工作"))
    assert c(view("提供企业和车主报废机动车有关凭证。", level3="x", description="提供企业和车主 报废机动车有关凭证"))
    assert not c(view("指导商务工作", level3="指导商务工作（志书）"))
    assert not c(view("", level3=""))  # two empty cells are not a repeat
    d = cond(ruleset, **{"same-text": {"field": "description", "as": ["level3"]}})
    assert d(view("≥90%", level3="系统验收合格率", description="系统验收合格率"))
    assert not d(view("≥90%", level3="系统验收合格率", description="反映系统验收情况"))


def test_param_condition(ruleset):
    c = cond(ruleset, param={"allow-multi-year": False})
    assert c(view("x", params={"allow-multi-year": False}))
    assert not c(view("x", params={"allow-multi-year": True}))


def test_bad_written_year_is_a_load_error_with_file_and_line(tmp_path):
    folder = tmp_path / "rules" / "local"
    folder.mkdir(parents=True)
    good = (Path(__file__).parents[2] / "rules" / "time" / "GL501-stale-year.yaml").read_text(encoding="utf-8")
    bad = good.replace("id: GL501", "id: TJ501").replace("family: time", "family: local")
    bad = bad.replace('- written-year: {compare: "< fiscal_year"}', '- written-year: {compare: "< budget"}')
    (folder / "TJ501.yaml").write_text(bad, encoding="utf-8")
    rs = load_rules([tmp_path / "rules"], builtin=False, plugins=False)
    assert len(rs.errors) == 1 and not rs.rules
    err = str(rs.errors[0])
    line = 1 + [text.strip() for text in bad.splitlines()].index('- written-year: {compare: "< budget"}')
    assert "TJ501.yaml" in err and f":{line}" in err and "written-year" in err, err


_PERIOD_TABLES = """\
goallint: 1
fiscal-year: 2024
tables:
{tables}
"""
_PERIOD_TABLE = """\
  - number: {number}
    fiscal-year: 2024
    project: 展馆改造项目
    period: {period}
    rows:
      - {{level1: 产出指标, level2: 时效指标, level3: 改造完成时间, value: 及时, block: 中期}}
      - {{level1: 产出指标, level2: 时效指标, level3: 改造完成时间, value: 及时, block: 年度}}
"""


def test_example_deadline_of_a_mid_term_row_is_the_period_end(tmp_path):
    """GL503's example deadline: the fiscal year's end for a 年度 target, the project period's last year for
    a 中期 one (GL505 checks those against the period); two tables with the same rows and other periods are
    each told their own year (the message is not remembered across tables by the row's content)."""
    from goallint import api

    path = tmp_path / "periods.yaml"
    tables = "".join(_PERIOD_TABLE.format(number=n, period=p) for n, p in ((1, "2024-2026年"), (2, "2024-2027年")))
    path.write_text(_PERIOD_TABLES.format(tables=tables), encoding="utf-8")
    said = {
        (f.location.table, f.block): f.message_zh
        for result in api.check([path], config=None).files
        for f in result.findings
        if f.rule_id == "GL503"
    }
    assert "2026年12月底前完成" in said[(1, "中期")]
    assert "2027年12月底前完成" in said[(2, "中期")]
    assert "2024年12月底前完成" in said[(1, "年度")] and "2024年12月底前完成" in said[(2, "年度")]
