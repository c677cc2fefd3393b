"""The JSON report: one object with the files read, every finding and a summary.

The shape is defined by the pydantic models below; `goallint schema report` prints their JSON Schema.
`version` is the version of this format: fields are only ever added within a version.
"""

from __future__ import annotations

from typing import Any, Literal, TextIO

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from goallint import __version__
from goallint.model import Finding, Target, constructor
from goallint.run import FindingCounts

REPORT_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileEntry(_Model):
    path: str = Field(description="the file as given or found")
    format: str | None = Field(
        description="reader that read it (word-dump, docx, xlsx, csv, yaml, ...); null if unreadable"
    )
    tables: int = Field(description="tables read")
    rows: int = Field(description="indicator rows read")
    errors: list[str] = Field(description="why the file could not be read or checked (empty when it was)")


class FixEntry(_Model):
    text: str = Field(description="the new text of the cell")
    safe: bool = Field(description="safe to apply without review (goallint check --fix)")


class FindingEntry(_Model):
    rule: str = Field(description="rule id, e.g. GL102 (GL001…GL099: a reader problem, one with the document itself)")
    name: str = Field(description="rule name (for a reader problem: its name, e.g. truncated-table)")
    severity: Literal["error", "warning", "info"]
    file: str
    table: int | None = Field(description="position of the table in the file (1-based)")
    table_number: int | None = Field(description="the number printed in the table's title")
    project: str | None = Field(description="项目名称 of the table")
    row: int | None = Field(description="position of the indicator row in the table (1-based); null for table findings")
    line: int | None = Field(description="source line (text dumps, YAML, CSV)")
    sheet: str | None = Field(description="worksheet (xlsx)")
    cell: str | None = Field(description="cell reference (xlsx: G9; docx: 表1 行6 列7)")
    indicator: str | None = Field(description="三级指标, or 绩效指标描述 when there is none")
    level1: str = Field(description="一级指标")
    level2: str = Field(description="二级指标")
    level3: str = Field(description="三级指标")
    description: str = Field(description="绩效指标描述")
    column: str | None = Field(description="column the finding is about (指标值 for most)")
    value: str | None = Field(description="the 指标值 as written")
    target: Target | None = Field(description="the 指标值 as parsed (see `goallint parse --format json`)")
    message: str = Field(description="the message in the report's language")
    fix: FixEntry | None = Field(description="the suggested new text, if the rule has one")


class Summary(_Model):
    files: int
    unreadable: int = Field(description="files that could not be read")
    tables: int
    rows: int
    findings: int
    error: int
    warning: int
    info: int
    fixable: int = Field(description="findings with a safe fix")
    rules: dict[str, int] = Field(description="rule id → number of findings")


class Report(_Model):
    """The output of `goallint check --format json`."""

    model_config = ConfigDict(extra="forbid", title="goallint report")

    version: Literal[1] = Field(description="version of this report format")
    goallint: str = Field(description="version of goallint that wrote it")
    lang: Literal["zh", "en"]
    files: list[FileEntry]
    errors: list[str] = Field(description="configuration and rule-file errors (not tied to one file)")
    findings: list[FindingEntry]
    summary: Summary


# built from a Finding, which holds valid values already: no second validation (one per finding)
_new_entry = constructor(FindingEntry, *FindingEntry.model_fields)
_new_fix = constructor(FixEntry, *FixEntry.model_fields)


def entry_fields(f: Finding, lang: str) -> dict:
    """A finding's FindingEntry as a dict (the fields in the model's order; `fix` a dict too)."""
    loc = f.location
    return {
        "rule": f.rule_id,
        "name": f.rule_name,
        "severity": f.severity,
        "file": loc.file,
        "table": loc.table,
        "table_number": f.table_number,
        "project": f.project,
        "row": loc.row,
        "line": loc.line,
        "sheet": loc.sheet,
        "cell": loc.cell,
        "indicator": (f.level3 or f.description or None),
        "level1": f.level1,
        "level2": f.level2,
        "level3": f.level3,
        "description": f.description,
        "column": loc.column,
        "value": f.value,
        "target": f.target,
        "message": f.message(lang),
        "fix": {"text": f.fix.text, "safe": f.fix.safe} if f.fix is not None else None,
    }


def finding_entry(f: Finding, lang: str) -> FindingEntry:
    fields = entry_fields(f, lang)
    if fields["fix"] is not None:
        fields["fix"] = _new_fix(**fields["fix"])
    return _new_entry(*fields.values())


def build(run, *, lang: str = "zh") -> Report:
    findings = run.findings
    return _report(run, lang, [finding_entry(f, lang) for f in findings], FindingCounts.of(findings))


