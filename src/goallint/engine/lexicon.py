"""Lexicons the rules share: rules/lexicon/*.yaml (and `lexicon/` in user rule folders).

A lexicon file is a mapping `name`, `description`, `words: [...]`; a file of category names has
`aliases: {canonical name: [alias, ...]}` instead (or as well). Files with neither (form-labels,
column-names: reader data) are not lexicons and are skipped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    description: str
    words: list[str] = Field(default_factory=list)
    aliases: dict[str, list[str]] = Field(default_factory=dict)


@lru_cache(maxsize=1 << 16)  # names repeat across a corpus; pure, so cached
def normalize_name(text: str) -> str:
    """Indicator names compared: NFKC, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class Lexicon:
    name: str
    description: str
    words: tuple[str, ...]
    file: str
    # canonical name → its aliases (category files)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._set = frozenset(self.words)
        # longest first, so that 社会效益指标 is found before 效益
        self._by_length = tuple(sorted(self._set, key=len, reverse=True))
        self._found = Memo(self._search)  # the same names are asked about on every table

    def found_in(self, text: str) -> str | None:
        """The first (longest) word of the list occurring in `text`; one-char words must be the whole text."""
        return self._found[text]

    def _search(self, text: str) -> str | None:
        if text in self._set:
            return text
        for w in self._by_length:
            if len(w) > 1 and w in text:
                return w
        return None


class Memo(dict):
    """text → compute(text), remembered: a hit is a plain dict lookup. Bounded: forgets all when full."""

    LIMIT = 1 << 15

    def __init__(self, compute, limit: int | None = None) -> None:
        super().__init__()
        self.compute = compute
        if limit is not None:
            self.LIMIT = limit

    def __missing__(self, text):
        if len(self) >= self.LIMIT:
            self.clear()
        found = self[text] = self.compute(text)
        return found


@dataclass
class Lexicons:
    lists: dict[str, Lexicon] = field(default_factory=dict)
    # normalised alias → canonical category name
    canonical: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        # raw text → canonical name: checks ask this for every row of every table (a dict, so that a
        # check can look names up without a call: `names = lexicons.canonical_names; names[row.level1]`)
        self.canonical_names: dict[str, str] = Memo(self._canonical)
        self._derived: dict = {}

    def add(self, lexicon: Lexicon) -> None:
        self._reset()  # new aliases: forget remembered names and what was derived from them
        self.lists[lexicon.name] = lexicon
        for name, aliases in lexicon.aliases.items():
            self.canonical.setdefault(normalize_name(name), name)
            for a in aliases:
                self.canonical.setdefault(normalize_name(a), name)

    def _canonical(self, text: str) -> str:
        n = normalize_name(text)
        return self.canonical.get(n, n)

    def canonical_name(self, text: str) -> str:
        """The category name `text` stands for (社会效益 → 社会效益指标); the text itself if unknown."""
        return self.canonical_names[text]

    def derived(self, key, build):
        """What a check computes once from these lexicons (known category names …): `build()`, remembered by `key`."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = build()
        return found

    def __contains__(self, name: str) -> bool:
        return name in self.lists

    def __getitem__(self, name: str) -> Lexicon:
        return self.lists[name]


def load_lexicon_file(path: Path) -> Lexicon | None:
    """A Lexicon, or None for a YAML file of another kind (no words, no aliases). Raises RuleError."""
    from goallint.yamlpos import load_plain, validation_errors

    data, tree_of = load_plain(path)  # cached; the tree only for an error's line
    if not isinstance(data, dict) or ("words" not in data and "aliases" not in data):
        return None
    from pydantic import ValidationError

    try:
        parsed = LexiconFile.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(str(path), exc, tree_of())[0] from None
    words = list(parsed.words)
    for canonical, aliases in parsed.aliases.items():
        words.append(canonical)
        words.extend(aliases)
    return Lexicon(
        name=parsed.name,
        description=parsed.description,
        words=tuple(dict.fromkeys(normalize_name(w) for w in words if w)),
        file=str(path),
        aliases={k: tuple(v) for k, v in parsed.aliases.items()},
    )
