"""Build a real .docx (python-docx) and .xlsx (openpyxl) of a department-wide table in the form layout.

The layout (six columns, A–F), with merged cells as in the published forms::

    整体支出绩效目标表 / （2025年度）           ← paragraphs above the Word table; rows 1–2 of the sheet
    部门名称 (A:B) | name (C:F)
    序号 (3 rows) | 主要工作任务 (3 rows) | 预算资金（万元） (C:F)
                  |                      | 总额 (2 rows) | 财政资金 (D:E) | 其他资金 (2 rows)
                  |                      |               | 基本支出 | 项目支出 |
    合计 (A:B) | 总额 | 基本支出 | 项目支出 | 其他资金
    1 | task name | amounts, empty cells left empty
    序号 | 年度绩效目标 (B:E) | 对应工作任务
    1 | goal text (B:E) | task number
    绩效目标 (2 rows) | 年度绩效指标 (B:F)
                      | 一级指标 | 二级指标 | 三级指标 (D:E) | 年度指标值
    目标N (merged down over the goal's rows) | 一级指标, 二级指标 merged down over runs | 三级指标 (D:E) | value

`build_docx(table, path)` and `build_xlsx(table, path)` write it from a model.Table (kind
"department"); `corpus_table()` is the corpus table read from its PDF text dump.
"""

from __future__ import annotations

from pathlib import Path

from goallint.model import Table

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus" / "tianjin-ccpit-2025-department.txt"
WIDTH = 6


def corpus_table() -> Table:
    from goallint.readers import department_pdf

    return department_pdf.read(CORPUS).tables[0]


def _amount(q) -> float | None:
    return None if q is None else round(float(q.magnitude), 2)


def _amount_text(q) -> str:
    return "" if q is None else f"{float(q.magnitude):.2f}"


def layout(table: Table, *, numbers: bool = False) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    """The form as rows of six values and merges (first row, first col, last row, last col), 0-based."""
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    unit = table.unit or "万元"
    money = _amount if numbers else _amount_text

    def add(values: list[object]) -> int:
        rows.append(values + [""] * (WIDTH - len(values)))
        return len(rows) - 1

    r = add(["部门名称", "", table.department_name or ""])
    merges += [(r, 0, r, 1), (r, 2, r, 5)]
    r = add(["序号", "主要工作任务", f"预算资金（{unit}）"])
    add(["", "", "总额", "财政资金", "", "其他资金"])
    add(["", "", "", "基本支出", "项目支出", ""])
    merges += [
        (r, 0, r + 2, 0),
        (r, 1, r + 2, 1),
        (r, 2, r, 5),
        (r + 1, 2, r + 2, 2),
        (r + 1, 3, r + 1, 4),
        (r + 1, 5, r + 2, 5),
    ]
    total = table.tasks_total
    if total is not None:
        r = add(["合计", "", money(total.total), money(total.basic), money(total.project), money(total.other)])
        merges.append((r, 0, r, 1))
    for task in table.tasks:
        add([task.number, task.name, money(task.total), money(task.basic), money(task.project), money(task.other)])

    r = add(["序号", "年度绩效目标", "", "", "", "对应工作任务"])
    merges.append((r, 1, r, 4))
    for i, (goal, task) in enumerate(zip(table.goals, table.goal_tasks, strict=False), start=1):
        r = add([i, goal, "", "", "", task if task is not None else ""])
        merges.append((r, 1, r, 4))

    r = add(["绩效目标", "年度绩效指标"])
    add(["", "一级指标", "二级指标", "三级指标", "", "年度指标值"])
    merges += [(r, 0, r + 1, 0), (r, 1, r, 5), (r + 1, 3, r + 1, 4)]

    def merge_runs(first: int, keys: list[tuple], col: int) -> None:
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                if i - 1 > start:
                    merges.append((first + start, col, first + i - 1, col))
                start = i

    first = len(rows)
    for row in table.rows:
        r = add([f"目标{row.goal}", row.level1, row.level2, row.level3, "", row.value])
        merges.append((r, 3, r, 4))
    keys = [(row.goal,) for row in table.rows]
    merge_runs(first, keys, 0)
    merge_runs(first, [(row.goal, row.level1) for row in table.rows], 1)
    merge_runs(first, [(row.goal, row.level1, row.level2) for row in table.rows], 2)
    # covered cells hold no text (Word and Excel keep the text in the first cell of a merge)
    for r1, c1, r2, c2 in merges:
        for rr in range(r1, r2 + 1):
            for cc in range(c1, c2 + 1):
                if (rr, cc) != (r1, c1):
                    rows[rr][cc] = ""
    return rows, merges


def _heading(table: Table) -> list[str]:
    lines = [table.title or "整体支出绩效目标表"]
    if table.fiscal_year is not None:
        lines.append(f"（{table.fiscal_year.year}年度）")
    return lines


def build_docx(table: Table, path: Path) -> Path:
    from docx import Document

    rows, merges = layout(table)
    document = Document()
    for line in _heading(table):
        document.add_paragraph(line)
    word = document.add_table(rows=len(rows), cols=WIDTH)
    word.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value != "":
                word.cell(r, c).text = str(value)
    for r1, c1, r2, c2 in merges:
        word.cell(r1, c1).merge(word.cell(r2, c2))
    document.save(str(path))
    return path


def build_xlsx(table: Table, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    rows, merges = layout(table, numbers=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "整体支出绩效目标表"
    heading = _heading(table)
    for i, line in enumerate(heading, start=1):
        sheet.cell(row=i, column=1, value=line)
        sheet.merge_cells(start_row=i, start_column=1, end_row=i, end_column=WIDTH)
    offset = len(heading)
    for r, values in enumerate(rows, start=offset + 1):
        for c, value in enumerate(values, start=1):
            if value == "" or value is None:
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, float):
                cell.number_format = "0.00"
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r1, c1, r2, c2 in merges:
        sheet.merge_cells(start_row=r1 + offset + 1, start_column=c1 + 1, end_row=r2 + offset + 1, end_column=c2 + 1)
    workbook.save(str(path))
    return path
