"""Limits on a PDF, checked before pdfplumber (pdfminer) parses it (docs/robustness.md).

* The file's size: at most MAX_PDF_BYTES.
* Compressed streams: pdfminer inflates a FlateDecode stream whole, with no bound, when a page
  uses it, so a small file can hold a stream that inflates to gigabytes (a "compression bomb").
  Every `stream … endstream` of the file is inflated here first in bounded steps (never more than
  _STEP bytes at a time), counting what comes out: all streams together at most
  safety.MAX_UNCOMPRESSED bytes, and a stream over safety.RATIO_FLOOR at most
  MAX_PDF_RATIO times its compressed size. Streams that are not deflate data (images, encrypted
  streams) stop at their first bytes and count nothing.
* Pages: at most MAX_PDF_PAGES, counted in the page tree (walked, not taken from its /Count,
  which a file can state falsely) before any page is read.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from goallint.errors import InputError, unreadable
from goallint.safety import MAX_UNCOMPRESSED, RATIO_FLOOR

MAX_PDF_BYTES = 256 * 1024 * 1024
MAX_PDF_PAGES = 2000  # a department's budget book with a hundred project tables has some 300 pages
MAX_PDF_RATIO = 400  # text content streams compress 5–20:1, fonts 2–3:1; filler reaches 1000:1
_STEP = 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")
_END = b"endstream"


def describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return f"{n} B"


def _inflated(data: memoryview, budget: int) -> int:
    """Bytes the deflate data inflates to, counted in steps; stops once over `budget`. Not deflate: 0."""
    inflater = zlib.decompressobj()
    total = 0
    try:
        chunk = inflater.decompress(data, _STEP)
        while True:
            total += len(chunk)
            if total > budget or inflater.eof:
                return total
            tail = inflater.unconsumed_tail
            if not tail and not chunk:
                return total
            chunk = inflater.decompress(tail, _STEP)
    except zlib.error:
        return total


def check_file(path: Path, file: str) -> None:
    """Size and compressed streams, before any parsing."""
    try:
        size = path.stat().st_size
        if size > MAX_PDF_BYTES:
            raise InputError(file, f"PDF 文件大小 {_size(size)}，超过上限 {_size(MAX_PDF_BYTES)}，已拒绝读取")
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(file, exc) from None
    view = memoryview(data)
    total = 0
    position = 0
    while (m := _STREAM.search(data, position)) is not None:
        start = m.end()
        end = data.find(_END, start)
        if end < 0:
            end = len(data)
        compressed = end - start
        inflated = _inflated(view[start:end], MAX_UNCOMPRESSED - total)
        total += inflated
        if total > MAX_UNCOMPRESSED:
            raise InputError(
                file,
                f"PDF 中的压缩数据流解压后超过 {_size(MAX_UNCOMPRESSED)}，疑似压缩炸弹，已拒绝读取",
            )
        if inflated > RATIO_FLOOR and inflated > MAX_PDF_RATIO * max(1, compressed):
            raise InputError(
                file,
                f"PDF 中第 {start} 字节处的数据流压缩比 {inflated // max(1, compressed):,}:1，"
                f"超过上限 {MAX_PDF_RATIO}:1，疑似压缩炸弹，已拒绝读取",
            )
        position = end + len(_END) if end < len(data) else len(data)


def check_pages(document, file: str) -> None:
    """The page count, by walking the page tree (pdfminer) up to the limit."""
    from pdfminer.pdfpage import PDFPage

    count = 0
    try:
        for _ in PDFPage.create_pages(document.doc):
            count += 1
            if count > MAX_PDF_PAGES:
                raise InputError(file, f"PDF 超过 {MAX_PDF_PAGES} 页，超过上限，已拒绝读取")
    except InputError:
        raise
    except Exception as exc:  # a broken page tree
        raise InputError(file, f"PDF 的页面结构损坏，无法读取：{describe(exc)}") from None
