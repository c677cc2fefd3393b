"""Reporters: a check run's results → output, one module per format, one `Reporter` record each.

`REPORTERS` is the registry of output formats: `check --format` offers its names (the CLI's choices,
help and errors come from it), `write` picks the module from it. A text reporter module has
`write(run, out, *, lang, color)` for a text stream and, when it `streams`, `stream(run, out, *, lang,
color)` for a `run.StreamedRun`: the same output, written as files finish, keeping only counts. A
binary one (xlsx) has `write(run, path, *, lang)` and needs a file (`--output`).

Adding an output format: a module here and its record below; docs/report-formats.md describes it.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class Reporter:
    """One output format of `goallint check`."""

    name: str  # the --format value
    module: str  # the renderer: a module with write() (and stream() when it streams)
    suffix: str  # the file suffix a report in this format is given by default (web downloads, …)
    streams: bool = True  # written as files finish (bounded memory); False: built from the whole run
    binary: bool = False  # bytes written to a file, never to stdout: --output is required
    needs_views: bool = False  # shows the tables themselves: the check keeps each table's view (run.py)
    summary: str = ""  # what it is for, in the CLI help

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


REPORTERS: tuple[Reporter, ...] = (
    Reporter("text", "goallint.report.text", ".txt", summary="grouped by file and table, for a terminal"),
    Reporter("json", "goallint.report.json", ".json", summary="one object (goallint schema report)"),
    Reporter("sarif", "goallint.report.sarif", ".sarif", summary="SARIF 2.1.0 for code scanning"),
    Reporter("github", "goallint.report.github", ".txt", summary="GitHub Actions annotations"),
    Reporter("xlsx", "goallint.report.xlsx", ".xlsx", streams=False, binary=True, summary="a workbook; needs --output"),
    Reporter(
        "html",
        "goallint.report.html",
        ".html",
        streams=False,
        needs_views=True,
        summary="one page with the tables and their faulty cells marked",
    ),
)


def reporter(name: str) -> Reporter:
    """The record of an output format; ValueError listing the formats for an unknown name."""
    for r in REPORTERS:
        if r.name == name:
            return r
    raise ValueError(f"unknown report format {name!r}; choose from {', '.join(names())}")


def names() -> tuple[str, ...]:
    return tuple(r.name for r in REPORTERS)


def help_text() -> str:
    """The formats and what each is for, for `--format`'s help."""
    return "; ".join(f"{r.name}: {r.summary}" for r in REPORTERS)


def write(
    run,
    fmt: str,
    output: Path | None = None,
    *,
    lang: str | None = "zh",
    color: bool | None = None,
    streamed: bool = False,
) -> None:
    """Write the report of `run` in format `fmt` to `output` (a file) or stdout.

    streamed: `run` is a `run.StreamedRun`, checked while the report is written (only for a format that
    streams); lang None: the configured language of the first file."""
    spec = reporter(fmt)
    module = spec.load()
    if spec.binary:
        if output is None:
            raise ValueError(f"--format {fmt} writes a file: give --output FILE{spec.suffix}")
        module.write(run, Path(output), lang=lang)
        return
    if streamed and not spec.streams:
        raise ValueError(f"--format {fmt} is built from the whole run and cannot be streamed")
    writer = module.stream if streamed else module.write
    if output is None:
        try:
            writer(run, sys.stdout, lang=lang, color=color)
            sys.stdout.flush()
        except BrokenPipeError:  # `goallint check … | head`: the reader has gone, stop quietly
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    with Path(output).open("w", encoding="utf-8", newline="\n") as out:
        writer(run, out, lang=lang, color=False if color is None else color)
