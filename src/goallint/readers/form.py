"""The printed form layout of a project table (项目支出绩效目标表), read from a Grid.

Shared by the Word (.docx) and Excel (.xlsx) readers: they only extract cells into a `Grid`
(readers/grid.py); everything known about the form's labels lives here and in the label list
`rules/lexicon/form-labels.yaml` (label variants are data, not code).

The layout, as published (cell positions vary; labels are found by their text, never by position)::

    1.信息化运维项目绩效目标表                      ← title (a paragraph above the table, or a cell)
    573301中国国际贸易促进委员会天津市分会   单位：万元 ← department and unit (paragraphs or cells)
    项目名称          | 信息化运维项目
    预算规模及资金用途 | 预算数 | 12.00 | 其中：财政资金 | 12.00 | 其他资金 |
      (merged)        | 确保现有的机房网络……               ← 资金用途 (purpose)
    绩效目标          | 1.…  2.…                          ← goals, one paragraph or line each
    一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值  ← grid header
    产出指标 | 数量指标 | 硬件采购（维护）数量 | … | ≥17台
    (merged) | (merged) | …

Header block (rows above the grid header): a label cell's value is the next cell to its right. A
label followed by another label (or by nothing) takes its value from the next row — the purpose
under 预算规模及资金用途, or a layout with a row of labels above a row of values. Cells that are
not labels are read as the title (`…绩效目标表`, with its printed number `1.`), the department
(`573301…`, a six-digit code and a name) or the unit (`单位：万元`); any other cell is reported
as an `unparsed-cell` Problem. Labels are compared after NFKC normalisation with whitespace
removed, so `其中：财政    资金` is `其中：财政资金`.

Indicator grid: the first row holding at least three column labels, 指标值 among them. Each
column is read at the grid column of its header cell, so horizontally merged cells (one Word cell
spanning two grid columns, an Excel merge) count once. 一级指标 and 二级指标 are filled down from
the row above when empty (vertically merged). Rows that repeat the grid header (header rows
repeated on a new page, a continued table) and empty rows are skipped. A second 项目名称 label
below the indicator rows starts another table (`split`).

Amounts: the text of the 预算数 / 财政资金 / 其他资金 cells, in the table's unit (`单位：元` →
yuan, `单位：万元` → wan_yuan; a unit in the label, `预算数（万元）`, or after the number,
`12.00万元`, also counts). An empty cell → None; a cell that is not a number → a `bad-amount`
Problem naming the cell. A table without any unit takes the unit (and department) of the
previous table of the same file, as a document lists one department's tables in one unit.

Goals: the 绩效目标 cell is split into items at paragraphs (lines) beginning with the next number
(`1.` `2、` `3．`), numbering removed; other paragraphs continue the item before them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from goallint.model import Budget, IndicatorRow, Location, Problem, Table
from goallint.readers.grid import Cell, Grid
from goallint.units import TABLE_UNITS, quantity

HEADER_FIELDS = ("project", "total", "fiscal", "other", "purpose", "goals")
COLUMN_FIELDS = ("level1", "level2", "level3", "description", "value")
COLUMN_NAMES = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "绩效指标描述",
    "value": "指标值",
}
AMOUNT_NAMES = {"total": "预算数", "fiscal": "财政资金", "other": "其他资金"}

_WS = re.compile(r"\s+")
_UNIT_SUFFIX = re.compile(r"^(.+?)\((万元|元)\)$")
_TITLE_NUMBER = re.compile(r"^(\d+)\s*[.．、]\s*(.+)$", re.S)
_DEPARTMENT = re.compile(r"^(\d{6})\s*([^\d\s.．、].*)$", re.S)
_UNIT = re.compile(r"^(?:金额)?单位\s*[：:]\s*(.*)$", re.S)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_AMOUNT_WITH_UNIT = re.compile(r"^(.+?)\s*(万元|元)$")
_GOAL_NUMBER = re.compile(r"^\s*(\d+)\s*[.．、]\s*")
_CJK_EDGE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]")


# --------------------------------------------------------------------------- labels (data)


@dataclass(frozen=True)
class Labels:
    header: dict[str, str]  # normalised label → header field
    columns: dict[str, str]  # normalised label → indicator column field
    department: tuple[str, ...]  # normalised markers of a department-wide table
    title_endings: tuple[str, ...]
    units: dict[str, str]  # as written → "元" / "万元"


def normalize(text: str) -> str:
    """The key a label is looked up by: NFKC, no whitespace, no trailing `*` or `:`."""
    return _WS.sub("", unicodedata.normalize("NFKC", text)).rstrip("*:")


@cache
def labels() -> Labels:
    from ruamel.yaml import YAML

    from goallint.resources import rules_dir

    path = rules_dir() / "lexicon" / "form-labels.yaml"
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))

    def index(groups: dict, allowed: tuple[str, ...]) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, variants in groups.items():
            if name not in allowed:
                raise ValueError(f"{path}: unknown field {name!r}")
            for variant in variants:
                out[normalize(str(variant))] = name
        return out

    return Labels(
        header=index(data["header"], HEADER_FIELDS),
        columns=index(data["columns"], COLUMN_FIELDS),
        department=tuple(normalize(str(v)) for v in data["department"]),
        title_endings=tuple(normalize(str(v)) for v in data["title_endings"]),
        units={str(k): str(v) for k, v in data["units"].items()},
    )


def header_label(text: str) -> tuple[str, str | None] | None:
    """(field, unit in the label or None) when `text` is a header label: `预算数（万元）` → ("total", "万元")."""
    if not text:
        return None
    key = normalize(text)
    lab = labels()
    if key in lab.header:
        return lab.header[key], None
    m = _UNIT_SUFFIX.match(key)
    if m and m.group(1) in lab.header:
        return lab.header[m.group(1)], m.group(2)
    return None


def column_label(text: str) -> str | None:
    if not text:
        return None
    return labels().columns.get(normalize(text))


def is_title(text: str) -> bool:
    key = normalize(text)
    return any(ending in key for ending in labels().title_endings)


def is_department_marker(text: str) -> bool:
    key = normalize(text)
    return any(marker in key for marker in labels().department)


# --------------------------------------------------------------------------- text helpers


def flat(text: str) -> str:
    """A multi-paragraph cell as one line: Chinese text broken over lines is joined without a space."""
    if "\n" not in text:
        return text.strip()
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    if not paras:
        return ""
    out = paras[0]
    for para in paras[1:]:
        out += para if _CJK_EDGE.match(out[-1]) or _CJK_EDGE.match(para[0]) else " " + para
    return out


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def split_goals(text: str) -> list[str]:
    """Items `1.… 2.…`, numbering removed; a paragraph without the next number continues an item."""
    items: list[str] = []
    for para in paragraphs(text):
        m = _GOAL_NUMBER.match(para)
        if m and int(m.group(1)) == len(items) + 1:
            items.append(para[m.end() :].strip())
        elif items:
            items[-1] += para
        else:
            items.append(para)
    return [item for item in items if item]


# --------------------------------------------------------------------------- grid helpers


def _covered_in_row(cell: Cell) -> bool:
    """A cell repeated by a horizontal merge (not the merge's first cell, same row)."""
    return cell.merged_from is not None and cell.merged_from[0] == cell.row and cell.merged_from[1] != cell.col


def _covered_from_above(cell: Cell) -> bool:
    return cell.merged_from is not None and cell.merged_from[0] < cell.row


def logical_cells(row: list[Cell]) -> list[Cell]:
    """The cells of a row with horizontal merges counted once."""
    return [cell for cell in row if not _covered_in_row(cell)]


def grid_header_columns(row: list[Cell]) -> dict[str, int] | None:
    """field → grid column when `row` is an indicator grid header, else None."""
    found: dict[str, int] = {}
    for cell in logical_cells(row):
        name = column_label(cell.text)
        if name is not None and name not in found:
            found[name] = cell.col
    if len(found) >= 3 and "value" in found:
        return found
    return None


def find_grid_header(grid: Grid, start: int = 0) -> int | None:
    for index in range(start, len(grid.rows)):
        if grid_header_columns(grid.rows[index]) is not None:
            return index
    return None


def header_fields(grid: Grid, stop: int | None = None) -> set[str]:
    """The header-block labels found in the grid's rows (up to `stop`)."""
    found: set[str] = set()
    for row in grid.rows[:stop]:
        for cell in logical_cells(row):
            if _covered_from_above(cell):
                continue
            lab = header_label(cell.text)
            if lab is not None:
                found.add(lab[0])
    return found


def kind_of(grid: Grid) -> str | None:
    """ "department", "project" or None (not a performance target table)."""
    titles = [line for line in grid.before if is_title(line)]
    if titles and is_department_marker(titles[-1]):
        return "department"
    texts = [cell.text for row in grid.rows[:60] for cell in logical_cells(row) if cell.text]
    if any(is_department_marker(text) for text in texts if len(text) < 60):
        return "department"
    header = find_grid_header(grid)
    fields = header_fields(grid, header)
    if header is not None or len(fields) >= 2 or ("project" in fields and len(grid.rows) > 1):
        return "project"
    return None


def is_continuation(grid: Grid) -> bool:
    """A grid that continues the indicator rows of the table before it (a Word table split by a page
    break): no header-block labels and no title above it, and either it starts with the grid header
    or its rows are at least five cells wide."""
    if any(is_title(line) for line in grid.before):
        return False
    if any(is_department_marker(cell.text) for row in grid.rows[:5] for cell in row if cell.text):
        return False
    header = find_grid_header(grid)
    if header_fields(grid, header):
        return False
    first = next((i for i, row in enumerate(grid.rows) if any(cell.text for cell in row)), None)
    if first is None:
        return False
    if header == first:
        return True
    return header is None and len(logical_cells(grid.rows[first])) >= len(COLUMN_FIELDS)


def align_continuation(previous: Grid, grid: Grid) -> None:
    """Renumber the columns of a continuation grid without its own grid header to the previous grid's
    indicator columns when its rows have as many cells as the indicator header (a program that
    saved the second table with a simpler column grid: LibreOffice does)."""
    header = None
    for row in previous.rows:
        header = grid_header_columns(row) or header
    if header is None or find_grid_header(grid) is not None:
        return
    starts = sorted(header.values())
    for index, row in enumerate(grid.rows):
        cells = logical_cells(row)
        if len(cells) != len(starts) or [c.col for c in cells] == starts:
            continue
        for cell, col in zip(cells, starts):
            cell.col = col
            if cell.merged_from is not None:
                cell.merged_from = (cell.merged_from[0], col)  # a vertical merge: same column above
        grid.rows[index] = cells


def split(grid: Grid) -> list[Grid]:
    """One grid per table: a 项目名称 label below indicator rows starts another table."""
    parts: list[Grid] = []
    start = 0
    seen_grid = False
    for index, row in enumerate(grid.rows):
        if grid_header_columns(row) is not None:
            seen_grid = True
            continue
        if seen_grid and any(
            (lab := header_label(cell.text)) is not None and lab[0] == "project" for cell in logical_cells(row)
        ):
            parts.append(
                Grid(rows=grid.rows[start:index], location=grid.location, before=grid.before if not parts else [])
            )
            start, seen_grid = index, False
    if not parts:
        return [grid]
    parts.append(Grid(rows=grid.rows[start:], location=grid.rows[start][0].location, before=[]))
    return parts


# --------------------------------------------------------------------------- the interpreter


@dataclass
class Context:
    """What one table passes to the next of the same file: unit and department when a table omits them."""

    unit: str | None = None
    department_code: str | None = None
    department_name: str | None = None


@dataclass
class _State:
    number: int
    title: str | None = None
    printed_number: int | None = None
    department_code: str | None = None
    department_name: str | None = None
    unit_text: str | None = None
    unit_location: Location | None = None
    unit_hint: str | None = None
    project: str | None = None
    amounts: dict[str, Cell] = field(default_factory=dict)
    purpose: str = ""
    goals: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def _at(cell: Cell, number: int, **update) -> Location:
    return cell.location.model_copy(update={"table": number, **update})


class _Interpreter:
    def __init__(self, grid: Grid, number: int, context: Context):
        self.grid = grid
        self.state = _State(number=number)
        self.context = context
        self.problems: list[Problem] = []

    def problem(self, code: str, message: str, location: Location) -> None:
        self.problems.append(Problem(code=code, message=message, location=location))

    @property
    def name(self) -> str:
        s = self.state
        return s.project or s.title or f"第{s.number}个表"

    # ----------------------------------------------------------------- free text (title, department, unit)

    def free_text(self, text: str, cell: Cell | None) -> bool:
        s = self.state
        text = flat(text)
        m = _UNIT.match(text)
        if m:
            s.unit_text = _WS.sub("", m.group(1))
            s.unit_location = (
                _at(cell, s.number) if cell is not None else self.grid.location.model_copy(update={"table": s.number})
            )
            return True
        m = _DEPARTMENT.match(text)
        if m:
            s.department_code = m.group(1)
            s.department_name = m.group(2).strip()
            return True
        if is_title(text) and len(text) < 200:
            m = _TITLE_NUMBER.match(text)
            if m:
                s.printed_number, s.title = int(m.group(1)), m.group(2).strip()
            else:
                s.printed_number, s.title = None, text.strip()
            return True
        return False

    # ----------------------------------------------------------------- header block

    def assign(self, name: str, cell: Cell) -> None:
        s = self.state
        s.seen.add(name)
        if name == "project":
            s.project = flat(cell.text) or None
        elif name == "purpose":
            s.purpose = "\n".join(paragraphs(cell.text))
        elif name == "goals":
            s.goals = split_goals(cell.text)
        else:
            s.amounts[name] = cell

    def header_block(self, rows: list[list[Cell]]) -> None:
        for line in self.grid.before:
            self.free_text(line, None)
        # labels whose value is in the next row: (field, column, label spans down)
        pending: list[tuple[str, int, bool]] = []
        for r, row in enumerate(rows):
            cells = [cell for cell in logical_cells(row) if not _covered_from_above(cell)]
            used: set[int] = set()
            for name, col, spans in pending:
                if spans:  # 预算规模及资金用途 over two rows: the first value cell right of it
                    value = next(
                        (
                            c
                            for c in cells
                            if c.col > col
                            and id(c) not in used
                            and header_label(c.text) is None
                            and column_label(c.text) is None
                        ),
                        None,
                    )
                else:  # a row of labels above a row of values: the cell below
                    value = next((c for c in cells if c.col == col), None)
                    if value is not None and (
                        header_label(value.text) is not None or column_label(value.text) is not None
                    ):
                        value = None
                if value is None:
                    self.state.seen.add(name)
                    continue
                self.assign(name, value)
                used.add(id(value))
            pending = []
            below = rows[r + 1] if r + 1 < len(rows) else []
            index = 0
            while index < len(cells):
                cell = cells[index]
                index += 1
                if id(cell) in used or not cell.text:
                    continue
                lab = header_label(cell.text)
                if lab is not None:
                    name, hint = lab
                    if hint and name in AMOUNT_NAMES:
                        self.state.unit_hint = self.state.unit_hint or hint
                    spans = any(c.merged_from == (cell.row, cell.col) for c in below)
                    nxt = cells[index] if index < len(cells) else None
                    if nxt is not None and header_label(nxt.text) is None and column_label(nxt.text) is None:
                        index += 1
                        if name == "purpose" and not nxt.text:
                            pending.append(
                                (name, cell.col, spans)
                            )  # an empty cell beside the label: the purpose is below
                        else:
                            self.assign(name, nxt)
                    else:
                        pending.append((name, cell.col, spans))
                    continue
                if self.free_text(cell.text, cell):
                    continue
                self.problem(
                    "unparsed-cell",
                    f"表{self.state.number}的单元格 {where(cell)} 无法归入表头字段：{flat(cell.text)[:40]}",
                    _at(cell, self.state.number),
                )
        for name, _, _ in pending:
            self.state.seen.add(name)

    # ----------------------------------------------------------------- indicator rows

    def indicator_rows(self, rows: list[list[Cell]], columns: dict[str, int]) -> list[IndicatorRow]:
        starts = sorted(columns.values())
        out: list[IndicatorRow] = []
        level1 = level2 = ""
        for row in rows:
            repeated = grid_header_columns(row)
            if repeated is not None:
                # the grid header repeated (a new page, a continued table, whose grid columns may differ)
                if set(repeated) == set(columns):
                    columns = repeated
                    starts = sorted(columns.values())
                continue
            by_col = {cell.col: cell for cell in row}
            values: dict[str, str] = {}
            cells: dict[str, Cell] = {}
            own = False  # some cell of the row is not a continuation of a merge from above
            for name, col in columns.items():
                cell = by_col.get(col)
                if cell is None:
                    values[name] = ""
                    continue
                if _covered_in_row(cell) and cell.merged_from[1] in starts and cell.merged_from[1] != col:
                    values[name] = ""  # the cell of another column spans this one
                    continue
                values[name] = flat(cell.text)
                cells[name] = cell
                if values[name] and not _covered_from_above(cell):
                    own = True
            if not own and not any(values.get(n) for n in ("level3", "description", "value")):
                continue  # an empty row, or one holding only merges from above
            if not any(values.values()):
                continue
            if values.get("level1"):
                level1 = values["level1"]
            if values.get("level2"):
                level2 = values["level2"]
            anchor = cells.get("value") or next(iter(cells.values()), None) or row[0]
            number = len(out) + 1
            out.append(
                IndicatorRow(
                    level1=values.get("level1") or level1,
                    level2=values.get("level2") or level2,
                    level3=values.get("level3", ""),
                    description=values.get("description", ""),
                    value=values.get("value", ""),
                    location=_at(anchor, self.state.number, row=number, column="指标值"),
                )
            )
        return out

    # ----------------------------------------------------------------- the table

    def read(self) -> Table:
        s = self.state
        header = find_grid_header(self.grid)
        if header is None:
            self.header_block(self.grid.rows)
            rows: list[IndicatorRow] = []
            self.problem(
                "missing-grid",
                f"表{s.number}（{self.name}）没有指标表头（一级指标、二级指标、三级指标、绩效指标描述、指标值）",
                self.grid.location.model_copy(update={"table": s.number}),
            )
        else:
            self.header_block(self.grid.rows[:header])
            columns = grid_header_columns(self.grid.rows[header])
            missing = [COLUMN_NAMES[n] for n in COLUMN_FIELDS if n not in columns]
            if missing:
                self.problem(
                    "grid-header",
                    f"表{s.number}（{self.name}）的指标表头缺少{'、'.join(missing)}列",
                    _at(self.grid.rows[header][0], s.number),
                )
            rows = self.indicator_rows(self.grid.rows[header + 1 :], columns)

        # department and unit: a table without them continues the previous table's
        ctx = self.context
        if s.department_code is None and s.department_name is None:
            s.department_code, s.department_name = ctx.department_code, ctx.department_name
        else:
            ctx.department_code, ctx.department_name = s.department_code, s.department_name
        unit: str | None = None
        if s.unit_text is not None:
            unit = labels().units.get(s.unit_text)
            if unit is None:
                self.problem(
                    "unknown-unit",
                    f"表{s.number}（{self.name}）的金额单位“{s.unit_text}”无法识别（应为“元”或“万元”）",
                    s.unit_location,
                )
        elif s.unit_hint is not None:
            unit = s.unit_hint
        else:
            unit = ctx.unit
        if unit is not None:
            ctx.unit = unit

        budget = Budget(**{key: self.amount(key, cell, unit) for key, cell in s.amounts.items()})
        return Table(
            kind="project",
            number=s.printed_number,
            title=s.title,
            department_code=s.department_code,
            department_name=s.department_name,
            unit=unit,
            project=s.project,
            budget=budget,
            purpose=s.purpose,
            goals=s.goals,
            rows=rows,
            location=self.grid.location.model_copy(update={"table": s.number}),
        )

    def amount(self, key: str, cell: Cell, unit: str | None):
        text = flat(cell.text)
        if not text:
            return None
        label = AMOUNT_NAMES[key]
        location = _at(cell, self.state.number, column=label)
        number = unicodedata.normalize("NFKC", text).replace(" ", "")
        written_unit = None
        m = _AMOUNT_WITH_UNIT.match(number)
        if m:
            number, written_unit = m.group(1), m.group(2)
        if not _NUMBER.match(number):
            self.problem(
                "bad-amount",
                f"表{self.state.number}（{self.name}）的{label}“{text}”（{where(cell)}）不是数字",
                location,
            )
            return None
        unit = written_unit or unit
        if unit is None:
            self.problem(
                "missing-unit",
                f"表{self.state.number}（{self.name}）没有注明金额单位（单位：元/万元），{label}“{text}”（{where(cell)}）无法换算",
                location,
            )
            return None
        return quantity(float(number.replace(",", "")), TABLE_UNITS[unit])


def where(cell: Cell) -> str:
    """A cell as the user sees it: "Sheet1!E12" or "表3 行5 列5"."""
    loc = cell.location
    if loc.sheet and loc.cell:
        return f"{loc.sheet}!{loc.cell}"
    return loc.cell or f"行{cell.row + 1} 列{cell.col + 1}"


def read_grid(grid: Grid, number: int, context: Context | None = None) -> tuple[Table, list[Problem]]:
    """Interpret a project-table grid as the `number`-th table of its file (see the module docstring)."""
    interpreter = _Interpreter(grid, number, context or Context())
    table = interpreter.read()
    return table, interpreter.problems


def read_department(grid: Grid, number: int) -> tuple[Table | None, list[Problem]]:
    """A department-wide table (部门整体支出绩效目标表), read by readers/department/form.py when present."""
    location = grid.location.model_copy(update={"table": number})
    try:
        from goallint.readers.department import form as department_form
    except ModuleNotFoundError as exc:
        if exc.name != "goallint.readers.department.form":
            raise
        department_form = None
    reader = getattr(department_form, "read_grid_problems", None)
    if reader is None and hasattr(department_form, "read_grid"):
        reader = lambda g: (department_form.read_grid(g), [])  # noqa: E731
    if reader is None:
        return None, [
            Problem(
                code="unsupported-table",
                message=f"表{number}是部门整体支出绩效目标表，本版本还不能读取这种表格的 Word/Excel 形式，已跳过",
                location=location,
            )
        ]
    table, problems = reader(grid)

    def numbered(loc: Location) -> Location:
        return loc if loc.table is not None else loc.model_copy(update={"table": number})

    table.location = numbered(table.location)
    for item in [*table.rows, *table.tasks, *([table.tasks_total] if table.tasks_total else [])]:
        item.location = numbered(item.location)
    return table, [p.model_copy(update={"location": numbered(p.location)}) for p in problems]
