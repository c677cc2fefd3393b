"""Cell text → Target: the whole cell as one measure, else a measure inside a sentence.

Decisions (see also tests/values/test_grammar.py):
* Empty: nothing but whitespace, or only a placeholder: / - — – -- \\ （none of them says anything).
  `无` ("none") is a statement, not a blank: it is Qualitative (binary word list).
* Numeric vs Mixed: the whole cell must be [约][comparator] number [magnitude] [unit] [以上/以下…][左右].
  A cell that begins like a number (comparator glyph or Arabic digit) but runs on into words is
  Unreadable: `unknown_unit` when the words are no unit, `tangled` when a unit is followed by more
  words (`≥1工作日平均每天发送`). A cell that begins with words and holds a measurable clause
  (`考察对象不少于三个地区`, `企业满意度95%`) is Mixed.
* Deadline keeps trailing words in `text` (`2025年3月底前完成拨付`); a bare year followed by words
  (`2025年全部项目预算`) is no deadline: Mixed.
* Duration keeps its anchor words (`合同签署3个月内完成测评工作`) when the cell is one clause;
  with clause punctuation (，；。) it is Mixed.
* Two or more months or quarters with no year (`4月、7月、10月`, `二季度…；四季度…`) are a Schedule.
"""

from __future__ import annotations

import re

from lark.exceptions import LarkError

from goallint.model import Empty, Mixed, Qualitative, Schedule, Unreadable
from goallint.values.build import Invalid, build, make_target
from goallint.values.grammar import anchor_regex, parser
from goallint.values.lexicon import flags_for
from goallint.values.normalize import normalize, raw_span
from goallint.values.scan import scan

EMPTY_MARKS = {"", "/", "-", "—", "–", "--", "——", "\\"}
CLAUSE_PUNCT = re.compile(r"[,，;；。.!！?？:：]")
MAX_MEASURE = 30  # characters: a measurable clause is short
STARTS_AS_NUMBER = re.compile(r"[\d≥≤<>=≧≦⩾⩽.]")


def _try(text: str, off: int = 0):
    """Parse `text` as one measure: (kind, fields, spans), or raise Invalid / LarkError."""
    return scan(text, off) or build(parser().parse(text), off)


def parse(raw: str):
    norm, pos = normalize(raw)
    if norm in EMPTY_MARKS:
        return Empty(raw=raw)

    def to_raw(span):
        return raw_span(pos, span[0], span[1])

    whole_error: Invalid | None = None
    try:
        kind, fields, spans = _try(norm)
        return make_target(kind, fields, spans, raw, to_raw)
    except Invalid as e:
        # kept without its traceback: the traceback holds this frame, whose callers hold the whole
        # document, and the cycle (frame → error → traceback → frame) would keep the document alive
        # until the cycle collector ran — most of the collector's work in a large run
        whole_error = e.with_traceback(None)
    except LarkError:
        pass

    if whole_error is not None and whole_error.reason == "unit_without_number":
        return Unreadable(raw=raw, reason="unit_without_number", detail=whole_error.detail)
    if (
        whole_error is not None
        and whole_error.reason in ("unknown_unit", "tangled", "other")
        and STARTS_AS_NUMBER.match(norm)
    ):
        return Unreadable(raw=raw, reason=whole_error.reason, detail=whole_error.detail)

    found = _find_measures(norm)
    if not found:
        if whole_error is not None and whole_error.reason not in ("no_measure",) and STARTS_AS_NUMBER.match(norm):
            return Unreadable(
                raw=raw,
                reason=whole_error.reason if whole_error.reason != "no_measure" else "other",
                detail=whole_error.detail,
            )
        if STARTS_AS_NUMBER.match(norm):
            return Unreadable(raw=raw, reason="other", detail="starts with a number but reads as no measure")
        return Qualitative(raw=raw, text=raw.strip(), flags=flags_for(norm))

    # several months / quarters without a year → a schedule
    dates = [f for (k, f, s, i, j) in found if k == "deadline"]
    if len(found) >= 2 and len(dates) == len(found) and all(set(f) <= {"month", "quarter"} and f for f in dates):
        months = [f["month"] for f in dates if "month" in f]
        quarters = [f["quarter"] for f in dates if "quarter" in f]
        spans = {f"part{n + 1}": to_raw((i, j)) for n, (k, f, s, i, j) in enumerate(found)}
        return Schedule(raw=raw, spans=spans, months=months, quarters=quarters)

    kind, fields, spans, i, j = max(found, key=_score)
    before, after = norm[:i], norm[j:]
    before_raw = raw[: pos[i]].strip() if i else ""
    after_raw = raw[pos[j - 1] + 1 :].strip() if j < len(norm) else ""

    if kind == "deadline" and i == 0 and _is_deadline(fields):
        fields = dict(fields, text=after_raw)
        if after:
            spans = dict(spans, text=(j, len(norm)))
        return make_target(kind, fields, spans, raw, to_raw)
    if kind == "duration" and not CLAUSE_PUNCT.search(norm):
        fields = dict(fields, before=before_raw, after=after_raw)
        if before:
            spans = dict(spans, before=(0, i))
        if after:
            spans = dict(spans, after=(j, len(norm)))
        return make_target(kind, fields, spans, raw, to_raw)

    sub_raw = raw[pos[i] : pos[j - 1] + 1]
    base = pos[i]

    def to_sub(span):
        a, b = raw_span(pos, span[0], span[1])
        return a - base, b - base

    measure = make_target(kind, fields, spans, sub_raw, to_sub)
    outer = {"measure": to_raw((i, j))}
    if before:
        outer["before"] = to_raw((0, i))
    if after:
        outer["after"] = to_raw((j, len(norm)))
    for k, v in spans.items():
        if not isinstance(v, tuple):
            continue
        outer.setdefault(k, to_raw(v))
    return Mixed(raw=raw, spans=outer, measure=measure, before=before_raw, after=after_raw)


def _is_deadline(f: dict) -> bool:
    """A date that says when: more than a bare year."""
    return bool(set(f) & {"month", "quarter", "half", "period", "bound", "day"})


def _meaningful(kind: str, f: dict, text: str) -> bool:
    if kind == "numeric":
        has_digit = any(c.isdigit() for c in text)
        return bool(f.get("unit") or f.get("comparator") or f.get("magnitude", 1) != 1 or f.get("approximate")) and (
            has_digit or f.get("unit") is not None
        )
    if kind == "deadline":
        return bool(f)
    return True


def _find_measures(norm: str) -> list[tuple]:
    """Measurable clauses in the text, left to right, non-overlapping; each the longest at its start."""
    found = []
    anchors = anchor_regex()
    i, n = 0, len(norm)
    while i < n:
        if not anchors.match(norm, i):
            i += 1
            continue
        hit = None
        for j in range(min(n, i + MAX_MEASURE), i, -1):
            try:
                kind, fields, spans = _try(norm[i:j], i)
            except (Invalid, LarkError):
                continue
            if _meaningful(kind, fields, norm[i:j]):
                hit = (kind, fields, spans, i, j)
                break
        if hit:
            found.append(hit)
            i = hit[4]
        else:
            i += 1
    return found


def _score(hit: tuple) -> tuple:
    kind, fields, spans, i, j = hit
    comparator = kind == "numeric" and fields.get("comparator") is not None
    return (comparator, kind != "deadline" or _is_deadline(fields), j - i, -i)
