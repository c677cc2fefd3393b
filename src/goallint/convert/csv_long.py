"""Write a Document as CSV (or TSV) in the long layout (one indicator per row).

Comma-separated, or tab-separated for a `.tsv` file. UTF-8 with a byte-order mark by default, so
that Excel opens it with the right characters; `encoding="gbk"` writes GB18030 (the same bytes as
GBK for every GBK character) for old tools. Amounts are written with two decimals ("12.00") unless
they have more.
"""

from __future__ import annotations

import csv
from pathlib import Path

from goallint.convert import long_rows
from goallint.model import Document
from goallint.readers import long

ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8", "gbk": "gb18030", "gb18030": "gb18030"}


def write(document: Document, path: str | Path, *, encoding: str | None = "utf-8-sig") -> None:
    header, rows = long_rows.document_to_rows(document)
    amount_names = {long.lexicon().written_name(name) for name in long.AMOUNT_FIELDS}
    amount_columns = {index for index, name in enumerate(header) if name in amount_names}  # 上年结转 only when given
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    with open(path, "w", encoding=ENCODINGS[(encoding or "utf-8-sig").lower()], newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        for values in rows:
            writer.writerow(
                [
                    long_rows.amount_text(v) if i in amount_columns else ("" if v is None else v)
                    for i, v in enumerate(values)
                ]
            )
