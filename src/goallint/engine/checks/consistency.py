"""Consistency checks (GL8xx): what the 绩效目标 text promises against what the indicators say.

A goal is cut into clauses; each clause goes through the value parser (goallint.values), which
finds the measure in `支持企业数量不少于150家` as `≥150家` with the words around it. An indicator
row *speaks of* that number when its value has a number in the same unit and its name shares a
two-character word with the words naming what the number counts: the noun after it (`60个电脑终端`)
or the text just before it (`支持企业数量`). Words of the stop list rules/lexicon/goal-words.yaml
do not count. Matching is deliberately narrow: a false alarm costs more than a miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from goallint.engine.checks import CheckContext, Hit, data_file, register_check
from goallint.engine.compile import numbers_of
from goallint.engine.lexicon import Memo, normalize_name
from goallint.model import Comparator, IndicatorRow, Numeric, field_location

_CLAUSE = re.compile(r"[，,。；;！!？?\n]+")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_PARTICLES = set("的以之左及并和等个")
_LOWER = {Comparator.GE, Comparator.GT, Comparator.EQ, None}
# dimensions whose numbers are promises worth comparing (time is the time rules' business)
_DIMENSIONS = {"count", "currency", "ratio", "area", "length", "mass", "volume", "data"}


@dataclass
class Promise:
    goal: int  # 1-based goal number
    clause: str
    measure: Numeric
    words: set[str]

    @property
    def lower(self) -> bool:
        """A promise of at least this much (不少于, 超过, 以上, or a bare number)."""
        return self.measure.comparator in _LOWER

    @property
    def text(self) -> str:
        m = self.measure
        sign = (m.comparator.value if m.comparator is not None else "≥") if m.comparator != Comparator.EQ else "≥"
        return f"{sign}{m.number_text}{m.magnitude_text or ''}{m.unit_text or ''}"


@cache
def _load_stopwords(path: str) -> frozenset[str]:
    from goallint.yamlpos import RuleError, load_plain

    data = load_plain(path)[0]  # from the parse cache, like the rule files (start-up time)
    if not isinstance(data, dict) or not isinstance(data.get("stopwords"), list):
        raise RuleError(path, "a stop list needs `stopwords: [...]`")
    return frozenset(normalize_name(str(w)) for w in data["stopwords"] if str(w))


def stopwords(name: str) -> frozenset[str]:
    """The stop list named by the `stopwords` parameter: a file name in rules/lexicon/ (or a path).

    Kept apart from word lists (`stopwords:`, not `words:`) so that values are not flagged with it."""
    return _load_stopwords(data_file(name))


def _amount(n: Numeric) -> float:
    return n.base_value if n.base_value is not None else n.value


def _same_unit(a: Numeric, b: Numeric) -> bool:
    if a.dimension == "currency" and b.dimension == "currency":
        return True  # compared in 元
    return a.unit is not None and a.unit == b.unit


def _words(text: str, stop) -> set[str]:
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        for i in range(len(run) - 1):
            w = run[i : i + 2]
            if w not in stop:
                out.add(w)
    return out


def _head(before: str, after: str) -> str:
    """The words naming what the number counts: the noun right after it (`60个电脑终端` → 电脑终端)
    or, when none follows, the end of the text before it (`支持企业数量不少于150家` → 支持企业数量)."""
    m = re.match(r"[\u4e00-\u9fff]+", after.strip())
    if m and m.group(0)[0] not in _PARTICLES:
        return m.group(0)[:4]
    m = re.search(r"[\u4e00-\u9fff]+$", before.strip())
    return m.group(0)[-6:] if m else ""


def promises(goals: list[str], stop) -> Iterator[Promise]:
    """The numbers the goals promise: one per clause whose measure is a plain number with a unit."""
    for g, goal in enumerate(goals, 1):
        for clause, measure, words in _goal_promises(stop)[goal]:
            yield Promise(goal=g, clause=clause, measure=measure, words=set(words))


@cache
def _goal_promises(stop: frozenset[str]) -> Memo:
    """goal text → its promises as (clause, measure, words), remembered per text (goals repeat across tables)."""
    from goallint.values import parse_value

    def of(goal: str) -> tuple[tuple[str, Numeric, frozenset[str]], ...]:
        found = []
        for clause in _CLAUSE.split(goal):
            clause = clause.strip()
            if not re.search(r"\d", clause):
                continue
            target = parse_value(clause)
            measure = target.measure if target.kind == "mixed" else target
            if not isinstance(measure, Numeric) or measure.dimension not in _DIMENSIONS or measure.approximate:
                continue
            words = _words(_head(target.before, target.after), stop) if target.kind == "mixed" else set()
            if words:
                found.append((clause, measure, frozenset(words)))
        return tuple(found)

    return Memo(of)


@cache
def _row_words(stop: frozenset[str]) -> Memo:
    """`三级指标 绩效指标描述` → its two-character words, remembered per text."""
    return Memo(lambda text: frozenset(_words(text, stop)))


def _falls_short(p: Promise, n: Numeric) -> bool:
    want, got = _amount(p.measure), _amount(n)
    if p.lower:
        return got < want - 1e-9 * max(1.0, abs(want))
    return got > want + 1e-9 * max(1.0, abs(want))


@register_check(
    "goal-numbers",
    scope="table",
    placeholders={
        "goal": "the clause of the 绩效目标 that promises the number",
        "goal_number": "the number of the goal (1, 2 …)",
        "promised": "the promised number as a target value (≥150家)",
        "expected": "what the indicator should say at least (the promised number)",
    },
    params={
        "stopwords": "goal-words",
        "min-shared": 1,
        "min-shared-percent": 2,
        "min-shared-unstated": 2,
        "unstated-categories": ["数量指标", "成本指标", "服务对象满意度指标"],
    },
)
def goal_numbers(ctx: CheckContext) -> Iterator[Hit]:
    """A number promised in the 绩效目标 (`培训400人`, `支持企业数量不少于150家`, `满意度95%以上`)
    that the indicator speaking of it falls short of: the indicator's value has a number in the
    same unit, its name (三级指标 and 绩效指标描述) shares at least `min-shared` two-character words
    with the goal clause (`min-shared-percent` for percentages, which many rows have), no such
    indicator meets the promise, and the best-matching one promises less (or, for a 不超过 goal,
    more). When no indicator has a number in that unit, an indicator whose value states no number
    at all (`完成培训任务`) but shares `min-shared-unstated` words (at least), stands under one of
    `unstated-categories` (二级指标) and does not carry the number in its own name says nothing of
    the promise and is reported. Department-wide tables compare each goal with its own rows only."""
    table = ctx.table
    if table is None or not table.goals or not table.rows:
        return
    stop = stopwords(str(ctx.params.get("stopwords") or "goal-words"))
    min_shared = int(ctx.params.get("min-shared") or 1)
    min_percent = int(ctx.params.get("min-shared-percent") or 2)
    min_unstated = int(ctx.params.get("min-shared-unstated") or 2)
    quantitative = {ctx.canonical(c) for c in ctx.params.get("unstated-categories") or []}
    row_words: dict[int, frozenset[str]] | None = None  # built at the first promise (most tables have none)
    reported: set[int] = set()
    for p in promises(table.goals, stop):
        if row_words is None:
            by_goal = any(r.goal is not None for r in table.rows)
            words_of = _row_words(stop)
            row_words = {id(r): words_of[f"{r.level3} {r.description}"] for r in ctx.rows}
        need = min_percent if p.measure.unit == "percent" else min_shared
        matches: list[tuple[int, IndicatorRow, Numeric]] = []
        unstated: list[tuple[int, IndicatorRow]] = []
        for row in ctx.rows:
            if by_goal and row.goal != p.goal:
                continue
            shared = len(p.words & row_words[id(row)])
            if shared < need:
                continue
            numbers = numbers_of(row.target)
            for n in numbers[:1]:
                if _same_unit(p.measure, n):
                    matches.append((shared, row, n))
            if (
                not numbers
                and getattr(row.target, "kind", None) == "qualitative"
                and shared >= max(need, min_unstated)
                and ctx.canonical(row.level2) in quantitative
                and p.measure.number_text not in f"{row.level3}{row.description}"
            ):
                unstated.append((shared, row))
        if matches:
            if any(not _falls_short(p, n) for _, _, n in matches):
                continue
            shared, row, _ = max(matches, key=lambda m: m[0])
        elif unstated:
            shared, row = max(unstated, key=lambda m: m[0])
        else:
            continue
        if id(row) in reported:
            continue
        reported.add(id(row))
        yield Hit(
            row=row,
            values={"goal": p.clause, "goal_number": p.goal, "promised": p.text, "expected": p.text},
        )


@register_check(
    "goal-unmeasured",
    scope="table",
    placeholders={
        "goal": "the clause of the 绩效目标 that promises the number",
        "goal_number": "the number of the goal (1, 2 …)",
        "promised": "the promised number as a target value (≥3场)",
    },
    params={
        "stopwords": "goal-words",
        "dimensions": ["count"],
        "min-words": 1,
        "generic-units": ["个", "项", "件", "次"],
    },
)
def goal_unmeasured(ctx: CheckContext) -> Iterator[Hit]:
    """A number promised in the 绩效目标 (`举办3场`, `覆盖100家企业`, `培训500人次`) that no indicator
    measures: its unit's dimension is one of `dimensions`, what it counts has at least `min-words`
    two-character words (stop list aside) and no indicator's name (三级指标, 绩效指标描述) shares a
    word with what it counts, whatever its unit (3场 / 活动次数 ≥3次 is the same thing counted
    otherwise), and no indicator's value is in the same unit — unless that unit is one of
    `generic-units` (个, 项: 60个电脑终端 is not measured by 涉密文件数量 ≥15个, while 3场 may well be
    by 举办展会 ≥2场, which GL801 compares). Department-wide tables compare each goal with its own rows.
    Reported at the goal."""
    table = ctx.table
    if table is None or not table.goals or not table.rows or table.truncated:
        return
    stop = stopwords(str(ctx.params.get("stopwords") or "goal-words"))
    dimensions = set(ctx.params.get("dimensions") or ["count"])
    min_words = int(ctx.params.get("min-words") or 1)
    generic = set(ctx.params.get("generic-units") or [])
    words_of = _row_words(stop)
    by_goal = any(r.goal is not None for r in table.rows)
    reported: set[tuple[int, str]] = set()
    for p in promises(table.goals, stop):
        if p.measure.dimension not in dimensions or len(p.words) < min_words:
            continue
        rows = [r for r in table.rows if not by_goal or r.goal == p.goal]
        if not rows:
            continue
        if p.measure.unit_text not in generic and any(
            _same_unit(p.measure, n) for r in rows for n in numbers_of(r.target)
        ):
            continue
        if any(p.words & words_of[f"{r.level3} {r.description}"] for r in rows):
            continue
        key = (p.goal, p.clause)
        if key in reported:
            continue
        reported.add(key)
        location = field_location(table, "goals", p.goal - 1)
        yield Hit(
            row=None,
            column="绩效目标",
            location=location,
            values={"goal": p.clause, "goal_number": p.goal, "promised": p.text},
        )
