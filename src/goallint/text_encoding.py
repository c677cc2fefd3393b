"""The encoding of a text file (Word dumps, PDF dumps, CSV): found once, kept when a fix writes back.

Drafters save text from Word, WPS and Excel on Chinese Windows, which writes GBK (GB2312, GB18030)
for "ANSI" text and UTF-16 with a byte-order mark for "Unicode" text; elsewhere files are UTF-8, with
or without a byte-order mark. The order of the guesses:

1. a byte-order mark: UTF-8 (EF BB BF), UTF-16 little- or big-endian (FF FE / FE FF);
2. UTF-8, which almost never decodes text in another encoding by accident;
3. GB18030, a superset of GBK and GB2312 (every GBK file is valid GB18030).

What cannot be decoded by any of them is an InputError naming the file and the first line that
fails. `encode` writes text back in the encoding and with the byte-order mark it was read with, so a
fix changes only the bytes of the text it changes.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from goallint.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# what `goallint parse` and messages call each encoding
LABELS = {"utf-8": "UTF-8", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE", "gb18030": "GB18030（GBK）"}


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str  # without the byte-order mark
    encoding: str  # a Python codec name: utf-8, utf-16-le, utf-16-be, gb18030
    bom: bytes = b""

    @property
    def label(self) -> str:
        """The encoding as a user reads it: "UTF-8 (BOM)", "GB18030（GBK）"."""
        name = LABELS.get(self.encoding, self.encoding)
        return f"{name} (BOM)" if self.bom else name


def _bom(data: bytes) -> tuple[bytes, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    return None


def decode(path: str, data: bytes) -> Decoded:
    """The text of a file and the encoding it is in, or InputError naming the file and line."""
    found = _bom(data)
    if found is not None:
        bom, encoding = found
        try:
            return Decoded(data[len(bom) :].decode(encoding), encoding, bom)
        except UnicodeDecodeError as exc:
            raise _undecodable(path, data, exc.start + len(bom), encoding) from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return Decoded(data.decode("gb18030"), "gb18030")
        except UnicodeDecodeError:
            raise _undecodable(path, data, utf8_error.start, None) from None


def _undecodable(path: str, data: bytes, offset: int, encoding: str | None) -> InputError:
    line = data.count(b"\n", 0, offset) + 1
    if encoding is not None:  # the byte-order mark promised an encoding the bytes do not keep
        what = f"文件以 {LABELS[encoding]} 的字节顺序标记（BOM）开头，但第{line}行无法按 {LABELS[encoding]} 解码"
    else:
        what = f"无法识别文件编码：第{line}行既不是 UTF-8 也不是 GBK/GB18030"
    return InputError(path, f"{what}；请另存为 UTF-8 文本后再检查", line=line)


def encode(text: str, decoded: Decoded) -> bytes:
    """`text` in the encoding (and with the byte-order mark) `decoded` was read with."""
    return decoded.bom + text.encode(decoded.encoding)


def decode_head(head: bytes) -> str:
    """The first bytes of a file as text, leniently (for sniffing a layout): a character cut by the
    end of the head is dropped; text that is neither UTF-8 nor GB18030 is read as UTF-8 with the bad
    bytes dropped, so that the reader recognises the layout and `decode` names the bad line."""
    found = _bom(head)
    if found is not None:
        bom, encoding = found
        return head[len(bom) :].decode(encoding, errors="ignore")
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 3:  # a character cut by the end of the head
                return head[: exc.start].decode(encoding, errors="ignore")
    return head.decode("utf-8", errors="ignore")
