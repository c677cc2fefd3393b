"""bench/generate.py (not a package) loaded as a module, for tests that need a synthetic province."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

GENERATE = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


@cache
def bench_generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
