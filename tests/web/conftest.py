"""Shared by the web and annotation tests: a corpus table with known faults, the engine, required tools."""

from __future__ import annotations

import pytest

from builders.helpers import CORPUS, require_tool
from goallint import pipeline  # noqa: E402
from goallint.config import Settings  # noqa: E402
from goallint.engine.loader import load_rules  # noqa: E402
from goallint.engine.runner import Engine  # noqa: E402
from goallint.model import Document  # noqa: E402
from goallint.units import quantity  # noqa: E402


def require(name: str) -> str:
    """The path of a system tool (builders.helpers.require_tool: fails in CI, skips elsewhere)."""
    return require_tool(name)


def faulty_table_document() -> Document:
    """Table 1 of the Tianjin commerce 2025 corpus (its satisfaction row is `≤90%`), with three more faults:
    a budget that is not 财政资金 + 其他资金 (a table finding on 预算数), a nonstandard `≧`, and the
    second indicator repeated at the end with another value (a finding on its 三级指标)."""
    document = pipeline.load(CORPUS / "tianjin-commerce-2025-projects.txt")
    table = document.tables[0]
    assert any(r.value == "≤90%" and "满意度" in r.level3 for r in table.rows)
    table.budget.total = table.budget.fiscal + quantity(10, "wan_yuan")
    first = table.rows[0]
    first.value = first.value.replace("≥", "≧") if "≥" in first.value else "≧2次"
    table.title = f"{table.project}（2025年）绩效目标表"  # the budget year, stated as the published titles do
    second = table.rows[1]
    table.rows.append(
        second.model_copy(
            update={"value": "≥99项", "location": second.location.model_copy(update={"row": len(table.rows) + 1})}
        )
    )
    document.tables = [table]
    return document


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(load_rules(), Settings())


@pytest.fixture(scope="session")
def table_document() -> Document:
    return faulty_table_document()
