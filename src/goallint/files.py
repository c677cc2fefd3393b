"""Turn the paths given on the command line into the files to read (folders are searched)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from goallint import readers


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield files as given; for a folder, every file below it that some reader handles, sorted.

    A path that does not exist is yielded as is, so that the reader reports it by name.
    """
    suffixes = {suffix for spec in readers.READERS for suffix in spec.suffixes}
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes and not _hidden(p, path)
            )
        else:
            yield path


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
