"""The text reporter: findings grouped by file and table; colour on a terminal, plain when piped."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from goallint.model import Finding
from goallint.safety import shorten

SEVERITY_LABEL = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def render(findings: Iterable[Finding], *, lang: str = "zh") -> list[tuple[str, str | None]]:
    """Lines of the report as (text, rich style or None)."""
    findings = list(findings)
    lines: list[tuple[str, str | None]] = []
    last_file = last_table = None
    for f in findings:
        loc = f.location
        if loc.file != last_file:
            if last_file is not None:
                lines.append(("", None))
            lines.append((loc.file, "bold underline"))
            last_file, last_table = loc.file, None
        table_key = loc.table
        if table_key != last_table:
            last_table = table_key
            if table_key is not None:
                number = f.table_number if f.table_number is not None else table_key
                head = _t(lang, f"  表 {number}", f"  table {number}")
                if f.project:
                    head += f"  {f.project}"
                if f.table_form == "self-evaluation":
                    head += _t(lang, "  （绩效自评表：只检查目标值）", "  (self-evaluation: targets checked)")
                lines.append((head, "bold"))
        where = []
        if loc.line is not None:
            where.append(f"{loc.file}:{loc.line}")
        if loc.row is not None:
            where.append(_t(lang, f"第{loc.row}行", f"row {loc.row}"))
        if loc.sheet:
            where.append(f"{loc.sheet}!{loc.cell or ''}")
        elif loc.page is not None and loc.cell:  # a PDF cell: 第2页 表1 行5 列7
            where.append(loc.cell)
        elif loc.page is not None:
            where.append(_t(lang, f"第{loc.page}页", f"page {loc.page}"))
        sev = SEVERITY_LABEL[lang][f.severity]
        lines.append((f"    {' '.join(where)}  {sev} {f.rule_id} {f.rule_name}", STYLE[f.severity]))
        if f.level3 or f.description:
            path = " / ".join(x for x in (f.level1, f.level2, f.level3 or f.description) if x)
            if f.block is not None:
                path = _t(lang, f"［{f.block}］", f"[{f.block}] ") + path
            value = f"「{shorten(f.value)}」" if f.value is not None else ""
            lines.append((f"      {path}  {value}", None))
        lines.append((f"      {f.message(lang)}", None))
        if f.fix is not None:
            kind = _t(
                lang, "可安全自动修复" if f.fix.safe else "建议修改", "safe fix" if f.fix.safe else "suggested fix"
            )
            lines.append(
                (f"      → 「{f.fix.text}」（{kind}）" if lang == "zh" else f"      → '{f.fix.text}' ({kind})", "green")
            )
    return lines


def summary_line(
    total: int,
    counts: Counter,
    fixable: int,
    *,
    lang: str = "zh",
    files: int | None = None,
    tables: int | None = None,
    rows: int | None = None,
    unreadable: int = 0,
) -> str:
    """One line: the files, tables and rows read, the number of findings, by severity, and how many have a
    safe fix."""
    scope = ""
    if files is not None:
        scope = _t(
            lang, f"{files} 个文件，{tables} 张表，{rows} 行指标", f"{files} files, {tables} tables, {rows} rows"
        )
    if unreadable:
        scope += _t(lang, f"，{unreadable} 个文件无法读取", f", {unreadable} unreadable")
    around = _t(lang, f"（{scope}）", f" ({scope})") if scope else ""
    if not total:
        return _t(lang, "未发现问题", "No problems found") + around
    text = _t(
        lang,
        f"共 {total} 个问题：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}",
        f"{total} problems: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info",
    )
    if fixable:
        text += _t(lang, f"；其中 {fixable} 个可用 --fix 安全自动修复", f"; {fixable} safely fixable with --fix")
    return text + around


def batch_summary(run, *, lang: str = "zh", counts: tuple[dict, Counter] | None = None) -> list[tuple[str, str | None]]:
    """Per-file and per-rule counts, for runs over more than one file (`counts`: the severities by file path
    and the (rule id, name, severity) counts, when the findings are no longer kept)."""
    lines: list[tuple[str, str | None]] = [(_t(lang, "按文件：", "By file:"), "bold")]
    from rich.cells import cell_len  # CJK file names are two cells wide per character

    width = max(cell_len(r.path) for r in run.files)

    def pad(path: str) -> str:
        return path + " " * (width - cell_len(path))

    for r in run.files:
        if r.errors:
            lines.append((f"  {pad(r.path)}  " + _t(lang, "无法读取", "unreadable"), STYLE["error"]))
            continue
        c = counts[0][r.path] if counts is not None else Counter(f.severity for f in r.findings)
        lines.append(
            (
                f"  {pad(r.path)}  "
                + _t(
                    lang,
                    f"{r.tables} 张表 {r.rows} 行  错误 {c['error']} 警告 {c['warning']} 提示 {c['info']}",
                    f"{r.tables} tables {r.rows} rows  {c['error']} errors {c['warning']} warnings {c['info']} info",
                ),
                None,
            )
        )
    by_rule = (
        counts[1]
        if counts is not None
        else Counter((f.rule_id, f.rule_name, f.severity) for r in run.files for f in r.findings)
    )
    if by_rule:
        lines.append((_t(lang, "按规则：", "By rule:"), "bold"))
        for (rule_id, name, severity), n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append((f"  {n:5d}  {rule_id} {name} ({SEVERITY_LABEL[lang][severity]})", None))
    return lines


def _scope(run) -> dict:
    """The files, tables, rows and unreadable files of a run, as `summary` takes them."""
    ok = [r for r in run.files if not r.errors]
    return {
        "files": len(run.files),
        "tables": sum(r.tables for r in ok),
        "rows": sum(r.rows for r in ok),
        "unreadable": len(run.files) - len(ok),
    }


def _tail(run, lang: str, line: str, counts: tuple[dict, Counter] | None = None) -> list[tuple[str, str | None]]:
    """The lines after the findings: the batch summary (more than one file), then the summary `line`."""
    tail: list[tuple[str, str | None]] = []
    if len(run.files) > 1:
        tail.append(("", None))
        tail += batch_summary(run, lang=lang, counts=counts)
    tail.append(("", None))
    tail.append((line, "bold"))
    return tail


def run_lines(run, *, lang: str = "zh") -> list[tuple[str, str | None]]:
    findings = run.findings
    fixable = sum(1 for f in findings if f.fix is not None and f.fix.safe)
    line = summary_line(len(findings), Counter(f.severity for f in findings), fixable, lang=lang, **_scope(run))
    return render(findings, lang=lang) + _tail(run, lang, line)


def _printer(out: TextIO, color: bool | None):
    """A function that writes one (text, style) line, in colour on a terminal."""
    use_color = (out.isatty() and not os.environ.get("NO_COLOR")) if color is None else color
    if not use_color:
        return lambda text, _style: out.write(text + "\n")
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=True, color_system="standard")
    return lambda text, style: console.print(Text(text, style=style or ""))


def write(run, out: TextIO, *, lang: str = "zh", color: bool | None = None) -> None:
    emit = _printer(out, color)
    for text, style in run_lines(run, lang=lang):
        emit(text, style)


def stream(run, out: TextIO, *, lang: str | None = None, color: bool | None = None) -> None:
    """The same lines as `write`, each file's findings written as soon as it is checked (run: run.StreamedRun)."""
    emit = _printer(out, color)
    started = False
    by_file: dict[str, Counter] = {}
    by_rule: Counter = Counter()
    for result in run:
        by_file[result.path] = Counter(f.severity for f in result.findings)
        by_rule.update((f.rule_id, f.rule_name, f.severity) for f in result.findings)
        lines = render(result.findings, lang=lang or run.lang)
        if lines and started:
            emit("", None)  # between files, as render puts it
        for text, style in lines:
            emit(text, style)
        started = started or bool(lines)
    lang = lang or run.lang
    counts = run.severities
    line = summary_line(sum(counts.values()), counts, run.fixable, lang=lang, **_scope(run))
    tail = _tail(run, lang, line, counts=(by_file, by_rule))
    for text, style in tail:
        emit(text, style)
