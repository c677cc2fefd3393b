"""Row rules evaluated once per distinct row content, not once per row.

A province's tables repeat whole rows (`满意度指标 / 服务对象满意度指标 / 群众满意度 / … / ≥90%`),
and what a row rule decides — does its selector pick the row, does its condition hold, what fix
it proposes — depends only on the row's cells, its fiscal year and the rule's parameters, unless
the rule looks at the table (a `quantity: "> budget.total"` comparison). So the decisions of every
row rule, and the selector/condition filter of every table check, are remembered per row content:

    key = (goal, 一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值, fiscal year, block, layout)

(block: 年度/中期/长期 of a two-target table; layout: for a target split over cells, which parts are
blank and the 指标方向, which `no-direction` reads; both None/() for the common one-cell target.)

The target is not in the key: it is a function of the 指标值 when it is the parser's answer for that
text (goallint.values.cached), and only then is the memory used; a row whose caller set another
target is decided afresh. So the memory holds no targets, and a value the parser's cache has
forgotten and parsed again is still decided by text.

A decision is remembered only if computing it never read the table (RowView records each access),
so the results are those of evaluating every rule on every row; tests/test_fast_path.py checks
that on the corpus. A rule that failed at run time (engine/guard.py) is skipped from then on, here
too. The memory is bounded (cleared when full), so it does not grow with the corpus.
`ENABLED = False` evaluates every row afresh (the plain path the test compares with).
"""

from __future__ import annotations

from dataclasses import dataclass

from goallint.engine import guard
from goallint.engine.compile import RowView, selector_reads_value
from goallint.engine.guard import failure
from goallint.values import cached

ENABLED = True
# Entries remembered before the memory is cleared (an entry is a few hundred bytes with its messages;
# it holds no target). The rows that repeat most are decided again soon after a clear; the size is
# chosen so that a 1M-row run's peak memory stays close to a 100k-row run's (docs/performance.md).
LIMIT = 24_576


class _TrackingView(RowView):
    """A RowView that notes whether a predicate looked at the table."""

    touched = False

    @property  # type: ignore[override]
    def table(self):
        self.touched = True
        return self._table

    @table.setter
    def table(self, value) -> None:
        self._table = value


@dataclass(slots=True)
class _Entry:
    fired: tuple  # (active rule, fix text) of the row rules that fire, decided without the table
    row_rules_with_table: tuple  # row rules that read the table: evaluated for every row
    passes: tuple  # indices of the filtered table checks whose selector and condition hold
    checks_with_table: tuple  # indices of table checks whose filter read the table
    # (active rule, fix text) → the finding's messages, for rules whose messages quote only the row
    # (filled by the Engine as it makes findings: the same row content gets the same messages); None
    # when no row rule can fire (most rows: no dict for them)
    messages: dict | None = None


def _decide(lr, view, picked: bool | None = None) -> tuple[bool, str | None]:
    """`picked`: the selector's answer if already known (None: ask it)."""
    if picked is None and lr.selector is not None and not lr.selector(view):
        return False, None
    if lr.condition is not None and not lr.condition(view):
        return False, None
    return True, (lr.fix(view) if lr.fix is not None else None)


def _selected(lr, view, picked: bool | None = None) -> bool:
    if picked is None and lr.selector is not None and not lr.selector(view):
        return False
    return lr.condition is None or bool(lr.condition(view))


def _by_names(lr) -> bool:
    """Whether the rule's selector decides on the four names alone (never the value, never the table)."""
    selectors = getattr(lr.rule, "selectors", None)
    return lr.selector is not None and selectors is not None and not selector_reads_value(selectors)


def _layout(row) -> tuple:
    """What conditions read of a split target besides its text (compile._no_direction)."""
    parts = row.parts
    if not parts:
        return ()
    return (tuple((n, p.text) for n, p in parts.items() if n == "comparator"), row.extra.get("direction"))


