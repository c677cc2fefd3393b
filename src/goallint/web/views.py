"""Check results shaped for the page: each table as rows of cells, each faulty cell with its marks."""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass, field

from goallint.annotate import RANK, SEVERITY, field_of
from goallint.model import Finding, Table
from goallint.web.service import FileOutcome, Outcome

COLUMNS = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("level3", "三级指标"),
    ("description", "绩效指标描述"),
    ("value", "指标值"),
)
HEADER = (
    ("project", "项目名称"),
    ("total", "预算数"),
    ("fiscal", "财政资金"),
    ("other", "其他资金"),
    ("purpose", "资金用途"),
    ("goals", "绩效目标"),
)
TASK_COLUMNS = ("序号", "主要工作任务", "总额", "基本支出", "项目支出", "其他资金")
MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
}


@dataclass
class CellView:
    text: str
    marks: list[Finding] = field(default_factory=list)

    @property
    def severity(self) -> str | None:
        return max((f.severity for f in self.marks), key=RANK.__getitem__) if self.marks else None

    @property
    def tokens(self) -> str:
        """`severity:rule` of each mark, for the page's filters."""
        return " ".join(sorted({f"{f.severity}:{f.rule_id}" for f in self.marks}))

    @property
    def rule_ids(self) -> str:
        return " ".join(sorted({f.rule_id for f in self.marks}))


@dataclass
class RowView:
    number: int
    cells: list[CellView]


@dataclass
class TableView:
    caption: str
    caption_cell: CellView
    header: list[tuple[str, CellView]]
    rows: list[RowView]
    findings: list[Finding]
    fiscal_year: str
    tasks: list[RowView] = field(default_factory=list)  # department-wide tables: 主要工作任务 and 合计
    # what marking needs: the table's position in its file, its header cells by field, where each task is
    position: int | None = None
    header_cells: dict[str, CellView] = field(default_factory=dict)
    task_places: list[tuple] = field(default_factory=list)
    department: str = ""
    project: str = ""
    kind: str = "project"

    @property
    def counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)


@dataclass
class FileView:
    outcome: FileOutcome
    tables: list[TableView]
    loose: list[Finding]  # findings about the document, or a table not shown
    annotated_href: str | None

    @property
    def counts(self) -> Counter:
        return Counter(f.severity for f in self.outcome.findings)


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _amount(q, unit: str | None) -> str:
    if q is None:
        return ""
    try:
        q = q.to("wan_yuan" if unit == "万元" else "yuan") if unit in ("万元", "元") else q
        return f"{q.magnitude:g}{unit or ''}"
    except Exception:  # noqa: BLE001 — a unit the table does not state: show as stored
        return f"{q.magnitude:g} {q.units:~}"


def skeleton(table: Table) -> TableView:
    """The table's cells as shown, without marks: plain data, so a worker process can send it back."""
    header_cells = {
        "project": CellView(table.project or ""),
        "total": CellView(_amount(table.budget.total, table.unit)),
        "fiscal": CellView(_amount(table.budget.fiscal, table.unit)),
        "other": CellView(_amount(table.budget.other, table.unit)),
        "purpose": CellView(table.purpose),
        "goals": CellView("\n".join(f"{i}. {g}" for i, g in enumerate(table.goals, 1))),
    }
    rows = [
        RowView(number=r.location.row or i, cells=[CellView(getattr(r, name)) for name, _ in COLUMNS])
        for i, r in enumerate(table.rows, 1)
    ]
    tasks = [*table.tasks, *([table.tasks_total] if table.tasks_total else [])]
    task_rows = [
        RowView(
            number=i,
            cells=[CellView(str(t.number) if t.number is not None else "合计"), CellView(t.name)]
            + [CellView(_amount(getattr(t, key), table.unit)) for key in ("total", "basic", "project", "other")],
        )
        for i, t in enumerate(tasks, 1)
    ]
    number = table.number if table.number is not None else table.location.table
    caption = f"表{number}　{table.project or table.title or table.department_name or ''}".strip()
    fy = table.fiscal_year
    fiscal = (
        f"{fy.year} 年（{ {'stated': '表中写明', 'inferred': '推断', 'user': '指定'}[fy.source] }）" if fy else "未知"
    )
    return TableView(
        caption=caption,
        caption_cell=CellView(text=caption),
        header=[],
        rows=rows,
        findings=[],
        fiscal_year=fiscal,
        tasks=task_rows,
        position=table.location.table,
        header_cells=header_cells,
        task_places=[_place(t.location) for t in tasks],
        department=table.department_name or "",
        project=table.project or table.title or "",
        kind=table.kind,
    )


def mark(view: TableView, findings: list[Finding]) -> TableView:
    """Attach each finding to the cell it is about (the caption when it is about the whole table)."""
    task_at = dict(zip(view.task_places, view.tasks, strict=True))
    by_row = {row.number: row for row in view.rows}
    columns = {name: i for i, (name, _) in enumerate(COLUMNS)}
    for f in findings:
        name = field_of(f.location.column)
        if f.location.row is not None and f.location.row in by_row:
            by_row[f.location.row].cells[columns.get(name or "value", columns["value"])].marks.append(f)
        elif f.location.row is None and _place(f.location) in task_at:
            column = f.location.column
            task_at[_place(f.location)].cells[TASK_COLUMNS.index(column) if column in TASK_COLUMNS else 1].marks.append(
                f
            )
        elif name in view.header_cells:
            view.header_cells[name].marks.append(f)
        else:
            view.caption_cell.marks.append(f)
    view.header = [
        (label, view.header_cells[name])
        for name, label in HEADER
        if view.header_cells[name].text or view.header_cells[name].marks
    ]
    view.findings = sorted(findings, key=lambda f: (f.location.row or 0, -RANK[f.severity], f.rule_id))
    return view


def table_view(table: Table, findings: list[Finding]) -> TableView:
    return mark(skeleton(table), findings)


def _place(location) -> tuple:
    """Where in the source a location is (line, or sheet and cell), to match a finding to a task."""
    return (location.line, location.sheet, location.cell)


def file_view(outcome: FileOutcome) -> FileView:
    tables: list[TableView] = []
    shown: set[int] = set()
    if outcome.document is not None:
        for table in outcome.document.tables:
            mine = [
                f for f in outcome.findings if f.location.table is not None and f.location.table == table.location.table
            ]
            shown.update(id(f) for f in mine)
            tables.append(table_view(table, mine))
    loose = [f for f in outcome.findings if id(f) not in shown]
    href = None
    if outcome.annotated is not None and outcome.annotated_name:
        suffix = "." + outcome.annotated_name.rsplit(".", 1)[-1].lower()
        href = data_uri(outcome.annotated, MIME.get(suffix, "application/octet-stream"))
    return FileView(outcome=outcome, tables=tables, loose=loose, annotated_href=href)


def result_context(outcome: Outcome) -> dict:
    files = [file_view(f) for f in outcome.files]
    findings = [f for f in (x for fo in outcome.files for x in fo.findings)]
    rules = sorted({(f.rule_id, f.rule_name) for f in findings})
    return {
        "files": files,
        "rules_found": rules,
        "counts": Counter(f.severity for f in findings),
        "severity": SEVERITY["zh"],
        "columns": [label for _, label in COLUMNS],
        "task_columns": TASK_COLUMNS,
        "json_href": data_uri(outcome.json_report, "application/json") if outcome.json_report else None,
        "workbook_href": data_uri(outcome.workbook, MIME[".xlsx"]) if outcome.workbook else None,
        "outcome": outcome,
    }
