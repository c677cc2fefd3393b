"""Run the acceptance sweep (`builders.sweep_tables`): build every case in every file type, read and check it,
and print file × (rows expected / rows read right / rows read / findings / reader warnings), with what went
wrong. `python tests/builders/sweep_tables.py [folder] [case-name …]`."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from goallint import pipeline
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine

from .helpers import SOFFICE, convert
from .sweep_tables import CASES, Case, write

KINDS = ["docx", "xlsx", "pdf", "doc", "xls", "txt"]
SOURCE = {"pdf": "docx", "doc": "docx", "xls": "xlsx"}


@dataclass
class Outcome:
    file: str
    expected: int
    right: int = 0
    read: int = 0
    findings: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # what was misread: rows, header fields


def squash(text: str | None) -> str:
    return "".join((text or "").split())


def row_key(row, canonical) -> tuple:
    return (
        canonical(row.level1),
        canonical(row.level2),
        squash(row.level3 or row.description),
        squash(row.value),
        row.block,
    )


def judge(case: Case, path: Path, engine: Engine) -> Outcome:
    canonical = engine.lexicons.canonical_name
    expected_rows = [r for e in case.expected for r in e.rows]
    out = Outcome(path.name, len(expected_rows))
    try:
        document = pipeline.load(path)
    except Exception as exc:  # noqa: BLE001 - the sweep reports every failure and goes on
        out.wrong.append(f"error: {exc}")
        return out
    out.warnings = [f"{p.code} {p.location.cell or p.location.line or ''}: {p.message[:60]}" for p in document.problems]
    got = [row_key(r, canonical) for t in document.tables for r in t.rows]
    out.read = len(got)
    want = [(canonical(a), canonical(b), squash(c), squash(v), block) for a, b, c, v, block in expected_rows]
    missing = list(want)
    for key in got:
        if key in missing:
            missing.remove(key)
            out.right += 1
        else:
            out.wrong.append(f"read {key}")
    out.wrong += [f"lost {key}" for key in missing]
    if len(document.tables) != len(case.expected):
        out.wrong.append(f"{len(document.tables)} tables, expected {len(case.expected)}")
    for table, exp in zip(document.tables, case.expected, strict=False):
        if squash(table.project) != squash(exp.project):
            out.wrong.append(f"project {table.project!r}")
        total = table.budget.total.to("yuan").magnitude if table.budget.total is not None else None
        if (total is None) != (exp.total_yuan is None) or (total is not None and abs(total - exp.total_yuan) > 0.5):
            out.wrong.append(f"total {table.budget.total}")
        year = table.fiscal_year.year if table.fiscal_year else None
        if year != exp.year:
            out.wrong.append(f"year {year}")
        if table.form != exp.form:
            out.wrong.append(f"form {table.form}")
    out.findings = [
        f"{f.rule_id} {f.location.cell or f.location.line or ''} {f.block or ''} {f.level3 or f.description} {f.value or ''}"
        for f in engine.check(document)
    ]
    return out


def build(case: Case, kind: str, folder: Path) -> Path:
    if kind in SOURCE:
        source = folder / f"{case.name}.{SOURCE[kind]}"
        if not source.exists():
            write(case, SOURCE[kind], folder)
        made = convert(source, kind, folder / f"conv-{kind}")
        return shutil.copy(made, folder / made.name)
    return write(case, kind, folder)


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="sweep-"))
    folder.mkdir(parents=True, exist_ok=True)
    names = set(argv[1:])
    engine = Engine(load_rules())
    outcomes = []
    for make in CASES:
        case = make()
        if names and case.name not in names:
            continue
        for kind in KINDS:
            if (kind in SOURCE and SOFFICE is None) or (kind == "txt" and not case.dump):
                continue
            outcome = judge(case, build(case, kind, folder), engine)
            outcomes.append(outcome)
            print(
                f"| {outcome.file} | {outcome.expected} | {outcome.right} | {outcome.read} "
                f"| {len(outcome.findings)} | {len(outcome.warnings)} |",
                flush=True,
            )
            for line in outcome.wrong[:12]:
                print("    !", line)
            for line in outcome.warnings[:6]:
                print("    w", line)
            for line in outcome.findings:
                print("    f", line)
    right = sum(o.right == o.expected == o.read and not o.wrong for o in outcomes)
    print(f"files read right: {right} of {len(outcomes)}", file=sys.stderr)
