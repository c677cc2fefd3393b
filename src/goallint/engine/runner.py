"""Run the selected rules over a Document and return ordered Findings.

Rules are loaded and compiled once (loader.RuleSet); an Engine is the set of rules one configuration
selects, with severities and parameters resolved. Each table's rows are walked once: every row rule
is tried on the row; Python checks then run once per table (or document).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from string import Formatter
from typing import Any

from goallint.config import IndicatorIgnore, Profile, Settings, glob_match, matches_code
from goallint.engine import guard
from goallint.engine.checks import CheckContext, Hit
from goallint.engine.compile import RowView
from goallint.engine.fastpath import RowDecisions
from goallint.engine.loader import LoadedRule, RuleSet
from goallint.engine.message_values import LONG_BLOCKS, placeholder_values
from goallint.model import Document, Finding, FindingFix, IndicatorRow, Location, Problem, Table, constructor

VALUE_COLUMN = "指标值"
BLOCK_EN = {"年度": "annual", "中期": "medium-term", "长期": "long-term"}


# placeholders that a row rule's message may quote and that are not the row's (nor the fiscal year's)
TABLE_PLACEHOLDERS = frozenset({"project", "table", "table_unit", "budget", "period", "period_start", "period_end"})
PERIOD_PLACEHOLDERS = frozenset({"deadline", "form"})  # a year: the period's last for a 中期/长期 row


@dataclass(
    eq=False
)  # one object per rule of an Engine: equal only to itself, hashable (fastpath shares tuples of them)
class ActiveRule:
    loaded: LoadedRule
    severity: str
    params: dict[str, Any]

    @cached_property
    def quoted(self) -> frozenset[str]:
        """The placeholders its messages quote."""
        message = self.loaded.rule.message
        parsed = (Formatter().parse(template) for template in (message.zh, message.en))
        return frozenset(name for fields in parsed for _, name, _, _ in fields if name)

    @cached_property
    def messages_quote_only_the_row(self) -> bool:
        """Whether a row rule's messages follow from the row content, fiscal year and fix text alone."""
        return self.loaded.check is None and not self.quoted & TABLE_PLACEHOLDERS

    @cached_property
    def messages_quote_a_year(self) -> bool:
        """Whether its messages quote an example year, which for a 中期/长期 row is the table's period's."""
        return bool(self.quoted & PERIOD_PLACEHOLDERS)

    @property
    def id(self) -> str:
        return self.loaded.id

    @cached_property
    def message_params(self) -> dict[str, Any]:
        """The parameters a message may quote ({floor}, {tolerance}), worked out once, not per finding."""
        return {k: v for k, v in self.params.items() if isinstance(v, (str, int, float))}


_LOCATION_FIELDS = tuple(Location.model_fields)
_new_location = constructor(Location, *_LOCATION_FIELDS)
# a finding is made of values the engine made itself: built without validation (one per finding)
_new_finding = constructor(Finding, *Finding.model_fields)
_new_fix = constructor(FindingFix, "text", "safe")


def _selectors(s: Settings, select, ignore, extend_select) -> list[tuple[str | None, tuple, str]]:
    """(configuration file, or None for the command line; where in it; code) for every rule code given."""
    given: list[tuple[str | None, tuple, str]] = [
        (None, (f"--{option}",), code)
        for option, codes in (("select", select), ("extend-select", extend_select), ("ignore", ignore))
        for code in codes or []
    ]
    if s.source is not None:
        for key, codes in (("select", s.select or []), ("extend-select", s.extend_select), ("ignore", s.ignore)):
            given += [(s.source, (key, i), code) for i, code in enumerate(codes)]
        given += [(s.source, ("severity", code), code) for code in s.severity]
        for pattern, codes in s.per_file_ignores.items():
            given += [(s.source, ("per-file-ignores", pattern, i), code) for i, code in enumerate(codes)]
        for n, ig in enumerate(s.indicator_ignores):
            given += [(s.source, ("indicator-ignores", n, "rules", i), code) for i, code in enumerate(ig.rules)]
    return given


