"""The long layout written: one row per indicator, the project's header repeated (readers/long.py reads it).

The columns are those of `rules/lexicon/column-names.yaml` (the first name of each field is written), plus
the cells of a row beyond the five: a target split over 指标性质 | 指标值 | 度量单位 (when every row is
split), the block of a two-target table (目标期) and the cells kept beside a target (权重, 得分, 实际完成值 …),
so that the table reads back with the same findings.
"""

from __future__ import annotations

from typing import Any

from goallint.model import Document, IndicatorRow, Table
from goallint.readers.long import (
    ALWAYS_WRITTEN,
    AMOUNT_FIELDS,
    FORMS,
    HEADER_FIELDS,
    INDICATOR_FIELDS,
    ROW_FIELDS,
    join_goals,
    lexicon,
)
from goallint.units import TABLE_UNITS


def _agency_text(agency) -> str | None:
    if agency is None:
        return None
    return f"[{agency.code}]{agency.name or ''}" if agency.code else agency.name


PART_FIELDS = ("comparator", "unit_part")  # a blank 指标性质 cell is written: it is a finding (GL205)
# the cells of a row beyond the five (a split target's parts, kept cells) and the column names written for them
ROW_CELLS = {
    "comparator": "指标性质",
    "unit_part": "度量单位",
    "weight": "权重",
    "score": "得分",
    "actual": "实际完成值",
    "previous": "上年实际值",
    "value-type": "指标值类型",
    "direction": "指标方向",
}


def _row_cells(row: IndicatorRow | None, split: bool) -> dict[str, Any]:
    """A row's cells by field: the five, its block, and (`split`) the parts of its split target, its kept cells."""
    if row is None:
        return {}
    out: dict[str, Any] = {name: getattr(row, name) for name in INDICATOR_FIELDS}
    out["block"] = row.block
    out.update(row.extra)
    if split and row.parts:
        out["value"] = row.parts["number"].text if "number" in row.parts else row.value
        out["comparator"] = row.parts["comparator"].text if "comparator" in row.parts else None
        out["unit_part"] = row.parts["unit"].text if "unit" in row.parts else None
    return out


def writes_split(document: Document) -> bool:
    """Whether the long layout keeps the targets split over 指标性质 | 指标值 | 度量单位: when every row of the
    document with a target is split (one column serves all tables, and a blank 指标性质 cell is a finding)."""
    rows = [row for table in document.tables for row in table.rows if row.value]
    return bool(rows) and all(row.parts for row in rows)


# --------------------------------------------------------------------------- writing


def document_to_rows(document: Document) -> tuple[list[str], list[list[Any]]]:
    """The long layout of a document: the header texts and one row per indicator.

    Amounts are floats in the table's unit (None when empty), everything else text. A table
    without indicators still gets one row, so that its project survives a round trip.
    """
    lex = lexicon()

    def header_values(table: Table) -> dict[str, Any]:
        year = table.fiscal_year or document.fiscal_year
        out: dict[str, Any] = {
            "table_number": table.number,
            "title": table.title,
            "department_code": table.department_code,
            "department_name": table.department_name,
            "fiscal_year": year.year if year else None,
            "project": table.project,
            "unit": table.unit,
            "purpose": table.purpose or None,
            "goals": join_goals(table.goals) or None,
            "form": next((text for text, form in FORMS.items() if form == table.form), None),
            "supervisor": _agency_text(table.supervisor),
            "implementer": _agency_text(table.implementer),
            "attribute": table.attribute,
            "period": table.period.text if table.period is not None else None,
        }
        for name in AMOUNT_FIELDS:
            amount = getattr(table.budget, name)
            if amount is not None and table.unit:
                amount = amount.to(TABLE_UNITS[table.unit])
            out[name] = None if amount is None else float(amount.magnitude)
        return out

    headers = [header_values(table) for table in document.tables]
    split = writes_split(document)
    # rows with more than the five cells (a block, kept cells, a split target) give their cells by field;
    # the others (nearly all, in most files) are read by attribute, as fast as the five alone
    richer = any(row.block or row.extra or (split and row.parts) for table in document.tables for row in table.rows)
    cells = [[_row_cells(row, split) for row in table.rows or [None]] for table in document.tables] if richer else []
    row_names = [*INDICATOR_FIELDS, *ROW_FIELDS, *ROW_CELLS]
    fields = [
        name
        for name in HEADER_FIELDS
        if name in ALWAYS_WRITTEN or any(values.get(name) is not None for values in headers)
    ] + [
        name
        for name in row_names
        if name in ALWAYS_WRITTEN
        or any(row.get(name) or (name in PART_FIELDS and row.get(name) is not None) for table in cells for row in table)
    ]
    parts = [name for name in PART_FIELDS if name in fields]
    if parts:  # the parts stand around 指标值, as in the export
        fields = [name for name in fields if name not in parts]
        at = fields.index("value")
        fields[at : at + 1] = [
            name for name in ("comparator", "value", "unit_part") if name == "value" or name in parts
        ]
    in_row = [name in row_names for name in fields]
    rows: list[list[Any]] = []
    for t_index, (table, values) in enumerate(zip(document.tables, headers, strict=True)):
        # the table's header cells once; each row fills in its own
        head = ["" if (value := values.get(name)) is None and name not in AMOUNT_FIELDS else value for name in fields]
        for r_index, row in enumerate(table.rows or [None]):
            by_field = cells[t_index][r_index] if richer else None
            line = head.copy()
            for index, name in enumerate(fields):
                if in_row[index]:
                    if by_field is not None:
                        line[index] = by_field.get(name) or ""
                    else:
                        line[index] = getattr(row, name) if row is not None else ""
            rows.append(line)
    return [ROW_CELLS[name] if name in ROW_CELLS else lex.written_name(name) for name in fields], rows


def amount_text(value: float | None) -> str:
    """12.0 → "12.00" (as tables print amounts); 12.345 → "12.345"."""
    if value is None:
        return ""
    return f"{value:.2f}" if round(value, 2) == value else repr(value)
