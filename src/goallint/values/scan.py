"""A fast path before lark for the commonest 指标值 shapes: a whole amount
`[约][≥] number [万] [unit] [以上][左右]` (≥90%, ≤23.38万元, 不少于50家, 约6952平方米, 100%, 5个以上)
and letters with no number (`万元`, `及时足额`: the grammar's `unit_only`, which lark refuses).

lark's LALR parser in pure Python is slow per value; this scanner decides the same values several
times faster (docs/performance.md has the figures, and when it pays). It must decide exactly as lark + build do, and says None (lark decides) otherwise:
* Tokens: a small contextual lexer built from lark's own terminals (grammar/value.lark). After each
  kind of token it tries, in lark's lexing order, every terminal lark's lexer could try there (from
  the LALR table: all the states that token can lead to), so where lark reads 以上 or 年度 it reads
  them too. While the tokens follow SHAPE they are what lark reads (each is one lark's state
  accepts); where no terminal matches, lark's lexer fails as well: LarkError.
* Shape: only the token sequences of the grammar's `numeric` and `unit_only` rules (no 百分之, no
  Chinese numerals): a year, a range, a list, a duration, a date, a sentence are left to lark.
* Fields: from the same functions the tree walk uses (goallint.values.build), so an unknown unit,
  two comparators or a unit without a number raise the same Invalid.
tests/values/test_scan.py checks it against lark value by value.
"""

from __future__ import annotations

import re
from functools import cache

from lark.exceptions import LarkError
from lark.parsers.lalr_analysis import Shift

from goallint.values.build import amount_fields, finish_numeric, set_comparator, unit_only_error
from goallint.values.grammar import parser

ENABLED = True  # off: every value goes to lark (tests and bench/bench_values.py compare the two)

START = "^"
COMPARATOR_TERMINALS = frozenset({"GE", "LE", "GT", "LT", "EQ"})
SUFFIX_TERMINALS = frozenset({"SUFFIX_GE", "SUFFIX_LE", "SUFFIX_LT"})
UNIT_PART_TERMINALS = frozenset({"UCHAR", "YEAR_MARK", "MONTH_MARK", "DAY_MARK"})  # grammar rule `unit_part`


class _Lexers(dict):
    """Previous token's terminal (or START) → one regex of the terminals lark's lexer may read next,
    in lark's order (compiled on first use: a value reaches only a few of them)."""

    def __init__(self) -> None:
        super().__init__()
        lark = parser()
        self.terms = {t.name: t for t in lark.terminals}
        self.kinds = {name: _kind(name) for name in self.terms}
        table = lark.parser.parser.parser.parse_table
        self.follow: dict[str, set[str]] = {
            START: {n for n in table.states[table.start_states["start"]] if n in self.terms}
        }
        for actions in table.states.values():
            for name, (action, state) in actions.items():
                if action is Shift and name in self.terms:
                    self.follow.setdefault(name, set()).update(n for n in table.states[state] if n in self.terms)

    def __missing__(self, prev: str) -> re.Pattern[str]:
        def lark_order(t):  # lark.lexer.BasicLexer sorts its terminals so, and takes the first that matches
            return (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name)

        follow = sorted((self.terms[n] for n in self.follow.get(prev, ())), key=lark_order)
        # after a terminal that only ends a value (左右) nothing may come
        regex = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in follow) or "(?!)"
        self[prev] = lexer = re.compile(regex)
        return lexer


@cache
def _lexers() -> _Lexers:
    return _Lexers()


