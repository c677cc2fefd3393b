"""Fixes in Word documents (.docx): only the text runs of the fixed cells change.

word/document.xml is parsed with lxml (no whitespace stripped) and the Word reader walks it again
(`readers.docx.read_body`), which yields the w:tbl elements in the numbering of the cell locations
(`表3 行8 列7`). In the fixed cell, only the characters that differ between the old and the new text
are replaced inside the existing w:t runs, so run formatting (font, bold, colour) is kept; the
rest of the XML is serialised back unchanged and every other part of the package is copied byte
for byte. A cell whose text cannot be matched to its runs is skipped with the reason.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from goallint.fix import CellEdit, FixError, edit_runs
from goallint.model import Document
from goallint.readers import docx as reader

PART = "word/document.xml"
_CELL = re.compile(r"^表(\d+) 行(\d+) 列(\d+)$")
_T = reader._w("t")
# w:t under these is not visible text (moved-away text, the fallback copy of a drawing)
_HIDDEN = {reader._w("moveFrom"), reader._w("del"), f"{{{reader.MC}}}Fallback"}


def _cell(tables: list, number: int, row: int, col: int, rows_of: dict | None = None):
    """The w:tc of Word table `number`, row and grid column (1-based); rows_of keeps each table's rows
    from one fix to the next (a table with many fixes is walked once)."""
    if not 1 <= number <= len(tables):
        return None
    rows_of = {} if rows_of is None else rows_of
    if number not in rows_of:
        rows_of[number] = list(reader._children(tables[number - 1], reader._TR))
    rows = rows_of[number]
    if not 1 <= row <= len(rows):
        return None
    tr = rows[row - 1]
    at = reader._int_attr(tr.find(reader._w("trPr")), "gridBefore", 0)
    for tc in reader._children(tr, reader._TC):
        span = max(1, reader._int_attr(tc.find(reader._w("tcPr")), "gridSpan", 1))
        if at <= col - 1 < at + span:
            return tc
        at += span
    return None


def _runs(tc) -> list:
    """The visible w:t elements of a cell in reading order (not those of nested tables)."""
    out = []
    for t in tc.iter(_T):
        node, hidden = t.getparent(), False
        while node is not None and node is not tc:
            if node.tag in _HIDDEN or node.tag == reader._TBL:
                hidden = True
                break
            node = node.getparent()
        if not hidden:
            out.append(t)
    return out


def apply(data: bytes, edits: list[CellEdit], document: Document) -> tuple[bytes, list[tuple[CellEdit, str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        xml = archive.read(PART)
        root = etree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise FixError(f"无法打开 Word 文档写回：{exc}") from None
    tables: list = []
    reader.read_body(root.find(reader._w("body")), document.path, word_tables=tables)
    skipped: list[tuple[CellEdit, str]] = []
    done = 0
    rows_of: dict = {}
    for edit in edits:
        m = _CELL.match(edit.location.cell or "")
        tc = _cell(tables, *map(int, m.groups()), rows_of) if m else None
        if tc is None:
            skipped.append((edit, f"找不到单元格 {edit.location.cell}"))
            continue
        vmerge = tc.find(reader._w("tcPr") + "/" + reader._w("vMerge"))
        if vmerge is not None and vmerge.get(reader._w("val"), "continue") == "continue":
            skipped.append((edit, f"{edit.location.cell} 是纵向合并的续格，请手工修改"))
            continue
        if not edit_runs(_runs(tc), edit.old, edit.new):
            skipped.append((edit, f"{edit.location.cell} 的文字分在多个段落或与读到的「{edit.old}」不符，请手工修改"))
            continue
        done += 1
    if not done:
        return data, skipped
    head = xml[: xml.index(b"?>") + 2] if xml.startswith(b"<?xml") else b""
    gap = re.match(rb"\s*", xml[len(head) :]).group(0) if head else b""
    new_xml = head + gap + etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            target.writestr(info, new_xml if info.filename == PART else archive.read(info.filename))
    return out.getvalue(), skipped
