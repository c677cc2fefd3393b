"""Lark tree → Target (the transformer), on a slice of the normalised text.

Spans are first computed in normalised coordinates; `finish` maps them to the raw text.
A tree that parses but does not make sense (unknown unit, month 13) raises Invalid.
"""

from __future__ import annotations

from lark import Token, Tree

from goallint.model import Comparator, Deadline, Duration, Numeric, Range, Schedule
from goallint.values.lexicon import base_of, dimension_of, known_prefix, lookup_unit
from goallint.values.numbers import parse_number

COMPARATORS = {
    "GE": Comparator.GE,
    "SUFFIX_GE": Comparator.GE,
    "LE": Comparator.LE,
    "SUFFIX_LE": Comparator.LE,
    "GT": Comparator.GT,
    "LT": Comparator.LT,
    "SUFFIX_LT": Comparator.LT,
    "EQ": Comparator.EQ,
}
MAGNITUDES = {"千": 1000, "万": 10000, "亿": 100000000, "百万": 1000000, "千万": 10000000}


class Invalid(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def _tokens(tree: Tree | Token) -> list[Token]:
    if isinstance(tree, Token):
        return [tree]
    return [t for child in tree.children for t in _tokens(child)]


def _span(tree: Tree | Token, off: int) -> tuple[int, int]:
    toks = _tokens(tree)
    return toks[0].start_pos + off, toks[-1].end_pos + off


def _text(tree: Tree | Token) -> str:
    return "".join(str(t) for t in _tokens(tree))


def _sub(tree: Tree, name: str) -> Tree | None:
    for c in tree.children:
        if isinstance(c, Tree) and c.data == name:
            return c
    return None


def _subtoken(tree: Tree, *types: str) -> Token | None:
    for c in tree.children:
        if isinstance(c, Token) and c.type in types:
            return c
    return None


def _int(tree: Tree, lo: int, hi: int) -> int:
    v = parse_number(_text(tree))
    if v != int(v) or not lo <= v <= hi:
        raise Invalid("other", f"{_text(tree)} out of range")
    return int(v)


# ------------------------------------------------------------------ amounts


def amount(tree: Tree, off: int, spans: dict) -> dict:
    """number [magnitude] [unit] → fields of a Numeric (without comparator)."""
    num = _sub(tree, "number")
    mag = _sub(tree, "magnitude")
    unit = _sub(tree, "unit")
    return amount_fields(
        _text(num),
        _span(num, off),
        _text(mag) if mag else None,
        _span(mag, off) if mag else None,
        _text(unit) if unit else None,
        _span(unit, off) if unit else None,
        spans,
    )


def amount_fields(number_text: str, number_span, mag_text, mag_span, unit_text, unit_span, spans: dict) -> dict:
    """The fields of an amount from its written parts (shared by the tree walk and goallint.values.scan)."""
    f: dict = {"number": parse_number(number_text), "number_text": number_text}
    spans["number"] = number_span
    unit_name = None
    if mag_text and unit_text and lookup_unit(mag_text + unit_text):
        # 万元, 亿元, 万平米: the compound is a unit of its own
        unit_text = mag_text + unit_text
        unit_name = lookup_unit(unit_text)
        spans["unit"] = (mag_span[0], unit_span[1])
        mag_text = None
    elif unit_text:
        unit_name = lookup_unit(unit_text)
        if unit_name is None:
            prefix = known_prefix(unit_text)
            if prefix:
                raise Invalid("tangled", unit_text)
            raise Invalid("unknown_unit", unit_text)
        spans["unit"] = unit_span
    if mag_text:
        f["magnitude"] = MAGNITUDES[mag_text]
        f["magnitude_text"] = mag_text
        spans["magnitude"] = mag_span
    f["unit"] = unit_name
    f["unit_text"] = unit_text
    return f


def complete_numeric(f: dict) -> dict:
    value = f["number"] * f.get("magnitude", 1)
    if f.get("unit"):
        f["dimension"] = dimension_of(f["unit"])
        f["base_value"], f["base_unit"] = base_of(value, f["unit"])
    else:
        f["dimension"] = None
        f["base_value"], f["base_unit"] = value, None
    return f


def numeric(tree: Tree, off: int) -> tuple[str, dict, dict]:
    spans: dict = {}
    f: dict = {}
    for c in tree.children:
        if isinstance(c, Token) and c.type in COMPARATORS:
            set_comparator(f, spans, c.type, str(c), (c.start_pos + off, c.end_pos + off))
        elif isinstance(c, Tree) and c.data in ("approx", "approx_suffix"):
            f["approximate"] = True
            spans["approximate"] = _span(c, off)
        elif isinstance(c, Tree) and c.data == "amount":
            f.update(amount(c, off, spans))
        elif isinstance(c, Tree) and c.data == "percent_of":
            word, num = c.children
            f.update(number=parse_number(_text(num)), number_text=_text(num), unit="percent", unit_text=str(word))
            spans["number"] = _span(num, off)
            spans["unit"] = (word.start_pos + off, word.end_pos + off)
    return finish_numeric(f, spans)


def set_comparator(f: dict, spans: dict, terminal: str, text: str, span: tuple[int, int]) -> None:
    if "comparator" in f:
        raise Invalid("other", "two comparators")
    f["comparator"] = COMPARATORS[terminal]
    f["comparator_text"] = text
    spans["comparator"] = span


def finish_numeric(f: dict, spans: dict) -> tuple[str, dict, dict]:
    """Base value and dimension; a bare month such as `12月` becomes a deadline."""
    complete_numeric(f)
    # a bare `12月` is a month, not twelve months
    if (
        f.get("unit_text") == "月"
        and "comparator" not in f
        and not f.get("approximate")
        and "magnitude" not in f
        and f["number"] == int(f["number"])
        and 1 <= f["number"] <= 12
    ):
        return "deadline", {"month": int(f["number"])}, {"month": spans["number"]}
    return "numeric", f, spans


def range_(tree: Tree, off: int) -> tuple[str, dict, dict]:
    amounts = [c for c in tree.children if isinstance(c, Tree) and c.data == "amount"]
    sl: dict = {}
    sh: dict = {}
    lo = amount(amounts[0], off, sl)
    hi = amount(amounts[1], off, sh)
    if lo.get("unit") is None and "magnitude" not in lo and hi.get("unit"):
        lo["unit"], lo["unit_text"] = hi["unit"], None  # 3-5个: the unit is written once
    approximate = any(isinstance(c, Tree) and c.data == "approx" for c in tree.children)
    for f in (lo, hi):
        complete_numeric(f)
        f["approximate"] = approximate
    if lo.get("dimension") != hi.get("dimension"):
        raise Invalid("other", "range ends in different units")
    spans = {
        "low": (sl["number"][0], max(s[1] for s in sl.values())),
        "high": (sh["number"][0], max(s[1] for s in sh.values())),
    }
    return "range", {"low": (lo, sl), "high": (hi, sh)}, spans


def duration(tree: Tree, off: int) -> tuple[str, dict, dict]:
    spans: dict = {}
    f: dict = {}
    within = _subtoken(tree, "WITHIN")
    prod = _sub(tree, "product")
    if prod is not None:
        nums = [c for c in prod.children if isinstance(c, Tree)]
        factors = [parse_number(_text(n)) for n in nums]
        total = 1.0
        for x in factors:
            total *= x
        f.update(number=total, number_text=_text(prod), factors=factors)
        spans["number"] = _span(prod, off)
        unit = _sub(tree, "unit")
        f["unit_text"] = _text(unit)
        f["unit"] = lookup_unit(f["unit_text"])
        spans["unit"] = _span(unit, off)
        if f["unit"] is None:
            raise Invalid("unknown_unit", f["unit_text"])
    else:
        a = amount(_sub(tree, "amount"), off, spans)
        if a.get("magnitude", 1) != 1 or a.get("unit") is None:
            raise Invalid("other", "not a time window")
        f.update(number=a["number"], number_text=a["number_text"], unit=a["unit"], unit_text=a["unit_text"])
    if dimension_of(f["unit"]) != "time":
        raise Invalid("other", "not a time window")
    if within is not None:
        f["within"] = True
        spans["within"] = (within.start_pos + off, within.end_pos + off)
    f["base_value"] = base_of(f["number"], f["unit"])[0]
    return "duration", f, spans


# ------------------------------------------------------------------ dates

PERIODS = {
    "YEAR_END": "year_end",
    "WITHIN_YEAR": "within_year",
    "FULL_YEAR": "full_year",
    "FULL_YEAR_END": "year_end",
}


def deadline(tree: Tree, off: int) -> tuple[str, dict, dict]:
    f: dict = {}
    spans: dict = {}
    for c in tree.children:
        if isinstance(c, Token) and c.type == "HALF_WORD":
            f["half"] = 1 if str(c).startswith("上") else 2
            spans["half"] = (c.start_pos + off, c.end_pos + off)
            continue
        if not isinstance(c, Tree):
            continue
        if c.data == "year_part":
            y = c.children[0]
            f["year"] = int(str(y))
            spans["year"] = _span(c, off)
            nd = _subtoken(c, "NIANDU")
            if nd is not None:
                f["period"], f["period_text"] = "full_year", str(nd)
                spans["period"] = (nd.start_pos + off, nd.end_pos + off)
        elif c.data == "month_part":
            inner = c.children[0]
            if isinstance(inner, Tree) and inner.data == "month_end":
                c = inner
            else:
                f["month"] = _int(inner, 1, 12)
                spans["month"] = _span(c, off)
                continue
        if c.data == "month_end":
            f["month"] = _int(c.children[0], 1, 12)
            spans["month"] = _span(c.children[0], off)
            end = c.children[1]
            f["period"], f["period_text"] = "month_end", str(end)
            spans["period"] = (end.start_pos + off, end.end_pos + off)
        elif c.data == "day_part":
            f["day"] = _int(c.children[0], 1, 31)
            spans["day"] = _span(c, off)
        elif c.data == "quarter_part":
            num = _sub(c, "number")
            f["quarter"] = _int(num, 1, 4)
            spans["quarter"] = _span(c, off)
            end = _subtoken(c, "QUARTER_END")
            if end is not None:
                f["period"], f["period_text"] = "quarter_end", str(end)
        elif c.data == "year_period":
            tok = c.children[0]
            f["period"], f["period_text"] = PERIODS[tok.type], str(tok)
            spans["period"] = (tok.start_pos + off, tok.end_pos + off)
        elif c.data == "bound":
            tok = c.children[0]
            f["bound"], f["bound_text"] = "before", str(tok)
            spans["bound"] = (tok.start_pos + off, tok.end_pos + off)
    for c in tree.children:
        if isinstance(c, Token) and c.type == "BOUND_BEFORE":
            f["bound"], f["bound_text"] = "before", str(c)
            spans["bound"] = (c.start_pos + off, c.end_pos + off)
    if "day" in f and "month" in f:
        import calendar

        if f["day"] > calendar.monthrange(f.get("year") or 2024, f["month"])[1]:
            raise Invalid("other", "no such day")
    return "deadline", f, spans


def month_list(tree: Tree, off: int) -> tuple[str, dict, dict]:
    months = []
    spans: dict = {}
    for i, c in enumerate(x for x in tree.children if isinstance(x, Tree)):
        s: dict = {}
        a = amount(c, off, s)
        if a.get("unit_text") != "月" or "magnitude" in a:
            raise Invalid("other", "not a list of months")
        n = a["number"]
        if n != int(n) or not 1 <= n <= 12:
            raise Invalid("other", "not a month")
        months.append(int(n))
        spans[f"month{i + 1}"] = _span(c, off)
    return "schedule", {"months": months}, spans


def unit_only(tree: Tree, off: int) -> tuple[str, dict, dict]:
    mag = _sub(tree, "magnitude")
    unit = _sub(tree, "unit")
    raise unit_only_error(_text(mag) if mag is not None else None, _text(unit) if unit is not None else None)


def unit_only_error(mag_text: str | None, unit_text: str | None) -> Invalid:
    """`万元`, `%`: a unit with no number; `及时足额`: letters that are no unit, no measure at all."""
    text = (mag_text or "") + (unit_text or "")
    if (
        (unit_text is not None and lookup_unit(unit_text))
        or (mag_text is not None and unit_text is None)
        or lookup_unit(text)
    ):
        return Invalid("unit_without_number", text)
    return Invalid("no_measure", text)


BUILDERS = {
    "numeric": numeric,
    "range": range_,
    "duration": duration,
    "deadline": deadline,
    "month_list": month_list,
    "unit_only": unit_only,
}


def build(tree: Tree, off: int = 0) -> tuple[str, dict, dict]:
    """(kind, fields, spans in normalised coordinates)."""
    return BUILDERS[tree.data](tree, off)


def make_target(kind: str, fields: dict, spans: dict, raw: str, to_raw) -> object:
    """Instantiate the Target; `to_raw` maps a normalised span to a span in `raw`."""
    rs = {k: to_raw(v) for k, v in spans.items()}
    if kind == "numeric":
        return Numeric(raw=raw, spans=rs, **fields)
    if kind == "duration":
        return Duration(raw=raw, spans=rs, **fields)
    if kind == "deadline":
        return Deadline(raw=raw, spans=rs, **fields)
    if kind == "schedule":
        return Schedule(raw=raw, spans=rs, **fields)
    if kind == "range":
        lo, sl = fields["low"]
        hi, sh = fields["high"]
        return Range(
            raw=raw,
            spans=rs,
            low=Numeric(raw=raw, spans={k: to_raw(v) for k, v in sl.items()}, **lo),
            high=Numeric(raw=raw, spans={k: to_raw(v) for k, v in sh.items()}, **hi),
        )
    raise ValueError(kind)
