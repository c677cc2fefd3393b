"""Excel workbooks (.xlsx): one table per sheet, in the form layout or the long layout.

Each sheet is read into a `Grid` (readers/grid.py), then:

* a sheet whose first non-empty rows hold a long-layout header (项目名称 … 三级指标 … 指标值 in one
  row; see readers/long.py) is read by `long.read_rows`: one indicator per row, several projects;
* a sheet whose title or labels name a department-wide table (整体支出绩效目标表, 主要工作任务)
  by `readers/department_form.read_grid` when that module exists (else a Problem);
* any other sheet with the form's labels (项目名称, 预算数, 绩效目标, the 一级指标 … 指标值 grid) by
  `readers/form.py`, which holds all knowledge of the labels;
* an empty sheet is skipped; a non-empty sheet without a recognisable header is a Problem, or an
  InputError naming the sheet when no sheet of the workbook holds a table.

Cells: values are the cached results of formulas (the workbook is opened with data_only=True); a
formula without a cached value (a file written by a program and never opened in Excel) reads as
empty and gives a `formula-without-value` Problem. Numbers are written as Excel shows them, from
the cell's number format: 91.84 → "91.84", 12 with format `0.00` → "12.00", 0.9 with format `0%`
→ "90%", `#,##0.00` → "12,345.60", quoted literal text in the format kept (`0.00"万元"`); dates
as the format says (`yyyy"年"m"月"d"日"`) or ISO. Merged cells (ws.merged_cells): every covered
cell repeats the merge's top-left value, with `merged_from` pointing at it, so the form reader
counts a horizontal merge once and fills a vertical merge down.

Locations: `sheet` is the sheet name and `cell` the cell address ("E12"); an IndicatorRow's cell is
its 指标值 cell, a Table's is "A1". `table` is the 1-based number of the table in the workbook,
`row` the 1-based indicator row within the table.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from goallint.errors import InputError
from goallint.model import Document, Location, Problem, Table
from goallint.readers import form
from goallint.readers.grid import Cell, Grid

NAME = "xlsx"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LONG_HEADER_ROWS = 10


def sniff(path: Path, head: bytes) -> bool:
    """A zip archive (PK) whose part names (in the local headers at the start) include xl/; or an OLE2
    file (an old .xls or an encrypted file), which `_open` then names as such instead of "unknown"."""
    if head.startswith(_OLE2):
        return True
    return head.startswith(b"PK\x03\x04") and (
        b"xl/" in head or b"[Content_Types].xml" in head and b"word/" not in head
    )


# --------------------------------------------------------------------------- cell text


def _column_letter(col: int) -> str:  # 1-based
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _format_section(number_format: str, value: float) -> str:
    """The section of a format that applies to `value` (positive;negative;zero;text)."""
    sections, current, quoted = [], "", False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += ch
    sections.append(current)
    if value < 0 and len(sections) > 1:
        return sections[1]
    if value == 0 and len(sections) > 2:
        return sections[2]
    return sections[0]


_BRACKETS = re.compile(r"\[[^\]]*\]")
_LITERAL = re.compile(r'"([^"]*)"|\\(.)')


def _round(value: float, places: int) -> str:
    try:
        return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return f"{value:.{places}f}"


def _general(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(value, ".15g")
    return text if "e" not in text else repr(value)


def number_text(value: float | int, number_format: str | None) -> str:
    """A number as Excel shows it with `number_format` (the common formats; else as General)."""
    fmt = number_format or "General"
    if fmt in ("General", "@"):
        return _general(value)
    section = _format_section(fmt, value)
    negative = value < 0 and section is not _format_section(fmt, 1)
    section = _BRACKETS.sub("", section)
    # split the section into literal text and the number pattern
    literals: list[tuple[int, str]] = []

    def keep(m: re.Match) -> str:
        literals.append((m.start(), m.group(1) if m.group(1) is not None else m.group(2)))
        return "\x00"

    pattern = _LITERAL.sub(keep, section).replace("_)", "").replace("*", "")
    digits = re.search(r"[0#?][0#?,]*(?:\.[0#?]*)?%?|\.[0#?]+%?", pattern)
    if digits is None:
        return _general(value)
    spec = digits.group(0)
    percent = spec.endswith("%") or "%" in pattern
    places = len(spec.split(".", 1)[1].rstrip("%")) if "." in spec else 0
    shown = abs(value) if negative else value
    if percent:
        shown *= 100
    text = _round(shown, places)
    if "," in spec.split(".")[0]:
        whole, _, frac = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        whole = f"{int(whole.lstrip('-')):,}"
        text = sign + whole + ("." + frac if frac else "")
    before, after = pattern[: digits.start()], pattern[digits.end() :]
    parts = iter(text for _, text in literals)
    before = re.sub("\x00", lambda _: next(parts, ""), before)
    after = re.sub("\x00", lambda _: next(parts, ""), after)
    if percent and not spec.endswith("%"):
        after = after.replace("%", "", 1) + "%" if "%" in after else after
    if negative:
        before = before.replace("(", "").replace("-", "") if "(" in before else before
        text = ("(" if "(" in section else "-" if "-" not in before else "") + text
        after = after.replace(")", "") + (")" if "(" in section else "")
    return (before + text + after + ("%" if spec.endswith("%") else "")).strip()


_DATE_TOKENS = re.compile(r'"[^"]*"|\\.|yyyy|yy|mm|m|dd|d|hh|h|ss|s|[^ymdhs"\\]+', re.I)


def date_text(value: _dt.datetime | _dt.date | _dt.time, number_format: str | None) -> str:
    """A date as its number format shows it (years, months, days, literal text); else ISO."""
    fmt = _BRACKETS.sub("", number_format or "")
    if isinstance(value, _dt.time):
        return value.isoformat()
    low = fmt.lower()
    has_time = isinstance(value, _dt.datetime) and value.time() != _dt.time()
    if not any(t in low for t in ("y", "d")) or "mmm" in low or "ddd" in low or ("h" in low or has_time):
        if isinstance(value, _dt.datetime):
            return value.date().isoformat() if not has_time else value.isoformat(sep=" ")
        return value.isoformat()
    out = []
    for token in _DATE_TOKENS.findall(fmt):
        t = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif t == "yyyy":
            out.append(f"{value.year:04d}")
        elif t == "yy":
            out.append(f"{value.year % 100:02d}")
        elif t == "mm":
            out.append(f"{value.month:02d}")
        elif t == "m":
            out.append(str(value.month))
        elif t == "dd":
            out.append(f"{value.day:02d}")
        elif t == "d":
            out.append(str(value.day))
        else:
            out.append(token)
    return "".join(out)


def cell_text(value, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "").strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value, number_format)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return date_text(value, number_format)
    if isinstance(value, _dt.timedelta):
        return str(value)
    return str(value).strip()


# --------------------------------------------------------------------------- sheets


def sheet_grid(ws, path: str, formulas=None) -> tuple[Grid, list[Problem]]:
    """A worksheet as a Grid (row i, column j ↔ sheet row i+1, column j+1); merges resolved."""
    problems: list[Problem] = []
    texts: dict[tuple[int, int], str] = {}
    max_row = max_col = 0
    # the stored cells only: ws.iter_rows() creates every cell of the used range, and one cell at
    # XFD1048576 makes that range 17 billion cells (docs/robustness.md)
    for cell in [cell for _, cell in sorted(ws._cells.items())]:
        if cell.value is None:
            if formulas is not None:
                source = formulas.cell(cell.row, cell.column).value
                if isinstance(source, str) and source.startswith("="):
                    problems.append(
                        Problem(
                            code="formula-without-value",
                            message=f"单元格 {ws.title}!{cell.coordinate} 的公式 {source} 没有保存计算结果（文件未在 Excel 中打开并保存过），按空单元格读取",
                            location=Location(file=path, sheet=ws.title, cell=cell.coordinate),
                        )
                    )
            continue
        text = cell_text(cell.value, cell.number_format)
        if text:
            texts[(cell.row - 1, cell.column - 1)] = text
            max_row = max(max_row, cell.row)
            max_col = max(max_col, cell.column)
    from goallint.safety import check_sheet_extent

    check_sheet_extent(path, ws.title, max_row, max_col, len(texts))
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in ws.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if (top, left) not in texts and not any(
            (r, c) in texts for r in range(top, merged.max_row) for c in range(left, merged.max_col)
        ):
            continue  # an empty merge: nothing to resolve
        for r in range(top, merged.max_row):
            for c in range(left, merged.max_col):
                if (r, c) != (top, left):
                    origins[(r, c)] = (top, left)
        max_row = max(max_row, merged.max_row if (top, left) in texts else 0)
        max_col = max(max_col, merged.max_col if (top, left) in texts else 0)
    rows: list[list[Cell]] = []
    for r in range(max_row):
        row: list[Cell] = []
        for c in range(max_col):
            origin = origins.get((r, c))
            text = texts.get(origin, "") if origin is not None else texts.get((r, c), "")
            address = f"{_column_letter(c + 1)}{r + 1}"
            row.append(
                Cell(
                    text=text,
                    row=r,
                    col=c,
                    location=Location(file=path, sheet=ws.title, cell=address),
                    merged_from=origin,
                )
            )
        rows.append(row)
    return Grid(rows=rows, location=Location(file=path, sheet=ws.title, cell="A1")), problems


def _long_header(grid: Grid) -> int | None:
    """The row index of a long-layout header among the sheet's first non-empty rows."""
    try:
        from goallint.readers import long
    except ModuleNotFoundError as exc:
        if exc.name != "goallint.readers.long":
            raise
        return None
    seen = 0
    for index, row in enumerate(grid.rows):
        texts = [cell.text for cell in row]
        if not any(texts):
            continue
        if not long.match_columns(texts).missing():  # all required columns (duplicates: long explains)
            return index
        seen += 1
        if seen >= _LONG_HEADER_ROWS:
            break
    return None


