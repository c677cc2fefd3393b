"""Fixes in Excel workbooks (.xlsx): only the fixed cells' XML changes.

The workbook is a zip of XML parts. The fixed cell's `<c r="G8">` element is found in its sheet's
XML and replaced by an inline-string cell with the same attributes (style kept) holding the cell's
text runs, in which only the characters that differ are changed (rich-text fonts kept); every
other byte of that part and every other part (other sheets, shared strings, styles, merged cells,
comments, drawings) is copied unchanged, entry by entry. A cell covered by a merge is written at
the merge's first cell. Only text cells are fixed: a number or a formula result is
skipped with the reason.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from posixpath import join, normpath

from lxml import etree

from goallint.fix import CellEdit, FixError, edit_runs, splice
from goallint.model import Document
from goallint.readers.form_knowledge import flat
from goallint.readers.xlsx import cell_text

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip entry of its XML."""
    workbook = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_REL}}}Relationship")}
    out = {}
    for sheet in workbook.iter(f"{{{MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL}}}id"), "")
        out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
    return out


def _shared_strings(archive: zipfile.ZipFile) -> list:
    """The <si> elements of the shared strings table (plain or rich text)."""
    name = next((n for n in archive.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return []
    return list(etree.fromstring(archive.read(name)).iter(f"{{{MAIN}}}si"))


def _runs(item) -> list:
    """The text elements of a string item (<si> or <is>), without phonetic guides (rPh)."""
    return [t for t in item.iter(f"{{{MAIN}}}t") if t.getparent().tag != f"{{{MAIN}}}rPh"]


def _split(address: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", address.upper())
    if not m:
        raise ValueError(address)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z0-9$]+:[A-Z0-9$]+)"')
_CELL = re.compile(rb'<((?:\w+:)?)c\b([^>]*?\br="([A-Z]+[0-9]+)"[^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)


class _Sheet:
    """One sheet part, scanned once: its cells by address and its merges by row, so that each fix is
    found without another pass over the sheet (a sheet with many fixes takes time in proportion to its size)."""

    def __init__(self, xml: bytes):
        self.xml = xml
        self.cells: dict[str, list[re.Match]] = {}
        for m in _CELL.finditer(xml):
            self.cells.setdefault(m.group(3).decode(), []).append(m)
        self.merges: dict[int, list[tuple[int, int, str]]] = {}  # row → (first col, last col, first cell)
        for ref in _MERGE.findall(xml):
            first, last = ref.decode().split(":")
            (r1, c1), (r2, c2) = _split(first), _split(last)
            for row in range(r1, r2 + 1):
                self.merges.setdefault(row, []).append((c1, c2, first.replace("$", "")))
        self.edited: dict[str, tuple[re.Match, object]] = {}  # address → (its cell, its edited string item)

    def merge_origin(self, address: str) -> str:
        row, col = _split(address)
        return next((first for c1, c2, first in self.merges.get(row, ()) if c1 <= col <= c2), address)

    def result(self) -> bytes:
        """The sheet with each edited cell replaced by an inline string holding its edited runs (rich text
        keeps its fonts); the shared table is left alone (each child declares the main namespace as its
        default, so this is valid under any prefix)."""
        spans = []
        for m, item in self.edited.values():
            prefix, attrs = m.group(1), m.group(2)
            inner = b"".join(etree.tostring(child, encoding="UTF-8") for child in item)
            attrs = re.sub(rb'\s+t="\w+"', b"", attrs) + b' t="inlineStr"'
            spans.append(
                (m.start(), m.end(), b"<%sc%s><%sis>%s</%sis></%sc>" % (prefix, attrs, prefix, inner, prefix, prefix))
            )
        return splice(self.xml, spans)


def _string_item(attrs: bytes, body: bytes | None, shared: list):
    """A copy of the cell's string item (<si> or <is>), or None for numbers, booleans and formulas."""
    kind = re.search(rb'\bt="(\w+)"', attrs)
    kind = kind.group(1) if kind else b"n"
    if body is None or re.search(rb"<(?:\w+:)?f\b", body):
        return None
    if kind == b"s":
        m = re.search(rb"<(?:\w+:)?v>\s*(\d+)\s*</", body)
        return copy.deepcopy(shared[int(m.group(1))]) if m and int(m.group(1)) < len(shared) else None
    if kind == b"inlineStr":
        root = etree.fromstring(b"<c xmlns='%s'>" % MAIN.encode() + re.sub(rb"<(/?)\w+:", rb"<\1", body) + b"</c>")
        return root.find(f"{{{MAIN}}}is")
    return None


def apply(data: bytes, edits: list[CellEdit], document: Document) -> tuple[bytes, list[tuple[CellEdit, str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = _sheet_parts(archive)
        shared = _shared_strings(archive)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise FixError(f"无法打开工作簿写回：{exc}") from None
    sheets: dict[str, _Sheet] = {}
    skipped: list[tuple[CellEdit, str]] = []
    for edit in edits:
        sheet, address = edit.location.sheet, edit.location.cell
        part = parts.get(sheet or "")
        if part is None or not address:
            skipped.append((edit, f"找不到单元格 {sheet}!{address}"))
            continue
        if part not in sheets:
            sheets[part] = _Sheet(archive.read(part))
        xml = sheets[part]
        address = xml.merge_origin(address)
        if address in xml.edited:  # a second fix of one cell: on the text the first left
            m, item = xml.edited[address]
        else:
            matches = xml.cells.get(address, [])
            if len(matches) != 1:
                skipped.append((edit, f"找不到单元格 {sheet}!{address}"))
                continue
            m = matches[0]
            item = _string_item(m.group(2), m.group(4), shared)
        if item is None:
            skipped.append((edit, f"{sheet}!{address} 不是文本单元格（数字或公式），请手工修改"))
            continue
        runs = _runs(item)
        raw = "".join(t.text or "" for t in runs)
        text = cell_text(raw, None)
        if edit.old not in (text, flat(text)) or not edit_runs(runs, edit.old, edit.new):
            skipped.append((edit, f"{sheet}!{address} 的内容「{raw}」与读到的「{edit.old}」不符"))
            continue
        xml.edited[address] = (m, item)
    changed = {part: sheet.result() for part, sheet in sheets.items() if sheet.edited}
    if not changed:
        return data, skipped
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            target.writestr(info, changed.get(info.filename) or archive.read(info.filename))
    return out.getvalue(), skipped
