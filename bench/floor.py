"""The reference floor: read the same rows as goallint and apply one precompiled regex per value.

    python bench/floor.py FORMAT DIR      (FORMAT: json, yaml, txt, xlsx)

Prints the number of values read and how many the regex matched. bench/run.py times it in the same
run as goallint, so that goallint's time can be given as a ratio to it (absolute times drift on a
shared machine). It is as little as reading the rows can be: the standard json module, PyYAML's C
loader, the text lines, openpyxl's read-only mode.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# a comparator, a number and what follows: about what a first look at 指标值 needs
VALUE = re.compile(r"\s*(?:[≥≤<>＞＜=≧≦]|不[少低高超]于|大于|小于)?\s*(\d+(?:\.\d+)?)\s*([^\d\s]*)")


def values_json(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    for table in data["tables"]:
        for row in table["rows"]:
            yield row[4]


def values_yaml(path: Path):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # a safe loader, in C where PyYAML has it
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - the loader is a SafeLoader
    for table in data["tables"]:
        for row in table["rows"]:
            yield row[4]


def values_txt(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("\t"):
                yield line[1:]


def values_xlsx(path: Path):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2, values_only=True):
            yield row[10] or ""
    workbook.close()


def main() -> None:
    fmt, folder = sys.argv[1], Path(sys.argv[2])
    read = globals()[f"values_{fmt}"]
    n = hits = 0
    suffix = {"json": ".json", "yaml": ".yaml", "txt": ".txt", "xlsx": ".xlsx"}[fmt]
    for path in sorted(folder.glob(f"*{suffix}")):
        for value in read(path):
            n += 1
            if VALUE.match(value):
                hits += 1
    print(f"{n} values, {hits} matched")


if __name__ == "__main__":
    main()
