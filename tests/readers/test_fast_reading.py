"""The fast parts of reading give what the plain ones give.

model.constructor builds what model_construct builds; units.quantity what pint builds; the JSON
line scan the lines ruamel gives; the canonical reader's shortcut past validation the documents
and errors of a full validation; the Word-dump reader's rows and tables are valid models.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from pydantic import ValidationError

from goallint import readers
from goallint.errors import InputError
from goallint.model import Budget, IndicatorRow, Location, Numeric, Table, Task, constructor
from goallint.readers import json_lines
from goallint.readers.canonical import CanonicalFile, _positions, _resolve, _validation_error
from goallint.readers.json_lines import JsonLines
from goallint.units import quantity, registry

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


# --------------------------------------------------------------------------- model.constructor


def _same(a, b) -> None:
    assert type(a) is type(b)
    assert list(a.__dict__.items()) == list(b.__dict__.items())  # values and field order
    assert a.model_fields_set == b.model_fields_set
    assert a.__pydantic_extra__ == b.__pydantic_extra__ and a.__pydantic_private__ == b.__pydantic_private__
    assert a == b and a.model_dump() == b.model_dump() and a.model_dump_json() == b.model_dump_json()
    assert repr(a) == repr(b)


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (Location, {"file": "a.txt", "table": 1, "row": 2, "line": 7}),
        (Location, {"file": "a.txt", "table": 1, "row": 2, "column": "指标值", "line": 7}),
        (Location, {"file": "a.txt"}),
        (
            IndicatorRow,
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "level3": "x",
                "description": "",
                "value": "≥1台",
                "location": Location(file="a"),
            },
        ),
        (IndicatorRow, {"goal": 2, "level1": "产出指标", "value": "≥90%", "location": Location(file="a")}),
        (Budget, {"total": quantity(12.5, "wan_yuan"), "other": None}),
        (Budget, {}),
        (
            Table,
            {
                "number": 3,
                "title": "t",
                "unit": "万元",
                "goals": ["g"],
                "truncated": False,
                "location": Location(file="a"),
            },
        ),
        (Table, {"kind": "project", "rows": [], "location": Location(file="a", table=1, line=2)}),
        (Task, {"name": "合计", "total": quantity(1, "yuan"), "location": Location(file="a")}),
    ],
)
def test_constructor_builds_what_model_construct_builds(cls, values):
    build = constructor(cls, *values)
    made, expected = build(*values.values()), cls.model_construct(**values)
    _same(made, expected)
    _same(build(**values), expected)  # by keyword too (the engine builds findings so)
    # what readers and rules do afterwards behaves the same
    _same(made.model_copy(), expected.model_copy())
    _same(copy.deepcopy(made), copy.deepcopy(expected))
    assert cls.model_validate(dict(made)) == made  # the values are a valid model


def test_constructor_objects_are_independent():
    build = constructor(IndicatorRow, "value", "location")
    a, b = build("≥1台", Location(file="a")), build("≥2台", Location(file="a"))
    a.target = Numeric(raw="≥1台", number=1, number_text="1")
    assert a.model_fields_set == {"value", "location", "target"} and b.model_fields_set == {"value", "location"}
    tables = constructor(Table, "location")
    t1, t2 = tables(Location(file="a")), tables(Location(file="a"))
    t1.rows.append(a)
    t1.budget.total = quantity(1, "yuan")
    assert t2.rows == [] and t2.budget.total is None  # default factories are called per object


def test_constructor_refuses_what_it_cannot_build():
    with pytest.raises(TypeError):
        constructor(Location, "file", "nope")
    with pytest.raises(TypeError):
        constructor(Location, "file", "file")
    with pytest.raises(TypeError):
        constructor(Location, "table")  # `file` is required
    with pytest.raises(TypeError):
        constructor(Location, "file")(file="a", line=3)  # a field not among the constructor's names


# --------------------------------------------------------------------------- units.quantity


@pytest.mark.parametrize("magnitude", [0, 12, 12.5, 0.1, 1e9, -3.25])
@pytest.mark.parametrize("unit", ["yuan", "wan_yuan", "percent"])
def test_quantity_is_pints_quantity(magnitude, unit):
    made, expected = quantity(magnitude, unit), registry().Quantity(magnitude, unit)
    assert type(made) is type(expected) and vars(made) == vars(expected)
    assert made == expected and repr(made) == repr(expected) and f"{made:~}" == f"{expected:~}"
    assert made.to_base_units() == expected.to_base_units() and made + expected == expected * 2


# --------------------------------------------------------------------------- JSON line scan


def _random_value(rng: random.Random, depth: int):
    roll = rng.random()
    if depth > 4 or roll < 0.35:
        return rng.choice([1, -2.5, 3e20, "s", 'a"b\\c', "中文]},:[{", "", None, True, False, [], {}])
    if roll < 0.7:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ["rows", "tables", "名", 'a"q', "k"]
    return {f"{rng.choice(keys)}{i}": _random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}


def _dump(node, rng: random.Random) -> str:
    """JSON with blanks chosen at random between tokens: same line, next line, blank lines, tabs."""

    def gap() -> str:
        return rng.choice(["", " ", "\n", "\n  ", "\n\n", "\t", " \n "])

    if isinstance(node, list):
        return "[" + gap() + ("," + gap()).join(_dump(v, rng) for v in node) + gap() + "]"
    if isinstance(node, dict):
        items = (json.dumps(k, ensure_ascii=False) + gap() + ":" + gap() + _dump(v, rng) for k, v in node.items())
        return "{" + gap() + ("," + gap()).join(items) + gap() + "}"
    return json.dumps(node, ensure_ascii=rng.random() < 0.3)


def _layouts(data, rng: random.Random) -> list[str]:
    texts = [json.dumps(data, ensure_ascii=rng.random() < 0.3, indent=indent) for indent in (None, 0, 1, 2, "\t")]
    return texts + [_dump(data, rng) for _ in range(3)]


def _paths(node, path=()):
    """Every array item and mapping key of a parsed JSON value, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key)
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*path, i)
            yield from _paths(value, (*path, i))


