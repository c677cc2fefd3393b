"""The long layout: one indicator per row, the project's header repeated on every row.

Used by the CSV reader and by the Excel reader for sheets in this layout (and, in reverse, by the
long-layout writers). A sheet or file may hold several projects:

    项目名称 | 单位 | 预算数 | 财政资金 | 其他资金 | 绩效目标 | 一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值
    信息化运维 | 万元 | 12.00 | 12.00 | | 1.确保… | 产出指标 | 数量指标 | 硬件采购数量 | … | ≥17台
    信息化运维 | 万元 | 12.00 | 12.00 | | 1.确保… | 产出指标 | 质量指标 | 系统验收合格率 | … | ≥90%

Columns are found by their header text, never by position. The header texts each field accepts
are data: `rules/lexicon/column-names.yaml`. Required: 项目名称, 三级指标, 指标值; all others are
optional, and columns the lexicon does not know are ignored.

Rows become Tables by project name, in the order each project first appears. A header cell
(project name, unit, budget, goals, …) left empty means "as above": an empty 项目名称 continues the
previous row's project, so merged cells and hand-made sheets that fill the header only on a
project's first row both work. Two rows of one project that give different non-empty values for
the same header field produce an `inconsistent-header` Problem naming both rows; the first value
is kept. Indicator cells (一级指标 … 指标值) are taken as written, never filled down. A row whose
five indicator cells are all empty adds no indicator (a project without indicators still becomes a
Table); an entirely empty row is skipped.

The 绩效目标 cell is split into goals like the printed form: a line beginning with the next number
(`1.` `2、` `3．`) starts a goal, other lines continue the goal before them. Writers number every
goal.

API (stable; the Excel reader calls it)::

    read_rows(path, header, rows, header_location, *, format="csv", first_table=1) -> Document

`header` is the header row's cells; `rows` yields `(cells, location)` for each row after the
header, where `location` is a Location with `file` and either `line` (CSV: the source line) or
`sheet` + `cell` (Excel: the address of the row's first cell, e.g. "A5"). Cells may be str, None,
int or float (openpyxl values): numbers are turned into text without a spurious ".0". Missing
required columns or two columns meaning the same field raise InputError naming the file and the
header row. `find_header(rows)` and `is_long_header(cells)` help a caller find the header row.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from goallint.errors import InputError
from goallint.model import Budget, Document, FiscalYear, IndicatorRow, Location, Problem, Table, TargetPart
from goallint.readers import form_knowledge as knowledge
from goallint.readers.columns import BLOCKS

HEADER_FIELDS = (
    "table_number",
    "title",
    "department_code",
    "department_name",
    "fiscal_year",
    "project",
    "unit",
    "total",
    "fiscal",
    "other",
    "purpose",
    "goals",
    # other templates' header fields (readers/form_header.py): written only where a table has them
    "form",
    "supervisor",
    "implementer",
    "attribute",
    "period",
    "carryover",
)
INDICATOR_FIELDS = ("level1", "level2", "level3", "description", "value")
ROW_FIELDS = ("block",)  # which target of a two-target table the row is: 年度, 中期, 长期
AMOUNT_FIELDS = ("total", "fiscal", "other", "carryover")
FORMS = {"绩效自评表": "self-evaluation"}  # 表类型 as written → Table.form
# written even when every table leaves them empty; the others only when some table has a value
ALWAYS_WRITTEN = {"project", "unit", "total", "fiscal", "other", "goals", *INDICATOR_FIELDS}

_UNIT_SUFFIX = re.compile(r"^(.+?)\((万元|元)\)$")
_UNIT_CELL = re.compile(r"^(?:(?:金额)?单位[:：]?)?\s*(万元|元)$")
_CELL_ADDRESS = re.compile(r"^\$?[A-Za-z]+\$?(\d+)$")


# --------------------------------------------------------------------------- the lexicon


@dataclass(frozen=True)
class ColumnLexicon:
    columns: dict[str, tuple[str, ...]]  # field → header texts, the first is the written one
    required: tuple[str, ...]
    by_key: dict[str, str]  # normalised header text → field

    def written_name(self, field_name: str) -> str:
        return self.columns[field_name][0]


def normalize_header(text: Any) -> str:
    """NFKC, no whitespace, no trailing `*`: the key a header cell is looked up by."""
    text = unicodedata.normalize("NFKC", cell_text(text))
    return re.sub(r"\s+", "", text).rstrip("*")


@cache
def lexicon() -> ColumnLexicon:
    from ruamel.yaml import YAML

    from goallint.resources import rules_dir

    path = rules_dir() / "lexicon" / "column-names.yaml"
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    columns = {name: tuple(str(v) for v in variants) for name, variants in data["columns"].items()}
    unknown = set(columns) - set(HEADER_FIELDS) - set(INDICATOR_FIELDS) - set(ROW_FIELDS)
    if unknown:
        raise ValueError(f"{path}: unknown fields {sorted(unknown)}")
    by_key: dict[str, str] = {}
    for name, variants in columns.items():
        for variant in variants:
            by_key[normalize_header(variant)] = name
    return ColumnLexicon(columns=columns, required=tuple(data["required"]), by_key=by_key)


# --------------------------------------------------------------------------- cells and headers


def cell_text(value: Any) -> str:
    """A cell as text: None → "", 12.0 → "12", dates as ISO dates, strings stripped."""
    if value.__class__ is str:  # nearly every cell: no isinstance chain
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass
class Columns:
    """Where each field is in a header row."""

    index: dict[str, int] = field(default_factory=dict)  # field → 0-based column
    names: dict[str, str] = field(default_factory=dict)  # field → header text as written
    unit_hint: str | None = None  # from "预算数（万元）"
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (field, first, second)
    # columns of the indicator grid's vocabulary (readers/columns.py) beside the target: 指标性质, 度量单位
    # (a target split over cells), 权重, 得分, 实际完成值 (kept, never linted): role → (column, header)
    parts: dict[str, tuple[int, str]] = field(default_factory=dict)

    def missing(self) -> list[str]:
        return [name for name in lexicon().required if name not in self.index]


def match_columns(header: Sequence[Any]) -> Columns:
    lex = lexicon()
    columns = Columns()
    for position, cell in enumerate(header):
        key = normalize_header(cell)
        if not key:
            continue
        name = lex.by_key.get(key)
        hint = None
        if name is None and (m := _UNIT_SUFFIX.match(key)):
            name, hint = lex.by_key.get(m.group(1)), m.group(2)
        if name is None:  # the indicator grid's vocabulary, shared with the form readers
            from goallint.readers.columns import KEPT_ROLES, PART_ROLES, role_of

            role = role_of(cell_text(cell))
            if role in INDICATOR_FIELDS:
                name = role
            elif role in PART_ROLES or role in KEPT_ROLES:
                columns.parts.setdefault(role, (position, cell_text(cell)))
        if name is None:
            continue
        if name in columns.index:
            columns.duplicates.append((name, columns.names[name], cell_text(cell)))
            continue
        columns.index[name] = position
        columns.names[name] = cell_text(cell)
        if hint and name in AMOUNT_FIELDS:
            columns.unit_hint = columns.unit_hint or hint
    return columns


def is_long_header(cells: Sequence[Any]) -> bool:
    """True when the cells hold every required column of the long layout."""
    columns = match_columns(cells)
    return not columns.missing() and not columns.duplicates


def find_header(rows: Sequence[Sequence[Any]], limit: int = 10) -> int | None:
    """Index of the header row among the first `limit` rows (a title row may come first).

    The first row holding all required columns; else the row with the most known column names,
    or the first non-empty row (so that the error about missing columns names it); None when all
    are empty.
    """
    best, best_known = None, 0
    for index, cells in enumerate(rows[:limit]):
        if is_long_header(cells):
            return index
        known = len(match_columns(cells).index)
        if known > best_known or (best is None and any(cell_text(c) for c in cells)):
            best, best_known = index, max(known, best_known)
    return best


def where(location: Location) -> str:
    """A location as the user sees it: "第 12 行" or "Sheet1!C5"."""
    if location.cell:
        return f"{location.sheet}!{location.cell}" if location.sheet else location.cell
    if location.line is not None:
        return f"第 {location.line} 行"
    if location.row is not None:
        return f"第 {location.row} 行"
    return location.file


@cache
def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _at_column(location: Location, column: int, name: str, **numbers: int) -> Location:
    """The row's location narrowed to one column (the cell address too, for spreadsheets), with the
    `numbers` given (table, row) set."""
    update: dict[str, Any] = {"column": name, **numbers}
    if location.cell and (m := _CELL_ADDRESS.match(location.cell)):
        update["cell"] = f"{_column_letters(column)}{m.group(1)}"
    return location.model_copy(update=update)


# --------------------------------------------------------------------------- values


def split_goals(text: str) -> list[str]:
    """`1.… 2.…` into items, numbering removed; a line without the next number continues an item (line
    breaks kept: the long layout writes a goal's own lines as they are)."""
    return knowledge.split_goals(text.split("\n"), joiner="\n")


def join_goals(goals: Sequence[str]) -> str:
    return "\n".join(f"{number}.{goal}" for number, goal in enumerate(goals, 1))


def _amount(text: str) -> knowledge.Money:
    """An amount cell (`12.00`, `1,200`, `１２万元`); ValueError when it is not one."""
    money = knowledge.parse_amount(text)
    if money is None:
        raise ValueError(text)
    return money


def _unit_of(text: str) -> str | None:
    m = _UNIT_CELL.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace(":", "："))
    return m.group(1) if m else None


