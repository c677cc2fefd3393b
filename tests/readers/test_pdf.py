"""PDF files read directly (readers/pdf.py): real PDFs made by LibreOffice from .docx files built by
tests/builders and from examples/, each giving the same tables, rows and findings as its .docx."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builders.department import build_docx, corpus_table  # noqa: E402
from builders.docx_form import write_docx  # noqa: E402
from builders.helpers import CORPUS_FILES, HEADER, require_soffice, rows_of, small_document  # noqa: E402
from goallint import readers  # noqa: E402
from goallint.errors import InputError  # noqa: E402
from goallint.model import Document  # noqa: E402
from goallint.run import CheckOptions, check_paths  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DEPARTMENT_DUMP = ROOT / "tests" / "data" / "corpus" / "tianjin-ccpit-2025-department.txt"
GOALLINT = Path(sys.executable).with_name("goallint")


def to_pdf(sources: list[Path], outdir: Path) -> dict[str, Path]:
    """Every source converted in one LibreOffice run (start-up is most of its time)."""
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [require_soffice(), f"-env:UserInstallation=file://{outdir / 'profile'}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(outdir), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = {}
    for source in sources:
        pdf = outdir / f"{source.stem}.pdf"
        assert pdf.is_file(), f"LibreOffice wrote no PDF for {source.name}"
        out[source.name] = pdf
    return out


def long_document() -> Document:
    """One project table of 60 indicator rows: it crosses pages."""
    base = small_document()
    table = base.tables[0]
    rows = []
    for i in range(10):
        for row in table.rows:
            rows.append(row.model_copy(update={"level3": f"{row.level3}{i + 1}"}))
    return Document(path="x", format="test", tables=[table.model_copy(update={"rows": rows})])


def two_tables() -> Document:
    first = small_document().tables[0]
    second = small_document(project="网站维护项目", number=2, title="网站维护项目绩效目标表").tables[0]
    second.rows = second.rows[:2]
    first.rows = first.rows[:3]
    return Document(path="x", format="test", tables=[first, second])


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The .docx sources and their PDFs."""
    folder = tmp_path_factory.mktemp("pdf")
    sources = {}
    for path in CORPUS_FILES:
        sources[path.stem] = write_docx(readers.read(path), folder / f"{path.stem}.docx", split={0: 3})
    sources["long"] = write_docx(long_document(), folder / "long.docx")
    sources["two"] = write_docx(two_tables(), folder / "two.docx")
    sources["department"] = build_docx(corpus_table(), folder / "department.docx")
    for name in ("clean", "faulty", "department-ccpit-2025"):
        sources[f"example-{name}"] = shutil.copy(EXAMPLES / f"{name}.docx", folder / f"example-{name}.docx")
    sources = {k: Path(v) for k, v in sources.items()}
    pdfs = to_pdf(list(sources.values()), folder / "out")
    return {k: (v, pdfs[v.name]) for k, v in sources.items()}


def _squeezed(value):
    """Text without whitespace: a PDF keeps no run of spaces, and a space where a line wraps is lost."""
    if isinstance(value, str):
        return "".join(value.split())
    if isinstance(value, (list, tuple)):
        return type(value)(_squeezed(v) for v in value)
    return value


def assert_same_tables(expected: Document, actual: Document) -> None:
    """The same tables and rows as the .docx, up to whitespace (see _squeezed)."""
    assert len(actual.tables) == len(expected.tables)
    for a, b in zip(expected.tables, actual.tables, strict=True):
        for name in HEADER:
            assert _squeezed(getattr(b, name)) == _squeezed(getattr(a, name)), (a.location.table, name)
        assert _squeezed(rows_of(b)) == _squeezed(rows_of(a)), a.location.table


def findings(path: Path) -> list[tuple]:
    result = check_paths([path], CheckOptions(no_config=True))
    assert result.files[0].errors == []
    return sorted((f.rule_id, f.location.table, f.location.row, f.value, f.message("zh")) for f in result.findings)


