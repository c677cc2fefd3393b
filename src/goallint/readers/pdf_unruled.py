"""Tables ruled with horizontal lines only (no vertical lines): a web page or report printed to PDF.

pdfplumber's table finder needs vertical and horizontal ruling lines to make cells, so a table drawn
with rules between its rows and none between its columns (browser print-outs, report generators'
"horizontal lines only" style) gives it nothing. Here such a table's rows are the bands between its
horizontal rules (rules spanning most of the table's width, drawn as lines, thin rectangles or one
segment per cell), and the cells of a band are the runs of text separated by a gap wider than 0.6
of a character (a space is narrower, the padding of two cells wider), or by a smaller gap where a
cell of another row starts: a cell runs from the left of its text to the left of the next cell's
text (or the table's right edge), so the text of a cell spanning several columns stays one cell,
and the same column in every row starts at the same place (left-aligned text). A rule with a gap
under a cell (no line drawn across a cell merged over rows) joins the rows above and below it there. The result has the shape of pdfplumber's
tables (`bbox`, `cells`), so readers/pdf.py reads it like a ruled table.

Not handled (readers/pdf.py then falls back to the text dump or a clear error): a three-line table
(三线表: rules above and below the table and under its header only, no rule between rows), and
centred or right-aligned cell text whose column edges differ from row to row.
"""

from __future__ import annotations

from dataclasses import dataclass

_Y_TOLERANCE = 1.5  # points: rule segments this close vertically are one rule
_MIN_RULES = 4  # a three-line table (3 rules, none between rows) is not read as a grid
_MIN_SHARE = 0.5  # a rule spans at least this share of the widest rule
_MAX_SLOTS = 100_000  # bands × columns: more is no form table (a hostile page of hairlines), not read
_RUN_GAP = 0.6  # a gap wider than this many characters ends a cell's text (a space is about 0.3; cell padding more)


@dataclass(slots=True)
class UnruledTable:
    bbox: tuple[float, float, float, float]
    cells: list[tuple[float, float, float, float]]


def _rules(page) -> list[tuple[float, list[tuple[float, float]]]]:
    """Horizontal rules as (y, segments): segments at one height kept together, rules much shorter than
    the widest (underlines) dropped. A rule may have gaps: a cell merged over rows has none across it."""
    segments = sorted((e["top"], e["x0"], e["x1"]) for e in page.horizontal_edges if e["x1"] - e["x0"] > 1)
    rules: list[tuple[float, list[tuple[float, float]]]] = []
    for y, x0, x1 in segments:
        if rules and y - rules[-1][0] <= _Y_TOLERANCE:
            rules[-1][1].append((x0, x1))
        else:
            rules.append((y, [(x0, x1)]))
    if not rules:
        return []
    widest = max(_span(parts) for _, parts in rules)
    return [(y, parts) for y, parts in rules if _span(parts) >= _MIN_SHARE * widest]


def _span(parts: list[tuple[float, float]]) -> float:
    return max(b for _, b in parts) - min(a for a, _ in parts)


def _covers(parts: list[tuple[float, float]], x: float) -> bool:
    return any(a - _Y_TOLERANCE <= x <= b + _Y_TOLERANCE for a, b in parts)


def _runs(chars: list[dict], starts: list[float] = ()) -> list[tuple[float, float]]:
    """The x-ranges covered by the band's characters, split where the gap is wider than a character,
    or wider than a third of one where a cell of another row starts (`starts`: a cell whose text fills
    its width leaves only the cells' padding before the next one)."""
    spans = sorted((c["x0"], c["x1"], c["size"]) for c in chars if c["text"].strip())
    runs: list[list[float]] = []
    for x0, x1, size in spans:
        gap = x0 - runs[-1][1] if runs else 0.0
        at_start = gap > size / 3 and any(abs(x0 - 0.5 - s) <= _Y_TOLERANCE for s in starts)
        if runs and gap <= _RUN_GAP * size and not at_start:
            runs[-1][1] = max(runs[-1][1], x1)
        else:
            runs.append([x0, x1])
    return [(a, b) for a, b in runs]


def _starts(runs: list[tuple[float, float]], left: float, size: float) -> list[float]:
    """Where the band's cells start: the table's left for the first column, else just left of the text."""
    return [a - 0.5 if i or a - left > 2 * size else left for i, (a, _) in enumerate(runs)]


def find_tables(page, chars) -> list[UnruledTable]:
    """The horizontal-rule table of a page with no ruled table (`chars`: pdf_text.Chars of the page)."""
    rules = _rules(page)
    if len(rules) < _MIN_RULES:
        return []
    left = min(a for _, parts in rules for a, _ in parts)
    right = max(b for _, parts in rules for _, b in parts)
    texts = []  # per band, its characters and their size
    for (top, _), (bottom, _) in zip(rules, rules[1:], strict=False):
        band = chars.within(left, top, right, bottom)
        texts.append((band, max((c["size"] for c in band), default=10.0)))
    first = [x for band, size in texts for x in _starts(_runs(band), left, size)]
    bands = [_starts(_runs(band, first), left, size) for band, size in texts]
    columns: list[float] = []
    for start in sorted(x for starts in bands for x in starts):
        if not columns or start - columns[-1] > _Y_TOLERANCE:
            columns.append(start)
    if len(columns) < 2 or len(columns) * len(bands) > _MAX_SLOTS:
        return []
    edges = [*columns, right]
    # slots (band, column) joined into cells: along a run of text, and across a rule with a gap there
    parent = {(b, c): (b, c) for b in range(len(bands)) for c in range(len(columns))}

    def find(slot: tuple[int, int]) -> tuple[int, int]:
        while parent[slot] != slot:
            parent[slot] = parent[parent[slot]]
            slot = parent[slot]
        return slot

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        parent[find(b)] = find(a)

    found = [[min(range(len(columns)), key=lambda c, x=x: abs(columns[c] - x)) for x in starts] for starts in bands]

    def open_below(b: int, c: int) -> bool:  # no rule between band b and the next in column c
        return b + 1 < len(bands) and not _covers(rules[b + 1][1], (edges[c] + edges[c + 1]) / 2)

    def claimed(b: int, c: int) -> bool:
        """Whether a cell starting in column c of another band reaches this slot through rule gaps."""
        up, down = b, b
        while up > 0 and open_below(up - 1, c):
            up -= 1
        while open_below(down, c):
            down += 1
        return any(c in found[k] for k in range(up, down + 1) if k != b)

    filled = set()
    for b, columns_found in enumerate(found):
        for i, c0 in enumerate(columns_found):
            c1 = columns_found[i + 1] if i + 1 < len(columns_found) else len(columns)
            filled.add((b, c0))
            for c in range(c0 + 1, c1):  # the empty slots up to the next text not merged into another cell
                if claimed(b, c):
                    break
                join((b, c0), (b, c))
                filled.add((b, c))
    for b in range(1, len(bands)):
        for c in range(len(columns)):
            if not _covers(rules[b][1], (edges[c] + edges[c + 1]) / 2):
                join((b - 1, c), (b, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for slot in parent:
        groups.setdefault(find(slot), []).append(slot)
    cells = []
    for slots in groups.values():
        if any(slot in filled for slot in slots):
            rows_, cols_ = [b for b, _ in slots], [c for _, c in slots]
            cells.append((edges[min(cols_)], rules[min(rows_)][0], edges[max(cols_) + 1], rules[max(rows_) + 1][0]))
    if len(cells) < 2:
        return []
    return [UnruledTable((left, rules[0][0], right, rules[-1][0]), cells)]
