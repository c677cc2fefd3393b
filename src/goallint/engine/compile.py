"""Selectors, conditions and fixes compiled once into Python closures over a RowView.

Regexes are compiled, lexicon names resolved and comparisons parsed when a rule is loaded; a
mistake raises CompileError with the path of the offending key, which the loader turns into a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from goallint.engine.compare import YEARS, Comparison, parse_comparison
from goallint.engine.lexicon import Lexicons, Memo, normalize_name
from goallint.engine.schema import COMPARATORS, Condition, Fix, Match, Matcher, Selector, as_list
from goallint.model import IndicatorRow, Mixed, Numeric, Range, Table


class CompileError(ValueError):
    def __init__(self, message: str, loc: tuple):
        super().__init__(message)
        self.message = message
        self.loc = loc


class RuleRuntimeError(RuntimeError):
    """A compiled rule that failed on a row (a regex over its time limit); `loc` is the key's path."""

    def __init__(self, message: str, loc: tuple):
        super().__init__(message)
        self.message = message
        self.loc = loc


REGEX_TIMEOUT = 1.0  # seconds per search: a rule's regex from a stranger's rule pack may backtrack catastrophically


def compile_regex(pattern: str, loc: tuple) -> TextPred:
    """A search with a time limit (the `regex` package; its syntax is a superset of `re`'s)."""
    import regex

    try:
        rx = regex.compile(pattern)
    except regex.error as exc:
        raise CompileError(f"invalid regular expression {pattern!r}: {exc}", loc) from None

    def search(text: str) -> bool:
        try:
            return rx.search(text, timeout=REGEX_TIMEOUT) is not None
        except TimeoutError:
            raise RuleRuntimeError(
                f"regular expression {pattern!r} took longer than {REGEX_TIMEOUT:g} s"
                f" on a text of {len(text)} characters "
                "(catastrophic backtracking?); the rule is skipped for the rest of the run",
                loc,
            ) from None

    return search


@dataclass
class RowView:
    """What conditions look at: a row, its table, the fiscal year and the rule's parameters."""

    row: IndicatorRow
    table: Table | None = None
    fiscal_year: int | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def target(self):
        if self.row.target is None:
            from goallint.values import parse_value

            self.row.target = parse_value(self.row.value)
        return self.row.target

    @cached_property
    def numbers(self) -> list[Numeric]:
        return numbers_of(self.target)


def numbers_of(target) -> list[Numeric]:
    if isinstance(target, Numeric):
        return [target]
    if isinstance(target, Range):
        return [target.low, target.high]
    if isinstance(target, Mixed):
        return numbers_of(target.measure)
    return []


def rest_text(target) -> str:
    kind = getattr(target, "kind", None)
    if kind == "mixed":
        return f"{target.before}{target.after}"
    if kind == "qualitative":
        return target.text
    if kind == "unreadable":
        return target.detail
    if kind == "deadline":
        return target.text
    if kind == "duration":
        return f"{target.before}{target.after}"
    return ""


Pred = Callable[[RowView], bool]
TextPred = Callable[[str], bool]

# --------------------------------------------------------------------------- text matchers


def compile_matcher(m: Matcher, lex: Lexicons, loc: tuple) -> TextPred:
    if isinstance(m, (str, list)):
        return _alias(as_list(m), lex)
    return compile_match(m, lex, loc)


def _alias(names: list[str], lex: Lexicons) -> TextPred:
    wanted = {lex.canonical_name(n) for n in names}
    return _memo(lambda text: lex.canonical_name(text) in wanted)


# Text matchers are pure functions of the text, and a corpus repeats its names and values: each
# compiled matcher remembers its answers (bounded, so memory does not grow with the corpus).
MEMOIZE = True
MEMO_LIMIT = 4096


def _memo(pred: TextPred) -> TextPred:
    if not MEMOIZE:
        return pred
    seen: dict[str, bool] = {}

    def memo(text: str) -> bool:
        found = seen.get(text)
        if found is None:
            if len(seen) >= MEMO_LIMIT:
                seen.clear()
            found = seen[text] = bool(pred(text))
        return found

    return memo


