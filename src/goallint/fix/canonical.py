"""Fixes in the canonical YAML and JSON table files: only the fixed scalar's characters change.

The file is composed with ruamel.yaml (round-trip), which gives every scalar's exact span in the
text; the fixed scalar is spliced in place, so comments, flow rows, indentation and key order stay
as written. A plain YAML scalar stays plain when the new text reads back as the same string,
else it is quoted; a quoted one keeps its quotes; JSON strings are written as JSON. The edited text
is loaded again and each fixed cell must read back as the new value.

A row is found by its position: tables[table-1].rows[row-1], then item 5 of a list row or the
`value` / `指标值` key of a mapping row (a target split over columns: the key of the cell the fix writes,
`comparator` / `指标性质` or `unit` / `度量单位`) (the same path in the full-model JSON of `goallint parse
--format json`).
"""

from __future__ import annotations

import json

from goallint.fix import CellEdit, FixError, splice
from goallint.model import Document

BOM = b"\xef\xbb\xbf"
VALUE_KEYS = ("value", "指标值")
# a target split over columns (readers/canonical_fields.py): the key of each part's cell
PART_KEYS = {"number": VALUE_KEYS, "comparator": ("comparator", "指标性质"), "unit": ("unit", "度量单位")}


def _get(node, key):
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        keys = key if isinstance(key, tuple) else (key,)
        for k, v in node.value:
            if getattr(k, "value", None) in keys:
                return v
        return None
    if isinstance(node, SequenceNode) and isinstance(key, int):
        return node.value[key] if 0 <= key < len(node.value) else None
    return None


def _value_node(root, table: int, row: int, part: str | None = None):
    from ruamel.yaml.nodes import SequenceNode

    tables = _get(root, "tables")
    t = _get(tables, table - 1) if tables is not None else None
    rows = _get(t, "rows") if t is not None else None
    r = _get(rows, row - 1) if rows is not None else None
    if r is None:
        return None, False
    if isinstance(r, SequenceNode):
        return _get(r, 4), r.flow_style
    return _get(r, PART_KEYS.get(part or "number", VALUE_KEYS)), r.flow_style


def _reads_as(snippet: str, flow: bool) -> object:
    from ruamel.yaml import YAML

    try:
        data = YAML(typ="safe").load(f"[{snippet}]" if flow else f"k: {snippet}")
    except Exception:  # noqa: BLE001 - any YAML error means: quote it
        return None
    return data[0] if flow else data.get("k") if isinstance(data, dict) else None


def _yaml_scalar(new: str, style: str | None, flow: bool) -> str:
    if style is None and _reads_as(new, flow) == new:
        return new
    if style == "'":
        return "'" + new.replace("'", "''") + "'"
    return json.dumps(new, ensure_ascii=False)  # a YAML double-quoted scalar


def apply(data: bytes, edits: list[CellEdit], document: Document) -> tuple[bytes, list[tuple[CellEdit, str]]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode

    is_json = document.format == "json"
    bom = data.startswith(BOM)
    text = data[len(BOM) if bom else 0 :].decode("utf-8")
    try:
        root = YAML(typ="rt").compose(text)
    except Exception as exc:  # noqa: BLE001
        raise FixError(f"无法定位单元格：{exc}") from None
    skipped: list[tuple[CellEdit, str]] = []
    splices: list[tuple[int, int, str, CellEdit]] = []
    for edit in edits:
        loc = edit.location
        node, flow = _value_node(root, loc.table or 0, loc.row or 0, edit.part)
        if not isinstance(node, ScalarNode) or str(node.value) != edit.old:
            skipped.append((edit, f"{edit.table_label} 第 {loc.row} 行的指标值不是「{edit.old}」"))
            continue
        if node.style in ("|", ">"):
            skipped.append((edit, f"第 {node.start_mark.line + 1} 行的指标值是多行块，请手工修改"))
            continue
        new = json.dumps(edit.new, ensure_ascii=False) if is_json else _yaml_scalar(edit.new, node.style, bool(flow))
        splices.append((node.start_mark.index, node.end_mark.index, new, edit))
    text = splice(text, [(start, end, new) for start, end, new, _ in splices])
    # every fixed cell must read back as its new text
    check_root = YAML(typ="rt").compose(text)
    for _, _, _, edit in splices:
        node, _ = _value_node(check_root, edit.location.table or 0, edit.location.row or 0, edit.part)
        if node is None or str(node.value) != edit.new:
            raise FixError(f"{edit.table_label} 第 {edit.location.row} 行：修复后读回的值不是「{edit.new}」；未写入")
    if is_json:
        json.loads(text)
    return (BOM if bom else b"") + text.encode("utf-8"), skipped
