"""What any design of goallint in Python must spend on a JSON corpus, whatever its model of a table.

    python bench/ceiling.py DIR [--report REPORT]

Not a test: it prints figures, each as seconds and as a ratio to the floor (bench/floor.py), so that
a throughput target stated against the floor can be checked against what is possible at all:

- the floor: the files read with the json module, one regular expression per 指标值;
- row lookups: the files read and each row's decision looked up by its content (the five cells
  and the fiscal year) in a dict where every decision is already made, as a design with no object
  per row and a perfect memory would do — no model, no value parsed, no check. Rows must be
  written as five texts, as bench/generate.py and `goallint convert` write rows without a goal;
- the report: goallint's own findings for DIR (REPORT, or `goallint check --format json` run
  here), taken as plain dicts and written file by file as indented JSON by pydantic-core (Rust),
  as a design that keeps findings as plain data would stream them.

The last two together are the least such a design spends before a single value is parsed or a
single table check runs (docs/performance.md, "How far any design can go").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import floor  # noqa: E402
from run import goallint_exe  # noqa: E402


def timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def floor_pass(paths: list[Path]) -> int:
    hits = 0
    for path in paths:
        for value in floor.values_json(path):
            if floor.VALUE.match(value):
                hits += 1
    return hits


def lookup_pass(paths: list[Path], decisions: dict, learn: bool) -> tuple[int, int]:
    """(rows, rows with a finding): each row's decision looked up by its content; made first when `learn`."""
    rows = found = 0
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for table in data["tables"]:
            year = table.get("fiscal-year", data.get("fiscal-year"))
            for row in table["rows"]:
                if type(row) is not list or len(row) != 5:  # as bench/floor.py reads them: row[4] is the value
                    raise SystemExit(f"{path}: a row that is not five texts (goal rows are not measured): {row}")
                a, b, c, d, e = row
                rows += 1
                key = (a, b, c, d, e, year)
                decision = decisions.get(key)
                if decision is None:
                    if not learn:
                        raise SystemExit(f"a row not seen while learning: {key}")
                    decision = decisions[key] = (hash(key) % 3 == 0,)  # stands for a real decision
                if decision[0]:
                    found += 1
    return rows, found


def report_of(folder: Path, given: Path | None, scratch: Path) -> Path:
    if given is not None:
        return given
    report = scratch / "report.json"
    done = subprocess.run([goallint_exe(), "check", "--no-config", "--format", "json", "-o", str(report), str(folder)])
    if done.returncode not in (0, 1):
        raise SystemExit(f"goallint check failed on {folder} (exit {done.returncode})")
    return report


def main() -> None:
    from pydantic_core import to_json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of canonical JSON table files (bench/generate.py)")
    parser.add_argument("--report", type=Path, help="goallint's JSON report for the folder (else made here)")
    args = parser.parse_args()
    paths = sorted(args.folder.glob("*.json"))
    if not paths:
        raise SystemExit(f"no .json files in {args.folder}")

    decisions: dict = {}
    lookup_pass(paths, decisions, learn=True)  # first: it says which file has a row it cannot measure
    floor_s, _ = timed(lambda: floor_pass(paths))
    lookup_s, (rows, _) = timed(lambda: lookup_pass(paths, decisions, learn=False))

    with tempfile.TemporaryDirectory() as scratch:
        report = report_of(args.folder, args.report, Path(scratch))
        findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
        by_file: dict[str, list] = {}
        for finding in findings:
            by_file.setdefault(finding["file"], []).append(finding)

        def write() -> int:  # file by file, as goallint streams its report
            with (Path(scratch) / "findings.json").open("wb") as out:
                return sum(out.write(to_json(group, indent=2)) for group in by_file.values())

        report_s, size = timed(write)

    print(f"{rows:,} rows, {len(decisions):,} distinct, {len(findings):,} findings ({size / 1e6:,.0f} MB)")
    print(f"{'':<46} {'seconds':>8} {'× floor':>8}")
    for name, seconds in (
        ("floor: read, one regex a value", floor_s),
        ("row lookups: read, a made decision a row", lookup_s),
        ("report: the findings as plain data, written", report_s),
        ("least before any value or check (the two above)", lookup_s + report_s),
    ):
        print(f"{name:<46} {seconds:8.2f} {seconds / floor_s:8.1f}")


if __name__ == "__main__":
    main()
