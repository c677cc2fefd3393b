"""A findings workbook for reviewers: one sheet of findings (filters, frozen header), one per-rule summary,
and one per-file sheet (files that could not be read are listed with the reason)."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path

from goallint.report.text import SEVERITY_LABEL
from goallint.safety import shorten

HEADERS = {
    "zh": [
        "文件",
        "表",
        "项目名称",
        "行",
        "位置",
        "一级指标",
        "二级指标",
        "三级指标/指标描述",
        "指标值",
        "规则",
        "规则名称",
        "级别",
        "问题",
        "建议改为",
        "可安全修复",
    ],
    "en": [
        "file",
        "table",
        "project",
        "row",
        "where",
        "level 1",
        "level 2",
        "indicator",
        "value",
        "rule",
        "rule name",
        "severity",
        "message",
        "suggested",
        "safe fix",
    ],
}
WIDTHS = [28, 6, 24, 6, 16, 12, 14, 24, 20, 8, 24, 8, 60, 20, 10]
SEVERITY_FILL = {"error": "F8CBAD", "warning": "FFE699", "info": "DDEBF7"}


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _append(ws, values: list) -> None:
    """Append a row; Excel refuses control characters in a cell (a hostile input may carry them)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])


def _where(loc, lang: str) -> str:
    """Where to look in the source: the line, or the sheet and cell, or the Word table cell."""
    if loc.line is not None:
        return _t(lang, f"第{loc.line}行（源文件）", f"line {loc.line}")
    if loc.sheet:
        return f"{loc.sheet}!{loc.cell or ''}"
    return loc.cell or ""


_SEVERITIES = ("error", "warning", "info")
# the summary sheets' columns after their own: the findings by severity (Chinese header, English header, width)
_SEVERITY_COLUMNS = [("错误", "errors", 8), ("警告", "warnings", 8), ("提示", "info", 8)]


def _summary_sheet(wb, lang: str, title: tuple[str, str], columns: list[tuple[str, str, int]]):
    """A new sheet `title` (Chinese, English) with a header of `columns` (Chinese header, English header, width)."""
    ws = wb.create_sheet(_t(lang, *title))
    _header(ws, [_t(lang, zh, en) for zh, en, _width in columns], [width for *_headers, width in columns])
    return ws


def _header(ws, headers: list[str], widths: list[int]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(headers)
    for i, width in enumerate(widths, 1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def build(run, *, lang: str = "zh"):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _t(lang, "问题清单", "Findings")
    _header(ws, HEADERS[lang], WIDTHS)
    wrap = Alignment(wrap_text=True, vertical="top")
    findings = run.findings
    for row, f in enumerate(findings, 2):  # counted, not ws.max_row: that scans every cell, once per finding
        loc = f.location
        _append(
            ws,
            [
                loc.file,
                f.table_number if f.table_number is not None else loc.table,
                f.project or "",
                loc.row,
                _where(loc, lang),
                f.level1,
                f.level2,
                f.level3 or f.description,
                shorten(f.value) if f.value is not None else "",
                f.rule_id,
                f.rule_name,
                SEVERITY_LABEL[lang][f.severity],
                f.message(lang),
                f.fix.text if f.fix is not None else "",
                (_t(lang, "是", "yes") if f.fix.safe else _t(lang, "否", "no")) if f.fix is not None else "",
            ],
        )
        ws.cell(row=row, column=12).fill = PatternFill("solid", fgColor=SEVERITY_FILL[f.severity])
        ws.cell(row=row, column=13).alignment = wrap
    last = get_column_letter(len(HEADERS[lang]))
    ws.auto_filter.ref = f"A1:{last}{len(findings) + 1}"

    rules = run.rules
    by_rule = Counter(f.rule_id for f in findings)
    by_rule_sev = Counter((f.rule_id, f.severity) for f in findings)
    files_hit = {rule_id: len({f.location.file for f in findings if f.rule_id == rule_id}) for rule_id in by_rule}
    rules_columns = [("规则", "rule", 8), ("规则名称", "name", 28), ("说明", "summary", 60), ("问题数", "findings", 8)]
    rs = _summary_sheet(
        wb, lang, ("按规则汇总", "By rule"), [*rules_columns, *_SEVERITY_COLUMNS, ("涉及文件", "files", 8)]
    )
    for rule_id, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        info = rules.get(rule_id)
        summary = (info.summary_en if lang == "en" and info.summary_en else info.summary_zh) if info else ""
        _append(
            rs,
            [
                rule_id,
                info.name if info else "",
                summary,
                n,
                *(by_rule_sev[(rule_id, severity)] for severity in _SEVERITIES),
                files_hit[rule_id],
            ],
        )
    _append(
        rs,
        [
            _t(lang, "合计", "total"),
            "",
            "",
            len(findings),
            *(sum(1 for f in findings if f.severity == severity) for severity in _SEVERITIES),
            len({f.location.file for f in findings}),
        ],
    )

    files_columns = [("文件", "file", 40), ("格式", "format", 10), ("表", "tables", 6), ("指标行", "rows", 8)]
    fs = _summary_sheet(
        wb, lang, ("按文件汇总", "By file"), [*files_columns, *_SEVERITY_COLUMNS, ("读取错误", "read errors", 60)]
    )
    for r in run.files:
        c = Counter(f.severity for f in r.findings)
        _append(
            fs,
            [r.path, r.format or "", r.tables, r.rows, *(c[severity] for severity in _SEVERITIES), "\n".join(r.errors)],
        )
    fs.auto_filter.ref = f"A1:H{max(fs.max_row, 1)}"
    return wb


def write(run, path: Path, *, lang: str = "zh", color: bool | None = None) -> None:
    """Write atomically: a temporary file in the same folder, then renamed over `path`."""
    wb = build(run, lang=lang)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
