"""The file formats goallint reads and writes: one `Format` record each, in `FORMATS` (from rules/formats.toml).

Every part that needs to know about a format reads it here: the readers' registry (which reader a
file goes to), the folders a check searches, the web page's accepted types, `check --fix` (the
fixer), `check --annotate` and the web page (the annotator), `goallint convert` (the writer), and
the table in docs/formats.md (`python -m goallint.formats docs/formats.md` regenerates it).

A record names its parts by module path and they are imported only when used, so that checking a
text dump never imports python-docx or openpyxl (start-up time matters in a pre-commit hook).

Adding a format is one record in rules/formats.toml plus its module(s); see docs/architecture.md,
"Where to add …".
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from goallint.resources import rules_dir


@dataclass(frozen=True)
class Format:
    """One file format and what goallint can do with it. Every part but the name is optional."""

    name: str  # model.Document.format of what the reader gives; shown in messages and reports
    title: str  # what a drafter calls it, for messages and the docs: "Word（.docx）"
    suffixes: tuple[str, ...]  # lower case with the dot; a file is offered to the reader by these
    recognised_by: str = ""  # how the reader's sniff tells it from the other formats with the suffix (docs)
    # module with `sniff(path, head: bytes) -> bool` (cheap: the first readers.SNIFF_BYTES) and
    # `read(path) -> Document`
    reader: str | None = None
    # module with `apply(data: bytes, edits, document) -> (bytes, skipped)` (goallint/fix/__init__.py)
    fixer: str | None = None
    no_fix_reason: str = ""  # why there is no fixer, told to whoever asks for --fix
    # "module:function" writing an annotated copy: (source, findings, out, *, lang) (goallint/annotate/)
    annotator: str | None = None
    # "module:function" writing a Document: (document, path, *, encoding) (goallint/convert/)
    writer: str | None = None
    writes: tuple[str, ...] = ()  # the suffixes `goallint convert` writes with `writer`

    def load_reader(self) -> ModuleType:
        if self.reader is None:
            raise LookupError(f"{self.name} has no reader")
        return importlib.import_module(self.reader)

    def load_fixer(self) -> ModuleType | None:
        return importlib.import_module(self.fixer) if self.fixer else None

    def annotate_function(self) -> Callable | None:
        return _function(self.annotator) if self.annotator else None

    def write_function(self) -> Callable | None:
        return _function(self.writer) if self.writer else None


def _function(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _load() -> tuple[Format, ...]:
    """The records of rules/formats.toml, in their order (the order files are sniffed in)."""
    with (rules_dir() / "formats.toml").open("rb") as f:
        records = tomllib.load(f)["format"]
    return tuple(
        Format(**(record | {key: tuple(record[key]) for key in ("suffixes", "writes") if key in record}))
        for record in records
    )


FORMATS: tuple[Format, ...] = _load()


def by_name(name: str | None) -> Format | None:
    """The format a Document says it was read as (Document.format), or None (a pasted table, …)."""
    return next((f for f in FORMATS if f.name == name), None)


def readable(suffix: str) -> list[Format]:
    """The formats with a reader that files ending in `suffix` are offered to, in sniffing order."""
    suffix = suffix.lower()
    return [f for f in FORMATS if f.reader and suffix in f.suffixes]


def read_suffixes() -> tuple[str, ...]:
    """Every suffix some reader handles, each once, in registry order."""
    return tuple(dict.fromkeys(s for f in FORMATS if f.reader for s in f.suffixes))


def writer_for(suffix: str) -> Format | None:
    """The format `goallint convert` writes for an output file ending in `suffix`."""
    suffix = suffix.lower()
    return next((f for f in FORMATS if f.writer and suffix in f.writes), None)


def write_suffixes() -> tuple[str, ...]:
    return tuple(s for f in FORMATS if f.writer for s in f.writes)


def annotator_for(path: str | Path) -> Format | None:
    """The format whose annotator marks a copy of `path` (by its suffix), or None."""
    suffix = Path(path).suffix.lower()
    return next((f for f in FORMATS if f.annotator and suffix in f.suffixes), None)


def annotatable() -> list[Format]:
    return [f for f in FORMATS if f.annotator]


def titles(formats: list[Format], sep: str = "、") -> str:
    return sep.join(f.title for f in formats)


# --------------------------------------------------------------------------- docs/formats.md

BEGIN = "<!-- formats:begin: generated from rules/formats.toml by `python -m goallint.formats docs/formats.md` -->"
END = "<!-- formats:end -->"


def markdown_table() -> str:
    """The table of formats in docs/formats.md, between BEGIN and END."""

    def yes(value: object) -> str:
        return "yes" if value else "—"

    lines = [
        "| format | file | suffixes | recognised by | `--fix` | `--annotate` | `convert` writes |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in FORMATS:
        if f.reader is None:
            continue
        suffixes = " ".join(f"`{s}`" for s in f.suffixes)
        writes = " ".join(f"`{s}`" for s in f.writes) or "—"
        fix = yes(f.fixer) if f.fixer or not f.no_fix_reason else f"— ({f.no_fix_reason})"
        lines.append(
            f"| `{f.name}` | {f.title} | {suffixes} | {f.recognised_by} | {fix} | {yes(f.annotator)} | {writes} |"
        )
    return "\n".join(lines) + "\n"


def with_table(text: str) -> str:
    """`text` (docs/formats.md) with the block between BEGIN and END replaced by markdown_table()."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {BEGIN!r} … {END!r} are missing")
    return text[: start + len(BEGIN)] + "\n" + markdown_table() + text[end:]


def main(argv: list[str] | None = None) -> int:
    """`python -m goallint.formats [FILE]`: print the table, or rewrite FILE's generated block."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        sys.stdout.write(markdown_table())
        return 0
    path = Path(args[0])
    text = path.read_text(encoding="utf-8")
    new = with_table(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"{path}: table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
