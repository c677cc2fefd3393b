"""The indicator grid of a Grid (Word, Excel, PDF tables): its header, blocks and rows.

Used by readers/form.py for project tables. The header words are readers/columns.py's vocabulary.

Header: the first row holding at least three indicator headers, a target among them (指标值, 年初目标值,
预期2024年实现值…: chosen by its header, never by position). Headers merged over two rows count as one
header: a row whose cells continue (vertically merged) into the header row belongs to it, and a row
below it made only of headers (指标性质 | 指标值 | 度量单位 under a merged 指标值) refines it; each grid
column takes its lowest header. A header cell merged horizontally counts once, at its first column.

Blocks: a row above a grid header holding only 长期绩效指标 / 中期绩效指标 / 年度绩效指标 names the block
of the rows below (stacked blocks repeat the grid header under each heading); two headings over two
groups of columns side by side name one group each. Two target columns of one row (中期指标值 |
年度指标值) give one IndicatorRow each, with their block.

Rows: 一级指标 and 二级指标 are filled down when empty (vertical merges); a group of columns without
一级指标 (a block side by side) takes the row's 一级指标 from the group before it. A row holding only
continued merges, an empty template row and a repeated grid header are skipped without a word. A
target split over cells (指标性质 | 指标值 | 度量单位) becomes one `value` with `parts` pointing at each
cell; weights, scores and actual values go to `IndicatorRow.extra`, never into the target.

Problems (only where something is wrong): `unknown-column` once per column whose header the
vocabulary does not know (add it under `columns:` in goallint.yaml), `unplaced-cell` for a cell
holding text in a column without any header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from goallint.model import IndicatorRow, Location, Problem, TargetPart
from goallint.readers import columns as vocab
from goallint.readers.columns import Group, Layout
from goallint.readers.form_header import at as _at
from goallint.readers.form_header import where
from goallint.readers.form_knowledge import flat, is_closing, is_title
from goallint.readers.grid import Cell, Grid, logical_cells
from goallint.readers.grid import covered_from_above as _covered_from_above
from goallint.readers.grid import covered_in_row as _covered_in_row

VALUE_COLUMN = "指标值"
_UNIT_LINE = re.compile(r"^(?:金额)?单位\s*[：:]")


def _header_cells(row: list[Cell]) -> list[Cell]:
    """The cells of a header row, each merge once at its first column (vertical continuations included)."""
    return [c for c in row if c.merged_from is None or c.merged_from[1] == c.col]


def _texts(row: list[Cell]) -> list[tuple[int, str]]:
    return [(c.col, flat(c.text)) for c in _header_cells(row) if c.text]


def _is_header_only(row: list[Cell]) -> bool:
    """Every cell of its own (not continued from above) holds a known header, and there is one."""
    own = [c for c in _header_cells(row) if c.text and not _covered_from_above(c)]
    return bool(own) and all(vocab.role_of(c.text) is not None for c in own)


@dataclass
class Header:
    top: int  # first grid row of the header
    bottom: int  # last grid row of the header
    layout: Layout


def header_at(grid: Grid, index: int) -> Header | None:
    """The grid header whose (lowest-but-one or only) row is `index`, with the rows merged into it."""
    row = grid.rows[index]
    lay = vocab.layout(_texts(row))
    if lay is None:
        return None
    top = bottom = index
    # (cells keep their row in the whole sheet: a table split off a sheet starts further down)
    if index > 0 and any(c.merged_from is not None and c.merged_from[0] == c.row - 1 for c in row):
        top = index - 1  # header cells merged down from the row above: the header's first row
    if index + 1 < len(grid.rows):
        below = grid.rows[index + 1]
        if any(_covered_from_above(c) for c in below) and _is_header_only(below):
            bottom = index + 1
    if bottom > top:
        by_col: dict[int, str] = {}
        for r in range(top, bottom + 1):
            for col, text in _texts(grid.rows[r]):
                by_col[col] = text  # the lowest header of each column
        # a header merged over columns that the row below names one by one counts at its first column only
        lay = vocab.layout(sorted(by_col.items())) or lay
    return Header(top, bottom, lay)


def find_header(grid: Grid, start: int = 0) -> Header | None:
    for index in range(start, len(grid.rows)):
        header = header_at(grid, index)
        if header is not None:
            return header
    return None


def names_without_target(grid: Grid) -> tuple[int, list[str]] | None:
    """A row naming the indicator columns (一级指标, 二级指标, 三级指标 …) but no target column the vocabulary
    knows: (its index, the headers it does not know), or None."""
    for index, row in enumerate(grid.rows):
        texts = _texts(row)
        roles = [vocab.role_of(text) for _, text in texts]
        named = sum(role in vocab.NAME_ROLES for role in roles)
        if named >= 2 and ("level3" in roles or "description" in roles):
            return index, [vocab.normalize(text) for (_, text), role in zip(texts, roles, strict=True) if role is None]
    return None


def heading_row(row: list[Cell]) -> list[tuple[int, str]] | None:
    """(column, block) of each heading of a heading row (长期绩效指标 | 年度绩效指标), else None."""
    cells = [c for c in logical_cells(row) if c.text and not _covered_from_above(c)]
    if not cells:
        return None
    found = [(c.col, vocab.heading_of(c.text)) for c in cells]
    if any(block is None for _, block in found):
        return None
    return [(col, block) for col, block in found if block is not None]


@dataclass
class _Fill:
    level1: str = ""
    level2: str = ""


@dataclass
class GridRows:
    rows: list[IndicatorRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    self_evaluation: bool = False


class _Reader:
    def __init__(self, grid: Grid, number: int, name: str):
        self.grid = grid
        self.number = number
        self.name = name
        self.out = GridRows()
        self.fills: list[_Fill] = []
        self.unknown_reported: set[tuple[int, str]] = set()

    def problem(self, code: str, message: str, location: Location) -> None:
        self.out.problems.append(Problem(code=code, message=message, location=location))

    def use(self, header: Header, headings: list[tuple[int, str]]) -> Layout:
        lay = header.layout
        vocab.assign_headings(lay, headings)
        self.fills = [_Fill() for _ in lay.groups]
        self.out.self_evaluation = self.out.self_evaluation or lay.self_evaluation
        head = self.grid.rows[header.bottom]
        for col, text in lay.unknown:
            if (col, text) in self.unknown_reported:
                continue
            self.unknown_reported.add((col, text))
            cell = next((c for c in head if c.col == col), head[0])
            self.problem(
                "unknown-column",
                f"表{self.number}（{self.name}）指标表头中的“{text}”列（{where(cell)}）不认识，未读取；"
                "若它是目标值、指标名称或可略过的列，请在 goallint.yaml 的 columns: 中注明",
                _at(cell, self.number, column=text),
            )
        return lay

    def read(self, header: Header, headings: list[tuple[int, str]]) -> GridRows:
        lay = self.use(header, headings)
        index = header.bottom + 1
        pending: list[tuple[int, str]] = []
        while index < len(self.grid.rows):
            row = self.grid.rows[index]
            heads = heading_row(row)
            if heads is not None:
                pending = heads
                index += 1
                continue
            again = header_at(self.grid, index)
            if again is not None:  # the grid header repeated (a new page, the next block)
                lay = self.use(again, pending) if (pending or again.layout.groups) else lay
                pending = []
                index = again.bottom + 1
                continue
            if pending:  # a heading with no header under it: the rows below are its block
                vocab.assign_headings(lay, pending)
                pending = []
            if not self.closing_or_banner(row, lay):
                self.data_row(row, lay)
            index += 1
        return self.out

    def closing_or_banner(self, row: list[Cell], lay: Layout) -> bool:
        """A row that is no indicator: a total or footer row (`合计`, `总分`, `填表人：…`: form-labels.yaml
        `closing`), read over; or one cell merged over every indicator column (a title, a 单位 line, a
        note), read over when it is a title or unit line, else one `unplaced-cell`."""
        own = [c for c in logical_cells(row) if c.text and not _covered_from_above(c)]
        if not own:
            return False
        if is_closing(own[0].text):
            return True
        if len(own) != 1:
            return False
        first = own[0]
        spanned = {c.col for c in row if c is first or c.merged_from == (first.row, first.col)}
        if not {col for g in lay.groups for col in g.columns} <= spanned:
            return False
        text = flat(first.text)
        if not (is_title(text) or _UNIT_LINE.match(text)):
            self.problem(
                "unplaced-cell",
                f"表{self.number}（{self.name}）的单元格 {where(first)}“{text[:40]}”横跨整个指标表，不是指标行，未读取",
                _at(first, self.number),
            )
        return True

    def data_row(self, row: list[Cell], lay: Layout) -> None:
        by_col = {cell.col: cell for cell in row}
        starts = set(lay.known)

        def text(col: int | None) -> tuple[str, Cell | None]:
            if col is None:
                return "", None
            cell = by_col.get(col)
            if cell is None:
                return "", None
            if _covered_in_row(cell) and cell.merged_from[1] in starts and cell.merged_from[1] != col:
                return "", None  # the cell of another column spans this one
            return flat(cell.text), cell

        row_level1 = ""
        for group, fill in zip(lay.groups, self.fills, strict=True):
            names = {role: text(col) for role, col in group.names.items()}
            targets = [(t, *text(t.col)) for t in group.targets]
            parts = {role: text(col) for role, (col, _) in group.parts.items()}
            kept = {role: text(col)[0] for role, col in group.kept.items()}
            own = any(
                value and cell is not None and not _covered_from_above(cell)
                for value, cell in [*names.values(), *((v, c) for _, v, c in targets), *parts.values()]
            )
            level3, description = names.get("level3", ("", None))[0], names.get("description", ("", None))[0]
            if not own and not (level3 or description or any(v for _, v, _ in targets)):
                continue  # an empty row, or one holding only merges from above
            if not any(v for v, _ in [*names.values(), *parts.values()]) and not any(v for _, v, _ in targets):
                continue  # an empty template row (a weight alone is no indicator)
            level1 = names.get("level1", ("", None))[0]
            if level1:
                fill.level1 = level1
            elif "level1" not in group.names and row_level1:
                fill.level1 = row_level1
            level2 = names.get("level2", ("", None))[0]
            if level2:
                fill.level2 = level2
            row_level1 = fill.level1
            for target, value, cell in targets:
                self.emit(group, fill, level3, description, target, value, cell, parts, kept, row)
        used = {col for g in lay.groups for col in (*g.columns, *g.kept.values())}
        for cell in logical_cells(row):
            if not cell.text or cell.col in used or cell.col in lay.known or _covered_from_above(cell):
                continue
            if any(cell.col == col for col, _ in lay.unknown):
                continue  # its column was reported once at the header
            self.problem(
                "unplaced-cell",
                f"表{self.number}（{self.name}）的单元格 {where(cell)}“{flat(cell.text)[:40]}”不在任何指标列下，未读取",
                _at(cell, self.number),
            )

    def emit(self, group: Group, fill: _Fill, level3, description, target, value, cell, parts, kept, row) -> None:
        number = len(self.out.rows) + 1
        anchor = cell or next((c for c in row if c.text), row[0])
        column = VALUE_COLUMN if target.block is None else target.header
        location = _at(anchor, self.number, row=number, column=column)
        split: dict[str, TargetPart] = {}
        if group.split:
            comparator = parts.get("comparator")
            unit = parts.get("unit")
            value, spans = vocab.combine(value, comparator[0] if comparator else None, unit[0] if unit else None)
            split["number"] = TargetPart(text=(cell and flat(cell.text)) or "", span=spans["number"], location=location)
            for role in ("comparator", "unit"):
                got = parts.get(role)
                if got is None:
                    continue
                part_text, part_cell = got
                header = group.parts[role][1]
                where_ = _at(part_cell, self.number, row=number, column=header) if part_cell else location
                split[role] = TargetPart(text=part_text, span=spans[role], location=where_)
        extra = {role: text for role, text in kept.items() if text}
        self.out.rows.append(
            IndicatorRow(
                level1=fill.level1,
                level2=fill.level2,
                level3=level3,
                description=description,
                value=value,
                location=location,
                parts=split,
                block=target.block or group.block,
                extra=extra,
            )
        )


def read_rows(grid: Grid, header: Header, number: int, name: str) -> GridRows:
    """The indicator rows below `header` (see the module docstring); headings above the header name blocks."""
    headings: list[tuple[int, str]] = []
    for index in range(header.top - 1, -1, -1):
        heads = heading_row(grid.rows[index])
        if heads is None:
            break
        headings = heads + headings
    return _Reader(grid, number, name).read(header, headings)


def heading_rows_above(grid: Grid, header: Header) -> set[int]:
    """The indices of heading rows just above the header (not part of the header block)."""
    out: set[int] = set()
    for index in range(header.top - 1, -1, -1):
        if heading_row(grid.rows[index]) is None:
            break
        out.add(index)
    return out


@dataclass
class Found:
    """Where a Grid's indicator grid is: its header, or a row naming the indicators without a known target
    column (its index and unknown headers), or nothing; `above` are the rows of the header block."""

    header: Header | None
    names: tuple[int, list[str]] | None
    above: list[list[Cell]]


def locate(grid: Grid) -> Found:
    header = find_header(grid)
    if header is not None:
        headings = heading_rows_above(grid, header)
        return Found(header, None, [row for i, row in enumerate(grid.rows[: header.top]) if i not in headings])
    names = names_without_target(grid)
    return Found(None, names, grid.rows[: names[0]] if names else grid.rows)


def read_found(grid: Grid, found: Found, number: int, name: str, title: str | None) -> GridRows:
    """The indicator rows of a located grid, with the problems of its header (see the module docstring)."""
    table = grid.location.model_copy(update={"table": number})
    if found.names is not None:  # the indicator grid is there, its target column's header unknown: said once
        index, unknown = found.names
        message = (
            f"表{number}（{name}）的指标表头中没有认识的目标值列（{'、'.join(unknown) or '无其他列'}），"
            "指标行未读取；请在 goallint.yaml 的 columns: value: 中注明目标值列的表头"
        )
        return GridRows(
            problems=[Problem(code="unknown-target-column", message=message, location=_at(grid.rows[index][0], number))]
        )
    if found.header is None:
        message = f"表{number}（{name}）没有指标表头（一级指标、二级指标、三级指标、绩效指标描述、指标值）"
        return GridRows(problems=[Problem(code="missing-grid", message=message, location=table)])
    header = found.header
    names = header.layout.groups[0].names
    # 指标内容 (description) may name the indicator instead of 三级指标
    wanted = {"level1": "一级指标"} if "description" in names else {"level1": "一级指标", "level3": "三级指标"}
    missing = [label for role, label in wanted.items() if role not in names]
    out = read_rows(grid, header, number, name)
    if missing:
        location = _at(grid.rows[header.bottom][0], number)
        message = f"表{number}（{name}）的指标表头缺少{'、'.join(missing)}列"
        out.problems.insert(0, Problem(code="grid-header", message=message, location=location))
    if "自评" in (title or "") or any("自评" in line for line in grid.before):
        out.self_evaluation = True
    return out
