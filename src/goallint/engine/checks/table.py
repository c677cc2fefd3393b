"""Built-in table-level checks (more join with the rule catalog)."""

from __future__ import annotations
