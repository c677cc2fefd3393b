"""The form layout of a department-wide table (部门整体支出绩效目标表) in Word and Excel.

`read_grid(grid) -> Table` interprets the Grid (readers/grid.py) that readers/docx.py,
readers/xlsx.py and readers/pdf.py extract from a Word table or a sheet. The form, columns found by their labels:

    整体支出绩效目标表 （2025年度）                          ← before the table or in its first rows
    部门名称 | 中国国际贸易促进委员会天津市分会
    序号 | 主要工作任务 | 预算资金（万元）                   ← a header block of up to three rows:
         |              | 总额 | 财政资金          | 其他资金    总额, 基本支出, 项目支出, 其他资金
         |              |      | 基本支出 | 项目支出 |           give the amount columns
    合计      | 5230.60 | 1854.80 | 1306.00 | 2069.80
    1 | 开展网络安全和信息化工作。 | 409.60 | 396.60 | 13.00 |   ← empty cells stay empty: no guessing
    序号 | 年度绩效目标 | 对应工作任务
    1 | 开展信息化建设，…… | 1
    绩效目标 | 年度绩效指标
             | 一级指标 | 二级指标 | 三级指标 | 年度指标值
    目标1    | 产出指标 | 数量指标 | 硬件采购（维护）数量 | ≥17台     ← 目标N, 一级/二级指标 merged
                                                                      vertically (filled down)

The unit comes from `预算资金（万元）` (or `单位：万元`), the stated fiscal year from `（2025年度）`
in the title. A cell's paragraphs are joined as wrapped lines (see form_knowledge.join_wrapped),
so the same table read from the PDF dump, Word and Excel gives the same texts.

`read_grid_problems(grid)` returns the Table and the problems found (unreadable amounts, missing
sections); `read_grid` returns the Table only.

Locations: the table's is the grid's; a task's, goal's and row's is the location of its first cell
(序号 / 目标N) or, for an indicator row, of its 年度指标值 cell, with `row` the 1-based indicator row
and `column` the label.
"""

from __future__ import annotations

import re

from goallint.model import IndicatorRow, Location, Problem, Table, Task
from goallint.readers.department.common import (
    TITLE,
    UNIT,
    amount,
    budget_of,
    join_wrapped,
    parse_amount,
    stated_year,
)
from goallint.readers.grid import Cell, Grid

_WS = re.compile(r"\s+")
_INT = re.compile(r"^\d{1,3}$")
_GOAL = re.compile(r"^(?:目标)?(\d{1,3})$")
_UNIT_LINE = re.compile(r"单位[：:]?(万元|元)")

AMOUNT_LABELS = {
    "总额": "total",
    "预算总额": "total",
    "合计金额": "total",
    "基本支出": "basic",
    "项目支出": "project",
    "其他资金": "other",
}
GRID_LABELS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
    "年度指标值": "value",
    "指标值": "value",
    "绩效目标": "goal",
}


def norm(text: str) -> str:
    return _WS.sub("", text or "").replace("(", "（").replace(")", "）")


def flat(text: str) -> str:
    return join_wrapped((text or "").split("\n"))


