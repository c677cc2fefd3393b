""".doc and .wps (readers/legacy_word.py): converted by LibreOffice into a private temporary folder and
read as .docx. Each .doc made by LibreOffice from a .docx of the examples or the corpus gives the same
rows, model and findings as the .docx, and names the .doc; without LibreOffice the error says what to
install; a conversion that runs over its time limit is stopped."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from goallint import pipeline, readers, safety
from goallint.canonical import dump_json
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.errors import InputError
from goallint.readers import legacy_word

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from builders.docx_form import write_docx  # noqa: E402
from builders.helpers import CORPUS, convert, require_soffice  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "tests" / "data" / "legacy"
ENGINE = Engine(load_rules())


def outcome(path: Path) -> tuple[dict, list[tuple]]:
    document = pipeline.load(path)
    model = json.loads(dump_json(document).replace(str(path), "FILE"))
    model.pop("format")
    findings = ENGINE.check(document)
    assert all(f.location.file == str(path) for f in findings)  # the findings name this file
    return model, sorted(
        (f.rule_id, str(f.location.table), str(f.location.row), str(f.location.cell), str(f.value), f.message_zh)
        for f in findings
    )


def make_doc(source: Path, folder: Path) -> Path:
    """A Word 97 .doc of a .docx, made by LibreOffice through .odt (LibreOffice 7.4's direct .docx →
    .doc export drops python-docx's tables; through .odt they are kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    odt = convert(source, "odt", folder / "odt")
    return convert(odt, "doc:MS Word 97", folder / "doc")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    require_soffice()
    folder = tmp_path_factory.mktemp("legacy-word")
    sources = [ROOT / "examples" / f"{name}.docx" for name in ("clean", "faulty", "department-ccpit-2025")]
    document = readers.read(CORPUS / "tianjin-commerce-2025-projects.txt")
    sources.append(write_docx(document, folder / "commerce.docx"))
    return {source.stem: (make_doc(source, folder / source.stem), source) for source in sources}


@pytest.mark.parametrize("name", ["clean", "faulty", "department-ccpit-2025", "commerce"])
def test_same_as_the_docx_it_was_made_from(made, name):
    path, source = made[name]
    document = readers.read(path)
    assert document.format == "doc" and document.path == str(path)
    assert outcome(path) == outcome(source)


def test_wps_is_read(made, tmp_path):
    """A .wps as LibreOffice writes one: it has no WPS writer, `--convert-to wps:"MS Word 97"` writes the
    Word 97 file that WPS writes too (LibreOffice's type registry gives .wps to that filter)."""
    _, source = made["faulty"]
    odt = convert(source, "odt", tmp_path / "odt")
    wps = convert(odt, "wps:MS Word 97", tmp_path / "wps")
    assert wps.suffix == ".wps"
    assert outcome(wps) == outcome(source)


def test_wps_saved_as_docx_is_read_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy_word, "soffice", lambda: None)
    wps = tmp_path / "faulty.wps"
    shutil.copy(ROOT / "examples" / "faulty.docx", wps)
    assert outcome(wps) == outcome(ROOT / "examples" / "faulty.docx")


def test_checked_in_doc():
    require_soffice()
    model, findings = outcome(LEGACY / "faulty.doc")
    assert (model, findings) == outcome(ROOT / "examples" / "faulty.docx")
    assert findings


def test_parallel_conversions_do_not_collide(made):
    require_soffice()
    paths = [made[name][0] for name in ("clean", "faulty", "commerce")]
    results: dict[Path, object] = {}

    def run(path: Path) -> None:
        try:
            results[path] = readers.read(path)
        except Exception as exc:  # noqa: BLE001 — recorded and asserted below
            results[path] = exc

    threads = [threading.Thread(target=run, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for path in paths:
        assert not isinstance(results[path], Exception), results[path]
        assert results[path].tables


def test_no_libreoffice_says_what_to_install(monkeypatch):
    monkeypatch.setattr(legacy_word, "soffice", lambda: None)
    with pytest.raises(InputError) as info:
        readers.read(LEGACY / "faulty.doc")
    assert info.value.file == str(LEGACY / "faulty.doc")
    assert "LibreOffice" in info.value.message and "另存为" in info.value.message


def test_time_limit_stops_the_conversion(monkeypatch):
    require_soffice()
    monkeypatch.setattr(safety, "CONVERT_SECONDS", 0.05)
    before = set(Path(tempfile.gettempdir()).glob("goallint-doc-*"))
    with pytest.raises(InputError, match="秒内未能") as info:
        readers.read(LEGACY / "faulty.doc")
    assert info.value.file == str(LEGACY / "faulty.doc")
    assert set(Path(tempfile.gettempdir()).glob("goallint-doc-*")) == before  # the private folder is gone


def test_not_a_word_document(tmp_path):
    require_soffice()
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    with pytest.raises(InputError, match="LibreOffice 无法将文件转换") as info:
        readers.read(path)
    assert info.value.file == str(path)
