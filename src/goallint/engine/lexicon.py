"""Lexicons the rules share: rules/lexicon/*.yaml (and `lexicon/` in user rule folders).

A lexicon file is a mapping `name`, `description`, `words: [...]`; a file of category names has
`aliases: {canonical name: [alias, ...]}` instead (or as well). Files with neither (form-labels,
column-names: reader data) are not lexicons and are skipped.
"""

from __future__ import annotations

import re
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
    # category files: patterns of what tables write into a category name that is not the name (a weight,
    # `产出指标(70分)`), removed before the name is looked up; and the suffix a name may leave off (指标)
    decorations: list[str] = Field(default_factory=list)
    suffix: str | None = None


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
    decorations: tuple[str, ...] = ()  # regular expressions (category files)
    suffix: str | None = None

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
    # what a category name may carry that is not the name (`(70分)`), and the suffixes it may leave off
    decorations: list[re.Pattern] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)

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
        self.decorations.extend(re.compile(p) for p in lexicon.decorations)
        if lexicon.suffix and lexicon.suffix not in self.suffixes:
            self.suffixes.append(lexicon.suffix)

    def _canonical(self, text: str) -> str:
        n = normalize_name(text)
        found = self.canonical.get(n)
        if found is not None:
            return found
        # `满意度指标(10分)`, `成本指标（0-20分）`: the name without what is written around it
        bare = n
        for pattern in self.decorations:
            bare = pattern.sub("", bare)
        found = self.canonical.get(bare)
        if found is None:  # `社会效益` without an alias of its own: the name with the suffix
            found = next((self.canonical[bare + s] for s in self.suffixes if bare + s in self.canonical), None)
        return found or bare

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
    from goallint.engine.yamlpos import load_plain, validation_errors

    data, tree_of = load_plain(path)  # cached; the tree only for an error's line
    if not isinstance(data, dict) or ("words" not in data and "aliases" not in data):
        return None
    from pydantic import ValidationError

    try:
        parsed = LexiconFile.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(str(path), exc, tree_of())[0] from None
    for pattern in parsed.decorations:
        try:
            re.compile(pattern)
        except re.error as exc:
            from goallint.engine.yamlpos import RuleError

            raise RuleError(str(path), f"decorations: {pattern!r} is not a regular expression ({exc})") from None
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
        decorations=tuple(parsed.decorations),
        suffix=parsed.suffix,
    )
