"""Every distinct 指标值 of the real corpus, with the result a careful reviewer expects.

tests/data/values.tsv: value (newlines written as \\n), kind, comparator, base_value, base_unit,
reason. For a Mixed value the comparator/base columns describe the measure inside it; for a
Duration base_value is in hours.
"""

import csv
import math
from pathlib import Path

import pytest

from goallint.values import parse_value

TSV = Path(__file__).resolve().parents[1] / "data" / "values.tsv"


def _rows():
    with TSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


def test_corpus_is_all_there():
    values = [r["value"] for r in ROWS]
    assert len(values) == len(set(values)), "one row per distinct value"
    assert len(values) >= 420
    kinds = {r["kind"] for r in ROWS}
    assert {"numeric", "deadline", "duration", "schedule", "mixed", "qualitative", "unreadable"} <= kinds


@pytest.mark.parametrize("row", ROWS, ids=[r["value"][:20] for r in ROWS])
def test_corpus_value(row):
    text = row["value"].replace("\\n", "\n")
    t = parse_value(text)
    assert t.kind == row["kind"], f"{text!r}: {t!r}"
    assert t.raw == text
    m = t.measure if t.kind == "mixed" else t
    if row["kind"] == "unreadable":
        assert t.reason == row["reason"]
        return
    cmp = getattr(m, "comparator", None)
    assert (cmp.value if cmp else "") == row["comparator"]
    base = getattr(m, "base_value", None)
    if row["base_value"]:
        assert base is not None and math.isclose(base, float(row["base_value"]), rel_tol=1e-9)
    else:
        assert base is None
    if m.kind == "numeric":
        assert (m.base_unit or "") == row["base_unit"]
