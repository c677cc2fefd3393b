"""Fixes in CSV files (long layout): only the bytes of the fixed field change.

The file is decoded as the reader decodes it (text_encoding.decode: a byte-order mark, else UTF-8,
else GB18030) and split
with the reader's delimiter. A small scanner finds each field's span in the text, so the fixed field
is spliced in place: quotes, other fields, line endings and the encoding stay as they were. The row
is found by its source line (Location.line), the column by the header (the 指标值 column).
"""

from __future__ import annotations

from goallint.fix import CellEdit, FixError, splice
from goallint.model import Document
from goallint.readers import csv as csv_reader
from goallint.readers import long
from goallint.text_encoding import encode

Span = tuple[int, int]


def field_spans(text: str, delimiter: str) -> dict[int, list[Span]]:
    """Source line where each record starts → the (start, end) of its fields, quotes included."""
    out: dict[int, list[Span]] = {}
    i, n, line = 0, len(text), 1
    while i < n:
        start_line, fields = line, []
        while True:
            start = i
            if i < n and text[i] == '"':
                i += 1
                while i < n:
                    if text[i] == '"':
                        if i + 1 < n and text[i + 1] == '"':
                            i += 2
                            continue
                        i += 1
                        break
                    if text[i] == "\n":
                        line += 1
                    i += 1
            while i < n and text[i] not in (delimiter, "\r", "\n"):
                i += 1
            fields.append((start, i))
            if i < n and text[i] == delimiter:
                i += 1
                continue
            break
        if i < n and text[i] == "\r":
            i += 1
        if i < n and text[i] == "\n":
            i += 1
        line += 1
        out[start_line] = fields
    return out


def _unquote(raw: str) -> tuple[str, bool]:
    if len(raw) >= 2 and raw[0] == '"' and raw.endswith('"'):
        return raw[1:-1].replace('""', '"'), True
    return raw, False


def apply(data: bytes, edits: list[CellEdit], document: Document) -> tuple[bytes, list[tuple[CellEdit, str]]]:
    decoded = csv_reader.decode(document.path, data)
    if encode(decoded.text, decoded) != data:
        raise FixError(f"文件（{decoded.label}）解码后无法原样写回，为免改动其他内容，不自动修复")
    text = decoded.text
    delimiter = csv_reader._delimiter(text)
    records = list(csv_reader._records(text, delimiter))
    header_index = long.find_header([cells for cells, _ in records])
    column = long.match_columns(records[header_index][0]).index.get("value") if header_index is not None else None
    spans = field_spans(text, delimiter)
    skipped: list[tuple[CellEdit, str]] = []
    replacements: list[tuple[Span, str]] = []
    for edit in edits:
        fields = spans.get(edit.location.line or -1)
        if column is None or fields is None or column >= len(fields):
            skipped.append((edit, f"第 {edit.location.line} 行没有指标值单元格"))
            continue
        start, end = fields[column]
        value, quoted = _unquote(text[start:end])
        if value.count(edit.old) != 1:
            skipped.append((edit, f"第 {edit.location.line} 行的指标值「{value}」与读到的「{edit.old}」不符"))
            continue
        new = value.replace(edit.old, edit.new)
        if quoted or any(c in new for c in (delimiter, '"', "\r", "\n")):
            new = '"' + new.replace('"', '""') + '"'
        replacements.append(((start, end), new))
    text = splice(text, [(start, end, new) for (start, end), new in replacements])
    try:
        return encode(text, decoded), skipped  # the file's encoding and byte-order mark
    except UnicodeEncodeError as exc:
        what = exc.object[exc.start : exc.end]
        raise FixError(f"修改后的文字「{what}」无法用文件的编码 {decoded.label} 写出") from None
