"""The fiscal year (预算年度) of a document and of each of its tables.

`assign_fiscal_year(document, given)` sets `document.fiscal_year` and every `table.fiscal_year` to a
`FiscalYear(year, source, evidence)`. Sources, in order of precedence:

``user``
    The year given on the command line (`given`); it applies to the document and every table.

``stated``
    The document says which budget year it is. What counts as a statement is an explicit
    budget-year form, nothing looser:

    * a year in brackets: `（2025年）`, `（2025年度）`, `(2025年度)` — the form of the titles
      `…运维项目（2025年）绩效目标表` and of department-wide tables `整体支出绩效目标表（2025年度）`;
    * a year with 年度: `2025年度`, `完成2025年度办公自动化系统运维整体工作`;
    * a year with 预算: `2025年部门预算`, `2025年度部门预算`, `2025年预算`.

    A bare year in a project name or title (`2023年PECC国际贸易投资博览会`, `2025年…绩效目标表`)
    does NOT count: project names carry the year of the activity, not of the budget — the 2025
    tables of the 天津市商务局 include `2024年天津市开发区综合评价项目尾款`,
    `2024年内部控制专项经费` and `2024—2025年档案整理`, paid from the 2025 budget.

    A year the reader found stated for the whole document (a canonical file's top-level
    `fiscal-year:`) is the document's. Otherwise the document's statement is looked for in every
    table's title, project name, purpose (资金用途)
    and goals (绩效目标); a table's own statement in what its reader read as the table's year (a
    预算年度 cell or column, a line `（2024年度）` under the title), its title and project name, and
    it beats the document's. So one file may hold tables of different years: each has its own.
    Where several years are stated the most frequent wins, ties to the later year.

``inferred``
    Otherwise, from the years of the document's time targets: the `year` of each row's parsed
    target when it is a Deadline or a Schedule, or a Mixed whose measure is a Deadline, plus the
    years written (`2023年…`) in the cells of 时效指标 rows (not of 中期/长期 rows of a two-target table:
    their years are the project period's). Each row counts each of its years once;
    the most common year wins, ties to the later year. A table without a statement of its own takes
    the document's year, whatever its source.

When nothing states or implies a year, the fiscal years stay None.
"""

from __future__ import annotations

import re
from collections import Counter

from goallint.model import Deadline, Document, FiscalYear, IndicatorRow, Mixed, Schedule

_STATED = [  # each with the words any match of it holds: a text without them is not searched
    (re.compile(r"[（(]\s*(20\d{2})\s*年度?\s*[）)]"), ("（", "(")),
    (re.compile(r"(?<!\d)(20\d{2})\s*年度"), ("年度",)),
    (re.compile(r"(?<!\d)(20\d{2})\s*年度?(?:部门)?预算"), ("预算",)),
]
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def stated_years(text: str | None) -> list[tuple[int, str]]:
    """The budget years `text` states explicitly, each with the words it was read from."""
    if not text or "年" not in text:  # every statement has 年; most texts have none
        return []
    found: dict[int, tuple[int, str]] = {}  # start offset → (year, evidence); one per place
    for pattern, words in _STATED:
        if not any(word in text for word in words):
            continue
        for m in pattern.finditer(text):
            start = m.start(1)
            if start not in found:
                found[start] = (int(m.group(1)), m.group(0))
    return [found[k] for k in sorted(found)]


def row_years(row: IndicatorRow) -> set[int]:
    """Years a row's time target names: its parsed Deadline/Schedule, and years in 时效指标 cells.

    A 中期 or 长期 target (two-target tables) names years of the project period, not the budget year: none."""
    years: set[int] = set()
    if row.block is not None and row.block != "年度":
        return years
    target = row.target
    if isinstance(target, Mixed):
        target = target.measure
    if isinstance(target, (Deadline, Schedule)) and target.year is not None:
        years.add(target.year)
    if "时效" in row.level2:
        for text in (row.level3, row.description, row.value):
            years.update(int(y) for y in _YEAR.findall(text or ""))
    return years


def _most_common(counts: Counter[int]) -> int | None:
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], year))


def _decided(found: list[tuple[int, str]]) -> FiscalYear | None:
    """The stated year from the (year, words) statements in document order, or None."""
    if not found:
        return None
    counts: Counter[int] = Counter()
    evidence: dict[int, str] = {}
    for year, words in found:
        counts[year] += 1
        evidence.setdefault(year, words)
    year = _most_common(counts)
    if year is None:
        return None
    more = f"等{counts[year]}处" if counts[year] > 1 else ""
    return FiscalYear(year=year, source="stated", evidence=f"“{evidence[year]}”{more}")


def _inferred(document: Document) -> FiscalYear | None:
    counts: Counter[int] = Counter()
    examples: dict[int, str] = {}
    for table in document.tables:
        for row in table.rows:
            for year in row_years(row):
                counts[year] += 1
                examples.setdefault(year, f"{row.level3 or row.description}：{row.value}")
    year = _most_common(counts)
    if year is None:
        return None
    return FiscalYear(
        year=year,
        source="inferred",
        evidence=f"{counts[year]}个时效目标写明{year}年，如“{examples[year]}”",
    )


def assign_fiscal_year(document: Document, given: int | None = None) -> None:
    """Set `document.fiscal_year` and each `table.fiscal_year` (see the module docstring)."""
    if given is not None:
        user = FiscalYear(year=given, source="user", evidence=f"用户指定：{given}")
        document.fiscal_year = user
        for table in document.tables:
            table.fiscal_year = user
        return

    # each text is read once: a table's own statements (title, project) count for the document too
    found: list[tuple[int, str]] = []
    own: list[list[tuple[int, str]]] = []
    for table in document.tables:
        read = table.fiscal_year  # stated by the reader: a 预算年度 cell or column, a year line under the title
        mine = [(read.year, read.evidence.strip("“”"))] if read is not None and read.source == "stated" else []
        mine += stated_years(table.title) + stated_years(table.project)
        own.append(mine)
        found += mine
        found += stated_years(table.purpose)
        for goal in table.goals:
            found += stated_years(goal)
    # a year the reader found stated for the whole document (a canonical file's top-level `fiscal-year:`)
    read = (
        document.fiscal_year if document.fiscal_year is not None and document.fiscal_year.source == "stated" else None
    )
    document.fiscal_year = read or _decided(found) or _inferred(document)
    for table, mine in zip(document.tables, own, strict=False):
        table.fiscal_year = _decided(mine) or document.fiscal_year
