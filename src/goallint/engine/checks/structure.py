"""Structure checks (GL7xx): which categories a table has, where they sit, repeats, template text.

The category hierarchy (which 一级指标 exist, which 二级指标 belong under which 一级指标) is data:
rules/lexicon/category-levels.yaml. Category names are compared through the category aliases
(社会效益 → 社会效益指标), so department-wide tables, which drop the trailing 指标, check alike.
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from goallint.engine.checks import CheckContext, Hit, data_file, register_check
from goallint.engine.lexicon import Memo, normalize_name
from goallint.model import IndicatorRow, Table, field_location

COST = "成本指标"
OUTPUT = "产出指标"


# --------------------------------------------------------------------------- the hierarchy


@dataclass(frozen=True)
class Variant:
    """Another template's categories (older templates: 投入指标, 过程指标), chosen by the table's 一级指标."""

    name: str
    summary: dict[str, str]  # zh / en
    when_level1: tuple[str, ...]
    level1: tuple[str, ...]
    parents: dict[str, tuple[str, ...]]
    required_level1: tuple[str, ...]
    required_level2: tuple[str, ...]


@dataclass(frozen=True)
class Hierarchy:
    level1: tuple[str, ...]
    parents: dict[str, tuple[str, ...]]  # 二级指标 → the 一级指标 it may stand under
    file: str
    variants: dict[str, Variant] = field(default_factory=dict)
    variant: str | None = None  # the variant merged into this hierarchy (None: the standard one)

    def with_variant(self, variant: Variant) -> Hierarchy:
        parents = dict(self.parents)
        for name, allowed in variant.parents.items():
            parents[name] = tuple(dict.fromkeys(parents.get(name, ()) + allowed))
        return Hierarchy(
            level1=tuple(dict.fromkeys(self.level1 + variant.level1)),
            parents=parents,
            file=self.file,
            variants=self.variants,
            variant=variant.name,
        )


def _names(value) -> tuple[str, ...]:
    return tuple(str(x) for x in (value if isinstance(value, list) else [value]))


@cache
def _load_hierarchy(path: str) -> Hierarchy:
    from goallint.yamlpos import RuleError, load_plain

    data = load_plain(path)[0]  # from the parse cache, like the rule files (start-up time)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("level1"), list)
        or not isinstance(data.get("level2"), dict)
    ):
        raise RuleError(path, "a category hierarchy needs `level1: [...]` and `level2: {二级指标: [一级指标, ...]}`")
    parents = {str(k): _names(v) for k, v in data["level2"].items()}
    variants: dict[str, Variant] = {}
    for name, v in (data.get("variants") or {}).items():
        if not isinstance(v, dict) or not isinstance(v.get("when-level1"), list):
            raise RuleError(
                path, f"variant {name!r} needs `when-level1: [...]` (and level1, level2, required-level1/2)"
            )
        summary = v.get("summary") or {}
        variants[str(name)] = Variant(
            name=str(name),
            summary={"zh": str(summary.get("zh", name)), "en": str(summary.get("en", name))},
            when_level1=_names(v["when-level1"]),
            level1=_names(v.get("level1") or []),
            parents={str(k): _names(p) for k, p in (v.get("level2") or {}).items()},
            required_level1=_names(v.get("required-level1") or []),
            required_level2=_names(v.get("required-level2") or []),
        )
    return Hierarchy(level1=_names(data["level1"]), parents=parents, file=path, variants=variants)


def base_hierarchy(ctx: CheckContext) -> Hierarchy:
    """The hierarchy named by the `hierarchy` parameter: a file name in rules/lexicon/ (or a path)."""
    return _load_hierarchy(data_file(str(ctx.params.get("hierarchy") or "category-levels")))


def scheme(ctx: CheckContext) -> tuple[Variant | None, str]:
    """The variant the table is checked against and why: the `category-scheme` parameter names one
    (a profile's choice), or with `auto` (the default) the first variant one of whose `when-level1`
    categories is a 一级指标 of the table. (None, "") for the standard categories."""
    h = base_hierarchy(ctx)
    chosen = str(ctx.params.get("category-scheme") or "auto")
    if chosen != "auto":
        variant = h.variants.get(chosen)
        return (variant, "profile") if variant is not None else (None, "")
    if ctx.table is None or not h.variants:
        return None, ""
    table, lexicons, last = ctx.table, ctx.lexicons, _last_scheme  # the checks of a table ask in turn
    if last[0] is table and last[1] is lexicons and last[2] is h:
        return last[3]
    last[:] = table, lexicons, h, _scheme_of(table, lexicons.canonical_names, h)
    return last[3]


def _scheme_of(table: Table, names, h: Hierarchy) -> tuple[Variant | None, str]:
    level1 = {names[r.level1] for r in table.rows if r.level1}
    for variant in h.variants.values():
        shown = [c for c in variant.when_level1 if names[c] in level1]
        if shown:
            return variant, "、".join(shown)
    return None, ""


# the last table, lexicons and hierarchy asked about, and the `auto` scheme chosen for them: compared by
# identity (held here, so that no other table can take the same id)
_last_scheme: list = [None, None, None, None]


def hierarchy(ctx: CheckContext) -> Hierarchy:
    """The table's hierarchy: the standard one, or with the variant `scheme` chose merged in."""
    h = base_hierarchy(ctx)
    variant, _ = scheme(ctx)
    if variant is None:
        return h
    key = (h.file, variant.name)
    if key not in _MERGED:
        _MERGED[key] = h.with_variant(variant)
    return _MERGED[key]


_MERGED: dict[tuple[str, str], Hierarchy] = {}  # (hierarchy file, variant) → the merged hierarchy


class Categories:
    """A hierarchy's names through the lexicons' aliases, built once per hierarchy and lexicons.

    The checks ask the same questions of the same few hundred names on every table; the answers
    are remembered per name as written (bounded memos)."""

    def __init__(self, h: Hierarchy, lexicons) -> None:
        canon = lexicons.canonical_name
        self.hierarchy = h
        self.lexicons = lexicons
        self.known = {
            "一级指标": frozenset(canon(n) for n in h.level1),
            "二级指标": frozenset(canon(n) for n in h.parents),
        }
        self.parents = {canon(k): frozenset(canon(p) for p in v) for k, v in h.parents.items()}
        # canonical 二级指标 → its 一级指标 as the hierarchy file writes them (the first key of that canonical name)
        self.allowed: dict[str, str] = {}
        for k, v in h.parents.items():
            self.allowed.setdefault(canon(k), "、".join(v))
        self._spellings: dict[str, list[str]] | None = None
        names = lexicons.canonical_names
        self.unknown = {
            level: Memo(lambda text, known=known: self._unknown(names, known, text))
            for level, known in self.known.items()
        }
        self.misplaced = Memo(lambda pair: self._misplaced(names, *pair))

    @staticmethod
    def _unknown(names, known: frozenset[str], text: str) -> str | None:
        """The name as compared (normalised) when `text` is neither empty nor a known category; else None."""
        name = normalize_name(text)
        return None if not name or names[text] in known else name

    def _misplaced(self, names, level1: str, level2: str) -> tuple[str, str, str] | None:
        """(一级, 二级, allowed 一级指标) when a known 二级指标 stands under a known 一级指标 it does not belong to."""
        if not level1 or not level2:
            return None
        l1, l2 = names[level1], names[level2]
        if l1 not in self.known["一级指标"] or l2 not in self.parents or l1 in self.parents[l2]:
            return None
        return l1, l2, self.allowed[l2]

    def spellings(self, level: str) -> list[str]:
        """The known names of `level` and all their aliases, sorted (for the closest-name hint)."""
        if self._spellings is None:
            self._spellings = {
                lv: sorted({n for n, c in self.lexicons.canonical.items() if c in known} | known)
                for lv, known in self.known.items()
            }
        return self._spellings[level]


def categories(ctx: CheckContext) -> Categories:
    h = hierarchy(ctx)
    return ctx.lexicons.derived(("categories", h.file, h.variant), lambda: Categories(h, ctx.lexicons))


def _checkable(table: Table | None) -> bool:
    # a table cut off by the end of the file is reported as such (GL001 truncated-table); what is missing from it
    # is not known, so it is not reported as missing
    return table is not None and bool(table.rows) and not table.truncated


# --------------------------------------------------------------------------- GL701 / GL702


@register_check(
    "required-categories",
    scope="table",
    placeholders={"category": "the missing 一级指标"},
    params={
        "required-level1": ["产出指标", "效益指标", "满意度指标"],
        "cost-as-level1": False,
        "hierarchy": "category-levels",
        "category-scheme": "auto",
    },
)
def required_categories(ctx: CheckContext) -> Iterator[Hit]:
    """Each category of `required-level1` (names or aliases) has at least one row in the table;
    with `cost-as-level1: true` 成本指标 is required as a 一级指标 too."""
    if not _checkable(ctx.table):
        return
    names = ctx.lexicons.canonical_names
    variant, _ = scheme(ctx)
    required = list(variant.required_level1 if variant else ctx.params.get("required-level1") or [])
    if ctx.params.get("cost-as-level1") and COST not in {names[c] for c in required}:
        required.append(COST)
    present = {names[r.level1] for r in ctx.table.rows if r.level1}
    # 满意度 as a 二级指标 under 效益指标 counts for 满意度指标 (成本指标 under 产出指标 does not count
    # for a 一级指标 成本指标: that is what cost-as-level1 asks for)
    present |= {name for r in ctx.table.rows if r.level2 and (name := names[r.level2]) != COST}
    for category in required:
        if names[category] not in present:
            yield Hit(row=None, column="一级指标", values={"category": names[category]})


@register_check(
    "required-subcategories",
    scope="table",
    placeholders={"category": "the missing 二级指标", "parent": "the 一级指标 it belongs under"},
    params={
        "required-level2": ["数量指标", "质量指标", "时效指标", "成本指标"],
        "hierarchy": "category-levels",
        "category-scheme": "auto",
    },
)
def required_subcategories(ctx: CheckContext) -> Iterator[Hit]:
    """Each 二级指标 of `required-level2` has at least one row. 成本指标 also counts as present when
    成本指标 is a 一级指标 (the cost-level1 template). Tables with no 产出指标 and none of the required
    二级指标 are left to `required-categories` (the whole 一级指标 is missing)."""
    if not _checkable(ctx.table):
        return
    rows = ctx.table.rows
    names = ctx.lexicons.canonical_names
    level1 = {names[r.level1] for r in rows if r.level1}
    level2 = {names[r.level2] for r in rows if r.level2}
    variant, _ = scheme(ctx)
    required = [names[c] for c in (variant.required_level2 if variant else ctx.params.get("required-level2") or [])]
    if OUTPUT not in level1 and not level2 & set(required):
        return
    h = hierarchy(ctx)
    for category in required:
        if category in level2 or (category == COST and COST in level1):
            continue
        parent = (h.parents.get(category) or (OUTPUT,))[0]
        yield Hit(row=None, column="二级指标", values={"category": category, "parent": parent})


# --------------------------------------------------------------------------- GL703 / GL704


@register_check(
    "category-placement",
    scope="table",
    placeholders={"allowed": "the 一级指标 the 二级指标 belongs under"},
    params={"hierarchy": "category-levels", "category-scheme": "auto"},
)
def category_placement(ctx: CheckContext) -> Iterator[Hit]:
    """A known 二级指标 under a known 一级指标 it does not belong to (per the hierarchy file);
    reported once per pair of names, at its first row."""
    misplaced = categories(ctx).misplaced
    seen: set[tuple[str, str]] = set()
    for row in ctx.rows:
        found = misplaced[row.level1, row.level2]
        if found is None:
            continue
        l1, l2, allowed = found
        if (l1, l2) in seen:
            continue
        seen.add((l1, l2))
        yield Hit(row=row, column="二级指标", values={"allowed": allowed})


@register_check(
    "known-categories",
    scope="table",
    placeholders={
        "category": "the unknown category name as written",
        "level": "一级指标 or 二级指标",
        "expected": "the closest known category name (empty when none is close)",
        "hint": "「，如「质量指标」」: the closest known name for a Chinese message (empty when none is close)",
        "hint_en": "\", e.g. '质量指标'\": the same for an English message",
    },
    params={"hierarchy": "category-levels", "category-scheme": "auto"},
)
def known_categories(ctx: CheckContext) -> Iterator[Hit]:
    """A 一级指标 or 二级指标 that is neither a category of the hierarchy nor an alias of one;
    reported once per name and column, at its first row. Empty names are not reported here."""
    c = categories(ctx)
    unknown1, unknown2 = c.unknown["一级指标"], c.unknown["二级指标"]
    seen: set[tuple[str, str]] = set()
    for row in ctx.rows:
        name1, name2 = unknown1[row.level1], unknown2[row.level2]
        if name1 is None and name2 is None:
            continue
        for level, text, name in (("一级指标", row.level1, name1), ("二级指标", row.level2, name2)):
            if name is None or (level, name) in seen:
                continue
            seen.add((level, name))
            close = difflib.get_close_matches(name, c.spellings(level), n=1, cutoff=0.5)
            expected = ctx.canonical(close[0]) if close else ""
            values = {"category": text.strip(), "level": level, "expected": expected, "hint": "", "hint_en": ""}
            if expected:
                values.update(hint=f"，如「{expected}」", hint_en=f", e.g. '{expected}'")
            yield Hit(row=row, column=level, values=values)


# --------------------------------------------------------------------------- GL709


@register_check(
    "category-scheme",
    scope="table",
    placeholders={
        "scheme": "the variant's summary (旧版模板…)",
        "scheme_en": "the same in English",
        "reason": "why: the 一级指标 that chose it, or 「检查方案指定」",
        "reason_en": "the same in English",
    },
    params={"hierarchy": "category-levels", "category-scheme": "auto"},
)
def category_scheme(ctx: CheckContext) -> Iterator[Hit]:
    """Says once per table which variant of the category hierarchy (category-levels.yaml `variants`)
    the structure checks used and why, when it is not the standard one."""
    if not _checkable(ctx.table):
        return
    variant, reason = scheme(ctx)
    if variant is None:
        return
    zh = "检查方案指定" if reason == "profile" else f"表中一级指标有「{reason}」"
    en = "named by the profile" if reason == "profile" else f"the table's 一级指标 include {reason}"
    yield Hit(
        row=None,
        column="一级指标",
        values={"scheme": variant.summary["zh"], "scheme_en": variant.summary["en"], "reason": zh, "reason_en": en},
    )


# --------------------------------------------------------------------------- GL705 / GL708


def _check_values_mode(params: dict) -> tuple[str, str] | None:
    if "values" in params and params["values"] not in ("any", "same", "different"):
        return "values", f"{params['values']!r} is not one of any, same, different"
    return None


@register_check(
    "duplicate-indicators",
    scope="table",
    placeholders={
        "first_row": "the row number of the first occurrence",
        "first_value": "the value of the first occurrence",
    },
    params={"values": "any"},
    validate=_check_values_mode,
)
def duplicate_indicators(ctx: CheckContext) -> Iterator[Hit]:
    """A 三级指标 (or 绩效指标描述 when it is empty) that appears again under the same 二级指标 with
    the same 绩效指标描述 — in a department-wide table, under the same goal. `values`: `any` reports every repeat,
    `different` only repeats whose 指标值 differs from the first, `same` only identical ones."""
    mode = str(ctx.params.get("values") or "any")
    lexicons = ctx.lexicons
    indicator = lexicons.derived("duplicate-indicators", lambda: Memo(lambda names: _indicator_key(lexicons, *names)))
    seen: dict[tuple, IndicatorRow] = {}
    for row in ctx.rows:
        named = indicator[_NAMES(row)]
        if named is None:
            continue
        key = (row.goal, named)
        first = seen.get(key)
        if first is None:
            seen[key] = row
            continue
        same = normalize_name(first.value) == normalize_name(row.value)
        if mode == "any" or (mode == "same") == same:
            yield Hit(
                row=row, column="三级指标", values={"first_row": first.location.row or 0, "first_value": first.value}
            )


_NAMES = operator.attrgetter("level2", "level3", "description")


def _indicator_key(lexicons, level2: str, level3: str, description: str) -> tuple[str, str, str] | None:
    """What makes two rows the same indicator (within a goal): None when the row names nothing."""
    name = normalize_name(level3 or description)
    if not name:
        return None
    # the same name with different descriptions names different things (表41: 提升服务贸易公共服务
    # 能力数量 — 公共服务平台数量 / 特色服务出口基地数量 / 特色楼宇数量)
    return lexicons.canonical_names[level2], name, normalize_name(description) if level3 else ""


# --------------------------------------------------------------------------- GL707


def _check_patterns(params: dict) -> tuple[str, str] | None:
    for pattern in params.get("patterns") or []:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            return "patterns", f"invalid regular expression {pattern!r}: {exc}"
    return None


@register_check(
    "template-text",
    scope="table",
    placeholders={"text": "the template text found", "column": "the cell it is in (项目名称, 绩效目标, 三级指标 …)"},
    params={
        "patterns": [],
        "cells": ["项目名称", "资金用途", "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
    },
    validate=_check_patterns,
)
def template_text(ctx: CheckContext) -> Iterator[Hit]:
    """Text of the blank form left in a cell: each of `patterns` (regular expressions) searched in
    the cells named by `cells`; one finding per cell, quoting the first match."""
    table = ctx.table
    if table is None:
        return
    patterns = tuple(ctx.params.get("patterns") or [])
    found = _template_finder(patterns)
    cells = set(ctx.params.get("cells") or [])
    header = [("项目名称", "project", table.project or ""), ("资金用途", "purpose", table.purpose)]
    for column, name, text in header:
        if column in cells and (hit := found[text]):
            where = field_location(table, name)
            yield Hit(row=None, column=column, values={"text": hit, "column": column}, location=where)
    if "绩效目标" in cells:
        for i, goal in enumerate(table.goals):
            if hit := found[goal]:
                column = f"绩效目标{i + 1}" if len(table.goals) > 1 else "绩效目标"
                where = field_location(table, "goals", i)
                yield Hit(row=None, column="绩效目标", values={"text": hit, "column": column}, location=where)
    columns = tuple(column for column, _ in _ROW_CELLS if column in cells)
    if not columns:
        return
    names_of, name_hits, value_hits = _template_rows(patterns, columns)
    for row in ctx.rows:
        in_names, in_value = name_hits[names_of(row)], value_hits[row.value]
        if in_names or in_value:  # seldom: most cells hold no template text
            for column, hit in in_names + in_value:
                yield Hit(row=row, column=column, values={"text": hit, "column": column})


_ROW_CELLS = (
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "level3"),
    ("绩效指标描述", "description"),
    ("指标值", "value"),
)


@cache
def _template_rows(patterns: tuple[str, ...], columns: tuple[str, ...]) -> tuple[Callable, Memo, Memo]:
    """(row → its names in `columns`, those names → ((column, match), ...), 指标值 → the same for it).

    Names and values are remembered apart: a province has a few hundred distinct name rows and tens of
    thousands of values, but their combinations are as many as its rows. 指标值 is the last column, so
    the name hits followed by the value hit keep the columns' order."""
    found = _template_finder(patterns)
    attributes = dict(_ROW_CELLS)
    names = tuple(c for c in columns if c != "指标值")
    names_of = operator.attrgetter(*(attributes[c] for c in names)) if names else (lambda row: ())
    if len(names) == 1:
        name_hits = Memo(lambda text: tuple((names[0], hit) for hit in (found[text],) if hit))
    else:
        name_hits = Memo(
            lambda texts: tuple((c, hit) for c, text in zip(names, texts, strict=True) if (hit := found[text]))
        )
    value_hits = (
        Memo(lambda text: tuple(("指标值", hit) for hit in (found[text],) if hit)) if "指标值" in columns else _NO_HITS
    )
    return names_of, name_hits, value_hits


class _NoHits(dict):
    def __missing__(self, key) -> tuple:
        return ()


_NO_HITS = _NoHits()


@cache
def _template_finder(patterns: tuple[str, ...]) -> Memo:
    """text → the first pattern's first match in it (None: no pattern matches), remembered per text.

    The patterns are first tried together as one alternation, which says in one search whether any
    matches at all (most cells: none); only when one does are they searched one by one, in order."""
    compiled = [re.compile(p) for p in patterns]
    anyone = None
    if compiled and all(rx.groups == 0 for rx in compiled):  # no groups: none renumbered, no backreference broken
        try:
            anyone = re.compile("|".join(f"(?:{p})" for p in patterns))
        except re.error:
            anyone = None

    def find(text: str | None) -> str | None:
        text = text or ""
        if anyone is not None and anyone.search(text) is None:
            return None
        for rx in compiled:
            m = rx.search(text)
            if m:
                return m.group(0)
        return None

    return Memo(find)
