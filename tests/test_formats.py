"""The formats registry (goallint/formats.py) and the reporters' registry (goallint/report/__init__.py):
every consumer reads them, a new format is one record, the docs table is generated from them, and
checking a text dump never imports python-docx or openpyxl."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goallint import files, formats, readers, report
from goallint.cli import OutputFormat, app
from goallint.convert import convert
from goallint.fix import cannot_fix

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
CORPUS = REPO / "tests" / "data" / "corpus"
runner = CliRunner()

# one real file of every format: what its reader gives must carry the record's name
SAMPLES = {
    "docx": EXAMPLES / "clean.docx",
    "xlsx": EXAMPLES / "clean.xlsx",
    "csv": EXAMPLES / "clean.csv",
    "department-pdf": EXAMPLES / "department-ccpit-2025.txt",
    "word-dump": CORPUS / "tianjin-ccpit-2023-projects.txt",
    "yaml": EXAMPLES / "clean.yaml",
}

# a format added by one record: canonical YAML in a `.psv` file, read by tests/formats_demo_reader.py
DEMO = formats.Format(
    name="demo",
    title="演示格式（.psv）",
    suffixes=(".psv",),
    recognised_by="`goallint:` at the top",
    reader="formats_demo_reader",
    no_fix_reason="演示格式只用于测试",
    writer="goallint.convert.canonical:write_yaml",
    writes=(".psv",),
)


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, DEMO))
    return DEMO


def test_every_record_is_complete_and_its_parts_exist():
    names = [f.name for f in formats.FORMATS]
    assert len(names) == len(set(names))
    for f in formats.FORMATS:
        assert f.title and f.suffixes and all(s == s.lower() and s.startswith(".") for s in f.suffixes), f.name
        if f.reader:
            module = f.load_reader()
            assert callable(module.sniff) and callable(module.read), f.name
            assert f.recognised_by, f.name
        if f.fixer:
            assert callable(f.load_fixer().apply), f.name
        if f.annotator:
            assert callable(f.annotate_function()), f.name
        if f.writer:
            assert f.writes and callable(f.write_function()), f.name
        else:
            assert not f.writes, f.name


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_registry_picks_the_reader_and_the_document_carries_its_name(name):
    path = SAMPLES[name]
    assert readers.reader_for(path).name == name
    assert readers.read(path).format == name


def test_json_is_its_own_record(tmp_path):
    out = tmp_path / "t.json"
    convert(EXAMPLES / "clean.yaml", out)
    assert readers.reader_for(out).name == "json" and readers.read(out).format == "json"


def test_unknown_suffix_names_the_file_and_lists_the_registry(tmp_path):
    path = tmp_path / "表.pdfx"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(Exception, match=r"表\.pdfx") as error:
        readers.read(path)
    for suffix in formats.read_suffixes():
        assert suffix in str(error.value)


def test_a_new_format_is_one_record(demo, tmp_path):
    source = tmp_path / "t.psv"
    text = (EXAMPLES / "clean.yaml").read_text(encoding="utf-8")
    source.write_text(text.replace("≥17台", "≧17台"), encoding="utf-8")  # GL102, a safe fix
    # read: picked by suffix and sniffing; found in folders; accepted by the web page
    assert readers.reader_for(source) is demo
    assert readers.read(source).format == "demo"
    assert list(files.expand([tmp_path])) == [source]
    from goallint.web.service import suffix_of

    assert suffix_of("上传.PSV") == ".psv"
    # convert writes it with its writer, and reads it back
    out = tmp_path / "back.psv"
    convert(EXAMPLES / "clean.yaml", out)
    assert [len(t.rows) for t in readers.read(out).tables] == [
        len(t.rows) for t in readers.read(EXAMPLES / "clean.yaml").tables
    ]
    # --fix: no fixer, so the file is not touched and the message names the format and why
    before = source.read_bytes()
    result = runner.invoke(app, ["check", "--no-config", "--jobs", "1", "--fix", str(source)])
    assert "演示格式（.psv） 文件不支持自动修复：演示格式只用于测试" in result.stderr, result.stderr
    assert source.read_bytes() == before
    # --annotate: no annotator, skipped with a note naming the format and the ones that have one
    outdir = tmp_path / "annotated"
    result = runner.invoke(app, ["check", "--no-config", "--jobs", "1", "--annotate", str(outdir), str(source)])
    assert "演示格式（.psv） 文件不能生成批注副本（只有 Word（.docx）、Excel（.xlsx/.xlsm） 可以）" in result.stderr
    assert not outdir.exists() or not any(outdir.iterdir())


def test_fix_message_for_every_format_without_a_fixer():
    for f in formats.FORMATS:
        if f.fixer is None:
            assert f.title in cannot_fix(f.name)
    assert "paste" in cannot_fix("paste")  # a pasted table has no record


def test_convert_suffixes_and_help_come_from_the_registry(tmp_path):
    result = runner.invoke(app, ["convert", str(EXAMPLES / "clean.yaml"), str(tmp_path / "t.docx")])
    assert result.exit_code == 2
    for suffix in formats.write_suffixes():
        assert suffix in result.stderr
    help_text = runner.invoke(app, ["convert", "--help"], terminal_width=200).stdout
    for suffix in formats.write_suffixes():
        assert suffix in help_text


def test_tsv_is_written_tab_separated_and_reads_back(tmp_path):
    out = tmp_path / "t.tsv"
    result = runner.invoke(app, ["convert", str(EXAMPLES / "clean.yaml"), str(out)])
    assert result.exit_code == 0, result.stderr
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "\t" in header and "," not in header
    again = readers.read(out)
    assert [r.value for t in again.tables for r in t.rows] == [
        r.value for t in readers.read(EXAMPLES / "clean.yaml").tables for r in t.rows
    ]


def test_output_formats_come_from_the_reporters_registry():
    assert [m.value for m in OutputFormat] == list(report.names())
    for r in report.REPORTERS:
        module = r.load()
        assert callable(module.write), r.name
        assert callable(getattr(module, "stream", None)) == r.streams, r.name
        assert r.suffix.startswith(".")
    result = runner.invoke(app, ["check", "--format", "pdf", str(EXAMPLES / "clean.yaml")])
    assert result.exit_code == 2
    for name in report.names():
        assert name in result.stderr
    result = runner.invoke(app, ["check", "--no-config", "--format", "xlsx", str(EXAMPLES / "clean.yaml")])
    assert result.exit_code == 2 and "--output FILE.xlsx" in result.stderr
    with pytest.raises(ValueError, match="text, json"):
        report.reporter("pdf")


def test_the_web_page_accepts_every_readable_suffix():
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from goallint.web.app import create_app

    page = TestClient(create_app()).get("/").text
    assert f'accept="{",".join(formats.read_suffixes())}"' in page
    for f in formats.FORMATS:
        if f.reader:
            assert f.title in page


def test_docs_table_is_current():
    text = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    assert formats.with_table(text) == text, (
        "docs/formats.md is stale: run `python -m goallint.formats docs/formats.md`"
    )


def test_regenerating_the_docs_table(tmp_path):
    doc = tmp_path / "formats.md"
    doc.write_text(f"# x\n\n{formats.BEGIN}\nold\n{formats.END}\n\nafter\n", encoding="utf-8")
    assert formats.main([str(doc)]) == 0
    assert (
        doc.read_text(encoding="utf-8") == f"# x\n\n{formats.BEGIN}\n{formats.markdown_table()}{formats.END}\n\nafter\n"
    )
    with pytest.raises(ValueError, match="markers"):
        formats.with_table("no markers\n")


def test_checking_a_text_dump_imports_neither_python_docx_nor_openpyxl():
    code = (
        "import sys\n"
        "from goallint.cli import app\n"
        "try:\n"
        f"    app(['check', '--no-config', '--jobs', '1', {str(SAMPLES['word-dump'])!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('docx', 'openpyxl', 'lxml.etree') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-500:]
    # and the same process does import them for a Word file: the check above can fail
    code = code.replace(repr(str(SAMPLES["word-dump"])), repr(str(SAMPLES["docx"])))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "docx" in done.stdout.strip().splitlines()[-1] or "lxml.etree" in done.stdout


def test_registry_module_imports_nothing_heavy():
    code = (
        "import sys, goallint.formats, goallint.report\n"
        "print(sorted(m for m in ('pydantic', 'docx', 'openpyxl') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert importlib.import_module("goallint.formats").FORMATS
