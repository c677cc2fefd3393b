"""Structure (GL7xx) and consistency (GL801) rules on the real corpus tables.

Rows are named (table position in the file, row number in the table), as `goallint check` prints
them. Every expectation below was checked by hand against the dumps in tests/data/corpus/. The corpus
is structurally clean apart from the cases asserted here, so the category rules are also run on real
tables with one real defect put in (a category removed, a row moved) — everything else in the file
stays as published and must stay silent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builders.docx_form import write_docx
from builders.xlsx_form import write_xlsx
from goallint import pipeline
from goallint.config import Settings, load_profile
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.model import Document
from goallint.values import parse_value

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
CCPIT_2023 = "tianjin-ccpit-2023-projects.txt"
DEPARTMENT = "tianjin-ccpit-2025-department.txt"
COMMERCE = "tianjin-commerce-2025-projects.txt"
COOPERATION = "tianjin-cooperation-2022-projects.txt"
FILES = [CCPIT_2023, DEPARTMENT, COMMERCE, COOPERATION]
RULES = ["GL7", "GL8"]


def load(name: str) -> Document:
    return pipeline.load(CORPUS / name)


def run(ruleset, document: Document, profile: str | None = None):
    prof = load_profile(profile, []) if profile else None
    return [
        f
        for f in Engine(ruleset, Settings(select=RULES), profile=prof).check(document)
        if not f.rule_id.startswith("GL0")
    ]


def cells(findings, rule: str) -> set[tuple[int, int | None]]:
    return {(f.location.table, f.location.row) for f in findings if f.rule_id == rule}


@pytest.fixture(scope="module")
def found(ruleset):
    return {name: run(ruleset, load(name)) for name in FILES}


def set_value(row, value: str) -> None:
    row.value = value
    row.target = parse_value(value)


# --------------------------------------------------------------------------- the corpus as published


def test_counts_per_rule_and_file(found):
    counts = {name: sorted(f.rule_id for f in fs) for name, fs in found.items()}
    assert counts[CCPIT_2023] == []  # table 7 is cut off: reported as GL001 truncated-table, not as missing categories
    assert counts[DEPARTMENT] == []
    # GL802: 表59, 60个电脑终端 that no indicator measures; GL803: 表55, 落地 ≥18 beside 签约 ≥10
    # (tests/rules/test_review_rules.py)
    assert counts[COMMERCE] == ["GL706", "GL706", "GL706", "GL707", "GL707", "GL707", "GL802", "GL803"]
    assert counts[COOPERATION] == ["GL706", "GL706"]


def test_gl705_same_name_different_descriptions_is_not_a_duplicate(found):
    # commerce 表41 (the 38th table): 提升服务贸易公共服务能力数量 three times, described as 公共服务平台,
    # 特色服务出口基地 and 特色楼宇 — three different things
    assert not {(38, 3), (38, 4)} & (cells(found[COMMERCE], "GL705") | cells(found[COMMERCE], "GL708"))


def test_gl705_conflicting_duplicate(ruleset):
    doc = load(COMMERCE)
    rows = doc.tables[37].rows
    rows[2].description = rows[1].description  # 经认定的公共服务平台数量 ≧10个 and ≧6个
    got = [f for f in run(ruleset, doc) if f.rule_id in ("GL705", "GL708")]
    assert [(f.rule_id, f.table_number, f.location.row, f.value, f.severity) for f in got] == [
        ("GL705", 41, 3, "≧6个", "error")
    ]
    assert "第2行" in got[0].message_zh and "≧10个" in got[0].message_zh


def test_gl705_gl708_same_name_elsewhere_is_not_a_duplicate(found):
    # 2023 table 5: 审查、审核国际贸易惯例 as 数量指标 (row 1) and as 成本指标 (row 15)
    assert (5, 15) not in cells(found[CCPIT_2023], "GL705") | cells(found[CCPIT_2023], "GL708")
    # department table: 业务总成本 and 企业满意度 under every goal
    assert not cells(found[DEPARTMENT], "GL705") and not cells(found[DEPARTMENT], "GL708")


def test_gl708_identical_repeat(ruleset):
    doc = load(CCPIT_2023)
    table = doc.tables[2]  # 出证认证服务
    copy = table.rows[10].model_copy(update={"location": table.rows[10].location.model_copy(update={"row": 13})})
    table.rows.append(copy)  # 企业满意度 ≥95% again
    got = run(ruleset, doc)
    assert cells(got, "GL708") == {(3, 13)}
    assert not cells(got, "GL705")


def test_gl706_not_satisfaction(found):
    # positions in the file; printed as 表7, 表19, 表57
    assert cells(found[COMMERCE], "GL706") == {(7, 7), (18, 9), (53, 6)}
    assert {f.level3 for f in found[COMMERCE] if f.rule_id == "GL706"} == {
        "及时准确提供数据",
        "消费券兑现速度",
        "是否能够及时领取",
    }
    assert cells(found[COOPERATION], "GL706") == {(1, 10), (5, 6)}  # 信息系统正常运转, 援甘前方指挥部工作经费
    # 企业投诉率 (2023 table 3 row 12) is the reverse measure of satisfaction; 服务对象满意度指标 as a
    # 三级指标 (commerce 表62) and 满意程度 (表66) name satisfaction
    assert (3, 12) not in cells(found[CCPIT_2023], "GL706")
    assert not {(58, 6), (62, 11)} & cells(found[COMMERCE], "GL706")


def test_gl706_says_rename_or_move_per_row(found):
    """A row whose name is no satisfaction measure is moved to the category its name belongs to; the
    cooperation 表5 row 援甘前方指挥部工作经费 (100%), whose name the table gives its 质量/时效/成本/效益
    rows too, is a mislabelled copy: renamed. Each message quotes the name, never the value."""
    said = {f.level3: f.message_zh for name in (COMMERCE, COOPERATION) for f in found[name] if f.rule_id == "GL706"}
    assert "移到时效指标或质量指标下" in said["及时准确提供数据"]
    assert "移到时效指标下" in said["消费券兑现速度"]
    assert "移到时效指标下" in said["是否能够及时领取"]
    assert "移到质量指标下" in said["信息系统正常运转"]
    copy = said["援甘前方指挥部工作经费"]
    assert "改名" in copy and "移到" not in copy and "质量指标、时效指标、成本指标、社会效益指标" in copy
    assert not any(f"「{f.value}」" in f.message_zh for name in found for f in found[name] if f.rule_id == "GL706")


def test_gl707_template_text(found):
    hits = [f for f in found[COMMERCE] if f.rule_id == "GL707"]
    assert {(f.table_number, f.location.column, f.location.row) for f in hits} == {
        (62, "资金用途", None),  # 目标内容统筹指导全市招商引资规划…
        (62, "绩效目标", None),
        (66, "绩效目标", None),  # 目标内容1保障机关正常运转支出…
    }
    assert any("「目标内容1」" in f.message_zh for f in hits)
    assert not [f for name in (CCPIT_2023, DEPARTMENT, COOPERATION) for f in found[name] if f.rule_id == "GL707"]


def test_gl707_in_indicator_cells(ruleset):
    doc = load(CCPIT_2023)
    row = doc.tables[0].rows[0]
    row.level3 = "指标1"
    set_value(row, "≥XX台")
    got = [f for f in run(ruleset, doc) if f.rule_id == "GL707"]
    assert {(f.location.table, f.location.row, f.location.column) for f in got} == {
        (1, 1, "三级指标"),
        (1, 1, "指标值"),
    }


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["指标值"], [(1, "指标值")]),
        (["三级指标"], [(1, "三级指标")]),
        (
            ["指标值", "一级指标", "三级指标"],
            [(1, "一级指标"), (1, "三级指标"), (1, "指标值")],
        ),  # in the table's column order
        (["项目名称"], []),
    ],
)
def test_gl707_only_in_the_cells_asked_for(ruleset, cells, expected):
    """Names and 指标值 are looked up apart (engine/checks/structure.py); the hits keep the columns' order."""
    doc = load(CCPIT_2023)
    row = doc.tables[0].rows[0]
    row.level1, row.level3 = "XX指标", "指标1"
    set_value(row, "≥XX台")
    settings = Settings(select=["GL707"], rule_params={"GL707": {"cells": cells}})
    got = [f for f in Engine(ruleset, settings).check(doc) if f.location.table == 1 and f.location.row is not None]
    assert [(f.location.row, f.location.column) for f in got] == expected


