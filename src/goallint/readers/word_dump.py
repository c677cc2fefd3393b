"""Reader for plain-text dumps of Word documents holding project tables (项目支出绩效目标表).

The layout (see the corpus README and the files in tests/data/corpus/):

* Every table cell starts on a new line beginning with a tab, sometimes preceded by spaces
  (`" \\t306101…"`). The text after the tab is the first line of the cell.
* A line that does not begin with a tab continues the current cell (a cell may have several
  paragraphs: the numbered 绩效目标 items, a value such as `总预算不高于` / `324万`).
* Blank (or whitespace-only) lines carry no structure. They occur between rows, but also inside a
  row (after the 三级指标 cell, before the 指标值 cell) and inside a cell (between two numbered
  goals). So a blank line never ends a row or a cell: a cell ends where the next cell begins, and
  an indicator row is exactly as many cells as the grid header has labels (five in the corpus's
  form; their number and meaning come from the header read: readers/word_dump_rows.py). A blank
  line followed by a non-tab text line is a paragraph break inside the current cell.
* `[bookmark: …]` lines are Word anchors. One followed by text (`1.信息化运维项目绩效目标表`)
  starts a table and gives its printed number and title; one without text (`[bookmark: _GoBack]`)
  is only an anchor and is skipped. A bookmark line may follow the last cell of the previous
  table directly, with no blank line.
* A table's header cells: the department (`573301中国国际贸易促进委员会天津市分会`), the unit
  (`单位：万元`), then label/value cells: 项目名称, 预算规模及资金用途, 预算数, 其中：财政资金,
  其他资金, an empty cell (the merged label) and the purpose text, 绩效目标 and the goals. Then the
  grid header (一级指标 二级指标 三级指标 绩效指标描述 指标值) and the indicator rows.
* Header labels are the form's (rules/lexicon/form-labels.yaml, through readers/form_knowledge.py), so
  the header blocks of other templates read too: 主管部门 / 实施单位 with their codes, 项目属性,
  项目期, 中期资金总额 with its parts, 上年结转, 中期目标 beside 年度目标, 预算年度, `label：value`
  cells (readers/word_dump_header.py says where each value goes). A table without a project name
  is read with an empty one and said once per file (`no-project-name`).
* A vertically merged cell is an empty cell; 一级指标 and 二级指标 are filled down from the row
  above. A 一级指标 may also be repeated on later rows of the same block instead of merged.

Irregularities handled by rule (none by file):

* Tables without a bookmark line, starting with the department cell, the unit cell or even the
  项目名称 cell right after the previous table's last indicator cell (no blank line between):
  while reading indicator rows, a department, unit or 项目名称 cell starts a new table. Such a
  table has no printed number or title; its department and unit, when missing, are those of the
  previous table of the document (one document lists one department's tables in one unit).
* Blank lines inside a row (`系统运行维护响应时间`, blank, blank, `≤30分钟`): rows are counted in
  cells, not blank-line blocks.
* Paragraph breaks inside a cell after a blank line (the second goal of a table).
* Content is never corrected: a 三级指标 cell that repeats the 二级指标 (`数量指标`,
  `服务对象满意度指标`), a 成本指标 filed under 产出指标 or listed first, a 一级指标 repeated on
  every row — all are kept as written; rules decide what is wrong.
* A file cut off mid-row: the table is marked `truncated` and a `truncated-table` problem names it;
  the incomplete row (it has no 指标值 cell) is not an indicator row.
* Text before the first cell that is not a bookmark/title → an `unparsed-line` problem.

Locations: `table` is the 1-based position of the table in the document, `row` the 1-based
indicator row in the table, `column` "指标值" and `line` the 1-based source line of the row's
指标值 cell. A table's `line` is the line where it starts (its bookmark line or first cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from goallint.errors import read_bytes
from goallint.model import TABLE_HEADER_FIELDS, Budget, Document, IndicatorRow, Location, Problem, Table, constructor
from goallint.readers import word_dump_header
from goallint.readers.columns import Layout, heading_of, role_of
from goallint.readers.form_knowledge import (
    DEPARTMENT_CELL,
    NUMBERED_TITLE,
    UNIT_CELL,
    YEAR_ONLY,
    PrintedHeader,
    header_label,
    is_closing,
    is_title,
    join_cjk,
    no_project_message,
    read_budget,
    unit_of_table,
    unknown_unit_message,
)
from goallint.readers.word_dump_rows import GridRows

NAME = "word-dump"

_CELL_START = re.compile(r"^[ \u3000]*\t")
_BOOKMARKS = re.compile(r"^\s*((?:\[bookmark:[^\]]*\]\s*)+)(.*)$")
_BARE_TITLE = re.compile(r"^\s*(\d+)\s*[.．、]\s*(\S.*绩效目标表)\s*$")
_WS = re.compile(r"\s+")

# the header labels are the form's (rules/lexicon/form-labels.yaml, via form_knowledge); the grid's
# columns are the indicator vocabulary's (rules/lexicon/indicator-columns.yaml, via readers/columns.py)

_SNIFF_LABEL = re.compile(
    r"[ \u3000]*\t(项目名称|(?:年度)?绩效目标|[一二三]级指标|\*?指标值|预算数|(?:年度)?资金总额)\s*$"
)


# --------------------------------------------------------------------------- sniffing


def sniff(path: Path, head: bytes) -> bool:
    """A Word dump: many lines start with a tab, and the form's labels stand as tab cells."""
    from goallint.text_encoding import decode_head

    text = decode_head(head)
    lines = [line for line in text.split("\n") if line.strip()]
    cells = [line for line in lines if line[:1] == "\t" or _CELL_START.match(line)]
    if len(cells) < 5 or len(cells) * 2 < len(lines):
        return False
    found: set[str] = set()
    for line in cells:  # the labels stand near the top: stop at the second
        m = _SNIFF_LABEL.match(line)
        if m:
            found.add(m.group(1))
            if len(found) == 2:
                return True
    return False


