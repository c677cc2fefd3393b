"""Reading only: `goallint.readers.read` over a corpus of canonical JSON files, CPU seconds.

    python bench/read_json.py                                   # seed7-100k/json, best of 5
    python bench/read_json.py --trees .,/tmp/before16           # this checkout against another one
    python bench/read_json.py --gc run                          # the collector as a check run sets it

Not a test: it prints figures for docs/performance.md (issue 16 item 5: reading canonical JSON). Each
tree runs in its own Python process (`PYTHONPATH=TREE/src`), the trees taking turns, and the figure is
the best of --repeat passes over the files in one process (the machine is shared: the best pass is
the one least disturbed). `--gc default` leaves Python's collector as a library user of
`goallint.read` has it; `--gc run` sets it as `goallint check` does (run._collect_less: frozen
start-up, 30,000 allocations between young collections).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# run in the child process: read every file, `repeat` times, print the best CPU time
CHILD = """
import gc, glob, sys, time
from pathlib import Path
from goallint import readers
files = sorted(glob.glob(sys.argv[1]))
if sys.argv[3] == "run":
    gc.freeze()
    gc.set_threshold(30_000, *gc.get_threshold()[1:])
best, rows = None, 0
for _ in range(int(sys.argv[2])):
    start, rows = time.process_time(), 0
    for file in files:
        rows += sum(len(table.rows) for table in readers.read(Path(file)).tables)
    spent = time.process_time() - start
    best = spent if best is None else min(best, spent)
print(len(files), rows, best)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="reading canonical JSON (see the docstring)")
    parser.add_argument("--glob", default="/tmp/goallint-bench/seed7-100k/json/*.json")
    parser.add_argument("--trees", default=".", help="checkouts to compare, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the files per process")
    parser.add_argument("--rounds", type=int, default=1, help="processes per tree, taking turns")
    parser.add_argument("--gc", choices=("default", "run"), default="default")
    args = parser.parse_args()
    trees = [Path(tree).resolve() for tree in args.trees.split(",")]
    best: dict[Path, float] = {}
    for _ in range(args.rounds):
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}
            out = subprocess.run(
                [sys.executable, "-c", CHILD, args.glob, str(args.repeat), args.gc],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            files, rows, spent = int(out[0]), int(out[1]), float(out[2])
            best[tree] = min(best.get(tree, spent), spent)
    print(f"{files} files, {rows} rows, --gc {args.gc}, CPU s best of {args.repeat} × {args.rounds}")
    for tree in trees:
        print(f"{str(tree):50} {best[tree]:7.3f} s {rows / best[tree]:10,.0f} rows/CPU s")


if __name__ == "__main__":
    main()
