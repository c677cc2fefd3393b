"""Categories as people write them (issue 17 item 5): weights and line breaks in the names, the 指标
suffix left off, 满意度 under 效益指标, 成本指标 as a 一级指标, and the older templates' 投入/过程/管理指标,
read from real .docx and .xlsx files and checked by the rules keyed on categories."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from goallint import pipeline
from goallint.config import Settings, load_profile
from goallint.engine.runner import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from builders.layouts import C, Layout, write_layout_docx, write_layout_xlsx  # noqa: E402

HEADER = [
    ["项目名称", C("招商引资服务", span=4)],
    ["单位：万元", C("", span=4)],
    ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
]


def document(tmp_path, rows, kind="docx"):
    layout = Layout(before=["1.招商引资服务项目绩效目标表"], rows=HEADER + rows)
    if kind == "docx":
        path = write_layout_docx(tmp_path / "t.docx", [layout])
    else:
        path = write_layout_xlsx(tmp_path / "t.xlsx", [Layout(rows=[[C(layout.before[0], span=5)], *layout.rows])])
    return pipeline.load(path)


def check(ruleset, doc, select=("GL2", "GL3", "GL5", "GL7"), profile=None):
    prof = load_profile(profile, []) if profile else None
    findings = Engine(ruleset, Settings(select=list(select)), profile=prof).check(doc)
    return [f for f in findings if f.rule_id != "GL000"]


def at(findings, rule):
    return sorted((f.location.row or 0) for f in findings if f.rule_id == rule)


WEIGHTED = [
    [C("产出指标(50分)", down=3), "数量指标", "举办招商推介活动", "", "≥4场"],
    ["时效指标（10分）", "推介活动完成时间", "", "及时完成"],
    ["质量指标", "签约项目履约率", "", "≥90%"],
    ["成本指标（0-20分）", "经济成本\n指标", "活动经费", "", "≥18万元"],
    [C("效益指标(20分)", down=2), "经济效益\n指标", "引进项目投资额", "", "≥5亿元"],
    ["社会效益", "新增就业岗位", "", "≥200个"],
    ["满意度指标(10分)", "服务对象满意度指标（10分）", "推介活动组织速度", "", "≥90%"],
]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_weights_and_line_breaks_in_category_names(ruleset, tmp_path, kind):
    doc = document(tmp_path, WEIGHTED, kind)
    table = doc.tables[0]
    # the model keeps the names as written
    assert table.rows[0].level1 == "产出指标(50分)"
    assert table.rows[3].level2 == "经济成本指标"  # the line break of a Chinese name joined, nothing else changed
    found = check(ruleset, doc)
    for rule in ("GL701", "GL702", "GL703", "GL704"):
        assert at(found, rule) == [], (rule, [f.message_zh for f in found if f.rule_id == rule])
    # rules keyed on categories still fire on the weighted names
    assert at(found, "GL503") == [2]  # 时效指标（10分）: a qualitative time target
    assert at(found, "GL202") == [4]  # 成本指标（0-20分） / 经济成本指标: a cost with ≥
    assert at(found, "GL706") == [7]  # 满意度指标(10分): not a satisfaction measure


def test_real_misplacements_still_found(ruleset, tmp_path):
    rows = [
        ["产出指标(50分)", "社会效益指标", "举办招商推介活动", "", "≥4场"],
        ["效益指标", "工作质量指标", "引进项目数量", "", "≥10个"],
        ["满意度指标(10分)", "服务对象满意度指标", "企业满意度", "", "≥90%"],
    ]
    found = check(ruleset, document(tmp_path, rows), select=["GL7"])
    assert at(found, "GL703") == [1]  # 社会效益指标 under 产出指标
    assert at(found, "GL704") == [2]  # 工作质量指标 is no category
    assert at(found, "GL709") == []  # the standard categories: nothing to say


def test_satisfaction_under_benefits_and_cost_as_first_level(ruleset, tmp_path):
    rows = [
        [C("产出指标", down=3), "数量指标", "举办招商推介活动", "", "≥4场"],
        ["质量指标", "签约项目履约率", "", "≥90%"],
        ["时效指标", "完成时间", "", "2024年12月底前"],
        ["成本指标", "经济成本指标", "活动经费", "", "≤18万元"],
        [C("效益指标", down=2), "社会效益", "新增就业岗位", "", "≥200个"],
        ["满意度", "参会企业满意度", "", "≥90%"],
    ]
    found = check(ruleset, document(tmp_path, rows), select=["GL7"], profile="cost-level1")
    for rule in ("GL701", "GL702", "GL703", "GL704"):
        assert at(found, rule) == [], (rule, [f.message_zh for f in found if f.rule_id == rule])


OLDER = [
    [C("投入指标", down=2), "资金投入", "预算执行率", "", "≥95%"],
    ["资金到位", "资金到位率", "", "100%"],
    [C("过程指标", down=2), "资金管理", "资金使用合规性", "", "合规"],
    ["组织实施", "制度执行有效性", "", "有效"],
    [C("产出指标", down=3), "数量指标", "举办招商推介活动", "", "≥4场"],
    ["质量指标", "签约项目履约率", "", "≥90%"],
    ["时效指标", "完成时间", "", "2024年12月底前"],
    [C("效益指标", down=2), "社会效益", "新增就业岗位", "", "≥200个"],
    ["满意度", "参会企业满意度", "", "≥90%"],
]


def test_older_template_is_checked_as_such(ruleset, tmp_path):
    found = check(ruleset, document(tmp_path, OLDER), select=["GL7"])
    for rule in ("GL701", "GL702", "GL703", "GL704"):
        assert at(found, rule) == [], (rule, [f.message_zh for f in found if f.rule_id == rule])
    said = [f for f in found if f.rule_id == "GL709"]
    assert len(said) == 1 and said[0].severity == "info"
    assert "旧版模板" in said[0].message_zh and "投入指标、过程指标" in said[0].message_zh


def test_older_template_still_finds_real_misplacements(ruleset, tmp_path):
    rows = [list(r) for r in OLDER]
    rows[6] = ["资金管理", "完成时间", "", "2024年12月底前"]  # a 过程指标 category under 产出指标
    rows.append(["效果指标", "工作质量指标", "服务质量", "", "优"])
    found = check(ruleset, document(tmp_path, rows), select=["GL7"])
    assert at(found, "GL703") == [7]
    assert at(found, "GL704") == [10, 10]  # 效果指标 and 工作质量指标 on that row: each named once


def test_older_template_by_profile(ruleset, tmp_path):
    """profile older-template: every table is checked against the older categories; GL709 says the profile chose it."""
    rows = OLDER[4:]  # no 投入/过程指标 in this table
    found = check(ruleset, document(tmp_path, rows), select=["GL7"], profile="older-template")
    assert at(found, "GL701") == []  # 满意度指标 is not required by the older template
    said = [f for f in found if f.rule_id == "GL709"]
    assert len(said) == 1 and "检查方案指定" in said[0].message_zh
    # without the profile the same table is a standard one: nothing to say, and no GL701 either
    # (满意度 stands under 效益指标 and counts for 满意度指标)
    plain = check(ruleset, document(tmp_path, rows), select=["GL7"])
    assert at(plain, "GL709") == [] and at(plain, "GL701") == []