# --------------------------------------------------------------------------- cells


@dataclass(slots=True)
class _Cell:
    line: int
    parts: list[str]  # the first line after the tab, then its continuation lines

    def paragraphs(self) -> list[str]:
        """Non-empty paragraphs of the cell, stripped."""
        if len(self.parts) == 1:  # the common case, kept fast
            first = self.parts[0].strip()
            return [first] if first else []
        return [p.strip() for p in self.parts if p.strip()]

    def text(self) -> str:
        """The cell as one string: paragraphs joined with "\\n"."""
        if len(self.parts) == 1:
            return self.parts[0].strip()
        return "\n".join(self.paragraphs())

    def flat(self) -> str:
        """The cell as one line: Chinese text broken over lines is joined without a space."""
        if len(self.parts) == 1:
            return self.parts[0].strip()
        return join_cjk(self.paragraphs())

    def label(self) -> str:
        """The text without any whitespace (`其中：财政    资金` → `其中：财政资金`)."""
        text = self.text()
        return _WS.sub("", text) if " " in text or "\n" in text or "\u3000" in text or "\t" in text else text


def _two_row_columns(first: list[str], second: list[str]) -> list[str] | None:
    """The columns of a two-row grid header: each header of the first row merged down has an empty cell in
    the second; one merged across has the headers under it. None when `second` is not such a row."""
    if not any(second):
        return None
    out: list[str] = []
    i = 0
    for label in first:
        if i >= len(second):
            return None
        if not second[i]:
            out.append(label)
            i += 1
            continue
        while i < len(second) and second[i]:
            out.append(second[i])
            i += 1
    return out if i == len(second) else None


# --------------------------------------------------------------------------- table builder


