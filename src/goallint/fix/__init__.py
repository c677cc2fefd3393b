"""Safe fixes written back into the source file: `goallint check --fix` and `--diff`.

A finding whose rule marks its fix `safe: true` carries the new text of its cell (FindingFix). This
package turns those into CellEdits and hands them to the writer of the file's format (one module per
format, the `fixer` of its record in goallint/formats.py). A writer changes only the edited cells and
keeps every other byte it can (YAML comments and layout, Word formatting, other sheets, …).

The fix loop works on a private copy: apply one fix per cell, read the copy back and check it
again, repeat while safe fixes remain (one cell may need two: `≧2.5万` → `≥2.5万` → `≥2.5万元`).
After each pass the copy must read back as the same tables and rows with only the edited values
changed, else nothing is written. `--fix` then replaces the original atomically (a temporary file
in the same folder + os.replace); `--diff` only reports the edits. A file whose reader reported a
problem (a cut-off table, an unreadable cell, …) is not touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from goallint import formats
from goallint.model import Document, Finding, Location

MAX_PASSES = 5


def fixer_for(format: str) -> ModuleType | None:
    """The fixer of a document format (model.Document.format), from the formats registry, or None."""
    fmt = formats.by_name(format)
    return fmt.load_fixer() if fmt is not None else None


def cannot_fix(format: str) -> str:
    """Why files of this format are not fixed, naming the format."""
    fmt = formats.by_name(format)
    if fmt is None:
        return f"不能写回 {format} 格式的文件"
    reason = f"：{fmt.no_fix_reason}" if fmt.no_fix_reason else ""
    return f"{fmt.title} 文件不支持自动修复{reason}"


class FixError(Exception):
    """A cell a writer cannot change safely (the reason is shown to the user)."""


@dataclass(frozen=True)
class CellEdit:
    """Replace the text `old` of an indicator row's 指标值 cell by `new`."""

    location: Location  # the row's location: table/row, and line, sheet + cell or Word cell
    old: str
    new: str
    rule_id: str
    indicator: str = ""
    project: str = ""
    # a target split over cells (指标性质 | 指标值 | 度量单位): the part whose cell this edit writes, and the
    # row's whole target after it (what the row reads back as)
    part: str | None = None
    row_value: str | None = None
    table_number: int | None = None  # the number printed in the table's title (表62), when it has one

    @property
    def table_label(self) -> str:
        """The table as the user sees it: its printed number, else its position in the file."""
        return f"表 {self.table_number if self.table_number is not None else self.location.table}"

    @property
    def key(self) -> tuple[int | None, int | None]:
        return (self.location.table, self.location.row)

    @property
    def cell_key(self) -> tuple[int | None, int | None, str | None]:
        return (self.location.table, self.location.row, self.part)

    def where(self) -> str:
        """The cell as the user finds it: `表3 行8 列7`, `Sheet1!G8`, `源文件第 6 行`."""
        loc = self.location
        if loc.sheet:
            return f"{loc.sheet}!{loc.cell or ''}"
        if loc.cell:
            return loc.cell
        if loc.line is not None:
            return f"源文件第 {loc.line} 行"
        return ""


@dataclass
class FileFix:
    """What fixing one file did (or would do)."""

    path: str
    edits: list[CellEdit] = field(default_factory=list)  # applied, in order
    skipped: list[tuple[CellEdit, str]] = field(default_factory=list)  # fixes a writer could not apply
    refused: str | None = None  # why the file was not touched at all
    written: bool = False

    def cells(self) -> list[tuple[CellEdit, str, str]]:
        """Each changed cell once: (first edit, text before, text after all passes)."""
        out: dict[tuple, list] = {}
        for edit in self.edits:
            if edit.cell_key in out:
                out[edit.cell_key][2] = edit.new
            else:
                out[edit.cell_key] = [edit, edit.old, edit.new]
        return [tuple(v) for v in out.values() if v[1] != v[2]]


# (path to read, path it stands for) → the document and its findings, as `check` reports them
CheckFile = Callable[[Path, Path], tuple[Document, list[Finding]]]


