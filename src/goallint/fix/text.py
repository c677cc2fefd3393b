"""Fixes in Word and PDF text dumps (.txt): the value is replaced on its source line.

A dump has no cells to address, only lines: a fix is applied when the old value occurs exactly once
on the row's line (the 指标值 cell's line); otherwise it is skipped with the reason. The file keeps
its encoding, byte-order mark and line endings.
"""

from __future__ import annotations

from goallint.fix import CellEdit
from goallint.model import Document

BOM = b"\xef\xbb\xbf"


def apply(data: bytes, edits: list[CellEdit], document: Document) -> tuple[bytes, list[tuple[CellEdit, str]]]:
    bom = data.startswith(BOM)
    lines = data[len(BOM) if bom else 0 :].decode("utf-8").split("\n")  # as the readers number lines
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
        lines[number - 1] = line.replace(edit.old, edit.new)
    return (BOM if bom else b"") + "\n".join(lines).encode("utf-8"), skipped