def _all(preds: list) -> Callable:
    """All of `preds` (no generator per call: this runs for every row and rule)."""
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        first, second = preds
        return lambda x: bool(first(x) and second(x))
    preds = tuple(preds)

    def every(x) -> bool:
        return all(p(x) for p in preds)

    return every


def compile_match(m: Match, lex: Lexicons, loc: tuple) -> TextPred:
    preds: list[TextPred] = []
    if m.is_ is not None:
        exact = {s.strip() for s in as_list(m.is_)}
        preds.append(lambda t: t.strip() in exact)
    if m.alias is not None:
        preds.append(_alias(as_list(m.alias), lex))
    if m.contains is not None:
        parts = as_list(m.contains)
        preds.append(lambda t: any(p in t for p in parts))
    if m.regex is not None:
        preds.append(compile_regex(m.regex, (*loc, "regex")))
    if m.lexicon is not None:
        lists = []
        for name in as_list(m.lexicon):
            if name not in lex:
                known = ", ".join(sorted(lex.lists)) or "none"
                raise CompileError(f"unknown lexicon {name!r} (known: {known})", (*loc, "lexicon"))
            lists.append(lex[name])
        preds.append(lambda t: any(lx.found_in(normalize_name(t)) for lx in lists))
    if m.empty is not None:
        want = m.empty
        preds.append(lambda t: (t.strip() == "") is want)
    if m.not_ is not None:
        inner = compile_match(m.not_, lex, (*loc, "not"))
        preds.append(lambda t: not inner(t))
    return _memo(_all(preds)) if preds else (lambda t: True)


# --------------------------------------------------------------------------- selectors

_FIELDS = ("level1", "level2", "level3", "description", "value")


def _any_and_not(node, compile: Callable, lex: Lexicons, loc: tuple, preds: list[Pred]) -> None:
    """Add the `any` (one of the alternatives) and `not` predicates of a selector or condition to
    `preds`, each part compiled by `compile` at its place under `loc`."""
    if node.any is not None:
        alts = [compile(x, lex, (*loc, "any", i)) for i, x in enumerate(node.any)]
        preds.append(lambda v: any(p(v) for p in alts))
    if node.not_ is not None:
        neg = compile(node.not_, lex, (*loc, "not"))
        preds.append(lambda v: not neg(v))


def selector_reads_value(s: Selector) -> bool:
    """Whether a selector looks at the 指标值 (otherwise it decides on the four names alone)."""
    return (
        s.value is not None
        or any(selector_reads_value(x) for x in s.any or ())
        or (s.not_ is not None and selector_reads_value(s.not_))
    )


def compile_selector(s: Selector, lex: Lexicons, loc: tuple = ("selectors",)) -> Pred:
    preds: list[Pred] = []
    for name in _FIELDS:
        m = getattr(s, name)
        if m is not None:
            tp = compile_matcher(m, lex, (*loc, name))
            preds.append(lambda v, tp=tp, name=name: tp(getattr(v.row, name)))
    if s.indicator is not None:
        tp = compile_matcher(s.indicator, lex, (*loc, "indicator"))
        preds.append(lambda v: tp(v.row.level3) or tp(v.row.description))
    _any_and_not(s, compile_selector, lex, loc, preds)
    return _all(preds) if preds else (lambda v: True)


# --------------------------------------------------------------------------- conditions


def _attr_in(attr: str, values: list[str], *, canon: dict[str, str] | None = None) -> Pred:
    none = "none" in values
    wanted = {canon.get(x, x) if canon else x for x in values if x != "none"}

    def pred(v: RowView) -> bool:
        for n in v.numbers:
            x = getattr(n, attr)
            if x is None:
                if none:
                    return True
            elif str(x) in wanted:
                return True
        return False

    return pred


def _bool_any(attr_test: Callable[[Numeric], bool], want: bool) -> Pred:
    def pred(v: RowView) -> bool:
        if not v.numbers:
            return False
        found = any(attr_test(n) for n in v.numbers)
        return found if want else not found

    return pred


