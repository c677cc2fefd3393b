"""PDF files with a text layer: the ruled tables of every page, read with pdfplumber.

A published PDF is a rendering of a Word or Excel form, so this module only turns the page into
the same `Grid`s (readers/grid.py) that the .docx and .xlsx readers extract, and hands them to the
same interpreters: readers/form.py for project tables, the department form reader for
department-wide tables. What is PDF-specific:

* **Cells.** pdfplumber's table finder follows the ruling lines of a page; each table's cells are
  rectangles. Grid columns are the distinct left and right edges of the cells, grid rows their
  distinct top and bottom edges, so a rectangle spanning several columns or rows is one cell
  repeated over them with `merged_from` pointing at its first grid cell (as a Word gridSpan/vMerge
  or an Excel merge). A cell's text keeps its visual lines separated by "\\n": the interpreters join
  wrapped lines (form.flat, form.split_goals) without inventing spaces between Chinese characters.
* **Text above a table** on the page (the title `…绩效目标表`, the department, `单位：万元`), and the
  text below the last table of the previous page or on pages without a ruled table, is the grid's
  `before`, as paragraphs above a Word table are.
* **Tables across pages.** The first table of a page that has no title above it (on that page or at
  the foot of the page before) continues the table of the previous page when `form.is_continuation`
  says so or when it has no 项目名称 label of its own (a project table whose header block crosses
  the page, a department-wide table). Its cells are
  placed on the columns of the whole table (the edges of all its pages). A row that Word broke
  across the page (its first row has no number or label in the first column and every text in it
  continues a cell of the previous page's last row whose last line was full) is joined to that row.
* **No ruled table** anywhere: the page text is read as a text dump of a department-wide table
  (readers/department/dump.py, the layout of published department PDFs); anything else is an error.
* **No text layer** (a scan): a clear error asking for OCR, not an empty result.

Locations: `page` is the 1-based page; `cell` is `第P页 表N 行R 列C`: the page, the N-th ruled table
on that page, the row within that table on that page and the grid column, all 1-based (the page is
in `cell` too, so that every report shows it without a field of its own). A text-dump fallback has
`line` (in the page text, pages in order) and `page`.

Limits (docs/robustness.md): file size, page count and the inflated size of the compressed
streams are checked before pdfplumber parses a page (readers/pdf_safety.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from goallint.errors import InputError
from goallint.model import Document, Location, Problem, Table
from goallint.readers import form, form_knowledge, pdf_text
from goallint.readers.grid import Cell, Grid

NAME = "pdf"
_BEFORE_LINES = 12  # lines of text kept above a table
_EDGE_TOLERANCE = 1.5  # points: cell edges closer than this are the same grid line


def sniff(path: Path, head: bytes) -> bool:
    """The PDF header, within the first KB as readers allow."""
    return b"%PDF-" in head[:1024]


# --------------------------------------------------------------------------- page tables


@dataclass(slots=True)
class _Rect:
    """A cell of a ruled table as found on the page."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    full: bool = False  # its last line reaches the right edge (the text may go on: a row broken by a page)
    joined: _Rect | None = None  # the cell on the page before that this one continues (one merged cell)
    origin: tuple[int, int] | None = None  # its first grid cell, once placed


@dataclass
class _PageTable:
    page: int
    number: int  # 1-based among the ruled tables of its page
    rects: list[_Rect]
    before: list[str] = field(default_factory=list)
    in_grid: bool = False  # holds an indicator grid header (or continues a part that does)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.rects)

    @property
    def top(self) -> float:
        return min(r.top for r in self.rects)


def _page_tables(page, number: int) -> tuple[list[_PageTable], list[str]]:
    """The ruled tables of a page, each with the text above it; and the text below the last one."""
    chars = pdf_text.Chars(page.chars)
    found = sorted(page.find_tables(), key=lambda t: (round(t.bbox[1]), t.bbox[0]))
    right = max((t.bbox[2] for t in found), default=float(page.width) * 0.88)
    out: list[_PageTable] = []
    above = 0.0
    for index, table in enumerate(found, start=1):
        rects = [_Rect(*bbox, *pdf_text.cell_text(chars, *bbox)) for bbox in table.cells]
        if not rects:
            continue
        before = pdf_text.region_lines(chars, float(page.width), above, table.bbox[1], right)
        out.append(_PageTable(page=number, number=index, rects=rects, before=before))
        above = max(above, table.bbox[3])
    return out, pdf_text.region_lines(chars, float(page.width), above, float(page.height), right)


# --------------------------------------------------------------------------- grids


