"""The header cells of a Word dump table (word_dump.py): which field a label stands for and where
its value goes.

A dump lists a table's cells one after another, row by row, without the rows' boundaries. A header
label's value is the next cell that is not a label; labels in a row (`中期目标 | 年度目标`, then their
values in the next row) queue up and take the following values in order. What the labels mean is
data (rules/lexicon/form-labels.yaml, through form_knowledge):

* headings take no value: `项目资金（万元）` (its unit counts), `总体目标` followed by `中期目标`;
* 其中：财政拨款 / 其他资金 / 上年结转 belong to 中期资金总额 after it and before 年度资金总额 (amounts
  stacked), or as the first of their pair (中期 and 年度 amounts side by side);
* 主管部门 / 实施单位 are split into code and name, 项目期 into its years, 预算年度 (or a line
  `（2024年度）`) is the table's own fiscal year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goallint.model import Agency, FiscalYear
from goallint.readers.form_knowledge import (
    AMOUNT_FIELDS,
    LABEL_VALUE,
    MID,
    PART_FIELDS,
    YEAR_VALUE,
    amount_and_parts,
    code_and_name,
    field_name,
    header_label,
    labels,
    numbered_goals,
    parse_amount,
    project_period,
    split_goals,
)

if TYPE_CHECKING:  # the builder and cell of word_dump, which imports this module
    from goallint.readers.word_dump import _Builder, _Cell, _Reader

TEXT_FIELDS = ("supervisor", "implementer", "attribute", "period")


def label(table: _Builder, name: str, unit_hint: str | None) -> None:
    """A header label: its value is the next non-label cell (after the values of labels before it)."""
    table.seen.add(name)
    table.heading_open = False
    if unit_hint and name in (*AMOUNT_FIELDS, "funds"):
        table.unit_hint = table.unit_hint or unit_hint
    if name in labels().headings:
        table.heading_open = True  # 项目资金（万元）: the labels after it carry the values, or the amount itself
        return
    if results_block(table, name):
        return
    if name == "goals" and table.pending and table.pending[-1] == "goals":
        table.pending.pop()  # 年度总体目标 over 预期目标: one field
    if name == "purpose":
        table.purpose_open = True
        return
    if name == "mid_goals" and table.pending and table.pending[-1] == "goals":
        table.pending.pop()  # 总体目标 followed by 中期目标 | 年度目标: a heading
    if name == "mid_total":
        table.mid_open = True
        name = MID + "total"
    elif name == "total":
        table.mid_open = False
    elif name in PART_FIELDS and in_mid_block(table, name):
        name = MID + name
    table.pending.append(name)


def results_block(table: _Builder, name: str) -> bool:
    """A self-evaluation's execution block: a row of labels 年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 得分
    over rows `年度资金总额 | 20 | 20 | 19.5 | …`. Each amount label takes the first cell after it (年初预算数);
    the others are results. Returns True when `name` was placed here."""
    if name == "results":
        if table.results_width == 0 and (not table.pending or set(table.pending) == {"results"}):
            table.pending.append("results")
            return True
        return False
    if name in AMOUNT_FIELDS or name in PART_FIELDS:
        if table.pending and set(table.pending) == {"results"}:
            table.results_width = len(table.pending)
        if table.results_width:
            table.pending = [name, *["results"] * (table.results_width - 1)]
            return True
        return False
    table.results_width = 0  # another label: the block has ended
    return False


def is_amount(text: str) -> bool:
    return bool(text) and (parse_amount(text) is not None or amount_and_parts(text, "total")[0] is not None)


def label_and_value(reader: _Reader, table: _Builder, cell: _Cell) -> bool:
    """`单位名称：某市商务局`, `项目期：3年`: a label and its value in one cell."""
    m = LABEL_VALUE.match(cell.flat())
    lab = header_label(m.group(1)) if m else None
    if lab is None or lab[0] in labels().headings or lab[0] == "purpose":
        return False
    label(table, *lab)
    name = table.pending.pop()
    assign(reader, table, name, type(cell)(cell.line, [m.group(2)]))
    return True


def in_mid_block(table: _Builder, name: str) -> bool:
    """Whether a 其中：财政拨款 / 其他资金 / 上年结转 label belongs to 中期资金总额: it follows it before
    年度资金总额 (stacked), or it is the first of its pair (中期 and 年度 side by side)."""
    if table.mid_open:
        return True
    taken = {*table.amounts, *table.pending}
    return MID + "total" in taken and MID + name not in taken and name not in taken


def assign(reader: _Reader, table: _Builder, name: str, cell: _Cell) -> None:
    """The value `cell` of the header field `name`."""
    if name != "fiscal_year":
        table.places[field_name(name)] = reader.place(cell.line, table.index)
    if name == "project":
        table.project = cell.flat() or None
    elif name == "goals":
        items = numbered_goals([part.strip() for part in cell.parts])
        table.goals = [text for _, text in items]
        lines = part_lines(reader.source_lines, cell)
        for number, (index, _) in enumerate(items, start=1):  # each goal's own line
            table.places[f"goals.{number}"] = reader.place(lines[index], table.index)
    elif name == "mid_goals":
        table.mid_goals = split_goals(cell.paragraphs())
    elif name in TEXT_FIELDS:
        if text := cell.flat():
            table.texts[name] = text
    elif name == "results":
        pass  # a self-evaluation's execution and result (全年执行数, 得分 …): no header field
    elif name == "fiscal_year":
        m = YEAR_VALUE.match(cell.label())
        if m:
            table.year_statement = (int(m.group(1)), cell.flat())
        elif cell.flat():
            reader.problem(
                "bad-fiscal-year",
                f"表{table.index}第{cell.line}行的预算年度“{cell.flat()}”不是年份，应写如“2024”",
                cell.line,
                table.index,
                column="预算年度",
            )
    else:
        table.amounts[name] = (cell.flat(), cell.line)
        if name == "other":
            table.purpose_open = table.purpose_open or not table.purpose


def part_lines(source: list[str], cell: _Cell) -> list[int]:
    """The 1-based source line of each of the cell's parts: the first is the cell's line, each next one the
    next line holding that text (the reader skips blank lines and bare bookmarks between them)."""
    out = [cell.line]
    index = cell.line  # 0-based index of the line after the cell's first
    for part in cell.parts[1:]:
        while index < len(source) and source[index] != part:
            index += 1
        out.append(index + 1 if index < len(source) else cell.line)
        index += 1
    return out


def fields(table: _Builder) -> dict:
    """The Table fields read from the texts: supervisor, implementer (code and name), period, fiscal_year."""
    out: dict = {"supervisor": None, "implementer": None, "period": None, "fiscal_year": None}
    for key in ("supervisor", "implementer"):
        if key in table.texts:
            code, name = code_and_name(table.texts[key])
            out[key] = Agency(code=code, name=name)
    if "period" in table.texts:
        out["period"] = project_period(table.texts["period"])
    if table.year_statement is not None:
        year, text = table.year_statement
        out["fiscal_year"] = FiscalYear(year=year, source="stated", evidence=f"“{text}”")
    return out
