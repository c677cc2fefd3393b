"""Text files in every encoding drafters save them in (text_encoding.py): GBK, GB18030, UTF-16 with a
byte-order mark and UTF-8 with one give the same model and findings as UTF-8; `parse` names the
encoding; `--fix` writes back in the file's encoding, byte-identical outside the fixed lines."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goallint import pipeline
from goallint.canonical import dump_json
from goallint.cli import app
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.errors import InputError
from goallint.text_encoding import decode, decode_head, encode

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
TEXT_FILES = [
    *sorted(CORPUS.glob("*.txt")),
    ROOT / "examples" / "department-ccpit-2025.txt",
    ROOT / "examples" / "department-faulty.txt",
    ROOT / "examples" / "clean.csv",
    ROOT / "examples" / "faulty.csv",
]
# how a file is written → (the bytes, the label `parse` prints)
ENCODINGS = {
    "gbk": (lambda text: text.encode("gbk"), "GB18030（GBK）"),
    "gb18030": (lambda text: text.encode("gb18030"), "GB18030（GBK）"),
    "utf-16": (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "UTF-16LE (BOM)"),
    "utf-16-be": (lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "UTF-16BE (BOM)"),
    "utf-8-sig": (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "UTF-8 (BOM)"),
}
ENGINE = Engine(load_rules())
runner = CliRunner()


def model_and_findings(path: Path) -> tuple[str, list[tuple]]:
    document = pipeline.load(path)
    findings = sorted(
        (f.rule_id, f.location.table, f.location.row, f.location.line, f.value, f.message_zh)
        for f in ENGINE.check(document)
    )
    return dump_json(document).replace(str(path), "FILE"), findings


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("source", TEXT_FILES, ids=lambda p: p.name)
def test_same_model_and_findings_as_utf8(tmp_path, source, encoding):
    text = source.read_text(encoding="utf-8")
    write, label = ENCODINGS[encoding]
    try:
        data = write(text)
    except UnicodeEncodeError:
        pytest.skip(f"{source.name} has characters GBK cannot hold (GB18030 covers it)")
    path = tmp_path / source.name
    path.write_bytes(data)
    model, findings = model_and_findings(path)
    expected_model, expected_findings = model_and_findings(source)
    assert model.replace(str(path), "FILE") == expected_model.replace(str(source), "FILE")
    assert findings == expected_findings
    assert pipeline.load(path).encoding == label
    assert pipeline.load(source).encoding == "UTF-8"


def test_gbk_is_really_not_utf8():
    data = (CORPUS / "tianjin-commerce-2025-projects.txt").read_text(encoding="utf-8").encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode("x", data).encoding == "gb18030"


def test_parse_names_the_encoding(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes((CORPUS / "tianjin-commerce-2025-projects.txt").read_text(encoding="utf-8").encode("gbk"))
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: encoding GB18030（GBK）" in result.stderr
    assert "项目名称" in result.stdout or "project" in result.stdout


def test_undecodable_names_file_and_line():
    data = "第一行\n第二行\n".encode() + b"\x80\xff\n"
    with pytest.raises(InputError) as info:
        decode("a.txt", data)
    assert info.value.file == "a.txt" and info.value.line == 3
    assert "UTF-8" in info.value.message and "GBK" in info.value.message


def test_a_bom_that_lies_is_named():
    with pytest.raises(InputError, match="UTF-16LE") as info:
        decode("a.csv", codecs.BOM_UTF16_LE + "项目".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    assert info.value.file == "a.csv"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_encode_gives_back_the_same_bytes(encoding):
    data = "项目名称\t信息化运维项目\r\n≥95%\n".encode(encoding)
    decoded = decode("x", data)
    assert encode(decoded.text, decoded) == data


def test_decode_head_drops_a_cut_character():
    data = "项目名称".encode()
    assert decode_head(data[:-1]) == "项目名"
    assert decode_head(codecs.BOM_UTF16_LE + "项目".encode("utf-16-le")[:-1]) == "项"


# --------------------------------------------------------------------------- --fix keeps the encoding


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_fix_writes_back_in_the_same_encoding(tmp_path, encoding):
    source = CORPUS / "tianjin-commerce-2025-projects.txt"
    text = source.read_text(encoding="utf-8")
    write, label = ENCODINGS[encoding]
    before = write(text)
    path = tmp_path / "commerce.txt"
    path.write_bytes(before)
    fixable = [f for f in ENGINE.check(pipeline.load(path)) if f.fix is not None and f.fix.safe]
    assert fixable
    result = runner.invoke(app, ["check", "--no-config", "--no-color", "--fix", str(path)])
    assert f"已应用 {len(fixable)} 个修复" in result.output, result.output
    after = path.read_bytes()
    assert after.startswith(before[:2])  # the byte-order mark (UTF-16) or the first GBK bytes
    decoded = decode(str(path), after)
    assert decoded.label == label
    # every line no fix touched is the same bytes; each fixed line is the old line with the value replaced
    old_lines, new_lines = text.split("\n"), decoded.text.split("\n")
    assert len(old_lines) == len(new_lines)
    fixed = {f.location.line for f in fixable}
    for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=True), 1):
        if number not in fixed:
            assert old == new
    if encoding == "gbk":  # byte for byte: splitting the raw GBK bytes at \n is safe (no GBK byte is 0x0A)
        changed = [n for n, (a, b) in enumerate(zip(_lines(before), _lines(after), strict=True), 1) if a != b]
        assert set(changed) == fixed
        for f in fixable:
            assert _lines(after)[f.location.line - 1] == old_lines[f.location.line - 1].replace(
                f.value, f.fix.text
            ).encode("gbk")
    assert not [f for f in ENGINE.check(pipeline.load(path)) if f.fix is not None and f.fix.safe]


def test_fix_on_gbk_csv_writes_gbk(tmp_path):
    source = ROOT / "examples" / "clean.csv"
    before = source.read_text(encoding="utf-8").replace("≥", "≧").encode("gbk")  # GL102 fixes ≧ to ≥
    path = tmp_path / "faulty.csv"
    path.write_bytes(before)
    fixable = [f for f in ENGINE.check(pipeline.load(path)) if f.fix is not None and f.fix.safe]
    assert fixable
    runner.invoke(app, ["check", "--no-config", "--no-color", "--fix", str(path)])
    after = path.read_bytes()
    assert after != before
    with pytest.raises(UnicodeDecodeError):
        after.decode("utf-8")
    assert decode(str(path), after).encoding == "gb18030"
    changed = [n for n, (a, b) in enumerate(zip(before.split(b"\n"), after.split(b"\n"), strict=True)) if a != b]
    assert len(changed) == len({f.location.line for f in fixable})
