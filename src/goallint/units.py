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


@cache
def _units(unit: str) -> pint.util.UnitsContainer:
    return registry().parse_units(unit)._units


def quantity(magnitude: float, unit: str) -> pint.Quantity:
    # the parsed unit is what pint itself caches and shares; giving it saves parsing `unit` per amount
    return registry().Quantity(magnitude, _units(unit))
