"""Benchmark of the indicator-value parser on the corpus values (tests/data/values.tsv).

Run: .venv/bin/python bench/bench_values.py   (not a test; prints values per second)
"""

import csv
import time
from pathlib import Path

from goallint.values import clear_cache, parse_value
from goallint.values import grammar

TSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "values.tsv"


def main() -> None:
    with TSV.open(encoding="utf-8", newline="") as f:
        values = [r["value"].replace("\\n", "\n") for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    grammar.parser.cache_clear()
    t0 = time.perf_counter()
    grammar.parser()
    grammar.anchor_regex()
    build = time.perf_counter() - t0
    parse_value("≥90%")  # load the unit registry and the lexicon once

    rounds = 20
    cold = 0.0
    for _ in range(rounds):
        clear_cache()
        t0 = time.perf_counter()
        for v in values:
            parse_value(v)
        cold += time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(rounds * 10):
        for v in values:
            parse_value(v)
    warm = time.perf_counter() - t0
    n = len(values)
    print(f"{n} distinct corpus values")
    print(f"parser build (one-time): {build * 1000:.1f} ms")
    print(f"cold (cache cleared):    {n * rounds / cold:,.0f} values/s  ({cold / rounds * 1000:.1f} ms per pass)")
    print(f"warm (cached):           {n * rounds * 10 / warm:,.0f} values/s")


if __name__ == "__main__":
    main()