# --------------------------------------------------------------------------- categories


def test_gl701_missing_level1_on_a_real_table(ruleset):
    doc = load(COOPERATION)
    table = doc.tables[9]  # 西部地区人才培训
    table.rows = [r for r in table.rows if r.level1 != "满意度指标"]
    got = run(ruleset, doc)
    hits = [f for f in got if f.rule_id == "GL701"]
    assert [(f.location.table, f.location.row) for f in hits] == [(10, None)]
    assert "满意度指标" in hits[0].message_zh and "西部地区人才培训" in hits[0].message_zh
    assert not cells(got, "GL702")


def test_gl701_cost_level1_profile(ruleset):
    doc = load(CCPIT_2023)
    got = run(ruleset, doc, profile="cost-level1")
    # every complete table lacks 成本指标 as a 一级指标 (cost sits under 产出指标 in these tables)
    assert cells(got, "GL701") == {(t, None) for t in range(1, 7)}
    assert all("成本指标" in f.message_zh for f in got if f.rule_id == "GL701")
    assert not cells(got, "GL702")  # 成本指标 is there, as a 二级指标


def test_gl702_missing_level2_on_a_real_table(ruleset):
    doc = load(CCPIT_2023)
    table = doc.tables[1]  # 2023年PECC国际贸易投资博览会
    table.rows = [r for r in table.rows if r.level2 not in ("质量指标", "时效指标")]
    got = run(ruleset, doc)
    hits = [f for f in got if f.rule_id == "GL702"]
    assert sorted((f.location.table, f.location.column) for f in hits) == [(2, "二级指标"), (2, "二级指标")]
    assert {m for f in hits for m in ("质量指标", "时效指标") if f"「{m}」" in f.message_zh} == {"质量指标", "时效指标"}
    assert not cells(got, "GL701")


