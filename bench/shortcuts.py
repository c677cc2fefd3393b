"""Each speed shortcut against the plain path: the same `goallint check` with one shortcut undone.

    python bench/shortcuts.py                                  # 100k rows: JSON, Word dump, .xlsx; cold start
    python bench/shortcuts.py --rows 10k --variants today,no-scan --formats json
    python bench/shortcuts.py --list
    python bench/shortcuts.py --variants today,tree=../before   # this checkout against another one

Not a test: it prints figures for docs/performance.md (issue 16: a shortcut stays only where it saves
at least 5 % of a figure users feel). Every figure is the best of --repeat runs (the machine is
shared: the best run is the one least disturbed). A run is `goallint check --no-config --format json
--jobs N -o FILE` over a corpus of bench/generate.py (the corpora of bench/run.py), in a fresh
Python process that first applies the variant's patch, so each variant pays its own start-up.
Cold start: `goallint check --no-config` on one 82-row table of the corpus.

A variant is Python code run before goallint's CLI: it undoes one shortcut the way its plain
replacement would do the work. Shortcuts that were removed have no variant here any more:
docs/performance.md has their figures, measured against the checkout before (`tree=PATH`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import run as bench_run  # noqa: E402

# the rules issue 19 added (35 → 52); the variant no-issue19-rules ignores them
ISSUE19_RULES = [
    "GL107",
    "GL205",
    "GL206",
    "GL207",
    "GL304",
    "GL305",
    "GL405",
    "GL606",
    "GL607",
    "GL608",
    "GL609",
    "GL610",
    "GL611",
    "GL612",
    "GL709",
    "GL802",
    "GL803",
]
# name → (what is undone, patch applied before the CLI runs; None when the variant is the code as it is)
VARIANTS: dict[str, tuple[str, str | None]] = {
    "today": ("every shortcut in place", None),
    "no-scan": (
        "value scanner off: every value parsed by lark",
        "import goallint.values.scan as m; m.ENABLED = False",
    ),
    "no-row-cache": (
        "row-decision cache off: every rule decided on every row",
        "import goallint.engine.fastpath as m; m.ENABLED = False",
    ),
    "model-construct": (
        "model.constructor replaced by pydantic's model_construct",
        "import goallint.model as m\n"
        "def constructor(cls, *names):\n"
        "    make = cls.model_construct\n"
        "    return lambda *values, **named: make(**dict(zip(names, values)), **named)\n"
        "m.constructor = constructor",
    ),
    "model-validate": (
        "model.constructor replaced by the model's own validating constructor, cls(**values)",
        "import goallint.model as m\n"
        "def constructor(cls, *names):\n"
        "    return lambda *values, **named: cls(**dict(zip(names, values)), **named)\n"
        "m.constructor = constructor",
    ),
    "gc-default": (
        "gc thresholds as Python sets them around a run (no run._collect_less)",
        "import gc, goallint.run as m\n"
        "m._collect_less = lambda: gc.get_threshold()\n"
        "m._collect_as_before = lambda before: None",
    ),
    "json-model": (
        "the JSON report built as the Report model from every finding, then dumped (report.json.write)",
        "import goallint.report.json as m\n"
        "from goallint.run import RunResult\n"
        "def stream(run, out, *, lang=None, color=None):\n"
        "    files = list(run)\n"
        "    result = RunResult(files=files, errors=run.errors, lang=run.lang, fail_level=run.fail_level)\n"
        "    m.write(result, out, lang=lang or run.lang)\n"
        "m.stream = stream",
    ),
    "no-yaml-cache": ("the rule files' marshal cache off (GOALLINT_NO_CACHE=1)", None),
    "no-issue19-rules": (
        "not a shortcut: the 17 rules issue 19 added ignored (what the new rules cost, against `today`)",
        "import sys, goallint.cli as m\n"
        "run = m.main\n"
        "def main():\n"
        f"    sys.argv[2:2] = ['--ignore', {','.join(ISSUE19_RULES)!r}]\n"
        "    run()\n"
        "m.main = main",
    ),
}
ENVIRONMENT = {"no-yaml-cache": {"GOALLINT_NO_CACHE": "1"}}
COLD_ONLY = {"no-yaml-cache"}  # a cache of start-up work: a long run pays it once


TREE = "tree="  # a variant `tree=PATH`: the goallint of another checkout (PATH/src), e.g. before a change


def argv_of(variant: str, args: list[str]) -> list[str]:
    patch = "" if variant.startswith(TREE) else VARIANTS[variant][1] or ""
    code = f"{patch}\nimport sys\nfrom goallint.cli import main\nsys.argv = ['goallint', *{args!r}]\nmain()\n"
    return [sys.executable, "-c", code]


def timed(variant: str, args: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the process and its workers) of one run."""
    env = {**os.environ, **ENVIRONMENT.get(variant, {})}
    if variant.startswith(TREE):
        env["PYTHONPATH"] = str(Path(variant.removeprefix(TREE)).resolve() / "src")
    start = time.perf_counter()
    proc = subprocess.Popen(argv_of(variant, args), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{variant} {' '.join(args[:4])} … failed: {err[-800:]}")
    return wall, usage.ru_utime + usage.ru_stime


def best(variants: list[str], args: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    """Each variant's best wall time and best CPU time of `repeat` runs, the variants taking turns.

    On a machine shared with other work the CPU time is the steadier figure (waiting for a core is not
    in it), and taking turns spreads the other work's ups and downs over all variants alike. With
    --jobs 1 on an idle machine wall and CPU time are the same."""
    runs: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
    for _ in range(repeat):
        for variant in variants:
            runs[variant].append(timed(variant, args))
    return {v: (min(w for w, _ in r), min(c for _, c in r)) for v, r in runs.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="speed shortcuts against the plain path (see the docstring)")
    parser.add_argument("--rows", default="100k")
    parser.add_argument("--formats", default="json,txt,xlsx")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold-repeat", type=int, default=7)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "goallint-bench")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--list", action="store_true", help="list the variants and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, (what, _) in VARIANTS.items():
            print(f"{name:<20} {what}")
        return
    rows = bench_run.size_of(args.rows)
    variants = [v for v in args.variants.split(",") if v]
    unknown = [v for v in variants if v not in VARIANTS and not v.startswith(TREE)]
    if unknown:
        sys.exit(f"unknown variants: {', '.join(unknown)} (--list shows them)")
    print(bench_run.compile_goallint())
    for tree in (Path(v.removeprefix(TREE)) / "src" for v in variants if v.startswith(TREE)):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree)], check=True)
    print(f"Python {sys.version.split()[0]} · {os.cpu_count()} cores · best of {args.repeat} · --jobs {args.jobs}")
    print(f"{'variant':<20} {'format':<6} {'wall s':>8} {'rows/s':>9} {'CPU s':>8} {'rows/CPU s':>10}")
    for fmt in [f for f in args.formats.split(",") if f]:
        folder = bench_run.corpus(args.data, rows, fmt, args.seed)
        check = ["check", "--no-config", "--format", "json", "-o", os.devnull, "--jobs", str(args.jobs)]
        measured = best([v for v in variants if v not in COLD_ONLY], [*check, str(folder)], args.repeat)
        for variant, (wall, cpu) in measured.items():
            print(f"{variant:<20} {fmt:<6} {wall:8.2f} {rows / wall:9,.0f} {cpu:8.2f} {rows / cpu:10,.0f}", flush=True)
    if args.cold_repeat:
        small = ROOT / "tests" / "data" / "corpus" / "tianjin-ccpit-2023-projects.txt"
        measured = best(variants, ["check", "--no-config", str(small)], args.cold_repeat)
        for variant, (wall, cpu) in measured.items():
            print(f"{variant:<20} {'cold':<6} {wall:8.3f} {'':>9} {cpu:8.3f}", flush=True)


if __name__ == "__main__":
    main()
