"""Tables and forms: which words make up each cell, and in which order cells are read.

The unit definition makes every table cell a unit (and, inside a cell, each paragraph or list item
a unit), read in row-major order, a cell spanning several rows where it starts. Ruled tables come
from the page's rulings (``aligner.pdf.rulings``); this module turns a table into groups of words,
one group per cell in reading order, which the layout stage emits as the lines of their own small
region, so the paragraph rules then run inside each cell and never across two cells.

A ruled table drawn inside a cell of another (a truth table in an answer cell) is read at its place
in that cell: the outer cell's text above it, its own cells row by row, then the text below it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from itertools import pairwise
from typing import TYPE_CHECKING

from aligner.pdf.reader import Table, Word
from aligner.records import BBox

if TYPE_CHECKING:
    from aligner.segmentation.lines import LineInfo

EDGE_TOLERANCE = 1.0
"""Points a word's centre may lie outside a cell box and still belong to it (rulings have width)."""


def _contains(box: BBox, x: float, y: float, pad: float = EDGE_TOLERANCE) -> bool:
    return box[0] - pad <= x <= box[2] + pad and box[1] - pad <= y <= box[3] + pad


def _inside_box(inner: BBox, outer: BBox) -> bool:
    return _contains(outer, inner[0], inner[1]) and _contains(outer, inner[2], inner[3])


def _area(box: BBox) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def top_level(tables: tuple[Table, ...]) -> tuple[list[Table], dict[int, list[Table]]]:
    """Tables not drawn inside another, and for each of them (by index) the tables nested inside."""
    outer: list[Table] = []
    nested: dict[int, list[Table]] = {}
    for t in tables:
        if not any(o is not t and _inside_box(t.bbox, o.bbox) and _area(o.bbox) > _area(t.bbox) for o in tables):
            outer.append(t)
    for i, o in enumerate(outer):
        nested[i] = [t for t in tables if t is not o and _inside_box(t.bbox, o.bbox)]
    return outer, nested


def cell_groups(table: Table, inner: list[Table], words: list[Word]) -> list[tuple[BBox, list[Word]]]:
    """The words of ``table`` (its box holds them all) as one group per non-empty cell, in reading
    order, each with its cell's box.

    Each word goes to the smallest cell holding its centre (a nested table's cell before the outer
    cell around it); a word in no cell box goes to the nearest cell.
    """
    boxes: list[BBox] = list(table.cells)
    for t in inner:
        boxes.extend(t.cells)
    members: dict[int, list[Word]] = {}
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        hits = [k for k, b in enumerate(boxes) if _contains(b, cx, cy)]
        if hits:
            k = min(hits, key=lambda k: _area(boxes[k]))
        else:
            k = min(range(len(boxes)), key=lambda k: _distance(boxes[k], cx, cy))
        members.setdefault(k, []).append(w)
    groups: list[tuple[BBox, list[Word]]] = []
    for k, box in enumerate(table.cells):
        own = members.get(k, [])
        inside = sorted((t for t in inner if _inside_box(t.bbox, box)), key=lambda t: t.bbox[1])
        for t in inside:
            groups.append((box, [w for w in own if w.bottom <= t.bbox[1] + EDGE_TOLERANCE]))
            own = [w for w in own if w.bottom > t.bbox[1] + EDGE_TOLERANCE]
            for cell in t.cells:
                groups.append((cell, members.get(boxes.index(cell), [])))
        groups.append((box, own))
    return [(box, g) for box, g in groups if g]


SIDE_GAP_EM = 3.0
"""A gap wider than this many em inside a printed row of a cell separates texts set side by side (the
labels of a diagram's boxes, two tick-box options); word spaces, even justified, stay far below it."""


def side_by_side(row: list[Word]) -> list[list[Word]]:
    """A cell's printed row (words left to right) cut at its very wide gaps: texts set side by side are
    separate units. Code keeps its indentation gaps (a line wholly in a monospaced font is not cut)."""
    if len(row) < 2 or all(CODE_FONT.search(w.font) for w in row):
        return [row]
    pieces = [[row[0]]]
    for a, b in pairwise(row):
        if b.x0 - a.x1 > SIDE_GAP_EM * max(a.size, b.size):
            pieces.append([])
        pieces[-1].append(b)
    return pieces


