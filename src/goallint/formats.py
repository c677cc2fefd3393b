"""The file formats goallint reads and writes: one `Format` record each, in `FORMATS`.

Every part that needs to know about a format reads it here: the readers' registry (which reader a
file goes to), the folders a check searches, the web page's accepted types, `check --fix` (the
fixer), `check --annotate` and the web page (the annotator), `goallint convert` (the writer), and
the table in docs/formats.md (`python -m goallint.formats docs/formats.md` regenerates it).

A record names its parts by module path and they are imported only when used, so that checking a
text dump never imports python-docx or openpyxl (start-up time matters in a pre-commit hook).

Adding a format is one record here plus its module(s); see docs/architecture.md, "Where to add …".
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class Format:
    """One file format and what goallint can do with it. Every part but the name is optional."""

    name: str  # model.Document.format of what the reader gives; shown in messages and reports
    title: str  # what a drafter calls it, for messages and the docs: "Word（.docx）"
    suffixes: tuple[str, ...]  # lower case with the dot; a file is offered to the reader by these
    recognised_by: str = ""  # how the reader's sniff tells it from the other formats with the suffix (docs)
    # module with `sniff(path, head: bytes) -> bool` (cheap: the first readers.SNIFF_BYTES) and
    # `read(path) -> Document`
    reader: str | None = None
    # module with `apply(data: bytes, edits, document) -> (bytes, skipped)` (goallint/fix/__init__.py)
    fixer: str | None = None
    no_fix_reason: str = ""  # why there is no fixer, told to whoever asks for --fix
    # "module:function" writing an annotated copy: (source, findings, out, *, lang) (goallint/annotate/)
    annotator: str | None = None
    # "module:function" writing a Document: (document, path, *, encoding) (goallint/convert/)
    writer: str | None = None
    writes: tuple[str, ...] = ()  # the suffixes `goallint convert` writes with `writer`

    def load_reader(self) -> ModuleType:
        if self.reader is None:
            raise LookupError(f"{self.name} has no reader")
        return importlib.import_module(self.reader)

    def load_fixer(self) -> ModuleType | None:
        return importlib.import_module(self.fixer) if self.fixer else None

    def annotate_function(self) -> Callable | None:
        return _function(self.annotator) if self.annotator else None

    def write_function(self) -> Callable | None:
        return _function(self.writer) if self.writer else None


def _function(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


# Order matters: a file goes to the first format whose suffix matches and whose reader's sniff accepts it
# (a department-wide PDF dump is tried before a Word dump). Lists shown to users follow this order too.
FORMATS: tuple[Format, ...] = (
    Format(
        name="docx",
        title="Word（.docx）",
        suffixes=(".docx",),
        recognised_by="a zip with `word/document.xml`; tables found by their labels",
        reader="goallint.readers.docx",
        fixer="goallint.fix.docx",
        annotator="goallint.annotate.docx:annotate_docx",
    ),
    Format(
        name="doc",
        title="旧版 Word/WPS 文字（.doc/.wps）",
        suffixes=(".doc", ".wps"),
        recognised_by="an OLE2 compound file; converted to .docx by LibreOffice (`soffice`), then read as .docx",
        reader="goallint.readers.legacy_word",
        no_fix_reason="旧版格式经 LibreOffice 转换后读取，不能原样写回；请另存为 .docx 后再用 --fix",
    ),
    Format(
        name="xlsx",
        title="Excel（.xlsx/.xlsm）",
        suffixes=(".xlsx", ".xlsm"),
        recognised_by="a zip with `xl/workbook.xml`; form layout by its labels, long layout by column names",
        reader="goallint.readers.xlsx",
        fixer="goallint.fix.xlsx",
        annotator="goallint.annotate.xlsx:annotate_xlsx",
        writer="goallint.convert.xlsx_long:write",
        writes=(".xlsx",),
    ),
    Format(
        name="xls",
        title="旧版 Excel/WPS 表格（.xls/.et）",
        suffixes=(".xls", ".et"),
        recognised_by="an OLE2 compound file with a Workbook stream; read with python-calamine",
        reader="goallint.readers.xls",
        no_fix_reason="旧版格式不能原样写回；请另存为 .xlsx 后再用 --fix",
    ),
    Format(
        name="ods",
        title="OpenDocument 表格（.ods）",
        suffixes=(".ods",),
        recognised_by="a zip with `content.xml` and an OpenDocument spreadsheet mimetype; read with python-calamine",
        reader="goallint.readers.ods",
        no_fix_reason="请另存为 .xlsx 后再用 --fix",
    ),
    Format(
        name="csv",
        title="CSV/TSV 长表（.csv/.tsv）",
        suffixes=(".csv", ".tsv"),
        recognised_by="a header row with 项目名称 … 指标值 (UTF-8, UTF-8 with BOM, GB18030/GBK)",
        reader="goallint.readers.csv",
        fixer="goallint.fix.csv",
        writer="goallint.convert.csv_long:write",
        writes=(".csv", ".tsv"),
    ),
    Format(
        name="department-pdf",
        title="部门整体支出绩效目标表 PDF 文本导出（.txt）",
        suffixes=(".txt",),
        recognised_by="部门整体支出绩效目标表 title and the task table",
        reader="goallint.readers.department.dump",
        fixer="goallint.fix.text",
    ),
    Format(
        name="word-dump",
        title="Word 文本导出（.txt）",
        suffixes=(".txt",),
        recognised_by="tab-started cells with 项目名称 / 绩效目标 / 一级指标 labels",
        reader="goallint.readers.word_dump",
        fixer="goallint.fix.text",
    ),
    Format(
        name="yaml",
        title="canonical YAML（.yaml/.yml）",
        suffixes=(".yaml", ".yml"),
        recognised_by="`goallint: 1` at the top",
        reader="goallint.readers.canonical",
        fixer="goallint.fix.canonical",
        writer="goallint.convert.canonical:write_yaml",
        writes=(".yaml", ".yml"),
    ),
    Format(
        name="json",
        title="canonical JSON（.json）",
        suffixes=(".json",),
        recognised_by='`"goallint": 1`, or the full model of `goallint parse --format json`',
        reader="goallint.readers.canonical",
        fixer="goallint.fix.canonical",
        writer="goallint.convert.canonical:write_json",
        writes=(".json",),
    ),
    Format(
        name="pdf",
        title="PDF（.pdf，有文字层）",
        suffixes=(".pdf",),
        recognised_by="`%PDF-` at the start; ruled tables read with pdfplumber, pages without any as a text dump",
        reader="goallint.readers.pdf",
        no_fix_reason="PDF 是发布后的版式文件，不能写回修改；请在生成它的 .docx/.xlsx 源文件中修复后重新导出 PDF",
    ),
)


def by_name(name: str | None) -> Format | None:
    """The format a Document says it was read as (Document.format), or None (a pasted table, …)."""
    return next((f for f in FORMATS if f.name == name), None)


def readable(suffix: str) -> list[Format]:
    """The formats with a reader that files ending in `suffix` are offered to, in sniffing order."""
    suffix = suffix.lower()
    return [f for f in FORMATS if f.reader and suffix in f.suffixes]


def read_suffixes() -> tuple[str, ...]:
    """Every suffix some reader handles, each once, in registry order."""
    return tuple(dict.fromkeys(s for f in FORMATS if f.reader for s in f.suffixes))


def writer_for(suffix: str) -> Format | None:
    """The format `goallint convert` writes for an output file ending in `suffix`."""
    suffix = suffix.lower()
    return next((f for f in FORMATS if f.writer and suffix in f.writes), None)


def write_suffixes() -> tuple[str, ...]:
    return tuple(s for f in FORMATS if f.writer for s in f.writes)


def annotator_for(path: str | Path) -> Format | None:
    """The format whose annotator marks a copy of `path` (by its suffix), or None."""
    suffix = Path(path).suffix.lower()
    return next((f for f in FORMATS if f.annotator and suffix in f.suffixes), None)


def annotatable() -> list[Format]:
    return [f for f in FORMATS if f.annotator]


def titles(formats: list[Format], sep: str = "、") -> str:
    return sep.join(f.title for f in formats)


# --------------------------------------------------------------------------- docs/formats.md

BEGIN = "<!-- formats:begin: generated from src/goallint/formats.py by `python -m goallint.formats docs/formats.md` -->"
END = "<!-- formats:end -->"


def markdown_table() -> str:
    """The table of formats in docs/formats.md, between BEGIN and END."""

    def yes(value: object) -> str:
        return "yes" if value else "—"

    lines = [
        "| format | file | suffixes | recognised by | `--fix` | `--annotate` | `convert` writes |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in FORMATS:
        if f.reader is None:
            continue
        suffixes = " ".join(f"`{s}`" for s in f.suffixes)
        writes = " ".join(f"`{s}`" for s in f.writes) or "—"
        fix = yes(f.fixer) if f.fixer or not f.no_fix_reason else f"— ({f.no_fix_reason})"
        lines.append(
            f"| `{f.name}` | {f.title} | {suffixes} | {f.recognised_by} | {fix} | {yes(f.annotator)} | {writes} |"
        )
    return "\n".join(lines) + "\n"


def with_table(text: str) -> str:
    """`text` (docs/formats.md) with the block between BEGIN and END replaced by markdown_table()."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {BEGIN!r} … {END!r} are missing")
    return text[: start + len(BEGIN)] + "\n" + markdown_table() + text[end:]


def main(argv: list[str] | None = None) -> int:
    """`python -m goallint.formats [FILE]`: print the table, or rewrite FILE's generated block."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        sys.stdout.write(markdown_table())
        return 0
    path = Path(args[0])
    text = path.read_text(encoding="utf-8")
    new = with_table(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"{path}: table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
