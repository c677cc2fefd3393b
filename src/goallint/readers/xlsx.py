"""Spreadsheets (.xlsx/.xlsm; .xls/.et and .ods through readers/xls.py and readers/ods.py): one table
per sheet, in the form layout or the long layout. Cell values are read with python-calamine.

Each sheet is read into a `Grid` (readers/grid.py), then:

* a sheet whose first non-empty rows hold a long-layout header (项目名称 … 三级指标 … 指标值 in one
  row; see readers/long.py) is read by `long.read_rows`: one indicator per row, several projects;
* a sheet whose title or labels name a department-wide table (整体支出绩效目标表, 主要工作任务)
  by `readers/department/form.read_grid`;
* any other sheet with the form's labels (项目名称, 预算数, 绩效目标, the 一级指标 … 指标值 grid) by
  `readers/form.py`, which holds all knowledge of the labels;
* an empty sheet is skipped; a non-empty sheet without a recognisable header is a Problem, or an
  InputError naming the sheet when no sheet of the workbook holds a table.

Cells: values are the cached results of formulas; a formula without a cached value (a file written
by a program and never opened in Excel) reads as empty and gives a `formula-without-value` Problem.
Numbers and dates are written as the spreadsheet shows them (readers/cell_text.py), with the number
format python-calamine does not give found by readers/sheet_extras.py (.xlsx, .ods) and
readers/xls_records.py (.xls). Merged cells: every covered cell repeats the merge's top-left value,
with `merged_from` pointing at it, so the form reader counts a horizontal merge once and fills a
vertical merge down.

Locations: `sheet` is the sheet name and `cell` the cell address ("E12"); an IndicatorRow's cell is
its 指标值 cell, a Table's is "A1". `table` is the 1-based number of the table in the workbook,
`row` the 1-based indicator row within the table.

Limits (docs/robustness.md): zip bombs, XML DTDs and giant merges are refused before any parser
runs (safety.py), and a sheet whose few cells are spread over a huge range before calamine lays it
out densely.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from goallint.errors import InputError, unreadable
from goallint.model import Document, Location, Problem, Table
from goallint.readers import form
from goallint.readers.cell_text import cell_text, column_letter
from goallint.readers.grid import Cell, Grid
from goallint.readers.sheet_extras import SheetExtras

NAME = "xlsx"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LONG_HEADER_ROWS = 10


def sniff(path: Path, head: bytes) -> bool:
    """A zip archive (PK) whose part names (in the local headers at the start) include xl/; or an OLE2
    file (an .xls saved as .xlsx, or an encrypted workbook), which read() hands to the .xls reader."""
    if head.startswith(_OLE2):
        return True
    return head.startswith(b"PK\x03\x04") and (
        b"xl/" in head or b"[Content_Types].xml" in head and b"word/" not in head
    )


# --------------------------------------------------------------------------- sheets


@dataclass
class Sheet:
    name: str
    rows: list[list]  # python-calamine values from A1, "" for an empty cell
    merges: list[tuple[tuple[int, int], tuple[int, int]]]  # (top-left, bottom-right), 0-based inclusive
    extras: SheetExtras


@dataclass
class SheetTexts:
    """A sheet's cell texts as a dense grid (rows × columns of its non-empty cells and merges), each
    cell covered by a merge holding the text of the merge's first cell (`origins` says which)."""

    name: str
    rows: list[list[str]]
    origins: dict[tuple[int, int], tuple[int, int]]
    problems: list[Problem]  # found while reading the cells (formulas without a value)


def _shown(value, address: tuple[int, int], extras: SheetExtras) -> str:
    """A cell that is not text, as the spreadsheet shows it."""
    shown = extras.shown.get(address)
    if shown is not None:
        return shown.strip()
    return cell_text(value, extras.formats.get(address))


def sheet_texts(sheet: Sheet, path: str) -> SheetTexts:
    """The texts of a sheet (row i, column j ↔ sheet row i+1, column j+1); merges resolved."""
    title = sheet.name
    extras = sheet.extras
    rows: list[list[str]] = []
    max_row = max_col = filled = 0
    for r, values in enumerate(sheet.rows):
        row: list[str] = []
        for c, value in enumerate(values):
            if value.__class__ is str:
                text = value.strip()
                if text and ("\r" in text or "_x000D_" in text):
                    text = cell_text(value, None)
            else:
                text = _shown(value, (r, c), extras)
            row.append(text)
        rows.append(row)
        last = len(row)
        while last and not row[last - 1]:
            last -= 1
        if last:
            max_row = r + 1
            max_col = max(max_col, last)
            filled += sum(1 for text in row if text)
    problems: list[Problem] = []
    for (r, c), source in sorted(extras.formulas.items()):
        if r < len(rows) and c < len(rows[r]) and rows[r][c]:
            continue
        address = f"{column_letter(c + 1)}{r + 1}"
        problems.append(
            Problem(
                code="formula-without-value",
                message=f"单元格 {title}!{address} 的公式 {source} 没有保存计算结果"
                "（文件未在 Excel 中打开并保存过），按空单元格读取",
                location=Location(file=path, sheet=title, cell=address),
            )
        )
    from goallint.safety import check_sheet_extent

    check_sheet_extent(path, title, max_row, max_col, filled)

    def text_at(r: int, c: int) -> str:
        return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""

    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for (top, left), (bottom, right) in sheet.merges:
        if not text_at(top, left) and not any(
            text_at(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)
        ):
            continue  # an empty merge: nothing to resolve
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    origins[(r, c)] = (top, left)
        if text_at(top, left):
            max_row = max(max_row, bottom + 1)
            max_col = max(max_col, right + 1)
    del rows[max_row:]
    for row in rows:
        if len(row) > max_col:
            del row[max_col:]
        elif len(row) < max_col:
            row.extend([""] * (max_col - len(row)))
    rows.extend([""] * max_col for _ in range(max_row - len(rows)))
    if origins:
        texts = {key: text_at(*origin) for key, origin in origins.items() if origin[0] < max_row}
        for (r, c), text in texts.items():
            if r < max_row and c < max_col:
                rows[r][c] = text
    return SheetTexts(title, rows, origins, problems)


