"""Where a check run spends its time: py-spy samples of `goallint check`, summed by phase.

    python bench/phases.py                          # 100k JSON rows, 200 samples/s
    python bench/phases.py --rows 1m --rate 100     # the 1M corpus
    python bench/phases.py --rows 10k --format txt  # the Word-dump layout
    python bench/phases.py --raw FILE               # summarise samples recorded before

Not a test: it prints the share of each phase of the flow (read → values → fiscal years → row
decisions → table checks → findings → report) and the functions that spend the most time
themselves. The run is `goallint check --no-config --format json --jobs 1` over a corpus of
bench/generate.py (the same corpora as bench/run.py). Needs py-spy (`pip install -e ".[bench]"`),
which samples the process from outside, so the figures are those of an unmodified run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402

# A sample belongs to the phase of the outermost of these functions on its stack (a finding made
# inside a table check is the check's time). Keys: (function, the file's folder/name) as py-spy names them.
PHASES = {
    ("read", "readers/__init__.py"): "reading (readers.read: the file, the model)",
    ("parse_targets", "goallint/pipeline.py"): "value parsing (pipeline.parse_targets)",
    ("assign_fiscal_year", "goallint/fiscal_year.py"): "fiscal years",
    ("RowDecisions.evaluate", "engine/fastpath.py"): "row decisions (fastpath.evaluate)",
    ("Engine._row_finding", "engine/runner.py"): "row findings (Engine._row_finding)",
    ("Engine._checked", "engine/runner.py"): "table checks, with their findings",
    ("Engine._run_check", "engine/runner.py"): "table checks, with their findings",
    ("Engine._suppression", "engine/runner.py"): "suppressions and sorting",
    ("Finding.sort_key", "goallint/model.py"): "suppressions and sorting",
    ("findings_json", "report/json.py"): "the JSON report",
    ("_copy_utf8", "report/json.py"): "the JSON report",
    ("FindingCounts.of", "goallint/run.py"): "the JSON report",
    ("load_rules", "engine/loader.py"): "start-up: rules",
}
# When none of the above is on the stack: the innermost of these containers names the phase.
CONTAINERS = {
    ("Engine.check", "engine/runner.py"): "the engine's loop over tables and rows",
    ("Checker._check_file", "goallint/run.py"): "per file: freeing the document, bookkeeping",
    ("Checker.check_file", "goallint/run.py"): "per file: freeing the document, bookkeeping",
}
IMPORTS = "start-up: imports"
OTHER = "other"


def frames(stack: str) -> list[tuple[str, str]]:
    """`a (/p/goallint/x.py:12);b (/p/engine/y.py:3)` → [(a, goallint/x.py), (b, engine/y.py)], root first."""
    out = []
    for frame in stack.split(";"):
        name, _, where = frame.partition(" (")
        path = Path(where.rsplit(":", 1)[0]) if where else None
        out.append((name.strip(), "/".join(part for part in (path.parent.name, path.name) if part) if path else ""))
    return out


def phase_of(stack: list[tuple[str, str]]) -> str:
    for frame in stack:
        if frame in PHASES:
            return PHASES[frame]
    for frame in reversed(stack):
        if frame in CONTAINERS:
            return CONTAINERS[frame]
    if any(name.startswith("_find_and_load") for name, _ in stack):
        return IMPORTS
    return OTHER


def summarize(lines: Iterable[str]) -> tuple[int, Counter, Counter]:
    """(samples, samples per phase, samples per function spending them itself) of py-spy's raw output."""
    total, phases, own = 0, Counter(), Counter()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        parsed = frames(stack)
        total += n
        phases[phase_of(parsed)] += n
        own["{} ({})".format(*parsed[-1])] += n
    return total, phases, own


def report(total: int, phases: Counter, own: Counter, top: int = 15) -> str:
    if not total:
        return "no samples"
    lines = [f"{total:,} samples", "", "| share | phase |", "| --- | --- |"]
    lines += [f"| {n / total:5.1%} | {phase} |" for phase, n in phases.most_common()]
    lines += ["", "functions by their own time:", ""]
    lines += [f"  {n / total:5.1%}  {function}" for function, n in own.most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="profile a goallint check run by phase (see the module docstring)")
    parser.add_argument("--rows", default="100k", help="corpus size, e.g. 10k, 100k, 1m")
    parser.add_argument("--format", default="json", help="json, yaml, txt or xlsx")
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "goallint-bench")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--raw", type=Path, help="summarise this py-spy raw file instead of recording")
    parser.add_argument("--keep", type=Path, help="also keep the raw samples in this file")
    args = parser.parse_args(argv)

    raw = args.raw
    if raw is None:
        folder = run.corpus(args.data, run.size_of(args.rows), args.format, args.seed)
        out = Path(tempfile.mkdtemp(prefix="goallint-profile-"))
        raw = args.keep or out / "samples.txt"
        argv = run.check_argv(folder, out / "report.json", 1)
        spy = Path(sys.executable).with_name("py-spy")
        command = [
            str(spy) if spy.exists() else "py-spy",
            "record",
            "-r",
            str(args.rate),
            "-f",
            "raw",
            "-o",
            str(raw),
            "--",
            *argv,
        ]
        print(" ".join(command[:7]), "…", file=sys.stderr)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    with open(raw, encoding="utf-8") as samples:
        print(report(*summarize(samples)))


if __name__ == "__main__":
    main()
