"""A table of the model laid out in the templates of other regions (../shared/templates.md), cell by cell.

tests/data/templates/issue19-recall.yaml holds the tables of the recall test as canonical YAML; these
layouts write the same tables as real .docx/.xlsx files in the other templates' shapes, so that the
recall of the rules is measured through the readers of those shapes (tests/rules/test_recall_layouts.py):

* `split`: the national budget system's export, 指标性质 | *指标值 | 度量单位 | 权重（%）, a number split
  over three cells (`≥` | `200` | `家`), a text target as 定性 | text;
* `midterm`: the older Ministry of Finance form, 中期指标值 | 年度指标值 side by side;
* `stacked`: 长期 and 年度 blocks, each under its heading with its own grid header;
* `self-evaluation`: 年初目标值 | 实际完成值 | 分值 | 得分, with 指标解释;
* `provincial`: 指标值及单位 | 绩效标准.

The 中期 and 长期 targets repeat the 年度 ones (the tables give only one target per indicator).
"""

from __future__ import annotations

from builders.grid_layouts import Sheet, _header_block, _vertical
from goallint.model import Numeric, Table
from goallint.values import parse_value

LAYOUTS = ("split", "midterm", "stacked", "self-evaluation", "provincial")


def _split(value: str) -> tuple[str, str, str]:
    """指标性质 | 指标值 | 度量单位 of a value as the national export writes it."""
    target = parse_value(value)
    if isinstance(target, Numeric) and target.unit_text and value.strip().endswith(target.unit_text):
        number = value.strip()[: -len(target.unit_text)]
        comparator = target.comparator_text or ""
        if comparator and number.startswith(comparator):
            return comparator, number[len(comparator) :].strip(), target.unit_text
    if target.kind == "qualitative":
        return "定性", value, ""
    return "", value, ""


def _goals(table: Table) -> str:
    return "\n".join(f"{i}.{goal}" for i, goal in enumerate(table.goals, 1)) or "完成年度工作任务。"


# the layouts with one grid: its header, a row's cells after the three names, the lines above the table
_GRIDS = {
    "split": (
        ["一级指标", "二级指标", "三级指标", "指标解释", "指标性质", "*指标值", " 度量单位 ", "权重（%）"],
        lambda row: [row.description, *_split(row.value), "10"],
        ["项目支出绩效目标表（2024年度）", "单位：万元"],
    ),
    "midterm": (
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "中期指标值", "年度指标值"],
        lambda row: [row.description, row.value, row.value],
        ["项目支出绩效目标申报表（2024年度）", "单位：万元"],
    ),
    "self-evaluation": (
        ["一级指标", "二级指标", "三级指标", "指标解释", "年初目标值", "实际完成值", "分值", "得分"],
        lambda row: [row.description, row.value, "", "10", ""],
        ["2024年度项目支出绩效自评表", "单位：万元"],
    ),
    "provincial": (
        ["一级指标", "二级指标", "三级指标", "指标说明", "指标值及单位", "绩效标准"],
        lambda row: [row.description, row.value, "按计划"],
        ["部门项目绩效目标表", "单位：万元"],
    ),
}


def lay_out(table: Table, layout: str) -> Sheet:
    total = f"{table.budget.total.magnitude:.2f}" if table.budget.total is not None else ""
    names = [[r.level1, r.level2, r.level3] for r in table.rows]
    if layout in _GRIDS:
        header, cells, before = _GRIDS[layout]
        rows, merges = _header_block(len(header), table.project or "", total, _goals(table))
        first = len(rows)
        rows.append(list(header))
        for name, row in zip(names, table.rows, strict=True):
            rows.append([*name, *cells(row)])
        merges += _vertical(rows, first + 1, 0)
    elif layout == "stacked":
        rows, merges = _header_block(5, table.project or "", total, _goals(table))
        for heading in ("长期绩效指标", "年度绩效指标"):
            rows.append([heading, "", "", "", ""])
            merges.append((len(rows) - 1, 0, len(rows) - 1, 4))
            rows.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"])
            rows += [[*name, row.description, row.value] for name, row in zip(names, table.rows, strict=True)]
        before = ["项目支出绩效目标表（2024年度）", "单位：万元"]
    else:
        raise ValueError(f"unknown layout {layout!r}")
    return Sheet(before, rows, merges, numbers=False)
