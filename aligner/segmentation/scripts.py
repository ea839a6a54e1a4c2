"""Raised and lowered type (superscripts, subscripts) in lines and their text.

The reader ends a word where the type size changes, so a superscript is a word of its own. Two things
then go wrong unless the line builder looks at the page geometry:

* a superscript raised above the x-height can form a printed row of its own, which reading order
  puts before its line ("1 aged 11-16 ..."): ``attach_raised`` moves it into the row it is printed in;
* text that touches across the size change ("week" + raised "1" + ".") is one run of print and must
  not get spaces ("week ."): ``join_touching`` joins words that touch without a space;
* a raised number is a footnote marker, except the power of a number in a sum ("0.8125 x 2³"):
  ``is_power`` tells them apart.
"""

from __future__ import annotations

import re
from itertools import pairwise

from aligner.pdf.reader import Word

SCRIPT_RATIO = 0.85
"""Type at most this share of its row's size is a superscript or subscript."""
SCRIPT_MAX_WORDS = 3
"""A row of more small words than this is a line of small print, not raised markers."""
SCRIPT_GAP = 0.25
"""A superscript starts at most this share of its row's size after the word it marks."""
SIZE_STEP = 0.05
"""Sizes differing by more than this share differ (the reader ends a word there)."""
TOUCH_GAP = 0.08
"""Words closer than this share of the smaller size touch: no space was printed between them."""
TOUCH_OVERLAP = 0.1
"""... and they may overlap by this share (kerning)."""
OPERATORS = frozenset("x×*·÷=+^")
"""Signs of a sum printed as words of their own. Not dashes: "2016 – 2017¹" is a range with a marker."""
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def attach_raised(rows: list[list[Word]], bands: list[list[float]]) -> tuple[list[list[Word]], list[list[float]]]:
    """Merge each row of a few small words into the next or previous row of larger type that it
    overlaps vertically (a superscript above the x-height, a subscript below the baseline).

    ``bands`` holds [top, bottom, largest size] per row, in the same order as ``rows``.
    """
    order = sorted(range(len(rows)), key=lambda i: bands[i][0])
    rows = [rows[i] for i in order]
    bands = [bands[i] for i in order]
    merged = [False] * len(rows)
    for i, row in enumerate(rows):
        if len(row) > SCRIPT_MAX_WORDS:
            continue
        top, bottom, size = bands[i]
        for j in (i + 1, i - 1):
            if not 0 <= j < len(rows) or merged[j]:
                continue
            o_top, o_bottom, o_size = bands[j]
            if (
                size <= SCRIPT_RATIO * o_size
                and min(bottom, o_bottom) - max(top, o_top) > 0
                and all(_follows_word(w, rows[j], o_size) for w in row)
            ):
                rows[j].extend(row)
                rows[j].sort(key=lambda w: w.x0)
                merged[i] = True
                break
    keep = [k for k in range(len(rows)) if not merged[k]]
    return [rows[k] for k in keep], [bands[k] for k in keep]


def _follows_word(w: Word, row: list[Word], size: float) -> bool:
    """w starts right after the end of a word of ``row`` and overlaps none of them horizontally."""
    after = any(-TOUCH_OVERLAP * size <= w.x0 - o.x1 <= SCRIPT_GAP * size for o in row)
    clear = all(w.x1 <= o.x0 + TOUCH_OVERLAP * size or w.x0 >= o.x1 - TOUCH_OVERLAP * size for o in row)
    return after and clear


def touching(a: Word, b: Word) -> bool:
    """b follows a with no space, the words separated only by a change of type size."""
    small = min(a.size, b.size)
    gap = b.x0 - a.x1
    return -TOUCH_OVERLAP * small <= gap <= TOUCH_GAP * small and abs(a.size - b.size) > SIZE_STEP * max(a.size, b.size)


def join_touching(kept: list[Word], words: list[Word]) -> str:
    """The text of ``kept`` (a subset of the line's ``words``, in order), with a space between two
    kept words unless every word from one to the other touches the next (markers left out of
    ``kept`` included: "week" + "1" + "." gives "week.")."""
    if not kept:
        return ""
    pos = {(w.x0, w.top): i for i, w in enumerate(words)}
    out = [kept[0].text]
    for a, b in pairwise(kept):
        ia, ib = pos.get((a.x0, a.top)), pos.get((b.x0, b.top))
        glued = (
            ia is not None
            and ib is not None
            and ia < ib
            and all(touching(words[k], words[k + 1]) for k in range(ia, ib))
        )
        out.append(b.text if glued else " " + b.text)
    return "".join(out)


def is_power(words: list[Word], i: int) -> bool:
    """The raised number ``words[i]`` is the power of the number it touches ("2" + "3" in
    "0.8125 x 2³ = 6.5"), not a footnote marker."""
    return (
        i > 0
        and touching(words[i - 1], words[i])
        and power_after(words[i - 1].text, text_at(words, i - 2), text_at(words, i + 1))
    )


def power_after(base: str, before: str, after: str) -> bool:
    """A raised number printed after ``base`` is its power: the base is a number in a sum, with an
    operator sign right before it or right after the power (``before``, ``after``: the words
    printed there). A marker after a number ("in 2016¹") has no sign beside it."""
    return bool(_NUMBER.fullmatch(base)) and (before in OPERATORS or after in OPERATORS)


def text_at(words: list[Word], k: int) -> str:
    """The text of ``words[k]``, "" outside the list."""
    return words[k].text if 0 <= k < len(words) else ""
