"""What every reader knows about a performance target form (绩效目标表), in one place.

The Word and Excel form reader (form.py), the Word dump reader (word_dump.py), the long layout
(long.py) and the department-wide readers share this module instead of keeping their own copies:

* text: the key a label is looked up by (`normalize`), a multi-paragraph cell as one line (`flat`,
  `join_wrapped`), the 绩效目标 cell split into numbered goals (`split_goals`: `1.` `2、` `3．`);
* amounts: a cell holding an amount (`12.00`, `1,200.50`, `１２．５万元`, `12 万元`) read as a number
  and the unit written after it (`parse_amount`), money written in free text
  (`120万元（其中财政资金100万元）`, `money_in_text`), and the quantity in the table's unit;
* the form's labels: rules/lexicon/form-labels.yaml (header labels, grid column labels, titles,
  department markers, table units), read once (`labels`);
* the category hierarchy: rules/lexicon/category-levels.yaml with the spellings of
  rules/lexicon/category-aliases.yaml (`category_levels`), for readers that must recognise a
  category name in running text (PDF text lines).

Data stays in rules/lexicon/; this module only reads it. Nothing here knows a layout: a reader
decides where a label's value is, this module says what the label and the value mean.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import NamedTuple, TypeVar

from goallint.model import Budget, Location, constructor
from goallint.units import TABLE_UNITS, quantity

T = TypeVar("T")

# --------------------------------------------------------------------------- text

_WS = re.compile(r"\s+")
_CJK_EDGE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]")
_GOAL_NUMBER = re.compile(r"^\s*(\d+)\s*[.．、]\s*")


def normalize(text: str) -> str:
    """The key a label is looked up by: NFKC, no whitespace, no trailing `*` or `:`."""
    return _WS.sub("", unicodedata.normalize("NFKC", text)).rstrip("*:")


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a cell, stripped."""
    return [p.strip() for p in text.split("\n") if p.strip()]


def join_cjk(parts: list[str]) -> str:
    """Paragraphs as one line: joined without a space where either side is Chinese, else with one."""
    if not parts:
        return ""
    out = parts[0]
    for para in parts[1:]:
        out += para if _CJK_EDGE.match(out[-1]) or _CJK_EDGE.match(para[0]) else " " + para
    return out


def flat(text: str) -> str:
    """A multi-paragraph cell as one line: Chinese text broken over lines is joined without a space."""
    if "\n" not in text:
        return text.strip()
    return join_cjk(paragraphs(text))


