"""GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…,title=…::message` line per finding.

GitHub shows them as annotations on the run and, for files in the pull request, on the changed line.
Escaping follows the runner's rules: in the message `%`, CR and LF are percent-encoded; in property
values also `:` and `,`.
"""

from __future__ import annotations

from typing import TextIO

from goallint.model import Finding
from goallint.report.sarif import logical_name, relative

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def line_for(f: Finding, lang: str) -> str:
    where = logical_name(f, lang)
    text = f.message(lang)
    if f.fix is not None:
        text += f"（建议改为「{f.fix.text}」）" if lang != "en" else f" (suggested: '{f.fix.text}')"
    message = f"{where}: {text}" if where else text
    return command(
        COMMAND[f.severity],
        message,
        file=relative(f.location.file) or f.location.file,
        line=f.location.line,
        title=f"{f.rule_id} {f.rule_name}",
    )


def write(run, out: TextIO, *, lang: str = "zh", color: bool | None = None) -> None:
    for r in run.files:
        for error in r.errors:
            out.write(command("error", error, file=relative(r.path) or r.path, title="goallint") + "\n")
    for error in run.errors:
        out.write(command("error", error, title="goallint") + "\n")
    for f in run.findings:
        out.write(line_for(f, lang) + "\n")


def stream(run, out: TextIO, *, lang: str | None = None, color: bool | None = None) -> None:
    """The same lines as `write`, written as files finish (run: run.StreamedRun); the findings wait in a
    temporary file while the file errors, which come first, are gathered."""
    import shutil
    import tempfile

    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as spool:
        for result in run:
            for f in result.findings:
                spool.write(line_for(f, lang or run.lang) + "\n")
        for r in run.files:
            for error in r.errors:
                out.write(command("error", error, file=relative(r.path) or r.path, title="goallint") + "\n")
        for error in run.errors:
            out.write(command("error", error, title="goallint") + "\n")
        spool.seek(0)
        shutil.copyfileobj(spool, out)
