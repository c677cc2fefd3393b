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
    return Lark(text, parser="lalr", lexer="contextual", maybe_placeholders=False)


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