def _report(run, lang: str, entries: list, counts: FindingCounts) -> Report:
    """The report of `run` (run.RunResult or a finished run.StreamedRun) with these entries; `counts`
    are those of all its findings, which a streamed report writes apart."""
    ok = [r for r in run.files if not r.errors]
    return Report(
        version=REPORT_VERSION,
        goallint=__version__,
        lang=lang,
        files=[
            FileEntry(path=r.path, format=r.format, tables=r.tables, rows=r.rows, errors=r.errors) for r in run.files
        ],
        errors=list(run.errors),
        findings=entries,
        summary=Summary(
            files=len(run.files),
            unreadable=len(run.files) - len(ok),
            tables=sum(r.tables for r in ok),
            rows=sum(r.rows for r in ok),
            findings=sum(counts.severities.values()),
            error=counts.severities["error"],
            warning=counts.severities["warning"],
            info=counts.severities["info"],
            fixable=counts.fixable,
            rules=dict(sorted(counts.rules.items())),
        ),
    )


def write(run, out: TextIO, *, lang: str = "zh", color: bool | None = None) -> None:
    # pydantic writes the same text as json.dumps(indent=2), five times faster (json.dumps has no C
    # encoder with indent); floats may differ in form only (1e-5 for 1e-05) — docs/performance.md
    out.write(build(run, lang=lang).model_dump_json(indent=2) + "\n")


# The streamed report dumps dicts, not FindingEntry objects: the same text (tests/report/test_stream.py
# compares it with the Report model's), 35 % faster, because pydantic serialises a target it meets as
# Any by its own type instead of trying each member of the `Target | None` union.
_FINDINGS = TypeAdapter(dict[str, list[dict[str, Any]]])
# dumped inside {"findings": [...]} at indent 2, the entries stand as deep as in the report: no re-indenting
_OPEN, _CLOSE = b'{\n  "findings": [\n', b"\n  ]\n}"


def findings_json(findings: list[Finding], lang: str) -> bytes:
    """One file's findings as they stand in the report's `findings` list (UTF-8, without the brackets)."""
    if not findings:
        return b""
    data = _FINDINGS.dump_json({"findings": [entry_fields(f, lang) for f in findings]}, indent=2)
    assert data.startswith(_OPEN) and data.endswith(_CLOSE)
    return data[len(_OPEN) : -len(_CLOSE)]


def stream(run, out: TextIO, *, lang: str | None = None, color: bool | None = None) -> None:
    """The same text as `write`, written as files finish (run: run.StreamedRun): each file's findings go to
    a temporary file, and the header (`files`, `errors`, known only at the end) is written before them."""
    import tempfile

    # the findings stay UTF-8 bytes from pydantic to the output: decoding, indenting and re-encoding
    # tens of megabytes of Chinese text as str cost more than making them (docs/performance.md)
    run.render_findings(findings_json, lang)  # in the workers, with --jobs
    with tempfile.TemporaryFile("w+b") as spool:
        first = True
        for result in run:
            final = lang or run.lang
            if result.rendered is not None:
                rendered_lang, data = result.rendered
                if rendered_lang != final:
                    data = findings_json(run.findings_of(result), final)
                elif not isinstance(data, bytes):  # run.Spooled: in a worker's spool file
                    data = data.read()
            elif result.findings:
                data = findings_json(result.findings, final)
            else:
                continue
            spool.write(b"[\n" if first else b",\n")  # apart: joined, a file's megabytes would be copied once more
            spool.write(data)
            first = False
        spool.write(b"[]" if first else b"\n  ]")
        counts = FindingCounts(run.severities, run.rule_counts, run.fixable)
        head = _report(run, lang or run.lang, [], counts).model_dump_json(indent=2)
        before, after = head.split('\n  "findings": []', 1)
        out.write(before + '\n  "findings": ')
        spool.seek(0)
        _copy_utf8(spool, out)
        out.write(after + "\n")


def _copy_utf8(source, out: TextIO) -> None:
    """Copy UTF-8 bytes into a text stream: straight into its buffer when it writes UTF-8 (files, stdout)."""
    import codecs
    import io
    import shutil

    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None) or ""
    if buffer is not None and encoding and codecs.lookup(encoding).name == "utf-8":
        out.flush()
        shutil.copyfileobj(source, buffer)
        buffer.flush()
    else:  # a StringIO, or a terminal in another encoding
        shutil.copyfileobj(io.TextIOWrapper(source, encoding="utf-8", newline="\n"), out)


def json_schema() -> dict:
    schema = Report.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
