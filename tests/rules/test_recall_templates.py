"""Recall of the issue-19 rules on tables re-laid from the other templates (tests/data/templates/).

Every planted defect is named here by (table, row) and rule; every other finding of these rules is a
false alarm. The test pins what is found today — a planted defect newly missed, or a new false
alarm, fails it — and prints the figures written in docs/recall.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from goallint import pipeline
from goallint.config import Settings
from goallint.engine.runner import Engine

TABLES = Path(__file__).parents[1] / "data" / "templates" / "issue19-recall.yaml"
RULES = [
    "GL107", "GL202", "GL206", "GL207", "GL304", "GL305", "GL405", "GL605", "GL606", "GL607",
    "GL608", "GL609", "GL610", "GL611", "GL612", "GL802", "GL803", "GL602",
]  # fmt: skip

# (table, row) → rule; row None: the table (a goal)
PLANTED = {
    (1, 5): "GL607",  # 人均培训成本 200人/天
    (1, 6): "GL609",  # 助推跨境电商产业高质量发展
    (1, None): "GL802",  # goal: 培训企业统计人员300人次 — no indicator counts the trainees
    (2, 2): "GL206",  # 宣传册印制数量 ≤5000册
    (2, 3): "GL107",  # 《投资指南》编印 ≥2分
    (2, 5): "GL803",  # 签约项目落地数 ≥8个 beside 签约项目数 ≥5个
    (2, 7): "GL605",  # 展会举办及时率 2024年6月底前
    (2, 8): "GL405",  # 单场展会最高补助金额 ≤50万元 = the budget, 3 events
    (2, 9): "GL602",  # 进一步扩大城市国际影响力
    (2, 10): "GL305",  # 参展企业满意度 100%
    (3, 2): "GL606",  # 对口帮扶工作经费 under five categories
    (4, 1): "GL608",  # description ≥500人次, value 组织开展业务培训
    (4, 2): "GL606",  # 三级指标 数量指标
    (4, 3): "GL304",  # 补贴资金足额发放率 ≥98%
    (4, 4): "GL608",  # description 2024年9月底前, value 及时拨付到位
    (4, 5): "GL207",  # 成本指标 降低企业物流成本 ≥100万元
    (4, 6): "GL202",  # 运维服务费 ≥20万元
    (4, 8): "GL611",  # 有效保障
    (4, 9): "GL612",  # 基本持平
    (4, 11): "GL305",  # 群众满意度 ≥100%
    (5, 2): "GL206",  # 上门走访群众户数 ≤100户
    (5, 3): "GL610",  # 时效指标 每季度宣传活动场次 ≥1场
    (5, 4): "GL607",  # 成本控制率 100%
    (5, 6): "GL609",  # 社会稳定和长治久安
}
MISSED = {(1, None)}  # 300人次 shares 企业 with 监测企业数量: GL802 is conservative by design


@pytest.fixture(scope="module")
def found(ruleset):
    doc = pipeline.load(TABLES)
    assert not doc.problems
    return {(f.location.table, f.location.row): f.rule_id for f in Engine(ruleset, Settings(select=RULES)).check(doc)}


def test_recall_and_false_alarms_on_other_templates(found):
    hits = {k for k, rule in PLANTED.items() if found.get(k) == rule}
    assert set(PLANTED) - hits == MISSED
    false_alarms = {k: rule for k, rule in found.items() if PLANTED.get(k) != rule}
    assert false_alarms == {}
    rows = sum(len(t.rows) for t in pipeline.load(TABLES).tables)
    print(f"\nrecall {len(hits)}/{len(PLANTED)} planted defects; 0 false alarms on {rows - len(hits)} other rows")


def test_clean_rows_that_look_like_defects_stay_clean(found):
    # 干部职工满意度 100% (a small group asked in full), 形成《…汇编》 (a checkable result), ≤30万元 costs,
    # 监测企业数量 ≥200家 (the goal's 200家 is measured)
    assert not {(4, 10), (5, 8), (1, 4), (5, 5), (1, 1)} & set(found)
