"""Reader for text dumps of PDFs holding a department-wide table (部门整体支出绩效目标表).

The layout (see the corpus README and tests/data/corpus/tianjin-ccpit-2025-department.txt):

* Text extracted from a PDF, no tabs: a page header (`整体支出绩效目标表`, `（2025年度）` and the
  column headers of the section, themselves wrapped: `对应工` / `作任务`) repeats on every page.
  Title, year and header-only lines are skipped wherever they occur.
* Column positions are lost: cells of one visual line are joined by single spaces, a long cell
  wraps over several lines, and blank lines occur between rows but also inside cells.
* Four sections, in order, each recognised by its header:

  1. the department (`部门` / `名称` then the name) and the unit (`预算资金（万元）`);
  2. the task budgets after `主要工作任务`: the `合  计` row, then one row per task — the number,
     the task name (possibly wrapped, the number alone on its line) and the amounts 总额, 基本支出,
     项目支出, 其他资金. Empty amount cells leave nothing, so a row may list fewer than four numbers
     (see readers/department/columns.py);
  3. the goals after `年度绩效目标`: the goal number alone on a line, the goal text wrapped over
     lines, then the number of the task it serves (对应工作任务) alone on a line;
  4. the indicator grid after `年度绩效指标`: `目标N` opens a goal (it is repeated after a page
     break), then 一级指标 and 二级指标 labels, each opening a merged block, and the rows.

Indicator rows: readers/department/dump_rows.py.

The task amounts. A row with four numbers is 总额, 基本支出, 项目支出, 其他资金. A row with fewer
lists 总额 and the non-empty columns in order, so the columns must be chosen (readers/department/
columns.py): first the choices
whose parts add up to the row's 总额; then, jointly over all rows, those whose column sums equal
the 合计 row's. A task whose columns are still not unique gets only the amounts all remaining
choices agree on, and an `ambiguous-task-budget` problem. Amounts that do not add up are read as
written: checking sums is the rules' business.

Locations: `table` 1; a task's, goal's and row's `line` is its 1-based source line (for a row,
the first line of its 年度指标值). `row` is the 1-based indicator row in the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from goallint.model import Document, FiscalYear, Location, Problem, Table, Task
from goallint.readers.department.columns import Choice, assign_columns, column_choices
from goallint.readers.department.common import (
    COLUMN_NAMES,
    COLUMNS,
    TITLE,
    UNIT,
    YEAR,
    amount,
    budget_of,
    join_wrapped,
    parse_amount,
    stated_year,
)
from goallint.readers.department.dump_rows import read_rows
from goallint.readers.form_knowledge import AMOUNT_NUMBER

NAME = "department-pdf"

_SMALL_INT = re.compile(r"^\d{1,3}$")
_TOTAL_ROW = re.compile(r"^合\s*计")
_HEADER_ONLY = re.compile(
    r"^(?:序号|主要工作任务|基本支出|项目支出|总额|财政资金|其他资金|预算资金[（(](?:万元|元)[）)]|预算资金"
    r"|年度绩效目标|对应工作任务|对应工|作任务|绩效目标|绩效|目标|年度绩效指标|一级指标|二级指标|三级指标"
    r"|年度指标值|指标值|部门名称|部门|名称|单位[:：]?(?:万元|元))+$"
)

# --------------------------------------------------------------------------- sniffing


def _spaced(word: str) -> re.Pattern[str]:
    """`word` with any whitespace between its characters (a PDF's text spaces and wraps a title): asks what
    `word in re.sub(r"\\s+", "", text)` asks without copying the head (every .txt file is sniffed here)."""
    return re.compile(r"\s*".join(map(re.escape, word)))


_SNIFF_TITLE = _spaced(TITLE)
_SNIFF_SECTIONS = (_spaced("主要工作任务"), _spaced("年度绩效目标"))


def sniff(path: Path, head: bytes) -> bool:
    """A department PDF dump: the title 整体支出绩效目标表 and 主要工作任务 or 年度绩效目标, no tab cells."""
    from goallint.text_encoding import decode_head

    text = decode_head(head)
    if not _SNIFF_TITLE.search(text) or not any(p.search(text) for p in _SNIFF_SECTIONS):
        return False
    lines = [line for line in text.split("\n") if line.strip()]
    tabbed = sum(1 for line in lines if re.match(r"^[ \u3000]*\t", line))
    return tabbed * 4 < len(lines)  # a Word dump (tab cells) is not this layout


# --------------------------------------------------------------------------- task rows


@dataclass
class _RawTask:
    number: int | None
    line: int
    name: list[str] = field(default_factory=list)
    amounts: list[tuple[str, Decimal]] = field(default_factory=list)


# --------------------------------------------------------------------------- the reader


@dataclass
class _Line:
    number: int  # 1-based source line
    text: str


class DumpReader:
    """One dump being read: its lines, and the problems found (read by dump_rows.read_rows too)."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.file = str(path)
        self.problems: list[Problem] = []
        self.truncated = False
        raw = text.split("\n")
        self.lines = [_Line(i + 1, line.rstrip("\r").strip().replace("\u3000", " ")) for i, line in enumerate(raw)]
        self.fiscal_year: FiscalYear | None = None
        self.unit: str | None = None

    # ------------------------------------------------------------------ helpers

    def loc(self, line: int | None = None, **kw) -> Location:
        return Location(file=self.file, table=1, line=line, **kw)

    def problem(self, code: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(code=code, message=message, location=self.loc(line)))

    def content(self, start: int, end: int) -> list[_Line]:
        """Lines [start, end) without blank, title, year and header-only lines."""
        out = []
        for ln in self.lines[start:end]:
            compact = re.sub(r"\s+", "", ln.text)
            if not compact or compact in (TITLE, "部门" + TITLE) or _HEADER_ONLY.match(compact):
                continue
            if YEAR.fullmatch(compact):
                continue
            out.append(ln)
        return out

    def find(self, predicate, start: int = 0) -> int | None:
        for i in range(start, len(self.lines)):
            if predicate(re.sub(r"\s+", "", self.lines[i].text)):
                return i
        return None

    # ------------------------------------------------------------------ the document

    def read(self) -> Document:
        title_at = self.find(lambda t: TITLE in t)
        table_line = self.lines[title_at].number if title_at is not None else 1
        for ln in self.lines:
            if self.fiscal_year is None and (fy := stated_year(ln.text)) and re.sub(r"\s+", "", ln.text) == fy.evidence:
                self.fiscal_year = fy
            if self.unit is None and (m := UNIT.search(re.sub(r"\s+", "", ln.text))):
                self.unit = m.group(1)

        tasks_at = self.find(lambda t: "主要工作任务" in t)
        goals_at = self.find(lambda t: "年度绩效目标" in t, tasks_at or 0)
        grid_at = self.find(
            lambda t: "年度绩效指标" in t or "一级指标" in t or bool(re.match(r"^目标\d", t)),
            (goals_at or tasks_at or 0),
        )
        end = len(self.lines)
        first_section = min(i for i in (tasks_at, goals_at, grid_at, end) if i is not None)

        table = Table(kind="department", title=TITLE, unit=self.unit, location=self.loc(table_line))
        table.department_name = self.department(first_section)

        if tasks_at is None:
            self.problem("missing-section", "未找到部门预算资金表（主要工作任务）")
            self.truncated = True
        else:
            stop = goals_at if goals_at is not None else (grid_at if grid_at is not None else end)
            self.tasks(table, tasks_at + 1, stop)
            if goals_at is None and grid_at is None:
                self.truncated = True
        if goals_at is None:
            self.problem("missing-section", "未找到年度绩效目标部分")
            self.truncated = True
        else:
            self.goals(table, goals_at + 1, grid_at if grid_at is not None else end, ends_file=grid_at is None)
        if grid_at is None:
            self.problem("missing-section", "未找到年度绩效指标部分")
            self.truncated = True
        else:
            self.grid(table, grid_at, end)

        table.fiscal_year = self.fiscal_year
        table.truncated = self.truncated
        if self.truncated and not any(p.code == "truncated-table" for p in self.problems):
            self.problems.append(
                Problem(
                    code="truncated-table",
                    message="部门整体支出绩效目标表不完整（文件在表格中间结束），只读取了已有的内容",
                    location=self.loc(self.lines[-1].number if self.lines else None),
                )
            )
        return Document(
            path=self.file, format=NAME, tables=[table], problems=self.problems, fiscal_year=self.fiscal_year
        )

    def department(self, stop: int) -> str | None:
        parts = []
        for ln in self.content(0, stop):
            text = ln.text
            m = re.match(r"^部门\s*名称\s*[：:]?\s*(.*)$", text)
            if m:
                text = m.group(1)
            if UNIT.search(re.sub(r"\s+", "", text)) or not text:
                continue
            parts.append(text)
        return join_wrapped(parts) or None

    # ------------------------------------------------------------------ tasks

    def tasks(self, table: Table, start: int, stop: int) -> None:
        raws: list[_RawTask] = []
        total: _RawTask | None = None
        current: _RawTask | None = None
        for ln in self.content(start, stop):
            text = ln.text
            if _TOTAL_ROW.match(text):
                current = total = _RawTask(None, ln.number, ["合计"])
                text = _TOTAL_ROW.sub("", text)
            else:
                tokens = text.split()
                expected = len(raws) + 1
                numeric = all(AMOUNT_NUMBER.match(t) for t in tokens)
                if _SMALL_INT.match(tokens[0]) and int(tokens[0]) == expected and not (numeric and len(tokens) > 1):
                    current = _RawTask(expected, ln.number)
                    raws.append(current)
                    text = text[len(tokens[0]) :]
            if current is None:
                self.problem("unparsed-line", f"无法识别的内容：{ln.text}", ln.number)
                continue
            tokens = text.split()
            n = len(tokens)
            while n and AMOUNT_NUMBER.match(tokens[n - 1]):
                n -= 1
            if n and current.amounts:
                self.problem("unparsed-line", f"金额之后出现文字：{ln.text}", ln.number)
            current.name.extend([" ".join(tokens[:n])] if n else [])
            current.amounts.extend((t, parse_amount(t)) for t in tokens[n:])  # type: ignore[misc]

        unit = self.unit
        # the 合计 row: four numbers are the four columns; fewer are placed by its own arithmetic
        sums: dict[str, Decimal] | None = None
        if total is not None:
            total_task, total_choice = self._task(total, [column_choices(*self._split(total))], unit)
            table.tasks_total = total_task
            if total_choice is not None:
                sums = {c: Decimal(0) for c in COLUMNS}
                parts = self._split(total)[1]
                for col, part in zip(total_choice, parts, strict=False):
                    sums[col] = part
        else:
            self.problem("missing-total", "未找到“合计”行", self.lines[start - 1].number if start else None)
        choices = assign_columns([self._split(r) for r in raws], sums)
        for raw, options in zip(raws, choices, strict=False):
            task, _ = self._task(raw, [options], unit)
            table.tasks.append(task)
        table.budget = budget_of(table.tasks_total)
        if not raws:
            self.problem("missing-tasks", "未找到主要工作任务", self.lines[start - 1].number if start else None)

    @staticmethod
    def _split(raw: _RawTask) -> tuple[Decimal | None, list[Decimal]]:
        values = [v for _, v in raw.amounts]
        return (values[0] if values else None), values[1:]

    def _task(self, raw: _RawTask, options_box: list[list[Choice]], unit: str | None) -> tuple[Task, Choice | None]:
        options = options_box[0]
        total_value, parts = self._split(raw)
        label = "合计行" if raw.number is None else f"工作任务{raw.number}"
        if len(parts) > 3:
            self.problem("unparsed-line", f"{label}的金额多于四个：{' '.join(t for t, _ in raw.amounts)}", raw.line)
            parts = parts[:3]
        values: dict[str, Decimal | None] = dict.fromkeys(COLUMNS)
        chosen: Choice | None = None
        if len(options) == 1:
            chosen = options[0]
            for col, part in zip(chosen, parts, strict=False):
                values[col] = part
        else:
            per_option = []
            for option in options:
                v = dict.fromkeys(COLUMNS)
                for col, part in zip(option, parts, strict=False):
                    v[col] = part
                per_option.append(v)
            for col in COLUMNS:
                seen = {v[col] for v in per_option}
                values[col] = seen.pop() if len(seen) == 1 else None
            described = "；".join(
                "、".join(f"{COLUMN_NAMES[c]} {p}" for c, p in zip(option, parts, strict=False)) for option in options
            )
            self.problem(
                "ambiguous-task-budget",
                f"{label}只列出 {' '.join(t for t, _ in raw.amounts)}，无法确定各金额所属的列（可能：{described}）",
                raw.line,
            )
        name = join_wrapped(raw.name) if raw.number is not None else "合计"
        task = Task(
            number=raw.number,
            name=name,
            total=amount(total_value, unit),
            basic=amount(values["basic"], unit),
            project=amount(values["project"], unit),
            other=amount(values["other"], unit),
            location=self.loc(raw.line, column="主要工作任务"),
        )
        return task, chosen

    # ------------------------------------------------------------------ goals

    def goals(self, table: Table, start: int, stop: int, *, ends_file: bool) -> None:
        lines = self.content(start, stop)
        goals: list[dict] = []
        state = "expect-goal"
        for idx, ln in enumerate(lines):
            text = ln.text
            m = re.match(r"^(\d{1,3})(?:\s+(.*))?$", text)
            if m and state == "expect-goal" and int(m.group(1)) == len(goals) + 1:
                goals.append({"number": len(goals) + 1, "text": [], "task": None, "line": ln.number})
                state = "text"
                if m.group(2):
                    self._goal_text(goals[-1], m.group(2), lines, idx)
                    if goals[-1]["task"] is not None:
                        state = "expect-goal"
                continue
            if state == "text" and _SMALL_INT.match(text) and goals[-1]["text"]:
                goals[-1]["task"] = int(text)
                state = "expect-goal"
                continue
            if goals and state == "text":
                self._goal_text(goals[-1], text, lines, idx)
                if goals[-1]["task"] is not None:
                    state = "expect-goal"
                continue
            if goals and not _SMALL_INT.match(text):  # text after the task number: the goal continues
                goals[-1]["text"].append(text)
                continue
            self.problem("unparsed-line", f"无法识别的内容：{text}", ln.number)
        for goal in goals:
            table.goals.append(join_wrapped(goal["text"]))
            table.goal_tasks.append(goal["task"])
            table.goal_locations.append(self.loc(goal["line"], column="年度绩效目标"))
        if goals and goals[-1]["task"] is None:
            if ends_file:
                self.truncated = True
            else:
                self.problem("missing-task", f"绩效目标{goals[-1]['number']}没有对应工作任务", goals[-1]["line"])
        for goal in goals[:-1]:
            if goal["task"] is None:
                self.problem("missing-task", f"绩效目标{goal['number']}没有对应工作任务", goal["line"])
        if not goals:
            self.problem("missing-goals", "未找到年度绩效目标", self.lines[start - 1].number if start else None)

    @staticmethod
    def _goal_text(goal: dict, text: str, lines: list[_Line], idx: int) -> None:
        """A goal text line; a trailing number is the task number when the goal ends on this line."""
        m = re.match(r"^(.*\S)\s+(\d{1,3})$", text)
        if m:
            following = lines[idx + 1].text if idx + 1 < len(lines) else None
            if following is None or re.match(rf"^{goal['number'] + 1}(?:\s|$)", following):
                goal["text"].append(m.group(1))
                goal["task"] = int(m.group(2))
                return
        goal["text"].append(text)

    # ------------------------------------------------------------------ the indicator grid

    # ------------------------------------------------------------------ the indicator grid

    def grid(self, table: Table, start: int, stop: int) -> None:
        read_rows(self, table, start, stop)


def read(path: Path) -> Document:
    path = Path(path)
    data = path.read_bytes()
    from goallint.text_encoding import decode

    decoded = decode(str(path), data)
    document = read_text(path, decoded.text)
    document.encoding = decoded.label
    return document


def read_text(path: Path, text: str) -> Document:
    """The department-wide table in `text` (the page text of a PDF without ruled tables, readers/pdf.py)."""
    return DumpReader(path, text).read()
