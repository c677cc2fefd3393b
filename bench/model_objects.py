"""What the pydantic model costs per object, against what slotted dataclasses would (issue 16 item 4).

    python bench/model_objects.py            # per-object figures and the objects of a 10k-row JSON run

Not a test: it prints figures for docs/performance.md. For Location, IndicatorRow and Finding (the objects
a run makes per row and per finding) it times, per object: pydantic's validating constructor, its
`model_construct`, goallint's `model.constructor` (what the readers and the engine use), and a slotted
dataclass with the same fields; then it counts the objects `model.constructor` builds in a check of
a 10k-row JSON corpus of bench/generate.py, so the saving of a dataclass model can be put beside the
run's own time.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import time
import timeit
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run as bench_run  # noqa: E402
from goallint import model  # noqa: E402


def _slotted(cls) -> type:
    """A slotted dataclass with the pydantic model's fields (defaults None: the cost of building is the same)."""
    return dataclasses.make_dataclass(
        f"Slotted{cls.__name__}", [(name, object, None) for name in cls.model_fields], slots=True
    )


SAMPLES = {  # the fields a reader gives (the others take their defaults)
    model.Location: {"file": "a.json", "table": 3, "row": 7, "line": 120},
    model.IndicatorRow: {
        "level1": "产出指标",
        "level2": "数量指标",
        "level3": "举办展会场次",
        "description": "全年举办展会",
        "value": "≥3场",
        "location": model.Location(file="a.json", table=3, row=7, line=120),
    },
}


def per_object(cls, values: dict, number: int) -> dict[str, float]:
    """Microseconds per object, best of 5, for each way of building one."""
    build = model.constructor(cls, *values)
    args = tuple(values.values())
    slotted = _slotted(cls)
    ways = {  # the same values each time: the cost of building, not of making the values
        "pydantic (validating)": lambda: cls(**values),
        "model_construct": lambda: cls.model_construct(**values),
        "model.constructor": lambda: build(*args),
        "slotted dataclass": lambda: slotted(**values),
    }
    return {name: min(timeit.repeat(way, number=number, repeat=5)) / number * 1e6 for name, way in ways.items()}


def objects_of_a_run(rows: str, data: Path, seed: int) -> tuple[Counter, float]:
    """The objects model.constructor builds in one check of a JSON corpus, by class; and the run's CPU seconds."""
    folder = bench_run.corpus(data, bench_run.size_of(rows), "json", seed)
    made: Counter = Counter()
    original = model.constructor

    def counting(cls, *names):
        build = original(cls, *names)

        def counted(*values, **named):
            made[cls.__name__] += 1
            return build(*values, **named)

        return counted

    model.constructor = counting  # before the readers and the engine import it
    from goallint.cli import main

    start = time.process_time()
    sys.argv = ["goallint", "check", "--no-config", "--format", "json", "-o", "/dev/null", "--jobs", "1", str(folder)]
    with contextlib.suppress(SystemExit):
        main()
    return made, time.process_time() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="the model's cost per object (see the module docstring)")
    parser.add_argument("--rows", default="10k")
    parser.add_argument("--number", type=int, default=50_000)
    parser.add_argument("--data", type=Path, default=Path("/tmp/goallint-bench"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print("µs per object, best of 5:")
    for cls, values in SAMPLES.items():
        figures = per_object(cls, values, args.number)
        print(f"  {cls.__name__:<14}" + "  ".join(f"{k} {v:.2f}" for k, v in figures.items()))
    made, seconds = objects_of_a_run(args.rows, args.data, args.seed)
    print(f"objects model.constructor built in a {args.rows}-row JSON check ({seconds:.2f} CPU s):")
    for name, count in made.most_common():
        print(f"  {name:<14}{count:>9,}")


if __name__ == "__main__":
    main()
