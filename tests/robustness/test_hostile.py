"""Every crafted hostile file (tests/data/hostile/, written by its make.py) ends in findings or a
clear error naming the file — never a traceback, never a hang — and the other files of the same
run are still checked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from goallint.run import CheckOptions, check_paths
from goallint.safety import MAX_RATIO, MAX_UNCOMPRESSED, MAX_ZIP_ENTRIES

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "data" / "hostile"
GOALLINT = Path(sys.executable).with_name("goallint")

# file → the words its error must contain (None: the file is read and checked; findings are fine)
EXPECTED: dict[str, list[str] | None] = {
    # broken packages
    "truncated.docx": ["不是有效的 Word .docx", "不是 zip"],
    "truncated.xlsx": ["不是有效的 Excel .xlsx", "不是 zip"],
    "corrupt-part.docx": ["word/document.xml", "已损坏"],
    "old-word.docx": ["旧版 Word（.doc）", "另存为"],
    "excel-named-docx.docx": ["不是可识别"],
    # zip bombs
    "bomb-claims-size.docx": ["解压后共 3.8 GB", "zip bomb"],
    "bomb-ratio.xlsx": ["xl/media/filler.bin", "压缩比", "zip bomb"],
    "many-parts.xlsx": ["1009 个部件", f"上限 {MAX_ZIP_ENTRIES}"],
    # XML document type declarations
    "entity-expansion.docx": ["word/document.xml", "<!DOCTYPE", "实体膨胀"],
    "external-entity.xlsx": ["xl/worksheets/sheet1.xml", "<!DOCTYPE", "外部文件"],
    "external-entity-utf16.docx": ["word/document.xml", "<!DOCTYPE"],
    # enormous or deep content
    "huge-cell.docx": None,
    "huge-cell.csv": None,
    "huge-table.docx": None,
    "huge-table.xlsx": None,
    "nested-tables-30.docx": None,
    "wide-span.docx": ["表1 第1行", "1,000,000,001 列", "已拒绝读取"],
    "wide-grid-before.docx": ["表1 第1行", "900,000,000 列"],
    "far-cell.xlsx": ["1,048,576 行 × 16,384 列", "已拒绝读取"],
    "giant-merge.xlsx": ["H1:XFD1048576", "17,172,529,152 个单元格", "上限 100,000"],
    "nested-tables-120.docx": ["无法打开 Word .docx", "depth"],
    # text that is not what it says
    "nul-bytes.txt": None,
    "binary.txt": ["不是可识别"],
    "png-named-txt.txt": ["不是可识别"],
    "gb18030.txt": ["不是 UTF-8", "第1行"],
    "utf16.txt": None,  # Word's "Unicode text" is read
    "nul-bytes.csv": ["无法识别文件编码"],
    "gb18030.csv": None,
    "control-chars.csv": None,  # read; the control character is dropped with a GL024 control-characters problem
    # YAML / JSON
    "object-tag.yaml": ["!!python/object/apply:os.system", "不允许"],
    "alias-bomb.yaml": ["别名", "1,000,000"],
    "deep.yaml": ["嵌套超过"],
    "deep.json": ["嵌套超过"],
    "gb18030.yaml": ["不是 UTF-8"],
}
LINES = {"object-tag.yaml": 3, "alias-bomb.yaml": 8, "deep.yaml": 2}


def hostile_files() -> list[Path]:
    return sorted(p for p in HOSTILE.iterdir() if p.is_file() and p.suffix != ".py")


def test_every_file_has_an_expectation():
    assert {p.name for p in hostile_files()} == set(EXPECTED)


def test_files_are_small_on_disk():
    assert all(p.stat().st_size < 200_000 for p in hostile_files())


@pytest.fixture(scope="module")
def results():
    """One batch run over the whole folder plus a clean file: {file name: FileResult}."""
    run = check_paths([HOSTILE, ROOT / "examples" / "clean.csv"], CheckOptions(no_config=True))
    assert not run.errors
    return {Path(r.path).name: r for r in run.files}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expected_outcome(results, name):
    result = results[name]
    words = EXPECTED[name]
    if words is None:
        assert not result.errors, result.errors
        assert result.tables >= 1 and result.rows >= 1
        return
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    assert error.startswith(str(HOSTILE / name)), error  # names the file
    for word in words:
        assert word in error, (word, error)
    assert "Traceback" not in error and "internal error" not in error and "RecursionError" not in error
    if name in LINES:
        assert error.startswith(f"{HOSTILE / name}:{LINES[name]}:"), error


def test_other_files_of_the_run_are_checked(results):
    clean = results["clean.csv"]
    assert not clean.errors and clean.rows == 10


def test_huge_cell_is_reported_not_parsed(results):
    found = [f for f in results["huge-cell.docx"].findings if f.value and len(f.value) > 1000]
    assert found and all(f.target.kind == "unreadable" and f.target.reason == "too_long" for f in found)
    assert "GL106" in {f.rule_id for f in found}
    # the message quotes the start of the cell, not all of it
    assert all("（共 100000 字）" in f.message_zh and len(f.message_zh) < 500 for f in found)


def test_huge_table_is_read_whole(results):
    assert results["huge-table.docx"].rows == 20_010
    assert results["huge-table.xlsx"].rows == 5_010


def test_the_bomb_claims_more_than_the_limit():
    # the file is a few KB, its directory claims more than the limit: refused before inflating
    with zipfile.ZipFile(HOSTILE / "bomb-claims-size.docx") as z:
        assert sum(i.file_size for i in z.infolist()) > MAX_UNCOMPRESSED
    with zipfile.ZipFile(HOSTILE / "bomb-ratio.xlsx") as z:
        info = z.getinfo("xl/media/filler.bin")
        assert info.file_size > MAX_RATIO * info.compress_size


def test_external_entity_is_never_read(results):
    assert all("root:" not in f.message_zh for r in results.values() for f in r.findings)


def test_cli_over_the_folder_shows_no_traceback(tmp_path):
    """The real command, in parallel workers: exit 2 (unreadable files), every file named, no traceback."""
    out = subprocess.run(
        [str(GOALLINT), "check", "--no-config", "--jobs", "2", "--format", "json", str(HOSTILE)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert out.returncode == 2, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    import json

    report = json.loads(out.stdout)
    text = json.dumps(report, ensure_ascii=False)
    for name in EXPECTED:
        assert name in text


@pytest.mark.parametrize(("name", "count", "line"), [("nul-bytes.txt", 40, 2), ("control-chars.csv", 1, 5)])
def test_control_characters_are_dropped_and_reported(results, name, count, line):
    problems = [f for f in results[name].findings if f.rule_name == "control-characters"]
    assert len(problems) == 1 and f"{count} 个控制字符" in problems[0].message_zh and problems[0].location.line == line
    assert all(not re.search(r"[\x00-\x08]", (f.value or "") + f.message_zh) for f in results[name].findings)


def test_findings_workbook_of_the_run(results, tmp_path):
    """Every finding of the hostile files fits an Excel workbook (no control characters reach it)."""
    import openpyxl

    from goallint.report import xlsx
    from goallint.run import RunResult

    run = RunResult(files=[r for name, r in results.items() if not name.startswith("huge-table")])
    xlsx.write(run, tmp_path / "findings.xlsx")
    sheets = openpyxl.load_workbook(tmp_path / "findings.xlsx").worksheets
    assert sheets and sheets[0].max_row > 10
