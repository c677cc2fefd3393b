"""The unit registry, built from grammar/units.txt only (small and fast to load)."""

from __future__ import annotations

from functools import cache

import pint

from goallint.resources import grammar_file

# Table units as written in "单位：万元" → registry unit names.
TABLE_UNITS = {"元": "yuan", "万元": "wan_yuan"}


@cache
def registry() -> pint.UnitRegistry:
    return pint.UnitRegistry(str(grammar_file("units.txt")), autoconvert_offset_to_baseunit=False)


def quantity(magnitude: float, unit: str) -> pint.Quantity:
    return registry().Quantity(magnitude, unit)
