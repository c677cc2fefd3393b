"""The canonical formats read back: the YAML that `goallint parse` writes, and the full-model JSON.

Canonical YAML (also accepted as JSON with the same keys)::

    goallint: 1                  # format version, required
    source: 信息化运维项目.txt     # where it came from (informational)
    fiscal-year: 2023            # optional
    tables:
      - number: 1                # all table keys are optional except that amounts need a unit
        title: 信息化运维项目绩效目标表
        department: {code: '573301', name: 中国国际贸易促进委员会天津市分会}
        unit: 万元               # 元 or 万元: the unit of the budget amounts
        project: 信息化运维项目
        budget: {total: 12.0, fiscal: 12.0, other: null}
        purpose: …               # 资金用途
        goals: [确保……]          # 绩效目标, numbering removed
        fiscal-year: 2023
        truncated: false
        rows:                    # 一级指标 / 二级指标 / 三级指标 / 绩效指标描述 / 指标值
          - [产出指标, 数量指标, 硬件采购数量, 硬件采购数量, ≥17台]
          - {level1: 产出指标, level2: 质量指标, level3: 合格率, description: 合格率, value: ≥90%}
          - {一级指标: 效益指标, 二级指标: …, 三级指标: …, 绩效指标描述: …, 指标值: …}

Rows are five-item lists, or mappings with the English keys (level1, level2, level3,
description, value, and goal: the goal number in department-wide tables) or the Chinese column
names; a mapping may leave keys out (empty cells). Numbers in cells are read as text (`17` → "17").

Tables of other templates may add `form`, `supervisor`, `implementer`, `attribute`, `period`,
`mid-budget`, `mid-goals` and `budget.carryover`; their mapping rows `block`, `comparator` / `unit` (a
target split over 指标性质 | 指标值 | 度量单位) and the kept cells `weight`, `score`, `actual`, `value-type`,
`direction` (readers/canonical_fields.py; docs/formats.md).

A department-wide table (部门整体支出绩效目标表) adds `kind: department`, its task budgets and
the task each goal serves (amounts in the table's unit; `null` for an empty cell)::

        kind: department
        tasks-total: {total: 5230.6, basic: 1854.8, project: 1306.0, other: 2069.8}   # 合计
        tasks:
          - {number: 1, name: 开展网络安全和信息化工作。, total: 409.6, basic: 396.6, project: 13.0}
        goal-tasks: [1, 2, 3, 4, 4, 5, 6, 7]   # 对应工作任务 of 目标1, 目标2, …
        rows:
          - {goal: 1, level1: 产出指标, level2: 成本指标, level3: 业务总成本, value: ≤409.6万元}

The file is validated with the pydantic models below (unknown keys are errors, so a misspelt key
is caught); every error is reported at the YAML line of the offending key, as an InputError
`file:line: message`. Row locations carry their YAML line. `goallint schema table` prints the
JSON Schema generated from these models.

Full-model JSON (`goallint parse --format json`, `canonical.dump_json`) is validated against
model.Document itself; its locations are kept as written (they point at the original source), the
document's path and format become the JSON file's.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import re
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from sys import intern
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, ValidationError

from goallint import safety
from goallint.errors import InputError, read_bytes
from goallint.model import (
    TABLE_HEADER_FIELDS,
    Budget,
    Document,
    FiscalYear,
    IndicatorRow,
    Location,
    Problem,
    Table,
    Task,
    constructor,
)
from goallint.readers.canonical_fields import (
    CELL_KEYS,
    CHINESE_KEYS,
    TABLE_KEYS,
    RowChineseFields,
    RowFields,
    TableFields,
    field_locations,
    has_extras,
    indicator_row,
    table_keys,
)
from goallint.readers.json_lines import JsonLines
from goallint.units import TABLE_UNITS, quantity
from goallint.yamlpos import line_of, plain, shown_input

SCHEMA_ID = "https://goallint.invalid/schema/table.json"

# --------------------------------------------------------------------------- the file format


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value  # rejected: write 是/否 or quote it
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def _code(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Cell = Annotated[str, BeforeValidator(_cell)]


class RowKeys(_Strict, RowFields):
    """An indicator row as a mapping with English keys; missing keys are empty cells (the keys beyond the five
    cells: readers/canonical_fields.py)."""

    model_config = ConfigDict(extra="forbid", title="RowKeys")
    level1: Cell = Field("", description="一级指标")
    level2: Cell = Field("", description="二级指标")
    level3: Cell = Field("", description="三级指标")
    description: Cell = Field("", description="绩效指标描述")
    value: Cell = Field("", description="指标值, as written")
    goal: int | None = Field(None, description="department-wide tables: the goal number (目标1 → 1)")


class RowChineseKeys(_Strict, RowChineseFields):
    """An indicator row as a mapping keyed by the printed column names."""

    model_config = ConfigDict(extra="forbid", title="RowChineseKeys")
    level1: Cell = Field("", alias="一级指标")
    level2: Cell = Field("", alias="二级指标")
    level3: Cell = Field("", alias="三级指标")
    description: Cell = Field("", alias="绩效指标描述")
    value: Cell = Field("", alias="指标值")
    goal: int | None = Field(None, alias="目标")


RowList = Annotated[
    tuple[Cell, Cell, Cell, Cell, Cell],
    Field(description="[一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值]"),
]
_CHINESE_KEYS = {"一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "目标", *CHINESE_KEYS}
_TAGS = {"row as list", "row with keys", "row with chinese keys"}


def _row_kind(value: Any) -> str | None:
    if isinstance(value, (list, tuple)):
        return "row as list"
    if isinstance(value, dict):
        return "row with chinese keys" if _CHINESE_KEYS & set(value) else "row with keys"
    return "row as list"  # let the list validator say what is wrong


Row = Annotated[
    Annotated[RowList, Tag("row as list")]
    | Annotated[RowKeys, Tag("row with keys")]
    | Annotated[RowChineseKeys, Tag("row with chinese keys")],
    Discriminator(_row_kind),
]


class CanonicalBudget(_Strict):
    """预算数 = 财政资金 + 其他资金, numbers in the table's unit; null for an empty cell."""

    total: float | None = Field(None, description="预算数")
    fiscal: float | None = Field(None, description="其中：财政资金")
    other: float | None = Field(None, description="其他资金")
    carryover: float | None = Field(None, description="上年结转 (a part of 预算数 beside 财政资金 and 其他资金)")


