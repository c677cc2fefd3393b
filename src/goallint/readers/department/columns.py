"""The column-assignment solver for the task amounts of a department-wide table's text dump.

A task row of the dump lists 总额 and then only its non-empty amount columns (基本支出, 项目支出,
其他资金), in order: which columns they are must be worked out. First the choices whose parts add
up to the row's 总额; then, jointly over all rows, those whose column sums equal the 合计 row's.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from goallint.readers.department.common import COLUMNS

Choice = tuple[str, ...]  # the columns of the parts after 总额, in order


def column_choices(total: Decimal | None, parts: list[Decimal]) -> list[Choice]:
    """The ways to place `parts` in 基本支出/项目支出/其他资金, keeping their order.

    Those whose parts add up to `total` when there are any; otherwise all of them.
    """
    k = len(parts)
    if k >= 3:
        return [COLUMNS]
    choices = [tuple(COLUMNS[i] for i in combo) for combo in itertools.combinations(range(3), k)]
    if total is not None and k:
        adding = [c for c in choices if sum(parts) == total]
        if adding:
            return adding
    return choices


def assign_columns(
    rows: list[tuple[Decimal | None, list[Decimal]]], sums: dict[str, Decimal] | None, *, max_states: int = 200_000
) -> list[list[Choice]]:
    """For each row (总额, parts) the column choices still possible.

    Each row keeps the choices that add up to its 总额 (if any do); then, when the 合计 row gives the
    column sums, only the choices that are part of a joint assignment whose column sums equal them.
    If no joint assignment matches (the numbers do not add up), the per-row choices stay.
    """
    options = [column_choices(total, parts) for total, parts in rows]
    if sums is None or any(sums.get(c) is None for c in COLUMNS):
        return options
    target = tuple(sums[c] for c in COLUMNS)

    def vec(choice: Choice, parts: list[Decimal]) -> tuple[Decimal, ...]:
        v = dict.fromkeys(COLUMNS, Decimal(0))
        for col, part in zip(choice, parts, strict=False):
            v[col] += part
        return tuple(v[c] for c in COLUMNS)

    vectors = [[vec(c, parts[:3]) for c in opts] for opts, (_, parts) in zip(options, rows, strict=False)]
    layers: list[set[tuple[Decimal, ...]]] = [{(Decimal(0),) * 3}]
    for vecs in vectors:
        nxt = {tuple(a + b for a, b in zip(s, v, strict=False)) for s in layers[-1] for v in vecs}
        if len(nxt) > max_states:
            return options
        layers.append(nxt)
    if target not in layers[-1]:
        return options
    good: set[tuple[Decimal, ...]] = {target}
    kept: list[list[Choice]] = [[] for _ in rows]
    for i in range(len(rows) - 1, -1, -1):
        prev_good = set()
        for s in layers[i]:
            for choice, v in zip(options[i], vectors[i], strict=False):
                if tuple(a + b for a, b in zip(s, v, strict=False)) in good:
                    prev_good.add(s)
                    if choice not in kept[i]:
                        kept[i].append(choice)
        good = prev_good
    return [[c for c in options[i] if c in kept[i]] for i in range(len(rows))]
