"""The one direction of flow: read → model → parse values → fiscal year. Rules run after this."""

from __future__ import annotations

from pathlib import Path

from goallint import readers
from goallint.fiscal_year import assign_fiscal_year
from goallint.model import Document
from goallint.values import parse_value


def parse_targets(document: Document) -> Document:
    """Fill `row.target` for every indicator row (values are parsed once per distinct text)."""
    for table in document.tables:
        for row in table.rows:
            row.target = parse_value(row.value)
    return document


def load(path: str | Path, *, fiscal_year: int | None = None, columns: dict[str, list[str]] | None = None) -> Document:
    """Read a file and return its Document with typed targets and fiscal years.

    `columns`: indicator grid headers of the user's own template (goallint.yaml `columns:`), role → headers."""
    from goallint.readers.columns import extra_columns

    with extra_columns(columns):
        document = readers.read(path)
    parse_targets(document)
    assign_fiscal_year(document, given=fiscal_year)
    return document


def prepare(path: str | Path) -> None:
    """The one-time work of reading and checking files like `path`, done once per process: import the readers
    its suffix may go to and build the value parser (about 0.3 s, as long as checking a small file). The
    per-file time limit starts after it, so that the first file is not charged for it (run.Checker)."""
    for fmt in readers.readable(Path(path).suffix):
        fmt.load_reader()
    parse_value("≥1个")
