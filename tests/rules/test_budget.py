"""Budget rules (GL401–GL404) on the real corpus, the examples, real .docx/.xlsx files and hand-built tables.

Corpus expectations were checked by hand against the dumps in tests/data/corpus/: the only cost
over a budget is commerce 表22 (≤20000万元 against 14330.00); every cost split, every 预算数 and
the department table's task sums add up (ccpit 2023 表5's 项目总成本 130 = 75 + 35 + 5.2 + 14.8 is
a total row, not a double count).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builders.department import build_docx, build_xlsx, corpus_table
from builders.docx_form import write_docx
from builders.helpers import small_document
from builders.xlsx_form import write_xlsx
from goallint import pipeline, readers
from goallint.config import Settings
from goallint.engine.checks import CheckContext, registry
from goallint.engine.checks.budget import cost_amounts, cost_total, number_text
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.model import Budget, Document, IndicatorRow, Location, Problem, Table, Task
from goallint.units import quantity
from goallint.values import parse_value

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
EXAMPLES = ROOT / "examples"
CCPIT_2023 = "tianjin-ccpit-2023-projects.txt"
DEPARTMENT = "tianjin-ccpit-2025-department.txt"
COMMERCE = "tianjin-commerce-2025-projects.txt"
COOPERATION = "tianjin-cooperation-2022-projects.txt"
BUDGET_RULES = ["GL401", "GL402", "GL403", "GL404"]


@pytest.fixture(scope="module")
def engine(ruleset):
    return Engine(ruleset, Settings(select=["GL4"]))


def budget_findings(engine, document: Document):
    return [f for f in engine.check(document) if f.rule_id in BUDGET_RULES]


def counts(findings) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in findings:
        out[f.rule_id] = out.get(f.rule_id, 0) + 1
    return out


@pytest.fixture(scope="module")
def corpus(engine):
    return {
        name: budget_findings(engine, pipeline.load(CORPUS / name))
        for name in (CCPIT_2023, DEPARTMENT, COMMERCE, COOPERATION)
    }


# --------------------------------------------------------------------------- the corpus


def test_commerce_table_22_cost_over_budget_is_the_only_budget_finding(corpus):
    found = corpus[COMMERCE]
    assert counts(found) == {"GL401": 1}
    f = found[0]
    assert (f.table_number, f.location.row, f.value) == (22, 10, "≤20000万元")
    assert f.location.line is not None and f.location.column == "指标值"
    assert "20000万元" in f.message_zh and "14330万元" in f.message_zh and "≤14330万元" in f.message_zh
    assert "14330万元" in f.message_en


def test_ccpit_2023_total_row_is_not_a_double_count(corpus, engine):
    # 表5: 项目总成本 ≤130万元 and its parts 75 + 35 + 5.2 + 14.8; 表1 2.5 + 4.5 + 5 = 12; 表3 224.7 + 1 = 225.7
    assert corpus[CCPIT_2023] == []
    doc = pipeline.load(CORPUS / CCPIT_2023)
    table5 = next(t for t in doc.tables if t.number == 5)
    assert sum(1 for r in table5.rows if r.level2 == "成本指标") == 5
    # the same table with one part raised: now the parts (140) exceed total row and budget
    raised = next(r for r in table5.rows if r.level3 == "其他服务")
    raised.value, raised.target = "≤24.8万元", parse_value("≤24.8万元")
    found = budget_findings(engine, Document(path=doc.path, format=doc.format, tables=[table5]))
    assert counts(found) == {"GL402": 1}
    assert "140万元" in found[0].message_zh and "超出 10万元" in found[0].message_zh
    assert "项目总成本 ≤130万元" in found[0].message_zh and "其他服务 ≤24.8万元" in found[0].message_zh


def test_cooperation_2022_has_no_budget_findings(corpus):
    # 表1 92 + 25 = 117; the per-person 年人均金额 5万元 rows; 不少于3199.8亿元人民币 is a 经济效益, not a cost
    assert corpus[COOPERATION] == []


def test_department_table_adds_up(corpus):
    # 7 tasks = 合计 5230.60 in every column, each task's parts = its 总额,
    # goals 4 + 5 (932.4 + 358.9) = task 4 (1291.30), each other goal's 业务总成本 = its task's 总额
    assert corpus[DEPARTMENT] == []


def test_counts_per_corpus_file(corpus):
    assert {name: counts(found) for name, found in corpus.items()} == {
        CCPIT_2023: {},
        DEPARTMENT: {},
        COMMERCE: {"GL401": 1},
        COOPERATION: {},
    }


# --------------------------------------------------------------------------- examples/


def test_faulty_examples(engine):
    for name, value in (
        ("faulty.yaml", "≤120万元"),
        ("faulty.docx", "≥630万元"),
        ("faulty.xlsx", "≥630万元"),
        ("faulty.csv", "250万元"),
    ):
        found = budget_findings(engine, pipeline.load(EXAMPLES / name))
        over = [f for f in found if f.rule_id == "GL401"]
        assert [f.value for f in over] == [value], name
        assert "GL402" not in counts(found), name  # one row alone over the budget is GL401's
        if name != "faulty.csv":
            split = [f for f in found if f.rule_id == "GL403"]
            assert len(split) == 1 and split[0].table_number == 2, name
            assert "91.84万元" in split[0].message_zh and "82万元" in split[0].message_zh


def test_clean_examples_have_no_budget_findings(engine):
    for name in (
        "clean.yaml",
        "clean.csv",
        "clean.docx",
        "clean.xlsx",
        "department-ccpit-2025.txt",
        "department-ccpit-2025.docx",
        "department-ccpit-2025.xlsx",
    ):
        assert budget_findings(engine, pipeline.load(EXAMPLES / name)) == [], name


def test_department_faulty_example(engine):
    # 合计 300 = 150 + 100 + 60 is wrong (310); the tasks' columns are ambiguous in the dump, so only
    # the 合计 row's own parts and 总额 sums are compared; goal 1's ≤150万元 = task 1's 150
    found = budget_findings(engine, pipeline.load(EXAMPLES / "department-faulty.txt"))
    assert counts(found) == {"GL403": 1, "GL404": 1}
    f = next(f for f in found if f.rule_id == "GL404")
    assert f.location.line == 23 and f.location.row is None
    assert f.message_zh.startswith("合计行：基本支出 150万元 + 项目支出 100万元 + 其他资金 60万元，合计 310万元")
    assert "相差 10万元" in f.message_zh


# --------------------------------------------------------------------------- real .docx / .xlsx


def _department_in_yuan(table: Table) -> Table:
    """The corpus department table with its task amounts in 元 (indicator values stay in 万元)."""
    t = table.model_copy(deep=True)
    t.unit = "元"

    def yuan(q):
        return None if q is None else quantity(round(float(q.to("yuan").magnitude), 2), "yuan")

    for task in [t.tasks_total, *t.tasks]:
        for key in ("total", "basic", "project", "other"):
            setattr(task, key, yuan(getattr(task, key)))
    t.budget = Budget(total=yuan(t.budget.total), fiscal=yuan(t.budget.fiscal), other=yuan(t.budget.other))
    return t


@pytest.mark.parametrize("build", [build_docx, build_xlsx], ids=["docx", "xlsx"])
def test_department_form_in_yuan(build, engine, tmp_path):
    table = _department_in_yuan(corpus_table())
    clean = readers.read(build(table, tmp_path / f"clean.{build.__name__[-4:]}"))
    pipeline.parse_targets(clean)
    assert clean.tables[0].unit == "元" and clean.tables[0].tasks[3].total == quantity(12913000, "yuan")
    assert budget_findings(engine, clean) == []

    # goal 5's cost lowered (≤300万元) and task 2's 项目支出 mistyped (172.40 for 127.40)
    for row in table.rows:
        if row.goal == 5 and row.level2 == "成本指标":
            row.value = "≤300万元"
    table.tasks[1].project = quantity(1274000 + 450000, "yuan")
    faulty = readers.read(build(table, tmp_path / f"faulty.{build.__name__[-4:]}"))
    pipeline.parse_targets(faulty)
    found = budget_findings(engine, faulty)
    assert counts(found) == {"GL404": 3}, [f.message_zh for f in found]
    messages = sorted(f.message_zh for f in found)
    goal = next(f for f in found if f.location.row is not None)
    assert goal.value == "≤932.4万元" and goal.level3 == "业务总成本"  # the first cost row of goals 4 and 5
    assert "目标4 业务总成本 ≤932.4万元 + 目标5 业务总成本 ≤300万元" in goal.message_zh
    assert "12324000元" in goal.message_zh and "工作任务4 总额 12913000元" in goal.message_zh
    assert any(m.startswith("工作任务2「搭建对外经贸交流平台") and "合计 5690000元" in m for m in messages)
    assert any(m.startswith("各工作任务的项目支出") and "合计行 项目支出 13060000元" in m for m in messages)


def test_project_form_in_yuan(engine, tmp_path):
    # 单位：元, 预算数 200000.00: ≤2.5万元 is fine, ≤25万元 is over
    doc = small_document(unit="元", total=200000.0)
    path = write_docx(doc, tmp_path / "yuan.docx")
    read = pipeline.load(path)
    assert read.tables[0].unit == "元"
    assert budget_findings(engine, read) == []
    doc.tables[0].rows[3].value = "≤25万元"
    for path in (write_docx(doc, tmp_path / "over.docx"), write_xlsx(doc, tmp_path / "over.xlsx")):
        found = budget_findings(engine, pipeline.load(path))
        assert counts(found) == {"GL401": 1}, path
        assert "（250000元）超过本表预算数 200000元" in found[0].message_zh


# --------------------------------------------------------------------------- the checks on hand-built tables


def _table(
    unit: str,
    total: float | None,
    rows: list[tuple[str, str, str]],
    fiscal: float | None = None,
    other: float | None = None,
) -> Table:
    u = "wan_yuan" if unit == "万元" else "yuan"
    budget = Budget(
        total=None if total is None else quantity(total, u),
        fiscal=None if fiscal is None else quantity(fiscal, u),
        other=None if other is None else quantity(other, u),
    )
    table = Table(unit=unit, project="测试项目", budget=budget, location=Location(file="t", table=1))
    for i, (level2, name, value) in enumerate(rows, 1):
        table.rows.append(
            IndicatorRow(
                level1="产出指标",
                level2=level2,
                level3=name,
                value=value,
                target=parse_value(value),
                location=Location(file="t", table=1, row=i),
            )
        )
    return table


def _run(engine, table: Table, problems: list[Problem] | None = None):
    return budget_findings(engine, Document(path="t", format="test", tables=[table], problems=problems or []))


@pytest.mark.parametrize(
    ("unit", "budget", "value", "fires", "amount"),
    [
        ("元", 200000.0, "≤25万元", True, "250000元"),
        ("元", 200000.0, "≤20万元", False, None),
        ("元", 233800.0, "≤23.38万元", False, None),  # 233800.00000000003 after conversion: not over
        ("万元", 20.0, "≤250000元", True, "25万元"),
        ("万元", 20.0, "≤200000元", False, None),
        ("万元", 100.0, "100-120万元", True, "120万元"),  # a range: its upper end
        ("万元", 100.0, "≤0.012亿元", True, "120万元"),
    ],
)
def test_amount_over_budget_in_the_tables_unit(engine, unit, budget, value, fires, amount):
    found = _run(engine, _table(unit, budget, [("成本指标", "活动经费", value)], fiscal=budget))
    if not fires:
        assert found == []
        return
    assert counts(found) == {"GL401": 1}
    assert f"（{amount}）超过本表预算数 {number_text(budget)}{unit}" in found[0].message_zh


def test_amount_over_budget_only_on_cost_rows(engine):
    table = _table(
        "万元",
        110.0,
        [("数量指标", "招商活动签约项目金额", "≥20亿元"), ("经济效益指标", "交易额", "≥3亿元")],
        fiscal=110.0,
    )
    assert _run(engine, table) == []


def test_budget_from_fiscal_and_other_when_total_is_empty(engine):
    table = _table("万元", None, [("成本指标", "活动经费", "≤120万元")], fiscal=80.0, other=30.0)
    found = _run(engine, table)
    assert counts(found) == {"GL401": 1} and "预算数 110万元" in found[0].message_zh


def test_cost_sum_mixed_units(engine):
    # 万元 table: 80万元 + 300000元 = 110万元 > 100
    found = _run(
        engine,
        _table("万元", 100.0, [("成本指标", "场地费", "≤80万元"), ("成本指标", "宣传费", "≤300000元")], fiscal=100.0),
    )
    assert counts(found) == {"GL402": 1}
    f = found[0]
    assert f.location.row is None and "合计 110万元（场地费 ≤80万元 + 宣传费 ≤300000元）" in f.message_zh
    assert "超出 10万元" in f.message_zh and "110万元" in f.message_en
    # 元 table: 15万元 + 80000元 = 230000元 > 200000元
    found = _run(
        engine,
        _table(
            "元", 200000.0, [("成本指标", "会场费", "≤15万元"), ("成本指标", "咨询费", "≤80000元")], fiscal=200000.0
        ),
    )
    assert counts(found) == {"GL402": 1} and "230000元" in found[0].message_zh and "超出 30000元" in found[0].message_zh


def test_cost_total_detection(ruleset):
    spec = registry()["cost-sum"]
    params = {**spec.params, "per-unit-lexicon": "per-unit-cost", "total-lexicon": "cost-total"}

    def total_of(rows):
        table = _table("万元", 1000.0, rows)
        ctx = CheckContext(
            document=Document(path="t", format="test", tables=[table]),
            table=table,
            rows=table.rows,
            params=params,
            lexicons=ruleset.lexicons,
            fiscal_year=None,
        )
        return cost_total(ctx, cost_amounts(ctx, table.rows, table))

    # a row equal to the sum of three or more others is their total, whatever its name
    t = total_of(
        [
            ("成本指标", "甲", "≤60万元"),
            ("成本指标", "乙", "≤30万元"),
            ("成本指标", "丙", "≤20万元"),
            ("成本指标", "丁", "≤10万元"),
        ]
    )
    assert t.amount == pytest.approx(60) and t.total_row.row.level3 == "甲" and len(t.parts) == 3
    # two equal rows are not taken for a total without a name saying so
    assert total_of([("成本指标", "甲", "≤50万元"), ("成本指标", "乙", "≤50万元")]).amount == pytest.approx(100)
    # a named total row counts once; parts larger than it win
    t = total_of([("成本指标", "项目总成本", "≤130万元"), ("成本指标", "场地费", "≤80万元")])
    assert t.amount == pytest.approx(130) and t.total_row.row.level3 == "项目总成本"
    t = total_of(
        [("成本指标", "项目总成本", "≤100万元"), ("成本指标", "场地费", "≤80万元"), ("成本指标", "宣传费", "≤40万元")]
    )
    assert t.amount == pytest.approx(120)
    # per-unit costs are not added
    t = total_of(
        [
            ("成本指标", "项目成本", "≤180万元"),
            ("成本指标", "年人均金额", "5万元"),
            ("成本指标", "培训单价", "≤0.2万元"),
        ]
    )
    assert t.amount == pytest.approx(180) and t.total_row is None


def test_cost_sum_leaves_a_single_row_to_gl401(engine):
    found = _run(
        engine,
        _table("万元", 100.0, [("成本指标", "设备费", "≤120万元"), ("成本指标", "宣传费", "≤10万元")], fiscal=100.0),
    )
    assert counts(found) == {"GL401": 1}


@pytest.mark.parametrize(
    ("total", "fiscal", "other", "fires"),
    [
        (100.0, 80.0, 10.0, True),
        (100.0, 90.0, 10.0, False),
        (100.0, 100.0, None, False),
        (100.0, 90.0, None, True),  # an empty 其他资金 is 0
        (10.01, 6.67, 3.33, False),  # 0.01: rounding to two decimals
        (10.02, 6.67, 3.33, True),
        (100.0, None, 10.0, False),  # no 财政资金: not checked
        (None, 90.0, 10.0, False),
    ],
)
def test_budget_split(engine, total, fiscal, other, fires):
    found = _run(engine, _table("万元", total, [], fiscal=fiscal, other=other))
    assert counts(found) == ({"GL403": 1} if fires else {})
    if fires:
        assert found[0].location.column == "预算数"


def test_budget_split_in_yuan(engine):
    found = _run(engine, _table("元", 200000.0, [], fiscal=150000.0, other=40000.0))
    assert counts(found) == {"GL403": 1}
    assert (
        "预算数 200000元 不等于财政资金 150000元 与其他资金 40000元 之和 190000元（相差 10000元）"
        in found[0].message_zh
    )


# --------------------------------------------------------------------------- GL404 on hand-built department tables


def _task(number, name, total, basic=None, project=None, other=None, line=None) -> Task:
    def w(x):
        return None if x is None else quantity(x, "wan_yuan")

    return Task(
        number=number,
        name=name,
        total=w(total),
        basic=w(basic),
        project=w(project),
        other=w(other),
        location=Location(file="d", table=1, line=line),
    )


def _department(tasks, total, goal_tasks, rows, truncated=False) -> Table:
    table = _table("万元", total.total.magnitude if total.total is not None else None, [])
    table.kind, table.tasks, table.tasks_total, table.goal_tasks, table.truncated = (
        "department",
        tasks,
        total,
        goal_tasks,
        truncated,
    )
    for i, (goal, level2, name, value) in enumerate(rows, 1):
        table.rows.append(
            IndicatorRow(
                goal=goal,
                level1="产出指标",
                level2=level2,
                level3=name,
                value=value,
                target=parse_value(value),
                location=Location(file="d", table=1, row=i, line=100 + i),
            )
        )
    return table


def _good():
    tasks = [_task(1, "任务一。", 100, 60, 40, line=11), _task(2, "任务二。", 50, 50, line=12)]
    total = _task(None, "合计", 150, 110, 40, line=10)
    rows = [
        (1, "成本指标", "业务总成本", "≤60万元"),
        (2, "成本指标", "业务总成本", "≤40万元"),
        (3, "成本指标", "业务总成本", "≤50万元"),
    ]
    return tasks, total, [1, 1, 2], rows


def test_department_sums_that_add_up(engine):
    tasks, total, goal_tasks, rows = _good()
    assert _run(engine, _department(tasks, total, goal_tasks, rows)) == []


def test_department_tasks_do_not_add_up_to_the_total(engine):
    tasks, total, goal_tasks, rows = _good()
    total.total = quantity(160, "wan_yuan")
    total.other = quantity(10, "wan_yuan")
    found = _run(engine, _department(tasks, total, goal_tasks, rows))
    assert counts(found) == {"GL404": 2}
    by_subject = {f.message_zh.split("：")[0]: f for f in found}
    assert set(by_subject) == {"各工作任务的总额", "各工作任务的其他资金"}
    assert all(f.location.line == 10 for f in found)  # the 合计 row
    assert (
        "任务1 100万元 + 任务2 50万元，合计 150万元，与合计行 总额 160万元不符（相差 10万元）"
        in by_subject["各工作任务的总额"].message_zh
    )


def test_department_task_parts(engine):
    tasks, total, goal_tasks, rows = _good()
    tasks[1].basic = quantity(45, "wan_yuan")
    total.basic = quantity(105, "wan_yuan")  # the column still adds up; task 2 and the 合计 row do not
    found = _run(engine, _department(tasks, total, goal_tasks, rows))
    assert sorted((f.location.line, f.message_zh.split("：")[0]) for f in found) == [
        (10, "合计行"),
        (12, "工作任务2「任务二。」"),
    ]


def test_department_ambiguous_task_columns_are_left_out(engine):
    tasks, total, goal_tasks, rows = _good()
    tasks[1].basic = None  # the reader could not place task 2's amounts
    problem = Problem(code="ambiguous-task-budget", message="…", location=Location(file="d", table=1, line=12))
    assert _run(engine, _department(tasks, total, goal_tasks, rows), [problem]) == []
    # without the problem the missing 基本支出 is a real gap in the column (a task with no part at all
    # is not compared with its 总额: nothing was written to compare)
    found = _run(engine, _department(tasks, total, goal_tasks, rows))
    assert [f.message_zh.split("：")[0] for f in found] == ["各工作任务的基本支出"]


def test_department_goal_costs(engine):
    tasks, total, goal_tasks, rows = _good()
    rows[1] = (2, "成本指标", "业务总成本", "≤30万元")
    found = _run(engine, _department(tasks, total, goal_tasks, rows))
    assert counts(found) == {"GL404": 1}
    f = found[0]
    assert f.location.row == 1 and f.location.line == 101  # goal 1's cost row
    assert (
        "目标1 业务总成本 ≤60万元 + 目标2 业务总成本 ≤30万元，合计 90万元，与工作任务1 总额 100万元不符" in f.message_zh
    )


def test_department_goal_costs_need_every_goal_and_mapping(engine):
    tasks, total, goal_tasks, rows = _good()
    rows[1] = (2, "数量指标", "活动场次", "≥8场")  # goal 2 has no money cost: task 1 not compared
    assert _run(engine, _department(tasks, total, goal_tasks, rows)) == []
    tasks, total, _, rows = _good()
    rows[1] = (2, "成本指标", "业务总成本", "≤30万元")
    assert _run(engine, _department(tasks, total, [1, None, 2], rows)) == []  # a goal of unknown task
    assert _run(engine, _department(tasks, total, [1, 1, 2], rows, truncated=True)) == []  # a cut-off table


def test_department_goal_costs_in_yuan(engine):
    table = _department(
        [_task(1, "任务一。", 20, 20)], _task(None, "合计", 20, 20), [1], [(1, "成本指标", "业务总成本", "≤200000元")]
    )
    assert _run(engine, table) == []
    table.rows[0].value, table.rows[0].target = "≤25万元", parse_value("≤25万元")
    found = _run(engine, table)
    assert counts(found) == {"GL401": 1, "GL404": 1}  # over the department budget too
    assert "合计 25万元，与工作任务1 总额 20万元不符" in next(f for f in found if f.rule_id == "GL404").message_zh


# --------------------------------------------------------------------------- the canonical YAML of a department table


def test_department_yaml_round_trip_keeps_tasks_and_goals(engine, tmp_path):
    from goallint import canonical

    original = pipeline.load(CORPUS / DEPARTMENT)
    path = tmp_path / "department.yaml"
    path.write_text(canonical.dump_yaml(original), encoding="utf-8")
    back = pipeline.load(path)
    a, b = original.tables[0], back.tables[0]
    assert b.kind == "department" and b.goal_tasks == a.goal_tasks == [1, 2, 3, 4, 4, 5, 6, 7]
    assert [(t.number, t.name, t.total, t.basic, t.project, t.other) for t in b.tasks] == [
        (t.number, t.name, t.total, t.basic, t.project, t.other) for t in a.tasks
    ]
    assert b.tasks_total.total == a.tasks_total.total and [r.goal for r in b.rows] == [r.goal for r in a.rows]
    assert b.tasks[3].location.line is not None
    assert budget_findings(engine, back) == []
    # an edit in the YAML is found, at the YAML line of the task
    text = path.read_text(encoding="utf-8").replace("total: 275.2, basic: 216.4", "total: 257.2, basic: 216.4")
    path.write_text(text, encoding="utf-8")
    found = budget_findings(engine, pipeline.load(path))
    task3 = "工作任务3「做好外资企业服务，助力外资企业在津发展。」"
    assert sorted(f.message_zh.split("：")[0] for f in found) == sorted(
        ["各工作任务的总额", task3, task3 + "对应的年度目标"]
    )
    line = next(f.location.line for f in found if f.message_zh.startswith(task3 + "：") and f.location.row is None)
    assert "257.2" in text.splitlines()[line - 1]


def test_department_keys_need_kind(tmp_path):
    from goallint.errors import InputError

    path = tmp_path / "t.yaml"
    path.write_text("goallint: 1\ntables:\n  - unit: 万元\n    goal-tasks: [1]\n    rows: []\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        readers.read(path)
    assert "kind: department" in error.value.message and error.value.line == 3


# --------------------------------------------------------------------------- parameters


USER_RULE = """id: TJ401
name: my-cost-sum
family: budget
severity: warning
summary: {zh: 成本合计超预算, en: Costs over budget}
message: {zh: "合计 {sum} 超过 {budget}", en: "{sum} over {budget}"}
explanation: {zh: 成本合计不能超过预算。}
scope: table
check: cost-sum
params: PARAMS
selectors: {level2: 成本指标}
examples:
  fail:
    - table: {unit: 万元, budget: {total: 100}, rows: [[产出指标, 成本指标, 场地费, "", ≤120万元]]}
  pass:
    - table: {unit: 万元, budget: {total: 100}, rows: [[产出指标, 成本指标, 场地费, "", ≤80万元]]}
