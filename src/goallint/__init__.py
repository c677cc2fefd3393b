"""goallint: a linter for Chinese budget performance target tables (预算绩效目标表).

The library API (docs/api.md) is `goallint.check(paths, config=…)` and `goallint.read(path)`; everything
else is internal and may change. They import what they need when called: `import goallint` itself loads
nothing else (a pre-commit hook starts a new process for every run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["check", "read", "__version__"]

if TYPE_CHECKING:
    from goallint.api import check, read


def __getattr__(name: str):
    if name in ("check", "read"):
        from goallint import api

        return getattr(api, name)
    raise AttributeError(f"module 'goallint' has no attribute {name!r}")
