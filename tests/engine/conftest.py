from __future__ import annotations

from pathlib import Path

import pytest

from goallint.engine.loader import load_rules

DATA = Path(__file__).parent / "data"
USER_RULES = DATA / "user-rules"


@pytest.fixture(scope="session")
def ruleset():
    return load_rules(plugins=False)


@pytest.fixture(scope="session")
def lexicons(ruleset):
    return ruleset.lexicons