def _year_of(text: str) -> int:
    m = re.fullmatch(r"\s*(\d{4})\s*(?:年度?)?\s*(?:\.0)?", text)
    if not m:
        raise ValueError(text)
    return int(m.group(1))


def _same(name: str, a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        if name in AMOUNT_FIELDS:
            return _amount(a).number == _amount(b).number
        if name == "fiscal_year":
            return _year_of(a) == _year_of(b)
        if name == "unit":
            return _unit_of(a) == _unit_of(b) is not None
        if name == "table_number":
            return int(float(a)) == int(float(b))
    except ValueError:
        return False
    if name == "goals":
        return split_goals(a) == split_goals(b)
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


# --------------------------------------------------------------------------- reading


@dataclass
class _Group:
    table: Table
    number: int  # the table's number in the document: groups are numbered as they first appear
    first: dict[str, tuple[str, Location]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_rows(
    path: str,
    header: Sequence[Any],
    rows: Iterable[tuple[Sequence[Any], Location]],
    header_location: Location,
    *,
    format: str = "csv",
    first_table: int = 1,
) -> Document:
    """Build a Document from a header row and the rows below it (see the module docstring)."""
    lex = lexicon()
    columns = match_columns(header)
    if columns.duplicates:
        name, a, b = columns.duplicates[0]
        raise InputError(
            path,
            f"表头（{where(header_location)}）中「{a}」和「{b}」是同一列（{lex.written_name(name)}），只能保留一个",
            line=header_location.line,
        )
    missing = columns.missing()
    if missing:
        names = "、".join(lex.written_name(name) for name in missing)
        raise InputError(
            path,
            f"表头（{where(header_location)}）缺少必需的列：{names}；列名及其写法见 rules/lexicon/column-names.yaml",
            line=header_location.line,
        )

    problems: list[Problem] = []
    groups: dict[str, _Group] = {}
    current: _Group | None = None
    # each row's texts are padded to the last column read, so that a field is `texts[position]`
    width = 1 + max([*columns.index.values(), *(position for position, _ in columns.parts.values())])
    project_at = columns.index["project"]
    header_fields = [
        (name, columns.index[name]) for name in HEADER_FIELDS if name in columns.index and name != "project"
    ]
    indicator_fields = [(name, columns.index.get(name)) for name in INDICATOR_FIELDS]
    value_at = columns.index.get("value")
    block_at = columns.index.get("block")

    for cells, location in rows:
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        if len(texts) < width:
            texts.extend([""] * (width - len(texts)))

        project = texts[project_at]
        if project:
            current = groups.get(project)
        if current is None:
            number = first_table + len(groups)
            table = Table(project=project or None, location=location.model_copy(update={"table": number}))
            current = groups[project] = _Group(table, number)
            if project:
                current.first["project"] = (project, location)
        group = current

        for name, position in header_fields:
            text = texts[position]
            if not text:
                continue
            if name not in group.first:
                group.first[name] = (text, location)
                continue
            first_text, first_location = group.first[name]
            if not _same(name, first_text, text):
                label = columns.names[name]
                group.problems.append(
                    Problem(
                        code="inconsistent-header",
                        message=(
                            f"项目「{group.table.project or ''}」的「{label}」前后不一致："
                            f"{where(_at_column(first_location, position, label))}为「{first_text}」，"
                            f"{where(_at_column(location, position, label))}为「{text}」；"
                            f"按先出现的「{first_text}」读取"
                        ),
                        location=_at_column(location, position, label),
                    )
                )

        values = {name: "" if position is None else texts[position] for name, position in indicator_fields}
        if any(values.values()):
            # the row's location, numbered once: a spreadsheet row points at its 指标值 cell, as in the
            # form layout (annotations, fixes)
            numbers = {"table": group.number, "row": len(group.table.rows) + 1}
            value_location = (
                location.model_copy(update=numbers)
                if value_at is None
                else _at_column(location, value_at, "指标值", **numbers)
            )
            parts, extra = _split_parts(values, columns, texts, value_location, location, numbers)
            block = (texts[block_at] if block_at is not None else "") or None
            if block is not None and block not in BLOCKS:
                group.problems.append(
                    Problem(
                        code="bad-cell",
                        message=f"{columns.names['block']}「{block}」应为年度、中期或长期；按年度指标读取",
                        location=_at_column(location, block_at, columns.names["block"]),
                    )
                )
                block = None
            group.table.rows.append(
                IndicatorRow(**values, location=value_location, parts=parts, extra=extra, block=block)
            )

    document = Document(path=path, format=format)
    for group in groups.values():
        _finish_table(group, columns, problems)
        document.tables.append(group.table)
    years = {t.fiscal_year.year for t in document.tables if t.fiscal_year is not None}
    if len(years) == 1 and all(t.fiscal_year is not None for t in document.tables):
        document.fiscal_year = document.tables[0].fiscal_year.model_copy()
    document.problems = problems
    return document


def _split_parts(
    values: dict[str, str],
    columns: Columns,
    texts: list[str],
    location: Location,
    row_location: Location,
    numbers: dict[str, int],
) -> tuple[dict[str, TargetPart], dict[str, str]]:
    """A target split over 指标性质 | 指标值 | 度量单位 combined into `values["value"]` (readers/columns.py), with each
    part's cell (`location` is the value's, `row_location` the row's without `numbers`); the kept cells (权重, 得分,
    实际完成值)."""
    if not columns.parts:
        return {}, {}

    def text(role: str) -> str | None:
        got = columns.parts.get(role)
        return None if got is None else (texts[got[0]] if got[0] < len(texts) else "")

    extra = {role: text(role) for role in columns.parts if role not in ("comparator", "unit") and text(role)}
    if "comparator" not in columns.parts and "unit" not in columns.parts:
        return {}, extra
    from goallint.readers.columns import combine

    number = values["value"]
    values["value"], spans = combine(number, text("comparator"), text("unit"))
    parts = {"number": TargetPart(text=number, span=spans["number"], location=location)}
    for role in ("comparator", "unit"):
        if role in spans:
            position, header = columns.parts[role]
            parts[role] = TargetPart(
                text=text(role) or "", span=spans[role], location=_at_column(row_location, position, header, **numbers)
            )
    return parts, extra


def _finish_table(group: _Group, columns: Columns, problems: list[Problem]) -> None:
    table, number = group.table, group.number
    for item in group.problems:
        item.location = item.location.model_copy(update={"table": number})
    problems.extend(group.problems)
    values = {name: text for name, (text, _) in group.first.items()}
    places = {name: location for name, (_, location) in group.first.items()}

    def problem(name: str, code: str, message: str) -> None:
        location = places[name].model_copy(update={"table": number})
        problems.append(
            Problem(code=code, message=message, location=_at_column(location, columns.index[name], columns.names[name]))
        )

    if "table_number" in values:
        try:
            table.number = int(float(values["table_number"]))
        except ValueError:
            problem("table_number", "bad-cell", f"表号「{values['table_number']}」不是整数")
    table.title = values.get("title") or None
    table.department_code = values.get("department_code") or None
    table.department_name = values.get("department_name") or None
    table.purpose = values.get("purpose", "")
    table.goals = split_goals(values.get("goals", ""))
    _other_templates(table, values, columns, problem)
    if "fiscal_year" in values:
        try:
            year = _year_of(values["fiscal_year"])
            table.fiscal_year = FiscalYear(
                year=year, source="stated", evidence=f"{columns.names['fiscal_year']}：{values['fiscal_year']}"
            )
        except ValueError:
            problem("fiscal_year", "bad-cell", f"年度「{values['fiscal_year']}」不是四位年份")

    unit = None
    if "unit" in values:
        unit = _unit_of(values["unit"])
        if unit is None:
            problem("unit", "unknown-unit", f"金额单位「{values['unit']}」无法识别，应为“元”或“万元”")
    elif columns.unit_hint:
        unit = columns.unit_hint
    table.unit = unit  # type: ignore[assignment]

    amounts: dict[str, Any] = {}
    for name in AMOUNT_FIELDS:
        if name not in values:
            continue
        money = knowledge.parse_amount(values[name])
        if money is None:
            problem(name, "bad-amount", f"金额「{values[name]}」不是数字")
            continue
        amount = money.quantity(unit)
        if amount is None:
            if "unit" not in values:
                problem(
                    name,
                    "missing-unit",
                    f"项目「{table.project or ''}」有预算金额但没有金额单位（单位列或表头“预算数（万元）”）",
                )
            continue
        amounts[name] = amount
    table.budget = Budget(**amounts)


def _other_templates(table: Table, values: dict[str, str], columns: Columns, problem) -> None:
    """表类型, 主管部门, 实施单位, 项目属性, 项目期 (readers/form_header.py reads them from a form)."""
    from goallint.model import Agency, ProjectPeriod

    if values.get("form"):
        table.form = FORMS.get(re.sub(r"\s+", "", values["form"]))  # type: ignore[assignment]
        if table.form is None:
            problem("form", "bad-cell", f"表类型「{values['form']}」无法识别，应为“{'、'.join(FORMS)}”或留空")
    elif "actual" in columns.parts or "score" in columns.parts:  # 实际完成值 / 得分 columns, as in the form
        table.form = "self-evaluation"
    for name in ("supervisor", "implementer"):
        if values.get(name):
            code, agency = knowledge.code_and_name(values[name])
            setattr(table, name, Agency(code=code, name=agency))
    table.attribute = values.get("attribute") or None
    if values.get("period"):
        table.period = knowledge.project_period(values["period"]) or ProjectPeriod(text=values["period"])


# writing the long layout: goallint/convert/long_rows.py
