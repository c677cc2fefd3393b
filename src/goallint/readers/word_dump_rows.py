"""The indicator rows of a Word text dump (readers/word_dump.py): cells counted into rows by the grid header.

The corpus's form has five columns (一级指标 二级指标 三级指标 绩效指标描述 指标值), read the fast way. Any
other grid header is read by readers/columns.py: the number of cells a row has and what each means come
from the header read (权重, 指标性质 | 指标值 | 度量单位, 中期指标值 | 年度指标值, 年初目标值 | 实际完成值 …),
a target split over cells becomes one value with parts pointing at each cell's line.
"""

from __future__ import annotations

from goallint.model import IndicatorRow, Location, constructor
from goallint.readers.columns import assign_headings, layout, role_of, rows_of

DEFAULT_COLUMNS = ["level1", "level2", "level3", "description", "value"]
DEFAULT_LABELS = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"]

# rows and their locations are built from values of the right types, without validation
_row = constructor(IndicatorRow, "level1", "level2", "level3", "description", "value", "location")
_value_location = constructor(Location, "file", "table", "row", "column", "line")


class GridRows:
    """The grid part of word_dump's reader: `end_header` when the header's labels are read, `emit_row` per row."""

    path: str

    def end_header(self, table, line: int) -> None:
        """The grid header has been read: what its columns mean (readers/columns.py)."""
        labels = table.columns or []
        table.in_grid = True
        table.layout = None
        roles = [role_of(label) for label in labels]
        if roles == DEFAULT_COLUMNS:
            return  # the plain form: five cells a row, read the fast way
        lay = layout(list(enumerate(labels)))
        if lay is None:
            # the grid header is short: take the usual order
            self.problem(
                "grid-header",
                f"表{table.index}的指标表头不完整（{'、'.join(labels)}），按“一级指标、二级指标、三级指标、绩效指标描述、指标值”读取",
                line,
                table.index,
            )
            table.columns = list(DEFAULT_LABELS)
            return
        if len(table.blocks) == len(lay.groups) > 1:  # 长期绩效指标 | 年度绩效指标 over two groups side by side
            for group, block in zip(lay.groups, table.blocks, strict=True):
                group.block = block
        else:
            assign_headings(lay, [(0, table.block)] if table.block else [])
        table.blocks = []
        table.layout = lay
        table.fills = [["", ""] for _ in lay.groups]

    def emit_row(self, table) -> None:
        if table.layout is not None:
            self.emit_layout_row(table)
            return
        cells = table.row_cells
        table.row_cells = []
        level1, level2, level3, description, value = [c.flat() for c in cells]  # the five DEFAULT_COLUMNS
        value_cell = cells[4]
        if level1:
            table.level1 = level1
        else:
            level1 = table.level1
        if level2:
            table.level2 = level2
        else:
            level2 = table.level2
        number = len(table.rows) + 1
        table.rows.append(
            _row(
                level1,
                level2,
                level3,
                description,
                value,
                _value_location(self.path, table.index, number, "指标值", value_cell.line),
            )
        )

    def emit_layout_row(self, table) -> None:
        """An indicator row of any other header: names, target(s) and split parts by the columns' roles."""
        cells = table.row_cells
        table.row_cells = []

        def location(col: int, column: str, number: int) -> Location:
            return _value_location(self.path, table.index, number, column, cells[col].line)

        rows = rows_of(table.layout, table.fills, [c.flat() for c in cells], location, len(table.rows) + 1)
        table.rows.extend(rows)