def _edges(values: list[float]) -> list[float]:
    """Distinct coordinates, those within the tolerance of each other counted once."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _EDGE_TOLERANCE:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _grid(parts: list[_PageTable], file: str) -> Grid:
    """One Grid from the page tables of one table (one part, or several across pages)."""
    columns = _edges([x for part in parts for r in part.rects for x in (r.x0, r.x1)])
    width = max(1, len(columns) - 1)
    rows: list[list[Cell]] = []
    for part in parts:
        ys = _edges([y for r in part.rects for y in (r.top, r.bottom)])
        offset = len(rows)
        height = max(1, len(ys) - 1)
        block: list[list[Cell | None]] = [[None] * width for _ in range(height)]

        def location(r: int, c: int, part: _PageTable = part) -> Location:
            return Location(file=file, page=part.page, cell=f"第{part.page}页 表{part.number} 行{r + 1} 列{c + 1}")

        for rect in part.rects:
            r0, r1 = _index(ys, rect.top), max(_index(ys, rect.top) + 1, _index(ys, rect.bottom))
            c0, c1 = _index(columns, rect.x0), max(_index(columns, rect.x0) + 1, _index(columns, rect.x1))
            rect.origin = (offset + r0, c0)
            text, first = rect.text, rect.origin
            if rect.joined is not None and rect.joined.origin is not None:  # one cell across the page
                text, first = rect.joined.text, rect.joined.origin
            for r in range(r0, min(r1, height)):
                for c in range(c0, min(c1, width)):
                    if block[r][c] is not None:
                        continue
                    origin = None if (offset + r, c) == first else first
                    block[r][c] = Cell(text, offset + r, c, location(r, c), origin)
        for r, line in enumerate(block):
            rows.append([cell or Cell("", offset + r, c, location(r, c)) for c, cell in enumerate(line)])
    first = parts[0]
    return Grid(
        rows=rows,
        location=Location(file=file, page=first.page, cell=f"第{first.page}页 表{first.number} 行1 列1"),
        before=[],
    )


def _join_across_page(previous: _PageTable, part: _PageTable) -> None:
    """Join what the page break cut (see the module docstring).

    The first row of `part` is the rest of the last row of `previous` (a row Word let break across
    the page) when its first column has no text of its own and each of its texts lies under one cell
    of that row, which in the indicator grid must have a full last line; it is then joined to that
    row and removed. Otherwise a text under a cell with a full last line that spans several rows (a
    merged label, `预算规模及资金用` + `途`) continues that cell: the two are one merged cell.
    """
    top, bottom = part.top, previous.bottom
    first = [r for r in part.rects if abs(r.top - top) < _EDGE_TOLERANCE]
    last = [r for r in previous.rects if abs(r.bottom - bottom) < _EDGE_TOLERANCE]
    left = min(r.x0 for r in part.rects)

    def above(rect: _Rect) -> _Rect | None:
        found = [r for r in last if abs(r.x0 - rect.x0) < _EDGE_TOLERANCE and abs(r.x1 - rect.x1) < _EDGE_TOLERANCE]
        return found[0] if len(found) == 1 else None

    texts = [(rect, above(rect)) for rect in first if rect.text]
    if (
        not texts
        or sum(1 for r, _ in texts if form_knowledge.column_label(r.text) or form_knowledge.header_label(r.text)) >= 2
    ):
        return  # nothing, or the grid header repeated on the new page
    previous_top = {id(r): r.top for r in previous.rects}
    row_top = max(previous_top.values())

    def spans(a: _Rect) -> bool:  # a merged cell over rows before the last
        return previous_top[id(a)] < row_top - _EDGE_TOLERANCE

    broken_row = all(a is not None and a.text for _, a in texts) and not any(
        abs(r.x0 - left) < _EDGE_TOLERANCE and not a.full for r, a in texts
    )
    if previous.in_grid:  # indicator rows: only the rest of full cells of the last row itself
        broken_row = broken_row and all(a.full and not spans(a) for _, a in texts)
    if broken_row:
        row_bottom = min(r.bottom for r in first)
        for rect, a in texts:
            a.text = pdf_text.joined(a.text, rect.text) if a.full else f"{a.text}\n{rect.text}"
        kept = []
        for rect in part.rects:
            if abs(rect.top - top) < _EDGE_TOLERANCE:
                if rect.bottom - row_bottom <= _EDGE_TOLERANCE:
                    continue  # the broken row's rest, now joined
                # a merged cell going on below: one cell with the one it continues
                rect.top, rect.text, rect.joined = row_bottom, "", above(rect)
            kept.append(rect)
        part.rects = kept
        return
    if previous.in_grid:
        return
    for rect, a in texts:  # the header block: a label cell whose text goes on over the page (`途`)
        if a is not None and a.full and not form_knowledge.header_label(rect.text):
            a.text = pdf_text.joined(a.text, rect.text)
            rect.joined = a


def _continues(parts: list[_PageTable], part: _PageTable, grid: Grid) -> bool:
    """The first table of a page continues the table of the page before unless a title is above it
    (also at the foot of the page before) or it starts a project table of its own (项目名称); a later
    table of the same page continues the one above it only when `form.is_continuation` says so."""
    if any(form_knowledge.is_title(line) for line in part.before):
        return False
    if part.number != 1 or part.page <= parts[-1].page:
        # a second table on the same page: a Word table split in two (the grid header repeated) goes on
        return part.page == parts[-1].page and form.is_continuation(grid)
    return form.is_continuation(grid) or "project" not in form.header_fields(grid)


# --------------------------------------------------------------------------- reading


def read(path: str | Path) -> Document:
    path_text = str(path)
    path = Path(path)
    from goallint.readers import pdf_safety

    pdf_safety.check_file(path, path_text)
    import pdfplumber  # imported only when a PDF is read

    try:
        document = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises its own syntax errors, struct errors … on broken files
        raise InputError(path_text, f"无法打开 PDF 文件：{pdf_safety.describe(exc)}") from None
    with document:
        pdf_safety.check_pages(document, path_text)
        try:
            return _read_pages(document, path_text)
        except InputError:
            raise
        except Exception as exc:  # a broken page (bad stream, bad font) is the file's problem, not a crash
            raise InputError(path_text, f"PDF 文件内容损坏，无法读取：{pdf_safety.describe(exc)}") from None


def _read_pages(document, path_text: str) -> Document:
    tables: list[Table] = []
    problems: list[Problem] = []
    context = form.Context()
    pending: tuple[str, list[_PageTable]] | None = None
    before: list[str] = []
    page_texts: list[str] = []
    found_text = False
    any_table = False

    def flush() -> None:
        nonlocal pending
        if pending is None:
            return
        kind, parts = pending
        pending = None
        grid = _grid(parts, path_text)
        grid.before = parts[0].before
        form.read_into(grid, kind, tables, problems, context)

    for number, page in enumerate(document.pages, start=1):
        found_text = found_text or bool(page.chars)
        parts, after = _page_tables(page, number)
        if not parts:
            page_texts.append(page.extract_text() or "")
        else:
            page_texts.append("")
            any_table = True
        for part in parts:
            part.before = (before + part.before)[-_BEFORE_LINES:]
            before = []
            grid = _grid([part], path_text)
            grid.before = part.before
            part.in_grid = form.find_grid_header(grid) is not None
            if pending is not None and _continues(pending[1], part, grid):
                if part.page > pending[1][-1].page:
                    _join_across_page(pending[1][-1], part)
                part.in_grid = part.in_grid or pending[1][-1].in_grid
                pending[1].append(part)
                continue
            kind = form.kind_of(grid)
            if kind is None:  # not a target table: its text may be the department / unit line above the next
                before.extend(cell.text for row in grid.rows for cell in form.logical_cells(row) if cell.text)
                continue
            flush()
            pending = (kind, [part])
        before.extend(after if parts else [line.strip() for line in page_texts[-1].split("\n") if line.strip()])
        page.close()  # pdfplumber caches each page's objects; a long document would keep them all
    flush()
    if not found_text:
        raise InputError(
            path_text,
            "没有文字层：请先做 OCR（no text layer: run OCR first）。PDF 的页面上没有可提取的文字"
            "（扫描件或只有图像）；请用 OCR 软件识别后另存为带文字层的 PDF，或检查生成它的 .docx/.xlsx 源文件",
        )
    if not any_table:
        return _text_dump(path_text, page_texts)
    if not tables:
        raise InputError(path_text, "未找到绩效目标表（PDF 中的表格都没有“项目名称”“指标值”等表头）")
    return Document(path=path_text, format=NAME, tables=tables, problems=problems)


def _text_dump(path_text: str, page_texts: list[str]) -> Document:
    """A PDF without ruled tables: its text read as a department-wide table's text dump."""
    from goallint.readers.department import dump

    text = "\n".join(page_texts)
    if not dump.sniff(Path(path_text), text.encode("utf-8")):
        raise InputError(
            path_text,
            "PDF 中没有带框线的表格，文字也不是部门整体支出绩效目标表的版式，无法读取"
            "（请检查生成它的 .docx/.xlsx 源文件）",
        )
    document = dump.read_text(Path(path_text), text)
    pages: list[int] = []
    for number, page_text in enumerate(page_texts, start=1):
        pages.extend([number] * (page_text.count("\n") + 1))

    def paged(loc: Location) -> Location:
        if loc.line is None or not 0 < loc.line <= len(pages):
            return loc
        return loc.model_copy(update={"page": pages[loc.line - 1]})

    for table in document.tables:
        table.location = paged(table.location)
        for item in [*table.rows, *table.tasks, *([table.tasks_total] if table.tasks_total else [])]:
            item.location = paged(item.location)
        table.goal_locations = [paged(loc) for loc in table.goal_locations]
    problems = [p.model_copy(update={"location": paged(p.location)}) for p in document.problems]
    return document.model_copy(update={"format": NAME, "problems": problems})
