"""Numbered items ("1.1 ...", "2.3 ...") set one per line with no spacing between them.

Decimal numbers are not list labels, so without this rule such items run together when every line
is full. A line starting with a decimal number begins a new item when the text after the number
starts a sentence and either the paragraph so far is an item numbered at the same depth or the line
before ended a sentence. A section number wrapped to the start of a line mid-sentence ("see
paragraph / 2.14 of the report") is followed by a lower-case word, so it stays inside the paragraph.
"""

from __future__ import annotations

import re

from aligner.segmentation.lines import LineInfo
from aligner.segmentation.numbering import label_depth, label_kind, split_label
from aligner.segmentation.textnorm import SENTENCE_END

_STARTS_SENTENCE = re.compile(r"[\"'‘“(\[]?[A-Z0-9]")


def starts_numbered_item(first: LineInfo, a: LineInfo, b: LineInfo) -> bool:
    """Line b (after line a, in the paragraph that ``first`` starts) begins a new numbered item."""
    if label_kind(b.label) != "decimal" or b.bullet:
        return False
    _, rest = split_label(b.text)
    if not _STARTS_SENTENCE.match(rest):
        return False
    sibling = label_kind(first.label) == "decimal" and label_depth(first.label) == label_depth(b.label)
    return sibling or bool(SENTENCE_END.search(a.text))
