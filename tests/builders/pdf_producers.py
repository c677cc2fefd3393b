"""PDFs of the same tables from producers other than LibreOffice-from-.docx: Chromium printing an HTML
table (Playwright's `page.pdf()`), and LibreOffice Calc exporting an .xlsx.

The HTML is made from a sheet (an openpyxl worksheet written by builders.xlsx_form or
builders.layouts): the rows above the first row with two or more filled cells are paragraphs above the
table (title, department, unit), the rest is one <table>, merged ranges as rowspan/colspan, a cell's
line breaks as <br>. Styles (`rules`):

* ``full``: every cell bordered (a web page's or a report generator's ruled table);
* ``horizontal``: only horizontal rules between rows, no vertical lines;
* ``three-line``: 三线表: a rule above the table, one under the indicator grid's header row and one
  below the table, nothing else.

Options: `repeat_header` puts the grid header row (the row holding 一级指标) in a <thead> that
Chromium repeats on every page; `landscape`; `hard_wrap` breaks every cell longer than that many
characters with <br> (text wrapped by hand, as report generators do); `break_rows` lets a row break
across pages (its cells' lines split between the pages) instead of moving it whole to the next page.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from builders.helpers import require_tool

_TABLE_STARTS = ("项目名称", "一级指标", "部门名称", "单位名称", "主管部门", "预算单位", "项目单位")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
_CSS = {
    "full": "td,th{border:0.75pt solid #000}",
    "horizontal": "tr td,tr th{border-top:0.75pt solid #000;border-bottom:0.75pt solid #000}",
    "three-line": "table{border-top:1.5pt solid #000;border-bottom:1.5pt solid #000}"
    " tr.grid-header td,tr.grid-header th{border-bottom:0.75pt solid #000}",
}


def require_chromium() -> str:
    """Chromium prints the HTML; CI installs it (.ci/run), so there its absence fails."""
    path = require_tool("chromium", "chromium-browser")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (the test extra has it)")
    return path


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def sheet_html(
    ws, *, rules: str = "full", repeat_header: bool = False, hard_wrap: int | None = None, break_rows: bool = False
) -> str:
    """One sheet as an HTML page (see the module docstring)."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        covered |= {(r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
        covered.discard((rng.min_row, rng.min_col))
    width = ws.max_column
    values = {(c.row, c.column): _text(c.value) for row in ws.iter_rows() for c in row}
    first = next(
        (
            r
            for r in range(1, ws.max_row + 1)
            if any(values.get((r, c), "").startswith(_TABLE_STARTS) for c in range(1, width + 1))
        ),
        1,
    )
    paragraphs = [values[(r, c)] for r in range(1, first) for c in range(1, width + 1) if values.get((r, c))]

    def cell(r: int, c: int, tag: str) -> str:
        text = values.get((r, c), "")
        lines = text.split("\n")
        if hard_wrap:
            lines = [line[i : i + hard_wrap] for line in lines for i in range(0, max(1, len(line)), hard_wrap)]
        rowspan, colspan = spans.get((r, c), (1, 1))
        attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
        return f"<{tag}{attrs}>{'<br>'.join(html.escape(line) for line in lines)}</{tag}>"

    head, body = [], []
    for r in range(first, ws.max_row + 1):
        texts = [values.get((r, c), "") for c in range(1, width + 1)]
        is_header = "一级指标" in texts
        tag = "th" if is_header else "td"
        cells = "".join(cell(r, c, tag) for c in range(1, width + 1) if (r, c) not in covered)
        row = f'<tr class="grid-header">{cells}</tr>' if is_header else f"<tr>{cells}</tr>"
        (head if is_header and repeat_header else body).append(row)
    before = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    table = f"<table><thead>{''.join(head)}</thead><tbody>{''.join(body)}</tbody></table>"
    if repeat_header and head:
        # the rows above the grid header are a table of their own right above it (a thead must come first)
        grid_start = _grid_header_row(ws, first, width, values)
        above = [row for row in body[: grid_start - first]]
        rest = body[grid_start - first :]
        table = (
            f"<table>{''.join(above)}</table>"
            f"<table><thead>{''.join(head)}</thead><tbody>{''.join(rest)}</tbody></table>"
        )
    css = (
        "body{font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;font-size:10.5pt}"
        "table{border-collapse:collapse;width:100%;margin:0}"
        "td,th{padding:3pt 4pt;font-weight:normal;text-align:left;vertical-align:middle}"
        "thead{display:table-header-group}"
        + ("tr{break-inside:auto}" if break_rows else "tr{break-inside:avoid}")
        + _CSS[rules]
    )
    return f'<!doctype html><html><head><meta charset="utf-8"><style>{css}</style></head><body>{before}{table}</body></html>'


def _grid_header_row(ws, first: int, width: int, values) -> int:
    for r in range(first, ws.max_row + 1):
        if "一级指标" in [values.get((r, c), "") for c in range(1, width + 1)]:
            return r
    return first


def print_pdfs(pages: list[tuple[str, Path, bool]]) -> None:
    """Each (HTML, PDF path, landscape) printed by one Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for text, out, landscape in pages:
                page.set_content(text)
                page.pdf(path=str(out), format="A4", landscape=landscape, print_background=True)
        finally:
            browser.close()