def grid_of(sheet: SheetTexts, path: str) -> Grid:
    title = sheet.name
    letters = [column_letter(c + 1) for c in range(len(sheet.rows[0]) if sheet.rows else 0)]
    origins = sheet.origins
    grid: list[list[Cell]] = []
    for r, texts in enumerate(sheet.rows):
        number = str(r + 1)
        grid.append(
            [
                Cell(
                    text=text,
                    row=r,
                    col=c,
                    location=Location(file=path, sheet=title, cell=letters[c] + number),
                    merged_from=origins.get((r, c)),
                )
                for c, text in enumerate(texts)
            ]
        )
    return Grid(rows=grid, location=Location(file=path, sheet=title, cell="A1"))


def sheet_grid(sheet: Sheet, path: str) -> tuple[Grid, list[Problem]]:
    """A sheet as a Grid (row i, column j ↔ sheet row i+1, column j+1); merges resolved."""
    texts = sheet_texts(sheet, path)
    return grid_of(texts, path), texts.problems


def _long_header(rows: list[list[str]]) -> int | None:
    """The row index of a long-layout header among the sheet's first non-empty rows."""
    try:
        from goallint.readers import long
    except ModuleNotFoundError as exc:
        if exc.name != "goallint.readers.long":
            raise
        return None
    seen = 0
    for index, texts in enumerate(rows):
        if not any(texts):
            continue
        if not long.match_columns(texts).missing():  # all required columns (duplicates: long explains)
            return index
        seen += 1
        if seen >= _LONG_HEADER_ROWS:
            break
    return None


def _read_long(path: str, sheet: SheetTexts, header: int, first_table: int, format: str) -> Document:
    """A long-layout sheet: no Cell grid is made, each row's texts go to long.read_rows as they are."""
    from goallint.readers import long

    title = sheet.name

    def rows():
        for r in range(header + 1, len(sheet.rows)):
            yield sheet.rows[r], Location(file=path, sheet=title, cell=f"A{r + 1}")

    return long.read_rows(
        path,
        sheet.rows[header],
        rows(),
        Location(file=path, sheet=title, cell=f"A{header + 1}"),
        format=format,
        first_table=first_table,
    )


# --------------------------------------------------------------------------- reading


# the suffixes by which python-calamine picks the format of each kind of file it is given by path
_CALAMINE_SUFFIXES = {"Excel .xlsx": (".xlsx", ".xlsm"), "Excel .xls": (".xls",), "OpenDocument .ods": (".ods",)}


def _reraise_unless_panic(exc: BaseException) -> None:
    """python-calamine reports a fault of its Rust code on a malformed file (an index out of range) as
    pyo3's PanicException, which is a BaseException: that is a bad file, everything else goes on up."""
    if type(exc).__name__ != "PanicException":
        raise exc


def _calamine(path: Path, path_text: str, what: str):
    import python_calamine  # imported only when a spreadsheet is read

    try:
        if path.suffix.lower() in _CALAMINE_SUFFIXES[what]:
            return python_calamine.CalamineWorkbook.from_path(str(path))
        with path.open("rb") as handle:  # .et, or an .xls named .xlsx: calamine recognises the content
            return python_calamine.CalamineWorkbook.from_filelike(handle)
    except Exception as exc:  # noqa: BLE001 — calamine raises CalamineError, XmlError, ZipError …
        raise InputError(path_text, f"无法打开 {what} 文件：{exc}") from None
    except BaseException as exc:
        _reraise_unless_panic(exc)
        raise InputError(path_text, f"无法打开 {what} 文件（文件已损坏：{exc}）") from None


