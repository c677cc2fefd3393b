"""Command line: `goallint parse`, `goallint --version` (more commands join as they are built).

Exit codes: 0 success (no findings), 1 findings at or above the fail level, 2 usage or input errors.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from goallint import __version__
from goallint.formats import annotatable, write_suffixes
from goallint.report import help_text as report_help
from goallint.report import names as report_names

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
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
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
    fiscal_year: Annotated[int | None, typer.Option("--fiscal-year", help="Fiscal year (overrides inference).")] = None,
) -> None:
    """Read tables and print the model: canonical YAML (hand-writable) or full JSON with typed targets."""
    import goallint
    from goallint import canonical
    from goallint.errors import GoallintError
    from goallint.files import expand
    from goallint.reader_problems import problem_kind

    failed = False
    for path in expand(files):
        try:
            document = goallint.read(path, fiscal_year=fiscal_year)
        except GoallintError as error:
            report_error(error)
            failed = True
            continue
        if document.encoding is not None:  # text files: which encoding was detected
            typer.echo(f"{path}: encoding {document.encoding}", err=True)
        if format is ParseFormat.json:
            sys.stdout.write(canonical.dump_json(document) + "\n")
        else:
            sys.stdout.write(canonical.dump_yaml(document))
        for problem in document.problems:
            loc, code = problem.location, problem_kind(problem.code).id
            typer.echo(f"{loc.file}:{loc.line or ''} {code} {problem.code}: {problem.message}", err=True)
    raise typer.Exit(EXIT_ERROR if failed else EXIT_OK)


@app.command()
def convert(
    source: Annotated[Path, typer.Argument(help="Table to read (any supported format).")],
    out: Annotated[
        Path,
        typer.Argument(help=f"File to write, by its suffix: {' '.join(write_suffixes())} (see docs/formats.md)."),
    ],
    fiscal_year: Annotated[int | None, typer.Option("--fiscal-year", help="Fiscal year (overrides inference).")] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="CSV output encoding: utf-8-sig (default), utf-8, gbk.")
    ] = "utf-8-sig",
) -> None:
    """Convert a table file: to canonical YAML/JSON, or to the long layout (.xlsx, .csv)."""
    from goallint.convert import ENCODINGS, warnings_for
    from goallint.convert import convert as run_convert
    from goallint.errors import GoallintError

    if encoding.lower() not in ENCODINGS:
        report_error(f"--encoding {encoding}: use utf-8-sig, utf-8 or gbk")
        raise typer.Exit(EXIT_ERROR)
    try:
        document = run_convert(source, out, fiscal_year=fiscal_year, encoding=encoding)
    except GoallintError as error:
        report_error(error)
        raise typer.Exit(EXIT_ERROR) from None
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


@schema_app.command("rule")
def schema_rule() -> None:
    """JSON Schema (Draft 2020-12) of a rule file (rules/<family>/*.yaml)."""
    import json

    from goallint.engine.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


@schema_app.command("report")
def schema_report() -> None:
    """JSON Schema (Draft 2020-12) of `goallint check --format json` output."""
    import json

    from goallint.report.json import json_schema

    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


@schema_app.command("config")
def schema_config() -> None:
    """JSON Schema of goallint.yaml."""
    import json

    from goallint.config import Settings

    schema = Settings.model_json_schema(by_alias=True, mode="validation")
    sys.stdout.write(
        json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}, ensure_ascii=False, indent=2)
        + "\n"
    )


# --------------------------------------------------------------------------- rules: check, rules, explain, test-rules


class FailLevel(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def _codes(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _print_rule_errors(ruleset) -> None:
    for error in ruleset.errors:
        typer.echo(str(error), err=True)


def _ruleset(dirs: list[Path]):
    """The built-in rules, those of plugins and those of the extra folders `dirs`."""
    from goallint.engine.loader import load_rules

    return load_rules(list(dirs))


# `check --format` choices: the reporters' registry (goallint/report/__init__.py), one member per format
OutputFormat = StrEnum("OutputFormat", {name: name for name in report_names()})


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Tables to check (files or folders).")],
    fiscal_year: Annotated[
        int | None, typer.Option("--fiscal-year", help="Fiscal year (overrides config and inference).")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Rules to run: ids, prefixes (GL2), names; comma-separated.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Rules not to run (added to the config's).")
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option("--extend-select", help="Rules to add to the selection.")
    ] = None,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules folder (repeatable).")] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Configuration file (default: goallint.yaml found upward).")
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore configuration files.")] = False,
    fail_on: Annotated[
        FailLevel | None,
        typer.Option(
            "--fail-on", "--fail-level", help="Exit 1 on findings at or above this severity (default: warning)."
        ),
    ] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="Message language.")] = None,
    color: Annotated[bool | None, typer.Option("--color/--no-color", help="Colour (default: on a terminal).")] = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help=f"Output format ({report_help()}).")
    ] = OutputFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file (required for xlsx).")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel processes (default: the machine's cores).")
    ] = None,
    force_exclude: Annotated[
        bool,
        typer.Option(
            "--force-exclude", help="Apply the config's exclude: patterns to files named on the command line too."
        ),
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout", help="CPU seconds allowed per file, reading and checking (default 120; 0: no limit).", min=0
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the safe fixes in place (only the fixed cells change).")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Show the cells the safe fixes would change, as a diff; write nothing.")
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Baseline file (.json/.yaml): report only findings not recorded in it (created if missing).",
        ),
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Rewrite the --baseline file with the current findings.")
    ] = False,
    show_suppressed: Annotated[
        bool,
        typer.Option(
            "--show-suppressed",
            help="Also list findings silenced by the configuration or the baseline, with the reason.",
        ),
    ] = False,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            metavar="OUTDIR",
            help=f"Write a copy of each {'/'.join(s for f in annotatable() for s in f.suffixes)} file to OUTDIR"
            " with the faulty cells shaded and commented.",
        ),
    ] = None,
) -> None:
    """Check tables against the rules and report findings (exit 0 clean, 1 findings, 2 errors)."""
    from goallint import report
    from goallint.run import CheckOptions, DelayedProgress, default_jobs

    reporter = report.reporter(format.value)
    if reporter.binary and output is None:
        report_error(f"--format {reporter.name} writes a file: give --output FILE{reporter.suffix}")
        raise typer.Exit(EXIT_ERROR)
    # what the streamed run (CheckOptions) and goallint.check both take, under the same names
    given = {
        "select": _codes(select),
        "ignore": _codes(ignore),
        "extend_select": _codes(extend_select),
        "rules": list(rules or []),
        "fiscal_year": fiscal_year,
        "force_exclude": force_exclude,
        "timeout": timeout,
    }
    options = CheckOptions(**given, config=config, no_config=no_config, keep_views=reporter.needs_views)
    progress = DelayedProgress() if sys.stderr.isatty() else None
    if not (fix or diff or baseline or update_baseline or show_suppressed or annotate) and reporter.streams:
        _check_streamed(
            list(files), options, jobs or default_jobs(), progress, format.value, output, lang, color, fail_on
        )
    import goallint

    try:
        result = goallint.check(
            list(files),
            config=config if config is not None else (False if no_config else None),
            jobs=jobs or default_jobs(),
            progress=progress,
            views=reporter.needs_views,
            **given,
        )
    finally:
        if progress is not None:
            progress.close()
    for error in result.errors + [e for f in result.files for e in f.errors]:
        typer.echo(error, err=True)
    use_lang = lang.value if lang else result.lang
    result.config = str(config) if config else ("不使用配置文件" if no_config else "各文件夹的 goallint.yaml（如有）")
    from goallint.fixes_and_baseline import apply_fixes_and_baseline

    if annotate is not None and fix:
        report_error("--annotate marks the files as they are: run it without --fix")
        raise typer.Exit(EXIT_ERROR)
    done = apply_fixes_and_baseline(
        result, options, fix=fix, diff=diff, baseline=baseline, update_baseline=update_baseline, lang=use_lang
    )
    sys.stdout.write(done.out)
    for line in done.notes:
        typer.echo(line, err=True)
    if done.exit_code is not None:
        raise typer.Exit(done.exit_code)
    if annotate is not None:
        from goallint.annotate import annotate_run

        notes, annotate_errors = annotate_run(result, annotate, lang=use_lang)
        for line in notes + annotate_errors:
            typer.echo(line, err=True)
        if annotate_errors:
            result.errors += annotate_errors
    try:
        report.write(result, format.value, output, lang=use_lang, color=color)
        if show_suppressed:
            from goallint.fixes_and_baseline import suppressed_listing

            out = sys.stdout if format.value == "text" and output is None else sys.stderr
            out.write(suppressed_listing(result, lang=use_lang))
    except OSError as error:
        report_error(f"{output}: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None
    raise typer.Exit(
        _exit_code(
            result.failed, fail_on.value if fail_on else result.fail_level, (f.severity for f in result.findings)
        )
    )


def _exit_code(failed: bool, level: str, severities) -> int:
    """2 for input or rule errors, 1 for a finding at or above the fail level, else 0 (README: exit codes)."""
    from goallint.engine.schema import SEVERITY_RANK

    if failed:
        return EXIT_ERROR
    if level != "never" and any(SEVERITY_RANK[s] >= SEVERITY_RANK[level] for s in severities):
        return EXIT_FINDINGS
    return EXIT_OK


def _check_streamed(files, options, jobs, progress, fmt, output, lang, color, fail_on) -> None:
    """`check` with nothing to do after the run but the report: written as files finish (bounded memory)."""
    from goallint import report
    from goallint.run import StreamedRun

    if progress is not None and output is None and sys.stdout.isatty():  # the report itself shows the progress
        progress = None
    run = StreamedRun(files, options, jobs=jobs, progress=progress)
    try:
        report.write(run, fmt, output, lang=lang.value if lang else None, color=color, streamed=True)
    except OSError as error:
        report_error(f"{output}: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None
    finally:
        if progress is not None:
            progress.close()
    for error in run.errors + [e for f in run.files for e in f.errors]:
        typer.echo(error, err=True)
    severities = (s for s, n in run.severities.items() if n)
    raise typer.Exit(_exit_code(run.failed, fail_on.value if fail_on else run.fail_level, severities))


@app.command("rules")
def rules_command(
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules folder (repeatable).")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the rules reference (docs/rules.md).")] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Summary language.")] = Lang.zh,
) -> None:
    """List the rules and the reader problems (GL0xx): id, name, severity, enabled, summary."""
    ruleset = _ruleset(list(rules or []))
    _print_rule_errors(ruleset)
    if markdown:
        from goallint.engine.docs import markdown as to_markdown

        sys.stdout.write(to_markdown(_builtin_only(ruleset)))
    else:
        from rich.console import Console
        from rich.table import Table as RichTable

        from goallint.reader_problems import problem_kinds

        table = RichTable("id", "name", "severity", "enabled", "summary", box=None, show_edge=False)
        for kind in problem_kinds().values():
            table.add_row(kind.id, kind.name, kind.severity, "yes", getattr(kind.summary, lang.value))
        for lr in ruleset.rules:
            r = lr.rule
            table.add_row(r.id, r.name, r.severity, "yes" if r.enabled else "no", getattr(r.summary, lang.value))
        Console(file=sys.stdout, width=200 if not sys.stdout.isatty() else None).print(table)
    raise typer.Exit(EXIT_ERROR if ruleset.errors else EXIT_OK)


def _builtin_only(ruleset):
    from goallint.engine.loader import RuleSet

    return RuleSet(rules=[r for r in ruleset.rules if r.origin == "builtin"], lexicons=ruleset.lexicons)


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="Rule id or name, e.g. GL102.")],
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules folder (repeatable).")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language.")] = Lang.zh,
) -> None:
    """Print a rule's or a reader problem's explanation and examples."""
    from goallint.engine.docs import example_text
    from goallint.reader_problems import by_id as problem_by_id

    ruleset = _ruleset(list(rules or []))
    lr = ruleset.by_id(rule)
    en = lang is Lang.en
    if lr is None and (kind := problem_by_id(rule)) is not None:
        out = [f"{kind.id} {kind.name} ({kind.severity}) — reader problem, rules/reader/problems.yaml", ""]
        out += [kind.summary.en if en else kind.summary.zh, "", kind.explanation_text(lang.value)]
        sys.stdout.write("\n".join(out) + "\n")
        return
    if lr is None:
        report_error(f"no rule {rule!r} (see `goallint rules`)")
        raise typer.Exit(EXIT_ERROR)
    r = lr.rule
    out = [f"{r.id} {r.name} ({r.severity}{'' if r.enabled else ', disabled'}) — {lr.file}", ""]
    out.append(r.summary.en if en else r.summary.zh)
    out.append("")
    out.append(((r.explanation.en if en and r.explanation.en else r.explanation.zh) or "").rstrip())
    out += ["", "Triggers:" if en else "触发：", *[f"  ✗ {example_text(e)}" for e in r.examples.fail]]
    out += ["Does not trigger:" if en else "不触发：", *[f"  ✓ {example_text(e)}" for e in r.examples.pass_]]
    if r.fix is not None:
        out += ["", ("Fix: " if en else "修复：") + ("safe" if r.fix.safe else "suggestion" if en else "建议")]
    sys.stdout.write("\n".join(out) + "\n")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port.", min=0, max=65535)] = 8000,
    max_size: Annotated[float, typer.Option("--max-size", help="Upload limit per request, in MB.", min=0.001)] = 20,
    timeout: Annotated[float, typer.Option("--timeout", help="Time limit per request, in seconds.", min=1)] = 60,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules folder (repeatable).")] = None,
) -> None:
    """Start the local web page: drop a table, see its problems, download an annotated copy."""
    try:
        from goallint import web
        from goallint.web import app as _app  # noqa: F401 — fail here when the web extra is missing
    except ModuleNotFoundError as error:
        report_error(f"goallint serve needs the web extra ({error.name} is missing): pip install 'goallint[web]'")
        raise typer.Exit(EXIT_ERROR) from None
    if not web.is_loopback(host):
        typer.echo(
            f"goallint: warning: listening on {host}: other machines on the network can upload files to this page",
            err=True,
        )
    typer.echo(
        f"goallint serve: http://{'[' + host + ']' if ':' in host else host}:{port}/  (Ctrl+C to stop)", err=True
    )
    web.serve(host=host, port=port, max_size=int(max_size * 1024 * 1024), timeout=timeout, rule_dirs=list(rules or []))


@app.command("test-rules")
def test_rules(
    dirs: Annotated[
        list[Path] | None,
        typer.Argument(help="Rules folders or files to test (default: built-in and configured rules)."),
    ] = None,
) -> None:
    """Run every rule's examples; exit 1 on any missed or unexpected finding."""
    from goallint.engine.examples import run_rule_examples
    from goallint.engine.loader import load_rules

    if dirs:
        ruleset = load_rules(list(dirs))
        wanted = [r for r in ruleset.rules if r.origin == "local"]
    else:
        ruleset = load_rules()
        wanted = list(ruleset.rules)
    for error in ruleset.errors:
        typer.echo(f"{error}", err=True)
    total = 0
    groups: dict[str, list] = {}
    for lr in wanted:
        n, mismatches = run_rule_examples(lr, ruleset)
        total += n
        for m in mismatches:
            groups.setdefault(m.kind, []).append(m)
    titles = {
        "missed": "missed (fail examples that did not trigger the rule)",
        "unexpected": "unexpected (pass examples that triggered the rule)",
    }
    for kind in ("missed", "unexpected", "wrong-fix", "wrong-rows", "wrong-count", "bad-example"):
        if kind in groups:
            typer.echo(f"{titles.get(kind, kind)}:")
            for m in groups[kind]:
                typer.echo(f"  {m}")
    bad = sum(len(v) for v in groups.values())
    typer.echo(f"{len(wanted)} rules, {total} examples, {bad} mismatches, {len(ruleset.errors)} rule file errors")
    raise typer.Exit(1 if bad or ruleset.errors or not wanted else 0)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