def _check_layout(text: str) -> bool:
    data = json.loads(text)
    tree = _positions(text)
    if tree is None:  # ruamel cannot read some layouts (a key's colon on the next line): nothing to compare
        return False
    lines = json_lines.scan(text)
    if lines is not None:
        for path, line in lines.items():  # what the scan found is ruamel's line
            assert _resolve(tree, path)[0] == line, (path, text)
    found = JsonLines(text, lambda: tree)
    for path in _paths(data):  # and the reader's answer for any path (scan or ruamel) is too
        if len(path) <= json_lines.DEPTH:
            assert found.line(path) == _resolve(tree, path)[0], (path, text)
    return lines is not None


def test_json_line_scan_gives_ruamels_lines_for_random_json():
    rng = random.Random(7)
    scanned = 0
    for _ in range(120):
        data = {"goallint": 1, "tables": [_random_value(rng, 2) for _ in range(rng.randint(1, 3))]}
        for text in _layouts(data, rng):
            scanned += _check_layout(text)
    assert scanned > 500  # the scan itself answered, not only ruamel


def test_json_line_scan_of_tables_and_rows():
    rng = random.Random(3)
    tables = []
    for t in range(5):
        rows = [
            [f"产出指标{rng.randint(0, 9)}", "数量指标", "名称\\“引号”", "", f"≥{rng.randint(1, 99)}%"]
            for _ in range(rng.randint(0, 7))
        ]
        if rows and t % 2:
            rows[-1] = {"level1": "满意度指标", "value": "≥95%"}
        tables.append(
            {
                "number": t + 1,
                "title": "标题",
                "department": {"code": "1", "name": "局"},
                "unit": "万元",
                "budget": {"total": 12.5, "fiscal": None},
                "goals": ["a", "b"],
                "rows": rows,
                "tasks-total": {"total": 1.0},
                "tasks": [{"number": 1, "name": "x"}],
            }
        )
    head = json.dumps({"goallint": 1, "fiscal-year": 2025}, ensure_ascii=False)[:-1]
    # the layout of bench/generate.py: a table's keys on its first line, then its rows one a line
    text = (
        head
        + ', "tables": [\n'
        + ",\n".join(
            "  "
            + json.dumps({k: v for k, v in t.items() if k != "rows"}, ensure_ascii=False)[:-1]
            + ', "rows": [\n'
            + ",\n".join("    " + json.dumps(r, ensure_ascii=False) for r in t["rows"])
            + "\n  ]}"
            for t in tables
        )
        + "\n]}"
    )
    checked = 0
    for layout in [text, *_layouts(json.loads(text), rng)]:
        tree = _positions(layout)
        if tree is None:
            continue
        assert _check_layout(layout)  # the scan answers
        checked += 1
        found = JsonLines(layout, lambda: None)
        for t, table in enumerate(tables):
            expected = [_resolve(tree, ("tables", t, "rows", r))[0] for r in range(len(table["rows"]))]
            assert found.item_lines(("tables", t, "rows"), len(table["rows"])) == expected
    assert checked >= 6


def test_json_line_scan_takes_the_last_of_repeated_keys():
    text = '{"goallint": 1, "tables": [\n {"a": 1, "b": 2,\n "a": 3}, {"x": [1], "x": 2,\n "x": 4}]}'
    lines = json_lines.scan(text)
    assert lines.get(("tables", 0, "a")) == 3 and lines.get(("tables", 0, "b")) == 2
    assert lines.get(("tables", 1, "x")) == 4


# --------------------------------------------------------------------------- canonical reader


def _write(tmp_path: Path, data, name: str) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _table(rows, **more):
    return {"number": 1, "unit": "万元", "project": "p", "budget": {"total": 3}, "rows": rows, **more}


TEXT_ROWS = [["产出指标", "数量指标", "台数", "台数", "≥17台"], ["效益指标", "社会效益指标", "满意度", "", "≥90%"]]


