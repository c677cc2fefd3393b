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
     (see `assign_columns`);
  3. the goals after `年度绩效目标`: the goal number alone on a line, the goal text wrapped over
     lines, then the number of the task it serves (对应工作任务) alone on a line;
  4. the indicator grid after `年度绩效指标`: `目标N` opens a goal (it is repeated after a page
     break), then 一级指标 and 二级指标 labels, each opening a merged block, and the rows.

Indicator rows. A line may start with labels (`目标5`, a 一级指标 name, a 二级指标 name); the rest
is 三级指标 and/or 年度指标值. A measurable value (`≥17台`, `≤409.6万元`, `2025年底前`,
`12个月内完成`, `≥ 95%`) is the last whitespace-separated token(s) of a line; the lines before it
since the last row are the wrapped 三级指标. A descriptive value (效益指标 rows:
`提升办公效率和社会影响力`) has no such mark, and 三级指标 and value are both wrapped text in
sequence. They are told apart by line width: the 三级指标 column is narrower than the value
column, and a cell's line is continued on the next line only when it is (nearly) full. The two
widths are measured in the file: the value column's as the widest text line, the 三级指标
column's as the widest line of a wrapped 三级指标 of a measurable row (fallback: two thirds).

The task amounts. A row with four numbers is 总额, 基本支出, 项目支出, 其他资金. A row with fewer
lists 总额 and the non-empty columns in order, so the columns must be chosen: first the choices
whose parts add up to the row's 总额; then, jointly over all rows, those whose column sums equal
the 合计 row's. A task whose columns are still not unique gets only the amounts all remaining
choices agree on, and an `ambiguous-task-budget` problem. Amounts that do not add up are read as
written: checking sums is the rules' business.

Locations: `table` 1; a task's, goal's and row's `line` is its 1-based source line (for a row,
the first line of its 年度指标值). `row` is the 1-based indicator row in the table.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from goallint.errors import InputError
from goallint.model import Budget, Document, FiscalYear, IndicatorRow, Location, Problem, Table, Task
from goallint.readers.form_knowledge import AMOUNT_NUMBER, category_levels, join_wrapped
from goallint.readers.form_knowledge import amount_number as parse_amount
from goallint.units import TABLE_UNITS, quantity

NAME = "department-pdf"
TITLE = "整体支出绩效目标表"

# --------------------------------------------------------------------------- vocabulary (shared with department_form)

LEVEL1 = category_levels().level1
LEVEL2 = category_levels().level2_spellings
# 成本指标 is a 一级指标 only when a cost 二级指标 follows it; otherwise a 二级指标 under 产出指标.
COST_LEVEL2 = category_levels().cost_level2

_YEAR = re.compile(r"[（(]\s*(\d{4})\s*年度?\s*[）)]")
_UNIT = re.compile(r"预算资金\s*[（(]\s*(万元|元)\s*[）)]")
_AMOUNT = AMOUNT_NUMBER
_SMALL_INT = re.compile(r"^\d{1,3}$")
_TOTAL_ROW = re.compile(r"^合\s*计")
_HEADER_ONLY = re.compile(
    r"^(?:序号|主要工作任务|基本支出|项目支出|总额|财政资金|其他资金|预算资金[（(](?:万元|元)[）)]|预算资金"
    r"|年度绩效目标|对应工作任务|对应工|作任务|绩效目标|绩效|目标|年度绩效指标|一级指标|二级指标|三级指标"
    r"|年度指标值|指标值|部门名称|部门|名称|单位[:：]?(?:万元|元))+$"
)
_COMPARATOR_ONLY = re.compile(
    r"^(?:[≥≤＞＜＝=<>≧≦]|不少于|不低于|不高于|不超过|不大于|不小于|大于|小于|低于|高于|达到|约)$"
)
_VALUE = re.compile(
    r"^(?:[≥≤＞＜＝=<>≧≦]|不少于|不低于|不高于|不超过|不大于|不小于|大于|小于|低于|高于|达到|约)?\s*"
    r"\d[\d.,]*(?P<rest>.*)$"
)
_YEAR_TOKEN = re.compile(r"^\d{4}年$")
_CLAUSE_PUNCT = re.compile(r"[，。；、：！？]")

COLUMNS = ("basic", "project", "other")
COLUMN_NAMES = {"basic": "基本支出", "project": "项目支出", "other": "其他资金"}


