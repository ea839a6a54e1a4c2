"""Text in coloured panels and boxes.

A box's text has a narrower measure than the column around it: a line in a box stopped short only if
the next word would have fitted before the box's text ends, not before the column's edge
(``frame_limits``).

Loose leading: text in coloured panels and boxes is often set with more space between lines than
the body text, so every line break there looks like paragraph spacing. Two signs on the page show
that a larger pitch is the paragraph's own leading, not spacing between paragraphs:

* the sentence runs on: line a is full, does not end a sentence, and line b starts lower-case
  (a line break mid-sentence is never a paragraph boundary);
* the pitch repeats: lines a and b are as far apart as the two lines before them in the same
  paragraph, and a is full (paragraph spacing would make this pitch larger than the one before).
"""

from __future__ import annotations

from aligner.pdf.reader import centre_in
from aligner.records import BBox
from aligner.segmentation.layout import Line
from aligner.segmentation.lines import LineInfo
from aligner.segmentation.textnorm import SENTENCE_END

LOOSE_PITCH_MAX = 2.0
"""Leading up to this many body line pitches can be a panel's own; more is always spacing."""
SAME_PITCH = 0.06
"""Two pitches within this share of each other are the same leading."""
FRAME_MIN_LINES = 2
"""A box round one line (a highlighted run, a shaded heading bar) says nothing of a measure."""


def loose_leading(lines: list[LineInfo], a: LineInfo, b: LineInfo, line_pitch: float, a_short: bool) -> bool:
    """The gap from a to b (a the last of ``lines``, the paragraph so far) is line spacing."""
    pitch = b.top - a.top
    if a_short or pitch <= 0 or pitch > LOOSE_PITCH_MAX * line_pitch or abs(a.size - b.size) >= 0.5:
        return False
    if not SENTENCE_END.search(a.text) and b.text[:1].islower():
        return True
    if len(lines) >= 2:
        before = lines[-2]
        q = a.top - before.top
        same_column = (before.page, before.region) == (a.page, a.region)
        return same_column and q > 0 and abs(pitch - q) <= SAME_PITCH * q
    return False


def frame_limits(lines: list[Line], frames: tuple[BBox, ...]) -> None:
    """Bound the room of each line inside a drawn box (outside table cells) by the right end of the
    box's text: a box's padding and indents make its measure narrower than the column's. Only boxes
    holding lines on two rows at least count; the innermost box holding the whole line decides; a
    form column's narrower limit is kept."""
    if not frames:
        return
    for box in sorted(frames, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True):
        inside = [li for li in lines if li.cell is None and all(centre_in(w, box) for w in li.words)]
        if len({round(li.top) for li in inside}) < FRAME_MIN_LINES:
            continue
        right = max(li.x1 for li in inside)
        for li in inside:  # smaller boxes come later and override
            li.limit = right if li.form_col is None else min(right, li.limit or right)
