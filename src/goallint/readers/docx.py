"""Word documents (.docx): every performance target table in the document.

The document body is walked in order (paragraphs and tables, also inside content controls). Each
Word table becomes a `Grid` (readers/grid.py) and `readers/form.py` decides what it is and reads
it; this module only knows Word's XML:

* Grid columns come from the cells' `w:gridSpan` (and a row's `w:gridBefore`), so a cell spanning
  three grid columns is one cell repeated three times with `merged_from` pointing at its first
  column — the form reader counts it once.
* A `w:vMerge` continuation cell repeats the text of the cell it continues, with `merged_from`
  pointing at it (一级指标 / 二级指标 merged over several rows are filled down).
* A cell's paragraphs are joined with "\\n"; text in runs, hyperlinks, tracked insertions,
  fields' results and text boxes is read, deleted text and field codes are not. A paragraph
  numbered by Word's automatic list numbering (w:numPr) gets its number written out (`1.`, `2.`,
  counted in the cell), so that automatically numbered goals split like typed ones. Nested tables
  inside a cell are read as text of that cell.
* The non-empty paragraphs since the previous table (title, department, `单位：万元`) are the
  grid's `before` text; so is the text of a small table that is not a target table (a department
  | unit layout row above the form).
* A table without a header block (no 项目名称 / 预算数 / 绩效目标 labels, no title above it) that
  follows a project table and starts with the grid header or is five cells wide continues that
  table's indicator rows (a table split by a page break, the header row repeated or not).
* A table whose title or labels name a department-wide table (整体支出绩效目标表, 主要工作任务)
  is read by `readers/department/form.read_grid`.
* A single-cell layout table holding the form as a nested table is looked into.

Locations: `table` is the 1-based number of the performance target table among those found in
the document (the n-th 绩效目标表, as in the Word-dump reader); `cell` is the Word position,
`"表3 行5 列5"`: the 1-based Word table number among all tables of the document (body tables and
nested tables, in reading order), the 1-based row in that Word table and the 1-based grid column.
An IndicatorRow's `row` is the 1-based indicator row of the model table, its `cell` that of its
指标值 cell; a Table's `cell` is its first cell (`"表3 行1 列1"`).
"""

from __future__ import annotations

import zipfile
from functools import partial
from pathlib import Path

from goallint.errors import InputError, unreadable
from goallint.model import Document, Location, Problem, Table
from goallint.readers import form
from goallint.readers.form_knowledge import has_goal_number
from goallint.readers.grid import Cell, Grid

NAME = "docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BEFORE_LINES = 12  # paragraphs kept above a table


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT, _CUSTOM = (
    _w(t) for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN = (_w(t) for t in ("t", "tab", "br", "cr", "noBreakHyphen"))
_PPR, _NUMPR, _TCPR, _TRPR, _VMERGE, _VAL = (_w(t) for t in ("pPr", "numPr", "tcPr", "trPr", "vMerge", "val"))
_WRAPPERS = {_SDT, _SDT_CONTENT, _CUSTOM, _w("ins"), _w("smartTag")}
# elements under which a paragraph's w:t are not plain visible text: without any of them in the body,
# a paragraph's text is its w:t, w:tab, w:br … in document order (_plain_text)
_SPECIAL = (_w("del"), _w("moveFrom"), f"{{{MC}}}Fallback", _w("txbxContent"))
_SKIP = {
    _w("del"),
    _w("moveFrom"),
    _w("instrText"),
    _w("delText"),
    f"{{{MC}}}Fallback",
    _w("pPr"),
    _w("rPr"),
    _w("tblPr"),
    _w("trPr"),
    _w("tcPr"),
}


# --------------------------------------------------------------------------- sniffing


def sniff(path: Path, head: bytes) -> bool:
    """A zip archive (PK) whose part names (in the local headers at the start) include word/; or an OLE2
    file (an old .doc or an encrypted file), which `_open` then names as such instead of "unknown"."""
    if head.startswith(_OLE2):
        return True
    return head.startswith(b"PK\x03\x04") and (
        b"word/" in head or b"[Content_Types].xml" in head and b"xl/" not in head
    )


# --------------------------------------------------------------------------- XML walking


def _children(element, wanted: str):
    """Direct children with tag `wanted`, looking through content controls and similar wrappers."""
    for child in element:
        if child.tag == wanted:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, wanted)


def _body_items(element):
    """Paragraphs and tables of the body in reading order, through wrappers."""
    for child in element:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _body_items(child)


_PLAIN = {_TAB: "\t", _BR: "\n", _CR: "\n", _NO_BREAK_HYPHEN: "-"}


def _plain_text(paragraph) -> str:
    """A paragraph's text when the body has no deleted, moved, fallback or text-box content (see
    `plain_body`): lxml finds the text elements in document order, no Python walk of every node."""
    return "".join(
        (node.text or "") if node.tag == _T else _PLAIN[node.tag]
        for node in paragraph.iter(_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN)
    )


def plain_body(body) -> bool:
    """Whether `_plain_text` reads every paragraph of `body` as `_text` does."""
    return next(body.iter(*_SPECIAL), None) is None