def width(text: str) -> float:
    """Display width in full-width characters: CJK (and ambiguous) 1, ASCII ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def amount(value: Decimal | None, unit: str | None):
    if value is None:
        return None
    return quantity(float(value), TABLE_UNITS.get(unit or "万元", "wan_yuan"))


def budget_of(total: Task | None) -> Budget:
    """Table.budget from the 合计 row: total = 总额, fiscal = 基本支出 + 项目支出, other = 其他资金."""
    if total is None:
        return Budget()
    parts = [q for q in (total.basic, total.project) if q is not None]
    fiscal = None
    if parts:
        fiscal = parts[0]
        for q in parts[1:]:
            fiscal = fiscal + q
    return Budget(total=total.total, fiscal=fiscal, other=total.other)


def stated_year(text: str) -> FiscalYear | None:
    m = _YEAR.search(text)
    return FiscalYear(year=int(m.group(1)), source="stated", evidence=m.group(0)) if m else None


def is_value(text: str) -> bool:
    """A measurable 指标值: a number after an optional comparator, with a short unit or tail."""
    m = _VALUE.match(text.strip())
    if not m:
        return False
    rest = m.group("rest")
    return len(rest.replace(" ", "")) <= 10 and not _CLAUSE_PUNCT.search(rest)


def split_value(text: str) -> tuple[str, str] | None:
    """Split `三级指标 指标值` at the value: the last token(s) of the line when they are a value.

    Returns (三级指标 part, value) or None when the line holds no measurable value. A bare comparator
    (`≥ 95%`), a year (`2025年 12月底前`) or a bare unit (`95 %`) next to the value is part of it.
    """
    tokens = text.split()
    if not tokens:
        return None
    i = len(tokens) - 1
    if not is_value(tokens[i]):
        # `95 %`: a number then a short unit token
        if i >= 1 and is_value(tokens[i - 1]) and not any(c.isdigit() for c in tokens[i]) and len(tokens[i]) <= 3:
            i -= 1
        else:
            return None
    while i >= 1 and (_COMPARATOR_ONLY.match(tokens[i - 1]) or _YEAR_TOKEN.match(tokens[i - 1])):
        i -= 1
    # keep the value's own spacing as written
    value_start = _token_offset(text, i)
    return text[:value_start].strip(), text[value_start:].strip()


def _token_offset(text: str, index: int) -> int:
    for n, m in enumerate(re.finditer(r"\S+", text)):
        if n == index:
            return m.start()
    return len(text)


def _last_token_gap_split(text: str) -> tuple[str, str] | None:
    """`三级指标 descriptive-value` on one line: split at the last space between two CJK characters."""
    m = re.match(r"^(.*\S)\s+(\S+)$", text)
    if not m:
        return None
    left, right = m.group(1), m.group(2)
    if width(left[-1]) == 1.0 and width(right[0]) == 1.0 and not _CLAUSE_PUNCT.match(right[0]):
        return left, right
    return None


# --------------------------------------------------------------------------- sniffing


def _decode_head(head: bytes) -> str:
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            return head[: exc.start].decode("utf-8", errors="ignore")
        return head.decode("gb18030", errors="ignore")


def sniff(path: Path, head: bytes) -> bool:
    """A department PDF dump: the title 整体支出绩效目标表 and 主要工作任务 or 年度绩效目标, no tab cells."""
    text = _decode_head(head).lstrip("\ufeff")
    compact = re.sub(r"\s+", "", text)
    if TITLE not in compact or not ("主要工作任务" in compact or "年度绩效目标" in compact):
        return False
    lines = [line for line in text.split("\n") if line.strip()]
    tabbed = sum(1 for line in lines if re.match(r"^[ \u3000]*\t", line))
    return tabbed * 4 < len(lines)  # a Word dump (tab cells) is not this layout


# --------------------------------------------------------------------------- task columns


@dataclass
class _RawTask:
    number: int | None
    line: int
    name: list[str] = field(default_factory=list)
    amounts: list[tuple[str, Decimal]] = field(default_factory=list)


Choice = tuple[str, ...]  # the columns of the parts after 总额, in order


def column_choices(total: Decimal | None, parts: list[Decimal]) -> list[Choice]:
    """The ways to place `parts` in 基本支出/项目支出/其他资金, keeping their order.

    Those whose parts add up to `total` when there are any; otherwise all of them.
    """
    k = len(parts)
    if k >= 3:
        return [COLUMNS]
    choices = [tuple(COLUMNS[i] for i in combo) for combo in itertools.combinations(range(3), k)]
    if total is not None and k:
        adding = [c for c in choices if sum(parts) == total]
        if adding:
            return adding
    return choices


def assign_columns(
    rows: list[tuple[Decimal | None, list[Decimal]]], sums: dict[str, Decimal] | None, *, max_states: int = 200_000
) -> list[list[Choice]]:
    """For each row (总额, parts) the column choices still possible.

    Each row keeps the choices that add up to its 总额 (if any do); then, when the 合计 row gives the
    column sums, only the choices that are part of a joint assignment whose column sums equal them.
    If no joint assignment matches (the numbers do not add up), the per-row choices stay.
    """
    options = [column_choices(total, parts) for total, parts in rows]
    if sums is None or any(sums.get(c) is None for c in COLUMNS):
        return options
    target = tuple(sums[c] for c in COLUMNS)

    def vec(choice: Choice, parts: list[Decimal]) -> tuple[Decimal, ...]:
        v = dict.fromkeys(COLUMNS, Decimal(0))
        for col, part in zip(choice, parts):
            v[col] += part
        return tuple(v[c] for c in COLUMNS)

    vectors = [[vec(c, parts[:3]) for c in opts] for opts, (_, parts) in zip(options, rows)]
    layers: list[set[tuple[Decimal, ...]]] = [{(Decimal(0),) * 3}]
    for vecs in vectors:
        nxt = {tuple(a + b for a, b in zip(s, v)) for s in layers[-1] for v in vecs}
        if len(nxt) > max_states:
            return options
        layers.append(nxt)
    if target not in layers[-1]:
        return options
    good: set[tuple[Decimal, ...]] = {target}
    kept: list[list[Choice]] = [[] for _ in rows]
    for i in range(len(rows) - 1, -1, -1):
        prev_good = set()
        for s in layers[i]:
            for choice, v in zip(options[i], vectors[i]):
                if tuple(a + b for a, b in zip(s, v)) in good:
                    prev_good.add(s)
                    if choice not in kept[i]:
                        kept[i].append(choice)
        good = prev_good
    return [[c for c in options[i] if c in kept[i]] for i in range(len(rows))]


# --------------------------------------------------------------------------- the reader


@dataclass
class _Line:
    number: int  # 1-based source line
    text: str


@dataclass
class _Piece:
    line: int
    text: str
    width: float
    new_cell: bool  # starts a cell (after labels on the same line)


class _Reader:
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
            if _YEAR.fullmatch(compact):
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
            if self.unit is None and (m := _UNIT.search(re.sub(r"\s+", "", ln.text))):
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
            if _UNIT.search(re.sub(r"\s+", "", text)) or not text:
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
                numeric = all(_AMOUNT.match(t) for t in tokens)
                if _SMALL_INT.match(tokens[0]) and int(tokens[0]) == expected and not (numeric and len(tokens) > 1):
                    current = _RawTask(expected, ln.number)
                    raws.append(current)
                    text = text[len(tokens[0]) :]
            if current is None:
                self.problem("unparsed-line", f"无法识别的内容：{ln.text}", ln.number)
                continue
            tokens = text.split()
            n = len(tokens)
            while n and _AMOUNT.match(tokens[n - 1]):
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
                for col, part in zip(total_choice, parts):
                    sums[col] = part
        else:
            self.problem("missing-total", "未找到“合计”行", self.lines[start - 1].number if start else None)
        choices = assign_columns([self._split(r) for r in raws], sums)
        for raw, options in zip(raws, choices):
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
            for col, part in zip(chosen, parts):
                values[col] = part
        else:
            per_option = []
            for option in options:
                v = dict.fromkeys(COLUMNS)
                for col, part in zip(option, parts):
                    v[col] = part
                per_option.append(v)
            for col in COLUMNS:
                seen = {v[col] for v in per_option}
                values[col] = seen.pop() if len(seen) == 1 else None
            described = "；".join(
                "、".join(f"{COLUMN_NAMES[c]} {p}" for c, p in zip(option, parts)) for option in options
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

    def grid(self, table: Table, start: int, stop: int) -> None:
        lines = self.content(start, stop)
        # pass 1: labels, pieces, values per line
        events: list[tuple] = []
        for ln in lines:
            rest = ln.text
            labels: dict[str, object] = {}
            m = re.match(r"^(目标\s*(\d{1,3}))(?:\s+|$)", rest)
            if m:
                labels["goal"] = int(m.group(2))
                rest = rest[m.end() :]
            m = re.match(r"^(\S+)(?:\s+|$)", rest)
            if m and m.group(1) in LEVEL1:
                after = rest[m.end() :].split()
                if m.group(1) != "成本指标" or (after and after[0] in COST_LEVEL2):
                    labels["level1"] = m.group(1)
                    rest = rest[m.end() :]
            m = re.match(r"^(\S+)(?:\s+|$)", rest)
            if m and m.group(1) in LEVEL2:
                labels["level2"] = m.group(1)
                rest = rest[m.end() :]
            rest = rest.strip()
            split = (split_value(rest) or _last_token_gap_split(rest)) if rest else None
            events.append((ln, labels, rest, split))

        # the two column widths
        text_widths = [width(rest) for _, labels, rest, split in events if rest and not split and not labels]
        value_width = max(text_widths, default=0.0)
        # the 三级指标 column: the full lines of wrapped 三级指标 cells of measurable rows (a run of
        # narrow text lines ended by a value alone on its line)
        wrapped_l3: list[float] = []
        run: list[float] = []
        for _, labels, rest, split in events:
            if labels or split:
                if split and split[0] == "" and len(run) > 1 and all(w <= value_width * 0.8 for w in run):
                    wrapped_l3.extend(run[:-1])
                run = []
            elif rest:
                run.append(width(rest))
        l3_width = max(wrapped_l3, default=round(value_width * 2 / 3))

        # pass 2: rows
        state = {"goal": None, "level1": "", "level2": ""}
        pending: list[_Piece] = []
        seen_goals: list[int] = []
        last_row: dict | None = None

        def emit(level3: str, value: str, line: int, value_piece_width: float = 0.0) -> dict:
            row = {
                "goal": state["goal"], "level1": state["level1"], "level2": state["level2"],
                "level3": level3, "value": value, "line": line, "value_width": value_piece_width,
            }  # fmt: skip
            rows.append(row)
            return row

        def segment(pieces: list[_Piece]) -> list[list[_Piece]]:
            cells: list[list[_Piece]] = []
            for piece in pieces:
                if not cells or piece.new_cell:
                    cells.append([piece])
                    continue
                column_is_l3 = (len(cells) - 1) % 2 == 0
                full = l3_width if column_is_l3 else value_width
                fits = piece.width <= l3_width + 1 if column_is_l3 else True
                if cells[-1][-1].width >= full - 2 + (1 if not column_is_l3 else 0) and fits:
                    cells[-1].append(piece)
                else:
                    cells.append([piece])
            return cells

        def pair(cells: list[list[_Piece]], at_end: bool) -> None:
            for i in range(0, len(cells) - 1, 2):
                l3, value = cells[i], cells[i + 1]
                emit(join_wrapped([p.text for p in l3]), join_wrapped([p.text for p in value]), value[0].line,
                     value[-1].width)  # fmt: skip
            if len(cells) % 2:
                lone = cells[-1]
                if at_end:
                    self.truncated = True
                else:
                    self.problem(
                        "unpaired-cell",
                        f"无法确定“{join_wrapped([p.text for p in lone])}”是三级指标还是指标值（按三级指标读取，指标值为空）",
                        lone[0].line,
                    )
                emit(join_wrapped([p.text for p in lone]), "", lone[0].line)

        def flush(at_end: bool = False) -> None:
            nonlocal pending
            if pending:
                pair(segment(pending), at_end)
            pending = []

        rows: list[dict] = []
        for ln, labels, rest, split in events:
            if labels:
                flush()
                last_row = None
                if "goal" in labels:
                    if labels["goal"] != state["goal"]:
                        state.update(goal=labels["goal"], level1="", level2="")
                        if labels["goal"] not in seen_goals:
                            seen_goals.append(labels["goal"])  # type: ignore[arg-type]
                if "level1" in labels:
                    state.update(level1=labels["level1"], level2="")
                if "level2" in labels:
                    state["level2"] = labels["level2"]
            if not rest:
                continue
            if state["goal"] is None:
                self.problem("unparsed-line", f"绩效目标编号（目标N）之前的内容：{ln.text}", ln.number)
                continue
            if split:
                l3_part, value = split
                if l3_part:
                    pending.append(_Piece(ln.number, l3_part, width(l3_part), bool(labels)))
                cells = segment(pending)
                pending = []
                if l3_part or not cells:
                    l3_cell = cells.pop() if cells else []
                else:
                    l3_cell = cells.pop()
                if cells:
                    pair(cells, False)
                last_row = emit(join_wrapped([p.text for p in l3_cell]), value, ln.number, width(value))
                continue
            if last_row is not None and not labels and last_row["value_width"] >= value_width - 1 and value_width:
                # a measurable value that filled its column and wraps onto this line
                last_row["value"] = join_wrapped([last_row["value"], rest])
                last_row["value_width"] = width(rest)
                continue
            last_row = None
            pending.append(_Piece(ln.number, rest, width(rest), bool(labels)))
        flush(at_end=True)

        for i, row in enumerate(rows, start=1):
            table.rows.append(
                IndicatorRow(
                    goal=row["goal"],
                    level1=row["level1"],
                    level2=row["level2"],
                    level3=row["level3"],
                    value=row["value"],
                    location=self.loc(row["line"], row=i, column="年度指标值"),
                )
            )
        expected = list(range(1, len(table.goals) + 1))
        missing = [n for n in expected if n not in seen_goals]
        if missing:
            self.truncated = True
            self.problem(
                "truncated-table",
                "以下绩效目标没有绩效指标（文件可能不完整）：" + "、".join(f"目标{n}" for n in missing),
                self.lines[-1].number if self.lines else None,
            )


def read(path: Path) -> Document:
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), "文件不是 UTF-8 编码（可能是 GBK/GB18030），请先转换为 UTF-8") from None
    return _Reader(path, text).read()
