"""A reader for tests/test_formats.py: a demo format `.psv` holding canonical YAML, read as format "demo"."""

from __future__ import annotations

import re
from pathlib import Path

from goallint.model import Document
from goallint.readers import canonical


def sniff(path: Path, head: bytes) -> bool:
    return re.search(rb"^goallint\s*:", head, re.M) is not None


def read(path: Path) -> Document:
    return canonical.read(path).model_copy(update={"format": "demo"})