def _text(element) -> str:
    """The visible text under an element (a paragraph): runs, tabs, breaks; no deleted text or field codes."""
    out: list[str] = []

    def walk(node) -> None:
        for child in node:
            tag = child.tag
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if tag == _T:
                out.append(child.text or "")
            elif tag == _TAB:
                out.append("\t")
            elif tag in (_BR, _CR):
                out.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                out.append("-")
            elif tag == _P and out and out[-1] != "\n":  # a paragraph inside a text box
                out.append("\n")
                walk(child)
            else:
                walk(child)

    walk(element)
    return "".join(out)


def _child(parent, tag: str):
    """The first direct child with `tag`, or None (`parent.find(tag)` without lxml's path machinery,
    which costs more than the few children of a w:tr or w:tc)."""
    for child in parent:
        if child.tag == tag:
            return child
    return None


def _num_pr(paragraph) -> bool:
    ppr = _child(paragraph, _PPR)
    return ppr is not None and _child(ppr, _NUMPR) is not None


def _cell_text(tc, paragraph_text=_text) -> str:
    """A cell's paragraphs joined with "\n"; `paragraph_text` reads one paragraph (_plain_text when
    the body allows it)."""
    lines: list[str] = []
    numbered = 0
    for child in tc:
        tag = child.tag
        if tag == _P:
            text = paragraph_text(child).strip()
            if text and _num_pr(child):
                numbered += 1
                if not has_goal_number(text):
                    text = f"{numbered}.{text}"
            if "\n" in text:
                lines.extend(part.strip() for part in text.split("\n"))
            else:
                lines.append(text)
        elif tag in _WRAPPERS:
            lines.extend(_cell_text(child, paragraph_text).split("\n"))
        elif tag == _TBL:
            for tr in _children(child, _TR):
                for inner in _children(tr, _TC):
                    lines.extend(_cell_text(inner, paragraph_text).split("\n"))
    return "\n".join(line for line in lines if line)


def _int_attr(parent, tag: str, default: int) -> int:
    if parent is None:
        return default
    return _int_val(parent.find(tag if tag.startswith("{") else _w(tag)), default)


def _int_val(element, default: int) -> int:
    """An element's integer w:val, or `default` (no element, no or a bad value)."""
    if element is None:
        return default
    try:
        return int(element.get(_VAL))
    except (TypeError, ValueError):
        return default


_GRID_SPAN, _GRID_BEFORE = _w("gridSpan"), _w("gridBefore")


def _span_and_vmerge(tcpr) -> tuple[int, object | None]:
    """A w:tcPr's grid span (≥ 1) and w:vMerge element, in one pass over its few children."""
    span = vmerge = None
    for prop in tcpr:  # the first of each, as find() gives
        if prop.tag == _GRID_SPAN and span is None:
            span = prop
        elif prop.tag == _VMERGE and vmerge is None:
            vmerge = prop
    return max(1, _int_val(span, 1)), vmerge


def _grid(tbl, path: str, word_number: int, paragraph_text=_text) -> Grid:
    from goallint.safety import MAX_WORD_COLUMNS

    rows: list[list[Cell]] = []
    table = f"表{word_number} 行"
    for r, tr in enumerate(_children(tbl, _TR)):
        row: list[Cell] = []
        where = f"{table}{r + 1} 列"

        def place(text: str, c: int, merged_from: tuple[int, int] | None, row=row, r=r, where=where) -> None:
            location = partial(Location, file=path, cell=f"{where}{c + 1}")  # made when used
            row.append(Cell(text, r, c, location, merged_from))

        col = _int_attr(_child(tr, _TRPR), _GRID_BEFORE, 0)
        if col > MAX_WORD_COLUMNS:
            _check_columns(path, word_number, r, col)
        for c in range(col):
            place("", c, None)
        for tc in _children(tr, _TC):
            tcpr = _child(tc, _TCPR)
            span, vmerge = _span_and_vmerge(tcpr) if tcpr is not None else (1, None)
            if col + span > MAX_WORD_COLUMNS:
                _check_columns(path, word_number, r, col + span)
            origin: tuple[int, int] | None = None
            text = _cell_text(tc, paragraph_text)
            if vmerge is not None and vmerge.get(_VAL, "continue") == "continue" and rows:
                above = next((cell for cell in rows[-1] if cell.col == col), None)
                if above is not None:
                    origin = above.merged_from if above.merged_from is not None else (above.row, above.col)
                    text = _origin_text(rows, origin)
            place(text, col, origin)
            for offset in range(1, span):
                place(text, col + offset, origin if origin is not None else (r, col))
            col += span
        rows.append(row)
    return Grid(rows=rows, location=_location(path, word_number, 0, 0))