# --------------------------------------------------------------------------- project tables


@pytest.mark.parametrize("name", [p.stem for p in CORPUS_FILES])
def test_corpus_tables_as_pdf(made, name):
    docx_path, pdf_path = made[name]
    expected, actual = readers.read(docx_path), readers.read(pdf_path)
    assert actual.format == "pdf"
    assert [p.code for p in actual.problems] == [p.code for p in expected.problems]
    assert_same_tables(expected, actual)
    assert findings(pdf_path) == findings(docx_path)


def test_long_table_crosses_pages(made):
    docx_path, pdf_path = made["long"]
    expected, actual = readers.read(docx_path), readers.read(pdf_path)
    assert_same_tables(expected, actual)
    pages = {row.location.page for row in actual.tables[0].rows}
    assert len(pages) >= 2, "the 60-row table should cross a page"
    assert len(actual.tables[0].rows) == 60


def test_two_tables_on_one_page(made):
    docx_path, pdf_path = made["two"]
    expected, actual = readers.read(docx_path), readers.read(pdf_path)
    assert_same_tables(expected, actual)
    assert [t.project for t in actual.tables] == ["信息化运维项目", "网站维护项目"]
    first, second = (t.rows[0].location for t in actual.tables)
    assert first.page == second.page == 1
    assert first.cell.startswith("第1页 表1 ") and second.cell.startswith("第1页 表2 ")


def test_merged_cells_fill_down(made):
    """一级指标 / 二级指标 merged over several rows in the .docx are one rectangle in the PDF."""
    _, pdf_path = made["long"]
    rows = rows_of(readers.read(pdf_path).tables[0])
    assert rows[1][:2] == ("产出指标", "数量指标")
    assert rows[3][:2] == ("产出指标", "成本指标")


def test_wrapped_lines_joined_without_spaces(made):
    _, pdf_path = made["example-clean"]
    table = readers.read(pdf_path).tables[0]
    texts = [t for row in table.rows for t in (row.description, row.value)] + table.goals
    assert not any(" " in t for t in texts), texts  # wrapped Chinese cells, joined as the .docx has them
    assert "2024年12月底前完成" in texts


@pytest.mark.parametrize("name", ["clean", "faulty", "department-ccpit-2025"])
def test_examples_same_findings_as_docx(made, name):
    docx_path, pdf_path = made[f"example-{name}"]
    assert_same_tables(readers.read(docx_path), readers.read(pdf_path))
    assert findings(pdf_path) == findings(docx_path)
    if name == "faulty":
        assert findings(pdf_path), "the faulty example has findings"


def test_page_shown_in_reports(made):
    _, pdf_path = made["example-faulty"]
    text = subprocess.run([GOALLINT, "check", str(pdf_path)], capture_output=True, text=True).stdout
    assert "第1页 表1 行" in text
    sarif = subprocess.run(
        [GOALLINT, "check", str(pdf_path), "--format", "sarif"], capture_output=True, text=True
    ).stdout
    assert '"page": 1' in sarif and "第1页 表1 行" in sarif
    report = subprocess.run(
        [GOALLINT, "check", str(pdf_path), "--format", "json"], capture_output=True, text=True
    ).stdout
    assert '"cell": "第1页 表1 行' in report


def test_fix_refused_with_the_reason(made, tmp_path):
    _, pdf_path = made["example-faulty"]
    copy = Path(shutil.copy(pdf_path, tmp_path / "faulty.pdf"))
    before = copy.read_bytes()
    done = subprocess.run([GOALLINT, "check", "--fix", str(copy)], capture_output=True, text=True)
    assert "PDF 是发布后的版式文件，不能写回修改" in done.stderr
    assert ".docx/.xlsx 源文件" in done.stderr
    assert copy.read_bytes() == before


# --------------------------------------------------------------------------- department-wide tables