def _param(v: RowView, name: str) -> Any:
    return v.params.get(name.lstrip("$"))


def _unit_name(text: str, loc: tuple) -> str:
    from goallint.values.lexicon import lookup_unit

    unit = lookup_unit(text)
    if unit is None:
        raise CompileError(f"unknown unit {text!r} in comparison", loc)
    return unit


def _number_pred(c: Comparison, loc: tuple) -> Pred:
    if c.unit:
        raise CompileError("`number` compares plain numbers; use `quantity` for values with units", loc)
    if c.base.startswith("budget"):
        raise CompileError("compare amounts with the budget through `quantity`", loc)
    f = c.function

    def pred(v: RowView) -> bool:
        rhs = _rhs_number(c, v)
        return rhs is not None and any(f(n.value, rhs) for n in v.numbers)

    return pred


def _rhs_number(c: Comparison, v: RowView) -> float | None:
    if c.base.startswith("$"):
        x = _param(v, c.base)
        return None if x is None else float(x) + c.offset
    if c.base == "fiscal_year":
        return None if v.fiscal_year is None else v.fiscal_year + c.offset
    if c.base in ("period_start", "period_end"):  # the table's 项目期: reading it makes the decision the table's
        period = v.table.period if v.table is not None else None
        year = None if period is None else (period.start if c.base == "period_start" else period.end)
        return None if year is None else year + c.offset
    return float(c.base) + c.offset


def _quantity_pred(c: Comparison, loc: tuple) -> Pred:
    from goallint.units import registry

    if c.base in YEARS:
        raise CompileError(f"`quantity` cannot compare with {c.base}; use `year`", loc)
    unit = _unit_name(c.unit, loc) if c.unit else None
    f = c.function

    def rhs(v: RowView):
        if c.base.startswith("budget"):
            if v.table is None:
                return None
            return getattr(v.table.budget, c.base.split(".")[1])
        x = _rhs_number(c, v)
        if x is None:
            return None
        return registry().Quantity(x, unit) if unit else x

    def pred(v: RowView) -> bool:
        r = rhs(v)
        if r is None:
            return False
        for n in v.numbers:
            if isinstance(r, float):  # no unit on the right: compare the plain number
                if f(n.value, r):
                    return True
                continue
            if n.unit is None:
                continue
            try:
                q = registry().Quantity(n.value, n.unit)
                if f(q.to(r.units).magnitude, r.magnitude):
                    return True
            except Exception:  # noqa: BLE001, S112 - different dimensions never compare: the next number may
                continue
        return False

    return pred


def _year_pred(c: Comparison, loc: tuple) -> Pred:
    if c.unit or c.base.startswith("budget"):
        raise CompileError("`year` compares with a year: '> fiscal_year', '< 2020', '>= $first-year'", loc)
    f = c.function

    def pred(v: RowView) -> bool:
        t = v.target
        if isinstance(t, Mixed):
            t = t.measure
        year = getattr(t, "year", None) if t.kind in ("deadline", "schedule") else None
        if year is None:
            return False
        rhs = _rhs_number(c, v)  # after the year: a row without one is decided without the table (period_end)
        return rhs is not None and f(year, rhs)

    return pred