def unreadable_parts(document: Document) -> str | None:
    """Why the file was not fully read, or None."""
    reasons = [f"{p.code}: {p.message}" for p in document.problems]
    reasons += [
        f"truncated-table: 表 {t.location.table}" for t in document.tables if t.truncated and not document.problems
    ]
    return "；".join(reasons) if reasons else None


def plan(document: Document, findings: list[Finding], skip: set[tuple]) -> list[CellEdit]:
    """One safe fix per indicator cell, the first in finding order; fixes known not to apply are left out."""
    rows = {
        (t_index, r_index): row for t_index, t in enumerate(document.tables, 1) for r_index, row in enumerate(t.rows, 1)
    }
    edits: dict[tuple, CellEdit] = {}
    for f in findings:
        if f.fix is None or not f.fix.safe or f.value is None or f.fix.text == f.value:
            continue
        key = (f.location.table, f.location.row)
        row = rows.get(key)
        if row is None or row.value != f.value or key in edits or (key, f.rule_id, f.value) in skip:
            continue
        if row.parts:
            edit = _part_edit(row, f)
            if edit is not None:
                edits[key] = edit
            continue
        edits[key] = CellEdit(
            location=row.location,
            old=f.value,
            new=f.fix.text,
            rule_id=f.rule_id,
            indicator=row.level3 or row.description,
            project=f.project or "",
            table_number=f.table_number,
        )
    return list(edits.values())


def _part_edit(row, f: Finding) -> CellEdit | None:
    """The edit of one cell of a target split over cells (readers/columns.py), or None when the fix does not
    fall within one cell."""
    from goallint.readers.columns import split_back

    texts = {name: part.text for name, part in row.parts.items()}
    spans = {name: part.span for name, part in row.parts.items()}
    changed = split_back(f.fix.text, texts, spans, row.value)
    if not changed:
        return None
    ((name, new),) = changed.items()
    part = row.parts[name]
    return CellEdit(
        location=part.location,
        old=part.text,
        new=new,
        rule_id=f.rule_id,
        indicator=row.level3 or row.description,
        project=f.project or "",
        part=name,
        row_value=f.fix.text,
        table_number=f.table_number,
    )


def _verify(before: Document, after: Document, edits: list[CellEdit]) -> str | None:
    """None when `after` holds the same tables and rows as `before` with only the edited values changed."""
    expected = {e.key: e.row_value if e.row_value is not None else e.new for e in edits}
    if len(before.tables) != len(after.tables) or len(after.problems) > len(before.problems):
        return "修复后文件读回的表格数量或问题与修复前不一致"
    for t_index, (a, b) in enumerate(zip(before.tables, after.tables, strict=True), 1):
        if len(a.rows) != len(b.rows):
            return f"修复后表 {t_index} 的行数变了"
        for r_index, (ra, rb) in enumerate(zip(a.rows, b.rows, strict=True), 1):
            want = expected.get((t_index, r_index), ra.value)
            if (ra.level1, ra.level2, ra.level3, ra.description, want) != (
                rb.level1,
                rb.level2,
                rb.level3,
                rb.description,
                rb.value,
            ):
                return f"修复后表 {t_index} 第 {r_index} 行读回的内容与预期不同（{rb.value!r}，应为 {want!r}）"
    return None


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and os.replace."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".goallint-tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(path, temp)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def fix_file(path: Path, check_file: CheckFile, *, write: bool) -> FileFix:
    """Apply the safe fixes of one file (write=False: only work out what they would be)."""
    result = FileFix(path=str(path))
    document, findings = check_file(path, path)
    if (why := unreadable_parts(document)) is not None:
        if any(f.fix is not None and f.fix.safe for f in findings):
            result.refused = f"文件未完整读取，不自动修复（{why}）"
        return result
    fixer = fixer_for(document.format)
    if fixer is None:
        if any(f.fix is not None and f.fix.safe for f in findings):
            result.refused = cannot_fix(document.format)
        return result
    data = path.read_bytes()
    skip: set[tuple] = set()
    with tempfile.TemporaryDirectory(prefix="goallint-fix-") as folder:
        work = Path(folder) / path.name
        for _ in range(MAX_PASSES):
            edits = plan(document, findings, skip)
            if not edits:
                break
            try:
                new_data, skipped = fixer.apply(data, edits, document)
            except FixError as error:
                result.refused = str(error)
                return result
            for edit, reason in skipped:
                skip.add((edit.key, edit.rule_id, edit.old))
                result.skipped.append((edit, reason))
            applied = [e for e in edits if all(e is not s for s, _ in skipped)]
            if not applied:
                continue
            work.write_bytes(new_data)
            new_document, new_findings = check_file(work, path)
            problem = _verify(document, new_document, applied)
            if problem is not None:
                result.refused = f"{problem}；未写入任何修改"
                result.edits = []
                return result
            data, document, findings = new_data, new_document, new_findings
            result.edits += applied
    if write and result.edits:
        atomic_write(path, data)
        result.written = True
    return result


