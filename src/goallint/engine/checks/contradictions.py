"""Numbers that contradict each other inside one table (GL803, GL804).

- part-whole: a count of a part promised higher than the count of its whole — `签约项目落地数 ≥18个`
  beside `签约项目个数 ≥10个` (what lands is a part of what is signed). The pairs of words that make
  one indicator a part of another are data: rules/lexicon/part-whole.yaml (`pairs: [{part, whole}]`).
- per-unit-budget: a per-item cap (`每家企业最高支持金额 ≤58万元`) equal to or above the whole budget
  while the table funds several items (`支持企业数量 ≥4家`): one item would take all the money.

Both are deliberately narrow: a false alarm costs more than a miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from goallint.engine.checks import CheckContext, Hit, data_file, register_check
from goallint.engine.checks.budget import budget_amount, row_amount, shown
from goallint.engine.compile import numbers_of
from goallint.engine.lexicon import normalize_name
from goallint.model import Comparator, IndicatorRow, Numeric

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_FLOOR = {Comparator.GE, Comparator.GT, Comparator.EQ, None}
# words every count name has: sharing only these does not make two rows speak of the same thing
_COMMON = frozenset({"数量", "个数", "数目", "总数", "次数", "指标", "情况", "完成", "开展", "相关"})


@cache
def _load_pairs(path: str) -> tuple[tuple[str, str], ...]:
    from goallint.yamlpos import RuleError, load_plain

    data = load_plain(path)[0]
    pairs = data.get("pairs") if isinstance(data, dict) else None
    if not isinstance(pairs, list) or not all(isinstance(p, dict) and p.get("part") and p.get("whole") for p in pairs):
        raise RuleError(path, "a part-whole list needs `pairs: [{part: 落地, whole: 签约}, ...]`")
    return tuple((normalize_name(str(p["part"])), normalize_name(str(p["whole"]))) for p in pairs)


def _bigrams(text: str, drop: tuple[str, ...]) -> set[str]:
    for word in drop:
        text = text.replace(word, " ")
    out = set()
    for run in _CJK_RUN.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out - _COMMON


def _floor_count(row: IndicatorRow) -> Numeric | None:
    """The row's single count number when it is a floor (≥, ＞, ＝ or bare): what the row promises at least."""
    numbers = numbers_of(row.target)
    if len(numbers) != 1:
        return None
    n = numbers[0]
    if n.dimension != "count" or n.comparator not in _FLOOR or n.approximate:
        return None
    return n


@register_check(
    "part-whole",
    scope="table",
    placeholders={
        "part": "the part's indicator (三级指标)",
        "part_value": "its value",
        "whole": "the whole's indicator",
        "whole_value": "its value",
        "whole_row": "the whole's row number",
    },
    params={"pairs": "part-whole", "min-shared": 1},
)
def part_whole(ctx: CheckContext) -> Iterator[Hit]:
    """A count whose name has a part word (`落地`) promised higher than a count in the same unit whose
    name has the matching whole word (`签约`) and not the part word, the two names sharing at least
    `min-shared` two-character words besides the pair's words and common count words (项目)."""
    pairs = _load_pairs(data_file(str(ctx.params.get("pairs") or "part-whole")))
    need = int(ctx.params.get("min-shared") or 1)
    counts = [(r, n, normalize_name(r.level3 or r.description)) for r in ctx.rows if (n := _floor_count(r))]
    if len(counts) < 2:
        return
    reported: set[int] = set()
    for part_word, whole_word in pairs:
        for row, n, name in counts:
            if part_word not in name or id(row) in reported:
                continue
            for other, m, other_name in counts:
                if other is row or whole_word not in other_name or part_word in other_name:
                    continue
                if n.unit != m.unit or n.value <= m.value:
                    continue
                drop = (part_word, whole_word)
                if len(_bigrams(name, drop) & _bigrams(other_name, drop)) < need:
                    continue
                reported.add(id(row))
                yield Hit(
                    row=row,
                    values={
                        "part": row.level3 or row.description,
                        "part_value": row.value,
                        "whole": other.level3 or other.description,
                        "whole_value": other.value,
                        "whole_row": other.location.row,
                    },
                )
                break


@register_check(
    "per-unit-budget",
    scope="table",
    placeholders={
        "amount": "the per-item amount (in the table's unit)",
        "count_row": "the count row",
        "count": "its value",
    },
    params={"per-unit-lexicon": "per-unit-cost"},
)
def per_unit_budget(ctx: CheckContext) -> Iterator[Hit]:
    """A per-item cost (its name has a word of `per-unit-lexicon`: 每家, 单个, 最高支持) whose amount is
    at least 预算数 while a 数量指标 of the table promises two or more items: one item would take the
    whole budget. Tables without 预算数 are not checked."""
    table = ctx.table
    if table is None:
        return
    budget = budget_amount(table)
    if budget is None or budget <= 0:
        return
    lexicon = str(ctx.params.get("per-unit-lexicon") or "per-unit-cost")
    several = None
    canon, count = ctx.lexicons.canonical_names, ctx.canonical("数量指标")
    for row in table.rows:
        if canon[row.level2 or ""] != count:
            continue
        n = _floor_count(row)
        if n is not None and n.value >= 2:
            several = row
            break
    if several is None:
        return
    for row in ctx.rows:
        if not (ctx.in_lexicon(lexicon, row.level3 or "") or ctx.in_lexicon(lexicon, row.description or "")):
            continue
        amount = row_amount(row, table)
        if amount is not None and amount >= budget * (1 - 1e-9):
            yield Hit(
                row=row,
                values={
                    "amount": shown(amount, table),
                    "count_row": several.level3 or several.description,
                    "count": several.value,
                },
            )