@dataclass(slots=True)
class _Builder(PrintedHeader):
    index: int  # 1-based position in the document
    line: int
    unit_line: int | None = None
    amounts: dict[str, tuple[str, int]] = field(default_factory=dict)  # field (mid:total …) → (text, line)
    purpose_open: bool = False
    # header fields whose values the next cells are, in order (a row of labels above a row of values)
    pending: list[str] = field(default_factory=list)
    mid_open: bool = False  # 中期资金总额 read and 年度资金总额 not yet: 其中：财政拨款 … are the 中期 ones
    columns: list[str] | None = None  # the grid header's labels, one per cell of an indicator row
    second: list[_Cell] | None = None  # the cells of a possible second grid header row, being read
    layout: Layout | None = None  # what each column means (None: the plain five columns)
    fills: list[list[str]] = field(default_factory=list)  # per group of columns: 一级指标, 二级指标 filled down
    block: str | None = None  # the block a heading row (长期绩效指标) names
    blocks: list[str] = field(default_factory=list)  # every heading of that row (two side by side)
    heading_open: bool = False  # a heading label (项目资金) just read: an amount right after it is the total
    results_width: int = 0  # a self-evaluation's execution block: the cells of each amount row
    in_grid: bool = False
    closed: bool = False  # a 合计 / 填表人 row ended the indicator rows: the cells up to the next table are read over
    row_cells: list[_Cell] = field(default_factory=list)
    rows: list[IndicatorRow] = field(default_factory=list)
    level1: str = ""
    level2: str = ""
    truncated: bool = False


# tables and their locations are built from values of the right types, without validation (rows: word_dump_rows)
_table = constructor(
    Table,
    "kind",
    "form",
    *TABLE_HEADER_FIELDS,
    "rows",
    "truncated",
    "location",
    "supervisor",
    "implementer",
    "attribute",
    "period",
    "mid_budget",
    "mid_goals",
    "fiscal_year",
    "field_locations",
)
_table_location = constructor(Location, "file", "table", "line")


