"""Loose leading: text in coloured panels and boxes is often set with more space between lines than
the body text, so every line break there looks like paragraph spacing. Two signs on the page show
that a larger pitch is the paragraph's own leading, not spacing between paragraphs:

* the sentence runs on: line a is full, does not end a sentence, and line b starts lower-case
  (a line break mid-sentence is never a paragraph boundary);
* the pitch repeats: lines a and b are as far apart as the two lines before them in the same
  paragraph, and a is full (paragraph spacing would make this pitch larger than the one before).
"""

from __future__ import annotations

from aligner.segmentation.lines import LineInfo
from aligner.segmentation.textnorm import SENTENCE_END

LOOSE_PITCH_MAX = 2.0
"""Leading up to this many body line pitches can be a panel's own; more is always spacing."""
SAME_PITCH = 0.06
"""Two pitches within this share of each other are the same leading."""


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