def _read_long(path: str, grid: Grid, header: int, first_table: int) -> Document:
    from goallint.readers import long

    def rows():
        for row in grid.rows[header + 1 :]:
            yield [cell.text for cell in row], row[0].location

    return long.read_rows(
        path,
        [cell.text for cell in grid.rows[header]],
        rows(),
        grid.rows[header][0].location,
        format=NAME,
        first_table=first_table,
    )


# --------------------------------------------------------------------------- reading


def _open(path: Path, path_text: str):
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise InputError(path_text, f"无法读取文件：{exc.strerror or exc}") from None
    if head.startswith(_OLE2):
        raise InputError(
            path_text, "这是旧版 Excel（.xls）文件或加密的文件，不是 .xlsx；请在 Excel 中“另存为”.xlsx 后再检查"
        )
    if not zipfile.is_zipfile(path):
        raise InputError(path_text, "不是有效的 Excel .xlsx 文件（不是 zip 压缩包）")
    from goallint.safety import check_merges, open_zip

    try:
        with open_zip(path, path_text, "Excel .xlsx") as archive:  # zip bombs and XML DTDs are refused here
            names = set(archive.namelist())
            check_merges(archive, path_text)  # before openpyxl makes a cell object for every merged cell
            has_formulas = any(
                b"<f>" in archive.read(name) or b"<f " in archive.read(name)
                for name in names
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise InputError(path_text, f"不是有效的 Excel .xlsx 文件（zip 压缩包已损坏：{exc}）") from None
    if "xl/workbook.xml" not in names:
        what = "，看起来是 Word 文档" if "word/document.xml" in names else ""
        raise InputError(path_text, f"zip 压缩包中没有 xl/workbook.xml，不是 Excel .xlsx 文件{what}")
    import openpyxl  # imported only when an .xlsx is read

    try:
        values = openpyxl.load_workbook(str(path), data_only=True)
        formulas = openpyxl.load_workbook(str(path), data_only=False) if has_formulas else None
    except Exception as exc:  # openpyxl raises KeyError, ValueError, lxml errors … on broken packages
        raise InputError(path_text, f"无法打开 Excel .xlsx 文件：{exc}") from None
    return values, formulas


def read(path: str | Path) -> Document:
    path_text = str(path)
    path = Path(path)
    workbook, formulas = _open(path, path_text)
    tables: list[Table] = []
    problems: list[Problem] = []
    context = form.Context()
    unrecognised: list[str] = []
    empty = 0
    for ws in workbook.worksheets:
        grid, found = sheet_grid(ws, path_text, formulas[ws.title] if formulas is not None else None)
        if not any(cell.text for row in grid.rows for cell in row):
            empty += 1
            continue
        header = _long_header(grid)
        if header is not None:
            problems.extend(found)
            doc = _read_long(path_text, grid, header, len(tables) + 1)
            tables.extend(doc.tables)
            problems.extend(doc.problems)
            continue
        kind = form.kind_of(grid)
        if kind is None:
            unrecognised.append(ws.title)
            continue
        problems.extend(found)
        if kind == "department":
            table, more = form.read_department(grid, len(tables) + 1)
            problems.extend(more)
            if table is not None:
                tables.append(table)
            continue
        for part in form.split(grid):
            table, more = form.read_grid(part, len(tables) + 1, context)
            tables.append(table)
            problems.extend(more)
    if not tables:
        if empty == len(workbook.worksheets):
            raise InputError(path_text, "工作簿是空的：没有任何非空单元格")
        if unrecognised:
            names = "、".join(f"“{name}”" for name in unrecognised)
            raise InputError(
                path_text,
                f"未找到绩效目标表：工作表{names}中没有可识别的表头（表格形式需要“项目名称”“一级指标…指标值”等标签，"
                "逐行形式需要“项目名称”“三级指标”“指标值”列）",
            )
        raise InputError(path_text, "未找到绩效目标表")
    for name in unrecognised:
        problems.append(
            Problem(
                code="unrecognised-sheet",
                message=f"工作表“{name}”中没有可识别的绩效目标表表头，已跳过",
                location=Location(file=path_text, sheet=name),
            )
        )
    return Document(path=path_text, format=NAME, tables=tables, problems=problems)