class _Reader(GridRows):
    def __init__(self, path: str):
        self.path = path
        self.tables: list[Table] = []
        self.problems: list[Problem] = []
        self.current: _Builder | None = None
        self.count = 0
        self.previous_unit: tuple[str | None, int | None] = (None, None)
        self.previous_department: tuple[str | None, str | None] = (None, None)
        self.said_no_project = False  # a table without a project name is said once per file
        self.source_lines: list[str] = []

    # ----------------------------------------------------------------- helpers

    def loc(self, line: int | None = None, *, table: int | None = None, **kw) -> Location:
        return Location(file=self.path, table=table, line=line, **kw)

    def place(self, line: int, table: int) -> Location:
        """Where a header field's value stands (Table.field_locations): built without validation, one per field."""
        return _table_location(self.path, table, line)

    def problem(self, code: str, message: str, line: int | None, table: int | None = None, **kw) -> None:
        self.problems.append(Problem(code=code, message=message, location=self.loc(line, table=table, **kw)))

    def start_table(self, line: int) -> _Builder:
        self.finish_table(at_end=False)
        self.count += 1
        self.current = _Builder(index=self.count, line=line)
        return self.current

    # ----------------------------------------------------------------- events

    def bookmark(self, line: int, text: str) -> None:
        table = self.start_table(line)
        m = NUMBERED_TITLE.match(text)
        if m:
            table.printed_number = int(m.group(1))
            table.title = m.group(2).strip()
        else:
            table.title = text.strip()

    def stray(self, line: int, text: str) -> None:
        table = self.current
        if table is not None and not table.in_grid and table.columns is None:
            # a paragraph above the table, under its title: `单位：万元`, `（2024年度）`, `填报单位（盖章）：某局`
            cell = _Cell(line, [text])
            label = cell.label()
            if (
                UNIT_CELL.match(label)
                or YEAR_ONLY.match(label)
                or (("：" in label or ":" in label) and header_label(label.split("：")[0].split(":")[0]) is not None)
            ):
                self.header_cell(table, cell, label)
                return
        self.problem("unparsed-line", f"第{line}行不属于任何表格单元格，未能读取：{text.strip()[:40]}", line)

    def cell(self, cell: _Cell) -> None:
        table = self.current
        label = cell.label()
        if table is not None and table.in_grid:
            if self._starts_table(label):
                self.start_table(cell.line)
                self.header_cell(self.current, cell, label)
                return
            if table.closed:
                return  # the cells after a total or the signature footer, up to the next table
            if label and not table.row_cells:  # a row's first cell of its own
                if is_closing(label):
                    table.closed = True  # a total or the signature footer: no indicator
                    return
                if "指标" in label and self.heads_grid(label):  # a block's heading, or the grid header again
                    table.in_grid = False
                    table.columns = None
                    self.header_cell(table, cell, label)
                    return
            self.grid_cell(table, cell)
            return
        if table is None:
            table = self.start_table(cell.line)
        self.header_cell(table, cell, label)

    @staticmethod
    def heads_grid(label: str) -> bool:
        """Whether a row's first cell is a block's heading or the grid header again (一级指标), not an
        indicator's 一级指标 (产出指标)."""
        return role_of(label) in ("level1", "skip") or heading_of(label) is not None

    def row_ends_with(self, cell: _Cell) -> bool:
        """Whether `cell` (not yet dispatched) completes the current table's indicator row."""
        table = self.current
        return bool(
            table is not None
            and table.in_grid
            and len(table.row_cells) + 1 == len(table.columns)
            and not self._starts_table(cell.label())
        )

    @staticmethod
    def _starts_table(label: str) -> bool:
        if not label or not (label[0].isdigit() or label[0] in "单项"):  # fast path for grid cells
            return False
        return bool(DEPARTMENT_CELL.match(label) or UNIT_CELL.match(label) or label == "项目名称")

    def header_cell(self, table: _Builder, cell: _Cell, label: str) -> None:
        if table.columns is not None:  # reading the grid header: its labels up to the first cell that is none
            if table.second is not None:  # a second header row (empty cells under merged ones, 指标性质 …)?
                if not label or role_of(label) is not None:
                    table.second.append(cell)
                    return
                self.end_two_row_header(table, cell)
                return
            if label and role_of(label) is not None:
                table.columns.append(label)
                return
            if not label:
                table.second = [cell]
                return
            self.end_header(table, cell.line)
            self.grid_cell(table, cell)
            return
        heading = heading_of(label) if "指标" in label else None
        if heading is not None:  # 长期绩效指标 / 年度绩效指标 above a grid header (two side by side: one each)
            table.block = heading
            table.blocks.append(heading)
            return
        lab = header_label(label) if label else None
        if table.pending and lab is None:
            if not label and len(table.pending) > 1 and not table.results_width:
                return  # the merged cell under a heading (总体目标 over 中期目标 | 年度目标)
            word_dump_header.assign(self, table, table.pending.pop(0), cell)
            return
        if label.endswith("指标") and role_of(label) in ("level1", "skip"):
            table.columns = [label]  # the grid header (the older form's 绩效指标 label column before 一级指标)
            return
        if lab is not None:
            word_dump_header.label(table, *lab)
            return
        m = UNIT_CELL.match(label)
        if m:
            table.unit_text = m.group(1)
            table.unit_line = cell.line
            return
        m = DEPARTMENT_CELL.match(label)
        if m and table.department_code is None:
            table.department_code = m.group(1)
            table.department_name = cell.flat()[len(m.group(1)) :].strip()
            return
        if ("：" in label or ":" in label) and word_dump_header.label_and_value(self, table, cell):
            return  # 单位名称：某市商务局
        m = YEAR_ONLY.match(label)
        if m:  # （2024年度） on its own under the title
            table.year_statement = (int(m.group(1)), label)
            return
        if not label:
            return  # a merged label cell (预算规模及资金用途 spans the purpose row)
        if table.purpose_open and not table.purpose:
            table.purpose = cell.text()
            table.places["purpose"] = self.place(cell.line, table.index)
            table.purpose_open = False
            return
        if table.heading_open and word_dump_header.is_amount(cell.flat()):
            word_dump_header.assign(self, table, "total", cell)  # 项目资金 | 200万元（其中财政资金150万元）
            table.heading_open = False
            return
        if is_title(label) and table.title is None:
            table.title = cell.flat()  # the title in the table's first cell
            return
        self.problem(
            "unparsed-cell",
            f"表{table.index}第{cell.line}行的单元格无法归入表头字段：{cell.flat()[:40]}",
            cell.line,
            table.index,
        )

    def end_two_row_header(self, table: _Builder, cell: _Cell | None) -> None:
        """The cells after the grid header's labels that began with an empty cell: a second header row when
        they name columns under a header merged across (`指标值` over 指标性质 | 指标值 | 计量单位; an empty
        cell under each header merged down), else the first indicator cells."""
        second, table.second = table.second or [], None
        first, labels = table.columns or [], [c.label() for c in second]
        columns = _two_row_columns(first, labels)
        level1 = next((i for i, label in enumerate(first) if i and role_of(label) == "level1"), None)
        if columns is None and level1 is not None:
            # 绩效指标 merged over 一级指标 | 二级指标 | 三级指标 (the second row's labels, read right after the first's)
            columns = _two_row_columns(first[:level1], first[level1:] + labels)
        if columns is not None:
            table.columns = columns
            self.end_header(table, second[0].line)
        else:
            self.end_header(table, second[0].line)
            for early in second:
                self.grid_cell(table, early)
        if cell is not None:
            self.grid_cell(table, cell)

    def grid_cell(self, table: _Builder, cell: _Cell) -> None:
        table.row_cells.append(cell)
        if len(table.row_cells) == len(table.columns):
            self.emit_row(table)

    # ----------------------------------------------------------------- finishing

    def finish_table(self, *, at_end: bool) -> None:
        table = self.current
        if table is None:
            return
        self.current = None
        name = table.project or table.title or f"第{table.index}个表"
        if table.second is not None:
            self.end_two_row_header(table, None)
        if table.columns is not None and not table.in_grid:
            self.end_header(table, table.line)  # a grid header with no row below it
        if table.row_cells:
            present = "、".join(
                f"{col}“{c.flat()}”" if c.flat() else f"{col}（空）"
                for col, c in zip(table.columns, table.row_cells, strict=False)
            )
            line = table.row_cells[0].line
            if at_end:
                table.truncated = True
            else:
                self.problem(
                    "incomplete-row",
                    f"表{table.index}（{name}）第{line}行起的指标行不完整，只有{present}，未作为指标行读取",
                    line,
                    table.index,
                )
        elif at_end and not table.in_grid:
            table.truncated = True
        if table.truncated:
            last = table.row_cells[0].line if table.row_cells else table.line
            detail = (
                f"；最后一行只有{'、'.join(table.columns[: len(table.row_cells)])}"
                if table.row_cells
                else "；缺少指标表"
            )
            self.problem(
                "truncated-table",
                f"表{table.index}（{name}）在文件末尾被截断，已读取{len(table.rows)}个完整指标行{detail}",
                last,
                table.index,
            )

        # department and unit: a table without them continues the previous table's
        if table.department_code is None:
            table.department_code, table.department_name = self.previous_department
        else:
            self.previous_department = (table.department_code, table.department_name)
        unit, unknown = unit_of_table(table.unit_text, table.unit_hint, self.previous_unit[0])
        if unknown:
            self.problem(
                "unknown-unit",
                unknown_unit_message(table.index, name, table.unit_text),
                table.unit_line,
                table.index,
            )
        if table.unit_text is not None:
            self.previous_unit = (unit, table.unit_line)
        if table.project is None and not self.said_no_project:
            self.said_no_project = True
            self.problem(
                "no-project-name",
                no_project_message(table.index, name, "project" in table.seen),
                table.line,
                table.index,
            )
        budget = self.budget(table, name, False, unit)
        mid_budget = self.budget(table, name, True, unit) if "mid:total" in table.amounts else None
        more = word_dump_header.fields(table)

        evaluation = (table.layout is not None and table.layout.self_evaluation) or "自评" in (table.title or "")
        self.tables.append(
            _table(
                "project",
                "self-evaluation" if evaluation else None,
                table.printed_number,
                table.title,
                table.department_code,
                table.department_name,
                unit,
                table.project,
                budget,
                table.purpose,
                table.goals,
                table.rows,
                table.truncated,
                _table_location(self.path, table.index, table.line),
                more["supervisor"],
                more["implementer"],
                table.texts.get("attribute"),
                more["period"],
                mid_budget,
                table.mid_goals,
                more["fiscal_year"],
                table.places,
            )
        )

    def budget(self, table: _Builder, name: str, mid: bool, unit: str | None) -> Budget:
        """The amounts of the table, or of its 中期资金总额 block (`mid`)."""

        def problem(code: str, label: str, text: str, line: int) -> None:
            if code == "bad-amount":
                message = f"表{table.index}（{name}）的{label}“{text}”不是数字"
            else:
                message = f"表{table.index}（{name}）没有注明金额单位（单位：元/万元），{label}“{text}”无法换算"
            self.problem(code, message, line, table.index, column=label)

        return read_budget(table.amounts, unit, mid, problem)


