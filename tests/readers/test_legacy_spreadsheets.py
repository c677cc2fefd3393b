""".xls, WPS .et and .ods workbooks (python-calamine, readers/xls.py and readers/ods.py): each made by
LibreOffice from an .xlsx of the examples or the corpus gives the same rows, model and findings as
the .xlsx it was made from; a few are checked in (tests/data/legacy/) for machines without LibreOffice."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from goallint import pipeline, readers
from goallint.canonical import dump_json
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.errors import InputError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from builders.helpers import CORPUS, convert, require_soffice  # noqa: E402
from builders.xlsx_form import write_xlsx  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "tests" / "data" / "legacy"
EXAMPLES = [ROOT / "examples" / f"{name}.xlsx" for name in ("clean", "faulty", "department-ccpit-2025")]
ENGINE = Engine(load_rules())


def outcome(path: Path) -> tuple[dict, list[tuple]]:
    document = pipeline.load(path)
    model = json.loads(dump_json(document).replace(str(path), "FILE"))
    model.pop("format")
    findings = sorted(
        (f.rule_id, f.location.table, f.location.row, f.location.sheet, f.location.cell, f.value, f.message_zh)
        for f in ENGINE.check(document)
    )
    return model, [tuple(str(x) for x in f) for f in findings]


def rows(path: Path) -> list[tuple]:
    return [
        (r.level1, r.level2, r.level3, r.description, r.value, r.location.cell)
        for t in readers.read(path).tables
        for r in t.rows
    ]


def assert_same(made: Path, source: Path) -> None:
    assert rows(made) == rows(source)
    assert outcome(made) == outcome(source)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Every example, and corpus tables built as .xlsx with typed numbers and percentages, as .xls and .ods."""
    require_soffice()
    folder = tmp_path_factory.mktemp("legacy")
    sources = list(EXAMPLES)
    for name in ("tianjin-commerce-2025-projects.txt", "tianjin-cooperation-2022-projects.txt"):
        sources.append(write_xlsx(readers.read(CORPUS / name), folder / (Path(name).stem + ".xlsx"), typed_values=True))
    out = {}
    for source in sources:
        for kind in ("xls", "ods"):
            out[(source.stem, kind)] = (convert(source, kind, folder / kind), source)
    return out


@pytest.mark.parametrize("kind", ["xls", "ods"])
@pytest.mark.parametrize(
    "name",
    ["clean", "faulty", "department-ccpit-2025", "tianjin-commerce-2025-projects", "tianjin-cooperation-2022-projects"],
)
def test_same_as_the_xlsx_it_was_made_from(made, name, kind):
    path, source = made[(name, kind)]
    document = readers.read(path)
    assert document.format == kind
    assert document.tables and all(t.location.sheet for t in document.tables)
    assert_same(path, source)


def test_wps_et_is_read_as_xls(made, tmp_path):
    """An .et as LibreOffice writes one (`--convert-to et`): it has no WPS writer, its type registry gives
    the .et extension to the MS Excel 97 filter, so the file is the BIFF8 workbook WPS writes too."""
    _, source = made[("faulty", "xls")]
    et = convert(source, "et", tmp_path)
    with et.open("rb") as handle:
        assert handle.read(8) == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE2 compound file, as an .xls
    assert readers.read(et).format == "xls"
    assert_same(et, source)


def test_xls_named_xlsx_is_read(made, tmp_path):
    path, source = made[("clean", "xls")]
    misnamed = tmp_path / "clean.xlsx"
    shutil.copy(path, misnamed)
    assert readers.read(misnamed).format == "xls"
    assert_same(misnamed, source)


# --------------------------------------------------------------------------- checked in (no LibreOffice needed)


@pytest.mark.parametrize(("name", "source"), [("clean.xls", "clean.xlsx"), ("faulty.ods", "faulty.xlsx")])
def test_checked_in(name, source):
    assert_same(LEGACY / name, ROOT / "examples" / source)
    findings = outcome(LEGACY / name)[1]
    assert bool(findings) == (name == "faulty.ods")


def test_merged_cells_of_ods_fill_down():
    table = readers.read(LEGACY / "faulty.ods").tables[0]
    assert table.rows[0].level1 and all(r.level1 for r in table.rows)  # 一级指标 merged down
    assert table.rows[1].location.sheet == table.location.sheet


def test_fix_refuses_to_write_ods(tmp_path):
    from typer.testing import CliRunner

    from goallint.cli import app

    path = tmp_path / "faulty.ods"
    shutil.copy(LEGACY / "faulty.ods", path)
    before = path.read_bytes()
    result = CliRunner().invoke(app, ["check", "--no-config", "--no-color", "--fix", str(path)])
    assert path.read_bytes() == before
    if any(f.fix is not None and f.fix.safe for f in ENGINE.check(pipeline.load(path))):
        assert "OpenDocument 表格（.ods） 文件不支持自动修复" in result.output


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("word.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ["不是有效的 Excel .xls"]),
        ("text.ods", b"PK\x03\x04 not really a zip", ["不是有效的 OpenDocument .ods"]),
    ],
)
def test_broken_files_name_the_file(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        readers.read(path)
    assert info.value.file == str(path)
    for word in words:
        assert word in info.value.message


def test_docx_saved_as_ods_is_named(tmp_path):
    path = tmp_path / "word.ods"
    shutil.copy(ROOT / "examples" / "clean.docx", path)
    with pytest.raises(InputError, match="content.xml") as info:
        readers.read(path)
    assert info.value.file == str(path)
