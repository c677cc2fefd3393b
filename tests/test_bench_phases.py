"""bench/phases.py sums py-spy samples by phase: a sample is the time of the outermost phase on its stack."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[1] / "bench"

CLI = "main (/v/goallint/cli.py:421);Checker._check_file (/s/goallint/run.py:226)"
ENGINE = CLI + ";load (/s/goallint/pipeline.py:21)"
CHECK = CLI + ";Engine.check (/s/engine/runner.py:219)"
RAW = [
    f"{ENGINE};read (/s/readers/__init__.py:40);_from_canonical (/s/readers/canonical.py:400) 30\n",
    f"{ENGINE};parse_targets (/s/goallint/pipeline.py:13);parse (/s/values/parse.py:42) 10\n",
    f"{CHECK};RowDecisions.evaluate (/s/engine/fastpath.py:148);_compute (/s/engine/fastpath.py:118) 7\n",
    # a finding made by a table check is the check's time, not the row findings'
    f"{CHECK};Engine._checked (/s/engine/runner.py:270);template_text (/s/checks/structure.py:290);"
    "Engine._finding (/s/engine/runner.py:283) 5\n",
    f"{CHECK};Engine._row_finding (/s/engine/runner.py:274);Engine._finding (/s/engine/runner.py:283) 4\n",
    f"{CHECK} 3\n",  # the engine's own loop
    f"{CLI} 2\n",  # freeing the document
    "<module> (/v/bin/goallint:1);_find_and_load (<frozen importlib._bootstrap>:1165);<module> (/v/pint/__init__.py:1) 6\n",
    "<module> (/v/bin/goallint:1);something_else (/v/x.py:1) 1\n",
    "a malformed line\n",
]


@pytest.fixture(scope="module")
def phases():
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("bench_phases", BENCH / "phases.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def test_samples_go_to_the_outermost_phase_on_their_stack(phases):
    total, shares, own = phases.summarize(RAW)
    assert total == 68
    assert shares == {
        phases.PHASES[("read", "readers/__init__.py")]: 30,
        "value parsing (pipeline.parse_targets)": 10,
        "row decisions (fastpath.evaluate)": 7,
        "table checks, with their findings": 5,
        "row findings (Engine._row_finding)": 4,
        "the engine's loop over tables and rows": 3,
        "per file: freeing the document, bookkeeping": 2,
        phases.IMPORTS: 6,
        phases.OTHER: 1,
    }
    assert own["_from_canonical (readers/canonical.py)"] == 30 and own["Engine._finding (engine/runner.py)"] == 9
    assert own["<module> (pint/__init__.py)"] == 6


def test_the_report_lists_phases_by_share(phases):
    text = phases.report(*phases.summarize(RAW))
    lines = text.splitlines()
    assert lines[0] == "68 samples"
    assert lines[4] == "| 44.1% | reading (readers.read: the file, the model) |"
    assert "  44.1%  _from_canonical (readers/canonical.py)" in lines
    assert phases.report(*phases.summarize([])) == "no samples"