# --------------------------------------------------------------------------- read


def read(path: str | Path) -> Document:
    path_text = str(path)
    path = Path(path)
    data = read_bytes(path, path_text)
    from goallint.text_encoding import decode  # Word's "Unicode" text is UTF-16, its "ANSI" text GBK

    decoded = decode(path_text, data)
    text = decoded.text

    reader = _Reader(path_text)
    from goallint.safety import CONTROL_CHARS

    first = CONTROL_CHARS.search(text)
    if first is not None:  # NUL and the like are no text Word writes; kept, they break reports (Excel, XML)
        line = text.count("\n", 0, first.start()) + 1
        count = len(CONTROL_CHARS.findall(text))
        text = CONTROL_CHARS.sub("", text)
        reader.problem(
            "control-characters", f"文件中有 {count} 个控制字符（如 NUL，自第{line}行起），不是文本内容，已忽略", line
        )
    text = text.replace("\r\n", "\n").removesuffix("\r")  # Windows line ends: the lines without their \r
    cell: _Cell | None = None
    reader.source_lines = lines = text.split("\n")  # a goal's own line is looked up in it (word_dump_header)
    for number, line in enumerate(lines, 1):
        if line[:1] == "\t":  # a cell, as most lines are (without the pattern)
            start = 1
        else:  # a cell after spaces (" \t306101…"), or no cell
            m = _CELL_START.match(line)
            start = m.end() if m else 0
        if start:
            if cell is not None:
                reader.cell(cell)
            cell = _Cell(number, [line[start:]])
            continue
        if not line.strip():
            continue  # blank lines carry no structure (see the module docstring)
        b = _BOOKMARKS.match(line)
        if b:
            if b.group(2).strip():
                if cell is not None:
                    reader.cell(cell)
                    cell = None
                reader.bookmark(number, b.group(2))
            continue  # a bare anchor such as [bookmark: _GoBack]
        if _BARE_TITLE.match(line) and (cell is None or reader.row_ends_with(cell)):
            # a numbered title line `2.…绩效目标表` without a bookmark, between tables
            if cell is not None:
                reader.cell(cell)
                cell = None
            reader.bookmark(number, line.strip())
            continue
        if cell is None:
            reader.stray(number, line)
            continue
        cell.parts.append(line)
    if cell is not None:
        reader.cell(cell)
    reader.finish_table(at_end=True)
    return Document(path=path_text, format=NAME, tables=reader.tables, problems=reader.problems, encoding=decoded.label)