class CanonicalTask(_Strict):
    """A work task of a department-wide table (主要工作任务), or its 合计 row; amounts in the table's unit."""

    number: int | None = Field(None, description="序号 (none for the 合计 row)")
    name: str = Field("", description="主要工作任务")
    total: float | None = Field(None, description="总额")
    basic: float | None = Field(None, description="基本支出")
    project: float | None = Field(None, description="项目支出")
    other: float | None = Field(None, description="其他资金")


class CanonicalDepartment(_Strict):
    code: Annotated[str | None, BeforeValidator(_code)] = Field(None, description="部门编码")
    name: str | None = Field(None, description="部门名称")


class CanonicalTable(_Strict, TableFields):
    """One 绩效目标表 (the keys of other templates' tables: readers/canonical_fields.py)."""

    number: int | None = Field(None, description="the printed table number")
    title: str | None = None
    department: CanonicalDepartment | None = None
    unit: Literal["元", "万元"] | None = Field(None, description="单位: the unit of the budget amounts")
    project: str | None = Field(None, description="项目名称")
    budget: CanonicalBudget = Field(default_factory=CanonicalBudget)
    purpose: str = Field("", description="资金用途")
    goals: list[str] = Field(default_factory=list, description="绩效目标, one item per goal, numbering removed")
    fiscal_year: int | None = Field(None, alias="fiscal-year")
    truncated: bool = Field(False, description="the source was cut off inside this table")
    kind: Literal["project", "department"] = Field("project", description="department: 部门整体支出绩效目标表")
    tasks_total: CanonicalTask | None = Field(None, alias="tasks-total", description="department tables: the 合计 row")
    tasks: list[CanonicalTask] = Field(default_factory=list, description="department tables: the work tasks")
    goal_tasks: list[int | None] = Field(
        default_factory=list,
        alias="goal-tasks",
        description="department tables: for each goal, the task number it serves",
    )
    mid_budget: CanonicalBudget | None = Field(
        None, alias="mid-budget", description="中期资金总额 and its parts, in the table's unit"
    )
    rows: list[Row] = Field(default_factory=list, description="the indicator rows, in printed order")


class CanonicalFile(_Strict):
    """goallint canonical table file (YAML, or JSON with the same keys)."""

    model_config = ConfigDict(extra="forbid", title="goallint table file")
    goallint: Literal[1] = Field(description="format version")
    source: str | None = Field(None, description="the file the tables were read from (informational)")
    fiscal_year: int | None = Field(None, alias="fiscal-year")
    tables: list[CanonicalTable]


