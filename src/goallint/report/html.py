"""`--format html`: the reviewer's batch report, one self-contained HTML file.

What a finance bureau reads first comes first: counts by severity, findings per rule and per department
(inline SVG bar charts with the numbers beside the bars and on hover), the share of tables without
errors, the ten projects with the most errors and, with `--baseline`, what is new and what was fixed.
Then every file and table, its faulty cells marked by the web page's own template
(`web/templates/table.html`, so a table is drawn one way only), filters by severity, rule and department,
and the explanation of every rule that fired, linked from each finding inside the same file.

Styles, scripts and charts are inline and nothing is fetched, so the file opens offline from a shared
drive or an e-mail. Each table is rendered once, here; a file's tables travel as one gzipped block of
JSON in base64, unpacked and put on the page when the reviewer unfolds one of them: a report of
100,000 rows opens without parsing or laying out 100,000 rows (docs/performance.md has its figures).
Every text from a table goes through Jinja's autoescaping, and base64 holds no `<`, so a cell holding
`</script>` cannot end the block it sits in.
"""

from __future__ import annotations

import base64
import datetime as _dt
import gzip
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TextIO

from goallint import __version__
from goallint.model import Finding

SEVERITIES = ("error", "warning", "info")
WEB = Path(__file__).resolve().parents[1] / "web"
TOP_PROJECTS = 10


@dataclass
class TableEntry:
    """One table in the drill-down: its summary line, and its rendered cells (drawn on unfold)."""

    key: str  # anchor: t<file>-<table>
    caption: str
    department: str
    project: str
    file: str
    counts: Counter
    rules: list[str]
    rows: int
    html: str


@dataclass
class FileEntry:
    index: int
    path: str
    format: str | None
    errors: list[str]
    department: str
    counts: Counter
    tables: list[TableEntry] = field(default_factory=list)
    loose: list[Finding] = field(default_factory=list)  # about the document, or a table not drawn


@dataclass
class Bar:
    label: str
    value: int
    title: str  # shown on hover
    key: str  # a rule id or a department: what the chart's data attribute names
    severity: str | None = None


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(WEB / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
    )
    env.globals.update(rule_href=lambda rule_id: f"#rule-{rule_id}", rule_target=None)
    return env


def _short(summary: str, width: int = 16) -> str:
    """A rule's summary cut to a chart label: up to its first bracket or comma, at most `width` characters."""
    head = re.split(r"[（(，,：:；;]", summary, maxsplit=1)[0].strip()
    return head if len(head) <= width else head[: width - 1] + "…"


