"""OpenDocument spreadsheets (.ods: LibreOffice Calc, WPS), read with python-calamine like .xlsx
(readers/xlsx.py: the same sheets, layouts, cell texts and locations).

calamine gives no merged ranges for .ods, and a number's value rather than its shown text; both are
read from content.xml by readers/sheet_extras.py, which also bounds every sheet (repeated rows and
columns counted) before calamine lays it out. `--fix` cannot write .ods files.
"""

from __future__ import annotations

from pathlib import Path

from goallint.model import Document
from goallint.readers import xlsx

NAME = "ods"


def sniff(path: Path, head: bytes) -> bool:
    """A zip whose first part is the `mimetype` of an OpenDocument spreadsheet (or any zip: read()
    names what it is not)."""
    return head.startswith(b"PK\x03\x04")


def read(path: str | Path) -> Document:
    path_text = str(path)
    return xlsx.read_sheets(path_text, xlsx.open_ods(Path(path), path_text), NAME)
