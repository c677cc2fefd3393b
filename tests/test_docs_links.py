"""The docs link only to files that exist in the repository; docs/architecture.md links nothing outside it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_relative_links_resolve_inside_the_repository():
    broken = []
    for doc in DOCS:
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue
            path = (doc.parent / target).resolve()
            if not path.exists() or ROOT not in path.parents:
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert broken == []


def test_architecture_names_nothing_outside_the_repository():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert not re.search(r"https?://|\.\./", text)
    for package in ("web", "annotate", "config", "safety", "canonical", "readers", "report", "engine", "fix"):
        assert f"`{package}" in text, package
    for what in ("A rule", "A reader", "An output format", "A reader problem"):
        assert f"**{what}**" in text
