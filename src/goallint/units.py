"""The unit registry, built from grammar/units.txt only (small and fast to load)."""

from __future__ import annotations

from collections.abc import Callable
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


@cache
def _maker(unit: str) -> Callable[[float], pint.Quantity]:
    """Quantities in `unit` from plain numbers, 20× faster than pint's constructor (a reader makes one per amount).

    For a number and a parsed unit pint's constructor only stores the two, after checks that cannot
    fail for them; this stores them in the same object. A pint that stores more is left to build them.
    """
    reg = registry()
    units = _units(unit)
    Quantity = reg.Quantity
    probe = Quantity(1.5, units)
    if (
        reg.force_ndarray
        or reg.force_ndarray_like
        or list(vars(probe).items()) != [("_magnitude", 1.5), ("_units", units)]
    ):
        return lambda magnitude: Quantity(magnitude, units)
    new = object.__new__

    def make(magnitude: float) -> pint.Quantity:
        made = new(Quantity)
        made._magnitude = magnitude
        made._units = units
        return made

    return make


def quantity(magnitude: float, unit: str) -> pint.Quantity:
    if type(magnitude) is float or type(magnitude) is int:
        return _maker(unit)(magnitude)
    # the parsed unit is what pint itself caches and shares; giving it saves parsing `unit`
    return registry().Quantity(magnitude, _units(unit))
