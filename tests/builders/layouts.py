"""Build real .docx, .xlsx and Word dump files from a table laid out cell by cell, with merges.

The form builders (docx_form, xlsx_form) write one fixed layout from a model.Document. The
templates of other regions (../shared/templates.md) put other labels in other places, so these
builders take the layout itself: a list of rows, each a list of cells left to right. A cell is a
string or `C(text, span=columns, down=rows)`; a cell merged down covers the rows below it, which
leave that column out of their own lists (as in a printed table). Text with "\\n" becomes several
paragraphs (Word) or a wrapped cell (Excel).

    write_layout_docx(path, [Layout(before=["项目支出绩效目标表（2024年度）"], rows=[...])])
    write_layout_xlsx(path, [Layout(rows=[[C("项目支出绩效目标表（2024年度）", span=5)], ...])])
    write_layout_dump(path, [Layout(...)])   # the Word dump: one tab line per cell, merged cells empty
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as new_document
from openpyxl import Workbook
from openpyxl.styles import Alignment


@dataclass
class C:
    text: str
    span: int = 1  # grid columns
    down: int = 1  # rows


@dataclass
class Layout:
    rows: list[list[str | C]]
    before: list[str] = field(default_factory=list)  # paragraphs above the table (Word) / ignored (Excel)
    sheet: str = "Sheet1"


def _placed(rows: list[list[str | C]]) -> tuple[list[tuple[int, int, C]], int]:
    """Each cell with its (row, column), and the grid width; columns covered from above are skipped."""
    covered: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, C]] = []
    width = 0
    for r, row in enumerate(rows):
        col = 0
        for item in row:
            cell = item if isinstance(item, C) else C(item)
            while (r, col) in covered:
                col += 1
            placed.append((r, col, cell))
            for dr in range(cell.down):
                for dc in range(cell.span):
                    covered.add((r + dr, col + dc))
            col += cell.span
        width = max(width, col)
    return placed, width


def write_layout_docx(path: str | Path, tables: list[Layout]) -> Path:
    doc = new_document()
    for layout in tables:
        for line in layout.before:
            doc.add_paragraph(line)
        placed, width = _placed(layout.rows)
        table = doc.add_table(rows=len(layout.rows), cols=width)
        table.style = "Table Grid"
        for r, c, cell in placed:
            first = table.cell(r, c)
            last = table.cell(r + cell.down - 1, c + cell.span - 1)
            target = first.merge(last) if (cell.down, cell.span) != (1, 1) else first
            paras = cell.text.split("\n")
            target.text = paras[0]
            for para in paras[1:]:
                target.add_paragraph(para)
        doc.add_paragraph("")
    path = Path(path)
    doc.save(path)
    return path


def write_layout_xlsx(path: str | Path, sheets: list[Layout]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for layout in sheets:
        ws = wb.create_sheet(layout.sheet)
        placed, _ = _placed(layout.rows)
        for r, c, cell in placed:
            target = ws.cell(row=r + 1, column=c + 1, value=cell.text or None)
            if "\n" in cell.text:
                target.alignment = Alignment(wrap_text=True)
            if (cell.down, cell.span) != (1, 1):
                ws.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + cell.down, end_column=c + cell.span)
    path = Path(path)
    wb.save(path)
    return path


def write_layout_dump(path: str | Path, tables: list[Layout]) -> Path:
    """A plain-text dump as Word saves it: each cell on a line starting with a tab, in row order; a
    cell covered by a vertical merge is an empty cell, one covered by a horizontal merge is not written."""
    lines: list[str] = []
    for number, layout in enumerate(tables, 1):
        for line in layout.before:
            lines.append(f"[bookmark: _Toc{number}]{line}" if line == layout.before[0] else line)
        placed, _ = _placed(layout.rows)
        by_row: dict[int, list[tuple[int, str]]] = {}
        for r, c, cell in placed:
            by_row.setdefault(r, []).append((c, cell.text))
            for dr in range(1, cell.down):
                by_row.setdefault(r + dr, []).append((c, ""))
        for r in sorted(by_row):
            for _, text in sorted(by_row[r]):
                first, *rest = text.split("\n")
                lines.append("\t" + first)
                lines.extend(rest)
            lines.append("")
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
