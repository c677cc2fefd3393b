"""Legacy Excel workbooks (.xls, BIFF8) and WPS Spreadsheets files (.et, the same format), read with
python-calamine like .xlsx (readers/xlsx.py: the same sheets, layouts, cell texts and locations).

The number formats of number cells and each sheet's extent come from readers/xls_records.py, before
calamine reads the values. `--fix` cannot write these files (save as .xlsx to have fixes applied).
"""

from __future__ import annotations

from pathlib import Path

from goallint.model import Document
from goallint.readers import xlsx

NAME = "xls"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, head: bytes) -> bool:
    """An OLE2 compound file (read() tells a Word document or an encrypted file from a workbook); a
    newer WPS .et that is really a zip is handed to the .xlsx reader by read()."""
    return head.startswith(_OLE2) or head.startswith(b"PK\x03\x04")


def read(path: str | Path) -> Document:
    path_text = str(path)
    path = Path(path)
    with path.open("rb") as handle:
        zipped = handle.read(4) == b"PK\x03\x04"
    if zipped:  # WPS saves .et as OOXML too
        return xlsx.read(path)
    return xlsx.read_sheets(path_text, xlsx.open_xls(path, path_text), NAME)
