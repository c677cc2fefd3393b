"""The columns of an indicator grid: which header means what, and a target split over several cells.

Shared by every reader of an indicator grid: the Word/Excel form (readers/form.py, also fed Grids
from PDFs), Word text dumps (readers/word_dump.py) and the long layout (readers/long.py). The header
words are data: `rules/lexicon/indicator-columns.yaml`, plus what a user adds under `columns:` in
goallint.yaml (`user_columns`, set by run.py around a file's read).

A header row is a list of (grid column, header text). `layout()` turns it into `Group`s: one per set of
indicator columns (side-by-side blocks repeat 二级指标 | 三级指标 | 指标值 and make two groups), each
knowing its name columns, its target column(s) (two when 中期指标值 | 年度指标值 stand side by side,
each with its block), the cells a split target is made of (指标性质 | 指标值 | 度量单位), the kept
columns (权重, 得分, 实际完成值) and the columns to skip. The target column is chosen by its header,
never by position.

`combine()` builds the one target rules see from the split cells (`≥` `95` `%` → `≥95%`; `定性` `好`
→ `好`) with each part's span in it; `split_back()` divides a fixed target among the same cells, so
that `--fix` writes the cell it means.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache

from goallint.model import IndicatorRow, Location, TargetPart

NAME_ROLES = ("level1", "level2", "level3", "description")
PART_ROLES = ("comparator", "unit")
KEPT_ROLES = ("weight", "score", "actual", "previous", "value-type", "direction")
ROLES = (
    *NAME_ROLES,
    "value",
    "fallback-value",
    *PART_ROLES,
    "value-type",
    "direction",
    "weight",
    "score",
    "actual",
    "previous",
    "skip",
)
BLOCKS = ("年度", "中期", "长期")

_WS = re.compile(r"\s+")
_TRAILING_BRACKET = re.compile(r"^(.+?)\([^()]*\)$")
_UNSEEN = object()
_SEEN_MAX = 20_000

# extra header words from the user's configuration: role → header texts (run.py sets it per file)
user_columns: ContextVar[tuple[tuple[str, tuple[str, ...]], ...]] = ContextVar("user_columns", default=())


def normalize(text: str) -> str:
    """The key a header is looked up by: NFKC, no whitespace, no leading/trailing `*`, no trailing `:`."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or "")).strip("*").rstrip(":")


@dataclass(frozen=True)
class Vocabulary:
    roles: dict[str, str]  # normalised header → role
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    blocks: dict[str, str]  # normalised value header → its block
    headings: dict[str, str]  # normalised heading text → block
    comparators: dict[str, str]  # as written (NFKC, no spaces) → glyph
    type_words: frozenset[str]
    # text as written → role: every row of a grid is looked at as a possible (repeated) header, and its
    # cells' texts repeat (一级指标, 二级指标, the header itself); bounded, cleared when full
    seen: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def role(self, text: str) -> str | None:
        """The role of a header text, or None."""
        found = self.seen.get(text, _UNSEEN)
        if found is _UNSEEN:
            if len(self.seen) >= _SEEN_MAX:
                self.seen.clear()
            found = self.seen[text] = self._role(text)
        return found

    def _role(self, text: str) -> str | None:
        key = normalize(text)
        if not key:
            return None
        found = self.roles.get(key)
        if found is None:
            found = next((role for pattern, role in self.patterns if pattern.search(key)), None)
        if found is None and (m := _TRAILING_BRACKET.match(key)):  # 权重(%), 指标值（万元）
            found = self.roles.get(m.group(1))
        return found

    def block(self, text: str) -> str | None:
        key = normalize(text)
        return self.blocks.get(key) or (self.blocks.get(m.group(1)) if (m := _TRAILING_BRACKET.match(key)) else None)

    def heading(self, text: str) -> str | None:
        key = normalize(text)  # 长期绩效指标（2024—2026年）: the heading with its years
        return self.headings.get(key) or (
            self.headings.get(m.group(1)) if (m := _TRAILING_BRACKET.match(key)) else None
        )


def _load() -> dict:
    from goallint.resources import rules_dir
    from goallint.yamlpos import load_plain

    path = rules_dir() / "lexicon" / "indicator-columns.yaml"
    data = load_plain(path)[0]  # from the parse cache, like the rule files: no YAML parser at start-up
    unknown = set(data["roles"]) - set(ROLES)
    if unknown:
        raise ValueError(f"{path}: unknown roles {sorted(unknown)} (known: {', '.join(ROLES)})")
    return data


