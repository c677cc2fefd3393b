"""Fixes in Word and PDF text dumps (.txt): the value is replaced on its source line.

A dump has no cells to address, only lines: a fix is applied when the old value occurs exactly once
on the row's line (the 指标值 cell's line); otherwise it is skipped with the reason. The file is
decoded as the readers decode it (text_encoding.decode: UTF-8, UTF-16 or GB18030, with its byte-order
mark) and written back in the same encoding, with the same mark and line endings: only the bytes of
the changed lines differ.
"""

from __future__ import annotations

from goallint.fix import CellEdit, FixError
from goallint.model import Document
from goallint.text_encoding import decode, encode


def apply(data: bytes, edits: list[CellEdit], document: Document) -> tuple[bytes, list[tuple[CellEdit, str]]]:
    decoded = decode(document.path, data)
    if encode(decoded.text, decoded) != data:  # e.g. a GB18030 byte sequence with two spellings
        raise FixError(f"文件（{decoded.label}）解码后无法原样写回，为免改动其他内容，不自动修复")
    lines = decoded.text.split("\n")  # as the readers number lines
    skipped: list[tuple[CellEdit, str]] = []
    for edit in edits:
        number = edit.location.line
        if number is None or not 1 <= number <= len(lines):
            skipped.append((edit, "不知道指标值在哪一行"))
            continue
        line = lines[number - 1]
        count = line.count(edit.old)
        if count != 1:
            skipped.append((edit, f"第 {number} 行中「{edit.old}」出现 {count} 次，无法确定要改哪一处"))
            continue
        new_line = line.replace(edit.old, edit.new)
        try:
            new_line.encode(decoded.encoding)
        except UnicodeEncodeError:
            skipped.append((edit, f"「{edit.new}」无法用文件的编码 {decoded.label} 写出"))
            continue
        lines[number - 1] = new_line
    return encode("\n".join(lines), decoded), skipped
