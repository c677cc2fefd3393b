"""Fuzzing the readers with mutated real files: every outcome is a Document (which the rules then
check without failing) or a GoallintError naming the file — never another exception.

Mutations: byte flips, truncations, inserted and deleted runs of bytes, on the file as stored; for
.docx/.xlsx also on the main XML part, re-zipped, so that the mutation reaches the readers'
structure code and not only the zip checksum. The budget is fixed by `max_examples` (500 inputs per
format, about ten seconds in all, the same inputs every run); to fuzz longer with new inputs:

    FUZZ_EXAMPLES=20000 FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/robustness/test_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goallint import pipeline
from goallint.engine import guard
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.errors import GoallintError
from goallint.model import Document

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"  # new inputs each run (default: the same inputs, reproducible in CI)
MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/worksheets/sheet1.xml", ".ods": "content.xml"}


def _minimal_docx() -> bytes:
    """examples/clean.docx's document part in a minimal package, as tests/data/hostile/make.py builds
    them (the styles are never read; parsing them would slow the fuzzing tenfold)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hostile_make", ROOT / "tests" / "data" / "hostile" / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", make.DOCX_TYPES)
        z.writestr("_rels/.rels", make.DOCX_RELS)
        z.writestr("word/document.xml", make.clean_document_xml())
    return buffer.getvalue()


def _canonical_json() -> bytes:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((ROOT / "examples" / "clean.yaml").read_text(encoding="utf-8"))
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


# name → (suffix, bytes): project tables in every format, and the department-wide table's Word dump and workbook
BASES: dict[str, tuple[str, bytes]] = {
    "docx": (".docx", _minimal_docx()),
    "xlsx": (".xlsx", (ROOT / "examples" / "clean.xlsx").read_bytes()),
    "txt": (".txt", (ROOT / "tests" / "data" / "corpus" / "tianjin-ccpit-2023-projects.txt").read_bytes()),
    "csv": (".csv", (ROOT / "examples" / "clean.csv").read_bytes()),
    "yaml": (".yaml", (ROOT / "examples" / "clean.yaml").read_bytes()),
    "json": (".json", _canonical_json()),
    "department-txt": (".txt", (ROOT / "examples" / "department-ccpit-2025.txt").read_bytes()),
    "department-xlsx": (".xlsx", (ROOT / "examples" / "department-ccpit-2025.xlsx").read_bytes()),
    "xls": (".xls", (ROOT / "tests" / "data" / "legacy" / "clean.xls").read_bytes()),
    "ods": (".ods", (ROOT / "tests" / "data" / "legacy" / "faulty.ods").read_bytes()),
    "doc": (".doc", (ROOT / "tests" / "data" / "legacy" / "faulty.doc").read_bytes()),  # LibreOffice: 2–5 s each
    "pdf": (".pdf", (ROOT / "tests" / "data" / "pdf" / "clean.pdf").read_bytes()),
}
SLOW = {"doc": 6}  # examples for readers that start a program per file
# a PDF takes pdfminer some 0.15 s to parse: fewer inputs, the same few seconds as the other formats
SHARE = {"pdf": 0.2}


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` with 1–4 mutations."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "duplicate", "byte"]))
        if kind == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "byte":
            out[at] = draw(st.sampled_from([0x00, 0xFF, 0x3C, 0x3E, 0x22, 0x26, 0x0A, 0x09, 0x80, 0xE3]))
        elif kind == "truncate":
            del out[at:]
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 256))]
        else:
            length = draw(st.integers(1, 512))
            out[at:at] = out[at : at + length]
    return bytes(out)


def _rezip(data: bytes, part: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, content if info.filename == part else src.read(info.filename))
    return buffer.getvalue()


@st.composite
def fuzzed(draw, name: str) -> bytes:
    suffix, base = BASES[name]
    if suffix in MAIN_PART and draw(st.booleans()):
        with zipfile.ZipFile(io.BytesIO(base)) as z:
            part = z.read(MAIN_PART[suffix])
        return _rezip(base, MAIN_PART[suffix], draw(mutated(part)))
    return draw(mutated(base))


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules(plugins=False))


@pytest.mark.parametrize("name", sorted(BASES))
def test_readers_survive_mutations(name, engine, tmp_path_factory):
    suffix = BASES[name][0]
    folder = tmp_path_factory.mktemp(f"fuzz-{name}")
    outcomes = {"document": 0, "error": 0}
    examples = min(EXAMPLES, SLOW.get(name, EXAMPLES))

    @settings(
        max_examples=max(min(10, examples), int(examples * SHARE.get(name, 1))),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not RANDOM,
        database=None,
    )
    @given(fuzzed(name))
    def run(data: bytes) -> None:
        path = folder / f"table{suffix}"
        path.write_bytes(data)
        try:
            document = pipeline.load(path)
        except GoallintError as error:
            assert error.file == str(path) and error.message  # names the file, says something
            outcomes["error"] += 1
            return
        assert isinstance(document, Document)
        engine.check(document)
        assert not guard.errors(engine.ruleset.rules), guard.errors(engine.ruleset.rules)
        outcomes["document"] += 1

    run()
    assert sum(outcomes.values()) >= min(examples, 10)