# The grammar's `numeric: approx? cmp? amount cmp_suffix? approx_suffix?` with `amount: number
# magnitude? unit` and `unit: unit_part+ (SLASH unit_part+)?`, and its `unit_only: cmp? magnitude?
# unit | cmp? magnitude` (a unit or letters with no number), as (where, token) → where next.
SHAPE = {
    ("start", "APPROX"): "approx",
    ("start", "CMP"): "cmp",
    ("start", "NUMBER"): "number",
    ("approx", "CMP"): "approx_cmp",
    ("approx", "NUMBER"): "number",
    ("cmp", "NUMBER"): "number",
    ("approx_cmp", "NUMBER"): "number",  # no 约 before a unit_only
    ("number", "MAG"): "mag",
    ("number", "UNIT"): "unit",
    ("mag", "UNIT"): "unit",
    ("unit", "UNIT"): "unit",
    ("unit", "SLASH"): "slash",
    ("slash", "UNIT"): "rate",
    ("rate", "UNIT"): "rate",
    # unit_only
    ("start", "MAG"): "only_mag",
    ("cmp", "MAG"): "only_mag",
    ("start", "UNIT"): "only_unit",
    ("cmp", "UNIT"): "only_unit",
    ("only_mag", "UNIT"): "only_unit",
    ("only_unit", "UNIT"): "only_unit",
    ("only_unit", "SLASH"): "only_slash",
    ("only_slash", "UNIT"): "only_rate",
    ("only_rate", "UNIT"): "only_rate",
}
for _where in ("number", "mag", "unit", "rate"):
    SHAPE[(_where, "SUFFIX")] = "suffix"
    SHAPE[(_where, "APPROX_SUFFIX")] = "approx_suffix"
SHAPE[("suffix", "APPROX_SUFFIX")] = "approx_suffix"
NUMERIC_ENDS = {"number", "mag", "unit", "rate", "suffix", "approx_suffix"}
UNIT_ONLY_ENDS = {"only_mag", "only_unit", "only_rate"}
UNIT_STEPS = {"unit", "slash", "rate", "only_unit", "only_slash", "only_rate"}
PART = {"approx_cmp": "cmp", "only_mag": "mag"}  # the other steps keep their names


class NoToken(LarkError):
    """Where lark's lexer finds no terminal either (it raises UnexpectedCharacters)."""


def _kind(name: str) -> str:
    if name in COMPARATOR_TERMINALS:
        return "CMP"
    if name in SUFFIX_TERMINALS:
        return "SUFFIX"
    if name in UNIT_PART_TERMINALS:
        return "UNIT"
    return name


def _scan(text: str, off: int) -> tuple[str, dict, dict] | None:
    lexers = _lexers()
    kinds = lexers.kinds
    where = "start"
    parts: dict[str, tuple[str, int, int]] = {}  # approx, cmp, number, mag, suffix, approx_suffix → token
    unit = None
    prev, pos, n = START, 0, len(text)
    while pos < n:
        # the token lark's lexer reads here, then one step along the shape
        m = lexers[prev].match(text, pos)
        if m is None:
            # so far every token is one lark reads too and may be followed by more: no token here for lark either
            raise NoToken(f"no terminal at {pos}")
        prev = m.lastgroup
        a, pos = pos, m.end()
        where = SHAPE.get((where, kinds[prev]))
        if where is None:
            return None
        if where in UNIT_STEPS:
            unit = (unit[0] if unit else a, pos)
        else:
            parts[PART.get(where, where)] = (prev, a, pos)
    if where in UNIT_ONLY_ENDS:
        mag = parts.get("mag")
        raise unit_only_error(text[mag[1] : mag[2]] if mag else None, text[unit[0] : unit[1]] if unit else None)
    if where not in NUMERIC_ENDS:
        return None

    def span(part):
        return part[-2] + off, part[-1] + off

    def word(part):
        return text[part[-2] : part[-1]]

    # the fields, in the order the tree walk makes them (an unknown unit before two comparators)
    f: dict = {}
    spans: dict = {}
    if "approx" in parts:
        f["approximate"] = True
        spans["approximate"] = span(parts["approx"])
    if "cmp" in parts:
        set_comparator(f, spans, parts["cmp"][0], word(parts["cmp"]), span(parts["cmp"]))
    mag = parts.get("mag")
    f.update(
        amount_fields(
            word(parts["number"]),
            span(parts["number"]),
            word(mag) if mag else None,
            span(mag) if mag else None,
            word(unit) if unit else None,
            span(unit) if unit else None,
            spans,
        )
    )
    if "suffix" in parts:
        set_comparator(f, spans, parts["suffix"][0], word(parts["suffix"]), span(parts["suffix"]))
    if "approx_suffix" in parts:
        f["approximate"] = True
        spans["approximate"] = span(parts["approx_suffix"])
    return finish_numeric(f, spans)


def scan(text: str, off: int = 0) -> tuple[str, dict, dict] | None:
    """(kind, fields, spans) exactly as lark + build give for `text`, raising the Invalid or LarkError
    they would raise; None when unsure (then lark decides)."""
    return _scan(text, off) if ENABLED else None
