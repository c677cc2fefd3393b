"""Readers turn a file into a model.Document. One module per format, picked by this registry.

A reader module defines `NAME`, `SUFFIXES`, `sniff(path, head) -> bool` (cheap: looks at the first
bytes) and `read(path) -> Document`. Modules are imported only when needed, so that a run that
reads text dumps never imports python-docx or openpyxl.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from goallint.errors import InputError
from goallint.model import Document

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class ReaderSpec:
    name: str
    module: str  # dotted module path
    suffixes: tuple[str, ...]

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


# Order matters: the first reader whose suffix matches and whose sniff accepts the content wins.
READERS: list[ReaderSpec] = [
    ReaderSpec("department-pdf", "goallint.readers.department.dump", (".txt",)),
    ReaderSpec("word-dump", "goallint.readers.word_dump", (".txt",)),
    ReaderSpec("csv", "goallint.readers.csv", (".csv", ".tsv")),
    ReaderSpec("canonical", "goallint.readers.canonical", (".yaml", ".yml", ".json")),
    ReaderSpec("docx", "goallint.readers.docx", (".docx",)),
    ReaderSpec("xlsx", "goallint.readers.xlsx", (".xlsx", ".xlsm")),
    ReaderSpec("xls", "goallint.readers.xls", (".xls", ".et")),
    ReaderSpec("ods", "goallint.readers.ods", (".ods",)),
    ReaderSpec("doc", "goallint.readers.legacy_word", (".doc", ".wps")),
    ReaderSpec("pdf", "goallint.readers.pdf", (".pdf",)),
]


def register(spec: ReaderSpec) -> None:
    """Add a reader (used by later formats and by tests)."""
    READERS.append(spec)


def reader_for(path: Path) -> ReaderSpec:
    suffix = path.suffix.lower()
    candidates = [spec for spec in READERS if suffix in spec.suffixes]
    if not candidates:
        known = ", ".join(sorted({s for spec in READERS for s in spec.suffixes}))
        raise InputError(str(path), f"无法识别的文件类型 {suffix or '(无扩展名)'}；支持：{known}")
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(str(path), f"无法读取文件：{exc.strerror or exc}") from None
    for spec in candidates:
        if spec.load().sniff(path, head):
            return spec
    names = "、".join(spec.name for spec in candidates)
    raise InputError(str(path), f"文件内容不是可识别的绩效目标表格式（尝试过：{names}）")


def read(path: str | Path) -> Document:
    """Read one file into a Document, or raise InputError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "文件不存在" if not path.exists() else "不是文件")
    reader = reader_for(path).load()
    return reader.read(path)
