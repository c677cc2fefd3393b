"""What "parse(render(t)) is equivalent to t" means: the measurable parts agree.

kind; Numeric: comparator, approximate, number, magnitude, unit (registry name);
Range: both ends; Deadline: year, month, day, quarter, half, period, bound and text;
Duration: number, factors, unit, within; Schedule: months, quarters, year;
Mixed: the measure plus before/after. The glyphs as written (comparator_text, unit_text …)
and spans are NOT compared: render writes the canonical glyphs on purpose.
"""

FIELDS = {
    "numeric": ("comparator", "approximate", "number", "magnitude", "unit"),
    "deadline": ("year", "month", "day", "quarter", "half", "period", "bound", "text"),
    "duration": ("number", "factors", "unit", "within"),
    "schedule": ("months", "quarters", "year"),
    "qualitative": ("text",),
}


def measurable(t) -> tuple:
    if t.kind == "range":
        return ("range", measurable(t.low), measurable(t.high))
    if t.kind == "mixed":
        return ("mixed", measurable(t.measure), t.before, t.after)
    fields = FIELDS.get(t.kind, ())
    return (t.kind,) + tuple(getattr(t, f) for f in fields)
