"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, VS Code SARIF viewer).

Each finding is a result with the file (a URI relative to the working folder), a region with the
source line where the file has lines (text dumps, YAML, CSV), and a logical location naming the
table and row (and the sheet/cell of a workbook). Rules that fired are described in the tool
descriptor with their summary and explanation. Files that could not be read are tool notifications.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from goallint import __version__
from goallint.model import Finding

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
INFO_URI = "https://github.com/goallint/goallint"


def relative(path: str) -> str | None:
    """The path relative to the working folder, / separated; None for an absolute path outside it."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return None
    return os.path.normpath(p).replace(os.sep, "/")


def uri(path: str) -> str:
    """A relative URI reference (percent-encoded, / separated) for a path; relative to the working folder."""
    rel = relative(path)
    return quote(rel, safe="/") if rel is not None else Path(path).as_uri()


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" and en else zh


def logical_name(f: Finding, lang: str) -> str:
    loc = f.location
    parts = []
    if loc.table is not None:
        number = f.table_number if f.table_number is not None else loc.table
        parts.append(_t(lang, f"表{number}", f"table {number}"))
    if loc.row is not None:
        parts.append(_t(lang, f"第{loc.row}行", f"row {loc.row}"))
    if loc.sheet:
        parts.append(f"{loc.sheet}!{loc.cell or ''}")
    elif loc.cell:
        parts.append(loc.cell)
    elif loc.page is not None:
        parts.append(_t(lang, f"第{loc.page}页", f"page {loc.page}"))
    return " ".join(parts) or Path(loc.file).name


def fingerprint(f: Finding) -> str:
    """Stable across row insertions: file, project, indicator, rule and value, not the row number."""
    key = "\x1f".join(
        [f.location.file, f.project or "", f.level3 or f.description, f.rule_id, f.value or "", f.rule_name]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(f: Finding, index: dict[str, int], lang: str) -> dict:
    loc = f.location
    physical: dict = {"artifactLocation": {"uri": uri(loc.file), "uriBaseId": "%SRCROOT%"}}
    if loc.line is not None:
        physical["region"] = {"startLine": loc.line}
    text = f.message(lang)
    if f.fix is not None:
        text += _t(lang, f"（建议改为「{f.fix.text}」）", f" (suggested: '{f.fix.text}')")
    logical = {"name": logical_name(f, lang), "kind": "element"}
    if f.project:
        logical["fullyQualifiedName"] = f"{f.project}/{logical['name']}"
    properties = {
        k: v
        for k, v in {
            "table": loc.table,
            "tableNumber": f.table_number,
            "project": f.project,
            "row": loc.row,
            "indicator": f.level3 or f.description or None,
            "column": loc.column,
            "value": f.value,
            "sheet": loc.sheet,
            "cell": loc.cell,
            "page": loc.page,
        }.items()
        if v is not None
    }
    result = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": physical, "logicalLocations": [logical]}],
        "partialFingerprints": {"goallintFinding/v1": fingerprint(f)},
        "properties": properties,
    }
    if f.fix is not None:
        result["properties"]["fix"] = {"text": f.fix.text, "safe": f.fix.safe}
    return result


def _rule(info, lang: str) -> dict:
    summary = _t(lang, info.summary_zh, info.summary_en)
    help_text = _t(lang, info.explanation_zh, info.explanation_en) or summary
    descriptor = {
        "id": info.id,
        "name": info.name,
        "shortDescription": {"text": summary or info.name},
        "fullDescription": {"text": help_text or info.name},
        "help": {"text": (help_text or info.name) + f"\n\ngoallint explain {info.id}"},
        "defaultConfiguration": {"level": LEVEL.get(info.severity, "warning")},
        "properties": {"tags": ["goallint"]},
    }
    return descriptor


def build(run, *, lang: str = "zh") -> dict:
    findings = run.findings
    rules = run.rules
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    notifications = [
        {
            "level": "error",
            "message": {"text": error},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(r.path), "uriBaseId": "%SRCROOT%"}}}],
        }
        for r in run.files
        for error in r.errors
    ]
    notifications += [{"level": "error", "message": {"text": error}} for error in run.errors]
    invocation = {"executionSuccessful": not run.failed}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "goallint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFO_URI,
                        "rules": [_rule(info, lang) for info in rules.values()],
                    }
                },
                "invocations": [invocation],
                "artifacts": [{"location": {"uri": uri(r.path), "uriBaseId": "%SRCROOT%"}} for r in run.files],
                "results": [_result(f, index, lang) for f in findings],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def write(run, out: TextIO, *, lang: str = "zh", color: bool | None = None) -> None:
    out.write(json.dumps(build(run, lang=lang), ensure_ascii=False, indent=2) + "\n")


class _IndexLater(dict):
    """Rule indexes while the rules that fire are not all known yet: 0, set when the spool is copied."""

    def __missing__(self, key):
        return 0


_RESULT_KEY = " " * 10  # the indentation of a result's keys in the report (runs[0].results[i])


def stream(run, out: TextIO, *, lang: str | None = None, color: bool | None = None) -> None:
    """The same text as `write`, written as files finish (run: run.StreamedRun): results go to a temporary
    file and get their `ruleIndex` once all the rules that fired (listed before them) are known."""
    import tempfile
    from types import SimpleNamespace

    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as spool:
        first = True
        for result in run:
            for f in result.findings:
                text = json.dumps(_result(f, _IndexLater(), lang or run.lang), ensure_ascii=False, indent=2)
                spool.write(("\n" if first else ",\n") + "        " + text.replace("\n", "\n        "))
                first = False
        shell = SimpleNamespace(findings=[], rules=run.rules, files=run.files, errors=run.errors, failed=run.failed)
        head = json.dumps(build(shell, lang=lang or run.lang), ensure_ascii=False, indent=2)
        before, after = head.split('\n      "results": []', 1)
        out.write(before + '\n      "results": ')
        if first:
            out.write("[]")
        else:
            index = {rule_id: i for i, rule_id in enumerate(run.rules)}
            out.write("[")
            spool.seek(0)
            rule_id = None
            id_key, index_key = _RESULT_KEY + '"ruleId": ', _RESULT_KEY + '"ruleIndex": '
            for line in spool:
                if line.startswith(id_key):
                    rule_id = json.loads(line[len(id_key) :].rstrip().rstrip(","))
                elif line.startswith(index_key):
                    line = f"{index_key}{index[rule_id]},\n"
                out.write(line)
            out.write("\n      ]")
        out.write(after + "\n")
