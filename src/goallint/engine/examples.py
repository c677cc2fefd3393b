"""Run the examples of rules (`goallint test-rules`): missed and unexpected reported separately."""

from __future__ import annotations

from dataclasses import dataclass

from goallint.config import Settings
from goallint.engine.loader import LoadedRule, RuleSet
from goallint.engine.runner import Engine
from goallint.engine.schema import CellExample, TableExample
from goallint.model import Budget, Document, FiscalYear, Location, Table


@dataclass
class Mismatch:
    kind: str  # "missed", "unexpected", "wrong-fix", "wrong-rows", "bad-example"
    rule_id: str
    file: str
    line: int | None
    example: str
    detail: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.rule_id} {self.kind}: {self.example}" + (f" — {self.detail}" if self.detail else "")


def _cell_document(ex: CellExample, name: str) -> Document:
    from goallint.readers.canonical_fields import indicator_row, period_of

    budget = Budget(total=ex.budget) if ex.budget else Budget()  # validated as an amount ('100 万元')
    loc = Location(file=name, table=1, row=1, line=1)
    table = Table(project="示例项目", unit="万元", budget=budget, location=Location(file=name, table=1, line=1))
    if ex.period is not None:  # 项目期 read as the canonical format reads it
        table.period = period_of(ex.period)
    # a target split over cells (comparator, unit) and the block, read as the canonical format reads a row
    table.rows.append(indicator_row(ex, ex, loc))
    if ex.fiscal_year is not None:
        table.fiscal_year = FiscalYear(year=ex.fiscal_year, source="user")
    return Document(path=name, format="example", tables=[table])


def _table_document(ex: TableExample, name: str) -> Document:
    from goallint.readers.canonical import from_canonical  # the canonical table format, reused

    data = {"goallint": 1, "tables": [ex.table]}
    if ex.fiscal_year is not None:
        data["fiscal-year"] = ex.fiscal_year
    return from_canonical(name, data, None, "example")


def example_document(ex, name: str = "<example>") -> Document:
    from goallint.fiscal_year import assign_fiscal_year
    from goallint.pipeline import parse_targets

    if isinstance(ex, str):
        ex = CellExample(value=ex)
    doc = _cell_document(ex, name) if isinstance(ex, CellExample) else _table_document(ex, name)
    parse_targets(doc)
    if isinstance(ex, TableExample) or ex.fiscal_year is None:
        assign_fiscal_year(doc, given=None)
    return doc


def _label(ex) -> str:
    if isinstance(ex, str):
        return repr(ex)
    if isinstance(ex, CellExample):
        who = ex.level3 or ex.description or ex.level2 or ex.level1
        return f"{who + ' ' if who else ''}{ex.value!r}"
    return f"table ({len(ex.table.get('rows', []))} rows)"


def run_rule_examples(lr: LoadedRule, ruleset: RuleSet) -> tuple[int, list[Mismatch]]:
    """(number of examples run, mismatches) for one rule."""
    sub = RuleSet(rules=[lr], lexicons=ruleset.lexicons)
    engine = Engine(sub, Settings(select=[lr.id]))
    mismatches: list[Mismatch] = []
    count = 0
    for kind in ("fail", "pass"):
        examples = lr.rule.examples.fail if kind == "fail" else lr.rule.examples.pass_
        for i, ex in enumerate(examples):
            count += 1
            line = lr.line("examples", kind, i)
            label = _label(ex)
            try:
                doc = example_document(ex, f"{lr.file}#{kind}[{i}]")
            except Exception as exc:  # noqa: BLE001 - a bad example is a mismatch, not a crash
                mismatches.append(Mismatch("bad-example", lr.id, lr.file, line, label, str(exc)))
                continue
            found = [f for f in engine.check(doc) if f.rule_id == lr.id]
            if kind == "pass":
                if found:
                    mismatches.append(Mismatch("unexpected", lr.id, lr.file, line, label, found[0].message_en))
                continue
            if not found:
                mismatches.append(Mismatch("missed", lr.id, lr.file, line, label))
                continue
            if isinstance(ex, CellExample) and ex.fix is not None:
                got = found[0].fix.text if found[0].fix else None
                if got != ex.fix:
                    mismatches.append(
                        Mismatch("wrong-fix", lr.id, lr.file, line, label, f"expected fix {ex.fix!r}, got {got!r}")
                    )
            if isinstance(ex, TableExample):
                if ex.count is not None and len(found) != ex.count:
                    mismatches.append(
                        Mismatch(
                            "wrong-count",
                            lr.id,
                            lr.file,
                            line,
                            label,
                            f"expected {ex.count} findings, got {len(found)}",
                        )
                    )
                if ex.rows is not None:
                    got_rows = sorted({f.location.row for f in found if f.location.row is not None})
                    if got_rows != sorted(set(ex.rows)):
                        mismatches.append(
                            Mismatch(
                                "wrong-rows",
                                lr.id,
                                lr.file,
                                line,
                                label,
                                f"expected rows {sorted(set(ex.rows))}, got {got_rows}",
                            )
                        )
    return count, mismatches
