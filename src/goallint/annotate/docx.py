"""The annotated copy of a Word document (python-docx ≥ 1.2): cell shading and a Word comment per faulty cell.

Word tables are numbered exactly as readers/docx.py numbers them (body tables in reading order, and
the tables nested in a single-cell layout table), so `"表3 行5 列5"` finds the reader's cell; a grid
column covered by a wider cell (w:gridSpan) is that cell, and a vertically merged continuation cell
is the merge's first cell.
"""

from __future__ import annotations

import re
from pathlib import Path

from goallint.annotate import AUTHOR, FILL, INITIALS, Grid, locate, note, wanted_field, worst
from goallint.errors import InputError
from goallint.model import Finding
from goallint.readers import docx as reader
from goallint.readers import form

_POSITION = re.compile(r"表\s*(\d+)\s*行\s*(\d+)\s*列\s*(\d+)")
# elements that follow w:shd inside w:tcPr (ECMA-376 CT_TcPr sequence): shading goes before them
_AFTER_SHD = tuple(
    reader._w(t)
    for t in (
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
        "headers",
        "cellIns",
        "cellDel",
        "cellMerge",
        "tcPrChange",
    )
)


def annotate_docx(source: Path, findings: list[Finding], out: Path, *, lang: str = "zh") -> None:
    import docx

    try:
        document = docx.Document(str(source))
    except Exception as exc:  # python-docx raises ValueError, KeyError, lxml errors … on broken packages
        raise InputError(str(source), f"无法打开 Word .docx 文件：{exc}") from None
    tables = word_tables(document.element.body)
    if not tables:
        raise InputError(str(source), "文档中没有表格，无法标注")
    cells: dict[int, tuple[object, list[Finding]]] = {}
    grids: dict = {}
    for finding in findings:
        tc = target(tables, finding, grids)
        cells.setdefault(id(tc), (tc, []))[1].append(finding)
    for tc, found in cells.values():
        shade(tc, FILL[worst(found)])
        lines = note(found, lang).split("\n")
        comment = document.add_comment(anchor_runs(tc, document), text=lines[0], author=AUTHOR, initials=INITIALS)
        for line in lines[1:]:
            comment.add_paragraph(line)
    document.save(str(out))


def word_tables(body) -> list:
    """The w:tbl elements in the reader's numbering (index 0 is 表1)."""
    out: list = []

    def handle(tbl) -> None:
        out.append(tbl)
        rows = list(reader._children(tbl, reader._TR))
        nested = [
            t for tr in rows for tc in reader._children(tr, reader._TC) for t in reader._children(tc, reader._TBL)
        ]
        if nested and len(rows) <= 2 and form.kind_of(reader._grid(tbl, "", len(out))) is None:
            for inner in nested:
                handle(inner)

    for item in reader._body_items(body):
        if item.tag == reader._TBL:
            handle(item)
    return out


def target(tables: list, finding: Finding, grids: dict | None = None):
    """The w:tc a finding is marked on. `grids` keeps each table's rows and Grid from one finding to the next."""
    loc = finding.location
    m = _POSITION.search(loc.cell or "")
    number, row, col = (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else (1, 1, 1)
    tbl = tables[number - 1] if 0 < number <= len(tables) else tables[0]
    grids = {} if grids is None else grids
    if id(tbl) not in grids:
        rows = list(reader._children(tbl, reader._TR))
        grids[id(tbl)] = (
            rows,
            Grid(len(rows), lambda index: [(start, reader._cell_text(tc)) for start, tc in _spans(rows[index])]),
        )
    rows, grid = grids[id(tbl)]
    if not rows:
        return _first_cell(tables)
    row = min(max(row, 1), len(rows))
    row, col = locate(grid, row - 1, col - 1, wanted_field(finding), loc.row is None)
    tc = _cell_at(rows[row], col)
    if tc is None:
        tc = next(reader._children(rows[row], reader._TC), None) or _first_cell(tables)
    return _merge_origin(rows, row, tc)


def _first_cell(tables: list):
    for tbl in tables:
        for tr in reader._children(tbl, reader._TR):
            for tc in reader._children(tr, reader._TC):
                return tc
    raise ValueError("no table cell")


def _spans(tr):
    """(first grid column, w:tc) for each cell of a row."""
    col = reader._int_attr(tr.find(reader._w("trPr")), "gridBefore", 0)
    for tc in reader._children(tr, reader._TC):
        yield col, tc
        col += max(1, reader._int_attr(tc.find(reader._w("tcPr")), "gridSpan", 1))


def _cell_at(tr, col: int):
    """The w:tc covering 0-based grid column `col`, or None."""
    for start, tc in _spans(tr):
        span = max(1, reader._int_attr(tc.find(reader._w("tcPr")), "gridSpan", 1))
        if start <= col < start + span:
            return tc
    return None


def _merge_origin(rows: list, index: int, tc):
    """A w:vMerge continuation cell → the cell that starts the merge."""
    while index > 0:
        tcpr = tc.find(reader._w("tcPr"))
        vmerge = tcpr.find(reader._w("vMerge")) if tcpr is not None else None
        if vmerge is None or vmerge.get(reader._w("val"), "continue") != "continue":
            break
        start = next(s for s, c in _spans(rows[index]) if c is tc)
        index -= 1
        above = _cell_at(rows[index], start)
        if above is None:
            break
        tc = above
    return tc


def shade(tc, colour: str) -> None:
    from docx.oxml import OxmlElement

    tcpr = tc.get_or_add_tcPr()
    for old in tcpr.findall(reader._w("shd")):
        tcpr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(reader._w("val"), "clear")
    shd.set(reader._w("color"), "auto")
    shd.set(reader._w("fill"), colour)
    following = next((child for child in tcpr if child.tag in _AFTER_SHD), None)
    if following is not None:
        following.addprevious(shd)
    else:
        tcpr.append(shd)


def anchor_runs(tc, document) -> list:
    """The runs of the cell's own paragraphs (first and last anchor the comment); an empty run in an empty cell."""
    from docx.text.paragraph import Paragraph

    paragraphs = [Paragraph(p, document._body) for p in reader._children(tc, reader._P)]
    runs = [run for p in paragraphs for run in p.runs]
    if runs:
        return runs
    if not paragraphs:
        paragraphs = [Paragraph(tc.add_p(), document._body)]
    return [paragraphs[0].add_run("")]
