"""A table as a grid of cells: what Word and Excel readers extract before interpreting the form.

The .docx and .xlsx readers turn each table or sheet into a Grid; the form interpreters
(readers/form.py for project tables, readers/department/form.py for department-wide tables) turn a
Grid into a model.Table. So the knowledge of the form layout lives in one place for both formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from goallint.model import Location


class Cell:
    """One grid cell. Its `location` may be given as a function making it, which takes Location's fields
    as keywords (a `functools.partial` of Location): a reader passes one so that the Location (a
    validated model) is made only for the few cells a row, table or finding points at, not for each of
    a table's cells."""

    __slots__ = ("text", "row", "col", "merged_from", "_location")

    def __init__(
        self,
        text: str,
        row: int,
        col: int,
        location: Location | Callable[[], Location],
        merged_from: tuple[int, int] | None = None,
    ):
        self.text = text  # paragraphs joined with "\n", stripped
        self.row = row  # 0-based position in the grid
        self.col = col
        # for a cell covered by a merge: the (row, col) of the merge's first cell; None otherwise
        self.merged_from = merged_from
        self._location = location

    @property
    def location(self) -> Location:
        """File, table or sheet, and row/column/cell address as the user sees them."""
        if not isinstance(self._location, Location):
            self._location = self._location()
        return self._location

    def location_with(self, **update) -> Location:
        """The cell's location with `update` (table, row, column) set: made once when not made yet (the
        function given for it takes the same fields), else copied."""
        if isinstance(self._location, Location):
            return self._location.model_copy(update=update)
        return self._location(**update)

    def __repr__(self) -> str:
        return f"Cell({self.text!r}, row={self.row}, col={self.col}, merged_from={self.merged_from})"


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
