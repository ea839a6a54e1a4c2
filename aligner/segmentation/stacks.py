"""Stacked short lines: addresses and contact blocks ("Ministry of Justice / 102 Petty France /
London / SW1H 9AJ") are one unit, the visual block, though every line stops short.

A run of at least ``STACK_MIN_LINES`` lines is a stack when the lines share their left edge, size and
weight, follow each other at the line pitch (no paragraph spacing), each holds a few words, none but
the last ends a sentence or a label (``.``, ``!``, ``?``, ``;``, ``:``) and none reaches far across the
column (measured by its words set with plain spaces: justification stretches a line ended by a line
break across the measure, as Word does), and none has an empty answer box beside it (a field label).
Later lines of a stack are marked ``stack_cont``; the paragraph rules do not break before them.
A stack broken by a page break (short lines at the foot of one page, more at the head of the next, at
the same place in their columns) is one stack.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

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


Box = dict[tuple[int, int], tuple[float, float]]


def _measures(box: Box) -> dict[int, float]:
    """The widest column starting at each left edge (rounded) in the document: a column that holds
    nothing but a stack (the last page) is measured by the columns that start where it does."""
    widths: dict[int, float] = {}
    for lo, hi in box.values():
        for x in (round(lo) - 1, round(lo), round(lo) + 1):
            widths[x] = max(widths.get(x, 0.0), hi - lo)
    return widths


def _plain(li: LineInfo, box: Box, measures: dict[int, float]) -> bool:
    left, right = box.get((li.page, li.region), (li.x0, li.x1))
    return (
        li.table_row is None
        and li.zone == "body"
        and not (li.toc or li.bullet or li.list_label or li.answer_box)
        and 0 < li.words <= STACK_MAX_WORDS
        and li.x0 + min(li.x1 - li.x0, li.set_width) - left
        <= STACK_MAX_WIDTH * max(1.0, right - left, measures.get(round(left), 0.0))
    )


def _page_stacks(lines: list[LineInfo], pitch: Callable[[float], float], plain: Callable[[LineInfo], bool]) -> None:
    runs: list[list[LineInfo]] = []
    for li in lines:
        if runs and runs[-1] and plain(li) and _fits(runs[-1][-1], li, pitch):
            runs[-1].append(li)
        else:
            runs.append([li] if plain(li) else [])
    for run in runs:
        if len(run) >= STACK_MIN_LINES:
            for li in run[1:]:
                li.stack_cont = True


def _run(
    lines: list[LineInfo], pitch: Callable[[float], float], plain: Callable[[LineInfo], bool], from_end: bool
) -> list[LineInfo]:
    """The stackable lines that end (or start) a page's body text, in reading order."""
    body = [li for li in lines if li.zone == "body"]
    run: list[LineInfo] = []
    for li in body[::-1] if from_end else body:
        if not plain(li):
            break
        if run and not (_fits(li, run[-1], pitch) if from_end else _fits(run[-1], li, pitch)):
            break
        run.append(li)
    return run[::-1] if from_end else run


def mark_stacks(infos: list[list[LineInfo]], pitch: Callable[[float], float], box: Box) -> None:
    """Set ``stack_cont`` on the second and later lines of every stack (``infos``: the lines of each
    page). A stack cut by a page break is joined when the short lines ending one page and those
    starting the next share their place in the column, size and weight, and the last line before the
    break ends no sentence or label."""
    measures = _measures(box)

    def plain(li: LineInfo) -> bool:
        return _plain(li, box, measures)

    for lines in infos:
        _page_stacks(lines, pitch, plain)
    for lines_a, lines_b in pairwise(infos):
        tail, head = _run(lines_a, pitch, plain, True), _run(lines_b, pitch, plain, False)
        if not tail or not head or len(tail) + len(head) < STACK_MIN_LINES:
            continue
        a, b = tail[-1], head[0]
        left_a = box.get((a.page, a.region), (a.x0, a.x1))[0]
        left_b = box.get((b.page, b.region), (b.x0, b.x1))[0]
        if (
            b.page == a.page + 1
            and abs((a.x0 - left_a) - (b.x0 - left_b)) <= SAME_X
            and abs(a.size - b.size) < 0.5
            and abs(a.bold_share - b.bold_share) < 0.5
            and not _ENDS.search(a.text)
        ):
            for li in tail[1:] + head:
                li.stack_cont = True
