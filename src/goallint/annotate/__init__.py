"""Annotated copies of Word and Excel tables: every faulty cell shaded by severity, with a comment.

`annotate(source, findings, out)` writes a copy of `source` to `out` with the annotator of its format
(the `annotator` of its record in goallint/formats.py: docx.py, xlsx.py), in which each cell a finding
points at is filled with the colour of its worst severity and carries a comment (a Word comment
anchored in the cell, an Excel cell note) listing the rule ids and messages. The original is
never modified: the copy is written to a temporary file beside `out` and moved into place.

Which cell: the finding's location (readers/docx.py: `"表3 行5 列5"`; readers/xlsx.py: sheet + address),
moved to the column the finding names (`locate`): a row finding about 三级指标 to that column, a table
finding about 预算数 to the amount right of its label; any other table finding stays on the table's
first cell; a finding without any cell goes on the first cell of the first table or sheet, so that no
finding is dropped.
"""

from __future__ import annotations

import os
import tempfile
from bisect import bisect_left
from collections.abc import Callable, Iterable
from pathlib import Path

from goallint import formats
from goallint.errors import InputError
from goallint.model import Finding

# severity → fill colour (RGB hex): Excel's conditional-format pastels, readable in print
FILL = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
RANK = {"info": 0, "warning": 1, "error": 2}
SEVERITY = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
AUTHOR, INITIALS = "goallint", "GL"


def supports(path: str | Path) -> bool:
    """Whether the format of `path` (by its suffix) has an annotator in the formats registry."""
    return formats.annotator_for(path) is not None


def unsupported(path: str | Path, lang: str = "zh") -> str:
    """Why no annotated copy of `path` is made, naming its format and the ones that get one."""
    path = Path(path)
    can = formats.annotatable()
    which = next((f for f in formats.FORMATS if path.suffix.lower() in f.suffixes), None)
    if lang == "en":
        name = f"{which.name} files" if which else f"{path.suffix or 'these'} files"
        suffixes = ", ".join(s for f in can for s in f.suffixes)
        return f"{name} get no annotated copy (only {suffixes})"
    name = f"{which.title} 文件" if which else f"{path.suffix or '无扩展名的'}文件"
    return f"{name}不能生成批注副本（只有 {formats.titles(can)} 可以）"


def annotated_name(name: str) -> str:
    """`表.docx` → `表.goallint.docx`: the copy's file name."""
    path = Path(name)
    return f"{path.stem}.goallint{path.suffix}"


def worst(findings: Iterable[Finding]) -> str:
    return max((f.severity for f in findings), key=RANK.__getitem__)


def note(findings: list[Finding], lang: str = "zh") -> str:
    """The comment text: one line per finding, `GL201 name（警告）：message`, most severe first."""
    ordered = sorted(findings, key=lambda f: (-RANK[f.severity], f.rule_id))
    if lang == "en":
        return "\n".join(
            f"{f.rule_id} {f.rule_name} ({SEVERITY['en'][f.severity]}): {f.message('en')}" for f in ordered
        )
    return "\n".join(f"{f.rule_id} {f.rule_name}（{SEVERITY['zh'][f.severity]}）：{f.message('zh')}" for f in ordered)


def annotate(source: str | Path, findings: Iterable[Finding], out: str | Path, *, lang: str = "zh") -> Path:
    """Write the annotated copy of `source` to `out` and return `out`; raises InputError on unreadable files."""
    source, out = Path(source), Path(out)
    fmt = formats.annotator_for(source)
    if fmt is None:
        raise InputError(str(source), unsupported(source))
    if out.exists() and out.resolve() == source.resolve():
        raise InputError(str(source), "批注副本不能覆盖原文件，请指定另一个输出目录")
    write = fmt.annotate_function()
    _atomic(out, lambda tmp: write(source, list(findings), tmp, lang=lang))
    return out


