"""Indicator names that do not say what is measured (GL606): a table-wide look at the 三级指标 column.

The duplicate rules (GL705, GL708) compare rows within one 二级指标. A table can instead give one
name to rows of several categories — often the project's own name under 数量, 质量, 时效, 成本, 效益
and 满意度, each with a different value — or name its indicators after the project, or write a
category name (`数量指标`, `社会成本指标`) where the indicator belongs. Then no row says what it
measures. The check reports the table once, at the first such row, listing them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from goallint.engine.checks import CheckContext, Hit, register_check
from goallint.engine.checks.structure import categories
from goallint.engine.lexicon import normalize_name
from goallint.model import IndicatorRow

# a project name's administrative prefix (YW（市级）, WJM（中央）, ZX) and the year in it: not part of what it names
_PROJECT_PREFIX = re.compile(r"^[A-Za-z]{1,5}\s*(?:[（(][^）)]{1,6}[）)])?")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def _bare_project(project: str) -> str:
    text = _PROJECT_PREFIX.sub("", project.strip())
    return normalize_name(_BRACKETS.sub("", _YEAR.sub("", text)))


def _is_project_name(level3: str, project: str, min_chars: int) -> bool:
    """The 三级指标 is the project's name (or the project's name with a word or two added/removed)."""
    if len(project) < min_chars or len(level3) < min_chars:
        return False
    return level3 == project or level3 in project or project in level3


def _rows_text(rows: list[IndicatorRow]) -> str:
    return "、".join(str(r.location.row) for r in rows if r.location.row is not None)


@register_check(
    "indicator-names",
    scope="table",
    placeholders={
        "rows": "the rows, as 2、3、4",
        "name": "the name repeated, or the category name written as an indicator",
        "detail": "what is wrong, in Chinese (「援甘前方指挥部工作经费」用在数量、质量…5类指标下)",
        "detail_en": "the same in English",
    },
    params={"min-categories": 3, "project-share": 0.5, "min-rows": 3, "min-project-chars": 4},
)
def indicator_names(ctx: CheckContext) -> Iterator[Hit]:
    """One finding per table whose 三级指标 do not say what they measure: one name under at least
    `min-categories` different 二级指标; more than `project-share` of the rows (and at least
    `min-rows`) named after the project; or a 三级指标 that is a category name. The first kind found
    is reported (in that order), at its first row."""
    table = ctx.table
    if table is None or not ctx.rows:
        return
    canon = ctx.lexicons.canonical_names
    # each 三级指标 normalised once: the three tests below compare the same names
    named_rows = [(normalize_name(row.level3), row) for row in ctx.rows if row.level3]
    by_name: dict[str, list[IndicatorRow]] = {}
    for name, row in named_rows:
        if name:
            by_name.setdefault(name, []).append(row)
    # 1. one name under several categories (a name needs as many rows as categories: the others are skipped)
    need = int(ctx.params.get("min-categories") or 3)
    spread = []
    for rows in by_name.values():
        if len(rows) >= need:
            kinds = {canon[r.level2] if r.level2 else "" for r in rows} - {""}
            if len(kinds) >= need:
                spread.append((rows, kinds))
    if spread:
        rows, kinds_of_name = max(spread, key=lambda item: len(item[0]))
        kinds = "、".join(sorted({canon[r.level2] for r in rows if r.level2}, key=lambda c: _order(c)))
        yield Hit(
            row=rows[0],
            column="三级指标",
            values={
                "rows": _rows_text(rows),
                "name": rows[0].level3,
                "detail": f"「{rows[0].level3}」同时用作{kinds}下的三级指标",
                "detail_en": f"'{rows[0].level3}' names indicators of {len(kinds_of_name)} categories",
            },
        )
        return
    # 2. named after the project
    project = _bare_project(table.project or "")
    min_chars = int(ctx.params.get("min-project-chars") or 4)
    # a 三级指标 that is the project's name, or the project's name with a word or two added or removed
    # (both names at least `min-project-chars` long)
    named = (
        [r for name, r in named_rows if project in name or (name in project and len(name) >= min_chars)]
        if len(project) >= min_chars
        else []
    )
    share = float(ctx.params.get("project-share") or 0.5)
    if len(named) >= int(ctx.params.get("min-rows") or 3) and len(named) > share * len(ctx.rows):
        yield Hit(
            row=named[0],
            column="三级指标",
            values={
                "rows": _rows_text(named),
                "name": table.project or "",
                "detail": f"{len(ctx.rows)}个指标中有{len(named)}个照用项目名称「{table.project}」",
                "detail_en": f"{len(named)} of {len(ctx.rows)} indicators are named after the project "
                f"'{table.project}'",
            },
        )
        return
    # 3. a category name where the indicator belongs: the name itself as the hierarchy writes it
    # (数量指标, 社会成本指标), not a short alias (服务对象满意度 is a fine name for a satisfaction
    # indicator); satisfaction categories say what they measure and are left alone
    known = categories(ctx).known
    level1, level2 = known["一级指标"], known["二级指标"]
    as_category = [r for n, r in named_rows if (n in level1 or n in level2) and "满意" not in n]
    if as_category:
        first = as_category[0]
        yield Hit(
            row=first,
            column="三级指标",
            values={
                "rows": _rows_text(as_category),
                "name": first.level3,
                "detail": f"三级指标「{first.level3}」是类别名称，不是指标",
                "detail_en": f"the indicator '{first.level3}' is a category name, not an indicator",
            },
        )


_ORDER = ("数量", "质量", "时效", "成本", "经济", "社会", "生态", "可持续", "满意")


def _order(category: str) -> int:
    return next((i for i, word in enumerate(_ORDER) if word in category), len(_ORDER))


# --------------------------------------------------------------------------- GL706


@register_check(
    "not-satisfaction",
    scope="table",
    placeholders={
        "reason": "why the name is no satisfaction measure, in Chinese (但名称照抄了项目名称)",
        "reason_en": "the same in English",
        "advice": "rename (a mislabelled copy) or move (another kind of indicator), in Chinese",
        "advice_en": "the same in English",
    },
    params={"min-project-chars": 4, "move-to": {}},
)
def not_satisfaction(ctx: CheckContext) -> Iterator[Hit]:
    """Each chosen row (a 满意度 row whose name is no satisfaction measure), told what to do with it:
    rename when it is a mislabelled copy — its 三级指标 is the project's name, a name the table also
    gives rows of other categories, or a category name — else move it to the category its name
    belongs to: each category of `move-to` (category → words) one of whose words the name holds,
    对应的产出或效益指标 when none does."""
    table = ctx.table
    if table is None or not ctx.rows:
        return
    canon = ctx.lexicons.canonical_names
    project = _bare_project(table.project or "")
    min_chars = int(ctx.params.get("min-project-chars") or 4)
    elsewhere: dict[str, set[str]] = {}  # name → the 二级指标 of rows not under satisfaction that carry it
    for row in table.rows:
        if row.level3 and "满意" not in canon[row.level2] and "满意" not in canon[row.level1]:
            elsewhere.setdefault(normalize_name(row.level3), set()).add(canon[row.level2] or canon[row.level1])
    known = categories(ctx).known
    every = known["一级指标"] | known["二级指标"]
    for row in ctx.rows:
        name = normalize_name(row.level3 or row.description)
        if row.level3 and _is_project_name(name, project, min_chars):
            reason = ("但名称照抄了项目名称", "but its name copies the project's")
        elif row.level3 and elsewhere.get(name):
            kinds = "、".join(sorted(elsewhere[name] - {""}, key=_order)) or "其他类别"
            reason = (f"但同一名称也用在{kinds}下", "but the same name is used for indicators of other categories")
        elif row.level3 and name in every:
            reason = ("但名称是类别名称", "but its name is a category name")
        else:
            where = _move_to(ctx, name)
            yield Hit(
                row=row,
                column="三级指标",
                values={
                    "reason": "但名称说的不是满意度",
                    "reason_en": "but its name is not a satisfaction",
                    "advice": f"应把这一行移到{where[0]}下，满意度指标另写「受益对象满意度　≥90%」一类指标",
                    "advice_en": f"move the row to {where[1]} and add a satisfaction indicator such as "
                    "受益对象满意度 ≥90%",
                },
            )
            continue
        suggest = _satisfaction_name(ctx, row.description)
        yield Hit(
            row=row,
            column="三级指标",
            values={
                "reason": reason[0],
                "reason_en": reason[1],
                "advice": f"这一行是照抄的名称，应把三级指标改名为写明谁的满意度的名称，如「{suggest}」",
                "advice_en": f"the row is a mislabelled copy: rename the indicator after whose satisfaction it "
                f"measures, e.g. {suggest}",
            },
        )


def _move_to(ctx: CheckContext, name: str) -> tuple[str, str]:
    """(zh, en) of the category a misplaced 满意度 row belongs to, by the words of its name (`move-to`)."""
    moves = (ctx.params.get("move-to") or {}).items()
    found = [str(category) for category, words in moves if any(str(word) in name for word in words or [])]
    if not found:
        return "对应的产出或效益指标", "its output or effect category"
    return "或".join(found), " or ".join(found)


def _satisfaction_name(ctx: CheckContext, description: str) -> str:
    """A name to rename to: the description when it names a satisfaction (中心工作人员的满意度), else a general one."""
    text = description.strip().removeprefix("反映")
    if text and len(text) <= 20 and ctx.in_lexicon("satisfaction-measures", text):
        return text
    return "受益对象满意度"
