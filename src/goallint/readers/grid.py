"""A table as a grid of cells: what Word and Excel readers extract before interpreting the form.

The .docx and .xlsx readers turn each table or sheet into a Grid; the form interpreters
(readers/form.py for project tables, readers/department_form.py for department-wide tables) turn a
Grid into a model.Table. So the knowledge of the form layout lives in one place for both formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from goallint.model import Location


@dataclass(slots=True)
class Cell:
    text: str  # paragraphs joined with "\n", stripped
    row: int  # 0-based position in the grid
    col: int
    location: Location  # file, table or sheet, and row/column/cell address as the user sees them
    # for a cell covered by a merge: the (row, col) of the merge's first cell; None otherwise
    merged_from: tuple[int, int] | None = None


@dataclass(slots=True)
class Grid:
    rows: list[list[Cell]]
    location: Location  # the table (Word: table number) or sheet (Excel: sheet name)
    # text just before the table in the document: title, department line, "单位：万元"
    before: list[str] = field(default_factory=list)

    def texts(self, row: int) -> list[str]:
        return [cell.text for cell in self.rows[row]]


def covered_in_row(cell: Cell) -> bool:
    """A cell repeated by a horizontal merge (not the merge's first cell, same row)."""
    return cell.merged_from is not None and cell.merged_from[0] == cell.row and cell.merged_from[1] != cell.col


def covered_from_above(cell: Cell) -> bool:
    return cell.merged_from is not None and cell.merged_from[0] < cell.row


def logical_cells(row: list[Cell]) -> list[Cell]:
    """The cells of a row with horizontal merges counted once."""
    return [cell for cell in row if not covered_in_row(cell)]
