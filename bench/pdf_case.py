"""The PDF benchmark case (bench/run.py --pdf): goallint check on a PDF against pdfplumber's own table
extraction of the same file.

The PDF: the generated canonical corpus of `rows` indicator rows (bench/generate.py), written as one
Word document of project tables by tests/builders/docx_form.write_docx, converted by LibreOffice
(`soffice --headless --convert-to pdf`). The floor (`python bench/pdf_case.py floor FILE`) opens the
PDF with pdfplumber and calls `page.extract_tables()` on every page, nothing else: what any
pdfplumber-based reader must spend. goallint reads the cells from the same table finder, joins
wrapped lines, builds the model and runs every rule.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def build(folder: Path, rows: int, seed: int) -> Path:
    """The PDF of `rows` generated indicator rows (made once, kept in `folder`)."""
    pdf = folder / f"tables-{rows}.pdf"
    if pdf.exists():
        return pdf
    sys.path.insert(0, str(BENCH))
    sys.path.insert(0, str(ROOT / "tests"))
    import generate
    from builders.docx_form import write_docx
    from goallint import readers
    from goallint.model import Document

    generate.generate(folder / "source", rows, ["json"], seed)
    tables = [t for path in sorted((folder / "source" / "json").glob("*.json")) for t in readers.read(path).tables]
    docx = write_docx(Document(path="bench", format="bench", tables=tables), folder / f"tables-{rows}.docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("the PDF case needs LibreOffice (soffice) to make its PDF")
    for _ in range(2):  # LibreOffice's first start in a new profile may exit without converting
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf"]
            + ["--outdir", str(folder), str(docx)],
            check=True,
            capture_output=True,
            timeout=600,
        )
        if pdf.exists():
            return pdf
    sys.exit(f"LibreOffice did not convert {docx}")


def floor(path: Path) -> int:
    """pdfplumber's own table extraction of every page; returns the cells found."""
    import pdfplumber

    cells = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                cells += sum(len(row) for row in table)
            page.close()
    return cells


if __name__ == "__main__" and sys.argv[1:2] == ["floor"]:
    print(floor(Path(sys.argv[2])))
