"""The header block of a printed form (the rows above the indicator grid), read from a Grid.

Used by readers/form.py for Word (.docx) and Excel (.xlsx) tables. What the labels mean is data
(rules/lexicon/form-labels.yaml, read through readers/form_knowledge.py); this module knows where
their values stand:

* a label's value is the next cell to its right (`项目名称 | 跨境电商统计体系建设`);
* a label followed by another label (or by nothing) takes its value from the next row: the purpose
  under 预算规模及资金用途 (a label spanning two rows), or a row of labels above a row of values;
* a cell holding label and value (`项目期：2024-2026年`, `中期资金总额：300`) is split at the colon;
* headings take no value of their own: `项目资金（万元）` before 中期资金总额 / 年度资金总额 (its unit
  still counts), 总体目标 before 中期目标 | 年度目标 side by side;
* 其中：财政拨款 / 其他资金 / 上年结转 belong to 中期资金总额 when they stand in its column (the older
  Ministry of Finance template lists 中期 and 年度 amounts side by side) or after it on its row.

Cells that are not labels are read as the title (`…绩效目标表`, with its printed number `1.`; a line
holding only the year, `（2024年度）`), the department (`573301…`), the unit (`单位：万元`); any
other cell is one `unparsed-cell` Problem naming the cell.

Amounts: a cell holding a number (`30.00`, `1,200`, `１２０`) with an optional unit (`120万元`), or
money in a sentence (`120万元（其中财政资金100万元）`: the total, and the parts the sentence names
where the table has no cell for them). The unit is the one written with the number, else the
table's (`单位：万元`, `预算数（万元）`, the previous table's of the same file).

A table without a project name (the label absent or its cell blank: a unit-level table) is read
with an empty project name, and said once per file (`no-project-name`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from goallint.model import Agency, Budget, FiscalYear, Location, Problem, ProjectPeriod
from goallint.readers.form_knowledge import (
    AMOUNT_FIELDS,
    DEPARTMENT_CELL,
    LABEL_VALUE,
    MID,
    NUMBERED_TITLE,
    PART_FIELDS,
    UNIT_CELL,
    YEAR_ONLY,
    YEAR_VALUE,
    PrintedHeader,
    amount_and_parts,
    code_and_name,
    column_label,
    field_name,
    flat,
    header_label,
    is_title,
    labels,
    no_project_message,
    paragraphs,
    parse_amount,
    project_period,
    read_budget,
    split_goals,
    unit_of_table,
    unknown_unit_message,
)
from goallint.readers.grid import Cell, Grid, covered_from_above, logical_cells

_WS = re.compile(r"\s+")


@dataclass
class Context:
    """What one table passes to the next of the same file: unit and department when a table omits
    them, and whether a missing project name was already said."""

    unit: str | None = None
    department_code: str | None = None
    department_name: str | None = None
    said_no_project: bool = False


@dataclass
class Header(PrintedHeader):
    number: int
    unit_location: Location | None = None
    amounts: dict[str, Cell] = field(default_factory=dict)  # total, fiscal, …, mid:total, mid:fiscal, …
    mid_columns: set[int] = field(default_factory=set)  # grid columns of 中期资金总额 labels
    result_columns: set[int] = field(default_factory=set)  # grid columns under 全年执行数, 得分 … (results)


def at(cell: Cell, number: int, **update) -> Location:
    return cell.location_with(table=number, **update)


def where(cell: Cell) -> str:
    """A cell as the user sees it: "Sheet1!E12" or "表3 行5 列5"."""
    loc = cell.location
    if loc.sheet and loc.cell:
        return f"{loc.sheet}!{loc.cell}"
    return loc.cell or f"行{cell.row + 1} 列{cell.col + 1}"


def _is_label(text: str) -> bool:
    return header_label(text) is not None or column_label(text) is not None


def _is_amount(text: str) -> bool:
    text = flat(text)
    return bool(text) and (parse_amount(text) is not None or amount_and_parts(text, "total")[0] is not None)


class HeaderReader:
    def __init__(self, grid: Grid, number: int, context: Context, problems: list[Problem]):
        self.grid = grid
        self.header = Header(number=number)
        self.context = context
        self.problems = problems

    def problem(self, code: str, message: str, location: Location) -> None:
        self.problems.append(Problem(code=code, message=message, location=location))

    @property
    def name(self) -> str:
        h = self.header
        return h.project or h.title or f"第{h.number}个表"

    # ----------------------------------------------------------------- free text (title, department, unit)

    def free_text(self, text: str, cell: Cell | None) -> bool:
        h = self.header
        text = flat(text)
        m = UNIT_CELL.match(text)
        if m:
            h.unit_text = _WS.sub("", m.group(1))
            h.unit_location = (
                at(cell, h.number) if cell is not None else self.grid.location.model_copy(update={"table": h.number})
            )
            return True
        m = DEPARTMENT_CELL.match(text)
        if m:
            h.department_code = m.group(1)
            h.department_name = m.group(2).strip()
            return True
        m = YEAR_ONLY.match(text)
        if m:  # （2024年度） on its own line under the title
            h.year_statement = (int(m.group(1)), text)
            return True
        if is_title(text) and len(text) < 200:
            m = NUMBERED_TITLE.match(text)
            if m:
                h.printed_number, h.title = int(m.group(1)), m.group(2).strip()
            else:
                h.printed_number, h.title = None, text.strip()
            return True
        return False

    # ----------------------------------------------------------------- labels and values

    def assign(self, name: str, cell: Cell) -> None:
        h = self.header
        h.seen.add(name)
        if name != "fiscal_year" and cell.row >= 0:  # row -1: a paragraph above a Word table, not a cell
            h.places[field_name(name)] = at(cell, h.number)
        if name == "project":
            h.project = flat(cell.text) or None
        elif name == "purpose":
            h.purpose = "\n".join(paragraphs(cell.text))
        elif name == "goals":
            h.goals = split_goals(paragraphs(cell.text))
        elif name == "mid_goals":
            h.mid_goals = split_goals(paragraphs(cell.text))
        elif name in ("supervisor", "implementer", "attribute", "period"):
            if text := flat(cell.text):
                h.texts[name] = text
        elif name == "results":
            pass  # a self-evaluation's execution and result, not a header field
        elif name == "fiscal_year":
            text = flat(cell.text)
            m = YEAR_VALUE.match(text)
            if m:
                h.year_statement = (int(m.group(1)), text)
            elif text:
                self.problem(
                    "bad-fiscal-year",
                    f"表{h.number}（{self.name}）的预算年度“{text}”（{where(cell)}）不是年份，应写如“2024”",
                    at(cell, h.number, column="预算年度"),
                )
        else:
            h.amounts[name] = cell

    def label_field(self, cell: Cell, lab: tuple[str, str | None], in_mid: bool) -> str:
        """The field of a label cell (`lab`: its header_label), routed to 中期资金总额's block where it stands in it."""
        name, hint = lab
        if hint and (name in AMOUNT_FIELDS or name in labels().headings):
            self.header.unit_hint = self.header.unit_hint or hint
        if name == "mid_total":
            self.header.mid_columns.add(cell.col)
            return MID + "total"
        if name in PART_FIELDS and (in_mid or cell.col in self.header.mid_columns):
            return MID + name
        return name

    def read(self, rows: list[list[Cell]]) -> None:
        """Read the header block: `rows` are the grid's rows above the indicator grid header."""
        for line in self.grid.before:  # paragraphs above a Word table: title, unit, `主管部门：某局`
            if not self.free_text(line, None):
                self._label_and_value(Cell(line, -1, 0, self.grid.location))
        # labels whose value is in the next row: (field, column, label spans down)
        pending: list[tuple[str, int, bool]] = []
        headings = labels().headings
        for r, row in enumerate(rows):
            cells = [cell for cell in logical_cells(row) if not covered_from_above(cell)]
            used = self._fill_pending(pending, cells)
            pending = []
            below = rows[r + 1] if r + 1 < len(rows) else []
            in_mid = False  # after 中期资金总额 on this row, until 年度资金总额
            index = 0
            while index < len(cells):
                cell = cells[index]
                index += 1
                if id(cell) in used or not cell.text:
                    continue
                lab = header_label(cell.text)
                if lab is None:
                    if self._label_and_value(cell) or self.free_text(cell.text, cell):
                        continue
                    if cell.col in self.header.result_columns:
                        continue  # 全年执行数, 执行率, 得分 of a self-evaluation's execution block
                    self.problem(
                        "unparsed-cell",
                        f"表{self.header.number}的单元格 {where(cell)} 无法归入表头字段：{flat(cell.text)[:40]}",
                        at(cell, self.header.number),
                    )
                    continue
                name = self.label_field(cell, lab, in_mid)
                if name == "results":  # 全年执行数 | 执行率 | 得分 …: the cells below are results
                    self.header.result_columns.add(cell.col)
                if name in (MID + "total", "total"):
                    in_mid = name == MID + "total"
                nxt = cells[index] if index < len(cells) else None
                next_label = header_label(nxt.text) if nxt is not None else None
                if name in headings and nxt is not None and not _is_label(nxt.text) and _is_amount(nxt.text):
                    name = "total"  # 项目资金 | 200万元（其中财政资金100万元）: the heading holds the amount itself
                elif name in headings or (name == "goals" and next_label and next_label[0] == "mid_goals"):
                    self.header.seen.add(name)  # 项目资金（万元）, 总体目标 over 中期目标 | 年度目标: a heading
                    continue
                spans = any(c.merged_from == (cell.row, cell.col) for c in below)
                if nxt is not None and not _is_label(nxt.text):
                    index += 1
                    if name == "purpose" and not nxt.text:
                        pending.append((name, cell.col, spans))  # an empty cell beside the label: the purpose is below
                    else:
                        self.assign(name, nxt)
                else:
                    pending.append((name, cell.col, spans))
        for name, _, _ in pending:
            self.header.seen.add(name)

    def _fill_pending(self, pending: list[tuple[str, int, bool]], cells: list[Cell]) -> set[int]:
        used: set[int] = set()
        for name, col, spans in pending:
            if spans:  # 预算规模及资金用途 over two rows: the first value cell right of it
                value = next((c for c in cells if c.col > col and id(c) not in used and not _is_label(c.text)), None)
            else:  # a row of labels above a row of values: the cell below
                value = next((c for c in cells if c.col == col), None)
                if value is not None and _is_label(value.text):
                    value = None
            if value is None:
                self.header.seen.add(name)
                continue
            self.assign(name, value)
            used.add(id(value))
        return used

    def _label_and_value(self, cell: Cell) -> bool:
        """`项目期：2024-2026年`, `中期资金总额：300万元`: a label and its value in one cell."""
        m = LABEL_VALUE.match(flat(cell.text))
        if m is None:
            return False
        lab = header_label(m.group(1))
        if lab is None:
            return False
        name = self.label_field(cell, lab, False)
        if name in labels().headings:
            return False
        self.assign(name, Cell(m.group(2).strip(), cell.row, cell.col, cell.location, cell.merged_from))
        return True

    # ----------------------------------------------------------------- the table's header fields

    def fields(self) -> dict:
        """The Table fields the header block gives (department, unit, budgets, goals, …), with the
        department and unit of the previous table where this one omits them."""
        h, ctx = self.header, self.context
        if h.department_code is None and h.department_name is None:
            h.department_code, h.department_name = ctx.department_code, ctx.department_name
        else:
            ctx.department_code, ctx.department_name = h.department_code, h.department_name
        unit, unknown = unit_of_table(h.unit_text, h.unit_hint, ctx.unit)
        if unknown:
            self.problem(
                "unknown-unit",
                unknown_unit_message(h.number, self.name, h.unit_text),
                h.unit_location,
            )
        if unit is not None:
            ctx.unit = unit
        if h.project is None and not ctx.said_no_project:
            ctx.said_no_project = True
            self.problem(
                "no-project-name",
                no_project_message(h.number, self.name, "project" in h.seen),
                self.grid.location.model_copy(update={"table": h.number}),
            )
        fields: dict = {
            "number": h.printed_number,
            "title": h.title,
            "department_code": h.department_code,
            "department_name": h.department_name,
            "unit": unit,
            "project": h.project,
            "budget": self.budget(False, unit),
            "purpose": h.purpose,
            "goals": h.goals,
            "mid_goals": h.mid_goals,
        }
        if any(key.startswith(MID) for key in h.amounts):
            fields["mid_budget"] = self.budget(True, unit)
        for name in ("supervisor", "implementer"):
            if name in h.texts:
                code, unit_name = code_and_name(h.texts[name])
                fields[name] = Agency(code=code, name=unit_name)
        if "attribute" in h.texts:
            fields["attribute"] = h.texts["attribute"]
        if "period" in h.texts:
            fields["period"] = project_period(h.texts["period"]) or ProjectPeriod(text=h.texts["period"])
        if h.year_statement is not None:
            year, text = h.year_statement
            fields["fiscal_year"] = FiscalYear(year=year, source="stated", evidence=f"“{text}”")
        fields["field_locations"] = h.places
        return fields

    def budget(self, mid: bool, unit: str | None) -> Budget:
        h = self.header

        def problem(code: str, label: str, text: str, cell: Cell) -> None:
            location = at(cell, h.number, column=label)
            if code == "bad-amount":
                message = f"表{h.number}（{self.name}）的{label}“{text}”（{where(cell)}）不是数字"
            else:
                message = (
                    f"表{h.number}（{self.name}）没有注明金额单位（单位：元/万元），"
                    f"{label}“{text}”（{where(cell)}）无法换算"
                )
            self.problem(code, message, location)

        return read_budget({key: (flat(cell.text), cell) for key, cell in h.amounts.items()}, unit, mid, problem)
