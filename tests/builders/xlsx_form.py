"""Build a real Excel .xlsx in the form layout from a model.Document (openpyxl): one sheet per table.

Layout of a sheet, as budget systems export it (A–G)::

    1  1.信息化运维项目绩效目标表                                   (A1:G1 merged)
    2  573301中国国际贸易促进委员会天津市分会 (A2:E2)      | 单位：万元 (F2:G2)
    3  项目名称 | project (B3:G3)
    4  预算规模及资金用途 (A4:A5) | 预算数 | 12 (0.00) | 其中：财政    资金 | 12 (0.00) | 其他资金 | (empty)
    5           | purpose (B5:G5)
    6  绩效目标 | "1.…\\n2.…" (B6:G6, wrapped)
    7  一级指标 | 二级指标 | 三级指标 (C7:D7) | 绩效指标描述 (E7:F7) | 指标值
    8… indicator rows; 一级指标 / 二级指标 merged down over runs of equal values

Options: `odd_labels` (label variants as in docx_form), `typed_values` (indicator values that are
plain numbers or percentages stored as numbers with a number format: "100%" → 1 with `0%`,
"3" → 3), `formula_total` (预算数 as a formula =E4+G4, which openpyxl saves without a cached
value), `amounts_as_text` (amounts as text cells instead of numbers).
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

from builders.docx_form import LABELS, ODD_LABELS, amount_text
from goallint.model import Document, Table

GRID = {
    "level1": ("A", "A"),
    "level2": ("B", "B"),
    "level3": ("C", "D"),
    "description": ("E", "F"),
    "value": ("G", "G"),
}
HEADER_ROW = 7


def sheet_name(index: int, table: Table) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", table.project or "")[:24]
    return f"{index + 1}.{name}" if name else f"表{index + 1}"


def _typed(value: str):
    """A plain number or percentage as (number, format); else None."""
    m = re.fullmatch(r"(\d+(?:\.(\d+))?)%", value)
    if m:
        places = len(m.group(2) or "")
        return float(m.group(1)) / 100, "0%" if not places else "0." + "0" * places + "%"
    m = re.fullmatch(r"\d+(?:\.(\d+))?", value)
    if m:
        places = len(m.group(1) or "")
        return (float(value), "0." + "0" * places) if places else (int(value), "General")
    return None


def add_sheet(
    wb,
    index: int,
    table: Table,
    *,
    odd_labels: bool = False,
    typed_values: bool = False,
    formula_total: bool = False,
    amounts_as_text: bool = False,
) -> None:
    labels = ODD_LABELS if odd_labels else LABELS
    ws = wb.create_sheet(sheet_name(index, table))
    wrap = Alignment(wrap_text=True, vertical="center")

    def put(address: str, value, merge_to: str | None = None, number_format: str | None = None) -> None:
        ws[address] = value
        ws[address].alignment = wrap
        if number_format:
            ws[address].number_format = number_format
        if merge_to and merge_to != address:
            ws.merge_cells(f"{address}:{merge_to}")

    if table.title:
        put("A1", f"{table.number}.{table.title}" if table.number is not None else table.title, "G1")
    put("A2", f"{table.department_code or ''}{table.department_name or ''}" or None, "E2")
    put("F2", f"单位：{table.unit}" if table.unit else None, "G2")
    put("A3", labels["project"])
    put("B3", table.project, "G3")
    put("A4", labels["group"], "A5")
    b = table.budget

    def amount(address: str, q) -> None:
        if q is None:
            return
        if amounts_as_text:
            put(address, amount_text(q))
        else:
            put(address, float(q.magnitude), number_format="0.00")

    put("B4", labels["total"])
    if formula_total:
        put("C4", '=E4+IF(G4="",0,G4)', number_format="0.00")
    else:
        amount("C4", b.total)
    put("D4", labels["fiscal"])
    amount("E4", b.fiscal)
    put("F4", labels["other"])
    amount("G4", b.other)
    if odd_labels:
        put("B5", labels["purpose"])
        put("C5", table.purpose or None, "G5")
    else:
        put("B5", table.purpose or None, "G5")
    put("A6", labels["goals"])
    put("B6", "\n".join(f"{i}.{goal}" for i, goal in enumerate(table.goals, 1)) or None, "G6")
    for name, (first, last) in GRID.items():
        put(f"{first}{HEADER_ROW}", labels[name], f"{last}{HEADER_ROW}")
    rows = list(table.rows)
    for i, r in enumerate(rows):
        n = HEADER_ROW + 1 + i
        for name, (first, last) in GRID.items():
            value = getattr(r, name)
            typed = _typed(value) if typed_values and name == "value" else None
            if typed is not None:
                put(f"{first}{n}", typed[0], f"{last}{n}", number_format=typed[1])
            else:
                put(f"{first}{n}", value or None, f"{last}{n}")
    for col, key in (("A", lambda r: r.level1), ("B", lambda r: (r.level1, r.level2))):
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or key(rows[i]) != key(rows[start]):
                if i - start > 1:
                    for k in range(start + 1, i):
                        ws[f"{col}{HEADER_ROW + 1 + k}"] = None
                    ws.merge_cells(f"{col}{HEADER_ROW + 1 + start}:{col}{HEADER_ROW + i}")
                start = i


def write_xlsx(document: Document, path: str | Path, **options) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for index, table in enumerate(document.tables):
        add_sheet(wb, index, table, **options)
    path = Path(path)
    wb.save(str(path))
    return path


def write_layout_xlsx(tables: list, path: str | Path) -> Path:
    """An .xlsx of tables given cell by cell (builders/grid_layouts.py), one sheet each: the lines above the table
    in the first rows (merged across), then its rows, with its merges. Cells that look like plain numbers
    are stored as numbers (as budget systems export weights and scores)."""
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for index, sheet in enumerate(tables):
        ws = wb.create_sheet(f"表{index + 1}")
        width = max(len(row) for row in sheet.rows)
        offset = len(sheet.before)
        for r, line in enumerate(sheet.before, 1):
            ws.cell(r, 1, line)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        covered = set()
        for r1, c1, r2, c2 in sheet.merges:
            covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
        for r, row in enumerate(sheet.rows):
            for c, text in enumerate(row):
                if (r, c) in covered or not text:
                    continue
                cell = ws.cell(offset + r + 1, c + 1)
                cell.value = int(text) if re.fullmatch(r"\d+", text) and sheet.numbers else text
                cell.alignment = Alignment(wrap_text=True, vertical="center")
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(f"{get_column_letter(c1 + 1)}{offset + r1 + 1}:{get_column_letter(c2 + 1)}{offset + r2 + 1}")
    path = Path(path)
    wb.save(str(path))
    return path