def compile_condition(c: Condition, lex: Lexicons, loc: tuple = ("conditions",)) -> Pred:
    preds: list[Pred] = []
    if c.all is not None:
        inner = [compile_condition(x, lex, (*loc, "all", i)) for i, x in enumerate(c.all)]
        preds.append(lambda v: all(p(v) for p in inner))
    _any_and_not(c, compile_condition, lex, loc, preds)
    if c.kind is not None:
        kinds = set(as_list(c.kind))
        preds.append(lambda v: v.target.kind in kinds)
    if c.measure_kind is not None:
        mkinds = set(as_list(c.measure_kind))
        preds.append(lambda v: (v.target.measure.kind if isinstance(v.target, Mixed) else v.target.kind) in mkinds)
    if c.comparator is not None:
        preds.append(_attr_in("comparator", as_list(c.comparator), canon=COMPARATORS))
    if c.comparator_text is not None:
        preds.append(_attr_in("comparator_text", as_list(c.comparator_text)))
    if c.unit is not None:
        preds.append(_attr_in("unit", as_list(c.unit)))
    if c.unit_text is not None:
        preds.append(_attr_in("unit_text", as_list(c.unit_text)))
    if c.magnitude_text is not None:
        preds.append(_attr_in("magnitude_text", as_list(c.magnitude_text)))
    if c.dimension is not None:
        preds.append(_attr_in("dimension", as_list(c.dimension)))
    if c.percent is not None:
        preds.append(_bool_any(lambda n: n.unit == "percent", c.percent))
    if c.approximate is not None:
        preds.append(_bool_any(lambda n: n.approximate, c.approximate))
    if c.number is not None:
        preds.append(_number_pred(parse_comparison(c.number), (*loc, "number")))
    if c.quantity is not None:
        preds.append(_quantity_pred(parse_comparison(c.quantity), (*loc, "quantity")))
    if c.year is not None:
        preds.append(_year_pred(parse_comparison(c.year), (*loc, "year")))
    if c.text is not None:
        tp = compile_matcher(c.text, lex, (*loc, "text"))
        preds.append(lambda v: tp(v.row.value))
    if c.rest is not None:
        rp = compile_matcher(c.rest, lex, (*loc, "rest"))
        preds.append(lambda v: rp(rest_text(v.target)))
    if c.flag is not None:
        flags = set(as_list(c.flag))
        # only a qualitative target has flags (asking a pydantic model for a missing attribute is slow)
        preds.append(lambda v: v.target.kind == "qualitative" and not flags.isdisjoint(v.target.flags))
    if c.reason is not None:
        reasons = set(as_list(c.reason))
        preds.append(lambda v: v.target.kind == "unreadable" and v.target.reason in reasons)
    if c.row is not None:
        sp = compile_selector(c.row, lex, (*loc, "row"))
        preds.append(sp)
    if c.written_year is not None:
        preds.append(_written_year_pred(c.written_year, (*loc, "written-year")))
    if c.same_text is not None:
        preds.append(_same_text_pred(c.same_text))
    if c.no_direction is not None:
        want_blank = c.no_direction
        preds.append(lambda v: _no_direction(v.row) == want_blank)
    if c.block is not None:
        blocks = {None if b == "none" else b for b in as_list(c.block)}
        preds.append(lambda v: v.row.block in blocks)
    if c.period is not None:
        want_period = c.period
        preds.append(lambda v: _has_period(v) == want_period)
    if c.param is not None:
        wanted_params = dict(c.param)
        preds.append(lambda v: all(_param(v, k) == x for k, x in wanted_params.items()))
    return _all(preds) if preds else (lambda v: True)


def _has_period(v: RowView) -> bool:
    """The table's 项目期 gives its first and last year."""
    period = v.table.period if v.table is not None else None
    return period is not None and period.start is not None and period.end is not None


def _no_direction(row: IndicatorRow) -> bool:
    """A split target (readers/columns.py) whose 指标性质 cell adds no comparator and no 指标方向 is given."""
    part = row.parts.get("comparator")
    if part is None or part.span[0] != part.span[1] or row.extra.get("direction"):
        return False
    from goallint.readers.columns import comparator_glyph

    return comparator_glyph(part.text) == ""


# A year written as a point in time: 2023年12月底前, 2025年底, 2022年度, 2022年上半年, 2025全年底前,
# 2025年3月, a closing 2022年. Not a year naming a thing: 2024年免除查验费, 《2023年…报告》, 2024年度工作
# (finishing last year’s work, like paying its bills, can be this year’s target).
_TIME_AFTER_YEAR = (
    r"\s*(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月|年?[底末]|年?内(?!蒙)|前|之前|以前|全年|[上下]半年"
    r"|第?[一二三四1-4]\s*季度?|$|[，。；、,;.）)\s]|完成|结束)"
)
_WRITTEN_YEAR = re.compile(rf"(?<!\d)((?:19|20)\d{{2}})\s*(?:年度?(?={_TIME_AFTER_YEAR})|(?=全年|[上下]半年))")


