"""The canonical YAML/JSON reader: round trips of the corpus, row forms, errors at their YAML line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from goallint import canonical, readers
from goallint.errors import InputError
from goallint.readers.canonical import json_schema
from goallint.units import quantity

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
PROJECT_FILES = sorted(CORPUS.glob("*-projects.txt"))

GOOD = """\
goallint: 1
source: 手写.yaml
fiscal-year: 2023
tables:
  # the first table
  - number: 1
    department: {code: 573301, name: 中国国际贸易促进委员会天津市分会}
    unit: 万元
    project: 信息化运维项目
    budget: {total: 12, fiscal: 12.00, other: null}
    goals:
      - 确保机房网络可无阻碍运行
    rows:
      - [产出指标, 数量指标, 硬件采购数量, 硬件采购数量, ≥17台]
      - {level1: 产出指标, level2: 质量指标, level3: 系统故障率, value: ≤5%}
      - {一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 点击量, 绩效指标描述: 点击量, 指标值: 39}
"""


def write(tmp_path: Path, text: str, name="t.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        readers.read(path)
    assert info.value.file == str(path)
    return info.value


def test_hand_written_yaml(tmp_path):
    doc = readers.read(write(tmp_path, GOOD))
    assert doc.format == "yaml" and doc.fiscal_year.year == 2023
    (table,) = doc.tables
    assert table.department_code == "573301"  # an unquoted code is still text
    assert table.budget.total == quantity(12, "wan_yuan") and table.budget.other is None
    rows = [(r.level1, r.level2, r.level3, r.description, r.value) for r in table.rows]
    assert rows == [
        ("产出指标", "数量指标", "硬件采购数量", "硬件采购数量", "≥17台"),
        ("产出指标", "质量指标", "系统故障率", "", "≤5%"),
        ("效益指标", "社会效益指标", "点击量", "点击量", "39"),
    ]
    assert [r.location.line for r in table.rows] == [14, 15, 16]
    assert table.location.line == 6


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("    unit: 万元", "    unti: 万元", 8, ["unti"]),  # a misspelt key
        ("{total: 12,", "{total: 十二,", 10, ["budget.total", "十二"]),  # wrong type
        ("    unit: 万元", "    unit: 千元", 8, ["unit", "千元"]),  # not a table unit
        ("硬件采购数量, ≥17台]", "≥17台]", 14, ["rows[0]"]),  # a four-item row
        ("level3: 系统故障率", "level3: 系统故障率, target: 5", 15, ["target"]),
        ("指标值: 39}", "指标值: 39, 备注: x}", 16, ["备注"]),
        ("goallint: 1", "goallint: 2", 1, ["goallint"]),
        ("  - number: 1", "  - number: 一", 6, ["number"]),
    ],
)
def test_validation_errors_point_at_the_yaml_line(tmp_path, old, new, line, words):
    assert old in GOOD
    error = error_of(write(tmp_path, GOOD.replace(old, new)))
    assert error.line == line, error
    for word in words:
        assert word in error.message
    assert str(error).startswith(f"{tmp_path / 't.yaml'}:{line}: ")


def test_missing_key_points_at_its_mapping(tmp_path):
    error = error_of(write(tmp_path, "goallint: 1\nsource: x\n"))
    assert error.line == 1 and "tables" in error.message


def test_several_errors_are_counted(tmp_path):
    text = GOOD.replace("    unit: 万元", "    unti: 万元").replace("  - number: 1", "  - number: 一")
    error = error_of(write(tmp_path, text))
    assert error.line == 6 and "另有 1 处错误" in error.message and "第 8 行" in error.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (GOOD.replace("    unit: 万元", "    unit: 万元: 元"), 8),  # a colon in a plain scalar
        (GOOD.replace("≥17台]", "≥17台"), 15),  # unclosed flow sequence
        (GOOD.replace("    unit: 万元\n", "    unit: 万元\n    unit: 元\n"), 9),  # duplicate key
    ],
)
def test_yaml_syntax_errors_give_the_line(tmp_path, text, line):
    error = error_of(write(tmp_path, text))
    assert "YAML" in error.message
    assert error.line == line, error


def test_budget_needs_a_unit(tmp_path):
    error = error_of(write(tmp_path, GOOD.replace("    unit: 万元\n", "")))
    assert error.line == 9 and "unit" in error.message


def test_other_yaml_is_not_taken_for_a_table(tmp_path):
    path = write(tmp_path, "name: some-config\nrules: []\n", "goallint-config.yaml")
    error = error_of(path)
    assert "不是可识别" in error.message


@pytest.mark.parametrize("source", PROJECT_FILES, ids=lambda p: p.name)
def test_corpus_round_trip_yaml_and_json(source, tmp_path):
    original = readers.read(source)
    for name, text in (("t.yaml", canonical.dump_yaml(original)), ("t.json", canonical.dump_json(original))):
        back = readers.read(write(tmp_path, text, name))
        assert back.format == name[2:]
        assert len(back.tables) == len(original.tables) > 5
        for a, b in zip(original.tables, back.tables, strict=False):
            assert (b.project, b.unit, b.budget, b.goals, b.purpose) == (
                a.project,
                a.unit,
                a.budget,
                a.goals,
                a.purpose,
            )
            assert (b.number, b.title, b.department_code, b.department_name, b.truncated) == (
                a.number,
                a.title,
                a.department_code,
                a.department_name,
                a.truncated,
            )
            assert [(r.level1, r.level2, r.level3, r.description, r.value) for r in b.rows] == [
                (r.level1, r.level2, r.level3, r.description, r.value) for r in a.rows
            ]
        if name.endswith(".yaml"):
            assert canonical.dump_yaml(back).split("\n", 2)[2] == text.split("\n", 2)[2]  # same text after `source:`
            lines = text.splitlines()
            row = back.tables[-1].rows[-1]
            assert row.value in lines[row.location.line - 1]  # the row's location is its YAML line
        else:
            assert back.tables[0].rows[0].location == original.tables[0].rows[0].location  # JSON keeps source locations


def test_full_model_json_errors_point_at_the_json_line(tmp_path):
    original = readers.read(PROJECT_FILES[0])
    data = json.loads(canonical.dump_json(original))
    data["tables"][0]["rows"][1]["levle3"] = "typo"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    error = error_of(write(tmp_path, text, "t.json"))
    assert "levle3" in error.message
    assert '"levle3"' in text.splitlines()[error.line - 1]


def test_json_syntax_error_line(tmp_path):
    error = error_of(write(tmp_path, '{"goallint": 1,\n "tables": [\n  {"project": "x",}\n ]}', "t.json"))
    assert error.line == 3 and "JSON" in error.message


def test_canonical_json_with_the_yaml_keys(tmp_path):
    data = YAML(typ="safe").load(GOOD)
    doc = readers.read(write(tmp_path, json.dumps(data, ensure_ascii=False, indent=1), "t.json"))
    assert doc.format == "json" and [r.value for r in doc.tables[0].rows] == ["≥17台", "≤5%", "39"]
    bad = dict(data, tabels=[])
    error = error_of(write(tmp_path, json.dumps(bad, ensure_ascii=False, indent=1), "bad.json"))
    assert "tabels" in error.message and error.line is not None and error.line > 1


def test_schema_is_draft_2020_12_and_accepts_written_yaml():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for source in PROJECT_FILES:
        data = YAML(typ="safe").load(canonical.dump_yaml(readers.read(source)))
        assert list(validator.iter_errors(data)) == []
    hand = YAML(typ="safe").load(GOOD)
    hand["tables"][0]["department"]["code"] = "573301"  # the schema wants text; the reader also takes a number
    hand["tables"][0]["rows"][2]["指标值"] = "39"
    assert list(validator.iter_errors(hand)) == []
    wrong = dict(hand, tabels=[])
    assert list(validator.iter_errors(wrong))
    wrong_row = YAML(typ="safe").load(GOOD)
    wrong_row["tables"][0]["rows"][0] = ["a", "b", "c"]
    assert list(validator.iter_errors(wrong_row))
