"""`goallint convert IN OUT`: read any supported format, write the one OUT's suffix names.

Which formats can be written, and by which writer, is the formats registry's (goallint/formats.py:
a Format's `writer` and `writes`); the writers are the modules of this package:

    .yaml / .yml   canonical YAML (canonical.py), the form to keep in git
    .json          the full model (canonical.py), typed targets included
    .xlsx          the long layout: one indicator per row (xlsx_long.py)
    .csv / .tsv    the long layout as CSV or TSV, UTF-8 with BOM by default (csv_long.py)

A writer is `write(document, path, *, encoding)`; only the CSV writer uses `encoding`. Every writer
takes time in proportion to the rows (bench/run.py --convert measures it, docs/performance.md).

The input goes through the whole load (pipeline.load): values are parsed and the fiscal year is
assigned, so the output says what goallint understood.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from goallint import formats
from goallint.errors import GoallintError
from goallint.model import Document

ENCODINGS = ("utf-8-sig", "utf-8", "gbk", "gb18030")  # for --encoding (CSV)
LONG_LAYOUT = ("csv", "xlsx")  # formats written in the long layout: no work tasks, no truncation mark


class OutputError(GoallintError):
    """An output file that cannot be written."""


def _cannot_write(out: Path) -> OutputError:
    known = " ".join(formats.write_suffixes())
    return OutputError(str(out), f"不能写出 {out.suffix or '(无扩展名)'} 文件；可写出：{known}")


def warnings_for(document: Document, suffix: str) -> list[str]:
    """What the output format cannot hold."""
    fmt = formats.writer_for(suffix)
    long_layout = fmt is not None and fmt.name in LONG_LAYOUT
    out: list[str] = []
    for table in document.tables:
        name = table.project or table.title or f"表{table.location.table}"
        if table.kind == "department" and long_layout:
            out.append(f"{name}：部门整体支出表的工作任务和目标编号不能写入 {suffix}（请用 .json）")
        elif table.truncated and long_layout:
            out.append(f"{name}：表格在源文件中被截断，{suffix} 中不再标记截断")
        if long_layout and (table.mid_budget is not None or table.mid_goals):
            out.append(f"{name}：中期资金和中期目标不能写入 {suffix}（请用 .yaml 或 .json）")
    if long_layout:
        from goallint.convert.long_rows import writes_split

        if not writes_split(document) and any(row.parts for table in document.tables for row in table.rows):
            out.append(
                f"只有部分指标分列填写指标性质、指标值、度量单位，{suffix} 中写为合并后的指标值（请用 .yaml 或 .json）"
            )
    return out


def write(document: Document, out: str | Path, *, encoding: str = "utf-8-sig") -> None:
    """Write `document` to `out` with the writer its suffix names. Atomically: into a temporary file in
    the same folder (with the same suffix), renamed over `out` once complete, so that a failed write never
    leaves a half-written file or spoils an old one."""
    out = Path(out)
    fmt = formats.writer_for(out.suffix)
    if fmt is None:
        raise _cannot_write(out)
    temp: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent)
        os.close(handle)
        temp = Path(name)
        fmt.write_function()(document, temp, encoding=encoding)
        os.replace(temp, out)
        temp = None
    except OSError as exc:
        raise OutputError(str(out), f"无法写入文件：{exc.strerror or exc}") from None
    except UnicodeEncodeError as exc:
        raise OutputError(str(out), f"字符「{exc.object[exc.start : exc.end]}」无法用 {encoding} 编码写出") from None
    except OutputError as exc:
        raise OutputError(str(out), exc.message) from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)


def convert(
    source: str | Path, out: str | Path, *, fiscal_year: int | None = None, encoding: str = "utf-8-sig"
) -> Document:
    """Read `source`, write `out`; return the document read. Raises GoallintError."""
    from goallint import pipeline

    source, out = Path(source), Path(out)
    if formats.writer_for(out.suffix) is None:
        raise _cannot_write(out)
    if out.exists() and source.exists() and out.resolve() == source.resolve():
        raise OutputError(str(out), "输出文件与输入文件相同")
    document = pipeline.load(source, fiscal_year=fiscal_year)
    write(document, out, encoding=encoding)
    return document