@pytest.mark.parametrize(
    "tables",
    [
        [_table(TEXT_ROWS), _table([["产出指标", "数量指标", "台数", "≥17台"]])],  # a row of four
        [_table(TEXT_ROWS), _table([["产出指标", "数量指标", "台数", "台数", True]])],  # a yes/no cell
        [_table(TEXT_ROWS, unit="千元"), _table(TEXT_ROWS)],  # an error outside the rows
        [_table(TEXT_ROWS, unit="千元"), _table([["a", "b"], {"levle1": "x"}])],  # several
        [_table(TEXT_ROWS), _table([{"level1": "产出指标", "value": 5, "goal": "x"}])],
    ],
)
def test_errors_are_those_of_a_full_validation(tmp_path, tables):
    path = _write(tmp_path, {"goallint": 1, "tables": tables}, "t.json")
    with pytest.raises(ValidationError) as full:
        CanonicalFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    expected = _validation_error(str(path), full.value, _positions(path.read_text(encoding="utf-8")))
    with pytest.raises(InputError) as got:
        readers.read(path)
    assert (got.value.message, got.value.line) == (expected.message, expected.line)


def test_rows_of_every_form_read_as_before(tmp_path):
    tables = [
        _table(TEXT_ROWS),
        _table(
            [
                ["产出指标", "数量指标", "台数", "台数", 17],
                {"level1": "产出指标", "value": "≥1"},
                {"一级指标": "效益指标", "指标值": 3.5},
            ]
        ),
        _table([]),
    ]
    document = readers.read(_write(tmp_path, {"goallint": 1, "tables": tables}, "t.json"))
    cells = [[(r.level1, r.level2, r.level3, r.description, r.value) for r in t.rows] for t in document.tables]
    assert cells == [
        [tuple(r) for r in TEXT_ROWS],
        [
            ("产出指标", "数量指标", "台数", "台数", "17"),
            ("产出指标", "", "", "", "≥1"),
            ("效益指标", "", "", "", "3.5"),
        ],
        [],
    ]
    text = (tmp_path / "t.json").read_text(encoding="utf-8").splitlines()
    for table in document.tables:
        assert Table.model_validate(dict(table)) == table
        for row in table.rows:
            assert IndicatorRow.model_validate(dict(row)) == row
            assert row.location.row is not None and row.location.line is not None
            assert text[row.location.line - 1].strip().startswith(("[", "{"))
    assert document.tables[0].budget.total == quantity(3.0, "wan_yuan")


@pytest.mark.parametrize("cell", ["\u0001台", "\x7f台"])
def test_control_characters_in_json_cells_are_removed(tmp_path, cell):
    rows = [["产出指标", "数量指标", "台数", "台数", "≥17" + cell]]
    document = readers.read(_write(tmp_path, {"goallint": 1, "tables": [_table(rows)]}, "t.json"))
    assert document.tables[0].rows[0].value == "≥17台"
    assert [p.code for p in document.problems] == ["control-characters"]


# --------------------------------------------------------------------------- Word-dump reader


@pytest.mark.parametrize("source", sorted(CORPUS.glob("*-projects.txt")), ids=lambda p: p.name)
def test_word_dump_rows_and_tables_are_valid_models(source):
    document = readers.read(source)
    assert document.format == "word-dump" and document.tables
    for table in document.tables:
        assert Table.model_validate(dict(table)) == table
        for row in table.rows:
            assert IndicatorRow.model_validate(dict(row)) == row
            assert row.model_fields_set == {"level1", "level2", "level3", "description", "value", "location"}


# --------------------------------------------------------------------------- grid cells and header words


def test_a_cell_location_made_when_used_is_the_one_made_at_once():
    from functools import partial

    from goallint.readers.grid import Cell

    made = Location(file="a.docx", cell="表1 行2 列3")
    lazy = Cell("指标值", 1, 2, partial(Location, file="a.docx", cell="表1 行2 列3"))
    eager = Cell("指标值", 1, 2, made)
    assert lazy.location == made and lazy.location is lazy.location  # made once
    numbered = made.model_copy(update={"table": 4, "row": 5, "column": "指标值"})
    assert (
        Cell("x", 1, 2, partial(Location, file="a.docx", cell="表1 行2 列3")).location_with(
            table=4, row=5, column="指标值"
        )
        == numbered
    )
    assert eager.location_with(table=4, row=5, column="指标值") == numbered
    assert eager.location == made and made.table is None  # the cell's own location is not changed


def test_header_words_follow_the_users_columns_whichever_file_is_read_first():
    """The role of a header text is cached per vocabulary: a file read with `columns:` in goallint.yaml
    and one read without each get their own answer, in either order."""
    from goallint.readers import columns, form_knowledge

    word = "本年度完成目标（自定义）"
    for _ in range(2):
        assert form_knowledge.column_label(word) is None and columns.role_of(word) is None
        with columns.extra_columns({"value": [word]}):
            assert form_knowledge.column_label(word) == "value" and columns.role_of(word) == "value"
