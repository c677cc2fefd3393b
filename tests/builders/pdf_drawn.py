"""PDFs drawn the way report generators draw them (reportlab): a sheet (an openpyxl worksheet, as in
builders.pdf_producers) laid out on A4 pages with the table's lines and text placed one by one.

* ``lines``: ``cells`` draws each cell as a rectangle of its own (neighbours' edges drawn twice),
  ``segments`` each edge of each cell as a separate line.
* ``by_char``: each character placed on its own with a tiny gap after it (0.4 pt), as generators that
  position glyphs one at a time do; nothing in the text layer says where words end.
* ``furniture``: a running header (the issuing office) and a footer `第 N 页 共 M 页` on every page.
* The rows above the table (title, department, unit) are drawn above it on the first page; the grid
  header row (一级指标 …) is repeated at the top of every following page; a cell merged over rows that
  a page break cuts is closed at the break and drawn again with its text on the next page.

The font is reportlab's built-in CID font STSong-Light (no font file needed, not embedded).
"""

from __future__ import annotations

from pathlib import Path

FONT = "STSong-Light"
SIZE = 9.0
PAD = 4.0
LEADING = 12.0
GAP = 0.4  # points after each character placed on its own
_TOP, _BOTTOM, _LEFT, _RIGHT = 60.0, 60.0, 40.0, 40.0


def _register() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _wrap(text: str, width: float, gap: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if line and stringWidth(line + char, FONT, SIZE) + gap * (len(line) + 1) > width:
                out.append(line)
                line = ""
            line += char
        out.append(line)
    return out


def draw_pdf(ws, path: Path, *, lines: str = "cells", by_char: bool = False, furniture: bool = False) -> Path:
    """The sheet drawn as a PDF at `path` (see the module docstring)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    _register()
    page_width, page_height = A4
    width = ws.max_column
    values = {
        (c.row, c.column): "" if c.value is None else (f"{c.value:.2f}" if isinstance(c.value, float) else str(c.value))
        for row in ws.iter_rows()
        for c in row
    }
    spans, covered = {}, set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row, rng.max_col)
        covered |= {(r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
        covered.discard((rng.min_row, rng.min_col))
    first = next(
        r
        for r in range(1, ws.max_row + 1)
        if any(values.get((r, c), "").startswith(("项目名称", "一级指标")) for c in range(1, width + 1))
    )
    header_row = next(
        (r for r in range(first, ws.max_row + 1) if "一级指标" in [values.get((r, c)) for c in range(1, width + 1)]),
        None,
    )
    column = (page_width - _LEFT - _RIGHT) / width
    xs = [_LEFT + i * column for i in range(width + 1)]

    def cell_lines(r: int, c: int) -> list[str]:
        last_col = spans.get((r, c), (r, c))[1]
        return _wrap(values.get((r, c), ""), xs[last_col] - xs[c - 1] - 2 * PAD, GAP if by_char else 0.0)

    heights = {}
    for r in range(first, ws.max_row + 1):
        needed = [
            len(cell_lines(r, c))
            for c in range(1, width + 1)
            if (r, c) not in covered and spans.get((r, c), (r, c))[0] == r
        ]
        heights[r] = max(needed, default=1) * LEADING + 2 * PAD

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pages: list[list] = [[]]  # per page, the drawing calls (the page count is needed in the footer)

    def text_at(x: float, y: float, text: str) -> None:
        if by_char:
            for char in text:
                pages[-1].append(("text", x, y, char))
                x += stringWidth(char, FONT, SIZE) + GAP
        else:
            pages[-1].append(("text", x, y, text))

    def box(x0: float, top: float, x1: float, bottom: float) -> None:
        if lines == "cells":
            pages[-1].append(("rect", x0, bottom, x1 - x0, top - bottom))
        else:
            for a, b, c, d in (
                (x0, top, x1, top),
                (x0, bottom, x1, bottom),
                (x0, top, x0, bottom),
                (x1, top, x1, bottom),
            ):
                pages[-1].append(("line", a, b, c, d))

    def cell(r: int, c: int, top: float, bottom: float) -> None:
        last_col = spans.get((r, c), (r, c))[1]
        box(xs[c - 1], top, xs[last_col], bottom)
        found = cell_lines(r, c)
        y = (top + bottom) / 2 + len(found) * LEADING / 2 - SIZE
        for line in found:
            text_at(xs[c - 1] + PAD, y, line)
            y -= LEADING

    y = page_height - _TOP
    for r in range(1, first):
        text = " ".join(values[(r, c)] for c in range(1, width + 1) if values.get((r, c)))
        if text:
            text_at(_LEFT, y - SIZE, text)
            y -= LEADING + 4
    y -= 4
    open_cells: dict[int, tuple[int, float]] = {}  # column → (row of the cell merged down, its top)
    for r in range(first, ws.max_row + 1):
        if y - heights[r] < _BOTTOM:  # a new page: close the cells merged over the break, repeat the header
            for c, (row, top) in open_cells.items():
                cell(row, c, top, y)
            pages.append([])
            y = page_height - _TOP
            if header_row is not None and r > header_row:
                for c in range(1, width + 1):
                    if (header_row, c) not in covered:
                        cell(header_row, c, y, y - heights[header_row])
                y -= heights[header_row]
            open_cells = {c: (row, y) for c, (row, _) in open_cells.items()}
        for c in range(1, width + 1):
            last_row = spans.get((r, c), (r, c))[0]
            if (r, c) in covered:
                continue
            if last_row > r:
                open_cells[c] = (r, y)
            else:
                cell(r, c, y, y - heights[r])
        y -= heights[r]
        for c, (row, top) in list(open_cells.items()):
            if spans[(row, c)][0] == r:
                cell(row, c, top, y)
                del open_cells[c]
    for number, calls in enumerate(pages, 1):
        pdf.setFont(FONT, SIZE)
        pdf.setLineWidth(0.5)
        for call in calls:
            if call[0] == "text":
                pdf.drawString(call[1], call[2], call[3])
            elif call[0] == "rect":
                pdf.rect(*call[1:], stroke=1, fill=0)
            else:
                pdf.line(*call[1:])
        if furniture:
            pdf.drawString(_LEFT, page_height - 30, "某某市财政局 预算公开")
            pdf.drawCentredString(page_width / 2, 30, f"第 {number} 页 共 {len(pages)} 页")
        pdf.showPage()
    pdf.save()
    return path