def test_department_table_as_pdf(made):
    docx_path, pdf_path = made["department"]
    expected, actual = readers.read(docx_path).tables[0], readers.read(pdf_path).tables[0]
    assert actual.kind == "department"
    for name in ("department_name", "unit", "fiscal_year", "goals", "goal_tasks", "tasks_total", "budget"):
        a, b = getattr(actual, name), getattr(expected, name)
        if name == "tasks_total":
            a, b = (a.total, a.basic, a.project, a.other), (b.total, b.basic, b.project, b.other)
        assert a == b, name
    assert [(t.number, t.name, t.total, t.basic, t.project, t.other) for t in actual.tasks] == [
        (t.number, t.name, t.total, t.basic, t.project, t.other) for t in expected.tasks
    ]
    key = [(r.goal, r.level1, r.level2, r.level3, r.value) for r in expected.rows]
    assert [(r.goal, r.level1, r.level2, r.level3, r.value) for r in actual.rows] == key
    assert len({r.location.page for r in actual.rows}) >= 2  # the grid crosses pages, rows broken by them
    assert findings(pdf_path) == findings(docx_path)


def test_text_only_pdf_falls_back_to_the_dump_reader(tmp_path):
    """A PDF without ruled tables (the department dump printed as text) is read by the dump logic."""
    source = Path(shutil.copy(DEPARTMENT_DUMP, tmp_path / "department.txt"))
    pdf_path = to_pdf([source], tmp_path / "out")[source.name]
    expected, actual = readers.read(DEPARTMENT_DUMP), readers.read(pdf_path)
    assert actual.format == "pdf"
    key = [(r.goal, r.level1, r.level2, r.level3, r.value) for r in expected.tables[0].rows]
    assert [(r.goal, r.level1, r.level2, r.level3, r.value) for r in actual.tables[0].rows] == key
    assert actual.tables[0].rows[-1].location.page > 1


# --------------------------------------------------------------------------- errors


def test_image_only_pdf_is_a_clear_error(tmp_path):
    from PIL import Image  # a dependency of pdfplumber

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    with pytest.raises(InputError) as info:
        readers.read(path)
    assert "没有文字层：请先做 OCR" in info.value.message
    assert "no text layer: run OCR first" in info.value.message


def test_not_a_pdf(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(InputError) as info:
        readers.read(path)
    assert "PDF" in info.value.message


def test_sniff():
    from goallint.readers import pdf

    assert pdf.sniff(Path("a.pdf"), b"%PDF-1.7\n")
    assert not pdf.sniff(Path("a.pdf"), b"PK\x03\x04")


# --------------------------------------------------------------------------- a checked-in PDF (no LibreOffice needed)


def test_checked_in_pdf_reads_like_its_docx():
    """tests/data/pdf/clean.pdf: examples/clean.docx converted by LibreOffice 7 (fonts-wqy-microhei)."""
    pdf_path = ROOT / "tests" / "data" / "pdf" / "clean.pdf"
    expected, actual = readers.read(EXAMPLES / "clean.docx"), readers.read(pdf_path)
    assert_same_tables(expected, actual)
    assert actual.problems == []
    row = actual.tables[0].rows[0]
    assert (row.location.page, row.location.cell) == (1, "第1页 表1 行6 列7")
    assert findings(pdf_path) == findings(EXAMPLES / "clean.docx")


def test_safety_limits(tmp_path, monkeypatch):
    """Size and page limits are checked before pdfminer parses (docs/robustness.md)."""
    from goallint.readers import pdf_safety

    pdf_path = ROOT / "tests" / "data" / "pdf" / "clean.pdf"
    monkeypatch.setattr(pdf_safety, "MAX_PDF_BYTES", 1000)
    with pytest.raises(InputError, match="超过上限"):
        readers.read(pdf_path)
    monkeypatch.setattr(pdf_safety, "MAX_PDF_BYTES", 10**9)
    monkeypatch.setattr(pdf_safety, "MAX_PDF_PAGES", 0)
    with pytest.raises(InputError, match="超过 0 页"):
        readers.read(pdf_path)
