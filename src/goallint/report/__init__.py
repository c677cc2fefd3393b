"""Reporters: a check run's results → output, one module per format (text, json, sarif, github, xlsx).

Each module has `write(run, out, *, lang, color)` for a text stream (xlsx: `write(run, path, *, lang)`).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

FORMATS = ("text", "json", "sarif", "github", "xlsx")
BINARY = {"xlsx"}


def write(run, fmt: str, output: Path | None = None, *, lang: str = "zh", color: bool | None = None) -> None:
    """Write the report of `run` in format `fmt` to `output` (a file) or stdout."""
    module = importlib.import_module(f"goallint.report.{fmt}")
    if fmt in BINARY:
        module.write(run, Path(output), lang=lang)
        return
    if output is None:
        try:
            module.write(run, sys.stdout, lang=lang, color=color)
            sys.stdout.flush()
        except BrokenPipeError:  # `goallint check … | head`: the reader has gone, stop quietly
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    with Path(output).open("w", encoding="utf-8", newline="\n") as out:
        module.write(run, out, lang=lang, color=False if color is None else color)
