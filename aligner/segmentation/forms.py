"""Unruled tables and forms: columns found from gaps in x that line up over several lines.

Forms set a question or field label, checkbox options and their routing text ("Yes   Go to
question 2."), or a label and its "£" boxes, on one printed line with wide gaps between them, and
grade or contact lists do the same without rulings. Read as one line, such a row runs the columns
together. Here a line is cut at a gap that is

* much wider than the line's other word gaps (justified text widens every gap of its line alike),
  or at least GAP_COLUMN_EM wide (so a row whose cells are all set far apart is cut too), or at
  least GAP_MIN_EM and followed by a word right at a column edge that other rows' cuts show,
* and either followed by text starting at the same x as the text after such a gap on another line
  of the page (a column edge that persists), or wide and followed by words (a lone number after a
  wide gap is a contents entry's page number, not a column);
* never right after a list label or bullet at the start of the line (the gap after "1." or "•"),
  nor on a justified line (a narrow column stretches its few spaces alike, further than any of
  these widths; aligner.segmentation.layout.justified_words), even where a word of it starts right
  at a column edge of the rows around; a line justified only up to its measure's edge, with
  options beside it, is cut there;
* or wide, after a field label (ending in ":" or "?") that only box marks follow ("Date:  / /",
  "assessment:  %  %"), or inside a row of box marks ("£   £"): cut before each mark, except
  between the slashes of one date field;
* or at least GAP_MIN_EM with a tick box drawn in it (options side by side, each with its box).

Gaps are measured from the right end of all the words before (interleaved words open no gap).
Each piece becomes a line of its own, tagged with its form column: the pieces of a column are
grouped into paragraphs on their own (a label wrapped over two lines stays one unit while its
options sit to the right), and paragraphs are read in the order they start, row by row, left to
right (aligner.segmentation.rules).
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise
from statistics import median
from typing import TYPE_CHECKING

from aligner.pdf.reader import Word
from aligner.records import BBox
from aligner.segmentation.layout import Line, justified_words
from aligner.segmentation.numbering import split_label
from aligner.segmentation.tables import hint_continues, right_under

if TYPE_CHECKING:
    from aligner.segmentation.lines import LineInfo

GAP_MIN_EM = 0.6
"""A gap narrower than this (in em of the line's type) never separates form columns: it is a word
space or the double space after a sentence."""
GAP_WIDE_EM = 1.0
"""A gap at least this wide separates columns even where no other line shares the column edge."""
GAP_RATIO = 2.5
"""A column gap is at least this many times the median of the line's other word gaps."""
GAP_COLUMN_EM = 2.5
"""A gap at least this wide (in em) is a column gap even where the line's other gaps are wide too, so a
row whose words are all set this far apart ("Title:  Initials:  Surname:", "Mileage   £   £") is a
row of cells; unless the line is justified text (layout.justified_rows)."""
CHECKBOX_REACH_EM = 1.5
"""A tick box at most this many em left of a line's first word belongs to the line (an option)."""
ANSWER_BOX_REACH_EM = 12.0
"""An empty answer box at most this many em right of a line's last word, with nothing printed between,
is the line's field (labels set in a column of their own end well short of their boxes)."""
LIMIT_REACH_EM = 3.0
"""A form column's room ends at the next column only where that column holds a piece within this
many em above or below (a column used further down the page does not narrow a heading up here)."""
ALIGN_TOLERANCE = 2.0
"""Points by which the starts of one column's pieces on different lines may differ."""
_LABEL = re.compile(r"^(?:\(?[0-9A-Za-z]{1,3}[.)]|\d{1,3}|[^\w\s])$")
"""A list label or bullet glyph ("1.", "(a)", "ii)", "•", the Webdings arrow read as "4")."""


def _candidates(line: Line, boxes: tuple[BBox, ...] = (), justified: int = 0) -> list[tuple[int, float, bool]]:
    """(index of the first word after the gap, x where the piece starts, cut even where no other line
    shares the edge) per candidate gap: a very wide gap followed by words, a field label's box marks,
    or a gap holding a tick box. The line's first ``justified`` words (layout.justified_words) have
    only word spaces between them, however far apart a narrow column stretches them, but for a gap
    holding a tick box; where they end at their measure's edge and more words follow, the line is cut
    there (a question's first line with its options beside it)."""
    words = line.words
    if len(words) < 2:
        return []
    size = line.size or 10.0
    gaps = word_gaps(words)
    out = []
    field = None  # the field label after which only box marks follow
    for i, g in enumerate(gaps):
        if g < GAP_MIN_EM * size or _date_slashes(words[i], words[i + 1]):
            continue
        if _box_between(words[i], words[i + 1], boxes):
            # options set side by side, each with its tick box ("Single [ ]  Married [ ]"): a box in
            # the gap parts them however alike the line's gaps are
            out.append((i + 1, words[i + 1].x0, True))
            continue
        if i + 1 < justified:
            continue
        if i + 1 == justified:
            out.append((i + 1, words[i + 1].x0, True))
            continue
        wide = g >= GAP_WIDE_EM * size
        label = words[i].text.endswith((":", "?")) or marks_only(words[: i + 1])
        if field is None and label and marks_only(words[i + 1 :]):
            field = i
        if wide and field is not None:
            # a field label's box marks ("Date:  / /", ":  %  %"), or a row of box marks ("£   £")
            out.append((i + 1, words[i + 1].x0, True))
            continue
        others = [x for j, x in enumerate(gaps) if j != i and x > 0]
        if others and g < GAP_RATIO * median(others) and g < GAP_COLUMN_EM * size:
            continue  # (but see _at_edges)
        if i == 0 and _is_label(words[0].text, words[1].text) and _has_letters(words[1:]):
            continue  # (a row of box marks, "£   £", has no text for a bullet to stand before)
        if _LEADERS.search(words[i].text):
            continue  # dot leaders lead to a contents entry's page number: one line
        out.append((i + 1, words[i + 1].x0, wide and _has_letters(words[i + 1 :])))
    return out


def _level(word: Word, box: BBox) -> bool:
    """The box's middle is within the word's height: drawn on the word's line."""
    return word.top <= (box[1] + box[3]) / 2 <= word.bottom


def _box_between(u: Word, v: Word, boxes: tuple[BBox, ...]) -> bool:
    """A tick box drawn in the gap between two words of a line, level with them."""
    return any(u.x1 - 1.0 <= box[0] and box[2] <= v.x0 + 1.0 and _level(u, box) for box in boxes)


def _at_edges(line: Line, edges: list[float], cut: list[int]) -> list[int]:
    """Gaps of at least GAP_MIN_EM, too narrow for GAP_RATIO, after which a word starts right at a
    column edge of the region: an option set close to its routing text ("Nac ydy Ewch yn syth ..."),
    where the other rows show the column."""
    words, size = line.words, line.size or 10.0
    out = []
    for i, ((u, v), gap) in enumerate(zip(pairwise(words), word_gaps(words))):
        if i + 1 in cut or gap < GAP_MIN_EM * size or _date_slashes(u, v):
            continue
        if i == 0 and _is_label(u.text, v.text):
            continue
        if any(abs(v.x0 - e) <= ALIGN_TOLERANCE for e in edges):
            out.append(i + 1)
    return out


def _box_cuts(line: Line, a: int, b: int) -> list[int]:
    """Where the piece words[a:b] of a form row, when it is box marks only ("£   £"), parts into its
    boxes: at each gap at least GAP_WIDE_EM wide, except between the slashes of one date field."""
    words = line.words[a:b]
    if not marks_only(words):
        return []
    wide = GAP_WIDE_EM * (line.size or 10.0)
    gaps = word_gaps(words)
    return [a + j + 1 for j, (u, v) in enumerate(pairwise(words)) if gaps[j] >= wide and not _date_slashes(u, v)]


def word_gaps(words: list[Word]) -> list[float]:
    """The gap before each word after the first, from the right end of all the words before it: where
    words overlap (a word printed over another, letters of two words interleaved), the empty space
    between the previous word's end and the next word's start is no gap on the page."""
    gaps, right = [], words[0].x1 if words else 0.0
    for w in words[1:]:
        gaps.append(w.x0 - right)
        right = max(right, w.x1)
    return gaps


def _date_slashes(u: Word, v: Word) -> bool:
    """Two slashes in a row are the separators of one date field ("__/__/__"): one unit."""
    return u.text == v.text == "/"


def marks_only(words: list[Word]) -> bool:
    """Box marks with no letters or digits ("/ /", "£")."""
    return not any(c.isalnum() for w in words for c in w.text)


def _has_letters(words: list[Word]) -> bool:
    return any(c.isalpha() for w in words for c in w.text)


_LEADERS = re.compile(r"(?:\.{3,}|…{2,}|_{4,})$")
"""Dot leaders (or a rule of underscores) ending a word."""


def _is_label(first: str, second: str) -> bool:
    """The line's first word is a list label, section number or bullet glyph ("1.", "2.1", "(a)")."""
    first = first.strip()
    if _LABEL.match(first):
        return True
    label, _ = split_label(f"{first} {second}")
    return label is not None and label.strip() == first


def split_form_columns(lines: list[Line], boxes: tuple[BBox, ...] = ()) -> list[Line]:
    """The page's lines with form rows cut into their column pieces (see the module docstring);
    lines of regions without such rows, and table-cell lines, come back unchanged.

    A column edge counts when text after a gap starts there on another line anywhere on the page
    (a form's boxes line up down the page, across the blocks the layout reads separately)."""
    by_region: dict[int, list[int]] = defaultdict(list)
    for k, li in enumerate(lines):
        if li.cell is None and li.words:
            by_region[li.region].append(k)
    justified: dict[int, int] = {}
    for idx in by_region.values():
        justified |= {idx[j]: n for j, n in justified_words([lines[k].words for k in idx]).items()}
    cands = {k: _candidates(lines[k], boxes, justified.get(k, 0)) for idx in by_region.values() for k in idx}
    starts = [(k, x) for k, cs in cands.items() for _, x, _ in cs]
    replaced: dict[int, list[Line]] = {}
    for idx in by_region.values():
        cuts: dict[int, list[int]] = {}
        edges: list[float] = []
        pieces_at: list[tuple[float, float]] = []  # (x, top) where a cut piece starts
        for k in idx:
            for i, x, alone in cands[k]:
                shared = any(j != k and abs(x - y) <= ALIGN_TOLERANCE for j, y in starts)
                if shared or alone:
                    cuts.setdefault(k, []).append(i)
                    edges.append(x)
                    pieces_at.append((x, lines[k].words[i].top))
        if not cuts:
            continue
        edges = _cluster(edges)
        for k in idx:
            for i in _at_edges(lines[k], edges, cuts.get(k, [])):
                if i < justified.get(k, 0):
                    continue  # word spaces only, wherever they fall
                cuts.setdefault(k, []).append(i)
                pieces_at.append((lines[k].words[i].x0, lines[k].words[i].top))
        for k in idx:
            li = lines[k]
            bounds = [0, *sorted(cuts.get(k, [])), len(li.words)]
            if len(bounds) > 2:  # a piece of box marks cut from its row is cut into its boxes
                bounds = sorted({*bounds, *(j for a, b in pairwise(bounds[1:]) for j in _box_cuts(li, a, b))})
            out = []
            for n, (a, b) in enumerate(pairwise(bounds)):
                words = li.words[a:b]
                col = _column(edges, words[0].x0, first=n == 0)
                reach = LIMIT_REACH_EM * (li.size or 10.0)
                right = [x for x, top in pieces_at if x > words[-1].x1 and abs(top - words[0].top) <= reach]
                limit = min(right) - ALIGN_TOLERANCE if right else None
                piece = len(bounds) > 2
                out.append(Line(words, li.page, li.region, form_col=col, limit=limit, piece=piece))
            replaced[k] = out
    if not replaced:
        return lines
    result: list[Line] = []
    for k, li in enumerate(lines):
        result.extend(replaced.get(k, [li]))
    return result


def _cluster(xs: list[float]) -> list[float]:
    """Column edges: piece starts within ALIGN_TOLERANCE of the previous one are the same edge."""
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > ALIGN_TOLERANCE:
            out.append(x)
    return out


def _column(edges: list[float], x: float, first: bool) -> int:
    """Column number of a piece starting at x: the last column edge at or left of x (1-based; 0 is
    the label column left of every edge). A line's first piece joins a column only when it starts
    right at its edge (a wrapped option text), otherwise it is in the label column."""
    col = 0
    for n, e in enumerate(edges):
        if e <= x + ALIGN_TOLERANCE:
            col = n + 1
    if first and col and abs(edges[col - 1] - x) > ALIGN_TOLERANCE:
        return 0
    return col


def mark_checkboxes(lines: list[Line], boxes: tuple[BBox, ...]) -> None:
    """Flag the lines (or line pieces) printed right after a tick box: each is a checkbox option,
    which starts a unit of its own."""
    if not boxes:
        return
    for li in lines:
        if not li.words:
            continue
        first = li.words[0]
        reach = CHECKBOX_REACH_EM * (li.size or 10.0)
        if any(_level(first, box) and -1.0 <= first.x0 - box[2] <= reach for box in boxes):
            li.checkbox = True


def mark_answer_boxes(lines: list[Line], boxes: tuple[BBox, ...]) -> None:
    """Note the empty answer box printed right after each line (within ANSWER_BOX_REACH_EM, on the
    line's level, nothing between): the line is its field label ("Telephone number [    ]"), and
    labels of different boxes are different units, even where they stand one under another like the
    lines of an address."""
    if not boxes:
        return
    words = [w for li in lines for w in li.words]
    for li in lines:
        if not li.words:
            continue
        last = li.words[-1]
        reach = ANSWER_BOX_REACH_EM * (li.size or 10.0)
        beside = [box for box in boxes if _level(last, box) and -1.0 <= box[0] - last.x1 <= reach]
        li.answer_box = next(
            (box for box in beside if not any(last.x1 < w.x0 < box[0] and _level(w, box) for w in words)), None
        )


def form_rule(a: LineInfo, b: LineInfo) -> str | None:
    """A boundary decision that only holds between lines of a form column, or None to leave it to
    the paragraph rules.

    "hint": a bracketed hint right under its label belongs to the label (in a form also in the
    label's own type, when the label has no closing punctuation), and goes on over its lines until
    its bracket closes; a second bracketed hint right under the first belongs to the same label.
    "value": pieces with no letters ("£", "%", a bare amount) stacked line after line in their
    column are a unit each; "repeat": so are pieces of the same text ("hrs @ £" on each row).
    """
    if hint_continues(a, b):
        return "hint"
    if b.text.startswith("(") and right_under(a, b) and (a.text[-1:].isalnum() or a.text.endswith(")")):
        return "hint"  # under its label, or under the hint before it ("(if paid weekly ...)" / "(if paid four ...")
    if not any(c.isalpha() for c in a.text + b.text):
        return "value"
    if a.text == b.text:
        return "repeat"  # the same field text on row after row ("hrs @ £"): no paragraph repeats its line
    return None
