"""PDFs of the same tables from other producers than LibreOffice-from-.docx (docs/formats.md, PDF):
Chromium printing an HTML table (full borders, horizontal rules only, 三线表, hand-wrapped cells,
landscape, a long table across pages with and without a repeated header, rows cut in two by a page
break) and LibreOffice Calc
exporting the .xlsx (printed grid lines, cell borders, neither). Each PDF that has ruling lines gives
the same tables, rows and findings as the .xlsx it was made from; one without gives a clear error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_pdf import assert_same_tables, findings, long_document, to_pdf  # noqa: E402

from builders import grid_layouts  # noqa: E402
from builders.helpers import CORPUS_FILES, rows_of, small_document  # noqa: E402
from builders.pdf_producers import print_pdfs, require_chromium, sheet_html  # noqa: E402
from builders.xlsx_form import write_layout_xlsx, write_xlsx  # noqa: E402
from goallint import readers  # noqa: E402
from goallint.errors import InputError  # noqa: E402
from goallint.model import Document  # noqa: E402

CHROMIUM = {  # case: (source, options)
    "full": ("small", {}),
    "horizontal": ("small", {"rules": "horizontal"}),
    "hard-wrap": ("small", {"hard_wrap": 6}),
    "landscape": ("small", {"landscape": True}),
    "horizontal-landscape": ("small", {"rules": "horizontal", "landscape": True}),
    "long": ("long", {}),
    "long-thead": ("long", {"repeat_header": True}),
    "long-horizontal-thead": ("long", {"rules": "horizontal", "repeat_header": True}),
    "rows-broken": ("tall", {"break_rows": True}),
    "rows-broken-thead": ("tall", {"break_rows": True, "repeat_header": True}),
    "corpus": ("corpus", {}),
    "corpus-horizontal": ("corpus", {"rules": "horizontal"}),
    "split-export": ("split_export", {}),
    "provincial": ("provincial", {}),
}
CALC = {"gridlines": "small", "borders": "small", "gridlines-long": "long", "borders-long": "long"}


def tall_document():
    """72 rows with descriptions of several lines: rows that a page break can cut in two."""
    table = small_document().tables[0]
    rows = [
        row.model_copy(
            update={
                "level3": f"{row.level3}{i}",
                "description": f"{row.description}，按季度统计并报送主管部门审核备案。" * 6,
            }
        )
        for i in range(1, 13)
        for row in table.rows
    ]
    return Document(path="x", format="test", tables=[table.model_copy(update={"rows": rows})])


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("producers")
    corpus = readers.read(CORPUS_FILES[0])
    corpus.tables = corpus.tables[:1]
    return folder, {
        "small": write_xlsx(small_document(), folder / "small.xlsx"),
        "long": write_xlsx(long_document(), folder / "long.xlsx"),
        "corpus": write_xlsx(corpus, folder / "corpus.xlsx"),
        "tall": write_xlsx(tall_document(), folder / "tall.xlsx"),
        "split_export": write_layout_xlsx([grid_layouts.split_export()], folder / "split_export.xlsx"),
        "provincial": write_layout_xlsx([grid_layouts.provincial(1)], folder / "provincial.xlsx"),
    }


@pytest.fixture(scope="module")
def chromium(sources):
    require_chromium()
    from openpyxl import load_workbook

    folder, made = sources
    jobs, out = [], {}
    for case, (source, options) in CHROMIUM.items():
        options = dict(options)
        landscape = options.pop("landscape", False)
        ws = load_workbook(made[source]).worksheets[0]
        out[case] = (made[source], folder / f"chromium-{case}.pdf")
        jobs.append((sheet_html(ws, **options), out[case][1], landscape))
    jobs.append(
        (sheet_html(load_workbook(made["small"]).worksheets[0], rules="three-line"), folder / "three.pdf", False)
    )
    out["rows-broken-horizontal"] = (made["tall"], folder / "chromium-rows-broken-horizontal.pdf")
    ws = load_workbook(made["tall"]).worksheets[0]
    jobs.append((sheet_html(ws, rules="horizontal", break_rows=True), out["rows-broken-horizontal"][1], False))
    print_pdfs(jobs)
    return out, folder / "three.pdf"


@pytest.fixture(scope="module")
def calc(sources):
    """The .xlsx printed by LibreOffice Calc: rows tall enough for their text (as budget systems export),
    with printed grid lines, with cell borders from the 项目名称 row on, or with neither."""
    from openpyxl import load_workbook
    from openpyxl.styles import Border, Side

    folder, made = sources
    thin = Side(style="thin")
    files = {}
    for case, source in {**CALC, "plain": "small"}.items():
        wb = load_workbook(made[source])
        ws = wb.worksheets[0]
        for r in range(3, ws.max_row + 1):
            ws.row_dimensions[r].height = 48 if r in (4, 5, 6) else 30
        if case.startswith("gridlines"):
            ws.print_options.gridLines = True
        if case.startswith("borders"):
            for row in ws.iter_rows(min_row=3):
                for cell in row:
                    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        files[case] = (made[source], folder / f"calc-{case}.xlsx")
        wb.save(files[case][1])
    pdfs = to_pdf([path for _, path in files.values()], folder / "calc")
    return {case: (source, pdfs[path.name]) for case, (source, path) in files.items()}


@pytest.mark.parametrize("case", list(CHROMIUM))
def test_chromium_print_reads_like_the_source(chromium, case):
    source, pdf_path = chromium[0][case]
    expected, actual = readers.read(source), readers.read(pdf_path)
    assert actual.format == "pdf"
    assert [p.code for p in actual.problems] == [p.code for p in expected.problems]
    assert_same_tables(expected, actual)
    assert findings(pdf_path) == findings(source)
    if case.startswith(("long", "rows")):
        assert len({row.location.page for row in actual.tables[0].rows}) >= 2


def test_horizontal_rules_give_cells_and_merged_labels(chromium):
    """No vertical line at all: the cells still have their grid column, and 一级指标 merged over rows is
    filled into each of them (the rule between those rows has a gap under the merged cell)."""
    import pdfplumber

    _, pdf_path = chromium[0]["horizontal"]
    with pdfplumber.open(pdf_path) as document:
        assert document.pages[0].find_tables() == []  # pdfplumber's own finder sees no table
    rows = readers.read(pdf_path).tables[0].rows
    assert [r.level1 for r in rows[:4]] == ["产出指标"] * 4
    assert rows[0].location.cell.startswith("第1页 表1 ")


def test_three_line_table_is_a_clear_error(chromium):
    """三线表 (no rule between rows): not read (docs/formats.md says so), a clear error, not a traceback."""
    with pytest.raises(InputError, match="没有带框线的表格"):
        readers.read(chromium[1])


@pytest.mark.parametrize("case", list(CALC))
def test_calc_export_reads_like_the_source(calc, case):
    source, pdf_path = calc[case]
    assert_same_tables(readers.read(source), readers.read(pdf_path))
    assert findings(pdf_path) == findings(source)


def test_calc_export_without_lines_is_a_clear_error(calc):
    with pytest.raises(InputError, match="没有带框线的表格"):
        readers.read(calc["plain"][1])


# --------------------------------------------------------------------------- drawn by a report generator (reportlab)

DRAWN = {  # case: (source, options of builders.pdf_drawn.draw_pdf)
    "cells": ("small", {}),
    "segments": ("small", {"lines": "segments"}),
    "by-char": ("corpus", {"by_char": True}),
    "furniture": ("small", {"furniture": True}),
    "long-segments-by-char-furniture": ("long", {"lines": "segments", "by_char": True, "furniture": True}),
    "corpus-segments": ("corpus", {"lines": "segments"}),
    "split-export-by-char": ("split_export", {"by_char": True}),
    "provincial-furniture": ("provincial", {"furniture": True}),
}


@pytest.fixture(scope="module")
def drawn(sources):
    pytest.importorskip("reportlab", reason="reportlab (the test extra) draws these PDFs")
    from openpyxl import load_workbook

    from builders.pdf_drawn import draw_pdf

    folder, made = sources
    return {
        case: (
            made[source],
            draw_pdf(load_workbook(made[source]).worksheets[0], folder / f"drawn-{case}.pdf", **options),
        )
        for case, (source, options) in DRAWN.items()
    }


@pytest.mark.parametrize("case", list(DRAWN))
def test_drawn_pdf_reads_like_the_source(drawn, case):
    source, pdf_path = drawn[case]
    expected, actual = readers.read(source), readers.read(pdf_path)
    assert [p.code for p in actual.problems] == [p.code for p in expected.problems]
    assert_same_tables(expected, actual)
    assert findings(pdf_path) == findings(source)


def test_characters_placed_one_by_one_join_without_spaces(drawn):
    """Glyphs placed one at a time with a gap of 0.4 pt: no space is invented between them."""
    source, pdf_path = drawn["long-segments-by-char-furniture"]
    expected, actual = readers.read(source).tables[0], readers.read(pdf_path).tables[0]
    assert rows_of(actual) == rows_of(expected)  # exactly, not up to whitespace
    assert actual.project == expected.project
    pages = {row.location.page for row in actual.rows}
    assert len(pages) >= 2 and not any("页" in cell for row in rows_of(actual) for cell in row)


def test_rows_cut_under_horizontal_rules_are_reported_not_lost(chromium):
    """Horizontal rules only, rows cut by the page break: the cut part of a row stands below the page's last
    rule, in no cell. Whatever the reader cannot place there is a text-between-pages problem naming the page,
    so that every row of the source is either read or pointed at."""
    source, pdf_path = chromium[0]["rows-broken-horizontal"]
    expected, actual = readers.read(source), readers.read(pdf_path)
    lost = len(expected.tables[0].rows) - sum(len(t.rows) for t in actual.tables)
    said = [p for p in actual.problems if p.code == "text-between-pages"]
    assert lost == 0 or said, f"{lost} rows lost in silence"
    for problem in said:
        assert problem.location.page and f"第{problem.location.page}页" in problem.message
        assert "未读入表格" in problem.message
