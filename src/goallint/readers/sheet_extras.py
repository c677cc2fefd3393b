"""What python-calamine does not give about a sheet, found by light passes over the file's XML.

python-calamine reads cell values (readers/xlsx.py) but not:

* number formats (.xlsx): a number shows as its format says (`12` with `0.00` is "12.00", `0.9`
  with `0%` is "90%"). xl/styles.xml maps a cell's style index to its format; only the cells whose
  style has a format other than General are looked up in the sheet's XML (one regex pass, skipped
  entirely when no style has such a format);
* formulas without a cached value (.xlsx): a file written by a program and never opened in Excel;
  calamine reads them as empty, the formula text is found here for the message;
* merged ranges and shown text (.ods): content.xml spells both out (table:number-columns-spanned,
  the <text:p> of each cell), so a number or date shows as LibreOffice shows it.

Every pass also bounds the sheet before calamine lays it out as a dense rows × columns range: a
few cells far apart (one at XFD1048576) or an .ods row repeated a million times is refused first
(safety.check_sheet_extent).
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from posixpath import join, normpath

from goallint.readers.cell_text import BUILTIN_FORMATS, PLAIN_FORMATS

Address = tuple[int, int]  # 0-based row, column


@dataclass
class SheetExtras:
    formats: dict[Address, str] = field(default_factory=dict)  # non-General number formats
    shown: dict[Address, str] = field(default_factory=dict)  # the text a cell shows (.ods)
    merges: list[tuple[Address, Address]] | None = None  # (top-left, bottom-right), inclusive (.ods)
    formulas: dict[Address, str] = field(default_factory=dict)  # formulas without a cached value


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_number(letters: bytes | str) -> int:  # 1-based
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


# --------------------------------------------------------------------------- .xlsx


def _xml(data: bytes):
    """A small XML part (workbook, relations, styles); safety.check_zip has refused any DTD."""
    from lxml import etree

    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))


def xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the part that holds it (xl/worksheets/sheet1.xml)."""
    workbook = _xml(archive.read("xl/workbook.xml"))
    rels_name = "xl/_rels/workbook.xml.rels"
    targets: dict[str, str] = {}
    if rels_name in archive.namelist():
        for rel in _xml(archive.read(rels_name)).iter(f"{_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            target = target[1:] if target.startswith("/") else normpath(join("xl", target))
            targets[rel.get("Id", "")] = target
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_REL}id", ""))
        if part is not None:
            parts[sheet.get("name", "")] = part
    return parts


def xlsx_style_formats(archive: zipfile.ZipFile) -> dict[int, str]:
    """Style index → number format, for the styles whose format is not General or text."""
    if "xl/styles.xml" not in archive.namelist():
        return {}
    root = _xml(archive.read("xl/styles.xml"))
    custom = {int(f.get("numFmtId", "-1")): f.get("formatCode", "General") for f in root.iter(f"{_MAIN}numFmt")}
    cell_xfs = root.find(f"{_MAIN}cellXfs")
    formats: dict[int, str] = {}
    for index, xf in enumerate(cell_xfs if cell_xfs is not None else ()):
        number = int(xf.get("numFmtId", "0") or 0)
        code = custom.get(number) or BUILTIN_FORMATS.get(number, "General")
        if code not in PLAIN_FORMATS:
            formats[index] = code
    return formats


_STYLED_CELL = re.compile(rb'<c\b([^>]*?)\bs="([0-9]+)"([^>]*)>')
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_LAST_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,7})"')
_WIDE_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{2,3})[0-9]')
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')
_FORMULA_CELL = re.compile(rb"<c\b([^>]*?)(?<!/)>((?:(?!</c>).)*?<f\b(?:(?!</c>).)*?)</c>", re.S)
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v>([^<]+)</v>|<is>")


def _address(attrs: bytes) -> Address | None:
    m = _REF.search(attrs)
    if m is None:
        return None
    return int(m.group(2)) - 1, _column_number(m.group(1)) - 1


def xlsx_sheet_extras(data: bytes, styles: dict[int, str], file: str, sheet: str) -> SheetExtras:
    """Number formats and formulas without a value of one sheet's XML, after bounding its extent."""
    _check_xlsx_extent(data, file, sheet)
    extras = SheetExtras()
    if styles:
        for m in _STYLED_CELL.finditer(data):
            code = styles.get(int(m.group(2)))
            if code is not None:
                address = _address(m.group(1) + m.group(3))
                if address is not None:
                    extras.formats[address] = code
    if b"<f" in data:
        for m in _FORMULA_CELL.finditer(data):
            inner = m.group(2)
            value = _VALUE.search(inner)
            if value is not None and value.group(0) != b"<v></v>":
                continue
            address = _address(m.group(1))
            formula = _FORMULA.search(inner)
            if address is None or formula is None:
                continue
            text = html.unescape(formula.group(1).decode("utf-8", "replace")) if formula.group(1) else ""
            extras.formulas[address] = f"={text}" if text else "（共享公式）"
    return extras


