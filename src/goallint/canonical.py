"""The canonical forms of a Document: hand-writable YAML and the full JSON model.

YAML is what teams keep in git and write by hand, so it is compact: a table's header as a few
keys, then one indicator per line as a five-item list in the order of the printed table
(一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值); a row with more than its five cells (the goal
of a department-wide table, the block of a two-target table, a target split over 指标性质 | 指标值 |
度量单位, cells kept beside the target) is a flow mapping with those keys. Budget amounts are plain
numbers in the table's unit. JSON is the whole model, typed targets and locations included.
"""

from __future__ import annotations

import io
import json

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from goallint.model import Agency, Budget, Document, IndicatorRow, ProjectPeriod, Table, Task

FORMAT_VERSION = 1
ROW_COLUMNS = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值")


def dump_json(document: Document) -> str:
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=6)


def _flow(items: list) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _magnitude(amount) -> float | None:
    return None if amount is None else float(amount.magnitude)


def _task_map(task: Task) -> CommentedMap:
    out = CommentedMap()
    if task.number is not None:
        out["number"] = task.number
        out["name"] = task.name
    for key in ("total", "basic", "project", "other"):
        out[key] = _magnitude(getattr(task, key))
    out.fa.set_flow_style()
    return out


def _department_keys(table: Table, out: CommentedMap) -> None:
    """kind, tasks-total (合计), tasks and goal-tasks of a department-wide table."""
    out["kind"] = "department"
    if table.tasks_total is not None:
        out["tasks-total"] = _task_map(table.tasks_total)
    out["tasks"] = [_task_map(task) for task in table.tasks]
    out["goal-tasks"] = _flow(list(table.goal_tasks))


# the cells kept beside a target (IndicatorRow.extra) and their keys (readers/canonical_fields.py)
EXTRA_KEYS = ("weight", "score", "actual", "previous", "value-type", "direction")


def _row_map(row: IndicatorRow) -> CommentedMap:
    """A row as a flow mapping: its goal (department-wide tables), the cells of a target split over columns
    (`comparator`, `value` the 指标值 cell, `unit`), its block and the kept cells, where it has them."""
    out = CommentedMap()
    if row.goal is not None:
        out["goal"] = row.goal
    out.update(level1=row.level1, level2=row.level2, level3=row.level3)
    if row.description:
        out["description"] = row.description
    if row.parts:
        parts = row.parts
        if "comparator" in parts:
            out["comparator"] = parts["comparator"].text
        out["value"] = parts["number"].text if "number" in parts else row.value
        if "unit" in parts:
            out["unit"] = parts["unit"].text
    else:
        out["value"] = row.value
    if row.block is not None:
        out["block"] = row.block
    for key in EXTRA_KEYS:
        if row.extra.get(key):
            out[key] = row.extra[key]
    out.fa.set_flow_style()
    return out


def _budget_map(budget: Budget) -> CommentedMap:
    out = CommentedMap(total=_magnitude(budget.total), fiscal=_magnitude(budget.fiscal), other=_magnitude(budget.other))
    if budget.carryover is not None:  # 上年结转: only where the table has it
        out["carryover"] = _magnitude(budget.carryover)
    out.fa.set_flow_style()
    return out


def _agency_map(agency: Agency) -> CommentedMap:
    out = CommentedMap(code=agency.code, name=agency.name)
    out.fa.set_flow_style()
    return out


def _period(period: ProjectPeriod) -> str | CommentedMap:
    """项目期 as written, or with its years where its text does not give them (read back: canonical_fields)."""
    from goallint.readers.canonical_fields import period_of

    if period_of(period.text) == period:
        return period.text
    out = CommentedMap(text=period.text, start=period.start, end=period.end, years=period.years)
    out.fa.set_flow_style()
    return out


def _other_templates(table: Table, out: CommentedMap) -> None:
    """The header fields of other templates' tables (form, 主管部门, 实施单位, 项目属性, 项目期, 中期), where given."""
    if table.form is not None:
        out["form"] = table.form
    for key in ("supervisor", "implementer"):
        if getattr(table, key) is not None:
            out[key] = _agency_map(getattr(table, key))
    if table.attribute is not None:
        out["attribute"] = table.attribute
    if table.period is not None:
        out["period"] = _period(table.period)
    if table.mid_budget is not None:
        out["mid-budget"] = _budget_map(table.mid_budget)
    if table.mid_goals:
        out["mid-goals"] = list(table.mid_goals)


def table_to_yaml_map(table: Table) -> CommentedMap:
    out = CommentedMap()
    if table.number is not None:
        out["number"] = table.number
    if table.title:
        out["title"] = table.title
    if table.department_code or table.department_name:
        out["department"] = CommentedMap(code=table.department_code, name=table.department_name)
    out["unit"] = table.unit
    out["project"] = table.project
    out["budget"] = _budget_map(table.budget)
    if table.purpose:
        out["purpose"] = table.purpose
    out["goals"] = list(table.goals)
    if table.fiscal_year is not None:
        out["fiscal-year"] = table.fiscal_year.year
    if table.truncated:
        out["truncated"] = True
    _other_templates(table, out)
    if table.kind == "department":
        _department_keys(table, out)
    # a row with more than its five cells (the goal it measures, its block, a split target, kept cells) is a mapping
    rows = CommentedSeq(
        _row_map(row)
        if row.goal is not None or row.parts or row.block is not None or row.extra or table.kind == "department"
        else _flow([row.level1, row.level2, row.level3, row.description, row.value])
        for row in table.rows
    )
    out["rows"] = rows
    rows.yaml_set_start_comment(" " + " / ".join(ROW_COLUMNS), indent=6)
    return out


def dump_yaml(document: Document) -> str:
    doc = CommentedMap()
    doc["goallint"] = FORMAT_VERSION
    doc["source"] = document.path
    if document.fiscal_year is not None:
        doc["fiscal-year"] = document.fiscal_year.year
    doc["tables"] = [table_to_yaml_map(table) for table in document.tables]
    yaml = YAML()
    yaml.width = 4096  # one indicator per line, however long
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    return buffer.getvalue()