class _Interpreter:
    def __init__(self, grid: Grid):
        self.grid = grid
        self.problems: list[Problem] = []
        self.file = grid.location.file

    # ------------------------------------------------------------------ cells

    def text(self, cell: Cell) -> str:
        if not cell.text and cell.merged_from is not None:
            r, c = cell.merged_from
            origin = self.at(r, c)
            if origin is not None and origin is not cell:
                return origin.text
        return cell.text

    def at(self, r: int, c: int) -> Cell | None:
        if not 0 <= r < len(self.grid.rows):
            return None
        for cell in self.grid.rows[r]:
            if cell.col == c:
                return cell
        return None

    def logical(self, r: int) -> list[Cell]:
        """A row's cells with horizontal merges counted once (also those merged from above)."""
        out: list[Cell] = []
        for cell in self.grid.rows[r]:
            if out and cell.merged_from is not None and out[-1].merged_from == cell.merged_from:
                continue
            if cell.merged_from is not None and cell.merged_from[0] == cell.row and cell.merged_from[1] != cell.col:
                continue
            out.append(cell)
        return out

    def norms(self, r: int) -> list[str]:
        return [norm(self.text(c)) for c in self.logical(r)]

    def find_row(self, predicate, start: int = 0) -> int | None:
        for r in range(start, len(self.grid.rows)):
            if predicate(self.norms(r)):
                return r
        return None

    def loc(self, cell: Cell | None, **update) -> Location:
        base = cell.location if cell is not None else self.grid.location
        update.setdefault("table", base.table if base.table is not None else self.grid.location.table)
        return base.model_copy(update=update)

    def problem(self, code: str, message: str, cell: Cell | None) -> None:
        self.problems.append(Problem(code=code, message=message, location=self.loc(cell)))

    # ------------------------------------------------------------------ the table

    def read(self) -> Table:
        texts = list(self.grid.before)
        for r in range(min(len(self.grid.rows), 60)):
            texts.extend(self.text(c) for c in self.logical(r))
        title = None
        fiscal_year = None
        unit = None
        for text in texts:
            n = norm(text)
            if title is None and TITLE in n:
                title = TITLE
            if fiscal_year is None and (fy := stated_year(n)) and (TITLE in n or n == fy.evidence or len(n) <= 12):
                fiscal_year = fy
            if unit is None and ((m := UNIT.search(n)) or (m := _UNIT_LINE.search(n))):
                unit = m.group(1)
        if unit is None:
            self.problem("missing-unit", "未找到预算资金的单位（预算资金（万元））；按万元读取", None)
        table = Table(
            kind="department",
            title=title or TITLE,
            unit=unit,
            fiscal_year=fiscal_year,
            location=self.loc(None),
        )
        table.department_name = self.department()

        tasks_at = self.find_row(lambda ns: "主要工作任务" in ns)
        goals_at = self.find_row(lambda ns: "年度绩效目标" in ns or "对应工作任务" in ns)
        grid_at = self.find_row(lambda ns: "一级指标" in ns and ("三级指标" in ns or "二级指标" in ns))
        end = len(self.grid.rows)
        if tasks_at is None:
            self.problem("missing-section", "未找到部门预算资金表（主要工作任务）", None)
        else:
            self.tasks(table, tasks_at, min(x for x in (goals_at, grid_at, end) if x is not None and x > tasks_at))
        if goals_at is None:
            self.problem("missing-section", "未找到年度绩效目标部分", None)
        else:
            self.goals(table, goals_at, min(x for x in (grid_at, end) if x is not None and x > goals_at))
        if grid_at is None:
            self.problem("missing-section", "未找到年度绩效指标部分（一级指标/二级指标/三级指标）", None)
        else:
            self.rows(table, grid_at, end)
        return table

    def department(self) -> str | None:
        for r in range(len(self.grid.rows)):
            cells = self.logical(r)
            for i, cell in enumerate(cells):
                n = norm(self.text(cell))
                if n.startswith("部门名称"):
                    rest = re.sub(r"^部门名称[：:]?", "", n)
                    if rest:
                        return flat(re.sub(r"^\s*部门\s*名称\s*[：:]?", "", self.text(cell)))
                    for other in cells[i + 1 :]:
                        if self.text(other).strip():
                            return flat(self.text(other))
        for text in self.grid.before:  # `573301中国国际贸易促进委员会天津市分会` above the table
            m = re.match(
                r"^\s*(?:部门(?:名称)?[：:])?\s*\d{0,6}\s*(\S*(?:委员会|局|办公室|厅|院|会|中心|部)\S*)\s*$", text
            )
            if m and TITLE not in m.group(1):
                return m.group(1)
        return None

    # ------------------------------------------------------------------ tasks

    def tasks(self, table: Table, header: int, stop: int) -> None:
        columns: dict[str, int] = {}
        name_col = number_col = None
        for r in range(max(0, header - 1), min(stop, header + 3)):
            for cell in self.grid.rows[r]:
                n = norm(self.text(cell))
                first = cell.merged_from is None or cell.merged_from[1] == cell.col
                if n in AMOUNT_LABELS and AMOUNT_LABELS[n] not in columns and first:
                    columns[AMOUNT_LABELS[n]] = cell.col
                if n == "主要工作任务" and name_col is None:
                    name_col = cell.col
                if n == "序号" and number_col is None:
                    number_col = cell.col
        missing = [
            label
            for label, key in (("总额", "total"), ("基本支出", "basic"), ("项目支出", "project"), ("其他资金", "other"))
            if key not in columns
        ]
        if missing:
            self.problem("missing-column", "预算资金表缺少列：" + "、".join(missing), self.at(header, 0))
        unit = table.unit
        for r in range(header + 1, stop):
            cells = self.logical(r)
            if not cells:
                continue
            ns = self.norms(r)
            if any(n in AMOUNT_LABELS or n in ("财政资金", "预算资金（万元）", "预算资金（元）") for n in ns):
                continue  # the rest of the header block
            first = norm(self.text(cells[0]))
            if not any(ns):
                continue
            if first in ("合计", "总计"):
                number = None
            elif _INT.match(first):
                number = int(first)
            else:
                self.problem("unparsed-row", f"无法识别的预算资金表行：{' '.join(n for n in ns if n)}", cells[0])
                continue
            values = {}
            for key, col in columns.items():
                cell = self.at(r, col)
                raw = norm(self.text(cell)) if cell is not None else ""
                if cell is not None and cell.merged_from is not None and cell.merged_from[1] != col:
                    raw = ""  # covered by the label of a 合计 row, not an amount
                value = parse_amount(raw)
                if raw and value is None:
                    self.problem("unreadable-amount", f"金额“{raw}”不是数字", cell)
                values[key] = value
            name_cell = self.at(r, name_col) if name_col is not None else None
            name = "合计" if number is None else flat(self.text(name_cell)) if name_cell is not None else ""
            task = Task(
                number=number,
                name=name,
                total=amount(values.get("total"), unit),
                basic=amount(values.get("basic"), unit),
                project=amount(values.get("project"), unit),
                other=amount(values.get("other"), unit),
                location=self.loc(cells[0], column="主要工作任务"),
            )
            if number is None:
                table.tasks_total = task
            else:
                table.tasks.append(task)
        table.budget = budget_of(table.tasks_total)

    # ------------------------------------------------------------------ goals

    def goals(self, table: Table, header: int, stop: int) -> None:
        text_col = task_col = None
        for cell in self.logical(header):
            n = norm(self.text(cell))
            if n == "年度绩效目标":
                text_col = cell.col
            if n == "对应工作任务":
                task_col = cell.col
        for r in range(header + 1, stop):
            cells = self.logical(r)
            if not cells or not any(self.norms(r)):
                continue
            first = norm(self.text(cells[0]))
            if first in ("序号", "年度绩效目标") or not _INT.match(first):
                if first not in ("序号",) and not (first == "绩效目标" or "年度绩效指标" in self.norms(r)):
                    self.problem("unparsed-row", f"无法识别的年度绩效目标行：{first}", cells[0])
                continue
            text_cell = self.at(r, text_col) if text_col is not None else (cells[1] if len(cells) > 1 else None)
            task_cell = self.at(r, task_col) if task_col is not None else (cells[-1] if len(cells) > 2 else None)
            task_text = norm(self.text(task_cell)) if task_cell is not None else ""
            task = int(task_text) if _INT.match(task_text) else None
            if task_text and task is None:
                self.problem("unreadable-task", f"对应工作任务“{task_text}”不是任务序号", task_cell)
            table.goals.append(flat(self.text(text_cell)) if text_cell is not None else "")
            table.goal_tasks.append(task)
            table.goal_locations.append(self.loc(cells[0], column="年度绩效目标"))

    # ------------------------------------------------------------------ indicator rows

    def rows(self, table: Table, header: int, stop: int) -> None:
        columns: dict[str, int] = {}
        for r in (header - 1, header):
            if r < 0:
                continue
            for cell in self.logical(r):
                key = GRID_LABELS.get(norm(self.text(cell)))
                if key and key not in columns:
                    columns[key] = cell.col
        if "goal" not in columns:
            columns["goal"] = min((c.col for c in self.grid.rows[header]), default=0)
        goal = None
        level1 = level2 = ""
        for r in range(header + 1, stop):
            ns = self.norms(r)
            if not any(ns) or ("一级指标" in ns and "三级指标" in ns) or "年度绩效指标" in ns:
                continue

            def get(key: str, r: int = r) -> tuple[str, Cell | None]:
                col = columns.get(key)
                cell = self.at(r, col) if col is not None else None
                return (flat(self.text(cell)) if cell is not None else ""), cell

            goal_text, goal_cell = get("goal")
            m = _GOAL.match(norm(goal_text))
            if m and int(m.group(1)) != goal:
                goal = int(m.group(1))
                level1 = level2 = ""
            elif goal_text and not m:
                self.problem("unreadable-goal", f"绩效目标“{goal_text}”不是“目标N”", goal_cell)
            l1, _ = get("level1")
            l2, _ = get("level2")
            l3, _ = get("level3")
            value, value_cell = get("value")
            if l1 and l1 != level1:
                level1, level2 = l1, ""
            if l2:
                level2 = l2
            if not l3 and not value:
                continue
            table.rows.append(
                IndicatorRow(
                    goal=goal,
                    level1=level1,
                    level2=level2,
                    level3=l3,
                    value=value,
                    location=self.loc(value_cell, row=len(table.rows) + 1, column="年度指标值"),
                )
            )


def read_grid_problems(grid: Grid) -> tuple[Table, list[Problem]]:
    interpreter = _Interpreter(grid)
    table = interpreter.read()
    return table, interpreter.problems


def read_grid(grid: Grid) -> Table:
    """The department-wide table in `grid` (see the module docstring)."""
    return read_grid_problems(grid)[0]
