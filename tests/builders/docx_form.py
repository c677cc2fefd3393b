"""Build a real Word .docx in the published form layout from a model.Document (python-docx).

Per table: the title paragraph (`1.信息化运维项目绩效目标表`), the department paragraph
(`573301中国国际贸易促进委员会天津市分会`), the unit paragraph (`单位：万元`), then one Word table
over a 7-column grid::

    项目名称           | project (merged over 6 columns)
    预算规模及资金用途  | 预算数 | total | 其中：财政    资金 | fiscal | 其他资金 | other
      (vMerge)         | purpose (merged over 6 columns)
    绩效目标           | goals, one paragraph each "1.…" (merged over 6 columns)
    一级指标 | 二级指标 | 三级指标 (2 columns) | 绩效指标描述 (2 columns) | 指标值   ← repeated on each page
    产出指标 | 数量指标 | …
    (vMerge) | (vMerge) | …

一级指标 is merged vertically over runs of the same value, 二级指标 over runs of the same
(一级指标, 二级指标). Options:

* `split_after={table_index: n}`: end the Word table after n indicator rows, put a page break, and
  continue the rows in a second Word table that starts with the grid header again
  (`repeat_header=False`: without it).
* `odd_labels=True`: label variants (年度预算数, 财政拨款, 资金用途 on its own row, 年度绩效目标,
  指标解释, 目标值, a `项目名称：` with a colon).
* `header_in_table=True`: department and unit as the first row of the Word table instead of
  paragraphs.
* `auto_numbered_goals=True`: goals as Word list paragraphs (w:numPr) without typed numbers.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from goallint.model import Document, Table

COLUMNS = 7
# indicator field → (first grid column, last grid column)
GRID = {"level1": (0, 0), "level2": (1, 1), "level3": (2, 3), "description": (4, 5), "value": (6, 6)}

LABELS = {
    "project": "项目名称",
    "group": "预算规模及资金用途",
    "total": "预算数",
    "fiscal": "其中：财政    资金",
    "other": "其他资金",
    "goals": "绩效目标",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "绩效指标描述",
    "value": "指标值",
}
ODD_LABELS = {
    **LABELS,
    "project": "项目名称：",
    "total": "年度预算数",
    "fiscal": "财政拨款",
    "purpose": "资金用途",
    "goals": "年度绩效目标",
    "description": "指标解释",
    "value": "目标值",
}


def amount_text(q) -> str:
    if q is None:
        return ""
    m = float(q.magnitude)
    return f"{m:.2f}" if round(m, 2) == m else repr(m)


def _set(cell, text: str | list[str]) -> None:
    """Write a cell: one paragraph per item of a list, a string as one paragraph."""
    paras = text if isinstance(text, list) else [text]
    cell.text = paras[0] if paras else ""
    for para in paras[1:]:
        cell.add_paragraph(para)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    tr_pr.append(el)


def _number_paragraph(paragraph, num_id: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    p_pr.append(num_pr)


def _grid_header(table, labels: dict[str, str]) -> None:
    row = table.add_row()
    for name, (first, last) in GRID.items():
        cell = row.cells[first] if first == last else row.cells[first].merge(row.cells[last])
        _set(cell, labels[name])
    _repeat_header(row)


def _indicator_rows(table, rows) -> None:
    start = len(table.rows)
    for r in rows:
        row = table.add_row()
        for name, (first, last) in GRID.items():
            cell = row.cells[first] if first == last else row.cells[first].merge(row.cells[last])
            _set(cell, getattr(r, name))
    # vertical merges of 一级指标 / 二级指标 over runs of equal values
    for col, key in ((0, lambda r: r.level1), (1, lambda r: (r.level1, r.level2))):
        run_start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or key(rows[i]) != key(rows[run_start]):
                if i - run_start > 1:
                    text = table.cell(start + run_start, col).text
                    merged = table.cell(start + run_start, col).merge(table.cell(start + i - 1, col))
                    _set(merged, text)
                run_start = i


def add_table(
    doc,
    table: Table,
    *,
    odd_labels: bool = False,
    split_after: int | None = None,
    repeat_header: bool = True,
    header_in_table: bool = False,
    auto_numbered_goals: bool = False,
) -> None:
    labels = ODD_LABELS if odd_labels else LABELS
    if table.title:
        doc.add_paragraph(f"{table.number}.{table.title}" if table.number is not None else table.title)
    department = f"{table.department_code or ''}{table.department_name or ''}"
    unit = f"单位：{table.unit}" if table.unit else ""
    if not header_in_table:
        if department:
            doc.add_paragraph(department)
        if unit:
            doc.add_paragraph(unit)
    t = doc.add_table(rows=0, cols=COLUMNS)
    t.style = "Table Grid"
    if header_in_table:
        row = t.add_row()
        _set(row.cells[0].merge(row.cells[4]), department)
        _set(row.cells[5].merge(row.cells[6]), unit)
    row = t.add_row()
    _set(row.cells[0], labels["project"])
    _set(row.cells[1].merge(row.cells[6]), table.project or "")
    b = table.budget
    row = t.add_row()
    values = [
        labels["total"],
        amount_text(b.total),
        labels["fiscal"],
        amount_text(b.fiscal),
        labels["other"],
        amount_text(b.other),
    ]
    for i, text in enumerate(values, 1):
        _set(row.cells[i], text)
    group_row = len(t.rows) - 1
    row = t.add_row()
    if odd_labels:  # 资金用途 as its own label under the group label
        _set(row.cells[1], labels["purpose"])
        _set(row.cells[2].merge(row.cells[6]), table.purpose)
    else:
        _set(row.cells[1].merge(row.cells[6]), table.purpose)
    group = t.cell(group_row, 0).merge(t.cell(group_row + 1, 0))
    _set(group, labels["group"])
    row = t.add_row()
    _set(row.cells[0], labels["goals"])
    goals_cell = row.cells[1].merge(row.cells[6])
    if auto_numbered_goals:
        _set(goals_cell, list(table.goals))
        for paragraph in goals_cell.paragraphs:
            if paragraph.text:
                _number_paragraph(paragraph, 1)
    else:
        _set(goals_cell, [f"{i}.{goal}" for i, goal in enumerate(table.goals, 1)])
    _grid_header(t, labels)
    rows = list(table.rows)
    first, rest = (rows, []) if split_after is None else (rows[:split_after], rows[split_after:])
    _indicator_rows(t, first)
    if split_after is not None:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        t2 = doc.add_table(rows=0, cols=COLUMNS)
        t2.style = "Table Grid"
        if repeat_header:
            _grid_header(t2, labels)
        _indicator_rows(t2, rest)


def write_docx(document: Document, path: str | Path, *, split: dict[int, int] | None = None, **options) -> Path:
    """Write every table of `document`; `split` maps a 0-based table index to the rows before the split."""
    doc = new_document()
    if options.get("auto_numbered_goals"):
        _add_numbering(doc)
    for index, table in enumerate(document.tables):
        if index:
            doc.add_paragraph()
        add_table(doc, table, split_after=(split or {}).get(index), **options)
    path = Path(path)
    doc.save(str(path))
    return path


def _add_numbering(doc) -> None:
    """A decimal list (numId 1) in the numbering part, for auto_numbered_goals."""
    part = doc.part.numbering_part
    numbering = part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, val in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", "%1.")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        lvl.append(el)
    abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "1")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)


# --------------------------------------------------------------------------- any layout, cell by cell


def write_layout_docx(tables: list, path: str | Path) -> Path:
    """A .docx of tables given cell by cell (builders/grid_layouts.py): each a `Sheet` with the lines above it,
    its rows (one string per grid column, "" for an empty cell) and its merges ((row, col, last row, last
    col), 0-based) as Word gridSpan / vMerge cells."""
    doc = new_document()
    for sheet in tables:
        for line in sheet.before:
            doc.add_paragraph(line)
        width = max(len(row) for row in sheet.rows)
        t = doc.add_table(rows=len(sheet.rows), cols=width)
        t.style = "Table Grid"
        covered = set()
        for r1, c1, r2, c2 in sheet.merges:
            text = sheet.rows[r1][c1]
            merged = t.cell(r1, c1).merge(t.cell(r2, c2))
            _set(merged, text.split("\n") if text else "")
            covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r, row in enumerate(sheet.rows):
            for c, text in enumerate(row):
                if (r, c) not in covered and text:
                    _set(t.cell(r, c), text.split("\n"))
        doc.add_paragraph("")
    path = Path(path)
    doc.save(str(path))
    return path