def test_department_table_with_the_department_profile(ruleset):
    got = run(ruleset, load(DEPARTMENT), profile="department")
    assert got == []  # short names (社会效益, 服务对象满意度) and repeats across goals are fine


def test_department_table_structure_defects(ruleset):
    doc = load(DEPARTMENT)
    table = doc.tables[0]
    table.rows[7].level1 = "满意度指标"  # 社会效益 (goal 1, row 8) under the wrong 一级指标
    table.rows[8].level2 = "可持续发展影响"  # not a category (row 9)
    table.rows[10].level3 = table.rows[11].level3 = "发展会员数量"  # goal 2 rows 11/12: ≥8场 and ≥40家
    got = run(ruleset, doc, profile="department")
    assert cells(got, "GL703") == {(1, 8)}
    assert cells(got, "GL704") == {(1, 9)}
    assert cells(got, "GL705") == {(1, 12)}
    assert "可持续影响指标" in next(f.message_zh for f in got if f.rule_id == "GL704")


def test_gl703_gl704_on_a_real_table(ruleset):
    doc = load(COMMERCE)
    table = doc.tables[0]
    table.rows[1].level1 = "效益指标"  # 质量指标 under 效益指标
    table.rows[4].level2 = "社会效益类"  # unknown (the alias is 社会效益类指标)
    got = run(ruleset, doc)
    assert cells(got, "GL703") == {(1, 2)}
    assert cells(got, "GL704") == {(1, 5)}


# --------------------------------------------------------------------------- GL801


def test_gl801_silent_on_the_corpus(found):
    # the goals that promise numbers (培训400人, 支持企业数量不少于150家, 群众满意度95%以上 …) are all
    # met by their indicators, and 60个电脑终端 / 试点出口额超过1亿元 have no indicator that speaks of them
    assert not [f for fs in found.values() for f in fs if f.rule_id == "GL801"]


def test_gl801_when_the_indicator_falls_short(ruleset):
    coop = load(COOPERATION)
    set_value(coop.tables[9].rows[0], "300人")  # goal: 完成好培训400人的目标任务
    set_value(coop.tables[10].rows[1], "不低于100人")  # goal: 邀请参会企业嘉宾不低于150人
    got = run(ruleset, coop)
    assert cells(got, "GL801") == {(10, 1), (11, 2)}
    hit = next(f for f in got if f.rule_id == "GL801" and f.location.table == 10)
    assert "培训400人" in hit.message_zh and "「300人」" in hit.message_zh and "≥400人" in hit.message_zh

    commerce = load(COMMERCE)
    set_value(commerce.tables[34].rows[0], "≥100家")  # goal: 支持企业数量不少于150家
    set_value(commerce.tables[46].rows[5], "≥90%")  # goal: 群众满意度95%以上
    set_value(commerce.tables[21].rows[0], "≥2场")  # goal: 推介活动不少于3场
    got = run(ruleset, commerce)
    assert cells(got, "GL801") == {(35, 1), (47, 6), (22, 1)}


def test_gl801_when_the_indicator_states_no_number(ruleset):
    coop = load(COOPERATION)
    set_value(coop.tables[10].rows[1], "邀请知名企业嘉宾参会")  # goal: 邀请参会企业嘉宾不低于150人
    got = [f for f in run(ruleset, coop) if f.rule_id == "GL801"]
    assert [(f.location.table, f.location.row) for f in got] == [(11, 2)]
    assert "≥150人" in got[0].message_zh
    # commerce 表6: the goal's 2个业务信息系统 — the 社会效益 row 确保2个业务信息系统安全稳定运行 /
    # 安全稳定运行 states no number but carries it in its name, and is no 数量 row: silent (see the corpus test)


