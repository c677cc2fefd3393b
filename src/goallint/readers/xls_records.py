"""Legacy Excel (.xls, WPS .et): the number format of each number cell and the extent of each sheet,
from one pass over the BIFF8 records, before python-calamine reads the values.

calamine gives an .xls cell's value, not its format (`12` shown as "12.00" with `0.00`, 0.9 as
"90%" with `0%`), and it lays each sheet out as a dense rows × columns range: one cell at row 65,536,
column 256 makes 16.7 million cells. The Workbook stream (an OLE2 compound file, read with olefile)
is a list of records; the few read here are FORMAT and XF in the workbook globals (style → format),
BOUNDSHEET (where each sheet's records start) and, per sheet, the cell records' row, column and style.
"""

from __future__ import annotations

import struct
from pathlib import Path

from goallint.errors import InputError, size_of
from goallint.readers.cell_text import BUILTIN_FORMATS, PLAIN_FORMATS
from goallint.readers.sheet_extras import SheetExtras

MAX_OLE_BYTES = 256 * 1024 * 1024  # as safety.MAX_UNCOMPRESSED for a zip

_BOF, _EOF, _FORMAT, _XF, _BOUNDSHEET = 0x0809, 0x000A, 0x041E, 0x00E0, 0x0085
_NUMBER, _RK, _MULRK, _FORMULA = 0x0203, 0x027E, 0x00BD, 0x0006
_TEXT_CELLS = (0x00FD, 0x0204, 0x00D6, 0x0205)  # LABELSST, LABEL, RSTRING, BOOLERR: filled, no format
_U16 = struct.Struct("<H")
_CELL = struct.Struct("<HHH")
_HEAD = struct.Struct("<HH")


def _string(data: bytes, offset: int, count: int) -> str:
    high = data[offset] & 1
    start = offset + 1
    if high:
        return data[start : start + 2 * count].decode("utf-16-le", "replace")
    return data[start : start + count].decode("latin-1")


def _records(stream: bytes, offset: int):
    n = len(stream)
    while offset + 4 <= n:
        kind, length = _HEAD.unpack_from(stream, offset)
        if offset + 4 + length > n:  # a record cut off by the end of the stream
            return
        yield kind, offset + 4, length
        offset += 4 + length
        if kind == _EOF:
            return


def workbook_stream(path: Path, file: str) -> bytes:
    """The BIFF Workbook stream of an .xls/.et file, after its size is bounded."""
    import olefile

    size = size_of(path, file)
    if size > MAX_OLE_BYTES:
        raise InputError(file, f"Excel .xls 文件大小 {size:,} 字节，超过上限 {MAX_OLE_BYTES:,}，已拒绝读取")
    try:
        with olefile.OleFileIO(str(path)) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    if ole.get_size(name) > MAX_OLE_BYTES:
                        raise InputError(file, f"Excel .xls 文件的 {name} 流超过 {MAX_OLE_BYTES:,} 字节，已拒绝读取")
                    return ole.openstream(name).read()
            if ole.exists("WordDocument"):
                raise InputError(file, "这是 Word 文档（.doc/.wps），不是 Excel 工作簿")
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 — olefile raises OSError, struct.error, … on a broken file
        raise InputError(file, f"不是有效的 Excel .xls 文件（OLE2 复合文档已损坏：{exc}）") from None
    raise InputError(file, "OLE2 文件中没有 Workbook 流，不是 Excel .xls 文件（可能是加密的文件）")


def xls_extras(stream: bytes, file: str) -> dict[str, SheetExtras]:
    """Sheet name → the number formats of its number cells; each sheet's extent checked."""
    try:
        return _scan(stream, file)
    except (struct.error, IndexError, UnicodeDecodeError) as exc:
        raise InputError(file, f"不是有效的 Excel .xls 文件（工作簿记录已损坏：{exc}）") from None


def _scan(stream: bytes, file: str) -> dict[str, SheetExtras]:
    from goallint.safety import check_sheet_extent

    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    sheets: list[tuple[str, int]] = []
    for kind, at, length in _records(stream, 0):
        if kind == _FORMAT and length >= 5:
            (number,) = _U16.unpack_from(stream, at)
            (count,) = _U16.unpack_from(stream, at + 2)
            custom[number] = _string(stream, at + 4, count)
        elif kind == _XF and length >= 4:
            xf_formats.append(_U16.unpack_from(stream, at + 2)[0])
        elif kind == _BOUNDSHEET and length >= 8:
            (position,) = struct.unpack_from("<I", stream, at)
            sheet_type = stream[at + 5]
            name = _string(stream, at + 7, stream[at + 6])
            if sheet_type == 0:  # a worksheet (not a chart, macro or VB module)
                sheets.append((name, position))
    styled: dict[int, str] = {}
    for index, number in enumerate(xf_formats):
        code = custom.get(number) or BUILTIN_FORMATS.get(number, "General")
        if code not in PLAIN_FORMATS:
            styled[index] = code
    out: dict[str, SheetExtras] = {}
    for name, position in sheets:
        extras = SheetExtras()
        max_row = max_col = filled = 0
        for kind, at, length in _records(stream, position):
            if kind in (_NUMBER, _RK, _FORMULA) and length >= 6:
                row, col, xf = _CELL.unpack_from(stream, at)
                # a FORMULA whose result bytes end in FF FF holds text, a boolean or an error
                if (kind != _FORMULA or stream[at + 12 : at + 14] != b"\xff\xff") and xf in styled:
                    extras.formats[(row, col)] = styled[xf]
            elif kind == _MULRK and length >= 6:
                row, first = _HEAD.unpack_from(stream, at)
                count = (length - 6) // 6
                if count <= 0:
                    continue
                for i in range(count):
                    (xf,) = _U16.unpack_from(stream, at + 4 + 6 * i)
                    if xf in styled:
                        extras.formats[(row, first + i)] = styled[xf]
                filled += count - 1
                col = first + count - 1
            elif kind in _TEXT_CELLS and length >= 6:
                row, col, _ = _CELL.unpack_from(stream, at)
            else:
                continue
            filled += 1
            max_row = max(max_row, row + 1)
            max_col = max(max_col, col + 1)
        check_sheet_extent(file, name, max_row, max_col, filled)
        out[name] = extras
    return out
