"""The pieces of the writers: editing text runs, CSV field spans, quoting."""

from __future__ import annotations

import pytest
from lxml import etree

from goallint.fix import CellEdit, changed_span, edit_runs
from goallint.fix import csv as csv_fix
from goallint.model import Document, Location


def runs(*texts: str):
    root = etree.Element("p")
    out = []
    for text in texts:
        t = etree.SubElement(root, "t")
        t.text = text
        out.append(t)
    return out


@pytest.mark.parametrize(
    ("texts", "old", "new", "after"),
    [
        (["≧17台"], "≧17台", "≥17台", ["≥17台"]),
        (["≧", "17台"], "≧17台", "≥17台", ["≥", "17台"]),  # the comparator's own run is edited
        (["≤2.5", "万"], "≤2.5万", "≤2.5万元", ["≤2.5", "万元"]),  # an insertion joins the run before it
        (["95百", "分比"], "95百分比", "95%", ["95%", ""]),  # a change across runs: the first run takes it
        (["目标：", "≧3次"], "≧3次", "≥3次", ["目标：", "≥3次"]),  # the value inside longer cell text
        (["", "≧1"], "≧1", "≥1", ["", "≥1"]),
    ],
)
def test_edit_runs(texts, old, new, after):
    elements = runs(*texts)
    assert edit_runs(elements, old, new)
    assert [t.text for t in elements] == after


def test_edit_runs_refuses_an_ambiguous_cell():
    elements = runs("≧1次", "；≧1次")
    assert not edit_runs(elements, "≧1次", "≥1次")
    assert [t.text for t in elements] == ["≧1次", "；≧1次"]


def test_leading_space_is_preserved():
    elements = runs("x ≧5")
    edit_runs(elements, "x ≧5", " ≥5")
    assert elements[0].text == " ≥5" and elements[0].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_changed_span():
    assert changed_span("≤2.5万", "≤2.5万元") == (5, 5, "元")
    assert changed_span("95百分比", "95%") == (2, 5, "%")
    assert changed_span("abc", "abc") == (3, 3, "")


def test_csv_field_spans_follow_quotes_and_multiline_cells():
    text = 'a,b,c\r\n"x\r\ny","say ""hi""",3\r\n4,5,6'
    spans = csv_fix.field_spans(text, ",")
    assert sorted(spans) == [1, 2, 4]  # the quoted cell spans lines 2-3
    assert [text[s:e] for s, e in spans[2]] == ['"x\r\ny"', '"say ""hi"""', "3"]
    assert [text[s:e] for s, e in spans[4]] == ["4", "5", "6"]


def test_csv_quoted_value_keeps_quotes_and_new_commas_get_them(tmp_path):
    header = "项目名称,三级指标,指标值\n"
    data = (header + '运维,数量,"≧3次"\n运维,次数,≧2次\n').encode()
    document = Document(path="t.csv", format="csv")
    edits = [
        CellEdit(location=Location(file="t.csv", table=1, row=1, line=2), old="≧3次", new="≥3次", rule_id="X"),
        CellEdit(location=Location(file="t.csv", table=1, row=2, line=3), old="≧2次", new="≥2次, 每季度", rule_id="X"),
    ]
    new, skipped = csv_fix.apply(data, edits, document)
    assert not skipped
    assert new.decode() == header + '运维,数量,"≥3次"\n运维,次数,"≥2次, 每季度"\n'
