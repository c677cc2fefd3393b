"""Target and description swapped (GL608): the 指标值 says nothing measurable while the 绩效指标描述
holds exactly what the row's category needs — a deadline in a 时效指标 row, a count in a 数量指标 row.

The description is read by the value parser like a value; it counts only when the whole cell is
that kind of target (a `mixed` sentence with a number inside is a real description). A value that
is a plain completion word (`完成`) beside a date in the name or description is a complete row, not
a swap: the completion word is the target and the date says when.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from goallint.engine.checks import CheckContext, Hit, register_check
from goallint.engine.compile import numbers_of
from goallint.values import parse_value

# category → what its target is: target kinds, or numeric dimensions (count, currency, ratio)
NEEDS = {
    "时效指标": ["deadline", "duration"],
    "数量指标": ["count"],
    "成本指标": ["currency"],
    "经济成本指标": ["currency"],
}
_KIND_WORDS = {"deadline": "完成时限", "duration": "时长", "count": "数量", "currency": "金额", "ratio": "比率"}


def _validate(params: dict) -> tuple[str, str] | None:
    try:
        re.compile(str(params.get("completion", "")))
    except re.error as exc:
        return "completion", f"invalid regular expression: {exc}"
    needs = params.get("needs", NEEDS)
    if not isinstance(needs, dict) or not all(isinstance(v, list) for v in needs.values()):
        return "needs", "expected a mapping of 二级指标 to a list of target kinds or dimensions"
    return None


def _what(target) -> str | None:
    """The kind of a whole-cell target: deadline / duration, or a plain number's dimension."""
    kind = target.kind
    if kind in ("deadline", "duration"):
        return kind
    if kind in ("numeric", "range"):
        dims = {n.dimension for n in numbers_of(target)}
        return dims.pop() if len(dims) == 1 else None
    return None


def _prepared(ctx: CheckContext) -> tuple[dict[str, set[str]], re.Pattern]:
    """The rule's `needs` by canonical category and its `completion` pattern, worked out once per rule
    (per parameters and lexicons), not per table."""
    params = ctx.params

    def build():
        needs = {ctx.canonical(k): set(v) for k, v in (params.get("needs") or NEEDS).items()}
        return params, needs, re.compile(str(params.get("completion") or r"^$"))

    # keyed by the parameters' id: the entry holds the parameters, so no other dict can take that id
    _, needs, completion = ctx.lexicons.derived(("swapped-target", id(params)), build)
    return needs, completion


@register_check(
    "swapped-target",
    scope="table",
    placeholders={"kind": "what the description holds (完成时限, 数量, 金额)", "kind_en": "the same in English"},
    params={"needs": NEEDS, "completion": r"^(?:已|均已|全部|如期)?完成$"},
    validate=_validate,
)
def swapped_target(ctx: CheckContext) -> Iterator[Hit]:
    """A row whose 指标值 has no measurable part (qualitative or empty) and whose 绩效指标描述 is
    wholly a target of the kind its 二级指标 needs (`needs`: 二级指标 → kinds/dimensions); a value
    matching `completion` is left alone. The fix (a suggestion) writes the description as the value."""
    needs, completion = _prepared(ctx)
    canon = ctx.lexicons.canonical_names
    for row in ctx.rows:
        if not row.description or row.target is None or row.target.kind not in ("qualitative", "empty"):
            continue
        wanted = needs.get(canon[row.level2]) if row.level2 else None
        if not wanted or completion.search(row.value.strip()):
            continue
        what = _what(parse_value(row.description))
        if what in wanted:
            yield Hit(
                row=row,
                column="指标值",
                fix=row.description.strip(),
                values={"kind": _KIND_WORDS.get(what, what), "kind_en": what},
            )