def cell_room(box: BBox, words: list[Word]) -> float:
    """Right edge of the room text has in a cell: the cell's right edge less the padding the text
    keeps from its left edge (so a line that stops short of it shows a forced break)."""
    pad = max(0.0, min(w.x0 for w in words) - box[0])
    return box[2] - pad


def _distance(box: BBox, x: float, y: float) -> float:
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return dx * dx + dy * dy


VALUE = re.compile(r"^[(\[]?\d{1,3}(?:\.\d{1,2}[a-z]?)?[)\]]?(?:\s+\(.*\))?$")
"""A bare mark or score as printed in a marks column ("1", "2.1b", "(2)"), perhaps with a bracketed
note beside it ("1 (carry)")."""
VALUE_COLUMN_EM = 6.0
"""A cell whose text spans less than this many em is a narrow value column (Marks, AO1, Total)."""
CODE_FONT = re.compile(r"courier|mono|consol", re.IGNORECASE)
"""Monospaced fonts: lines set in them are code."""
MATH_FONT = re.compile(r"math|\bcm(?:mi|sy|ex)\d", re.IGNORECASE)
"""Mathematical fonts (Cambria Math, STIX Math, TeX's cmmi/cmsy/cmex): lines set in them are formulas."""


def code_letter_bullet(words: list[Word]) -> bool:
    """A sub-bullet typed as a lone letter "o" in a monospaced font before text in another font
    (Word's Courier "o" list level): a bullet, not a word."""
    return (
        len(words) > 1
        and words[0].text == "o"
        and bool(CODE_FONT.search(words[0].font))
        and not CODE_FONT.search(words[1].font)
    )


HINT_PITCH = 1.6
"""A bracketed hint sits right under its label: its top at most this many of the label's type sizes
below the label's top ..."""
HINT_GAP_EM = 0.5
"""... or at most this many em of its own type below the label's bottom (no blank line between)."""


def right_under(a: LineInfo, b: LineInfo) -> bool:
    """b is printed right under a, as a hint under its label: just below it, and not wholly to its side
    (a hint under the second label of a row is not the first label's)."""
    below = b.top > a.top and (b.top - a.top < HINT_PITCH * a.size or b.top - a.bottom < HINT_GAP_EM * b.size)
    return below and b.x0 < a.x1 and b.x1 > a.x0


def hint_continues(a: LineInfo, b: LineInfo) -> bool:
    """b goes on from a as a bracketed hint: in smaller type right under its label ("Pensions" /
    "(Include the total value ...)", a mark "1" / "(carry)"), or the next line of a hint whose
    bracket is still open."""
    if not right_under(a, b):
        return False
    if b.text.startswith("(") and b.size < a.size:
        return True
    return a.text.count("(") > a.text.count(")") and abs(a.size - b.size) < 0.5


def cell_rule(a: LineInfo, b: LineInfo, text_width: float) -> str | None:
    """A boundary decision that only holds inside a table cell, or None to leave it to the
    paragraph rules.

    "join": consecutive lines set wholly in a monospaced font are one code snippet, and consecutive
    lines set wholly in a math font one derivation, whatever their spacing or length; a bracketed
    note in smaller type right under a line belongs to it.
    "value": in a narrow value column, each stacked value is its own unit (each is printed level
    with the answer point it scores).
    "beside": b is a piece of a's printed row, right of it (cut at a wide gap by side_by_side).
    """
    if b.piece and b.x0 > a.x1 and min(a.bottom, b.bottom) > max(a.top, b.top):
        return "beside"
    if (a.mono and b.mono) or (a.math and b.math):
        return "join"
    if hint_continues(a, b):
        return "join"
    if text_width < VALUE_COLUMN_EM * max(a.size, b.size) and VALUE.match(b.text.strip()):
        return "value"
    return None


def split_word(before: str, after: str, known: Collection[str]) -> bool:
    """A word wrapped without a hyphen in a narrow cell ("Marci" / "au", "Cyfa" / "nsw" / "m"): the
    fragment before the break and the next line's start make a word printed elsewhere in the
    document (or the start of one, when the word runs over more lines)."""
    head = before.split()[-1:] if before.strip() else []
    tail = after.split()[:1]
    if not head or not tail:
        return False
    frag = head[0].lower()
    if not frag.isalpha() or not tail[0].isalpha():
        return False
    joined = frag + tail[0].lower()
    return joined in known or any(w.startswith(joined) for w in known)
