"""Write a Document as an Excel workbook in the long layout (one indicator per row).

One sheet, "绩效目标表": a bold header row (frozen, with an autofilter), then one row per
indicator with the project's header repeated (readers/long.py reads it back). Amounts are
numbers with two decimals; text cells wrap. Column widths follow the content.

The workbook is written in openpyxl's write-only mode: each row is streamed out once, so the time
is in proportion to the rows. (A normal worksheet's `max_row`, or `sheet[n]`, scans every cell of
the sheet: asked once per row, that made 48,000 rows take more than ten minutes.)
"""

from __future__ import annotations

from pathlib import Path

from goallint.model import Document
from goallint.readers import long

SHEET = "绩效目标表"
_AMOUNT_FORMAT = "0.00"


def _width(text: str) -> float:
    # CJK characters are about two columns wide
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write(document: Document, path: str | Path, *, encoding: str | None = None) -> None:
    """Write the workbook (`encoding` is for CSV only)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import IllegalCharacterError

    from goallint.convert import OutputError

    header, rows = long.document_to_rows(document)
    amount_columns = {header.index(long.lexicon().written_name(name)) for name in long.AMOUNT_FIELDS}

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    # widths, panes and the filter come before the rows in the file: set them first
    for index, name in enumerate(header):
        texts = [name] + [str(row[index]) for row in rows if row[index] not in (None, "")]
        longest = max(_width(line) for text in texts for line in text.split("\n"))
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(longest + 2, 8), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"

    bold, head_alignment = Font(bold=True), Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)

    def header_cell(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.alignment = bold, head_alignment
        return cell

    def cell(index: int, value) -> WriteOnlyCell:
        out = WriteOnlyCell(sheet, value=value)
        if index in amount_columns:
            out.number_format = _AMOUNT_FORMAT
        elif isinstance(value, str):
            out.number_format = "@"  # text: keep 部门编码 and 指标值 as written
            out.alignment = wrap
        return out

    sheet.append([header_cell(name) for name in header])
    for number, values in enumerate(rows, 2):
        try:
            sheet.append([cell(index, value) for index, value in enumerate(values)])
        except IllegalCharacterError:
            bad = next(v for v in values if isinstance(v, str) and any(ord(c) < 32 and c not in "\t\n\r" for c in v))
            raise OutputError(
                str(path), f"第 {number} 行的「{bad[:40]!r}」含有 Excel 不允许的控制字符，无法写入 .xlsx"
            ) from None
    workbook.save(str(path))
