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
* **Tables across pages.** The first table of a page that has no title above it continues the
  table of the previous page when `form.is_continuation` says so (project tables) or when the
  previous one is a department-wide table and this one starts no project table. Its cells are
  placed on the columns of the whole table (the edges of all its pages). A row that Word broke
  across the page (its first row has no number or label in the first column and every text in it
  continues a cell of the previous page's last row whose last line was full) is joined to that row.
* **No ruled table** anywhere: the page text is read as a text dump of a department-wide table
  (readers/department_pdf.py, the layout of published department PDFs); anything else is an error.
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
from goallint.readers import form
from goallint.readers.grid import Cell, Grid

NAME = "pdf"
SUFFIXES = (".pdf",)
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


@dataclass
class _PageTable:
    page: int
    number: int  # 1-based among the ruled tables of its page
    rects: list[_Rect]
    before: list[str] = field(default_factory=list)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.rects)

    @property
    def top(self) -> float:
        return min(r.top for r in self.rects)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _text_between(page, top: float, bottom: float) -> list[str]:
    if bottom - top < 1:
        return []
    box = (0, max(0.0, top), page.width, min(float(page.height), bottom))
    return _lines(page.crop(box, strict=False).extract_text())


def _last_line_full(page, rect: _Rect) -> bool:
    """Whether the last text line of the cell reaches its right edge (less than one character short)."""
    chars = [
        c
        for c in page.chars
        if rect.x0 <= (c["x0"] + c["x1"]) / 2 <= rect.x1 and rect.top <= (c["top"] + c["bottom"]) / 2 <= rect.bottom
    ]
    if not chars:
        return False
    last_top = max(c["top"] for c in chars)
    last = [c for c in chars if c["top"] >= last_top - 2]
    padding = min(c["x0"] for c in chars) - rect.x0
    size = max(c["size"] for c in last)
    return max(c["x1"] for c in last) + size > rect.x1 - padding + 0.5


def _page_tables(page, number: int) -> tuple[list[_PageTable], list[str]]:
    """The ruled tables of a page, each with the text above it; and the text below the last one."""
    found = sorted(page.find_tables(), key=lambda t: (round(t.bbox[1]), t.bbox[0]))
    out: list[_PageTable] = []
    above = 0.0
    for index, table in enumerate(found, start=1):
        rects: list[_Rect] = []
        for row, texts in zip(table.rows, table.extract()):
            for bbox, text in zip(row.cells, texts):
                if bbox is not None:
                    rects.append(_Rect(*bbox, text=(text or "").strip()))
        if not rects:
            continue
        part = _PageTable(page=number, number=index, rects=rects, before=_text_between(page, above, table.bbox[1]))
        bottom = part.bottom
        for rect in rects:
            if rect.text and abs(rect.bottom - bottom) < _EDGE_TOLERANCE:
                rect.full = _last_line_full(page, rect)
        out.append(part)
        above = max(above, table.bbox[3])
    return out, _text_between(page, above, float(page.height))


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
            for r in range(r0, min(r1, height)):
                for c in range(c0, min(c1, width)):
                    if block[r][c] is not None:
                        continue
                    origin = None if (r, c) == (r0, c0) else (offset + r0, c0)
                    block[r][c] = Cell(rect.text, offset + r, c, location(r, c), origin)
        for r, line in enumerate(block):
            rows.append([cell or Cell("", offset + r, c, location(r, c)) for c, cell in enumerate(line)])
    first = parts[0]
    return Grid(
        rows=rows,
        location=Location(file=file, page=first.page, cell=f"第{first.page}页 表{first.number} 行1 列1"),
        before=[],
    )


def _join_broken_row(previous: _PageTable, part: _PageTable) -> None:
    """Join the first row of `part` to the last row of `previous` when it is the rest of that row,
    broken by the page (see the module docstring); its cells that span further rows keep those."""
    top = part.top
    first = [r for r in part.rects if abs(r.top - top) < _EDGE_TOLERANCE]
    left = min(r.x0 for r in part.rects)
    texts = [r for r in first if r.text]
    if not texts or any(abs(r.x0 - left) < _EDGE_TOLERANCE for r in texts):
        return
    bottom = previous.bottom
    last = [r for r in previous.rects if abs(r.bottom - bottom) < _EDGE_TOLERANCE]
    pairs = []
    for rect in texts:
        above = [r for r in last if min(r.x1, rect.x1) - max(r.x0, rect.x0) > _EDGE_TOLERANCE]
        if len(above) != 1 or not above[0].full:
            return
        pairs.append((above[0], rect))
    for above, rect in pairs:
        above.text = f"{above.text}\n{rect.text}"
    row_bottom = min(r.bottom for r in first)
    kept = []
    for rect in part.rects:
        if abs(rect.top - top) < _EDGE_TOLERANCE:
            if rect.bottom - row_bottom <= _EDGE_TOLERANCE:
                continue  # the broken row's rest, now joined
            rect.top, rect.text = row_bottom, ""
        kept.append(rect)
    part.rects = kept


def _continues(kind: str, parts: list[_PageTable], part: _PageTable, grid: Grid) -> bool:
    if part.number != 1 or part.page <= parts[-1].page or any(form.is_title(line) for line in part.before):
        return False
    if form.is_continuation(grid):
        return True
    return kind == "department" and "project" not in form.header_fields(grid)


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
        if kind == "department":
            table, found = form.read_department(grid, len(tables) + 1)
            problems.extend(found)
            if table is not None:
                tables.append(table)
            return
        for piece in form.split(grid):
            table, found = form.read_grid(piece, len(tables) + 1, context)
            tables.append(table)
            problems.extend(found)

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
            if pending is not None and _continues(pending[0], pending[1], part, grid):
                _join_broken_row(pending[1][-1], part)
                pending[1].append(part)
                continue
            kind = form.kind_of(grid)
            if kind is None:  # not a target table: its text may be the department / unit line above the next
                before.extend(cell.text for row in grid.rows for cell in form.logical_cells(row) if cell.text)
                continue
            flush()
            pending = (kind, [part])
        before.extend(after if parts else _lines(page_texts[-1]))
        page.close()  # pdfplumber caches each page's objects; a long document would keep them all
    flush()
    if not found_text:
        raise InputError(
            path_text,
            "没有文字层：请先做 OCR（no text layer: run OCR first）。PDF 的页面只有图像（扫描件），"
            "没有可提取的文字；请用 OCR 软件识别后另存为带文字层的 PDF，或检查生成它的 .docx/.xlsx 源文件",
        )
    if not any_table:
        return _text_dump(path_text, page_texts)
    if not tables:
        raise InputError(path_text, f"未找到绩效目标表（PDF 中的表格都没有“项目名称”“指标值”等表头）")
    return Document(path=path_text, format=NAME, tables=tables, problems=problems)


def _text_dump(path_text: str, page_texts: list[str]) -> Document:
    """A PDF without ruled tables: its text read as a department-wide table's text dump."""
    from goallint.readers import department_pdf

    text = "\n".join(page_texts)
    if not department_pdf.sniff(Path(path_text), text.encode("utf-8")):
        raise InputError(
            path_text,
            "PDF 中没有带框线的表格，文字也不是部门整体支出绩效目标表的版式，无法读取"
            "（请检查生成它的 .docx/.xlsx 源文件）",
        )
    document = department_pdf.read_text(Path(path_text), text)
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
