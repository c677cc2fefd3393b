"""Property tests: the value parser never raises (also on long and hostile text), and for any table
model the rule engine finishes and every finding points at a real place of that model.

(tests/values/test_properties.py covers short texts and render/parse round trips.)
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goallint.engine import guard
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.fiscal_year import assign_fiscal_year
from goallint.model import Budget, Document, IndicatorRow, Location, Table
from goallint.pipeline import parse_targets
from goallint.safety import MAX_VALUE_CHARS
from goallint.units import quantity
from goallint.values import parse_value

ROOT = Path(__file__).resolve().parents[2]
with (ROOT / "tests" / "data" / "values.tsv").open(encoding="utf-8") as handle:
    CORPUS_VALUES = [row["value"] for row in csv.DictReader(handle, delimiter="\t")]

KINDS = {"numeric", "range", "deadline", "duration", "schedule", "qualitative", "mixed", "empty", "unreadable"}
HOSTILE_CHARS = st.sampled_from(
    list("\x00\ufeff\u200b\u202e\r\n\t　%％≥≤<>=～~-—、；;,，.。()（）[]{}\\\"'万亿年月日底前内个人次元")
    + ["\U0001f600", "\udc80"]
)
TEXT = st.one_of(
    st.sampled_from(CORPUS_VALUES),
    st.text(st.one_of(st.characters(), HOSTILE_CHARS), max_size=60),
    st.lists(st.sampled_from(CORPUS_VALUES), min_size=1, max_size=6).map("，".join),
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_value_parser_never_raises(text):
    t = parse_value(text)
    assert t.raw == text and t.kind in KINDS
    for a, b in t.spans.values():
        assert 0 <= a <= b <= len(text)


@settings(max_examples=25, deadline=None)
@given(st.text(st.one_of(st.characters(), HOSTILE_CHARS), min_size=MAX_VALUE_CHARS + 1, max_size=MAX_VALUE_CHARS * 40))
def test_over_long_values_are_unreadable_at_once(text):
    t = parse_value(text)
    assert t.kind == "unreadable" and t.reason == "too_long" and t.raw == text


# --------------------------------------------------------------------------- table models

LEVEL1 = ["产出指标", "效益指标", "满意度指标", "成本指标", "", "其他"]
LEVEL2 = [
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "",
    "x",
]
LEVEL3 = [
    "培训人数",
    "系统故障率",
    "完成时间",
    "场地租赁费",
    "服务对象满意度",
    "门户网站访问量",
    "预算执行率",
    "",
    "指标",
]
WORDS = st.one_of(st.sampled_from(LEVEL3), st.text(max_size=12))


@st.composite
def rows(draw, file: str, table: int):
    count = draw(st.integers(0, 12))
    out = []
    for i in range(1, count + 1):
        out.append(
            IndicatorRow(
                goal=draw(st.one_of(st.none(), st.integers(1, 4))),
                level1=draw(st.sampled_from(LEVEL1)),
                level2=draw(st.sampled_from(LEVEL2)),
                level3=draw(WORDS),
                description=draw(st.one_of(st.just(""), WORDS)),
                value=draw(TEXT),
                location=Location(
                    file=file, table=table, row=i, line=draw(st.one_of(st.none(), st.integers(1, 10**6)))
                ),
            )
        )
    return out


AMOUNTS = st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False), st.just(0.0))


@st.composite
def documents(draw):
    file = "generated.yaml"
    tables = []
    for t in range(1, draw(st.integers(1, 3)) + 1):
        unit = draw(st.sampled_from(["万元", "元", None]))
        u = "yuan" if unit == "元" else "wan_yuan"
        total, fiscal, other = (draw(AMOUNTS) for _ in range(3))
        tables.append(
            Table(
                kind=draw(st.sampled_from(["project", "project", "department"])),
                number=draw(st.one_of(st.none(), st.integers(0, 99))),
                title=draw(st.one_of(st.none(), st.text(max_size=20))),
                project=draw(st.one_of(st.none(), st.text(max_size=20))),
                unit=unit,
                budget=Budget(
                    **{
                        k: quantity(v, u)
                        for k, v in (("total", total), ("fiscal", fiscal), ("other", other))
                        if v is not None
                    }
                ),
                goals=draw(st.lists(st.text(max_size=30), max_size=3)),
                rows=draw(rows(file, t)),
                location=Location(file=file, table=t),
            )
        )
    document = Document(path=file, format="yaml", tables=tables)
    assign_fiscal_year(document, given=draw(st.one_of(st.none(), st.integers(2000, 2040))))
    return parse_targets(document)


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules(plugins=False))


def _place(location: Location) -> tuple:
    return (location.file, location.table, location.row, location.line, location.sheet, location.cell)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(documents())
def test_engine_finishes_and_every_finding_points_at_a_real_row(engine, document):
    findings = engine.check(document)
    assert not guard.errors(engine.ruleset.rules), guard.errors(engine.ruleset.rules)  # no built-in rule fails
    places = {_place(Location(file=document.path))}
    rows = {}
    for table in document.tables:
        places.add(_place(table.location))
        places.update(_place(task.location) for task in table.tasks)
        places.update(_place(goal) for goal in table.goal_locations)
        for row in table.rows:
            places.add(_place(row.location))
            rows[_place(row.location)] = row
    for f in findings:
        assert _place(f.location) in places, (f.rule_id, f.location)
        row = rows.get(_place(f.location))
        if row is not None and f.value is not None:
            assert f.value == row.value and f.level3 == row.level3, f.rule_id
        if f.location.row is not None:
            table = document.tables[f.location.table - 1]
            assert 1 <= f.location.row <= len(table.rows)
        assert f.message_zh and f.message_en
