"""CSV files in the long layout (see readers/long.py): one indicator per row.

Encoding: as text_encoding.decode finds it (a byte-order mark, else UTF-8, else GB18030 — which also
reads GBK and GB2312, what Chinese Excel writes for "CSV (逗号分隔)"); the Document records it. A file
with NUL bytes and no UTF-16 byte-order mark (a binary file) or that no encoding decodes is an
InputError naming the file.

Delimiter: comma, tab or semicolon — whichever splits the header row into the most known column
names. The header is the first row (of the first ten) that holds the required columns, so a title
line above it is skipped. Row locations carry the 1-based source line where the row starts (a
quoted cell may span lines).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from goallint import text_encoding
from goallint.errors import InputError, read_bytes
from goallint.model import Document, Location, Problem
from goallint.readers import long
from goallint.text_encoding import Decoded

NAME = "csv"
DELIMITERS = (",", "\t", ";")


def sniff(path: Path, head: bytes) -> bool:
    # the only reader for these suffixes: let read() explain what is wrong with the file
    return True


def decode(path: str, data: bytes) -> Decoded:
    """The text and the encoding it was read with (the fixer writes back with the same)."""
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            path, "无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"
        )
    return text_encoding.decode(path, data)


def _records(text: str, delimiter: str):
    """(cells, first line) for every record, quoted multi-line cells included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield cells, start
        start = reader.line_num + 1


def _delimiter(text: str) -> str:
    head = "\n".join(text.splitlines()[:10])

    def score(delimiter: str) -> tuple[int, int]:
        try:
            records = [cells for cells, _ in _records(head, delimiter)]
        except csv.Error:
            return (0, 0)
        known = max((len(long.match_columns(cells).index) for cells in records), default=0)
        width = max((len(cells) for cells in records), default=0)
        return (known, width)

    return max(DELIMITERS, key=score)  # ties: the first, the comma


def read(path: str | Path) -> Document:
    path_text = str(path)
    data = read_bytes(Path(path), path_text)
    decoded = decode(path_text, data)
    text = decoded.text
    from goallint.safety import CONTROL_CHARS  # no text; they break reports (Excel, XML)

    first = CONTROL_CHARS.search(text)
    controls = None
    if first is not None:
        line = text.count("\n", 0, first.start()) + 1
        controls = Problem(
            code="control-characters",
            message=f"文件中有 {len(CONTROL_CHARS.findall(text))} 个控制字符（自第{line}行起），不是文本内容，已忽略",
            location=Location(file=path_text, line=line),
        )
        text = CONTROL_CHARS.sub("", text)
    delimiter = _delimiter(text)
    try:
        records = list(_records(text, delimiter))
    except csv.Error as exc:
        raise InputError(path_text, f"CSV 格式错误：{exc}") from None
    header_index = long.find_header([cells for cells, _ in records])
    if header_index is None:
        raise InputError(path_text, "文件是空的：没有表头行")
    header, header_line = records[header_index]
    document = long.read_rows(
        path_text,
        header,
        ((cells, Location(file=path_text, line=line)) for cells, line in records[header_index + 1 :]),
        Location(file=path_text, line=header_line),
        format=NAME,
    )
    if controls is not None:
        document.problems.insert(0, controls)
    document.encoding = decoded.label
    return document
