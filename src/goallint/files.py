"""Turn the paths given on the command line into the files to read (folders are searched)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from goallint.formats import read_suffixes


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield files as given; for a folder, every file below it that some reader handles, sorted.

    A path that does not exist is yielded as is, so that the reader reports it by name.
    """
    suffixes = set(read_suffixes())
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes and not _hidden(p, path)
            )
        else:
            yield path


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


# goallint's own configuration files are not tables.
CONFIG_NAMES = frozenset({"goallint.yaml", "goallint.yml"})
# Folders never searched: version control, virtual environments, caches.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"})


def collect(paths: Iterable[Path], *, force_exclude: bool = False, settings_for=None) -> list[Path]:
    """The files a check run reads, sorted within each folder, each once.

    Folders are walked (hidden folders and SKIP_DIRS skipped); `exclude:` patterns (gitignore syntax,
    relative to the configuration file's folder) drop files found in folders, and also files named
    on the command line when `force_exclude` is set (as a pre-commit hook does).
    """
    suffixes = set(read_suffixes())
    excluders: dict = {}

    def excluded(path: Path) -> bool:
        if settings_for is None:
            return False
        try:
            settings = settings_for(path)
        except Exception:  # noqa: BLE001 — a broken config is reported when the file is checked
            return False
        patterns = getattr(settings, "exclude", None)
        if not patterns:
            return False
        if settings.source not in excluders:
            import pathspec

            excluders[settings.source] = pathspec.GitIgnoreSpec.from_lines(patterns)
        root = Path(settings.root) if settings.root else Path.cwd()
        try:
            relative = path.resolve().relative_to(root)
        except ValueError:
            return False
        return excluders[settings.source].match_file(relative.as_posix())

    out: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve() if p.exists() else p
        if key not in seen:
            seen.add(key)
            out.append(p)

    for path in paths:
        if path.is_dir():
            found = []
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in names:
                    p = Path(folder) / name
                    if (
                        p.suffix.lower() in suffixes
                        and not name.startswith(".")
                        and name not in CONFIG_NAMES
                        and not excluded(p)
                    ):
                        found.append(p)
            for p in sorted(found):
                add(p)
        elif not (force_exclude and path.exists() and excluded(path)):
            add(path)
    return out