def _with_column(location: Location, column: str | None) -> Location:
    """`location.model_copy(update={"column": column})` (one per finding)."""
    loc = location
    return _new_location(loc.file, loc.table, loc.row, column, loc.line, loc.sheet, loc.cell, loc.page)


def table_fiscal_year(table: Table | None, document: Document) -> int | None:
    if table is not None and table.fiscal_year is not None:
        return table.fiscal_year.year
    return document.fiscal_year.year if document.fiscal_year is not None else None


class Engine:
    def __init__(
        self,
        ruleset: RuleSet,
        settings: Settings | None = None,
        *,
        profile: Profile | None = None,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        extend_select: list[str] | None = None,
    ):
        self.ruleset = ruleset
        self._families: dict[str, str] | None = None  # rule id → family, made when a suppression needs it
        self.settings = settings or Settings()
        s = self.settings
        self.profile = profile
        chosen = (
            select
            if select is not None
            else (s.select if s.select is not None else (profile.select if profile else None))
        )
        extra = list(s.extend_select) + list(extend_select or [])
        ignored = list(profile.ignore if profile else []) + list(s.ignore) + list(ignore or [])
        thresholds = {**(profile.thresholds if profile else {}), **s.thresholds}
        self.rules: list[ActiveRule] = []
        for lr in ruleset.rules:
            r = lr.rule
            explicit = any(c.upper() == r.id or c == r.name for c in (chosen or []) + extra)
            on = (
                r.enabled
                if chosen is None
                else any(matches_code(c, r.id, r.name, r.family) for c in chosen) and (r.enabled or explicit)
            )
            on = on or (any(matches_code(c, r.id, r.name, r.family) for c in extra) and (r.enabled or explicit))
            if not on or any(matches_code(c, r.id, r.name, r.family) for c in ignored):
                continue
            severity = r.severity
            # the most specific severity override wins (GL105 over GL1)
            best = -1
            for code, sev in s.severity.items():
                if matches_code(code, r.id, r.name, r.family) and len(code) > best:
                    severity, best = sev, len(code)
            overrides = {
                **thresholds,
                **(profile.rule_params.get(r.id, {}) if profile else {}),
                **s.rule_params.get(r.id, {}),
            }
            self.rules.append(ActiveRule(lr, severity, lr.params(overrides)))
        # every rule code the run was given, and where: a code that names no rule would select or silence nothing
        self.selectors = _selectors(s, select, ignore, extend_select)
        self.problem_severity, self.problem_ignored = _problem_choices(s, profile, chosen, extra, ignore)
        self.lexicons = ruleset.lexicons
        self.row_rules = [a for a in self.rules if a.loaded.check is None]
        self.check_rules = [a for a in self.rules if a.loaded.check is not None]
        self.table_checks = [a for a in self.check_rules if a.loaded.check.scope == "table"]
        self.decisions = RowDecisions(self.row_rules, self.table_checks)  # each distinct row decided once
        # rule id → the ids it replaces on the same cell (`supersedes:`), for the rules that run
        self.supersedes = {
            a.loaded.rule.id: set(a.loaded.rule.supersedes) for a in self.rules if a.loaded.rule.supersedes
        }

    def unknown_selectors(self) -> list[str]:
        """An error for each code of `selectors` that names no rule of the ruleset (a typo: GL12, GL1O2)."""
        from goallint.config import selector_line
        from goallint.reader_problems import problem_kinds
        from goallint.yamlpos import RuleError

        known = [(lr.rule.id, lr.rule.name, lr.rule.family) for lr in self.ruleset.rules]
        known += [(k.id, k.name, k.family) for k in problem_kinds().values()]
        errors = []
        for source, loc, code in self.selectors:
            if code.strip().upper() == "ALL" or any(matches_code(code, *rule) for rule in known):
                continue
            hint = "没有这样的规则（写规则编号 GL102、编号前缀 GL1、规则名称或类别；goallint rules 列出全部规则）"
            if code.strip().upper() == "GL000":  # the one code all reader problems had before they had their own
                hint = "GL000 已拆分为各自的编号 GL001…（goallint rules 列出）；全部读取问题写 reader"
            if source is None:
                errors.append(f"{loc[0]} {code}：{hint}")
            else:
                errors.append(
                    str(RuleError(source, f"{loc[0]} 中的「{code}」：{hint}", line=selector_line(source, loc)))
                )
        return errors

    # ----------------------------------------------------------------------- running

    def check(self, document: Document, suppressed: list[tuple[Finding, str]] | None = None) -> list[Finding]:
        """The findings, ordered; those the configuration silences go to `suppressed` with the reason."""
        findings: list[Finding] = []
        for problem in document.problems:
            severity = self.problem_severity.get(problem.code)
            if severity is None:  # a selection that names other reader problems only
                continue
            finding = self._problem(problem, severity)
            reason = self.problem_ignored.get(finding.rule_id)
            if reason is None:
                findings.append(finding)  # per-file-ignores and indicator-ignores apply below, as to rules
            elif suppressed is not None:
                suppressed.append((finding, reason))
        for table in document.tables:
            fy = table_fiscal_year(table, document)
            chosen: list[list[IndicatorRow]] = [[] for _ in self.table_checks]
            for row in table.rows:
                fired, passes, said = self.decisions.evaluate(row, table, fy)
                for active, fix_text in fired:
                    findings.append(self._row_finding(active, document, table, row, fy, fix_text, said))
                for index in passes:
                    chosen[index].append(row)
            for index in self.decisions.unfiltered:
                chosen[index] = list(table.rows)
            blocks = _blocks(table)
            for active, rows in zip(self.table_checks, chosen, strict=True):
                if blocks:  # a two-target table: rows are compared within their block (see _blocks)
                    findings.extend(self._checked_by_block(active, document, table, rows, fy, blocks))
                else:
                    findings.extend(self._checked(active, document, table, rows, fy))
        for active in self.check_rules:
            if active.loaded.check.scope == "document":
                rows = [r for t in document.tables for r in t.rows]
                findings.extend(self._run_check(active, document, None, rows, table_fiscal_year(None, document)))
        if self.supersedes:
            findings = self._one_story_per_cell(findings)
        kept = []
        for f in findings:
            reason = self._suppression(f, document)
            if reason is None:
                kept.append(f)
            elif suppressed is not None:
                suppressed.append((f, reason))
        kept.sort(key=Finding.sort_key)
        return kept

    def _one_story_per_cell(self, findings: list[Finding]) -> list[Finding]:
        """Drop a finding when a more specific rule (its `supersedes:` names this one) found the same cell:
        two rules telling the same fault twice, possibly with contradicting fixes, read as noise."""
        cells: dict[tuple, set[str]] = {}
        for f in findings:
            if f.rule_id in self.supersedes:
                cells.setdefault(_cell(f), set()).update(self.supersedes[f.rule_id])
        if not cells:
            return findings
        return [f for f in findings if f.rule_id not in cells.get(_cell(f), ())]

    def _run_check(self, active: ActiveRule, document: Document, table: Table | None, rows, fy) -> list[Finding]:
        """Run a table or document check on the rows its selector and condition pick."""
        lr = active.loaded
        if guard.failures and guard.failure(lr) is not None:
            return []
        chosen = []
        for row in rows:
            view = RowView(row, table, fy, active.params)
            if lr.selector is not None and not lr.selector(view):
                continue
            if lr.condition is not None and not lr.condition(view):
                continue
            chosen.append(row)
        return self._checked(active, document, table, chosen, fy)

    def _checked(self, active: ActiveRule, document: Document, table: Table | None, rows: list, fy) -> list[Finding]:
        """Run a check on the rows chosen for it (a failed rule, or one whose selector failed just now, is skipped)."""
        lr = active.loaded
        if guard.failures and guard.failure(lr) is not None:
            return []
        out = []
        try:
            for hit in lr.check.function(CheckContext(document, table, rows, active.params, self.lexicons, fy)):
                t = hit.table or table
                out.append(self._finding(active, document, t, hit.row, table_fiscal_year(t, document), hit))
        except Exception as exc:  # noqa: BLE001 — a failing check is a rule error; the other rules run on
            guard.record(lr, exc, table.location if table is not None else Location(file=document.path), ("check",))
        return out

    def _checked_by_block(self, active, document, table, rows, fy, blocks) -> list[Finding]:
        """A table check run on each block's rows; a table finding two blocks share is reported once."""
        out: list[Finding] = []
        seen: set[tuple] = set()
        for block in blocks:
            for f in self._checked(active, document, table, [r for r in rows if r.block == block], fy):
                key = (f.rule_id, f.message_zh, f.location.row)
                if f.location.row is None and key in seen:
                    continue
                seen.add(key)
                out.append(f)
        return out

    def _row_finding(
        self, active: ActiveRule, document: Document, table: Table, row: IndicatorRow, fy, fix_text, said: dict | None
    ) -> Finding:
        """A row rule's finding; its messages are made once per row content when they quote only the row."""
        remember = said is not None and active.messages_quote_only_the_row
        remember = remember and not (row.block in LONG_BLOCKS and active.messages_quote_a_year)  # the period's year
        messages = said.get((active, fix_text)) if remember else None
        finding = self._finding(active, document, table, row, fy, Hit(row=row, fix=fix_text), messages)
        if remember and messages is None:
            said[active, fix_text] = (finding.message_zh, finding.message_en)
        return finding

    def _finding(
        self,
        active: ActiveRule,
        document: Document,
        table: Table | None,
        row: IndicatorRow | None,
        fy,
        hit: Hit,
        messages: tuple[str, str] | None = None,
    ) -> Finding:
        lr = active.loaded
        r = lr.rule
        prefix = ("", "")
        if messages is None and row is not None and row.block is not None:  # say which target of the row
            prefix = (f"（{row.block}指标）", f"({BLOCK_EN[row.block]} target) ")
        if messages is None:
            values = placeholder_values(row, table, fy)
            values.update(active.message_params)
            values["rule"] = r.id
            if hit.fix is not None:
                values["expected"] = hit.fix
            values.update(hit.values)
        if row is not None:
            location = _with_column(row.location, hit.column or row.location.column or VALUE_COLUMN)
            if row.parts and hit.column is None:  # a target split over cells: the cell the finding is about
                location = _part_location(row, r.part, hit.fix) or location
        elif hit.location is not None:
            location = _with_column(hit.location, hit.column or hit.location.column)
        elif table is not None:
            location = _with_column(table.location, hit.column)
        else:
            location = Location(file=document.path)
        fix = None
        if hit.fix is not None:
            safe = bool(r.fix.safe) if r.fix else False
            # a plugin's check may yield a fix that is no text: validated, so that it fails as a rule error
            fix = _new_fix(hit.fix, safe) if type(hit.fix) is str else FindingFix(text=hit.fix, safe=safe)
        return _new_finding(
            rule_id=r.id,
            rule_name=r.name,
            severity=active.severity,
            message_zh=messages[0]
            if messages is not None
            else prefix[0] + guard.format_message(lr, r.message.zh, values, location, "zh"),
            message_en=messages[1]
            if messages is not None
            else prefix[1] + guard.format_message(lr, r.message.en, values, location, "en"),
            location=location,
            table_number=table.number if table is not None else None,
            project=(table.project or table.title) if table is not None else None,
            level1=row.level1 if row else "",
            level2=row.level2 if row else "",
            level3=row.level3 if row else "",
            description=row.description if row else "",
            value=row.value if row else None,
            target=row.target if row else None,
            fix=fix,
            rule_file=lr.file,
            block=row.block if row is not None else None,
            table_form=table.form if table is not None else None,
        )

    def _problem(self, problem: Problem, severity: str) -> Finding:
        from goallint.reader_problems import problem_kind

        return Finding(
            rule_id=problem_kind(problem.code).id,
            rule_name=problem.code,
            severity=severity,
            message_zh=problem.message,
            message_en=problem.message,
            location=problem.location,
        )

    # ----------------------------------------------------------------------- suppressions

    def _suppression(self, f: Finding, document: Document) -> str | None:
        """Why the configuration silences this finding (shown by --show-suppressed), or None. Its codes are
        selectors as in --ignore: ALL, an id, an id prefix, a rule name or a family (`reader` for the reader
        problems)."""
        s = self.settings
        if not (s.per_file_ignores or s.indicator_ignores):
            return None
        where = s.source or "configuration"
        family = self._family(f.rule_id)
        for pattern, codes in s.per_file_ignores.items():
            if glob_match(document.path, pattern, s.root) and any(
                matches_code(c, f.rule_id, f.rule_name, family) for c in codes
            ):
                return f"{where}: per-file-ignores {pattern}"
        for ig in s.indicator_ignores:
            if _indicator_ignore_applies(ig, f, family):
                return f"{where}: indicator-ignores {ig.indicator}: {ig.reason}"
        return None

    def _family(self, rule_id: str) -> str:
        """The family of a finding's rule (a reader problem's is `reader`)."""
        from goallint.reader_problems import problem_kinds

        if self._families is None:
            self._families = {lr.rule.id: lr.rule.family for lr in self.ruleset.rules}
            self._families.update((k.id, k.family) for k in problem_kinds().values())
        return self._families.get(rule_id, "")


