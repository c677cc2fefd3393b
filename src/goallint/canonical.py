"""The canonical forms of a Document: hand-writable YAML and the full JSON model.

YAML is what teams keep in git and write by hand, so it is compact: a table's header as a few
keys, then one indicator per line as a five-item list in the order of the printed table
(一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值). Budget amounts are plain numbers in the
table's unit. JSON is the whole model, typed targets and locations included.
"""

from __future__ import annotations

import io
import json

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from goallint.model import Document, IndicatorRow, Table, Task

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


def _row_with_goal(row: IndicatorRow) -> CommentedMap:
    out = CommentedMap(goal=row.goal, level1=row.level1, level2=row.level2, level3=row.level3)
    if row.description:
        out["description"] = row.description
    out["value"] = row.value
    out.fa.set_flow_style()
    return out


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
    budget = CommentedMap(
        total=_magnitude(table.budget.total),
        fiscal=_magnitude(table.budget.fiscal),
        other=_magnitude(table.budget.other),
    )
    budget.fa.set_flow_style()
    out["budget"] = budget
    if table.purpose:
        out["purpose"] = table.purpose
    out["goals"] = list(table.goals)
    if table.fiscal_year is not None:
        out["fiscal-year"] = table.fiscal_year.year
    if table.truncated:
        out["truncated"] = True
    if table.kind == "department":
        _department_keys(table, out)
        # a row also says which goal (目标N) it measures
        rows = CommentedSeq(_row_with_goal(row) for row in table.rows)
    else:
        rows = CommentedSeq(
            _flow([row.level1, row.level2, row.level3, row.description, row.value]) for row in table.rows
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
