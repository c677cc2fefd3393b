"""The indicator grid of a department-wide table's text dump: lines → indicator rows.

See readers/department/dump.py for the layout. A line may start with labels (`目标5`, a 一级指标
name, a 二级指标 name: the category levels of rules/lexicon/, readers/department/common.levels); the
rest is 三级指标 and/or 年度指标值. A measurable value (`≥17台`, `≤409.6万元`, `2025年底前`,
`12个月内完成`, `≥ 95%`) is the last whitespace-separated token(s) of a line; the lines before it
since the last row are the wrapped 三级指标. A descriptive value (效益指标 rows:
`提升办公效率和社会影响力`) has no such mark, and 三级指标 and value are both wrapped text in
sequence. They are told apart by line width: the 三级指标 column is narrower than the value
column, and a cell's line is continued on the next line only when it is (nearly) full. The two
widths are measured in the file: the value column's as the widest text line, the 三级指标
column's as the widest line of a wrapped 三级指标 of a measurable row (fallback: two thirds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from goallint.model import IndicatorRow, Table
from goallint.readers.department.common import join_wrapped, levels, width

if TYPE_CHECKING:
    from goallint.readers.department.dump import DumpReader

_COMPARATOR_ONLY = re.compile(
    r"^(?:[≥≤＞＜＝=<>≧≦]|不少于|不低于|不高于|不超过|不大于|不小于|大于|小于|低于|高于|达到|约)$"
)
_VALUE = re.compile(
    r"^(?:[≥≤＞＜＝=<>≧≦]|不少于|不低于|不高于|不超过|不大于|不小于|大于|小于|低于|高于|达到|约)?\s*"
    r"\d[\d.,]*(?P<rest>.*)$"
)
_YEAR_TOKEN = re.compile(r"^\d{4}年$")
_CLAUSE_PUNCT = re.compile(r"[，。；、：！？]")


def is_value(text: str) -> bool:
    """A measurable 指标值: a number after an optional comparator, with a short unit or tail."""
    m = _VALUE.match(text.strip())
    if not m:
        return False
    rest = m.group("rest")
    return len(rest.replace(" ", "")) <= 10 and not _CLAUSE_PUNCT.search(rest)


def split_value(text: str) -> tuple[str, str] | None:
    """Split `三级指标 指标值` at the value: the last token(s) of the line when they are a value.

    Returns (三级指标 part, value) or None when the line holds no measurable value. A bare comparator
    (`≥ 95%`), a year (`2025年 12月底前`) or a bare unit (`95 %`) next to the value is part of it.
    """
    tokens = text.split()
    if not tokens:
        return None
    i = len(tokens) - 1
    if not is_value(tokens[i]):
        # `95 %`: a number then a short unit token
        if i >= 1 and is_value(tokens[i - 1]) and not any(c.isdigit() for c in tokens[i]) and len(tokens[i]) <= 3:
            i -= 1
        else:
            return None
    while i >= 1 and (_COMPARATOR_ONLY.match(tokens[i - 1]) or _YEAR_TOKEN.match(tokens[i - 1])):
        i -= 1
    # keep the value's own spacing as written
    value_start = _token_offset(text, i)
    return text[:value_start].strip(), text[value_start:].strip()


def _token_offset(text: str, index: int) -> int:
    for n, m in enumerate(re.finditer(r"\S+", text)):
        if n == index:
            return m.start()
    return len(text)


def _last_token_gap_split(text: str) -> tuple[str, str] | None:
    """`三级指标 descriptive-value` on one line: split at the last space between two CJK characters."""
    m = re.match(r"^(.*\S)\s+(\S+)$", text)
    if not m:
        return None
    left, right = m.group(1), m.group(2)
    if width(left[-1]) == 1.0 and width(right[0]) == 1.0 and not _CLAUSE_PUNCT.match(right[0]):
        return left, right
    return None


@dataclass
class _Piece:
    line: int
    text: str
    width: float
    new_cell: bool  # starts a cell (after labels on the same line)


def read_rows(reader: DumpReader, table: Table, start: int, stop: int) -> None:
    """The indicator rows of lines [start, stop) into `table` (problems and truncation on `reader`)."""
    lev = levels()
    lines = reader.content(start, stop)
    # pass 1: labels, pieces, values per line
    events: list[tuple] = []
    for ln in lines:
        rest = ln.text
        labels: dict[str, object] = {}
        m = re.match(r"^(目标\s*(\d{1,3}))(?:\s+|$)", rest)
        if m:
            labels["goal"] = int(m.group(2))
            rest = rest[m.end() :]
        m = re.match(r"^(\S+)(?:\s+|$)", rest)
        if m and m.group(1) in lev.level1:
            after = rest[m.end() :].split()
            if m.group(1) != "成本指标" or (after and after[0] in lev.cost_level2):
                labels["level1"] = m.group(1)
                rest = rest[m.end() :]
        m = re.match(r"^(\S+)(?:\s+|$)", rest)
        if m and m.group(1) in lev.level2:
            labels["level2"] = m.group(1)
            rest = rest[m.end() :]
        rest = rest.strip()
        split = (split_value(rest) or _last_token_gap_split(rest)) if rest else None
        events.append((ln, labels, rest, split))

    # the two column widths
    text_widths = [width(rest) for _, labels, rest, split in events if rest and not split and not labels]
    value_width = max(text_widths, default=0.0)
    # the 三级指标 column: the full lines of wrapped 三级指标 cells of measurable rows (a run of
    # narrow text lines ended by a value alone on its line)
    wrapped_l3: list[float] = []
    run: list[float] = []
    for _, labels, rest, split in events:
        if labels or split:
            if split and split[0] == "" and len(run) > 1 and all(w <= value_width * 0.8 for w in run):
                wrapped_l3.extend(run[:-1])
            run = []
        elif rest:
            run.append(width(rest))
    l3_width = max(wrapped_l3, default=round(value_width * 2 / 3))

    # pass 2: rows
    state = {"goal": None, "level1": "", "level2": ""}
    pending: list[_Piece] = []
    seen_goals: list[int] = []
    last_row: dict | None = None

    def emit(level3: str, value: str, line: int, value_piece_width: float = 0.0) -> dict:
        row = {
            "goal": state["goal"], "level1": state["level1"], "level2": state["level2"],
            "level3": level3, "value": value, "line": line, "value_width": value_piece_width,
        }  # fmt: skip
        rows.append(row)
        return row

    def segment(pieces: list[_Piece]) -> list[list[_Piece]]:
        cells: list[list[_Piece]] = []
        for piece in pieces:
            if not cells or piece.new_cell:
                cells.append([piece])
                continue
            column_is_l3 = (len(cells) - 1) % 2 == 0
            full = l3_width if column_is_l3 else value_width
            fits = piece.width <= l3_width + 1 if column_is_l3 else True
            if cells[-1][-1].width >= full - 2 + (1 if not column_is_l3 else 0) and fits:
                cells[-1].append(piece)
            else:
                cells.append([piece])
        return cells

    def pair(cells: list[list[_Piece]], at_end: bool) -> None:
        for i in range(0, len(cells) - 1, 2):
            l3, value = cells[i], cells[i + 1]
            emit(join_wrapped([p.text for p in l3]), join_wrapped([p.text for p in value]), value[0].line,
                 value[-1].width)  # fmt: skip
        if len(cells) % 2:
            lone = cells[-1]
            if at_end:
                reader.truncated = True
            else:
                text = join_wrapped([p.text for p in lone])
                reader.problem(
                    "unpaired-cell", f"无法确定“{text}”是三级指标还是指标值（按三级指标读取，指标值为空）", lone[0].line
                )
            emit(join_wrapped([p.text for p in lone]), "", lone[0].line)

    def flush(at_end: bool = False) -> None:
        nonlocal pending
        if pending:
            pair(segment(pending), at_end)
        pending = []

    rows: list[dict] = []
    for ln, labels, rest, split in events:
        if labels:
            flush()
            last_row = None
            if "goal" in labels and labels["goal"] != state["goal"]:
                state.update(goal=labels["goal"], level1="", level2="")
                if labels["goal"] not in seen_goals:
                    seen_goals.append(labels["goal"])  # type: ignore[arg-type]
            if "level1" in labels:
                state.update(level1=labels["level1"], level2="")
            if "level2" in labels:
                state["level2"] = labels["level2"]
        if not rest:
            continue
        if state["goal"] is None:
            reader.problem("unparsed-line", f"绩效目标编号（目标N）之前的内容：{ln.text}", ln.number)
            continue
        if split:
            l3_part, value = split
            if l3_part:
                pending.append(_Piece(ln.number, l3_part, width(l3_part), bool(labels)))
            cells = segment(pending)
            pending = []
            l3_cell = (cells.pop() if cells else []) if l3_part or not cells else cells.pop()
            if cells:
                pair(cells, False)
            last_row = emit(join_wrapped([p.text for p in l3_cell]), value, ln.number, width(value))
            continue
        if last_row is not None and not labels and last_row["value_width"] >= value_width - 1 and value_width:
            # a measurable value that filled its column and wraps onto this line
            last_row["value"] = join_wrapped([last_row["value"], rest])
            last_row["value_width"] = width(rest)
            continue
        last_row = None
        pending.append(_Piece(ln.number, rest, width(rest), bool(labels)))
    flush(at_end=True)

    for i, row in enumerate(rows, start=1):
        table.rows.append(
            IndicatorRow(
                goal=row["goal"],
                level1=row["level1"],
                level2=row["level2"],
                level3=row["level3"],
                value=row["value"],
                location=reader.loc(row["line"], row=i, column="年度指标值"),
            )
        )
    expected = list(range(1, len(table.goals) + 1))
    missing = [n for n in expected if n not in seen_goals]
    if missing:
        reader.truncated = True
        reader.problem(
            "truncated-table",
            "以下绩效目标没有绩效指标（文件可能不完整）：" + "、".join(f"目标{n}" for n in missing),
            reader.lines[-1].number if reader.lines else None,
        )