def _sheets(path: Path, path_text: str, what: str, extras: dict[str, SheetExtras], calamine_merges: bool):
    """The worksheets (not chart sheets) of a workbook, in order, as calamine reads them."""
    import python_calamine

    workbook = _calamine(path, path_text, what)
    out: list[Sheet] = []
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            sheet_extras = extras.get(meta.name) or SheetExtras()
            merges = (sheet.merged_cell_ranges or []) if calamine_merges else (sheet_extras.merges or [])
            out.append(Sheet(meta.name, sheet.to_python(skip_empty_area=False), merges, sheet_extras))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(path_text, f"无法读取 {what} 文件中的工作表：{exc}") from None
    except BaseException as exc:
        _reraise_unless_panic(exc)
        raise InputError(path_text, f"无法读取 {what} 文件中的工作表（文件已损坏：{exc}）") from None
    finally:
        workbook.close()
    return out


def open_xlsx(path: Path, path_text: str) -> list[Sheet]:
    from goallint.readers import sheet_extras

    if not zipfile.is_zipfile(path):
        raise InputError(path_text, "不是有效的 Excel .xlsx 文件（不是 zip 压缩包）")
    from goallint.safety import check_merges, open_zip

    extras: dict[str, SheetExtras] = {}
    try:
        with open_zip(path, path_text, "Excel .xlsx") as archive:  # zip bombs and XML DTDs are refused here
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                what = "，看起来是 Word 文档" if "word/document.xml" in names else ""
                raise InputError(path_text, f"zip 压缩包中没有 xl/workbook.xml，不是 Excel .xlsx 文件{what}")
            check_merges(archive, path_text)  # a merge over millions of cells
            styles = sheet_extras.xlsx_style_formats(archive)
            for name, part in sheet_extras.xlsx_sheet_parts(archive).items():
                if part in names:
                    data = archive.read(part)
                    extras[name] = sheet_extras.xlsx_sheet_extras(data, styles, path_text, name)
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise InputError(path_text, f"不是有效的 Excel .xlsx 文件（zip 压缩包已损坏：{exc}）") from None
    except SyntaxError as exc:  # lxml's XMLSyntaxError on a broken workbook.xml or styles.xml
        raise InputError(path_text, f"无法打开 Excel .xlsx 文件：{exc}") from None
    return _sheets(path, path_text, "Excel .xlsx", extras, calamine_merges=True)


def open_xls(path: Path, path_text: str) -> list[Sheet]:
    from goallint.readers.xls_records import workbook_stream, xls_extras

    extras = xls_extras(workbook_stream(path, path_text), path_text)  # formats; huge sheets refused
    return _sheets(path, path_text, "Excel .xls", extras, calamine_merges=True)


def open_ods(path: Path, path_text: str) -> list[Sheet]:
    from goallint.readers.sheet_extras import ods_extras
    from goallint.safety import open_zip

    try:
        with open_zip(path, path_text, "OpenDocument .ods") as archive:
            if "content.xml" not in archive.namelist():
                raise InputError(path_text, "zip 压缩包中没有 content.xml，不是 OpenDocument .ods 文件")
            extras = ods_extras(archive, path_text)  # merges, shown text; huge sheets refused
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise InputError(path_text, f"不是有效的 OpenDocument .ods 文件（zip 压缩包已损坏：{exc}）") from None
    except SyntaxError as exc:  # lxml's XMLSyntaxError
        raise InputError(path_text, f"不是有效的 OpenDocument .ods 文件（content.xml 无法解析：{exc}）") from None
    return _sheets(path, path_text, "OpenDocument .ods", extras, calamine_merges=False)


def _head(path: Path, path_text: str) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except OSError as exc:
        raise unreadable(path_text, exc) from None


def read(path: str | Path) -> Document:
    path_text = str(path)
    path = Path(path)
    if _head(path, path_text).startswith(_OLE2):  # an .xls named .xlsx, or an encrypted workbook
        return read_sheets(path_text, open_xls(path, path_text), "xls")
    return read_sheets(path_text, open_xlsx(path, path_text), NAME)


def read_sheets(path_text: str, sheets: list[Sheet], format: str) -> Document:
    """The tables of a workbook's sheets (any spreadsheet format)."""
    return read_tables(path_text, [sheet_texts(sheet, path_text) for sheet in sheets], format)


def read_tables(path_text: str, sheets: list[SheetTexts], format: str) -> Document:
    """The tables of a workbook's sheets, each given by its texts."""
    tables: list[Table] = []
    problems: list[Problem] = []
    context = form.Context()
    unrecognised: list[str] = []
    empty = 0
    for sheet in sheets:
        name, found = sheet.name, sheet.problems
        if not sheet.rows:
            empty += 1
            continue
        header = _long_header(sheet.rows)
        if header is not None:
            problems.extend(found)
            doc = _read_long(path_text, sheet, header, len(tables) + 1, format)
            tables.extend(doc.tables)
            problems.extend(doc.problems)
            continue
        grid = grid_of(sheet, path_text)
        kind = form.kind_of(grid)
        if kind is None:
            unrecognised.append(name)
            continue
        problems.extend(found)
        form.read_into(grid, kind, tables, problems, context)
    if not tables:
        if empty == len(sheets):
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
    return Document(path=path_text, format=format, tables=tables, problems=problems)
