"""Rules that fail at run time are reported, never a crash: the other rules run on.

A rule pack comes from strangers: a selector's regex may backtrack catastrophically (it runs with a
time limit, engine/compile.py), a message may use a format the value cannot take (`{value:d}`), a
plugin's Python check may raise. The first failure of a rule is recorded on the rule as a RuleError
at the rule's file and the line of the failing key, naming the table row it failed on; the rule is
then skipped for the rest of the run (a regex that timed out once would time out on every row).
`errors(rules)` gives what a run reports (exit code 2, like any broken rule file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from goallint.yamlpos import RuleError

failures = 0  # rules failed so far in this process: while 0, callers may skip asking each rule


def failure(lr) -> RuleError | None:
    return getattr(lr, "failure", None)


def where(location) -> str:
    """A table row's place for the error message: file, table, row, cell or line."""
    if location is None:
        return "?"
    parts = [location.file]
    for label, value in (
        ("table", location.table),
        ("row", location.row),
        ("line", location.line),
        ("sheet", location.sheet),
        ("cell", location.cell),
    ):
        if value is not None:
            parts.append(f"{label} {value}")
    return " ".join(str(p) for p in parts)


def record(lr, exc: BaseException, location, part: tuple) -> None:
    """Remember the rule's first failure (later ones add nothing: the rule is skipped from now on)."""
    if failure(lr) is not None:
        return
    loc = getattr(exc, "loc", None) or part
    detail = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    lr.failure = RuleError(lr.file, f"rule {lr.id} failed on {where(location)}: {detail}", line=lr.line(*loc))
    global failures
    failures += 1


def guarded(lr, function: Callable[[Any], Any], part: str, default: Any) -> Callable[[Any], Any]:
    """`function` (a compiled selector, condition or fix over a RowView) that records instead of raising."""

    def call(view):
        if failure(lr) is not None:
            return default
        try:
            return function(view)
        except Exception as exc:  # noqa: BLE001 — a broken rule must not stop the others
            record(lr, exc, getattr(getattr(view, "row", None), "location", None), (part,))
            return default

    return call


def install(lr) -> None:
    """Wrap a loaded rule's compiled parts (called once, when the rule is loaded)."""
    if lr.selector is not None:
        lr.selector = guarded(lr, lr.selector, "selectors", False)
    if lr.condition is not None:
        lr.condition = guarded(lr, lr.condition, "conditions", False)
    if lr.fix is not None:
        lr.fix = guarded(lr, lr.fix, "fix", None)


def format_message(lr, template: str, values: dict, location, lang: str) -> str:
    """A finding's message; if the template cannot take these values, the template itself (the finding is kept)."""
    try:
        return template.format_map(values)
    except Exception as exc:  # noqa: BLE001
        record(lr, exc, location, ("message", lang))
        return template


def errors(rules: Iterable) -> list[RuleError]:
    return [f for f in (failure(lr) for lr in rules) if f is not None]
