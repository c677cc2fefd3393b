"""The annotated copy of an Excel workbook (openpyxl): a solid fill and a cell note per faulty cell."""

from __future__ import annotations

import re
from pathlib import Path

from goallint.annotate import AUTHOR, FILL, Grid, locate, note, wanted_field, worst
from goallint.errors import InputError
from goallint.model import Finding

_ADDRESS = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def annotate_xlsx(source: Path, findings: list[Finding], out: Path, *, lang: str = "zh") -> None:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    try:
        book = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    except Exception as exc:  # openpyxl raises many kinds on broken packages
        raise InputError(str(source), f"无法打开 Excel 文件：{exc}") from None
    cells: dict[tuple[str, str], list[Finding]] = {}
    sheets: dict[str, _Sheet] = {}
    for finding in findings:
        cells.setdefault(target(book, finding, sheets), []).append(finding)
    for (sheet, address), found in cells.items():
        cell = book[sheet][address]
        colour = FILL[worst(found)]
        cell.fill = PatternFill(fill_type="solid", fgColor=colour, bgColor=colour)
        text = note(found, lang)
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text, AUTHOR)
        comment.width = 420
        comment.height = 40 + 36 * (text.count("\n") + 1)
        cell.comment = comment
    book.save(out)


class _Sheet:
    """What placing findings needs of one sheet, read once: its merges and its cells as a Grid."""

    def __init__(self, ws):
        self.merges = list(ws.merged_cells.ranges)
        self.origin = {}  # a merged cell's (row, column) → the merge's first cell address, 1-based
        covered = set()  # merged cells but the first
        for m in self.merges:
            for r in range(m.min_row, m.max_row + 1):
                for c in range(m.min_col, m.max_col + 1):
                    self.origin[(r, c)] = m.start_cell.coordinate
                    if (r, c) != (m.min_row, m.min_col):
                        covered.add((r, c))
        width = ws.max_column

        def slots(index: int) -> list[tuple[int, str]]:
            """Row index's non-empty cells, a merge counted once (0-based)."""
            out = []
            for row in ws.iter_rows(min_row=index + 1, max_row=index + 1, min_col=1, max_col=width):
                for cell in row:
                    if (cell.row, cell.column) in covered or cell.value is None:
                        continue
                    out.append((cell.column - 1, str(cell.value).strip()))
            return out

        self.grid = Grid(ws.max_row, slots)


def target(book, finding: Finding, sheets: dict | None = None) -> tuple[str, str]:
    """(sheet name, cell address) a finding is marked on; the top-left cell of a merge. `sheets` keeps
    each sheet's _Sheet from one finding to the next."""
    from openpyxl.utils import column_index_from_string, get_column_letter

    sheets = {} if sheets is None else sheets
    loc = finding.location
    sheet = loc.sheet if loc.sheet in book.sheetnames else book.sheetnames[0]
    if sheet not in sheets:
        sheets[sheet] = _Sheet(book[sheet])
    known = sheets[sheet]
    m = _ADDRESS.match(loc.cell or "") if loc.sheet == sheet else None
    row, col = (int(m.group(2)), column_index_from_string(m.group(1).upper())) if m else (1, 1)
    row, col = locate(known.grid, row - 1, col - 1, wanted_field(finding), loc.row is None)
    return sheet, known.origin.get((row + 1, col + 1), f"{get_column_letter(col + 1)}{row + 1}")
