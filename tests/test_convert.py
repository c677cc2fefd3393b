"""`goallint convert`, `goallint schema table`, and `goallint parse` over several bad files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from goallint import readers
from goallint.cli import app
from goallint.units import quantity

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "corpus"
CCPIT_2023 = CORPUS / "tianjin-ccpit-2023-projects.txt"
COOPERATION_2022 = CORPUS / "tianjin-cooperation-2022-projects.txt"
EXAMPLES = REPO / "examples"


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def rows_of(doc):
    return [
        (t.project, t.unit, t.budget, t.goals, [(r.level1, r.level2, r.level3, r.description, r.value) for r in t.rows])
        for t in doc.tables
    ]


def body(yaml_text: str) -> str:
    """A canonical YAML without its `source:` line (which names the file it came from)."""
    return "\n".join(line for line in yaml_text.splitlines() if not line.startswith("source:"))


def test_convert_each_direction(tmp_path):
    original = readers.read(COOPERATION_2022)
    yaml_path, json_path = tmp_path / "t.yaml", tmp_path / "t.json"
    csv_path, gbk_path, xlsx_path = tmp_path / "t.csv", tmp_path / "gbk.csv", tmp_path / "t.xlsx"

    result = run("convert", COOPERATION_2022, yaml_path)
    assert result.exit_code == 0, result.output
    assert "13 张表" in result.stderr
    assert rows_of(readers.read(yaml_path)) == rows_of(original)

    assert run("convert", yaml_path, csv_path).exit_code == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    assert run("convert", yaml_path, gbk_path, "--encoding", "gbk").exit_code == 0
    gbk_path.read_bytes().decode("gbk")  # really GBK
    assert run("convert", gbk_path, json_path).exit_code == 0
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["format"] == "csv" and data["tables"][0]["rows"][0]["target"] is not None  # the full model
    back = tmp_path / "back.yaml"
    assert run("convert", json_path, back).exit_code == 0
    assert rows_of(readers.read(back)) == rows_of(original)
    assert body(back.read_text(encoding="utf-8")) == body(yaml_path.read_text(encoding="utf-8"))

    assert run("convert", yaml_path, xlsx_path).exit_code == 0
    assert xlsx_path.read_bytes()[:2] == b"PK"


def test_yaml_to_long_xlsx_and_back_is_the_same_model(tmp_path):
    yaml_path, xlsx_path, back = tmp_path / "t.yaml", tmp_path / "t.xlsx", tmp_path / "back.yaml"
    assert run("convert", CCPIT_2023, yaml_path).exit_code == 0
    assert run("convert", yaml_path, xlsx_path).exit_code == 0
    result = run("convert", xlsx_path, back)
    assert result.exit_code == 0, result.output
    assert rows_of(readers.read(back)) == rows_of(readers.read(yaml_path))


def test_convert_errors(tmp_path):
    result = run("convert", CCPIT_2023, tmp_path / "t.docx")
    assert result.exit_code == 2 and "t.docx" in result.stderr and ".xlsx" in result.stderr
    result = run("convert", tmp_path / "missing.yaml", tmp_path / "t.csv")
    assert result.exit_code == 2 and "missing.yaml" in result.stderr
    assert not (tmp_path / "t.csv").exists()


def test_department_table_warns_what_the_long_layout_loses(tmp_path):
    from goallint.canonical import dump_json
    from goallint.model import Document, IndicatorRow, Location, Table, Task

    here = Location(file="d.txt")
    table = Table(
        kind="department",
        unit="万元",
        project="部门整体支出",
        tasks=[Task(number=1, name="展会", total=quantity(10, "wan_yuan"), location=here)],
        rows=[
            IndicatorRow(goal=1, level1="产出指标", level2="数量指标", level3="展会数量", value="≥2场", location=here)
        ],
        location=here,
    )
    source = tmp_path / "d.json"
    source.write_text(dump_json(Document(path="d.txt", format="word-dump", tables=[table])), encoding="utf-8")
    result = run("convert", source, tmp_path / "d.csv")
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and "工作任务" in result.stderr
    assert "≥2场" in (tmp_path / "d.csv").read_text(encoding="utf-8-sig")


def test_schema_table_is_json_schema_and_accepts_parse_output(tmp_path):
    result = run("schema", "table")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    parsed = run("parse", CCPIT_2023)
    data = YAML(typ="safe").load(parsed.stdout)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    data["tables"][0]["budget"]["total"] = "十二万"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_parse_reports_each_bad_file_and_reads_the_others(tmp_path):
    wrong_field = tmp_path / "wrong-field.yaml"
    wrong_field.write_text(
        "goallint: 1\ntables:\n  - project: x\n    unit: 万元\n    budjet: {total: 1}\n", encoding="utf-8"
    )
    bad_syntax = tmp_path / "bad-syntax.yaml"
    bad_syntax.write_text("goallint: 1\ntables:\n  - project: [x\n", encoding="utf-8")
    undecodable = tmp_path / "utf16.csv"  # UTF-16 without a byte-order mark (with one, it is read)
    undecodable.write_bytes("项目名称,三级指标,指标值\nP,a,1\n".encode("utf-16-le"))
    no_value = tmp_path / "no-value.csv"
    no_value.write_text("项目名称,三级指标\nP,a\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("项目名称,单位,预算数,三级指标,指标值\n好项目,万元,3,培训人数,≥50人\n", encoding="utf-8")

    result = run("parse", wrong_field, bad_syntax, undecodable, no_value, good)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 4
    for line, path, where in zip(
        errors, (wrong_field, bad_syntax, undecodable, no_value), (":5:", ":4:", "", ":1:"), strict=False
    ):
        assert str(path) + where in line
    assert "budjet" in errors[0]
    assert "好项目" in result.stdout and "≥50人" in result.stdout


@pytest.mark.parametrize("name", ["clean.yaml", "faulty.yaml", "clean.csv", "faulty.csv"])
def test_examples_are_readable(name):
    doc = readers.read(EXAMPLES / name)
    assert doc.tables and all(t.rows for t in doc.tables)
    assert all(t.unit and t.budget.total is not None for t in doc.tables)


def test_long_xlsx_keeps_texts_as_text_and_formats_amounts(tmp_path):
    """'=' texts are never formulas, number-like texts are formatted as text, amounts show two decimals."""
    from openpyxl import load_workbook

    text = (EXAMPLES / "clean.yaml").read_text(encoding="utf-8")
    source = tmp_path / "t.yaml"
    source.write_text(text.replace("≥17台", "'=17台'").replace("≥1年", "'100%'"), encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert run("convert", source, out).exit_code == 0
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None}
    assert cells["=17台"].data_type == "s"
    assert cells["100%"].number_format == "@"
    assert sheet.cell(row=2, column=header.index("预算数") + 1).number_format == "0.00"
    assert (
        sheet.freeze_panes == "A2"
        and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{sheet.max_row}"
    )
    assert [r.value for t in readers.read(out).tables for r in t.rows] == [
        r.value for t in readers.read(source).tables for r in t.rows
    ]


def test_convert_writes_atomically_and_names_the_output_on_errors(tmp_path):
    from goallint.model import Document, IndicatorRow, Location, Table

    here = Location(file="d.yaml")
    bad = Table(project="项目", rows=[IndicatorRow(level3="次数", value="≥2\x07次", location=here)], location=here)
    source = tmp_path / "d.json"
    from goallint.canonical import dump_json

    source.write_text(dump_json(Document(path="d.yaml", format="yaml", tables=[bad])), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old workbook")
    result = run("convert", source, out)
    assert result.exit_code == 2 and "out.xlsx" in result.stderr and "控制字符" in result.stderr
    assert "Traceback" not in result.output
    assert out.read_bytes() == b"old workbook"  # the old file is left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.json", "out.xlsx"]  # no temporary file left
