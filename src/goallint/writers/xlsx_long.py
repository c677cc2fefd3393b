"""Write a Document as an Excel workbook in the long layout (one indicator per row).

One sheet, "绩效目标表": a bold header row (frozen, with an autofilter), then one row per
indicator with the project's header repeated (readers/long.py reads it back). Amounts are
numbers with two decimals; text cells wrap. Column widths follow the content.
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


def write(document: Document, path: str | Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header, rows = long.document_to_rows(document)
    amount_columns = {header.index(long.lexicon().written_name(name)) for name in long.AMOUNT_FIELDS}

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for values in rows:
        sheet.append(values)
        for index, cell in enumerate(sheet[sheet.max_row]):
            if index in amount_columns:
                cell.number_format = _AMOUNT_FORMAT
            elif isinstance(cell.value, str):
                cell.number_format = "@"  # text: keep 部门编码 and 指标值 as written
                cell.alignment = wrap
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"
    for index, name in enumerate(header):
        texts = [name] + [str(row[index]) for row in rows if row[index] not in (None, "")]
        longest = max(_width(line) for text in texts for line in text.split("\n"))
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(longest + 2, 8), 60)
    workbook.save(str(path))
