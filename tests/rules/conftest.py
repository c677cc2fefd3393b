"""Shared fixtures of the rule tests."""

from __future__ import annotations

import pytest

from goallint.engine.loader import load_rules


@pytest.fixture(scope="module")
def ruleset():
    """The built-in rules, without plugins; loading them must give no error."""
    rs = load_rules(plugins=False)
    assert not rs.errors, rs.errors
    return rs
