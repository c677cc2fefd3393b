"""The lark LALR parser for grammar/value.lark, built once on first use."""

from __future__ import annotations

import re
from functools import cache

from lark import Lark

from goallint.resources import grammar_file

# terminals a measurable clause can start with (used to look for one inside a sentence)
ANCHOR_TERMINALS = ("PERCENT_OF", "GE", "LE", "GT", "LT", "EQ", "APPROX", "NUMBER", "CNUM", "YEAR", "ORDINAL")


@cache
def parser() -> Lark:
    text = grammar_file("value.lark").read_text(encoding="utf-8")
    return Lark(text, parser="lalr", lexer="contextual", maybe_placeholders=False, cache=_cache_file())


def _cache_file() -> str | bool:
    """Where lark keeps the built parse tables (it checks the grammar's hash): building them is a
    sixth of a short run's start-up. False (no cache) when the cache is off or cannot be written."""
    from goallint.yamlpos import cache_path

    path = cache_path()
    if path is None:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return str(path.with_name(f"value-grammar-{path.stem}.lark"))


@cache
def anchor_regex() -> re.Pattern[str]:
    """A regex matching at any position where a measurable clause may begin."""
    terms = {t.name: t for t in parser().terminals}
    parts = [terms[name].pattern.to_regexp() for name in ANCHOR_TERMINALS if name in terms]
    return re.compile("|".join(f"(?:{p})" for p in parts))


@cache
def terminal_words(name: str) -> tuple[str, ...]:
    """The literal spellings of a terminal such as GE (for tests and documentation)."""
    term = {t.name: t for t in parser().terminals}[name]
    return tuple(re.findall(r"[^|()?:\\]+", term.pattern.value)) if term.pattern.type == "re" else (term.pattern.value,)