def _check_xlsx_extent(data: bytes, file: str, sheet: str) -> None:
    """calamine lays a sheet out as rows × columns of its non-empty cells: refuse a few cells spread
    over a huge range first. Cheap bound: the last row number × the widest column; the exact count
    of filled cells only when that bound is large."""
    from goallint.safety import MAX_SPARSE_EXTENT, check_sheet_extent

    last = data.rfind(b"<row ")
    rows = int(m.group(1)) if last >= 0 and (m := _LAST_ROW.match(data, last)) else 0
    cols = max((_column_number(m.group(1)) for m in _WIDE_CELL.finditer(data)), default=26)
    if rows * cols <= MAX_SPARSE_EXTENT:
        return
    max_row = max_col = filled = 0
    for m in _CELL.finditer(data):
        if m.group(3):  # <c …/>: a styled empty cell, which calamine leaves out
            continue
        filled += 1
        max_row = max(max_row, int(m.group(2)))
        max_col = max(max_col, _column_number(m.group(1)))
    check_sheet_extent(file, sheet, max_row, max_col, filled)


# --------------------------------------------------------------------------- .ods

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T = f"{{{_TABLE}}}"
_O = f"{{{_OFFICE}}}"
_P = f"{{{_TEXT}}}p"
MAX_ODS_CELLS = 5_000_000  # filled cells of one .ods workbook, repeats counted (a real table has thousands)


def _paragraph_text(p) -> str:
    """A <text:p>'s text: <text:s text:c="3"/> spaces, <text:tab/>, <text:line-break/> spelled out."""
    out = [p.text or ""]
    for child in p:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "s":
            out.append(" " * int(child.get(f"{{{_TEXT}}}c", "1") or 1))
        elif tag == "tab":
            out.append("\t")
        elif tag == "line-break":
            out.append("\n")
        else:
            out.append(_paragraph_text(child))
        out.append(child.tail or "")
    return "".join(out)


def ods_extras(archive: zipfile.ZipFile, file: str) -> dict[str, SheetExtras]:
    """Sheet name → merges and the shown text of non-text cells, from content.xml (streamed)."""
    from lxml import etree

    from goallint.errors import InputError
    from goallint.safety import check_sheet_extent

    sheets: dict[str, SheetExtras] = {}
    total = 0
    with archive.open("content.xml") as stream:
        extras = None
        name = ""
        row = col = 0
        max_row = max_col = filled = 0
        row_repeat = 1
        for event, element in etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True):
            tag = element.tag
            if event == "start":
                if tag == f"{_T}table":
                    name = element.get(f"{_T}name", "")
                    extras = sheets.setdefault(name, SheetExtras(merges=[]))
                    row = max_row = max_col = filled = 0
                elif tag == f"{_T}table-row":
                    col = 0
                    row_repeat = int(element.get(f"{_T}number-rows-repeated", "1") or 1)
                continue
            if extras is None:
                continue
            if tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                repeat = int(element.get(f"{_T}number-columns-repeated", "1") or 1)
                kind = element.get(f"{_O}value-type")
                has_text = kind is not None or element.find(_P) is not None
                if has_text and tag == f"{_T}table-cell":
                    cells = repeat * row_repeat
                    filled += cells
                    total += cells
                    if total > MAX_ODS_CELLS:
                        what = f"非空单元格（含重复）超过 {MAX_ODS_CELLS:,} 个"
                        raise InputError(file, f"OpenDocument .ods 文件中的{what}，疑似恶意构造，已拒绝读取")
                    max_row = max(max_row, row + row_repeat)
                    max_col = max(max_col, col + repeat)
                    span_cols = int(element.get(f"{_T}number-columns-spanned", "1") or 1)
                    span_rows = int(element.get(f"{_T}number-rows-spanned", "1") or 1)
                    if (span_cols > 1 or span_rows > 1) and repeat == 1 and row_repeat == 1:
                        extras.merges.append(((row, col), (row + span_rows - 1, col + span_cols - 1)))
                    if kind not in (None, "string") and repeat == 1 and row_repeat == 1:
                        extras.shown[(row, col)] = "\n".join(_paragraph_text(p) for p in element.iter(_P))
                elif tag == f"{_T}table-cell":
                    span_cols = int(element.get(f"{_T}number-columns-spanned", "1") or 1)
                    span_rows = int(element.get(f"{_T}number-rows-spanned", "1") or 1)
                    if (span_cols > 1 or span_rows > 1) and repeat == 1 and row_repeat == 1:
                        extras.merges.append(((row, col), (row + span_rows - 1, col + span_cols - 1)))
                col += repeat
                element.clear()
            elif tag == f"{_T}table-row":
                row += row_repeat
                element.clear()
            elif tag == f"{_T}table":
                check_sheet_extent(file, name, max_row, max_col, filled)
                element.clear()
                extras = None
    return sheets