def test_gl801_conservative(ruleset):
    commerce = load(COMMERCE)
    # 服务企业数量 ≥1000家次 still meets 参加活动企业不少于200家次 when 组织参加各类展会 drops to 1个
    set_value(commerce.tables[21].rows[1], "≥1个")
    # table 47 (12345 专线): 按时接单率达到99.5以上 has no unit — never compared
    set_value(commerce.tables[46].rows[2], "≥90%")
    # table 55: 60个电脑终端 is not what 每日处理涉密文件数量 counts
    set_value(commerce.tables[54].rows[0], "≥1个")
    assert not cells(run(ruleset, commerce), "GL801")


def test_gl801_department_goals_compare_with_their_own_rows(ruleset):
    doc = load(DEPARTMENT)
    table = doc.tables[0]
    table.goals[2] += "推动解决外资企业诉求数量不少于500条。"  # goal 3; row 23 says ≥300条
    got = run(ruleset, doc, profile="department")
    assert cells(got, "GL801") == {(1, 23)}
    table.goals[2] = table.goals[2].replace("500条", "300条")
    table.goals[0] += "推动解决外资企业诉求数量不少于500条。"  # goal 1 has no such row
    assert not cells(run(ruleset, doc, profile="department"), "GL801")


# --------------------------------------------------------------------------- Word and Excel files


@pytest.mark.parametrize("write", [write_docx, write_xlsx], ids=["docx", "xlsx"])
def test_real_tables_written_as_docx_and_xlsx(ruleset, tmp_path, write):
    """Commerce 表7 (GL706), 表41 (GL705, with a description copied) and 表66 (GL707) as a real
    .docx/.xlsx: the same findings."""
    doc = load(COMMERCE)
    doc.tables = [doc.tables[6], doc.tables[37], doc.tables[61]]
    rows = doc.tables[1].rows
    rows[2].description = rows[3].description = rows[1].description
    path = write(doc, tmp_path / f"three.{write.__name__[-4:]}")
    got = run(ruleset, pipeline.load(path))
    assert cells(got, "GL706") == {(1, 7)}
    assert cells(got, "GL705") == {(2, 3), (2, 4)}
    assert {(f.location.table, f.location.column) for f in got if f.rule_id == "GL707"} == {(3, "绩效目标")}
    assert {f.rule_id for f in got} == {"GL705", "GL706", "GL707"}


@pytest.mark.parametrize("name", ["department-ccpit-2025.docx", "department-ccpit-2025.xlsx"])
def test_department_examples_are_clean(ruleset, name):
    path = Path(__file__).parents[2] / "examples" / name
    assert run(ruleset, pipeline.load(path), profile="department") == []


# --------------------------------------------------------------------------- rule authors


def test_bad_check_params_are_load_errors_with_a_line(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    rule = (Path(__file__).parents[2] / "rules" / "structure" / "GL707-template-text.yaml").read_text(encoding="utf-8")
    rule = rule.replace("id: GL707", "id: TJ707").replace("family: structure", "family: local")
    lines = rule.splitlines()
    bad_line = next(i for i, line in enumerate(lines, 1) if "目标内容" in line and line.strip().startswith("- '"))
    (folder / "TJ707.yaml").write_text(rule.replace("'目标内容\\s*", "'目标内容(\\s*", 1), encoding="utf-8")
    dup = (Path(__file__).parents[2] / "rules" / "structure" / "GL705-conflicting-duplicate.yaml").read_text(
        encoding="utf-8"
    )
    (folder / "TJ705.yaml").write_text(
        dup.replace("id: GL705", "id: TJ705")
        .replace("family: structure", "family: local")
        .replace("values: different", "values: differ"),
        encoding="utf-8",
    )
    rs = load_rules([folder], builtin=False, plugins=False)
    errors = {Path(e.file).name: e for e in rs.errors}
    assert set(errors) == {"TJ707.yaml", "TJ705.yaml"} and not rs.rules
    assert "patterns" in errors["TJ707.yaml"].message and "invalid regular expression" in errors["TJ707.yaml"].message
    assert errors["TJ707.yaml"].line == bad_line - 1  # the `patterns:` key
    assert "'differ' is not one of any, same, different" in errors["TJ705.yaml"].message
    assert errors["TJ705.yaml"].line is not None