_years_seen = Memo(lambda text: tuple(int(m.group(1)) for m in _WRITTEN_YEAR.finditer(text or "")), MEMO_LIMIT)


def written_years(text: str) -> tuple[int, ...]:
    """The years `text` writes as points in time (see _WRITTEN_YEAR); remembered per text, like the matchers."""
    return _years_seen[text] if MEMOIZE else _years_seen.compute(text)


def _written_year_pred(w, loc: tuple) -> Pred:
    c = parse_comparison(w.compare)
    if c.unit or c.base.startswith("budget"):
        raise CompileError(
            "`written-year` compares with a year: '< fiscal_year', '> fiscal_year + 1'", (*loc, "compare")
        )
    f = c.function
    fields = list(w.in_)

    def pred(v: RowView) -> bool:
        years = [y for name in fields for y in written_years(getattr(v.row, name))]
        if not years:
            return False
        rhs = _rhs_number(c, v)  # after the years: a row without one is decided without the table (period_end)
        return rhs is not None and any(f(y, rhs) for y in years)

    return pred


def _plain(text: str) -> str:
    """Text without whitespace and punctuation, NFKC-normalised: what `same-text` compares."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def _same_text_pred(s) -> Pred:
    field, others = s.field, list(s.as_)

    def pred(v: RowView) -> bool:
        own = _plain(getattr(v.row, field))
        return bool(own) and any(own == _plain(getattr(v.row, o)) for o in others if o != field)

    return pred


# --------------------------------------------------------------------------- fixes


def _pieces(target) -> list[tuple[Numeric, int, tuple[int, int]]]:
    """The numbers of a target: (number, offset of its spans in the cell, its region in the cell).

    A range's ends carry spans relative to the whole range text (their `raw` is the range's);
    a mixed value's measure carries spans relative to the measure.
    """
    if isinstance(target, Numeric):
        return [(target, 0, (0, len(target.raw)))]
    if isinstance(target, Range):
        out = []
        for end in ("low", "high"):
            n = getattr(target, end)
            region = target.spans.get(end)
            if region is None:
                continue
            offset = 0 if n.raw == target.raw else region[0]
            out.append((n, offset, region))
        return out
    if isinstance(target, Mixed) and "measure" in target.spans:
        base = target.spans["measure"][0]
        return [(n, off + base, (r[0] + base, r[1] + base)) for n, off, r in _pieces(target.measure)]
    return []


def compile_fix(fix: Fix) -> Callable[[RowView], str | None]:
    """A function giving the new cell text, or None when the fix does not apply to this value."""

    def apply(v: RowView) -> str | None:
        raw = v.row.value
        target = v.target
        if fix.part == "value" and fix.template is None:
            new = fix.with_ if fix.with_ is not None else fix.map.get(raw.strip())  # type: ignore[union-attr]
            return new if new is not None and new != raw else None
        edits: list[tuple[int, int, str]] = []
        for n, offset, region in _pieces(target):
            if fix.template is not None:
                text = fix.template.format(
                    comparator=n.comparator.value if n.comparator else "",
                    comparator_text=n.comparator_text or "",
                    number=n.number_text,
                    magnitude=n.magnitude_text or "",
                    unit=n.unit_text or "",
                )
                edits.append((region[0], region[1], text))
                continue
            span = n.spans.get(fix.part)
            if span is None:
                continue
            start, end = offset + span[0], offset + span[1]
            old = raw[start:end]
            new = fix.with_ if fix.with_ is not None else (fix.map or {}).get(old)
            if new is not None and new != old:
                edits.append((start, end, new))
        if not edits:
            return None
        out = raw
        for start, end, text in sorted(edits, reverse=True):
            out = out[:start] + text + out[end:]
        return out if out != raw else None

    return apply
