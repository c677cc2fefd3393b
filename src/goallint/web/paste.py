"""A table pasted from Word or Excel: tab-separated text, read with the long or the form layout reader.

Excel and Word put a copied table on the clipboard as text, one line per row and a tab between cells
(Excel quotes a cell holding a line break). Rows whose header names the long layout's columns (项目名称 …
三级指标 … 指标值) are read by readers/csv.py as a .tsv file; anything else is read as the printed form
(readers/form.py) from a Grid of the cells. Word copies a merged cell once, so an indicator row shorter
than the grid header is aligned to the right (the merged 一级指标/二级指标 are the missing left cells and
are filled down from the row above).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from goallint.errors import InputError
from goallint.model import Document, Location
from goallint.readers import form, long
from goallint.readers.grid import Cell, Grid

NAME = "paste"


def rows_of(text: str) -> list[list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter="\t")]


def read(text: str, name: str, folder: Path) -> Document:
    """The Document of a pasted table; `folder` is a private temporary folder for the long layout's file."""
    rows = [row for row in rows_of(text) if any(row)]
    if not rows:
        raise InputError(name, "粘贴的内容是空的")
    if any(long.is_long_header(row) for row in rows[:10]):
        path = folder / "pasted.tsv"
        path.write_text(text, encoding="utf-8")
        from goallint.readers import csv as csv_reader

        return csv_reader.read(path)  # the caller shows findings under `name`
    grid = _grid(rows, name)
    kind = form.kind_of(grid)
    if kind is None:
        raise InputError(
            name,
            "粘贴的内容不是绩效目标表：没有“项目名称”“一级指标…指标值”等表头，也不是逐行形式（项目名称、三级指标、指标值列）",
        )
    document = Document(path=name, format=NAME)
    if kind == "department":
        table, problems = form.read_department(grid, 1)
        if table is not None:
            document.tables.append(table)
        document.problems.extend(problems)
    else:
        context = form.Context()
        for part in form.split(grid):
            table, problems = form.read_grid(part, len(document.tables) + 1, context)
            document.tables.append(table)
            document.problems.extend(problems)
    if not document.tables:
        raise InputError(name, "粘贴的内容中没有可读取的绩效目标表")
    return document


def _grid(rows: list[list[str]], name: str) -> Grid:
    width = max(len(row) for row in rows)
    header_width = None
    cells: list[list[Cell]] = []
    for r, texts in enumerate(rows):
        if header_width is not None and len(texts) < header_width:
            texts = [""] * (header_width - len(texts)) + texts  # merged cells on the left, copied once
        row = [
            Cell(text=t, row=r, col=c, location=Location(file=name, cell=f"行{r + 1} 列{c + 1}"))
            for c, t in enumerate(texts)
        ]
        row += [
            Cell(text="", row=r, col=c, location=Location(file=name, cell=f"行{r + 1} 列{c + 1}"))
            for c in range(len(texts), width)
        ]
        if form.grid_header_columns(row) is not None:
            header_width = len(texts)
        cells.append(row)
    return Grid(rows=cells, location=Location(file=name, cell="行1 列1"))
