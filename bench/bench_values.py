"""Benchmark of the indicator-value parser: the corpus values (tests/data/values.tsv), and
optionally the distinct 指标值 of a folder of canonical JSON tables (a bench/generate.py province).

Run: .venv/bin/python bench/bench_values.py [JSON_DIR]   (not a test; prints values per second)

Each set is parsed cold (cache cleared) with the scanner before lark on (as goallint runs) and off
(every value through lark), best of a few rounds, with the share of values the scanner reads itself.
"""

import csv
import json
import sys
import time
from pathlib import Path

from lark.exceptions import LarkError

from goallint.values import clear_cache, grammar, parse_value
from goallint.values import scan as scan_module
from goallint.values.build import Invalid
from goallint.values.normalize import normalize

TSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "values.tsv"


def corpus_values() -> list[str]:
    with TSV.open(encoding="utf-8", newline="") as f:
        return [r["value"].replace("\\n", "\n") for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


def folder_values(folder: Path) -> tuple[list[str], int]:
    """Distinct 指标值 of the canonical JSON files in `folder` (five-item rows or mappings), and the row count."""
    seen: dict[str, None] = {}
    rows = 0
    for path in sorted(folder.glob("*.json")):
        for table in json.loads(path.read_text(encoding="utf-8")).get("tables", []):
            for row in table.get("rows", []):
                rows += 1
                value = (
                    row[4]
                    if isinstance(row, list) and len(row) > 4
                    else row.get("value", row.get("指标值", ""))
                    if isinstance(row, dict)
                    else ""
                )
                seen.setdefault("" if value is None else str(value))
    return list(seen), rows


def cold(values: list[str], rounds: int) -> float:
    """Best time of `rounds` cold passes (cache cleared before each)."""
    best = float("inf")
    for _ in range(rounds):
        clear_cache()
        t0 = time.perf_counter()
        for v in values:
            parse_value(v)
        best = min(best, time.perf_counter() - t0)
    return best


def answers(text: str) -> bool:
    """Whether the scanner decides the whole value itself (a result, or the error lark would raise)."""
    try:
        return scan_module.scan(normalize(text)[0]) is not None
    except (Invalid, LarkError):
        return True


def report(name: str, values: list[str], rounds: int) -> None:
    answered = sum(map(answers, values))
    scan_module.ENABLED = False
    off = cold(values, rounds)
    scan_module.ENABLED = True
    on = cold(values, rounds)
    n = len(values)
    print(f"{name}: {n} distinct values, the scanner decides {answered} ({answered / n:.0%}) itself")
    print(f"  cold, lark only:       {n / off:>9,.0f} values/s  ({off * 1000:.1f} ms per pass)")
    print(f"  cold, scanner + lark:  {n / on:>9,.0f} values/s  ({on * 1000:.1f} ms per pass)")


def main() -> None:
    values = corpus_values()
    grammar.parser.cache_clear()
    t0 = time.perf_counter()
    grammar.parser()
    grammar.anchor_regex()
    build = time.perf_counter() - t0
    parse_value("≥90%")  # load the unit registry, the lexicon and the scanner once
    print(f"parser build (one-time): {build * 1000:.1f} ms")

    report("corpus", values, rounds=20)
    t0 = time.perf_counter()
    for _ in range(200):
        for v in values:
            parse_value(v)
    warm = time.perf_counter() - t0
    print(f"  warm (cached):         {len(values) * 200 / warm:>9,.0f} values/s")

    if len(sys.argv) > 1:
        folder = Path(sys.argv[1])
        values, rows = folder_values(folder)
        report(f"{folder} ({rows:,} rows)", values, rounds=3)


if __name__ == "__main__":
    main()