"""


def _user_rules(tmp_path, params: str):
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "TJ401-my-cost-sum.yaml").write_text(USER_RULE.replace("PARAMS", params), encoding="utf-8")
    return load_rules([folder], builtin=True, plugins=False)


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ("{tolerance: -1}", "tolerance"),
        ("{single-row: maybe}", "single-row"),
        ("{total-lexicon: [a]}", "total-lexicon"),
    ],
)
def test_bad_parameters_are_load_errors_with_the_line(tmp_path, params, bad):
    rs = _user_rules(tmp_path, params)
    assert len(rs.errors) == 1
    error = rs.errors[0]
    assert error.file.endswith("TJ401-my-cost-sum.yaml") and error.line == 10 and bad in error.message
    assert "TJ401" not in {r.id for r in rs.rules} and "GL402" in {r.id for r in rs.rules}


def test_department_compare_parameter_is_checked(tmp_path):
    text = (ROOT / "rules" / "budget" / "GL404-department-task-sums.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "TJ404.yaml").write_text(
        text.replace("id: GL404", "id: TJ404").replace("compare: [tasks, parts, goals]", "compare: [tasks, sums]"),
        encoding="utf-8",
    )
    rs = load_rules([folder], builtin=False, plugins=False)
    assert len(rs.errors) == 1 and "compare" in rs.errors[0].message


def test_unknown_lexicon_is_a_clear_error(tmp_path):
    from goallint.engine import guard

    rs = _user_rules(tmp_path, "{total-lexicon: no-such-list}")
    assert not rs.errors
    engine = Engine(rs, Settings(select=["TJ401"]))
    table = _table("万元", 100.0, [("成本指标", "场地费", "≤80万元"), ("成本指标", "宣传费", "≤30万元")])
    engine.check(Document(path="t", format="test", tables=[table]))
    # a rule failing at run time is a rule error at its file (engine/guard.py), the other rules run on
    (error,) = guard.errors(rs.rules)
    assert (
        error.file.endswith("TJ401-my-cost-sum.yaml")
        and "total-lexicon: unknown lexicon 'no-such-list'" in error.message
    )


def test_user_rule_with_the_old_cost_sum_defaults(tmp_path):
    # `check: cost-sum` with only a tolerance: every money amount is added, a single row counts
    rs = _user_rules(tmp_path, "{tolerance: 0}")
    engine = Engine(rs, Settings(select=["TJ401"]))
    found = engine.check(
        Document(path="t", format="test", tables=[_table("万元", 100.0, [("成本指标", "设备费", "≤120万元")])])
    )
    assert [f.message_zh for f in found] == ["合计 120万元 超过 100万元"]


def test_budget_placeholder_has_no_exponent():
    from goallint.engine.message_values import placeholder_values

    table = _table("元", 1234567.89, [])
    assert placeholder_values(None, table, None)["budget"] == "1234567.89元"
    assert placeholder_values(None, _table("万元", 14330.0, []), None)["budget"] == "14330万元"


def test_department_yaml_fits_the_table_schema():
    import jsonschema
    from ruamel.yaml import YAML

    from goallint import canonical
    from goallint.readers.canonical import json_schema

    data = YAML(typ="safe").load(canonical.dump_yaml(pipeline.load(CORPUS / DEPARTMENT)))
    assert data["tables"][0]["kind"] == "department" and data["tables"][0]["goal-tasks"] == [1, 2, 3, 4, 4, 5, 6, 7]
    assert list(jsonschema.Draft202012Validator(json_schema()).iter_errors(data)) == []