class RowDecisions:
    """The row rules and table-check filters of one Engine, with their remembered decisions."""

    def __init__(self, row_rules: list, table_checks: list):
        self.row_rules = row_rules
        self.table_checks = table_checks
        self.memory: dict[tuple, _Entry] = {}
        # rows with the same names but other values are many: the selectors that read only the names
        # are asked once per distinct (一级, 二级, 三级, 描述) — a tuple of answers, None where not by names
        self.rules = [a.loaded for a in row_rules] + [a.loaded for a in table_checks]
        self.by_names = [_by_names(lr) for lr in self.rules]
        self.picked_memory: dict[tuple, tuple] = {}
        # table checks with no selector and no condition take every row of the table: the engine hands
        # them the table's rows instead of collecting them row by row (8 of the 12 built-in checks)
        self.unfiltered = [
            i for i, a in enumerate(table_checks) if a.loaded.selector is None and a.loaded.condition is None
        ]
        self.outcomes: dict[tuple, tuple] = {}  # equal tuples of decisions stored once (bounded too)

    def _picked(self, row) -> tuple:
        names = (row.level1, row.level2, row.level3, row.description)
        picked = self.picked_memory.get(names)
        if picked is None:
            view = RowView(row)  # a selector reads only the row
            picked = tuple(
                bool(lr.selector(view)) if by else None for lr, by in zip(self.rules, self.by_names, strict=True)
            )
            if len(self.picked_memory) >= LIMIT:
                self.picked_memory.clear()
            self.picked_memory[names] = picked
        return picked

    def failed(self, entry: _Entry) -> bool:
        return any(failure(a.loaded) is not None for a, _ in entry.fired) or any(
            failure(self.table_checks[i].loaded) is not None for i in entry.passes
        )

    def _compute(self, row, table, fy) -> _Entry:
        view = _TrackingView(row, table, fy)
        fired, row_table, passes, check_table = [], [], [], []
        picked = self._picked(row) if ENABLED else (None,) * len(self.rules)
        for active, known in zip(self.row_rules, picked, strict=False):  # picked: the row rules', then the checks'
            if known is False:
                continue
            view.params = active.params
            view.touched = False
            hit, fix = _decide(active.loaded, view, known)
            if view.touched:
                row_table.append(active)
            elif hit:
                fired.append((active, fix))
        for index, (active, known) in enumerate(zip(self.table_checks, picked[len(self.row_rules) :], strict=True)):
            if known is False or index in self.unfiltered:
                continue
            view.params = active.params
            view.touched = False
            ok = _selected(active.loaded, view, known)
            if view.touched:
                check_table.append(index)
            elif ok:
                passes.append(index)
        if len(self.outcomes) >= LIMIT:
            self.outcomes.clear()
        share = self.outcomes.setdefault  # many distinct rows are decided alike: one tuple for each outcome
        fired, row_table, passes, check_table = (
            share(t, t) for t in map(tuple, (fired, row_table, passes, check_table))
        )
        return _Entry(fired, row_table, passes, check_table, {} if fired or row_table else None)

    def evaluate(self, row, table, fy) -> tuple[list, list[int], dict | None]:
        """(active rule, fix text) for each row rule that fires on `row`; indices of the filtered table checks it
        passes; the messages remembered for this row content (None when it is decided afresh)."""
        target = row.target
        if ENABLED and (target is None or cached(row.value) is target):  # the parser's answer for the text
            key = (
                row.goal,
                row.level1,
                row.level2,
                row.level3,
                row.description,
                row.value,
                fy,
                row.block,
                _layout(row),
            )
            entry = self.memory.get(key)
            if entry is None:
                entry = self._compute(row, table, fy)
                if len(self.memory) >= LIMIT:
                    self.memory.clear()
                self.memory[key] = entry
        else:
            entry = self._compute(row, table, fy)
            entry.messages = None
        if guard.failures and self.failed(
            entry
        ):  # a rule that failed at run time is skipped from then on (engine/guard.py)
            entry = _Entry(
                tuple(f for f in entry.fired if failure(f[0].loaded) is None),
                entry.row_rules_with_table,
                tuple(i for i in entry.passes if failure(self.table_checks[i].loaded) is None),
                entry.checks_with_table,
                entry.messages,
            )
        if not entry.row_rules_with_table and not entry.checks_with_table:
            return entry.fired, entry.passes, entry.messages
        # some rules read the table: keep the rules' order, evaluate those on this row and table
        view = RowView(row, table, fy)
        fired = []
        pending = set(map(id, entry.row_rules_with_table))
        done = {id(a): (a, fix) for a, fix in entry.fired}
        for active in self.row_rules:
            if id(active) in done:
                fired.append(done[id(active)])
            elif id(active) in pending:
                view.params = active.params
                hit, fix = _decide(active.loaded, view)
                if hit:
                    fired.append((active, fix))
        passes = set(entry.passes)
        for index in entry.checks_with_table:
            view.params = self.table_checks[index].params
            if _selected(self.table_checks[index].loaded, view):
                passes.add(index)
        return fired, sorted(passes), entry.messages
