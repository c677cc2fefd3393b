"""The printed form layout of a project table (项目支出绩效目标表), read from a Grid.

Shared by the Word (.docx) and Excel (.xlsx) readers: they only extract cells into a `Grid`
(readers/grid.py); this module finds the tables of a Grid and their indicator grid. The form's
labels are data (`rules/lexicon/form-labels.yaml`), read through readers/form_knowledge.py.

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

Header block (rows above the grid header): read by readers/form_header.py (labels, their values,
title, department, unit, amounts, goals, the header fields of other templates); what labels and
amounts mean is shared by every reader in readers/form_knowledge.py.

Indicator grid: readers/indicator_grid.py (its header found by the column vocabulary of
readers/columns.py, blocks, split targets, kept columns). A second 项目名称 label below the indicator
rows starts another table (`split`).
"""

from __future__ import annotations

import re

from goallint.model import Location, Problem, Table
from goallint.readers import form_header
from goallint.readers.form_knowledge import (
    header_label,
    is_department_marker,
    is_title,
)
from goallint.readers.grid import Cell, Grid, logical_cells
from goallint.readers.grid import covered_from_above as _covered_from_above

COLUMN_FIELDS = ("level1", "level2", "level3", "description", "value")


# --------------------------------------------------------------------------- grid helpers


def grid_header_columns(row: list[Cell]) -> dict[str, int] | None:
    """field → grid column of the names and the (first) target when `row` is an indicator grid header,
    else None (the whole layout: readers/indicator_grid.py)."""
    from goallint.readers.columns import layout

    lay = layout([(cell.col, cell.text) for cell in logical_cells(row) if cell.text])
    if lay is None:
        return None
    group = lay.groups[0]
    return {**group.names, "value": group.targets[0].col}


def find_grid_header(grid: Grid, start: int = 0) -> int | None:
    """The first row of the first indicator grid header at or after `start` (two-row headers: the upper)."""
    from goallint.readers.indicator_grid import find_header

    header = find_header(grid, start)
    return header.top if header is not None else None


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
        for cell, col in zip(cells, starts, strict=False):
            cell.col = col
            if cell.merged_from is not None:
                cell.merged_from = (cell.merged_from[0], col)  # a vertical merge: same column above
        grid.rows[index] = cells


_FREE_LINE = re.compile(r"^(?:(?:金额)?单位\s*[：:].*|[（(]?\s*(?:19|20)\d{2}\s*年度?\s*[）)]?)$")


def _title_or_blank(row: list[Cell]) -> bool:
    """A row holding nothing, or only a title, a 单位 line or a year line."""
    texts = [c.text.strip() for c in logical_cells(row) if c.text.strip() and not _covered_from_above(c)]
    return all(is_title(t) or _FREE_LINE.match(t) for t in texts)


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
            cut = index  # the next table's title and 单位 line above its 项目名称 belong to it
            while cut - 1 > start and _title_or_blank(grid.rows[cut - 1]):
                cut -= 1
            parts.append(
                Grid(rows=grid.rows[start:cut], location=grid.location, before=grid.before if not parts else [])
            )
            start, seen_grid = cut, False
    if not parts:
        return [grid]
    parts.append(Grid(rows=grid.rows[start:], location=grid.rows[start][0].location, before=[]))
    return parts


# --------------------------------------------------------------------------- the interpreter


Context = form_header.Context
where = form_header.where
_at = form_header.at


class _Interpreter:
    def __init__(self, grid: Grid, number: int, context: Context):
        self.grid = grid
        self.number = number
        self.problems: list[Problem] = []
        self.header = form_header.HeaderReader(grid, number, context, self.problems)

    def problem(self, code: str, message: str, location: Location) -> None:
        self.problems.append(Problem(code=code, message=message, location=location))

    @property
    def name(self) -> str:
        return self.header.name

    # ----------------------------------------------------------------- the table

    def read(self) -> Table:
        from goallint.readers import indicator_grid

        number = self.number
        found = indicator_grid.locate(self.grid)  # the grid header; the rows above it are the header block
        self.header.read(found.above)
        read = indicator_grid.read_found(self.grid, found, number, self.name, self.header.header.title)
        self.problems += read.problems
        return Table(
            kind="project",
            form="self-evaluation" if read.self_evaluation else None,
            rows=read.rows,
            location=self.grid.location.model_copy(update={"table": number}),
            **self.header.fields(),
        )


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


def read_into(grid: Grid, kind: str, tables: list[Table], problems: list[Problem], context: Context) -> None:
    """Read a grid of `kind` (from kind_of) and add its tables and problems to a file's lists: a
    department-wide table as one table (none when it cannot be read), a project grid split into its tables."""
    if kind == "department":
        table, found = read_department(grid, len(tables) + 1)
        problems.extend(found)
        if table is not None:
            tables.append(table)
        return
    for part in split(grid):
        table, found = read_grid(part, len(tables) + 1, context)
        tables.append(table)
        problems.extend(found)