@cache
def _vocabulary(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Vocabulary:
    data = _load()
    roles: dict[str, str] = {}
    for role, words in [*data["roles"].items(), *extra]:
        for word in words:
            roles[normalize(str(word))] = role
    patterns = tuple((re.compile(p), role) for role, ps in data.get("patterns", {}).items() for p in ps)
    blocks = {normalize(str(w)): block for block, words in data.get("blocks", {}).items() for w in words}
    headings = {normalize(str(w)): block for block, words in data.get("headings", {}).items() for w in words}
    comparators = {_plain(str(k)): str(v) for k, v in data.get("comparators", {}).items()}
    return Vocabulary(roles, patterns, blocks, headings, comparators, frozenset(data.get("type-words", [])))


def vocabulary() -> Vocabulary:
    """The built-in vocabulary with the user's additions for the file being read."""
    return _vocabulary(user_columns.get())


@contextmanager
def extra_columns(columns: dict[str, list[str]] | None):
    """Read with the user's header words (goallint.yaml `columns:`) added to the built-in ones."""
    if not columns:
        yield
        return
    token = user_columns.set(tuple((role, tuple(map(str, words))) for role, words in columns.items()))
    try:
        yield
    finally:
        user_columns.reset(token)


def role_of(text: str) -> str | None:
    return vocabulary().role(text)


def heading_of(text: str) -> str | None:
    return vocabulary().heading(text)


# --------------------------------------------------------------------------- the layout of a header


@dataclass
class Target:
    col: int
    header: str  # as written, whitespace removed
    block: str | None = None


@dataclass
class Group:
    """One set of indicator columns: names, target(s), the cells of a split target, kept and skipped columns."""

    names: dict[str, int] = field(default_factory=dict)  # level1 … description → column
    targets: list[Target] = field(default_factory=list)
    parts: dict[str, tuple[int, str]] = field(default_factory=dict)  # comparator/unit/value-type/direction
    kept: dict[str, int] = field(default_factory=dict)  # weight / score / actual → column
    block: str | None = None  # from a heading row above the group

    @property
    def columns(self) -> list[int]:
        return [*self.names.values(), *(t.col for t in self.targets), *(c for c, _ in self.parts.values())]

    @property
    def split(self) -> bool:
        """The target is split over cells (指标性质 and/or 度量单位 beside a single 指标值)."""
        return len(self.targets) == 1 and any(role in self.parts for role in PART_ROLES)


@dataclass
class Layout:
    groups: list[Group]
    known: set[int]  # every column whose header the vocabulary knows (kept and skipped ones too)
    unknown: list[tuple[int, str]]  # columns whose header it does not know

    @property
    def self_evaluation(self) -> bool:
        return any("actual" in g.kept or "score" in g.kept for g in self.groups)

    @property
    def roles(self) -> set[str]:
        return {r for g in self.groups for r in (*g.names, *g.parts)} | ({"value"} if self.targets else set())

    @property
    def targets(self) -> list[Target]:
        return [t for g in self.groups for t in g.targets]


def layout(header: Sequence[tuple[int, str]], *, minimum: int = 3) -> Layout | None:
    """The indicator layout of a header row, or None when it is no grid header.

    A grid header holds at least `minimum` name or target headers, a target among them.
    """
    voc = vocabulary()
    cells = [(col, text, voc.role(text)) for col, text in header if text and text.strip()]
    named = [role for _, _, role in cells if role in (*NAME_ROLES, "value", "fallback-value")]
    if len(named) < minimum or not ({"value", "fallback-value"} & set(named)):
        return None
    has_value = "value" in named
    groups: list[Group] = [Group()]
    known: set[int] = set()
    unknown: list[tuple[int, str]] = []
    for col, text, role in sorted(cells):
        if role is None:
            unknown.append((col, normalize(text)))
            continue
        known.add(col)
        group = groups[-1]
        if role == "fallback-value":
            role = "skip" if has_value else "value"
        if role in NAME_ROLES:
            if role in group.names and group.targets:  # names again after a target: a block side by side
                group = Group()
                groups.append(group)
            if role not in group.names:
                group.names[role] = col
        elif role == "value":
            block = voc.block(text)
            if any(t.block == block for t in group.targets):
                continue  # the same target twice (指标值 | 指标值): the first is read
            group.targets.append(Target(col, normalize(text), block))
        elif role in PART_ROLES or role in ("value-type", "direction"):
            if role in group.parts and group.targets:
                continue
            group.parts[role] = (col, normalize(text))
            if role in ("value-type", "direction"):
                group.kept[role] = col
        elif role in ("weight", "score", "actual", "previous"):
            group.kept.setdefault(role, col)
    groups = [g for g in groups if g.targets]
    for group in groups:
        if len(group.targets) == 1 and group.targets[0].block == "年度":
            group.targets[0].block = None  # 年度指标值 alone: a table with one target
    return Layout(groups, known, unknown) if groups else None


def assign_headings(lay: Layout, headings: Sequence[tuple[int, str]]) -> None:
    """Blocks named by a heading row above the grid header: each group takes the nearest heading at or left
    of its first column (one heading over the whole row: every group)."""
    if not headings:
        return
    for group in lay.groups:
        first = min(group.columns)
        chosen = [block for col, block in sorted(headings) if col <= first]
        group.block = chosen[-1] if chosen else headings[0][1]


# --------------------------------------------------------------------------- a target split over cells


def _plain(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def comparator_glyph(text: str) -> str | None:
    """`>=` → `≥`; a type word (定性, 定量) or blank → ""; any other text → None (kept as written)."""
    voc = vocabulary()
    key = _plain(text)
    if not key or key in voc.type_words:
        return ""
    return voc.comparators.get(key)


def combine(
    number: str, comparator: str | None = None, unit: str | None = None
) -> tuple[str, dict[str, tuple[int, int]]]:
    """The one target of a split row and the span of each part in it.

    `comparator` / `unit` are None when the table has no such column. The comparator is written with its
    glyph (`>=` → `≥`; 定性/定量 add nothing); a unit already at the end of the number cell, or a comparator
    already at its start, is not written twice.
    """
    number = number.strip()
    spans: dict[str, tuple[int, int]] = {}
    head = ""
    if comparator is not None:
        glyph = comparator_glyph(comparator)
        head = comparator.strip() if glyph is None else glyph
        if head and _plain(number).startswith(_plain(head)):
            head = ""  # 指标性质 ≥ and 指标值 ≥95: the comparator once
        spans["comparator"] = (0, len(head))
    spans["number"] = (len(head), len(head) + len(number))
    tail = ""
    if unit is not None:
        tail = unit.strip()
        if tail and (not number or _plain(number).endswith(_plain(tail))):
            tail = ""  # 指标值 95% and 度量单位 %: the unit once; no number, no unit
        end = spans["number"][1]
        spans["unit"] = (end, end + len(tail))
    return head + number + tail, spans


def part_at(spans: dict[str, tuple[int, int]], start: int, end: int) -> str | None:
    """The part a change of the combined text at [start, end) is about (an insertion at a part's edge
    belongs to the comparator at the start and to the unit at the end)."""
    inside = [name for name, (a, b) in spans.items() if a <= start and end <= b and (a < b or start == end == a)]
    if not inside:
        return None
    if start == end:  # an insertion: the part whose empty slot it fills, else the one it extends
        empty = [name for name in inside if spans[name][0] == spans[name][1]]
        if empty:
            return empty[0]
        if start == spans.get("number", (0, 0))[0] and "comparator" in spans:
            return "comparator"
        if start == spans.get("number", (0, 0))[1] and "unit" in spans:
            return "unit"
    return "number" if "number" in inside else inside[0]


def split_back(new: str, texts: dict[str, str], spans: dict[str, tuple[int, int]], old: str) -> dict[str, str] | None:
    """The new text of each part cell for the combined target `new` (was `old`), or None when the change
    cannot be divided among the cells. Only parts whose text changes are returned."""
    from goallint.fix import changed_span

    start, end, text = changed_span(old, new)
    name = part_at(spans, start, end)
    if name is None:
        return None
    a, b = spans[name]
    combined_part = old[a:b]
    new_part = combined_part[: start - a] + text + combined_part[end - a :]
    written = texts.get(name, "")
    if name != "comparator" and combined_part != written.strip():
        return None  # a unit the number cell already holds, …: the cells do not line up with the target
    if new_part == written.strip():
        return {}
    return {name: new_part}


def rows_of(
    lay: Layout,
    fills: list[list[str]],
    texts: Sequence[str],
    location: Callable[[int, str, int], Location],
    number: int,
) -> list[IndicatorRow]:
    """The indicator rows of one row of cells read by position (a text dump's row: every cell given, no
    merges): per group its names (一级/二级指标 filled down in `fills`, updated), one row per target, a
    split target combined with its parts, the kept cells. `location(column, column name, row number)`."""
    out: list[IndicatorRow] = []
    row_level1 = ""
    for group, fill in zip(lay.groups, fills, strict=True):
        names = {role: texts[col] for role, col in group.names.items()}
        targets = [(t, texts[t.col]) for t in group.targets]
        if not any(names.values()) and not any(value for _, value in targets):
            continue  # an empty template row
        if names.get("level1"):
            fill[0] = names["level1"]
        elif "level1" not in group.names and row_level1:
            fill[0] = row_level1
        if names.get("level2"):
            fill[1] = names["level2"]
        row_level1 = fill[0]
        extra = {role: texts[col] for role, col in group.kept.items() if texts[col]}
        for target, value in targets:
            where = location(target.col, "指标值" if target.block is None else target.header, number)
            parts: dict[str, TargetPart] = {}
            if group.split:
                got = {role: texts[col] for role, (col, _) in group.parts.items() if role in PART_ROLES}
                value, spans = combine(value, got.get("comparator"), got.get("unit"))
                parts["number"] = TargetPart(text=texts[target.col], span=spans["number"], location=where)
                for role, (col, header) in group.parts.items():
                    if role in spans:
                        parts[role] = TargetPart(
                            text=texts[col], span=spans[role], location=location(col, header, number)
                        )
            out.append(
                IndicatorRow(
                    level1=fill[0],
                    level2=fill[1],
                    level3=names.get("level3", ""),
                    description=names.get("description", ""),
                    value=value,
                    location=where,
                    parts=parts,
                    block=target.block or group.block,
                    extra=extra,
                )
            )
            number += 1
    return out


def data_cells(cells: Iterable[tuple[int, str]], used: set[int], known: set[int]) -> list[tuple[int, str]]:
    """Cells of a row that hold text in a column with no known header (data that could not be placed)."""
    return [(col, text) for col, text in cells if text and col not in used and col not in known]