def join_wrapped(parts: Iterable[str]) -> str:
    """The lines of a cell wrapped by a page layout (PDF): no space, except between two ASCII
    letters or digits (`ISO` / `9001` stay apart)."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def has_goal_number(line: str) -> bool:
    """Whether a line begins with a goal number (`1.` `2、` `3．`)."""
    return _GOAL_NUMBER.match(line) is not None


def split_goals(lines: Iterable[str], joiner: str = "") -> list[str]:
    """Goal items `1.… 2、… 3．…`, numbering removed.

    A line starts a new item when it begins with the next expected number; any other line
    continues the item before it, joined by `joiner` (the form joins wrapped paragraphs without a
    separator; the long layout keeps its line breaks)."""
    return [text for _, text in numbered_goals(lines, joiner)]


def numbered_goals(lines: Iterable[str], joiner: str = "") -> list[tuple[int, str]]:
    """split_goals with each item's first line: (index in `lines`, item) — where a reader with lines
    (a Word dump) says each goal stands."""
    items: list[list] = []
    for index, line in enumerate(lines):
        m = _GOAL_NUMBER.match(line)
        if m and int(m.group(1)) == len(items) + 1:
            items.append([index, line[m.end() :].strip()])
        elif items:
            items[-1][1] += joiner + line
        elif line.strip():
            items.append([index, line.strip()])
    return [(index, text.strip()) for index, text in items if text.strip()]


# --------------------------------------------------------------------------- amounts

# a number as tables print amounts: 12 / 12.00 / 1,200.50 (after NFKC: full-width digits, `．` and `，`
# are ASCII); an amount cell may end in the unit (`12.00万元`)
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_AMOUNT = re.compile(rf"^({_NUMBER.pattern})(万元|元)?$")
AMOUNT_NUMBER = re.compile(rf"^{_NUMBER.pattern}$")  # a token that is a bare amount (PDF text lines)
# money inside a sentence: `120万元`, `其中财政资金100万元`, `财政拨款：80.5万元`
_MONEY = re.compile(rf"({_NUMBER.pattern})\s*(万元|元)")


class Money(NamedTuple):  # a tuple: made for every amount cell, so cheap to make
    """An amount as written: its number and the unit written with it (None: the table's unit)."""

    number: Decimal
    unit: str | None
    text: str

    def quantity(self, table_unit: str | None):
        """The amount as a quantity, in its own unit or else `table_unit`; None when neither is known."""
        unit = self.unit or table_unit
        if unit is None:
            return None
        return quantity(float(self.number), TABLE_UNITS[unit])


def _compact(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def parse_amount(text: str) -> Money | None:
    """A cell holding one amount (`12.00`, `1,200.50`, `１２．５万元`, `12 万元`), else None."""
    stripped = text.strip()
    m = _AMOUNT.match(stripped)  # the common case, `12.00`, without normalising
    if m is None:
        m = _AMOUNT.match(_compact(text))
        if m is None:
            return None
    try:
        number = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    return Money(number, m.group(2), stripped)  # (number, unit, text): made for every amount cell


def amount_number(text: str) -> Decimal | None:
    """The number of a cell or token holding a bare amount (`12.00`, `1,200`, `１２`), else None."""
    money = parse_amount(text)
    return money.number if money is not None and money.unit is None else None


def money_in_text(text: str, fields: dict[str, str]) -> dict[str, Money]:
    """Amounts written in a sentence: the first one is the total; one right after a label of `fields`
    (normalised label → field, e.g. `财政资金` → fiscal) is that field's.
    `120万元（其中财政资金100万元）` → {total: 120万元, fiscal: 100万元}."""
    compact = _compact(text)
    found: dict[str, Money] = {}
    labels = sorted(fields, key=len, reverse=True)
    for m in _MONEY.finditer(compact):
        before = compact[: m.start()].rstrip(":：为是共计")
        name = next((fields[label] for label in labels if before.endswith(label)), None)
        if name is None:
            name = "total" if "total" not in found else None
        if name is not None and name not in found:
            found[name] = Money(number=Decimal(m.group(1).replace(",", "")), unit=m.group(2), text=m.group(0))
    return found


def amount_and_parts(text: str, name: str) -> tuple[Money | None, dict[str, Money]]:
    """The amount of a `name` cell (total, fiscal, …) and, for a total written as a sentence, the parts
    it names: `120万元（其中财政资金100万元）` → (120万元, {fiscal: 100万元}). (None, {}) when the cell
    holds no amount."""
    money = parse_amount(text)
    if money is not None or name != "total":
        return money, {}
    found = money_in_text(text, part_labels())
    total = found.pop("total", None)
    return total, (found if total is not None else {})


MID = "mid:"  # prefix of the amounts of 中期资金总额's block: mid:total, mid:fiscal, …
AMOUNT_NAMES = {"total": "预算数", "fiscal": "财政资金", "other": "其他资金", "carryover": "上年结转"}


def amount_label(key: str) -> str:
    """How messages name an amount: 预算数, 财政资金 …, 中期资金总额, 中期资金的财政资金."""
    if key == MID + "total":
        return "中期资金总额"
    name = key.removeprefix(MID)
    return f"中期资金的{AMOUNT_NAMES[name]}" if key != name else AMOUNT_NAMES[name]


def read_budget(amounts: dict[str, tuple[str, T]], unit: str | None, mid: bool, problem: Callable) -> Budget:
    """The Budget of the amount cells `amounts` (key → (text, where the cell is)) of the table (`mid`
    False) or of its 中期资金总额 block (keys `mid:…`), in the cell's own unit or else `unit`.
    `problem(code, label, text, where)` is told of each cell that is not an amount (`bad-amount`) or
    has no unit (`missing-unit`). A total written as a sentence gives the parts it names where no
    cell of the table says them."""
    values: dict = {}
    parts: dict = {}
    for key, (text, where) in amounts.items():
        if key.startswith(MID) != mid:
            continue
        name = key.removeprefix(MID)
        values[name] = None
        if not text:
            continue
        money, found = amount_and_parts(text, name)
        if money is None:
            problem("bad-amount", amount_label(key), text, where)
            continue
        values[name] = money.quantity(unit)
        if values[name] is None:
            problem("missing-unit", amount_label(key), text, where)
        for part, m in found.items():
            if (q := m.quantity(unit)) is not None:
                parts.setdefault(part, q)
    for part, q in parts.items():
        if values.get(part) is None:
            values[part] = q
    return constructor(Budget, *values)(*values.values())  # quantities made here: nothing to validate


# --------------------------------------------------------------------------- the form's labels (data)

HEADER_FIELDS = (
    "project",
    "total",
    "fiscal",
    "other",
    "carryover",
    "mid_total",
    "purpose",
    "goals",
    "mid_goals",
    "supervisor",
    "implementer",
    "attribute",
    "period",
    "fiscal_year",
    "funds",
    "results",
)
AMOUNT_FIELDS = ("total", "fiscal", "other", "carryover", "mid_total")
GOAL_FIELDS = ("goals", "mid_goals")


@dataclass(frozen=True)
class Labels:
    header: dict[str, str]  # normalised label → header field
    department: tuple[str, ...]  # normalised markers of a department-wide table
    title_endings: tuple[str, ...]
    units: dict[str, str]  # as written → "元" / "万元"
    headings: frozenset[str]  # header fields that introduce a block and take no value of their own
    closing: tuple[str, ...]  # normalised first cells of total and footer rows (合计, 填表人 …)
    page_numbers: tuple[re.Pattern, ...]  # whole lines that are a page number (第 1 页 共 3 页, - 2 -)


_TRAILING_BRACKET = re.compile(r"^(.+?)\(([^()]*)\)$")


@cache
def labels() -> Labels:
    """rules/lexicon/form-labels.yaml, read once. Raises ValueError naming the file for an unknown field."""
    from goallint.resources import rules_dir
    from goallint.yamlpos import load_plain

    path = rules_dir() / "lexicon" / "form-labels.yaml"
    data = load_plain(path)[0]  # from the parse cache, like the rule files: no YAML parser at start-up

    def index(groups: dict, allowed: tuple[str, ...]) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, variants in groups.items():
            if name not in allowed:
                raise ValueError(f"{path}: unknown field {name!r}")
            for variant in variants:
                out[normalize(str(variant))] = name
        return out

    headings = frozenset(str(v) for v in data.get("headings", []))
    if unknown := headings - set(HEADER_FIELDS):
        raise ValueError(f"{path}: unknown heading field(s) {sorted(unknown)}")
    return Labels(
        header=index(data["header"], HEADER_FIELDS),
        department=tuple(normalize(str(v)) for v in data["department"]),
        title_endings=tuple(normalize(str(v)) for v in data["title_endings"]),
        units={str(k): str(v) for k, v in data["units"].items()},
        headings=headings,
        closing=tuple(normalize(str(v)) for v in data.get("closing", [])),
        page_numbers=tuple(re.compile(str(v)) for v in data.get("page_numbers", [])),
    )


@lru_cache(maxsize=1 << 12)  # the same few label texts on every table of a file
def header_label(text: str) -> tuple[str, str | None] | None:
    """(field, unit in the label or None) when `text` is a header label: `预算数（万元）` → ("total", "万元")."""
    if not text:
        return None
    key = normalize(text)
    lab = labels()
    if key in lab.header:
        return lab.header[key], None
    # a bracket after the label: its unit (`预算数（万元）`) or a note (`中期目标（2024年-2026年）`, `填报单位（盖章）`)
    m = _TRAILING_BRACKET.match(key)
    if m and m.group(1) in lab.header:
        return lab.header[m.group(1)], m.group(2) if m.group(2) in lab.units else None
    return None


def unknown_unit_message(number: int, name: str, unit_text: str | None) -> str:
    """The unknown-unit problem's message, the same from every reader."""
    return f"表{number}（{name}）的金额单位“{unit_text}”无法识别（应为“元”或“万元”）"


def no_project_message(number: int, name: str, has_cell: bool) -> str:
    """The no-project-name problem's message (said once a file), the same from every reader."""
    blank = "项目名称一栏为空" if has_cell else "表中没有项目名称一栏"
    return f"表{number}（{name}）{blank}，按单位整体的目标表读取（项目名称为空）；本文件其他没有项目名称的表不再提示"


def is_page_number(line: str) -> bool:
    """A printed page number (`第 1 页 共 3 页`, `- 2 -`, `2/5`), form-labels.yaml `page_numbers`."""
    text = line.strip()
    return any(p.match(text) for p in labels().page_numbers)


@lru_cache(maxsize=1 << 12)  # asked of the first cell of every indicator row: the same few texts
def is_closing(text: str) -> bool:
    """A total or footer row's first cell (`合计`, `总分`, `填表人：张三  联系电话：…`), form-labels.yaml `closing`."""
    key = _WS.sub("", unicodedata.normalize("NFKC", text or ""))
    return any(key == word or key.startswith(word + ":") for word in labels().closing)


PART_FIELDS = ("fiscal", "other", "carryover")  # the parts of a total


def field_name(name: str) -> str:
    """The key of Table.field_locations for a header field as readers name it (`mid:total` → `mid_budget.total`)."""
    if name.startswith(MID):
        return "mid_budget." + name[len(MID) :]
    return "budget." + name if name in AMOUNT_FIELDS else name


@cache
def part_labels() -> dict[str, str]:
    """Labels of the parts of a total as a sentence names them (财政资金, 财政拨款, 其他资金, 上年结转)."""
    return {label.removeprefix("其中:"): name for label, name in labels().header.items() if name in PART_FIELDS}


def column_label(text: str) -> str | None:
    """The role of an indicator grid header (`三级指标` → level3, `*指标值` → value, `权重(%)` → weight):
    the column vocabulary of readers/columns.py (rules/lexicon/indicator-columns.yaml) with the user's
    `columns:` for the file being read (not cached here: that vocabulary caches each text's role)."""
    if not text:
        return None
    from goallint.readers.columns import role_of

    return role_of(text)


@lru_cache(maxsize=1 << 12)  # asked of every cell of a table's first rows
def is_title(text: str) -> bool:
    key = normalize(text)
    return any(ending in key for ending in labels().title_endings)


@lru_cache(maxsize=1 << 12)  # asked of every cell of a table's first rows
def is_department_marker(text: str) -> bool:
    key = normalize(text)
    return any(marker in key for marker in labels().department)


def table_unit(text: str) -> str | None:
    """ "元" or "万元" for a unit as written after 单位： (`万元`, ` 万 元 `); None when unknown."""
    return labels().units.get(_WS.sub("", text))


def unit_of_table(stated: str | None, hint: str | None, previous: str | None) -> tuple[str | None, bool]:
    """The table's unit and whether a stated one is unknown: as stated (`单位：万元`), else from a label
    (`预算数（万元）`), else the previous table's of the file (a document lists one unit's tables alike)."""
    if stated is not None:
        unit = table_unit(stated)
        return unit, unit is None
    return (hint if hint is not None else previous), False


# --------------------------------------------------------------------------- the header block as read

# the cells of a header block that are not label | value pairs, and the values some labels take
NUMBERED_TITLE = re.compile(r"^(\d+)\s*[.．、]\s*(.+)$", re.S)  # `1.某某项目绩效目标表`: number, title
DEPARTMENT_CELL = re.compile(r"^(\d{6})\s*([^\d\s.．、].*)$", re.S)  # `573301中国国际贸易促进委员会天津市分会`
UNIT_CELL = re.compile(r"^(?:金额)?单位\s*[：:]\s*(.*)$", re.S)  # `单位：万元`, `金额单位：元`
YEAR_ONLY = re.compile(r"^[（(]?\s*((?:19|20)\d{2})\s*年度?\s*[）)]?$")  # `（2024年度）` on its own under the title
YEAR_VALUE = re.compile(r"^[（(]?\s*((?:19|20)\d{2})\s*(?:年度?)?\s*[）)]?$")  # the value of 预算年度
LABEL_VALUE = re.compile(r"^([^：:]{2,16})[：:]\s*(\S.*)$", re.S)  # `项目期：2024-2026年`: label and value in one cell


@dataclass(slots=True, kw_only=True)
class PrintedHeader:
    """What the header block of one table says (title, department, unit, project, purpose, goals …), as a
    reader collects it cell by cell: readers/form_header.py for Word and Excel grids, readers/word_dump.py
    for Word text dumps. Each adds where its cells were; the Table fields are made from it at the end."""

    title: str | None = None
    printed_number: int | None = None  # the number printed before the title: `1.` → 1
    year_statement: tuple[int, str] | None = None  # (year, as written) from a 预算年度 cell or a year line
    department_code: str | None = None
    department_name: str | None = None
    project: str | None = None
    unit_text: str | None = None  # as written after 单位：
    unit_hint: str | None = None  # from a label such as 预算数（万元）
    purpose: str = ""
    goals: list[str] = field(default_factory=list)
    mid_goals: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # supervisor, implementer, attribute, period as written
    seen: set[str] = field(default_factory=set)  # the header fields whose labels were seen
    # where each field's value stands (Table.field_locations): a grid's cell, a dump's line
    places: dict[str, Location] = field(default_factory=dict)


# --------------------------------------------------------------------------- code and name (主管部门及代码)

_CODE_NAME = re.compile(r"^[\[【(（]?(\d{3,12})[\]】)）]?\s*[-—:：]?\s*(\D.*)$", re.S)
_NAME_CODE = re.compile(r"^(.*?\D)\s*[\[【(（](\d{3,12})[\]】)）]$", re.S)


def code_and_name(text: str) -> tuple[str | None, str | None]:
    """A unit written with its code: `[573301]中国贸促会天津市分会`, `573301 某局`, `某局（573301）`."""
    text = flat(text)
    if not text:
        return None, None
    m = _CODE_NAME.match(text)
    if m:
        return m.group(1), m.group(2).strip() or None
    m = _NAME_CODE.match(text)
    if m:
        return m.group(2), m.group(1).strip() or None
    return None, text


# --------------------------------------------------------------------------- 项目期 (project period)

_PERIOD_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_PERIOD_LENGTH = re.compile(r"^(?:共|为期)?(\d{1,2}|[一二两三四五六七八九十]{1,2})年(?:期)?$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _small_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 2 and text[0] == "十":  # 十一 … 十九
        return 10 + _CHINESE_DIGITS[text[1]]
    if len(text) == 2 and text[1] == "十":  # 二十
        return _CHINESE_DIGITS[text[0]] * 10
    return _CHINESE_DIGITS[text]


def project_period(text: str):
    """项目期 as written: `2024-2026年`, `2024年至2026年`, `2024.1-2026.12` (first and last year),
    `3年` / `三年` (a length), `2024年` (one year). None when it names no year."""
    from goallint.model import ProjectPeriod

    compact = _compact(text)
    years = [int(y) for y in _PERIOD_YEAR.findall(compact)]
    if years:
        start, end = min(years), max(years)
        return ProjectPeriod(text=text, start=start, end=end, years=end - start + 1)
    m = _PERIOD_LENGTH.match(compact)
    if m:
        return ProjectPeriod(text=text, years=_small_number(m.group(1)))
    return None


# --------------------------------------------------------------------------- the category hierarchy (data)


@dataclass(frozen=True)
class CategoryLevels:
    level1: frozenset[str]  # 一级指标 names as the hierarchy writes them
    level2: dict[str, tuple[str, ...]]  # 二级指标 → the 一级指标 it may stand under
    cost_level2: frozenset[str]  # 二级指标 standing only under 成本指标 as a 一级指标 (经济成本指标 …)
    level2_spellings: frozenset[str]  # 二级指标 names, their aliases and their names without 指标


@cache
def category_levels() -> CategoryLevels:
    """rules/lexicon/category-levels.yaml with the spellings of category-aliases.yaml, read once."""
    from ruamel.yaml import YAML

    from goallint.resources import rules_dir

    folder = rules_dir() / "lexicon"
    levels = YAML(typ="safe").load((folder / "category-levels.yaml").read_text(encoding="utf-8"))
    aliases = YAML(typ="safe").load((folder / "category-aliases.yaml").read_text(encoding="utf-8"))["aliases"]
    level2 = {str(k): tuple(str(p) for p in v) for k, v in levels["level2"].items()}
    cost = frozenset(str(v) for v in levels.get("cost-level2", []))
    spellings: set[str] = set()
    for name in level2:
        spellings.add(name)
        spellings.add(name.removesuffix("指标"))
        spellings.update(str(a) for a in aliases.get(name, []))
    return CategoryLevels(
        level1=frozenset(str(v) for v in levels["level1"]),
        level2=level2,
        cost_level2=cost,
        level2_spellings=frozenset(spellings),
    )
