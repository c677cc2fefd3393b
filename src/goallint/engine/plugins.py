"""Plugins: third-party packages add rule folders and Python checks through entry points.

    # the plugin's pyproject.toml
    [project.entry-points."goallint.rules"]
    tianjin = "goallint_tianjin:rules"

    # goallint_tianjin/__init__.py
    from pathlib import Path
    from goallint.engine.checks import register_check

    @register_check("tianjin-something")      # optional: Python checks
    def something(ctx): ...

    def rules():
        return Path(__file__).parent / "rules"  # a rules folder (rules/<family>/*.yaml, lexicon/); or None

The entry point loads to a callable; calling it registers its checks (on import) and returns the
folder of its rule files, or None when it only adds checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

from goallint.yamlpos import RuleError

GROUP = "goallint.rules"


def discover() -> Iterator[tuple[str, Path | None, RuleError | None]]:
    """(plugin name, rules folder or None, error or None) for each entry point of the group."""
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        where = f"plugin {ep.name} ({ep.value})"
        try:
            hook = ep.load()
            folder = hook() if callable(hook) else hook
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop goallint
            yield ep.name, None, RuleError(where, f"cannot load: {type(exc).__name__}: {exc}")
            continue
        if folder is None:
            yield ep.name, None, None
            continue
        folder = Path(folder)
        if not folder.is_dir():
            yield ep.name, None, RuleError(where, f"rules folder {folder} not found")
            continue
        yield ep.name, folder, None
