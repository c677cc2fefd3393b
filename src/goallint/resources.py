"""Where the data files (grammar/, rules/) are, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder `name` ("grammar" or "rules").

    An installed wheel carries them inside the package (goallint/grammar); a source checkout
    used with an editable install keeps them at the repository top level (../../grammar).
    """
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"goallint data folder {name!r} not found next to {_PACKAGE_DIR}")


def grammar_file(filename: str) -> Path:
    return data_dir("grammar") / filename


def rules_dir() -> Path:
    return data_dir("rules")
