"""Command line: `goallint parse`, `goallint --version` (more commands join as they are built).

Exit codes: 0 success (no findings), 1 findings at or above the fail level, 2 usage or input errors.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from goallint import __version__

app = typer.Typer(
    name="goallint",
    help="预算绩效目标表检查工具 · Linter for Chinese budget performance target tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"goallint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    """预算绩效目标表检查工具 · Linter for Chinese budget performance target tables."""


class ParseFormat(StrEnum):
    yaml = "yaml"
    json = "json"


def report_error(error: Exception) -> None:
    typer.echo(f"goallint: error: {error}", err=True)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="Tables to read (.txt Word dump, …).")],
    format: Annotated[ParseFormat, typer.Option("--format", "-f", help="Output format.")] = ParseFormat.yaml,
    fiscal_year: Annotated[Optional[int], typer.Option("--fiscal-year", help="Fiscal year (overrides inference).")] = None,
) -> None:
    """Read tables and print the model: canonical YAML (hand-writable) or full JSON with typed targets."""
    from goallint import canonical, pipeline
    from goallint.errors import GoallintError
    from goallint.files import expand

    failed = False
    for path in expand(files):
        try:
            document = pipeline.load(path, fiscal_year=fiscal_year)
        except GoallintError as error:
            report_error(error)
            failed = True
            continue
        if format is ParseFormat.json:
            sys.stdout.write(canonical.dump_json(document) + "\n")
        else:
            sys.stdout.write(canonical.dump_yaml(document))
        for problem in document.problems:
            loc = problem.location
            typer.echo(f"{loc.file}:{loc.line or ''} {problem.code}: {problem.message}", err=True)
    raise typer.Exit(EXIT_ERROR if failed else EXIT_OK)


@app.command()
def convert(
    source: Annotated[Path, typer.Argument(help="Table to read (any supported format).")],
    out: Annotated[Path, typer.Argument(help="File to write: .yaml/.yml (canonical), .json (full model), .xlsx or .csv (long layout).")],
    fiscal_year: Annotated[Optional[int], typer.Option("--fiscal-year", help="Fiscal year (overrides inference).")] = None,
    encoding: Annotated[str, typer.Option("--encoding", help="CSV output encoding: utf-8-sig (default), utf-8, gbk.")] = "utf-8-sig",
) -> None:
    """Convert a table file: to canonical YAML/JSON, or to the long layout (.xlsx, .csv)."""
    from goallint.convert import convert as run_convert, warnings_for
    from goallint.errors import GoallintError

    if encoding.lower() not in ("utf-8-sig", "utf-8", "gbk", "gb18030"):
        report_error(f"--encoding {encoding}: use utf-8-sig, utf-8 or gbk")
        raise typer.Exit(EXIT_ERROR)
    try:
        document = run_convert(source, out, fiscal_year=fiscal_year, encoding=encoding)
    except GoallintError as error:
        report_error(error)
        raise typer.Exit(EXIT_ERROR)
    for warning in warnings_for(document, out.suffix.lower()):
        typer.echo(f"goallint: warning: {warning}", err=True)
    typer.echo(f"{source} → {out}（{len(document.tables)} 张表）", err=True)


schema_app = typer.Typer(help="Print JSON Schemas of goallint's file formats.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command("table")
def schema_table() -> None:
    """JSON Schema (Draft 2020-12) of the canonical table file (YAML or JSON)."""
    import json

    from goallint.readers.canonical import json_schema

    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    app()
