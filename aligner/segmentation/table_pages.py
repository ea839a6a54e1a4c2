"""Table rows that a page break cuts.

Word processors let a table row break across pages, its unfinished cells going on in the first row of
the next page; read page by page, a cell's text is cut in two.

A table ends one page's body text and a table starts the next page's when the last lines of the one and
the first lines of the other are table cells (footnotes set apart). Their columns are matched by the
right edge of each cell's room (its ruling), the same on both pages, or where a table has no rulings by
the left edge of its text. A cell of the new page's first row continues the cell in the same column of
the last row before the break when that row is cut: the new row leaves a column empty that the old row
filled (a new row has its number or label), and the text runs on mid-sentence (the old cell ends no
sentence, and the new one starts lower-case or the old one ends in a comma or in a word no sentence
ends with, such as "of" or "and"; a continuation that starts a new sentence or item is a unit
of its own, as the unit definition has it), or, in a PDF whose structure tags mark its paragraphs,
when every cell of the new row goes on in the element its column's cell ended in. Its lines join
that cell; the paragraph rules then read the break as a column break inside one cell. A repeated
header row stands between the two when the table repeats it; it stays (the unit definition counts it
each time it is printed), and the row after it is the first row. A cell's last line or two, alone at
the head of the next page, show no columns and are read as text: starting at the x where a cell of
the last row starts its text, and run into mid-sentence, they end that cell; so do the first lines
after a page that ends in a form row, for the piece of that row where they start (a question beside
its options).
"""

from __future__ import annotations

from itertools import pairwise

from aligner.segmentation.lines import LineInfo, same_element
from aligner.segmentation.textnorm import RUNS_ON_WORDS, SENTENCE_END

SAME_EDGE = 2.0
"""Points by which the right edges of one column's cells may differ from page to page."""
ROW_TOP = 2.0
"""Cells whose first lines' tops are this close (points) start one row."""
RUN_ON_PITCH = 1.6
"""A cell's text that runs on at the head of the next page, alone there with no table to read it in,
goes on in the lines under it at the same x at most this many of its type sizes below the one before."""

Cell = list[LineInfo]


def _cells(lines: list[LineInfo]) -> list[Cell]:
    out: dict[int, Cell] = {}
    for li in lines:
        if li.cell is not None:
            out.setdefault(li.cell, []).append(li)
    return list(out.values())


def _rows(cells: list[Cell]) -> list[list[Cell]]:
    """Cells grouped by the top of their first line, rows top to bottom, cells left to right."""
    rows: list[list[Cell]] = []
    for c in sorted(cells, key=lambda c: (c[0].top, c[0].x0)):
        if rows and abs(rows[-1][0][0].top - c[0].top) <= ROW_TOP:
            rows[-1].append(c)
        else:
            rows.append([c])
    return [sorted(r, key=lambda c: c[0].x0) for r in rows]


def _edge(cell: Cell) -> float | None:
    return cell[0].limit


def _same_column(a: Cell, b: Cell) -> bool:
    """The right edges of the cells' room agree (a ruled column), their text starts at the same x (a
    column without rulings, whose room is only as wide as its widest line on each page), or every
    line of both is centred on one x (a centred column, whose room the text does not show)."""
    ea, eb = _edge(a), _edge(b)
    if ea is not None and eb is not None and abs(ea - eb) <= SAME_EDGE:
        return True
    if abs(a[0].x0 - b[0].x0) <= SAME_EDGE:
        return True
    centres = [(li.x0 + li.x1) / 2 for li in a + b]
    return max(centres) - min(centres) <= SAME_EDGE


def _text(cell: Cell) -> str:
    return " ".join(li.text for li in cell)


def _edge_run(lines: list[LineInfo], from_end: bool) -> list[LineInfo]:
    """The table-cell lines that end (or start) a page's body text (footnotes set apart)."""
    body = [li for li in lines if li.zone != "footnote"]
    seq = body[::-1] if from_end else body
    run = []
    for li in seq:
        if li.cell is None:
            break
        run.append(li)
    return run[::-1] if from_end else run


def join_split_rows(infos: list[list[LineInfo]], paragraph_tags: bool = False) -> None:
    """Join the cells of rows split by a page break (``infos``: each page's lines in reading order,
    changed in place). ``paragraph_tags``: the PDF's structure tags mark its paragraphs, and a cell
    whose text goes on in the element it ended in continues, whatever the row and text show."""
    header: list[Cell] | None = None
    """The header row last seen repeated: the table may run on over further pages."""
    for before, after in pairwise(infos):
        tail, head = _edge_run(before, True), _edge_run(after, False)
        if tail and not head:
            _join_run_on_text(_rows(_cells(tail))[-1], before, after)
        elif not tail:
            _join_run_on_form_text(before, after)
        if not tail or not head or head[0].page != tail[-1].page + 1:
            header = None
            continue
        rows_before, rows_after = _rows(_cells(tail)), _rows(_cells(head))
        repeated = next((h for h in (rows_before[0], header) if h is not None and _repeats(h, rows_after[0])), None)
        if repeated is not None:
            header, rows_after = repeated, rows_after[1:]
            if not rows_after:
                continue
        else:
            header = None
        _join_split_row(rows_before[-1], rows_after[0], before, after, paragraph_tags)


