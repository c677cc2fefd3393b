"""Readers turn a file into a model.Document: one module per format, picked by the formats registry.

Which reader a file goes to is decided by `goallint.formats.FORMATS`: the first format whose suffixes
hold the file's suffix and whose reader's `sniff(path, head) -> bool` accepts its first bytes. A
reader module has `sniff` and `read(path) -> Document`; modules are imported only when needed, so
that a run that reads text dumps never imports python-docx or openpyxl.
"""

from __future__ import annotations

from pathlib import Path

from goallint.errors import InputError, unreadable
from goallint.formats import Format, read_suffixes, readable
from goallint.model import Document

SNIFF_BYTES = 64 * 1024


def reader_for(path: Path) -> Format:
    """The format of `path`: by its suffix, then by its content; InputError naming the file when none fits."""
    suffix = path.suffix.lower()
    candidates = readable(suffix)
    if not candidates:
        known = ", ".join(sorted(read_suffixes()))
        raise InputError(str(path), f"无法识别的文件类型 {suffix or '(无扩展名)'}；支持：{known}")
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise unreadable(str(path), exc) from None
    for fmt in candidates:
        if fmt.load_reader().sniff(path, head):
            return fmt
    names = "、".join(fmt.name for fmt in candidates)
    raise InputError(str(path), f"文件内容不是可识别的绩效目标表格式（尝试过：{names}）")


def read(path: str | Path) -> Document:
    """Read one file into a Document, or raise InputError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "文件不存在" if not path.exists() else "不是文件")
    reader = reader_for(path).load_reader()
    return reader.read(path)
