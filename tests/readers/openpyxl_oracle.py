"""The openpyxl reader goallint used before python-calamine, kept as an oracle: the calamine reader
must give every .xlsx the same grids (cell texts, merges, locations), problems, model and findings.

`sheet_grid` is the former readers/xlsx.sheet_grid, unchanged but for its imports.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from goallint.model import Document, Location, Problem
from goallint.readers.cell_text import cell_text, column_letter
from goallint.readers.grid import Cell, Grid
from goallint.readers.xlsx import SheetTexts, read_tables


def sheet_grid(ws, path: str, formulas=None) -> tuple[Grid, list[Problem]]:
    """A worksheet as a Grid (row i, column j ↔ sheet row i+1, column j+1); merges resolved."""
    problems: list[Problem] = []
    texts: dict[tuple[int, int], str] = {}
    max_row = max_col = 0
    # the stored cells only: ws.iter_rows() creates every cell of the used range, and one cell at
    # XFD1048576 makes that range 17 billion cells (docs/robustness.md)
    for cell in [cell for _, cell in sorted(ws._cells.items())]:
        if cell.value is None:
            if formulas is not None:
                source = formulas.cell(cell.row, cell.column).value
                if isinstance(source, str) and source.startswith("="):
                    problems.append(
                        Problem(
                            code="formula-without-value",
                            message=f"单元格 {ws.title}!{cell.coordinate} 的公式 {source} 没有保存计算结果（文件未在 Excel 中打开并保存过），按空单元格读取",  # noqa: E501 — the former code, unchanged
                            location=Location(file=path, sheet=ws.title, cell=cell.coordinate),
                        )
                    )
            continue
        text = cell_text(cell.value, cell.number_format)
        if text:
            texts[(cell.row - 1, cell.column - 1)] = text
            max_row = max(max_row, cell.row)
            max_col = max(max_col, cell.column)
    from goallint.safety import check_sheet_extent

    check_sheet_extent(path, ws.title, max_row, max_col, len(texts))
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in ws.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if (top, left) not in texts and not any(
            (r, c) in texts for r in range(top, merged.max_row) for c in range(left, merged.max_col)
        ):
            continue  # an empty merge: nothing to resolve
        for r in range(top, merged.max_row):
            for c in range(left, merged.max_col):
                if (r, c) != (top, left):
                    origins[(r, c)] = (top, left)
        max_row = max(max_row, merged.max_row if (top, left) in texts else 0)
        max_col = max(max_col, merged.max_col if (top, left) in texts else 0)
    rows: list[list[Cell]] = []
    for r in range(max_row):
        row: list[Cell] = []
        for c in range(max_col):
            origin = origins.get((r, c))
            text = texts.get(origin, "") if origin is not None else texts.get((r, c), "")
            address = f"{column_letter(c + 1)}{r + 1}"
            row.append(
                Cell(
                    text=text,
                    row=r,
                    col=c,
                    location=Location(file=path, sheet=ws.title, cell=address),
                    merged_from=origin,
                )
            )
        rows.append(row)
    return Grid(rows=rows, location=Location(file=path, sheet=ws.title, cell="A1")), problems


def grids(path: Path) -> list[tuple[str, Grid, list[Problem]]]:
    values = openpyxl.load_workbook(str(path), data_only=True)
    formulas = openpyxl.load_workbook(str(path), data_only=False)
    return [(ws.title, *sheet_grid(ws, str(path), formulas[ws.title])) for ws in values.worksheets]


def read(path: Path) -> Document:
    """The former reader's grids, interpreted by the current reader (the interpretation is the same code)."""
    sheets = []
    for name, grid, problems in grids(path):
        rows = [[cell.text for cell in row] for row in grid.rows]
        origins = {(c.row, c.col): c.merged_from for row in grid.rows for c in row if c.merged_from is not None}
        sheets.append(SheetTexts(name, rows if any(any(r) for r in rows) else [], origins, problems))
    return read_tables(str(path), sheets, "xlsx")
