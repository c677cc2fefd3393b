"""Reporters: a check run's results → output, one module per format (text, json, sarif, github, xlsx).

Each module has `write(run, out, *, lang, color)` for a text stream (xlsx: `write(run, path, *, lang)`).
The text formats also have `stream(run, out, *, lang, color)` for a `run.StreamedRun`: the same output,
written as files finish, keeping only counts (xlsx builds its workbook in memory).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

FORMATS = ("text", "json", "sarif", "github", "xlsx", "html")
BINARY = {"xlsx"}


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

    streamed: `run` is a `run.StreamedRun`, checked while the report is written (not for xlsx); lang None:
    the configured language of the first file."""
    module = importlib.import_module(f"goallint.report.{fmt}")
    if fmt in BINARY:
        module.write(run, Path(output), lang=lang)
        return
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