def _repeats(first: list[Cell], new: list[Cell]) -> bool:
    """``new`` prints the texts of ``first``, column for column (a header row repeated)."""
    return (
        len(new) >= 2
        and len(new) == len(first)
        and all(_same_column(a, b) and _text(a) == _text(b) for a, b in zip(first, new, strict=True))
    )


def _runs_on(text: str) -> bool:
    """A cell's last line ends in a comma or a word no sentence ends with: what follows goes on
    the sentence, even where it starts with a capital (a name)."""
    words = text.split()
    return bool(words) and (words[-1].endswith(",") or words[-1].lower() in RUNS_ON_WORDS)


def _runs_into(end: LineInfo, start: LineInfo) -> bool:
    """The text runs on mid-sentence from a cell's last line to the next page's first line."""
    return not SENTENCE_END.search(end.text) and (start.text[:1].islower() or _runs_on(end.text))


def _join_run_on_text(last: list[Cell], before: list[LineInfo], after: list[LineInfo]) -> None:
    """The next page's body starts with lines that are no table's (a cell's last line or two, alone
    on the page, show no columns) at the x where a cell of the last row before the break starts its
    text, and the text runs on into them mid-sentence: they end that cell."""
    body = [li for li in after if li.zone != "footnote"]
    if not body or not last or body[0].page != last[0][-1].page + 1:
        return
    first = body[0]
    cell = next((a for a in last if abs(a[0].x0 - first.x0) <= SAME_EDGE), None)
    if cell is None or not _runs_into(cell[-1], first):
        return
    run = [first]
    for prev, li in pairwise(body):
        if abs(li.x0 - first.x0) > SAME_EDGE or li.top - prev.top > RUN_ON_PITCH * prev.size:
            break
        run.append(li)
    for li in run:
        li.cell, li.limit = cell[0].cell, cell[0].limit
    _carry(run, before, before.index(cell[-1]) + 1, after)


def _carry(run: list[LineInfo], before: list[LineInfo], at: int, after: list[LineInfo]) -> None:
    """Move the lines ``run`` from the next page's lines ``after`` into ``before`` at index ``at``."""
    before[at:at] = run
    moved = {id(li) for li in run}
    after[:] = [li for li in after if id(li) not in moved]


def _join_run_on_form_text(before: list[LineInfo], after: list[LineInfo]) -> None:
    """The page's body ends in a form row (pieces side by side in form columns: a question and its
    options) and the next page's body starts with lines at the x where pieces of that row start
    their text, the text running on into each mid-sentence: they end those pieces (a question whose
    first line sits at the foot of the page beside its "Yes" and "No"). Every line level with the
    next page's first line must so go on a piece, or none moves (a row that starts afresh)."""
    body = [li for li in before if li.zone != "footnote"]
    nxt = [li for li in after if li.zone != "footnote"]
    if not body or not nxt or body[-1].form_col is None or nxt[0].page != body[-1].page + 1:
        return
    foot = body[-1].top
    row = [li for li in body if li.form_col is not None and abs(li.top - foot) <= ROW_TOP]
    heads = [li for li in nxt if abs(li.top - nxt[0].top) <= ROW_TOP]
    pieces = [next((p for p in row if abs(p.text_x0 - h.x0) <= SAME_EDGE), None) for h in heads]
    matched = [(p, h) for p, h in zip(pieces, heads, strict=True) if p is not None and _runs_into(p, h)]
    if len(row) < 2 or len(matched) < len(heads) or len({id(p) for p, _ in matched}) < len(matched):
        return
    at = before.index(body[-1]) + 1
    for piece, head in matched:
        run = [head]
        for li in nxt[nxt.index(head) + 1 :]:
            if abs(li.x0 - head.x0) <= SAME_EDGE and 0 < li.top - run[-1].top <= RUN_ON_PITCH * run[-1].size:
                run.append(li)
            elif li.top - run[-1].top > RUN_ON_PITCH * run[-1].size:
                break
        for li in run:  # read after the row, in its region: each goes on in its piece's column
            li.form_col, li.limit, li.region = piece.form_col, piece.limit, piece.region
        _carry(run, before, at, after)
        at += len(run)


def _join_split_row(
    last: list[Cell], new: list[Cell], before: list[LineInfo], after: list[LineInfo], paragraph_tags: bool
) -> None:
    """Move the lines of the cells of ``new`` (first row after the break) that continue a cell of
    ``last`` (last row before it) to the end of that cell."""
    pairs = [(a, b) for b in new for a in last if _same_column(a, b)]
    if len(pairs) != len(new):
        return  # a column the new row fills is unknown before the break
    tagged = paragraph_tags and all(same_element(a[-1], b[0]) for a, b in pairs)
    if not tagged and (len(new) >= len(last) or not all(_runs_into(a[-1], b[0]) for a, b in pairs)):
        return  # the row is complete, or a cell of the new row starts afresh
    for a, b in pairs:
        for li in b:
            li.cell = a[0].cell
        _carry(b, before, before.index(a[-1]) + 1, after)
