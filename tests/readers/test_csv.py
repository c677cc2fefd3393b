"""The CSV reader: encodings, delimiters, line numbers, and the corpus round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from goallint import readers
from goallint.convert import csv_long
from goallint.errors import InputError
from goallint.units import quantity

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
PROJECT_FILES = sorted(CORPUS.glob("*-projects.txt"))

TEXT = (
    "项目名称,单位,预算数,其中：财政资金,其他资金,绩效目标,一级指标,二级指标,三级指标,绩效指标描述,指标值\n"
    "信息化运维项目,万元,12.00,12.00,,1.确保机房网络可无阻碍运行,产出指标,数量指标,硬件采购（维护）数量,硬件采购（维护）数量,≥17台\n"
    "信息化运维项目,万元,12.00,12.00,,1.确保机房网络可无阻碍运行,产出指标,质量指标,系统故障率,系统故障率,≤5%\n"
)


def write(tmp_path: Path, data: bytes, name="t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def check(doc):
    assert doc.format == "csv"
    (table,) = doc.tables
    assert table.project == "信息化运维项目" and table.unit == "万元"
    assert table.budget.total == quantity(12, "wan_yuan") and table.budget.other is None
    assert table.goals == ["确保机房网络可无阻碍运行"]
    assert [r.value for r in table.rows] == ["≥17台", "≤5%"]
    assert [r.location.line for r in table.rows] == [2, 3]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings(tmp_path, encoding):
    check(readers.read(write(tmp_path, TEXT.encode(encoding))))  # utf-16: with a byte-order mark


def test_gbk_bytes_are_not_utf8(tmp_path):
    data = TEXT.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    check(readers.read(write(tmp_path, data, "excel-gbk.csv")))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_undecodable_file_names_the_file(tmp_path, encoding):  # UTF-16 without a byte-order mark
    path = write(tmp_path, TEXT.encode(encoding), "unicode-text.csv")
    with pytest.raises(InputError) as info:
        readers.read(path)
    assert info.value.file == str(path)
    assert "UTF-8" in info.value.message and "GBK" in info.value.message


def test_bytes_invalid_in_both_encodings(tmp_path):
    path = write(tmp_path, TEXT.encode("utf-8") + b"\xff\xfe\x80\n")
    with pytest.raises(InputError, match="编码") as info:
        readers.read(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon(tmp_path, delimiter):
    check(
        readers.read(
            write(tmp_path, TEXT.replace(",", delimiter).encode("utf-8"), "t.tsv" if delimiter == "\t" else "t.csv")
        )
    )


def test_commas_inside_cells_do_not_fool_the_delimiter(tmp_path):
    text = TEXT.replace("1.确保机房网络可无阻碍运行", '"1.确保机房, 网络; 可运行"')
    doc = readers.read(write(tmp_path, text.encode("utf-8")))
    assert doc.tables[0].goals == ["确保机房, 网络; 可运行"]


def test_title_line_and_multiline_cells(tmp_path):
    lines = TEXT.splitlines()
    text = "\n".join(
        [
            "2023年项目支出绩效目标表,,,",
            lines[0],
            lines[1].replace("1.确保机房网络可无阻碍运行", '"1.确保机房网络\n2.确保网站安全"'),
            lines[2].replace("1.确保机房网络可无阻碍运行", ""),
        ]
    )
    doc = readers.read(write(tmp_path, text.encode("utf-8")))
    table = doc.tables[0]
    assert table.goals == ["确保机房网络", "确保网站安全"]
    assert [r.location.line for r in table.rows] == [3, 5]  # the quoted cell spans lines 3-4
    assert doc.problems == []  # an empty goals cell means "as above", not a disagreement


def test_missing_column_error_names_the_header_line(tmp_path):
    text = (
        "说明：2023年\n项目名称,单位,预算数,一级指标,二级指标,绩效指标描述,指标值\nP,万元,1,产出指标,数量指标,x,1个\n"
    )
    path = write(tmp_path, text.encode("utf-8"))
    with pytest.raises(InputError) as info:
        readers.read(path)
    assert (info.value.file, info.value.line) == (str(path), 2)
    assert "三级指标" in info.value.message
    assert str(info.value).startswith(f"{path}:2: ")


def test_empty_file(tmp_path):
    with pytest.raises(InputError, match="空"):
        readers.read(write(tmp_path, b""))


def key(doc):
    return [
        (
            t.project,
            t.unit,
            t.budget,
            t.goals,
            t.purpose,
            t.number,
            t.title,
            t.department_code,
            t.department_name,
            [(r.level1, r.level2, r.level3, r.description, r.value) for r in t.rows],
        )
        for t in doc.tables
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
@pytest.mark.parametrize("source", PROJECT_FILES, ids=lambda p: p.name)
def test_corpus_round_trip(source, encoding, tmp_path):
    original = readers.read(source)
    out = tmp_path / "long.csv"
    csv_long.write(original, out, encoding=encoding)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    back = readers.read(out)
    assert back.problems == []
    assert len(back.tables) == len(original.tables) > 5
    assert key(back) == key(original)
    assert back.tables[0].rows[0].location.line == 2
