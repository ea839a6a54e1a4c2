"""Stacked short lines: addresses and contact blocks ("Ministry of Justice / 102 Petty France /
London / SW1H 9AJ") are one unit, the visual block, though every line stops short.

A run of at least ``STACK_MIN_LINES`` lines is a stack when the lines share their left edge, size and
weight, follow each other at the line pitch (no paragraph spacing), each holds a few words, none but
the last ends a sentence or a label (``.``, ``!``, ``?``, ``;``, ``:``) and none reaches far across the
column. Later lines of a stack are marked ``stack_cont``; the paragraph rules do not break before them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from aligner.segmentation.lines import LineInfo

STACK_MIN_LINES = 3
"""Two short lines may be a heading and a short paragraph; three in a row make a stack."""
STACK_MAX_WORDS = 6
"""A stacked line holds at most this many words (an address line, a phone number)."""
STACK_MAX_WIDTH = 0.75
"""No stacked line reaches beyond this share of its column's width."""
SAME_X = 1.5
"""Lines starting within this many points share their left edge."""
STACK_PITCH = 1.3
"""Lines at most this many line pitches apart (plus a point) have no paragraph spacing between them."""
_ENDS = re.compile(r"[.!?;:][)\]”\"’']*$")


def _fits(a: LineInfo, b: LineInfo, pitch: Callable[[float], float]) -> bool:
    return (
        (a.page, a.region) == (b.page, b.region)
        and abs(a.x0 - b.x0) <= SAME_X
        and abs(a.size - b.size) < 0.5
        and abs(a.bold_share - b.bold_share) < 0.5
        and 0 < b.top - a.top <= STACK_PITCH * pitch(a.size) + 1
        and not _ENDS.search(a.text)
    )


def _plain(li: LineInfo, box: dict[tuple[int, int], tuple[float, float]]) -> bool:
    left, right = box.get((li.page, li.region), (li.x0, li.x1))
    return (
        li.table_row is None
        and li.zone == "body"
        and not (li.toc or li.bullet or li.list_label)
        and 0 < li.words <= STACK_MAX_WORDS
        and li.x1 - left <= STACK_MAX_WIDTH * max(1.0, right - left)
    )


def mark_stacks(
    lines: list[LineInfo], pitch: Callable[[float], float], box: dict[tuple[int, int], tuple[float, float]]
) -> None:
    """Set ``stack_cont`` on the second and later lines of every stack in ``lines`` (one page)."""
    runs: list[list[LineInfo]] = []
    for li in lines:
        if runs and runs[-1] and _plain(li, box) and _fits(runs[-1][-1], li, pitch):
            runs[-1].append(li)
        else:
            runs.append([li] if _plain(li, box) else [])
    for run in runs:
        if len(run) >= STACK_MIN_LINES:
            for li in run[1:]:
                li.stack_cont = True