def _blocks(table: Table) -> list[str | None]:
    """The blocks of a table with more than one (中期 and 年度 targets of the same indicators, stacked or side by
    side), in order of appearance; [] for a table with one target per indicator. Two blocks repeat the same
    indicators: comparing rows across them (duplicates) would find what the layout means."""
    blocks = list(dict.fromkeys(row.block for row in table.rows))
    return blocks if len(blocks) > 1 else []


def _part_location(row: IndicatorRow, declared: str | None, fix) -> Location | None:
    """The cell of a split target (指标性质 | 指标值 | 度量单位) a finding is about: the part its rule declares,
    else the part its fix changes (readers/columns.py), else None (the 指标值 cell)."""
    part = declared
    if part is None and type(fix) is str and fix != row.value:
        from goallint.fix import changed_span
        from goallint.readers.columns import part_at

        start, end, _ = changed_span(row.value, fix)
        part = part_at({name: p.span for name, p in row.parts.items()}, start, end)
    found = row.parts.get(part) if part else None
    return found.location if found is not None else None


def _cell(f: Finding) -> tuple:
    loc = f.location
    return (loc.file, loc.table, loc.row, loc.column or VALUE_COLUMN)


def _problem_choices(
    s: Settings, profile: Profile | None, chosen: list[str] | None, extra: list[str], ignore: list[str] | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Which reader problems (reader_problems.py) are reported, with what severity, by name; and the ignored
    ones (reported as suppressed, with the reason) by id.

    A reader problem says the file was not read whole, so the findings of any rule may be missing:
    it is reported unless ignored, whatever rules `select` picks; a selection picks among reader
    problems only when it names one of them (GL003, missing-grid, the family `reader`, GL0, ALL).
    """
    from goallint.reader_problems import problem_kinds

    kinds = problem_kinds().values()
    picks = chosen is not None and any(matches_code(c, k.id, k.name, k.family) for c in chosen for k in kinds)
    ignores = [("profile", c) for c in (profile.ignore if profile else [])]
    ignores += [(s.source or "configuration", c) for c in s.ignore] + [("--ignore", c) for c in ignore or []]
    severity: dict[str, str] = {}
    ignored: dict[str, str] = {}
    for k in kinds:
        if picks and not any(matches_code(c, k.id, k.name, k.family) for c in list(chosen or []) + extra):
            continue
        severity[k.name], best = k.severity, -1
        for code, sev in s.severity.items():  # the most specific override wins, as for rules
            if matches_code(code, k.id, k.name, k.family) and len(code) > best:
                severity[k.name], best = sev, len(code)
        for where, code in ignores:
            if matches_code(code, k.id, k.name, k.family):
                ignored.setdefault(k.id, f"{where}: ignore {code}" if where != "--ignore" else f"--ignore {code}")
    return severity, ignored


def _indicator_ignore_applies(ig: IndicatorIgnore, f: Finding, family: str) -> bool:
    from goallint.engine.lexicon import normalize_name

    if not any(matches_code(c, f.rule_id, f.rule_name, family) for c in ig.rules):
        return False
    if ig.table is not None and f.table_number != ig.table:
        return False
    if ig.project is not None and normalize_name(f.project or "") != normalize_name(ig.project):
        return False
    name = normalize_name(ig.indicator)
    return name in (normalize_name(f.level3), normalize_name(f.description))