def splice(text, replacements):
    """`text` (str or bytes) with each span [start, end) replaced by its new text, built in one pass so
    that a file with many fixes takes time in proportion to its size. Spans must not overlap."""
    parts, at = [], 0
    for start, end, new in sorted(replacements, key=lambda r: r[0]):
        parts += (text[at:start], new)
        at = end
    parts.append(text[at:])
    return text[:0].join(parts)


# --------------------------------------------------------------------------- text runs (Word, Excel rich text)

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _replace_chars(runs: list, start: int, end: int, text: str) -> None:
    """Replace characters [start, end) of the runs' joined text by `text`, keeping each run's formatting."""
    position = 0
    placed = False
    for index, t in enumerate(runs):
        value = t.text or ""
        lo, hi = position, position + len(value)
        position = hi
        last = index == len(runs) - 1
        # the run that receives the new text: the one holding `start` (an insertion goes after the char before it)
        owner = not placed and ((lo <= start < hi) or (start == end and lo < start <= hi) or (start == hi and last))
        cut_lo, cut_hi = max(start, lo) - lo, min(end, hi) - lo
        if owner:
            value = value[:cut_lo] + text + value[max(cut_hi, cut_lo) :]
            placed = True
        elif cut_lo < cut_hi:
            value = value[:cut_lo] + value[cut_hi:]
        else:
            continue
        t.text = value
        if value != value.strip():
            t.set(XML_SPACE, "preserve")


def changed_span(old: str, new: str) -> tuple[int, int, str]:
    """The differing middle: old[p:len(old)-s] becomes new[p:len(new)-s]."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    return p, len(old) - s, new[p : len(new) - s]


def edit_runs(runs: list, old: str, new: str) -> bool:
    """Change `old` to `new` in the joined text of XML text elements (Word w:t, Excel t), touching only the
    characters that differ, so each run keeps its formatting. False when `old` is not there exactly once."""
    joined = "".join(t.text or "" for t in runs)
    if joined.count(old) != 1:
        return False
    offset = joined.index(old)
    start, end, text = changed_span(old, new)
    _replace_chars(runs, offset + start, offset + end, text)
    if "".join(t.text or "" for t in runs) != joined[:offset] + new + joined[offset + len(old) :]:
        raise FixError(f"「{old}」写回后的文字与预期不符；未写入")
    return True


# --------------------------------------------------------------------------- reporting


def unified_diff(fixes: list[FileFix]) -> str:
    """The changed cells as a unified diff: file, table, cell, old → new."""
    out: list[str] = []
    for fix in fixes:
        cells = fix.cells()
        if not cells:
            continue
        out += [f"--- {fix.path}", f"+++ {fix.path}"]
        for edit, old, new in cells:
            rules = ",".join(dict.fromkeys(e.rule_id for e in fix.edits if e.key == edit.key))
            table = edit.table_label + (f" {edit.project}" if edit.project else "")
            out.append(f"@@ {table} · {edit.where()} · 第{edit.location.row}行 {edit.indicator} · {rules} @@")
            out += [f"-{old}", f"+{new}"]
    return "\n".join(out) + ("\n" if out else "")
