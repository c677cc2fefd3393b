"""Write a Document as an Excel workbook in the long layout (one indicator per row).

One sheet, "绩效目标表": a bold header row (frozen, with an autofilter), then one row per
indicator with the project's header repeated (readers/long.py reads it back). Amounts are
numbers with two decimals. Column widths follow the content; a text that does not fit its column
or has several lines wraps. A text Excel would take for a number or a date if it were typed again
(`573301`, `100%`, `2025年12月`) is formatted as text (`@`), so that editing it keeps it as written.

Written in openpyxl's write-only mode, each row streamed out once, so the time is in proportion to
the rows. (A normal worksheet's `max_row`, or `sheet[n]`, scans every cell of the sheet: asked once
per row, that made 48,000 rows take more than ten minutes.) A styled cell costs openpyxl about twice
a plain value, so only the cells above get a style, and a column's repeated text (the project's
header is on every row) is made into a cell once (bench/run.py --convert; docs/performance.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from goallint.convert import long_rows
from goallint.model import Document
from goallint.readers import long

SHEET = "绩效目标表"
_AMOUNT_FORMAT = "0.00"
_WIDE = re.compile(r"[^\x00-\u2e80]")  # CJK and other characters about two columns wide
_NUMBER_LIKE = re.compile(r"[0-9+\-.]")  # a text starting so may be retyped into a number or a date


def _width(text: str) -> int:
    return max(len(line) + len(_WIDE.findall(line)) for line in text.split("\n"))


def _widths(header: list[str], rows: list[list]) -> list[int]:
    """Each column's width: its longest line, CJK counted double, between 8 and 60. Project headers repeat
    on every row, so each distinct text is measured once."""
    out = []
    for index, name in enumerate(header):
        texts = {str(row[index]) for row in rows if row[index] not in (None, "")}
        texts.add(name)
        out.append(min(max(max(map(_width, texts)) + 2, 8), 60))
    return out


def write(document: Document, path: str | Path, *, encoding: str | None = None) -> None:
    """Write the workbook (`encoding` is for CSV only)."""
    from lxml.etree import SerialisationError
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Font, NamedStyle
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import IllegalCharacterError

    from goallint.convert import OutputError

    header, rows = long_rows.document_to_rows(document)
    amount_names = {long.lexicon().written_name(name) for name in long.AMOUNT_FIELDS}
    amount_columns = {index for index, name in enumerate(header) if name in amount_names}  # 上年结转 only when given
    widths = _widths(header, rows)

    workbook = Workbook(write_only=True)
    # Named styles, registered once; each cell is made with its style's ids (`style_array`)
    styles = {
        "head": NamedStyle(
            "goallint 表头", font=Font(bold=True), alignment=Alignment(vertical="center", wrap_text=True)
        ),
        "amount": NamedStyle("goallint 金额", number_format=_AMOUNT_FORMAT),
        "wrap": NamedStyle("goallint 换行", alignment=Alignment(vertical="top", wrap_text=True)),
        "text": NamedStyle("goallint 文本", number_format="@", alignment=Alignment(vertical="top", wrap_text=True)),
    }
    for style in styles.values():
        workbook.add_named_style(style)
    ids = {name: style.as_tuple() for name, style in styles.items()}
    sheet = workbook.create_sheet(SHEET)
    # widths, panes and the filter come before the rows in the file: set them first
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"

    def cell(value, style: str):
        # row and column are set by the write-only sheet as it writes the cell, so one Cell serves every row
        made = Cell(sheet, row=1, column=1, value=value, style_array=ids[style])
        if isinstance(value, str):
            made.data_type = "s"  # text, even when it starts with "=" (never a formula)
        return made

    def style_of(index: int, value) -> str | None:
        if index in amount_columns:
            return "amount"
        if not isinstance(value, str):
            return None
        if _NUMBER_LIKE.match(value):
            return "text"
        if value.startswith("=") or "\n" in value or _width(value) > widths[index]:
            return "wrap"
        return None

    made: list[dict] = [{} for _ in header]  # per column: value → what is appended for it

    def output(index: int, value):
        if value is None:
            return None
        column = made[index]
        out = column.get(value)
        if out is None:
            style = style_of(index, value)
            out = column[value] = value if style is None else cell(value, style)
        return out

    try:
        sheet.append([cell(name, "head") for name in header])
        for number, values in enumerate(rows, 2):
            try:
                sheet.append([output(index, value) for index, value in enumerate(values)])
            except IllegalCharacterError:
                bad = next(
                    v for v in values if isinstance(v, str) and any(ord(c) < 32 and c not in "\t\n\r" for c in v)
                )
                raise OutputError(
                    str(path), f"第 {number} 行的「{bad[:40]!r}」含有 Excel 不允许的控制字符，无法写入 .xlsx"
                ) from None
        workbook.save(str(path))
    except SerialisationError as exc:  # the rows stream through a temporary file: a full disk shows here
        raise OutputError(str(path), f"无法写入文件：{exc}") from None
