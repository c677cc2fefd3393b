"""Write a Document as canonical YAML (the form to keep in git) or as the full-model JSON."""

from __future__ import annotations

from pathlib import Path

from goallint.model import Document


def write_yaml(document: Document, path: str | Path, *, encoding: str | None = None) -> None:
    """canonical.dump_yaml, UTF-8 (`encoding` is for CSV only)."""
    from goallint import canonical

    Path(path).write_text(canonical.dump_yaml(document), encoding="utf-8")


def write_json(document: Document, path: str | Path, *, encoding: str | None = None) -> None:
    """canonical.dump_json, typed targets included, UTF-8 (`encoding` is for CSV only)."""
    from goallint import canonical

    Path(path).write_text(canonical.dump_json(document) + "\n", encoding="utf-8")
