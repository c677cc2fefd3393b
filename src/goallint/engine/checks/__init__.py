"""Python checks: what YAML conditions cannot say (sums across rows, required categories, duplicates).

A check is a function registered by name and switched on by a rule file:

    # rules/budget/GL402-cost-sum-over-budget.yaml
    check: cost-sum
    params: {tolerance: 0}
    message: {zh: "成本指标合计 {sum} 超过预算数 {budget}", en: ...}

    # src/goallint/engine/checks/budget.py
    @register_check("cost-sum", scope="table", placeholders={"sum": "成本指标合计"}, params={"tolerance": 0})
    def cost_sum(ctx: CheckContext) -> Iterator[Hit]:
        ...
        yield Hit(row=None, values={"sum": "130万元"})

The function receives a CheckContext (the table or document, the rows the rule's selectors
chose, the parameters, the lexicons) and yields Hits; the engine turns each Hit into a Finding
with the rule's id, severity and message (placeholders filled from the row, the table and
`Hit.values`). Checks are documented and tested through their rule files like any rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from goallint.engine.lexicon import normalize_name
from goallint.model import Document, IndicatorRow, Location, Table

Scope = Literal["table", "document"]


@dataclass
class Hit:
    """One thing a check found: a row (None: the table or document as a whole) and placeholder values."""

    row: IndicatorRow | None = None
    values: dict[str, Any] = field(default_factory=dict)
    column: str | None = None
    fix: str | None = None  # the new text of the cell, if the check can say it
    table: Table | None = None  # document-scope checks: the table the hit is about
    location: Location | None = None  # a hit on neither a row nor the whole table (a department task's line)


@dataclass(slots=True)  # one per check and table: made a million times in a 1M-row run
class CheckContext:
    document: Document
    table: Table | None  # None for document-scope checks
    rows: list[IndicatorRow]  # the rows the rule's selectors and conditions chose (the table's, or all tables')
    params: dict[str, Any]
    lexicons: Any  # goallint.engine.lexicon.Lexicons
    fiscal_year: int | None

    def canonical(self, name: str) -> str:
        """The category name a 一级/二级指标 stands for (社会效益 → 社会效益指标)."""
        return self.lexicons.canonical_name(name)

    def in_lexicon(self, lexicon: str, text: str) -> bool:
        return self.lexicons[lexicon].found_in(normalize_name(text)) is not None


CheckFunction = Callable[[CheckContext], Iterable[Hit]]


@cache
def data_file(name: str) -> str:
    """A data file a check parameter names: a file name in rules/lexicon/ (`category-levels`) or a path."""
    from goallint.resources import rules_dir

    path = Path(name)
    if not path.suffix:
        path = rules_dir() / "lexicon" / f"{name}.yaml"
    return str(path)


@dataclass
class CheckSpec:
    name: str
    function: CheckFunction
    scope: Scope
    placeholders: dict[str, str]
    params: dict[str, Any]
    doc: str
    # checks the rule file's params when the rule is loaded: (name, message) of the first bad one, or None
    validate: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None


REGISTRY: dict[str, CheckSpec] = {}

# modules holding the built-in checks (imported when the registry is first used)
BUILTIN_MODULES = [
    "goallint.engine.checks.table",
    "goallint.engine.checks.structure",
    "goallint.engine.checks.consistency",
    "goallint.engine.checks.budget",
    "goallint.engine.checks.names",
    "goallint.engine.checks.swapped",
    "goallint.engine.checks.contradictions",
]
_loaded = False


def register_check(
    name: str,
    *,
    scope: Scope = "table",
    placeholders: dict[str, str] | None = None,
    params: dict[str, Any] | None = None,
    validate: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register `function` as the check `name` (used as `check: name` in rule files).

    `placeholders`: the extra message placeholders its Hits fill, name → description.
    `params`: the parameters it reads, name → default (a rule's `params` override them).
    `validate`: called with a rule file's params at load; returns (param name, message) when one is
    bad, which becomes a load error at that line.
    """

    def decorate(function: CheckFunction) -> CheckFunction:
        REGISTRY[name] = CheckSpec(
            name=name,
            function=function,
            scope=scope,
            placeholders=dict(placeholders or {}),
            params=dict(params or {}),
            doc=(function.__doc__ or "").strip(),
            validate=validate,
        )
        return function

    return decorate


def registry() -> dict[str, CheckSpec]:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILTIN_MODULES:
            importlib.import_module(module)
    return REGISTRY