def _packed(data) -> str:
    """JSON, gzipped and in base64: safe inside a <script> element (no `<` at all) and about a tenth of
    the size of the tables' HTML, which the page unpacks with the browser's DecompressionStream."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def _department_of(views, path: str) -> str:
    names = Counter(v.department for v in views or [] if v.department)
    return names.most_common(1)[0][0] if names else Path(path).name


def _bars_svg(bars: list[Bar], chart: str, unit: str = "个") -> str:
    """A horizontal bar chart: one row per bar, the label left, the number right of the bar."""
    from markupsafe import escape

    if not bars:
        return '<p class="empty">没有数据</p>'
    row, label_width, bar_width = 22, 300, 400
    top = max(b.value for b in bars) or 1
    height = row * len(bars) + 6
    total_width = label_width + bar_width + 70
    parts = [
        f'<svg class="chart" data-chart="{chart}" role="img" width="100%" style="max-width:{total_width}px" '
        f'viewBox="0 0 {total_width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, bar in enumerate(bars):
        y = i * row + 3
        width = max(1, round(bar.value / top * bar_width))
        sev = f" {bar.severity}" if bar.severity else ""
        parts.append(
            f'<g class="bar{sev}" data-key="{escape(bar.key)}" data-value="{bar.value}">'
            f"<title>{escape(bar.title)}：{bar.value}{unit}</title>"
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{width}" height="{row - 6}" rx="2"></rect>'
            f'<text class="value" x="{label_width + width + 6}" y="{y + 14}">{bar.value}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _share_svg(clean: int, total: int) -> str:
    """The share of tables without errors, as one bar split in two, with both numbers written out."""
    if total == 0:
        return '<p class="empty">没有表格</p>'
    width = 600
    ok = round(clean / total * width)
    share = clean / total * 100
    return (
        f'<svg class="chart" data-chart="clean-share" data-clean="{clean}" data-total="{total}" role="img" '
        f'width="{width}" height="46" viewBox="0 0 {width} 46" xmlns="http://www.w3.org/2000/svg">'
        f"<title>无错误的表：{clean} / {total}（{share:.1f}%）</title>"
        f'<rect class="clean" x="0" y="0" width="{ok}" height="24"></rect>'
        f'<rect class="faulty" x="{ok}" y="0" width="{width - ok}" height="24"></rect>'
        f'<text x="0" y="42">无错误 {clean} 张（{share:.1f}%）</text>'
        f'<text x="{width}" y="42" text-anchor="end">有错误 {total - clean} 张</text></svg>'
    )


def _entries(run) -> list[FileEntry]:
    from goallint.web.views import mark

    env = _environment()
    template = env.get_template("table.html")
    context = _table_context()
    files: list[FileEntry] = []
    for index, result in enumerate(run.files, 1):
        views = result.views or []
        entry = FileEntry(
            index=index,
            path=result.path,
            format=result.format,
            errors=list(result.errors),
            department=_department_of(views, result.path),
            counts=Counter(f.severity for f in result.findings),
        )
        by_table: dict[int | None, list[Finding]] = defaultdict(list)
        for f in result.findings:
            by_table[f.location.table].append(f)
        drawn: set[int | None] = set()
        for view in views:
            findings = by_table.get(view.position, [])
            drawn.add(view.position)
            mark(view, findings)
            entry.tables.append(
                TableEntry(
                    key=f"t{index}-{view.position}",
                    caption=view.caption,
                    department=view.department or entry.department,
                    project=view.project or view.caption,
                    file=result.path,
                    counts=view.counts,
                    rules=sorted({f.rule_id for f in findings}),
                    rows=len(view.rows),
                    html=template.render(t=view, **context),
                )
            )
        entry.loose = sorted(
            (f for key, found in by_table.items() if key not in drawn for f in found), key=Finding.sort_key
        )
        files.append(entry)
    return files


def _table_context() -> dict:
    from goallint.annotate import SEVERITY
    from goallint.web.views import COLUMNS, TASK_COLUMNS

    return {"severity": SEVERITY["zh"], "columns": [label for _, label in COLUMNS], "task_columns": TASK_COLUMNS}


def context(run, *, generated: _dt.datetime | None = None) -> dict:
    """Everything report.html shows, computed from a finished run (findings after the baseline)."""
    files = _entries(run)
    findings = [f for r in run.files for f in r.findings]
    rules = run.rules
    per_rule = Counter(f.rule_id for f in findings)
    worst = {f.rule_id: f.severity for f in findings}
    rule_bars = [
        Bar(
            label=f"{rule_id} {_short(rules[rule_id].summary_zh) if rule_id in rules else ''}".strip(),
            value=n,
            title=f"{rule_id} {rules[rule_id].summary_zh if rule_id in rules else ''}".strip(),
            key=rule_id,
            severity=worst[rule_id],
        )
        for rule_id, n in sorted(per_rule.items(), key=lambda item: (-item[1], item[0]))
    ]
    per_department: Counter = Counter()
    errors_per_department: Counter = Counter()
    tables = [t for file in files for t in file.tables]
    for file in files:
        for t in file.tables:
            per_department[t.department] += sum(t.counts.values())
            errors_per_department[t.department] += t.counts["error"]
        loose = len(file.loose)
        if loose:
            per_department[file.department] += loose
    department_bars = [
        Bar(label=name, value=n, title=f"{name}（其中错误 {errors_per_department[name]}）", key=name)
        for name, n in sorted(per_department.items(), key=lambda item: (-item[1], item[0]))
    ]
    departments = sorted({t.department for t in tables} | {f.department for f in files})
    top = sorted(
        (t for t in tables if t.counts["error"]), key=lambda t: (-t.counts["error"], -sum(t.counts.values()), t.key)
    )[:TOP_PROJECTS]
    clean = sum(1 for t in tables if not t.counts["error"])
    explained = sorted(set(per_rule) | {rule_id for rule_id in rules})
    import_css = (WEB / "static" / "app.css").read_text(encoding="utf-8")
    report_css = (WEB / "static" / "report.css").read_text(encoding="utf-8")
    # the filter marks shared with goallint serve, then the report's own script
    script = "\n".join((WEB / "static" / name).read_text(encoding="utf-8") for name in ("marks.js", "report.js"))
    return {
        "version": __version__,
        "generated": (generated or _dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M:%S %z"),
        "config": getattr(run, "config", "") or "",
        "files": files,
        "counts": Counter(f.severity for f in findings),
        "severity": _table_context()["severity"],
        "severities": SEVERITIES,
        "rule_chart": _bars_svg(rule_bars, "rules"),
        "department_chart": _bars_svg(department_bars, "departments"),
        "share_chart": _share_svg(clean, len(tables)),
        "clean": clean,
        "table_count": len(tables),
        "row_count": sum(r.rows for r in run.files),
        "top": top,
        "rules_found": [(rule_id, rules[rule_id].name if rule_id in rules else "") for rule_id in sorted(per_rule)],
        "departments": departments,
        "explained": [rules[rule_id] for rule_id in explained if rule_id in rules],
        "baseline": getattr(run, "baseline", None),
        "fixed": getattr(run, "fixed", []),
        "new": len(findings),
        "run_errors": list(run.errors),
        "packed": {file.index: _packed({t.key: t.html for t in file.tables}) for file in files if file.tables},
        "css": import_css + "\n" + report_css,
        "script": script,
    }


def write(run, out: TextIO, *, lang: str | None = "zh", color: bool | None = None) -> None:
    """Write the report of a finished run (`run.RunResult` checked with CheckOptions.keep_views)."""
    template = _environment().get_template("report.html")
    out.write(template.render(**context(run)))