def json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of the canonical YAML/JSON table file."""
    schema = CanonicalFile.model_json_schema(by_alias=True, mode="validation")
    # a row is a list or one of two mappings; `{}` fits both mappings, so anyOf, not oneOf
    rows = schema["$defs"]["CanonicalTable"]["properties"]["rows"]["items"]
    rows["anyOf"] = rows.pop("oneOf")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "description": "goallint canonical table file: `goallint parse` writes it, every goallint command reads it.",
    }


# --------------------------------------------------------------------------- sniffing


def sniff(path: Path, head: bytes) -> bool:
    is_json = path.suffix.lower() == ".json"
    # the common case without decoding: ASCII found in the bytes is in the decoded text too
    if re.search(rb'"goallint"\s*:' if is_json else rb"^goallint\s*:", head, re.M):
        return True
    text = head.decode("utf-8-sig", errors="ignore")
    if is_json:
        if re.search(r'"goallint"\s*:', text):
            return True
        return bool(re.match(r'\s*\{\s*"path"\s*:', text)) and '"format"' in text and '"tables"' in text
    return bool(re.search(r"^goallint\s*:", text, re.M))


# --------------------------------------------------------------------------- positions


def _resolve(tree: Any, loc: tuple) -> tuple[int | None, str]:
    """The 1-based line of the deepest part of `loc` present in `tree`, and a readable path (yamlpos.line_of,
    past the row-kind tags that pydantic puts into the locations of this format's errors)."""
    return line_of(tree, [part for part in loc if part not in _TAGS])


def _message(error: dict[str, Any], path: str) -> str:
    kind = error["type"]
    last = error["loc"][-1] if error["loc"] else ""
    if kind == "extra_forbidden":
        return f"未知字段「{last}」（拼写错误？允许的字段见 goallint schema table）"
    if isinstance(last, int) and kind in ("missing", "too_short", "too_long"):
        row = path.rsplit("[", 1)[0]
        return f"「{row}」应有五项（一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值）"
    if kind in ("too_short", "too_long") and "rows[" in path:
        return f"「{path}」应有五项（一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值）"
    if kind == "missing":
        return f"缺少必需的字段「{last}」"
    text = shown_input(error)
    return f"「{path}」的值 {text} 无效：{error['msg']}"


def _validation_error(file: str, exc: ValidationError, tree: Any) -> InputError:
    located = []
    for error in exc.errors():
        line, path = _resolve(tree, error["loc"]) if tree is not None else (None, ".".join(map(str, error["loc"])))
        located.append((line, _message(error, path)))
    located.sort(key=lambda item: item[0] if item[0] is not None else 0)
    line, message = located[0]
    if len(located) > 1:
        others = sorted({str(n) for n, _ in located[1:] if n is not None}, key=int)
        more = f"，在第 {'、'.join(others)} 行" if others else ""
        message += f"（另有 {len(located) - 1} 处错误{more}）"
    return InputError(file, message, line=line)


def _load_yaml(file: str, text: str) -> Any:
    from goallint import safety

    # standard tags only, no alias bombs, bounded nesting
    return safety.load_yaml_worded(text, file, InputError, "YAML 语法错误：")


def _positions(text: str) -> Any:
    """The ruamel tree of a JSON text, for line numbers only (None if ruamel cannot read it)."""
    try:
        return _load_yaml("", text)
    except Exception:  # noqa: BLE001 - positions are a nicety
        return None


# --------------------------------------------------------------------------- reading


def read(path: str | Path) -> Document:
    file = str(path)
    raw = read_bytes(Path(path), file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(file, "文件不是 UTF-8 编码", line=raw.count(b"\n", 0, exc.start) + 1) from None

    is_json = Path(path).suffix.lower() == ".json"
    if is_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(file, f"JSON 语法错误：{exc.msg}", line=exc.lineno) from None
        except RecursionError:
            from goallint.safety import too_deep_json

            raise too_deep_json(file) from None
        tree: Any = None
        tree_loaded = False
    else:
        tree = _load_yaml(file, text)
        data = plain(tree)
        tree_loaded = True

    def positions() -> Any:
        nonlocal tree, tree_loaded
        if not tree_loaded:
            tree, tree_loaded = _positions(text), True
        return tree

    if isinstance(data, dict) and "goallint" in data:
        # control characters (escaped as \u0001 in JSON or YAML) are no text and break reports: cells are
        # cleaned only when the text could hold one, so the common case costs one scan
        if is_json:  # json.loads lets no raw control character through but DEL: the others are escaped
            controls = "\\u00" in text or "\x7f" in text
            # lines from a fast scan; the ruamel tree only when an error needs it
            return from_canonical(file, data, JsonLines(text, positions), "json", controls)
        controls = "\\u00" in text or "\\x" in text or safety.CONTROL_CHARS.search(text) is not None
        return from_canonical(file, data, tree, "yaml", controls)
    if is_json and isinstance(data, dict) and {"path", "format", "tables"} <= data.keys():
        try:
            document = Document.model_validate(data)
        except ValidationError as exc:
            raise _validation_error(file, exc, positions()) from None
        return document.model_copy(update={"path": file, "format": "json"})
    raise InputError(
        file,
        "不是 goallint 表格文件：顶层应有 `goallint: 1`（canonical YAML/JSON）或是 `goallint parse --format json` 的输出",
        line=1,
    )


def _without_controls(rows: list, file: str, number: int, document: Document) -> list:
    """The rows with control characters removed from their cells, each cleaned row named in a problem."""
    cleaned = []
    for r_index, row in enumerate(rows):
        cells = row if isinstance(row, (tuple, list)) else None
        # a mapping row: its five cells, then the others it gives (a split target's parts, kept cells)
        names = () if cells is not None else (*_ROW_CELLS, *(k for k in CELL_KEYS if getattr(row, k) is not None))
        texts = cells if cells is not None else tuple(getattr(row, name) for name in names)
        if any(safety.CONTROL_CHARS.search(t) for t in texts):
            texts = tuple(safety.CONTROL_CHARS.sub("", t) for t in texts)
            document.problems.append(
                Problem(
                    code="control-characters",
                    message=f"表{number}第{r_index + 1}行的单元格中有控制字符，不是文本内容，已忽略",
                    location=Location(file=file, table=number, row=r_index + 1),
                )
            )
            row = row.model_copy(update=dict(zip(names, texts, strict=True))) if cells is None else texts
        cleaned.append(row)
    return cleaned


def _text_rows(rows: Any) -> bool:
    """Whether `rows` is a list of rows written as five texts: rows the schema takes as they are."""
    if type(rows) is not list:
        return False
    for row in rows:
        if type(row) is not list or len(row) != 5:
            return False
        a, b, c, d, e = row
        if not (type(a) is str and type(b) is str and type(c) is str and type(d) is str and type(e) is str):
            return False
    return True


def _validated(data: Any) -> tuple[CanonicalFile, list[list | None]]:
    """The file validated, and for each table its rows when they are all five texts (else None).

    Rows of five texts are valid as they are and make up nearly all of a file: they are taken out
    before the validation and used as they are. Any error is raised by validating the whole file,
    so that errors are exactly those of the plain validation.
    """
    tables = data.get("tables")
    taken: list[list | None] = []
    if type(tables) is list:
        light = []
        for table in tables:
            if type(table) is dict and _text_rows(table.get("rows")):
                taken.append(table["rows"])
                light.append({**table, "rows": []})
            else:
                taken.append(None)
                light.append(table)
        data = {**data, "tables": light}
    try:
        return CanonicalFile.model_validate(data), taken
    except ValidationError:
        if not any(rows for rows in taken):
            raise
    return CanonicalFile.model_validate(data | {"tables": tables}), [None] * len(taken)


_ROW_CELLS = ("level1", "level2", "level3", "description", "value")
_row_cells = attrgetter(*_ROW_CELLS)  # a RowKeys' cells in _ROW_CELLS order
# rows, their locations and tables are built from validated values, without a second validation
_row_location = constructor(Location, "file", "table", "row", "line")
_row = constructor(IndicatorRow, *_ROW_CELLS, "location")
_row_with_goal = constructor(IndicatorRow, "goal", *_ROW_CELLS, "location")
_table_location = constructor(Location, "file", "table", "line")
_table = constructor(
    Table, *TABLE_HEADER_FIELDS, "truncated", "location", *TABLE_KEYS, "field_locations", "fiscal_year"
)


def _key_line(tree: Any, t_index: int) -> Callable[..., int | None]:
    """The line of a key of the `t_index`-th table: a JSON file answers from its line scan only (an optional
    place never loads the ruamel tree), YAML from its tree."""
    if isinstance(tree, JsonLines):
        return tree.scanned_keys(("tables", t_index)).get  # asked for keys only (field_locations' items=False)
    return lambda *loc: _resolve(tree, ("tables", t_index, *loc))[0]


def from_canonical(file: str, data: dict[str, Any], tree: Any, format: str, controls: bool = False) -> Document:
    """The Document of canonical data already loaded (`tree`: its line positions, or None); also how rule
    examples written as tables become documents (engine/examples.py)."""
    try:
        parsed, taken = _validated(data)
    except ValidationError as exc:
        raise _validation_error(file, exc, tree.tree() if isinstance(tree, JsonLines) else tree) from None

    def line_of(*loc: Any) -> int | None:
        if isinstance(tree, JsonLines):
            return tree.line(loc)
        return _resolve(tree, loc)[0] if tree is not None else None

    document = Document(path=file, format=format)
    if parsed.fiscal_year is not None:
        document.fiscal_year = FiscalYear(
            year=parsed.fiscal_year, source="stated", evidence=f"fiscal-year: {parsed.fiscal_year}"
        )
    for t_index, source in enumerate(parsed.tables):
        number = t_index + 1

        def money(budget: CanonicalBudget, key: str, t_index: int = t_index, unit: str | None = source.unit) -> Budget:
            amounts = {k: v for k in ("total", "fiscal", "other", "carryover") if (v := getattr(budget, k)) is not None}
            if amounts and unit is None:
                raise InputError(
                    file,
                    f"{key} 有金额但表格没有 unit（写 unit: 万元 或 unit: 元）",
                    line=line_of("tables", t_index, key),
                )
            return constructor(Budget, *amounts)(*(quantity(v, TABLE_UNITS[unit]) for v in amounts.values()))

        department = source.department
        # where each header key is: YAML gives each goal and amount its own line where written so, JSON the keys'
        places = (
            {}
            if tree is None
            else field_locations(source, file, number, _key_line(tree, t_index), items=not isinstance(tree, JsonLines))
        )
        stated = source.fiscal_year
        table = _table(
            source.number,
            source.title,
            department.code if department else None,
            department.name if department else None,
            source.unit,
            source.project,
            money(source.budget, "budget"),
            source.purpose,
            list(source.goals),
            source.truncated,
            _table_location(file, number, line_of("tables", t_index)),
            *table_keys(source, money),
            places,
            None if stated is None else FiscalYear(year=stated, source="stated", evidence=f"fiscal-year: {stated}"),
        )
        if source.kind == "department":
            table.kind = "department"
            table.goal_tasks = list(source.goal_tasks)
            tasks = ([("tasks-total", source.tasks_total)] if source.tasks_total is not None else []) + [
                (i, task) for i, task in enumerate(source.tasks)
            ]
            for key, task in tasks:
                where = ("tasks-total",) if key == "tasks-total" else ("tasks", key)
                money = {
                    k: getattr(task, k) for k in ("total", "basic", "project", "other") if getattr(task, k) is not None
                }
                if money and source.unit is None:
                    raise InputError(
                        file,
                        "任务有金额但表格没有 unit（写 unit: 万元 或 unit: 元）",
                        line=line_of("tables", t_index, *where),
                    )
                made = Task(
                    number=task.number,
                    name=task.name or ("合计" if key == "tasks-total" else ""),
                    location=Location(
                        file=file, table=number, column="主要工作任务", line=line_of("tables", t_index, *where)
                    ),
                    **{k: quantity(v, TABLE_UNITS[source.unit]) for k, v in money.items()},
                )
                if key == "tasks-total":
                    table.tasks_total = made
                else:
                    table.tasks.append(made)
        elif source.tasks or source.tasks_total is not None or source.goal_tasks:
            raise InputError(
                file,
                "tasks / tasks-total / goal-tasks 只用于部门整体支出表：加上 kind: department",
                line=line_of("tables", t_index),
            )
        rows = taken[t_index]
        if rows is None:
            rows = source.rows
        if controls:
            rows = _without_controls(rows, file, number, document)
        if isinstance(tree, JsonLines):
            row_lines = tree.item_lines(("tables", t_index, "rows"), len(rows))
        else:
            row_lines = [line_of("tables", t_index, "rows", r_index) for r_index in range(len(rows))]
        if taken[t_index] is not None:  # all five texts: the common case, in one tight loop
            # interned: a province repeats its names and values, and the memories that outlive a file
            # (parsed values, row decisions) then keep one string per distinct text, compared by identity
            table.rows.extend(
                [
                    _row(
                        intern(a),
                        intern(b),
                        intern(c),
                        intern(d),
                        intern(e),
                        _row_location(file, number, position, line),
                    )
                    for position, (a, b, c, d, e), line in zip(itertools.count(1), rows, row_lines)
                ]
            )
        else:
            table.rows.extend(
                [
                    _row(*row, _row_location(file, number, r_index + 1, line))
                    if isinstance(row, (list, tuple))
                    else indicator_row(row, row, _row_location(file, number, r_index + 1, line), row.goal)
                    if has_extras(row)
                    else _row_with_goal(row.goal, *_row_cells(row), _row_location(file, number, r_index + 1, line))
                    for r_index, (row, line) in enumerate(zip(rows, row_lines, strict=False))
                ]
            )
        document.tables.append(table)
    return document
