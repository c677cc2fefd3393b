"""`goallint convert IN OUT`: read any supported format, write the one OUT's suffix names.

    .yaml / .yml   canonical YAML (canonical.dump_yaml), the form to keep in git
    .json          the full model (canonical.dump_json), typed targets included
    .xlsx          the long layout: one indicator per row (writers/xlsx_long.py)
    .csv           the long layout as CSV, UTF-8 with BOM (writers/csv_long.py)

The input goes through the whole load (pipeline.load): values are parsed and the fiscal year is
assigned, so the output says what goallint understood.
"""

from __future__ import annotations

from pathlib import Path

from goallint.errors import GoallintError
from goallint.model import Document

OUTPUT_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".csv")
LONG_LAYOUT = (".xlsx", ".csv")


class OutputError(GoallintError):
    """An output file that cannot be written."""


def warnings_for(document: Document, suffix: str) -> list[str]:
    """What the output format cannot hold."""
    out: list[str] = []
    for table in document.tables:
        name = table.project or table.title or f"表{table.location.table}"
        if table.kind == "department" and suffix in LONG_LAYOUT:
            out.append(f"{name}：部门整体支出表的工作任务和目标编号不能写入 {suffix}（请用 .json）")
        elif table.truncated and suffix in LONG_LAYOUT:
            out.append(f"{name}：表格在源文件中被截断，{suffix} 中不再标记截断")
    return out


def write(document: Document, out: str | Path, *, encoding: str = "utf-8-sig") -> None:
    from goallint import canonical

    out = Path(out)
    suffix = out.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            out.write_text(canonical.dump_yaml(document), encoding="utf-8")
        elif suffix == ".json":
            out.write_text(canonical.dump_json(document) + "\n", encoding="utf-8")
        elif suffix == ".xlsx":
            from goallint.writers import xlsx_long

            xlsx_long.write(document, out)
        elif suffix == ".csv":
            from goallint.writers import csv_long

            csv_long.write(document, out, encoding=encoding)
        else:
            known = " ".join(OUTPUT_SUFFIXES)
            raise OutputError(str(out), f"不能写出 {suffix or '(无扩展名)'} 文件；可写出：{known}")
    except OSError as exc:
        raise OutputError(str(out), f"无法写入文件：{exc.strerror or exc}") from None
    except UnicodeEncodeError as exc:
        raise OutputError(str(out), f"字符「{exc.object[exc.start : exc.end]}」无法用 {encoding} 编码写出") from None


def convert(
    source: str | Path, out: str | Path, *, fiscal_year: int | None = None, encoding: str = "utf-8-sig"
) -> Document:
    """Read `source`, write `out`; return the document read. Raises GoallintError."""
    from goallint import pipeline

    source, out = Path(source), Path(out)
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise OutputError(str(out), f"不能写出 {out.suffix or '(无扩展名)'} 文件；可写出：{' '.join(OUTPUT_SUFFIXES)}")
    if out.exists() and source.exists() and out.resolve() == source.resolve():
        raise OutputError(str(out), "输出文件与输入文件相同")
    document = pipeline.load(source, fiscal_year=fiscal_year)
    write(document, out, encoding=encoding)
    return document