def _atomic(out: Path, write: Callable[[Path], None]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".goallint-", suffix=out.suffix, dir=out.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def field_of(text: str | None) -> str | None:
    """The field a column name or header cell names (`三级指标` → level3, `预算数` → total, `目标值` → value),
    in the form layout's or the long layout's words."""
    from goallint.readers import form_knowledge, long

    if not text or len(text) > 40:
        return None
    label = form_knowledge.header_label(text)
    return (
        form_knowledge.column_label(text)
        or (label[0] if label else None)
        or long.lexicon().by_key.get(long.normalize_header(text))
    )


def wanted_field(finding: Finding) -> str | None:
    """The field whose cell a finding is about when that is not the cell of its location: a row finding
    about another column than 指标值, a table finding about a header cell (预算数)."""
    field = field_of(finding.location.column)
    if field == "value" and finding.location.row is not None:
        return None  # a row's location already is its 指标值 cell
    return field


# The form's header block: a label cell whose value is the next cell to its right (readers/form.py).
LABEL_FIELDS = ("project", "total", "fiscal", "other", "purpose", "goals")
Slots = Callable[[int], list[tuple[int, str]]]  # row index → [(first column, text)] of its cells


class Grid:
    """A Word table's or a sheet's non-empty cells by row, read once for all the findings on it, and where
    each field's header text stands, so that placing a finding does not walk the rows again (annotating
    a sheet of many rows and findings takes time in proportion to its cells, not rows × findings)."""

    def __init__(self, rows: int, slots: Slots):
        self.rows = rows
        self._slots = slots
        self._cells: dict[int, list[tuple[int, str]]] = {}
        self._fields: dict[str, list[tuple[int, int, int]]] | None = None

    def cells(self, index: int) -> list[tuple[int, str]]:
        """Row `index`'s [(first column, text)]."""
        if index not in self._cells:
            self._cells[index] = self._slots(index)
        return self._cells[index]

    def field_cells(self, field: str) -> list[tuple[int, int, int]]:
        """[(row, position in its row, first column)] of the cells naming `field`, in reading order."""
        if self._fields is None:
            self._fields = {}
            known: dict[str, str | None] = {}  # a sheet repeats its texts: each is looked up once
            for i in range(self.rows):
                for k, (start, text) in enumerate(self.cells(i)):
                    if text not in known:
                        known[text] = field_of(text)
                    if known[text] is not None:
                        self._fields.setdefault(known[text], []).append((i, k, start))
        return self._fields.get(field, [])


def locate(grid: Grid, row: int, col: int, field: str | None, table_level: bool) -> tuple[int, int]:
    """The (row, column) a finding is marked on, from its location's (row, column) in a grid of cells.

    A table finding about a header-block field → the value cell right of its label; any finding about
    a column → that column, at the header above the row (the long layout's and the grid's header);
    a table finding about a column without a header above → the column's header cell itself.
    """
    if field is None:
        return row, col
    hits = grid.field_cells(field)
    below = bisect_left(hits, (row,))  # hits[below:] are on this row or after it
    if table_level and field in LABEL_FIELDS:
        for i, k, _start in hits[below:]:
            cells = grid.cells(i)
            if k + 1 < len(cells):
                return i, cells[k + 1][0]
    if below:  # the nearest row above holding the field: its first such cell
        nearest = hits[below - 1][0]
        return row, hits[bisect_left(hits, (nearest,))][2]
    if table_level and below < len(hits):
        return hits[below][0], hits[below][2]
    return row, col


def annotate_run(result, outdir: str | Path, *, lang: str = "zh") -> tuple[list[str], list[str]]:
    """`check --annotate OUTDIR`: an annotated copy of every file of a check run (run.RunResult) whose
    format has an annotator.

    The copy keeps the file's name, in OUTDIR (`name-2.docx` when two inputs share a name). Returns
    (notes, errors): a line per copy written or file skipped, and the errors (the run goes on).
    """
    outdir = Path(outdir)
    notes: list[str] = []
    errors: list[str] = []
    used: set[str] = set()
    for file in result.files:
        if file.errors:
            continue
        source = Path(file.path)
        if not supports(source):
            notes.append(f"{source}: {unsupported(source, lang)}" + ("，已跳过" if lang == "zh" else "; skipped"))
            continue
        name, n = source.name, 1
        while name.lower() in used:
            n += 1
            name = f"{source.stem}-{n}{source.suffix}"
        used.add(name.lower())
        out = outdir / name
        try:
            annotate(source, file.findings, out, lang=lang)
        except InputError as error:
            errors.append(str(error))
            continue
        except OSError as error:
            errors.append(f"{out}: {error.strerror or error}")
            continue
        notes.append(
            f"{source} → {out}（{len(file.findings)} 个问题）"
            if lang == "zh"
            else f"{source} → {out} ({len(file.findings)} findings)"
        )
    return notes, errors