def _check_columns(path: str, word_number: int, r: int, columns: int) -> None:
    """Refuse a row wider than any Word table (63 columns; generous here): a cell that claims to span
    a billion grid columns would otherwise be laid out cell by cell (docs/robustness.md)."""
    from goallint.safety import MAX_WORD_COLUMNS

    if columns > MAX_WORD_COLUMNS:
        raise InputError(
            path,
            f"表{word_number} 第{r + 1}行的单元格跨 {columns:,} 列（gridBefore/gridSpan），超过上限 {MAX_WORD_COLUMNS}，疑似恶意构造，已拒绝读取",
        )


def _origin_text(rows: list[list[Cell]], origin: tuple[int, int]) -> str:
    for cell in rows[origin[0]]:
        if cell.col == origin[1]:
            return cell.text
    return ""


def _location(path: str, word_number: int, row: int, col: int) -> Location:
    return Location(file=path, cell=f"表{word_number} 行{row + 1} 列{col + 1}")


# --------------------------------------------------------------------------- reading


def _open(path: Path, path_text: str):
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise unreadable(path_text, exc) from None
    if head.startswith(_OLE2):
        raise InputError(
            path_text, "这是旧版 Word（.doc）文件或加密的文件，不是 .docx；请在 Word 中“另存为”.docx 后再检查"
        )
    if not zipfile.is_zipfile(path):
        raise InputError(path_text, "不是有效的 Word .docx 文件（不是 zip 压缩包）")
    from goallint.safety import open_zip

    with open_zip(path, path_text, "Word .docx") as archive:  # zip bombs and XML DTDs are refused here
        names = set(archive.namelist())
    if "word/document.xml" not in names:
        what = "，看起来是 Excel 工作簿" if "xl/workbook.xml" in names else ""
        raise InputError(path_text, f"zip 压缩包中没有 word/document.xml，不是 Word .docx 文件{what}")
    import docx  # python-docx, imported only when a .docx is read

    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises ValueError, KeyError, lxml errors … on broken packages
        raise InputError(path_text, f"无法打开 Word .docx 文件：{exc}") from None


def read(path: str | Path) -> Document:
    return read_as(Path(path), str(path), NAME)


def read_as(path: Path, path_text: str, format: str) -> Document:
    """Read the .docx at `path` as the file `path_text` (a .doc converted to .docx is named as the .doc)."""
    document = _open(path, path_text)
    body = getattr(document.element, "body", None)  # None, or no attribute at all when the root is not w:document
    if body is None:
        raise InputError(path_text, "word/document.xml 中没有文档正文（w:document/w:body），不是有效的 Word .docx 文件")
    result = read_body(body, path_text)
    result.format = format
    return result


def read_body(body, path_text: str, word_tables: list | None = None) -> Document:
    """Read the tables of a document body (w:body); `word_tables` collects the w:tbl elements in
    the order of their numbers in `cell` locations (the fixer writes cells back through it)."""
    tables: list[Table] = []
    problems: list[Problem] = []
    context = form.Context()
    paragraph_text = _plain_text if plain_body(body) else _text
    pending: tuple[str, Grid] | None = None  # the kind and grid being read (continued by following Word tables)
    counter = 0
    before: list[str] = []

    def flush() -> None:
        nonlocal pending
        if pending is None:
            return
        kind, grid = pending
        pending = None
        form.read_into(grid, kind, tables, problems, context)

    def handle(tbl) -> None:
        nonlocal counter, before, pending
        counter += 1
        if word_tables is not None:
            word_tables.append(tbl)
        grid = _grid(tbl, path_text, counter, paragraph_text)
        grid.before = before[-_BEFORE_LINES:]
        if pending is not None and form.is_continuation(grid):
            form.align_continuation(pending[1], grid)
            offset = len(pending[1].rows)
            for row in grid.rows:
                for cell in row:
                    cell.row += offset
                    if cell.merged_from is not None:
                        cell.merged_from = (cell.merged_from[0] + offset, cell.merged_from[1])
            pending[1].rows.extend(grid.rows)
            before = []
            return
        kind = form.kind_of(grid)
        if kind is None:
            nested = [t for tr in _children(tbl, _TR) for tc in _children(tr, _TC) for t in _children(tc, _TBL)]
            if nested and sum(1 for _ in _children(tbl, _TR)) <= 2:
                for inner in nested:  # a layout table holding the form
                    handle(inner)
                return
            # not a target table: its text may be the department / unit line above the next one
            before.extend(cell.text for row in grid.rows for cell in form.logical_cells(row) if cell.text)
            return
        flush()
        before = []
        pending = (kind, grid)

    for item in _body_items(body):
        if item.tag == _P:
            text = paragraph_text(item).strip()
            if text:
                before.extend(line.strip() for line in text.split("\n") if line.strip())
            continue
        handle(item)
    flush()
    if not tables:
        has_department = any(p.code == "unsupported-table" for p in problems)
        detail = (
            "（只有部门整体支出绩效目标表，本版本还不能读取）"
            if has_department
            else f"（文档中有{counter}个表格，都没有“项目名称”“指标值”等表头）"
            if counter
            else "（文档中没有表格）"
        )
        raise InputError(path_text, f"未找到绩效目标表{detail}")
    return Document(path=path_text, format=NAME, tables=tables, problems=problems)
