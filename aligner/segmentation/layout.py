"""Page layout: running headers/footers, text lines, and reading order (columns, panels).

Reading order is a recursive XY-cut: a region is split at a vertical gutter that runs through its
whole height (columns, leaflet panels, read left to right), otherwise at its widest horizontal gaps
(read top to bottom). A gutter only counts when both sides hold real words, so the gap after list
bullets or numbers never splits a list into a label column and a text column (a right column may
hold a single word when it is on the region's first line: the end of a sentence run over). A
gutter whose right side holds short pieces on the rows of the left side is a form's (read across),
unless both sides are wrapped text filling columns of equal width.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from aligner.pdf.reader import PageContent, Table, Word, centre_in
from aligner.segmentation.numbering import is_label
from aligner.segmentation.scripts import attach_raised
from aligner.segmentation.tables import cell_groups, cell_room, side_by_side, top_level
from aligner.segmentation.textnorm import normalise_text

MARGIN_BAND = 0.12
"""Share of the page height at top and bottom where running headers/footers live."""
MOVED_HEADER_LETTERS = 4
"""A running header is looked for at other heights only when it has at least this many letters (a lone
mark or a short code could be anything)."""
SLOT_ROW_PAGES = 2
"""A margin row printed where the running header stands on other pages, in the header's type, is
furniture when its text repeats on at least this many pages (a chapter's running head on its odd
pages, the document's title on the even ones)."""
RUNNING_HEAD_SMALLER_PT = 0.5
"""A running head that changes with the part of the document is set smaller than the body by at least
this much (``_part_running_heads``): a table's header row repeated at the top of its pages is not."""
FOLIO_ROW_PAGES = 3
"""A margin row repeated on fewer pages than the running-text share is still furniture when it is on at
least this many pages and carries each page's own number (a section's footer, "Tudalen 10" ...)."""
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|tudalen|tud\.?|p\.)\s*)?(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*(?:of|o|/)\s*\d{1,4})?$", re.IGNORECASE
)
ARTIFACT_WORD_SHARE = 0.9
"""A PDF whose structure tree files at least this share of its words is tagged throughout: what it
leaves untagged in the margins, its headers, footers and page numbers (marked as artifacts, outside
the structure, by Word and Acrobat), is furniture even where it is printed once (a form's footer
with its code and edition)."""
ROW_ALIGNED = 0.8
"""Share of a same-size word's height that must overlap a row for the word to widen the row."""
FORM_ROW_TOLERANCE_EM = 0.5
"""Tops within this many em of each other are on one printed row (a form's label and its box)."""
FORM_PIECE_WORDS = 4
"""Pieces right of a form's gap are short: the median row there has at most this many words (box marks
such as the "/ /" of a date field not counted)."""
FORM_SHARED_ROWS = 0.6
"""Share of the right side's rows that must sit on a row of the left side for the two to be one form."""
TEXT_COLUMN_ROWS = 3
"""Columns of running text hold at least this many rows each (fewer say nothing about wrapping)."""
TEXT_COLUMN_WIDTHS = 0.9
"""Two columns of running text are about as wide as each other: the narrower is at least this share of the wider."""
TEXT_COLUMN_FILL_EM = 4.0
"""Wrapped text fills its column: the median row ends within this many em of the column's right edge."""
TEXT_COLUMN_MIN_EM = 12.0
"""...and a column of running text is at least this many em wide: a strip of short field labels fills
its narrow width as well as text does."""
TEXT_RUN_ON_SHARE = 0.5
"""...or, whatever their widths, at least this share of each side's rows go on into a row starting in
lower case, and one side is a single paragraph: wrapped sentences (``_runs_on_rows``)."""
TABLE_ROW_STEP = 1.5
"""Points beyond the line pitch between two printed rows that mark a new row of a table set without
rulings (cell spacing; no paragraph wraps with extra space between its lines)."""
TABLE_ROW_PITCH_EM = 1.4
"""...and where even the closest two printed rows are this many em apart (more than a line's leading),
every cell is one line long and every printed row is a row of the table."""
TABLE_ONE_SIZE = 1.05
"""...provided all its text is set in one size (a heading over a line of text on each side is two
sections side by side, not a table)."""
GRID_MIN_COLUMNS = 3
"""A table set without rulings is read row by row across this many columns at least
(``_grid_rows``; two columns are ``_unruled_table_rows``' case)."""
SPACE_GAP_SHARE = 0.1
"""Justified text stretches every word space of a line alike: the line's gaps are all within this
share of their median (or ``SPACE_GAP_MIN_PT``) of each other (``justified_rows``)."""
SPACE_GAP_MIN_PT = 0.5
JUSTIFIED_EDGE_PT = 1.0
"""A justified line ends at its measure's right edge, within this many points of another justified
line of its region that is stretched by a different amount (form rows set alike repeat one spacing)."""
TOUCHING_EM = 0.1
"""Words closer than this (in em of the larger) are set touching: a raised note mark after its word
("cells.⁵"), a change of font inside a word. No word space lies between them, so it is none of the
gaps a justified line stretches (``justified_rows``)."""
WORD_SPACE_EM = 0.25
"""Width of a word space, in em, when asking whether a word would have fitted at the end of a line."""
WRAP_STRETCH_EM = 0.5
"""A line whose spaces are stretched alike to at least this many em, and which wraps into the line
under it, is a full justified line (``_wraps_into``); plain word spaces are no gutter anyway."""
ROW_LEVEL_EM = 0.3
"""Tops of words within this many em of each other are level: accents, quotes and another weight
move a word's top a little."""
SAME_SIZE = 0.5
"""Font sizes within this many points of each other are one size."""
_WORDY = re.compile(r"[^\W\d_]{4,}")


@dataclass
class Line:
    """One printed line of one column, or of one table cell (``cell`` set)."""

    words: list[Word]
    page: int
    region: int
    """Id of the deepest column region holding the line (lines of one column share it)."""
    table_row: tuple[str, ...] | None = None
    bbox_override: tuple[float, float, float, float] | None = None
    cell: int | None = None
    """Id of the table cell holding the line (each cell is its own region; paragraphs never cross cells)."""
    form_col: int | None = None
    """Column of an unruled table or form the line is a piece of (aligner.segmentation.forms)."""
    checkbox: bool = False
    """A tick box is printed right before the line: it is a checkbox option."""
    answer_box: tuple[float, float, float, float] | None = None
    """The empty answer box printed right after the line: the line is (part of) its field label."""
    piece: bool = False
    """Cut from a printed row at a column gap of an unruled table or form (a cell of it), or at a very
    wide gap inside a table cell (texts set side by side, aligner.segmentation.tables.side_by_side)."""
    limit: float | None = None
    """Right edge of the room the line has, when known: the next form column's edge, or the inside
    of its table cell's right ruling."""

    @property
    def x0(self) -> float:
        return self.bbox_override[0] if self.bbox_override else min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return self.bbox_override[2] if self.bbox_override else max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return self.bbox_override[1] if self.bbox_override else min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return self.bbox_override[3] if self.bbox_override else max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        if not self.words:
            return 0.0
        sizes: Counter = Counter()
        for w in self.words:
            sizes[round(w.size, 1)] += len(w.text)
        return sizes.most_common(1)[0][0]

    @property
    def bold_share(self) -> float:
        total = sum(len(w.text) for w in self.words) or 1
        return sum(len(w.text) for w in self.words if w.bold) / total

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _row_key(words: list[Word]) -> str:
    return re.sub(r"\d+", "#", normalise_text(" ".join(w.text for w in words)).lower())


def _margin_words(page: PageContent) -> list[Word]:
    """Words in the page's top and bottom bands, outside ruled tables (a table header row repeated on
    every page is table content, not a running header)."""
    band = MARGIN_BAND * page.height
    margin = [w for w in page.words if w.top < band or w.bottom > page.height - band]
    return [w for w in margin if not any(centre_in(w, t.bbox) for t in page.tables)]


def _row_id(words: list[Word]) -> tuple[float, str]:
    """(top, text) by which a removed margin row is recorded and found again."""
    return round(min(w.top for w in words), 1), normalise_text(" ".join(w.text for w in words))


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed rows by vertical overlap (superscripts join their row)."""
    rows: list[list[Word]] = []
    bands: list[list[float]] = []  # top, bottom, largest size of each row
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        h = max(0.1, w.bottom - w.top)
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            band = bands[i]
            overlap = min(band[1], w.bottom) - max(band[0], w.top)
            if overlap >= 0.5 * min(h, band[1] - band[0]):
                rows[i].append(w)
                if w.size >= band[2] * 0.95 and (w.size > band[2] * 1.05 or overlap >= ROW_ALIGNED * h):
                    # a larger word (a drop cap, a heading run-in) or one on the same line widens the
                    # row; a box's label set between two text lines joins the upper one but does not
                    # stretch it over the lower one
                    band[0] = min(band[0], w.top)
                    band[1] = max(band[1], w.bottom)
                    band[2] = max(band[2], w.size)
                break
        else:
            rows.append([w])
            bands.append([w.top, w.bottom, w.size])
    rows, bands = attach_raised(rows, bands)
    for r in rows:
        r.sort(key=lambda w: w.x0)
    order = sorted(range(len(rows)), key=lambda i: bands[i][0])
    return [rows[i] for i in order]


def find_running_text(pages: list[PageContent]) -> set[tuple[int, float, str]]:
    """Rows in the top/bottom margins that repeat across pages, and bare page numbers.

    Returns (page, row top, row text) for each row to remove; words inside a ruled table never are.
    Repetition is by text with digits
    masked ("Page 4 of 12" and "Page 5 of 12" are the same furniture) at about the same height; a
    header printed at another height on a few pages is found by its type style (_moved_running_text).
    """
    candidates: list[tuple[int, float, str, str]] = []
    rows_at: dict[tuple[int, float], list[Word]] = {}
    for pg in pages:
        for row in _rows(_margin_words(pg)):
            top = min(w.top for w in row)
            text = normalise_text(" ".join(w.text for w in row))
            candidates.append((pg.number, top, text, _row_key(row)))
            rows_at[pg.number, top] = row
    groups: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)
    for page, top, text, key in candidates:
        for bucket in (round(top / 6), round(top / 6) + 1):
            groups[key, bucket].setdefault(page, text)
    need = max(2, int(0.4 * len(pages) + 0.5))
    furniture = {
        k
        for k, rows in groups.items()
        if len(pages) >= 2
        and _numbers_follow_pages(rows)
        and (len(rows) >= need or (len(rows) >= FOLIO_ROW_PAGES and _has_folio(rows)))
    }
    removed = set()
    for page, top, text, key in candidates:
        # the same footer without its folio (cover pages often leave the page number out) is furniture
        # too, and so is a row that starts with the footer (a cover page adds its edition or copyright)
        buckets = (round(top / 6), round(top / 6) + 1)
        keys = (key, f"{key} #", f"# {key}")
        repeated = any((k, b) in furniture for k in keys for b in buckets) or any(
            b in buckets and key.startswith(f"{k} ") for k, b in furniture
        )
        if repeated or _PAGE_NUMBER.match(text):
            removed.add((page, round(top, 1), text))
    if _tagged_throughout(pages):
        removed |= {(p, round(top, 1), text) for p, top, text, _ in candidates if _untagged(rows_at[p, top])}
    margins = _MarginRows(candidates, rows_at, groups, furniture, need)
    removed |= _moved_running_text(margins, removed)
    removed |= _slot_running_text(margins, removed)
    sizes = sorted(w.size for pg in pages for w in pg.words if w.size > 0)
    if sizes:
        removed |= _part_running_heads(margins, removed, sizes[len(sizes) // 2])
    return removed


def _tagged_throughout(pages: list[PageContent]) -> bool:
    """The structure tree files ``ARTIFACT_WORD_SHARE`` of the document's words."""
    words = [w for pg in pages for w in pg.words]
    return bool(words) and sum(w.tag is not None for w in words) >= ARTIFACT_WORD_SHARE * len(words)


def _untagged(row: list[Word]) -> bool:
    return all(w.tag is None and w.tag_end is None for w in row)


@dataclass(frozen=True)
class _MarginRows:
    """A document's margin rows and which of them repeat: what the rules for running text placed
    unusually read. ``candidates``: (page, top, text, key) of every margin row; ``groups``: the pages
    and texts of each (key, height bucket); ``furniture``: the groups that repeat; ``need``: pages a
    group needs to repeat on."""

    candidates: list[tuple[int, float, str, str]]
    rows_at: dict[tuple[int, float], list[Word]]
    groups: dict[tuple[str, int], dict[int, str]]
    furniture: set[tuple[str, int]]
    need: int


def _slot_running_text(m: _MarginRows, removed: set[tuple[int, float, str]]) -> set[tuple[int, float, str]]:
    """Rows at the height of a running header repeated on most pages, in its one type style, whose own
    text repeats on ``SLOT_ROW_PAGES`` pages or more: the running heads that change with the chapter
    (each on a share of the pages too small to count by itself)."""
    slots: set[tuple[int, tuple[float, bool, str]]] = set()
    for page, top, text, key in m.candidates:
        row = m.rows_at[page, top]
        kinds = {_style(w) for w in row}
        bucket = round(top / 6)
        established = any((key, b) in m.furniture and len(m.groups[key, b]) >= m.need for b in (bucket, bucket + 1))
        if (page, round(top, 1), text) in removed and len(kinds) == 1 and not _PAGE_NUMBER.match(text) and established:
            slots.add((bucket, kinds.pop()))
    out = set()
    for page, top, text, key in m.candidates:
        if (page, round(top, 1), text) in removed:
            continue
        kinds = {_style(w) for w in m.rows_at[page, top]}
        bucket = round(top / 6)
        if (
            len(kinds) == 1
            and any((b, next(iter(kinds))) in slots for b in (bucket - 1, bucket, bucket + 1))
            and max(len(m.groups[key, b]) for b in (bucket, bucket + 1)) >= SLOT_ROW_PAGES
        ):
            out.add((page, round(top, 1), text))
    return out


def _part_running_heads(
    m: _MarginRows, removed: set[tuple[int, float, str]], body_size: float
) -> set[tuple[int, float, str]]:
    """Running heads that name the part of the document (its chapter) and change with it, where no
    header repeats on most pages to show the slot (``_slot_running_text``): margin rows at one
    height, in one type style smaller than the body's, whose texts repeated on ``SLOT_ROW_PAGES``
    pages or more are together on the running-text share of the pages. Every row of that slot is
    furniture then, also one printed on a single page (the title over the contents)."""
    slots: dict[tuple[int, tuple[float, bool, str]], list[tuple[int, float, str, str]]] = defaultdict(list)
    for page, top, text, key in m.candidates:
        kinds = {_style(w) for w in m.rows_at[page, top]}
        if len(kinds) != 1 or _PAGE_NUMBER.match(text):
            continue
        kind = kinds.pop()
        if kind[0] < body_size - RUNNING_HEAD_SMALLER_PT:
            slots[round(top / 6), kind].append((page, top, text, key))
    out = set()
    for rows in slots.values():
        repeated = {key for _, top, _, key in rows if len(m.groups[key, round(top / 6)]) >= SLOT_ROW_PAGES}
        if len({page for page, _, _, key in rows if key in repeated}) >= m.need:
            out |= {(page, round(top, 1), text) for page, top, text, _ in rows} - removed
            out |= _wrapped_heads(m, rows) - removed
    return out


def _wrapped_heads(m: _MarginRows, rows: list[tuple[int, float, str, str]]) -> set[tuple[int, float, str]]:
    """The second line of a running head too long for one: the row right under it (within
    ``TABLE_ROW_PITCH_EM``) on its page, in its type style."""
    on_page: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for p, t, text, _ in m.candidates:
        on_page[p].append((t, text))
    out = set()
    for page, top, _, _ in rows:
        style = _style(m.rows_at[page, top][0])
        for t, text in on_page[page]:
            if 0 < t - top <= TABLE_ROW_PITCH_EM * style[0] and {_style(w) for w in m.rows_at[page, t]} == {style}:
                out.add((page, round(t, 1), text))
    return out


def _style(w: Word) -> tuple[float, bool, str]:
    return (round(w.size * 2) / 2, w.bold, w.font)


def _style_runs(row: list[Word]) -> list[list[Word]]:
    """A row's words by type style (a running header printed over a body line shares its row)."""
    runs: dict[tuple[float, bool, str], list[Word]] = defaultdict(list)
    for w in sorted(row, key=lambda w: w.x0):
        runs[_style(w)].append(w)
    return list(runs.values())


def _moved_running_text(m: _MarginRows, removed: set[tuple[int, float, str]]) -> set[tuple[int, float, str]]:
    """A running header printed at another height on a few pages (lower, even over the first body line):
    the same words in the same type style (size, weight, font) as the header on most pages, alone in that
    style in their margin row, are furniture too. Returned as (page, top, text) of those words only."""
    styles: dict[str, set[tuple[float, bool, str]]] = defaultdict(set)
    for page, top, text, key in m.candidates:
        row = m.rows_at[page, top]
        lettered = sum(c.isalpha() for w in row for c in w.text) >= MOVED_HEADER_LETTERS
        if (
            lettered
            and (page, round(top, 1), text) in removed
            and not _PAGE_NUMBER.match(text)
            and any(len(m.groups[k, b]) >= m.need for k, b in m.furniture if k == key)
        ):
            kinds = {_style(w) for w in row}
            if len(kinds) == 1:
                styles[key] |= kinds
    out = set()
    for page, top, text, _key in m.candidates:
        if (page, round(top, 1), text) in removed:
            continue
        for run in _style_runs(m.rows_at[page, top]):
            style = _style(run[0])
            if style in styles.get(_row_key(run), ()):
                out.add((page, *_row_id(run)))
    return out


def _has_folio(rows: dict[int, str]) -> bool:
    """Some number in the row is its page's own number on every page: a footer with a folio, even one
    printed on a few pages only (a section with its own footer)."""
    values = {page: [int(n) for n in re.findall(r"\d+", text)] for page, text in rows.items()}
    return any(
        all(j < len(v) and v[j] == page for page, v in values.items()) for j in range(min(map(len, values.values())))
    )


def _numbers_follow_pages(rows: dict[int, str]) -> bool:
    """Each number in a repeated row is constant or moves with the page (a page number).

    Without this, headings like "Article 2" ... "Article 9" at the top of pages would count as
    a running header.
    """
    values = {page: [int(n) for n in re.findall(r"\d+", text)] for page, text in rows.items()}
    width = {len(v) for v in values.values()}
    if len(width) != 1:
        return False
    for j in range(width.pop()):
        column = {page: v[j] for page, v in values.items()}
        if len(set(column.values())) > 1 and len({n - page for page, n in column.items()}) > 1:
            return False
    return True


def strip_running_text(page: PageContent, removed: set[tuple[int, float, str]]) -> tuple[list[Word], list[str]]:
    """The page's words without its running header/footer rows, and the removed texts."""
    mine = {(top, text) for (p, top, text) in removed if p == page.number}
    if not mine:
        return list(page.words), []
    gone = []
    drop_ids: set[int] = set()
    for row in _rows(_margin_words(page)):
        key = _row_id(row)
        if key in mine:
            drop_ids.update(id(w) for w in row)
            gone.append(key[1])
            continue
        for run in _style_runs(row):  # a running header sharing its row with body text (find_running_text)
            key = _row_id(run)
            if key in mine:
                drop_ids.update(id(w) for w in run)
                gone.append(key[1])
    keep = [w for w in page.words if id(w) not in drop_ids]
    return keep, gone


def _has_words(words: list[Word]) -> bool:
    return sum(len(_WORDY.findall(w.text)) for w in words) >= 2


def _run_on_top(left: list[Word], right: list[Word]) -> bool:
    """The right column holds only the last word or two of a sentence from the foot of the left one
    ("October."), on the first line: still a column, though too small for _has_words. A word wholly
    above the left side's first line is not on it (a form code printed above a title)."""
    if not right or not _WORDY.search(" ".join(w.text for w in right)):
        return False
    top = min(w.top for w in left)
    size = max(w.size for w in right)
    rows = len({round(w.top) for w in left})
    return rows >= 3 and all(top < w.bottom and w.top <= top + 0.5 * size for w in right)


def _gaps(words: list[Word], min_gap: float, context: Sequence[list[Word]] = ()) -> list[tuple[float, float]]:
    """(left, right) of every gap at least ``min_gap`` wide that no word crosses, left to right, but for
    a river of a justified paragraph's word spaces (``_only_spaces``; ``context``: the other rows of
    the region around ``words``, whose justified lines show the measure, justified_rows)."""
    spans = sorted((w.x0, w.x1) for w in words)
    gaps = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= min_gap:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    if not gaps:
        return gaps
    rows = _rows(words)
    justified = justified_words(rows, context)
    return [g for g in gaps if not _only_spaces(rows, justified, *g)]


def _only_spaces(rows: list[list[Word]], justified: dict[int, int], left: float, right: float) -> bool:
    """Whether every row with words on both sides of the gap from ``left`` to ``right`` is a justified
    line there (``justified_words``): the gap is only their stretched word spaces lined up."""
    crossed = False
    for k, row in enumerate(rows):
        if any(a.x1 <= left and b.x0 >= right for a, b in pairwise(row)):
            spaced = _after_label(row[: justified.get(k, 0)])
            if not any(a.x1 <= left and b.x0 >= right for a, b in pairwise(spaced)):
                return False  # (the gutter after a hanging label is no word space)
            crossed = True
    return crossed


def _space_tolerance(usual: float) -> float:
    """How far word gaps stretched alike may differ from their median ``usual`` (SPACE_GAP_SHARE)."""
    return max(SPACE_GAP_MIN_PT, SPACE_GAP_SHARE * usual)


def _alike(gaps: list[float]) -> float | None:
    """The median of a line's word gaps when they are all alike (``_space_tolerance``), two at least."""
    if len(gaps) < 2:
        return None
    usual = median(gaps)
    return usual if all(abs(g - usual) <= _space_tolerance(usual) for g in gaps) else None


def justified_rows(rows: list[list[Word]], context: Sequence[list[Word]] = ()) -> set[int]:
    """Indices of the rows (words left to right) set as justified text (``justified_words``) all along."""
    return {k for k, n in justified_words(rows, context).items() if n == len(rows[k])}


def _word_spaces(row: list[Word]) -> list[float]:
    """The gaps a justified line stretches: all its word gaps but a hanging label's and touching
    words' (``_after_label``, TOUCHING_EM)."""
    return [g for a, b in pairwise(_after_label(row)) if (g := b.x0 - a.x1) >= TOUCHING_EM * max(a.size, b.size)]


def justified_words(rows: list[list[Word]], context: Sequence[list[Word]] = ()) -> dict[int, int]:
    """For each row (words left to right) set as justified text, how many of its first words are: all of
    them where the row's word gaps are all alike (``_word_spaces``) and another such row ends at the
    same right edge (JUSTIFIED_EDGE_PT) with its spaces stretched by a different amount. Justification
    stretches each line's spaces by what that line lacks, so neighbouring lines differ; a form's
    options spaced evenly repeat one spacing row after row. A row of two words spanning exactly from
    the left to the right edge of such a row is justified too (a line ended by a line break in a
    justified paragraph, "CF10          3NQ", is stretched all the same). A row that runs on past
    that right edge (a question's first line with its "Yes" and "No" options beside it) is justified
    up to the edge where its first words, spaced alike, end (or its first two words span the text of
    such a line) and the row is not spaced alike all along: the gap after them may be wider than
    their spaces, narrower (a narrow column stretches its spaces further than the gap to the options
    beside it) or the same. So is a row whose words, or first words, spaced alike wrap into the line
    under them (``_wraps_into``: a table cell's one wrapped line, which no other line shows the
    measure of), the gap after those first words wider than their spaces and the line under leaving
    it clear (``_clear``: a justified line's space twice as wide after a full stop is no edge); the
    measure such a wrapped line shows is then every other row's too (a narrow justified column's first
    line, whose last space is as wide as the gap to the column beside it). Rows
    of ``context`` (the region around ``rows``: a heading's one justified line over the region's
    justified paragraphs) count as those other rows, their own indices not returned."""
    mine = {id(w) for row in rows for w in row}
    around = [row for row in context if not any(id(w) in mine for w in row)]
    every = [*rows, *around]
    lines, pairs = [], []
    for k, row in enumerate(every):
        gaps = _word_spaces(row)
        edges = (min(w.x0 for w in row), max(w.x1 for w in row))
        if len(gaps) == 1:
            pairs.append((k, edges))
        usual = _alike(gaps)
        if usual is not None:
            lines.append((k, edges, usual))

    def at_measure(k: int, end: float, usual: float) -> bool:
        return any(
            j != k and abs(end - other_end) <= JUSTIFIED_EDGE_PT and abs(usual - other) > _space_tolerance(usual)
            for j, (_, other_end), other in lines
        )

    justified = {k for k, (_, end), usual in lines if at_measure(k, end, usual)}
    out = {k: len(rows[k]) for k in justified if k < len(rows)}
    spans = [edges for k, edges, _ in lines if k in out]
    out |= {
        k: len(rows[k])
        for k, (start, end) in pairs
        if k < len(rows)
        and any(abs(start - x0) <= JUSTIFIED_EDGE_PT and abs(end - x1) <= JUSTIFIED_EDGE_PT for x0, x1 in spans)
    }
    ends = [(end, usual) for k, (_, end), usual in lines if k in justified]
    measures = [(min(w.x0 for w in _after_label(every[k])), end) for k, (_, end), _ in lines if k in justified]
    room = max(w.x1 for row in every for w in row)
    for _ in range(2):  # a measure found by a line that wraps shows the rows above it theirs
        found: list[tuple[float, float]] = []
        for k, row in enumerate(rows):
            if k in out:
                continue
            under = _line_under(row, every)
            row_usual = _alike(_word_spaces(row))
            if _wraps_into(row, room, under, row_usual):
                out[k] = len(row)
                continue
            wraps = under is not None and under[0].text[:1].islower()
            at_edge = {
                i + 1 for i, w in enumerate(row[:-1]) if any(abs(w.x1 - e) <= JUSTIFIED_EDGE_PT for e, _ in ends)
            }
            for n in range(len(row) - 1, 2, -1):
                if not wraps and n not in at_edge:
                    continue
                spaces = _word_spaces(row[:n])
                usual = spaces[0] if len(spaces) == 1 else _alike(spaces)
                if usual is None:
                    continue
                end = row[n - 1].x1
                space = abs(row[n].x0 - end - usual) <= _space_tolerance(usual)  # one of the line's own spaces
                if space and row_usual is not None:
                    continue  # (a longer line, a word of which ends at the measure by chance)
                wider = row[n].x0 - end > usual and not space
                if len(spaces) == 1:  # two words spanning a justified line's measure ("ANOTHER   Yes   No")
                    start = _after_label(row[:n])[0].x0
                    if any(
                        abs(start - x0) <= JUSTIFIED_EDGE_PT and abs(end - x1) <= JUSTIFIED_EDGE_PT
                        for x0, x1 in measures
                    ):
                        out[k] = n
                        break
                    continue
                if any(abs(end - e) <= JUSTIFIED_EDGE_PT and abs(usual - u) > _space_tolerance(usual) for e, u in ends):
                    out[k] = n
                    break
                if wider and _wraps_into(row[:n], row[n].x0, under, usual) and _clear(under, end, row[n].x0):
                    out[k] = n
                    found.append((end, usual))
                    break
        if not found:
            break
        ends += found
    return out


def _clear(row: list[Word] | None, left: float, right: float) -> bool:
    """No word of ``row`` reaches into the space from ``left`` to ``right``: a gap its line shares."""
    return row is not None and all(w.x1 <= left + JUSTIFIED_EDGE_PT or w.x0 >= right - JUSTIFIED_EDGE_PT for w in row)


def _line_under(row: list[Word], rows: Sequence[list[Word]]) -> list[Word] | None:
    """The row set next below ``row`` within two ems of it, if any: where its line would wrap to."""
    top, size = min(w.top for w in row), max(w.size for w in row)
    below = [r for r in rows if size * ROW_LEVEL_EM < min(w.top for w in r) - top <= 2 * size]
    return min(below, key=lambda r: min(w.top for w in r)) if below else None


def _wraps_into(head: list[Word], room_end: float, under: list[Word] | None, usual: float | None) -> bool:
    """The words ``head`` of a row, spaced alike (``usual``, their median space; None where they are
    not) and stretched (WRAP_STRETCH_EM), are a full line of text that wrapped: the line under them
    starts where their text or their label starts with a lower-case word (or any word, where both are
    bold and of one size: a heading's title-case words) that would not have fitted
    between their end and ``room_end`` (where the row's next piece starts, or the region's widest
    line ends)."""
    if not under or usual is None or usual < WRAP_STRETCH_EM * max(w.size for w in head):
        return False
    first, start = under[0], _after_label(head)[0].x0
    heading = all(w.bold for w in head + under) and abs(first.size - head[-1].size) < SAME_SIZE
    if (
        not (first.text[:1].islower() or heading)
        or min(abs(first.x0 - start), abs(first.x0 - head[0].x0)) > JUSTIFIED_EDGE_PT
    ):
        return False
    return head[-1].x1 + WORD_SPACE_EM * first.size + (first.x1 - first.x0) > room_end


def _after_label(row: list[Word]) -> list[Word]:
    """The row's words but for a list number or label ("14.3", "(b)") it starts with before at least
    two words: the gap after that is the item's hanging indent, not one of the word spaces
    justification stretches."""
    return row[1:] if len(row) >= 3 and is_label(row[0].text) else row


def _vertical_cut(words: list[Word], min_gap: float, context: Sequence[list[Word]] = ()) -> float | None:
    """x of the widest gutter through the whole region whose both sides hold real words, but for the
    gap after a strip of paragraph numbers hanging in a margin (``_numbers_only``)."""
    best, best_width = None, min_gap
    gaps = _gaps(words, min_gap, context)
    for k, (reach, x0) in enumerate(gaps):
        if x0 - reach < best_width:
            continue
        if _numbers_only([w for w in words if (gaps[k - 1][1] if k else -math.inf) <= w.x0 and w.x1 <= reach]):
            continue
        cut = (reach + x0) / 2
        left = [w for w in words if w.x1 <= cut]
        right = [w for w in words if w.x0 >= cut]
        if _has_words(left) and (_has_words(right) or _run_on_top(left, right)):
            best, best_width = cut, x0 - reach
    return best


def _numbers_only(strip: list[Word]) -> bool:
    """The words of a strip between two gutters are paragraph numbers alone ("7.3", "7.4" ..., two
    at least): numbers hanging in a margin, each belonging to the line level with it, where no space
    parts the paragraphs to show them as anything but a column."""
    rows = _rows(strip) if strip else []
    return len(rows) >= 2 and all(is_label(" ".join(w.text for w in r)) for r in rows)


def _column_cut(words: list[Word], min_gap: float, context: Sequence[list[Word]] = ()) -> float | None:
    """A gutter that separates two columns of text, not two columns of one form or table: there the
    pieces right of the gap sit on the lines of the left side and are short (a label's "£" box, a
    column header, a "Yes" option), so the rows are read across (aligner.segmentation.forms)."""
    cut = _vertical_cut(words, min_gap, context)
    if cut is None:
        return None
    left = _rows([w for w in words if (w.x0 + w.x1) / 2 < cut])
    right = _rows([w for w in words if (w.x0 + w.x1) / 2 >= cut])
    if not left or not right:
        return cut
    if len(right) == 1 and re.search(r"[.!?…][)\]”’\"']*$", right[0][-1].text):
        return cut  # the end of a sentence run over into the next column ("October.")
    tops = [min(w.top for w in r) for r in left]
    shared = 0
    for r in right:
        top, size = min(w.top for w in r), max(w.size for w in r)
        # a row of box marks only ("£  £") is a form's answer fields, and a row ending in a colon a field
        # label ("Postcode:"), wherever either sits between the rows of the left side
        field = _word_count(r) == 0 or r[-1].text.endswith(":")
        shared += field or any(abs(top - t) <= FORM_ROW_TOLERANCE_EM * size for t in tops)
    short = sorted(_word_count(r) for r in right)[len(right) // 2] <= FORM_PIECE_WORDS
    if short and shared >= FORM_SHARED_ROWS * len(right) and not _text_columns(left, right):
        return None
    return cut


def _cell_line_pitch(steps: list[float], sizes: list[float], size: float, columns: Sequence[list[list[Word]]]) -> float:
    """The line pitch inside a table's cells: the smallest step between printed rows, or 0 where no
    two rows are closer than cell spacing in one size of type (every cell one line, every line a row)
    and no cell's line runs on into the line under it (``_runs_on``: generous leading, 1.3 or 1.5
    lines, sets a wrapped cell's lines that far apart)."""
    pitch = min(steps)
    if (
        pitch >= TABLE_ROW_PITCH_EM * size
        and max(sizes) <= TABLE_ONE_SIZE * min(sizes)
        and not any(_runs_on(col, pitch) for col in columns)
    ):
        return 0.0
    return pitch


def _runs_on(column: list[list[Word]], pitch: float) -> bool:
    """Whether a line of this table column goes on in the line under it, at the smallest step: the
    lower line starts with a lower-case word that would not have fitted at the end of the upper one
    (within the column's right edge), as a wrapped cell's text does."""
    right = max(w.x1 for row in column for w in row)
    for upper, lower in pairwise(column):
        step = min(w.top for w in lower) - min(w.top for w in upper)
        first = lower[0]
        if step > pitch + TABLE_ROW_STEP or not first.text[:1].islower():
            continue
        if max(w.x1 for w in upper) + WORD_SPACE_EM * first.size + (first.x1 - first.x0) > right:
            return True
    return False


def _unruled_table_rows(
    words: list[Word], cut: float, allow_lead: bool = True
) -> list[tuple[list[Word], list[Word]]] | None:
    """The rows of a two-column table set without rulings, or None where the two sides are columns
    of running text (or a sidebar) read one after the other.

    A table's cells start level with each other: every printed row that starts after more than the
    line pitch (cell spacing) has a line starting on both sides at that height, and both sides start
    together. Columns of running text break their paragraphs independently, and fill their width
    (``_text_columns``)."""
    left = _rows([w for w in words if (w.x0 + w.x1) / 2 < cut])
    right = _rows([w for w in words if (w.x0 + w.x1) / 2 >= cut])
    if len(left) < 2 or len(right) < 2 or _text_columns(left, right):
        return None
    tops_l, tops_r = [min(w.top for w in r) for r in left], [min(w.top for w in r) for r in right]
    sizes = [w.size for w in words]
    size = median(sizes)
    level = ROW_LEVEL_EM * size
    if abs(tops_l[0] - tops_r[0]) > level:
        return _rows_after_lead(words, cut, left, right, tops_l[0], tops_r[0], level) if allow_lead else None
    # the two sides' type may differ (a bold term, a regular description): their level rows' tops
    # differ by the same small amount, taken off the right side before rows are compared
    offset = median(min(tops_r, key=lambda r: abs(r - t)) - t for t in tops_l)
    if abs(offset) > level:
        return None
    tops_r = [t - offset for t in tops_r]
    tops: list[float] = []
    last = -1e9
    for t in sorted(tops_l + tops_r):
        if t - last > level:
            tops.append(t)
        last = t
    steps = [b - a for a, b in pairwise(tops)]
    if not steps:
        return None
    pitch = _cell_line_pitch(steps, sizes, size, (left, right))
    starts = [t for t, step in zip(tops[1:], steps) if step > pitch + TABLE_ROW_STEP]
    if not starts:
        return None
    for t in starts:
        if not (any(abs(t - x) <= level for x in tops_l) and any(abs(t - x) <= level for x in tops_r)):
            return None
    bounds = [tops[0] - level, *(t - level for t in starts), float("inf")]
    return [
        (
            [w for r in left for w in r if lo <= min(x.top for x in r) < hi],
            [w for r in right for w in r if lo <= min(x.top for x in r) - offset < hi],
        )
        for lo, hi in pairwise(bounds)
    ]


def _grid_rows(words: list[Word], min_gap: float, context: Sequence[list[Word]] = ()) -> list[list[list[Word]]] | None:
    """The rows of a table of ``GRID_MIN_COLUMNS`` columns or more set without rulings (each row a
    list of its cells' words, left to right), or None.

    Gutters no word crosses cut the region into columns; in each column a line starts a cell when it
    sits more than the line pitch below the line before it (or every line does, where no two lines
    are closer than cell spacing, as in ``_unruled_table_rows``). A table's cells start level with
    each other: every height where a cell starts has a cell starting in another column too, and there
    are two such heights at least, none of them inside a wrapped cell of another column (a table's
    cells end before its next row starts). Only lines with letters or digits start cells, and a
    column of numbers alone ("12.1", hanging before questions) or of marks alone (a date's "/ /")
    makes the rows a form's, read across. Columns of running text break their paragraphs
    independently; a column whose row is empty (a cell spanning rows, a missing figure) starts
    nothing there. Cells start level where their first lines' tops or their feet are level: a bold
    label's font may reach higher, or lower, than the regular type beside it on one baseline."""
    cuts = [(left + right) / 2 for left, right in _gaps(words, min_gap, context)]
    if len(cuts) + 1 < GRID_MIN_COLUMNS:
        return None
    bounds = [-float("inf"), *cuts, float("inf")]
    columns = [_rows([w for w in words if lo <= (w.x0 + w.x1) / 2 < hi]) for lo, hi in pairwise(bounds)]
    sizes = [w.size for w in words]
    size = median(sizes)
    level = ROW_LEVEL_EM * size
    tops = [[min(w.top for w in r) for r in col] for col in columns]
    steps = [b - a for col in tops for a, b in pairwise(col)]
    if not steps:
        return None
    pitch = _cell_line_pitch(steps, sizes, size, columns)
    for col in columns:
        if all(is_label(" ".join(w.text for w in r)) for r in col) or not any(_word_count(r) for r in col):
            return None  # numbers hanging before their questions, a field's "/ /" marks: a form, read across
    starts: list[list[tuple[float, float]]] = []  # (top, foot) of each cell's first line
    spans: list[tuple[float, float]] = []  # the tops of each cell's first and last lines
    for col, col_tops in zip(columns, tops, strict=True):
        starts.append([])
        for k, (t, r) in enumerate(zip(col_tops, col, strict=True)):
            if k == 0 or t - col_tops[k - 1] > pitch + TABLE_ROW_STEP:
                spans.append((t, t))
                if _word_count(r):
                    starts[-1].append((t, max(w.bottom for w in r)))
            else:
                spans[-1] = (spans[-1][0], t)

    def level_with(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return abs(a[0] - b[0]) <= level or abs(a[1] - b[1]) <= level

    row_starts: list[tuple[float, float]] = []
    for start in sorted(start for col in starts for start in col):
        if not row_starts or not level_with(start, row_starts[-1]):
            row_starts.append(start)
    if len(row_starts) < 2:
        return None
    for start in row_starts:
        if sum(any(level_with(start, x) for x in col) for col in starts) < 2:
            return None
        if any(first + level < start[0] <= last + level for first, last in spans):
            return None  # a row would start inside another column's wrapped cell
    edges = [*(t - level for t, _ in row_starts), float("inf")]
    return [
        [[w for r in col for w in r if lo <= min(x.top for x in r) < hi] for col in columns]
        for lo, hi in pairwise(edges)
    ]


def _rows_after_lead(
    words: list[Word],
    cut: float,
    left: list[list[Word]],
    right: list[list[Word]],
    top_l: float,
    top_r: float,
    level: float,
) -> list[tuple[list[Word], list[Word]]] | None:
    """A table whose first printed row fills one column only: the end of a cell that a page break
    cut, set above the next row (``aligner.segmentation.table_pages`` joins it to its cell). The
    lines of the side that starts first, down to where the other side starts, are that row when the
    rest is a table on its own."""
    early = right if top_r < top_l else left
    start = max(top_l, top_r)
    lead = [w for r in early for w in r if min(x.top for x in r) < start - level]
    if not lead or len(lead) == len([w for r in early for w in r]):
        return None
    taken = {id(w) for w in lead}
    rows = _unruled_table_rows([w for w in words if id(w) not in taken], cut, allow_lead=False)
    if rows is None:
        return None
    return [([], lead) if early is right else (lead, []), *rows]


def _join_table_parts(
    groups: list[list[list[Word]]], min_gap: float, context: Sequence[list[Word]] = ()
) -> list[list[list[Word]]]:
    """Neighbouring parts of a region, split at gaps as wide as each other, that read as one two-column
    table without rulings: a row set a point or two further from the row above (a last row, a row after
    a cell's space after) falls within the widest-gap tolerance and is cut off its table, then read
    across ("And I did. Police have arrested ..."). Joined when one part alone is such a table and
    the two together are one. ``context``: the region's rows (_gaps)."""

    def is_table(parts: list[list[Word]]) -> bool:
        if len(parts) < 2:
            return False
        words = [w for r in parts for w in r]
        cut = _column_cut(words, min_gap, context)
        return cut is not None and _unruled_table_rows(words, cut) is not None

    joined = [groups[0]]
    tables = [is_table(groups[0])]
    for group in groups[1:]:
        own = is_table(group)
        if (tables[-1] or own) and is_table(joined[-1] + group):
            joined[-1] = joined[-1] + group
            tables[-1] = True
        else:
            joined.append(group)
            tables.append(own)
    return joined


def _text_columns(left: list[list[Word]], right: list[list[Word]]) -> bool:
    """Two narrow columns of running text set on the same line grid look like a form's rows: few
    words a row, tops shared. Their text wraps, though: each side fills its width, and the sides
    are about as wide as each other (a form's pieces stop short, or its value column is narrow). A
    column whose lines all hang after a list number shows no edge to measure its width by: there
    both sides must go on from row to row in lower case (``_runs_on_rows``) and one side be a single
    paragraph (``_one_paragraph``; a table's two columns of wrapped cells open a space between rows
    on both sides)."""
    if min(len(left), len(right)) < TEXT_COLUMN_ROWS:
        return False
    widths = []
    for rows in (left, right):
        x0, x1 = min(w.x0 for r in rows for w in r), max(w.x1 for r in rows for w in r)
        size = median(max(w.size for w in r) for r in rows)
        if median(x1 - max(w.x1 for w in r) for r in rows) > TEXT_COLUMN_FILL_EM * size:
            return False
        if x1 - x0 < TEXT_COLUMN_MIN_EM * size:
            return False
        widths.append(x1 - x0)
    if min(widths) >= TEXT_COLUMN_WIDTHS * max(widths):
        return True
    return _runs_on_rows(left) and _runs_on_rows(right) and (_one_paragraph(left) or _one_paragraph(right))


def _one_paragraph(rows: list[list[Word]]) -> bool:
    """The rows follow each other at one pitch (within TABLE_ROW_STEP, measured at the foot of their
    type, which accents and quotes do not move): no space opens between them, as it does between a
    table's rows of cells or between paragraphs."""
    feet = [max(w.bottom for w in r) for r in rows]
    steps = [b - a for a, b in pairwise(feet)]
    return bool(steps) and max(steps) - min(steps) <= TABLE_ROW_STEP


def _runs_on_rows(rows: list[list[Word]]) -> bool:
    """Most rows go on into a row that starts in lower case (TEXT_RUN_ON_SHARE; TEXT_COLUMN_ROWS of
    them at least, a word broken in a narrow cell, "Wythnoso" / "l", is not enough): sentences wrapped
    from line to line, as a column of running text reads and a form's labels and options do not
    (they start with capitals, numbers or marks)."""
    steps = list(pairwise(rows))
    lower = sum(b[0].text[:1].islower() for _, b in steps)
    return lower >= TEXT_COLUMN_ROWS and lower >= TEXT_RUN_ON_SHARE * len(steps)


def _word_count(row: list[Word]) -> int:
    """Words with letters or digits: a field's printed box marks ("/ /", "£") are not words."""
    return sum(any(c.isalnum() for c in w.text) for w in row)


def reading_order(
    words: list[Word], page: int, tables: tuple[Table, ...] = (), start_region: int = 0
) -> tuple[list[Line], int]:
    """Lines of one page in reading order; a table's cells come back one after another, row-major,
    each cell's lines in a region of their own."""
    outer, nested = top_level(tables)
    items = [w for w in words if not any(centre_in(w, t.bbox) for t in outer)]
    table_items: dict[int, int] = {}
    for k, t in enumerate(outer):
        pseudo = Word("\u0000", t.bbox[0], t.bbox[1], t.bbox[2], t.bbox[3], 0.0, False, "")
        table_items[id(pseudo)] = k
        items.append(pseudo)
    if not items:
        return [], start_region
    sizes = sorted(w.size for w in items if w.size > 0) or [10.0]
    min_gap = max(7.0, 0.7 * sizes[len(sizes) // 2])
    lines: list[Line] = []
    counter = [start_region]

    def emit_cell(words: list[Word], limit: float | None) -> None:
        """A table cell's lines, in a region and a cell of their own, ``limit`` the right end of its room;
        a row's pieces set far apart inside the cell stay apart (side_by_side)."""
        counter[0] += 1
        for r in _rows(words):
            pieces = side_by_side(r)
            lines.extend(Line(p, page, counter[0], cell=counter[0], limit=limit, piece=len(pieces) > 1) for p in pieces)

    def emit_table(table: Sequence[Sequence[list[Word]]]) -> None:
        """Row by row, each cell a region and a cell of its own, its room its column's measure."""
        ends = [max((w.x1 for row in table for w in row[k]), default=0.0) for k in range(len(table[0]))]
        for row in table:
            for k, part in enumerate(row):
                if part:
                    emit_cell(part, ends[k])

    def grid(region: list[Word], region_id: int, context: Sequence[list[Word]] = ()) -> bool:
        """Read ``region`` as a table without rulings of three columns or more, if it is one; a ruled
        table above or below it (a shaded header row) is read before or after it. ``context``: the
        rows around a group of a region's rows (_gaps)."""
        real = [w for w in region if id(w) not in table_items]
        ruled = [w for w in region if id(w) in table_items]
        if len(real) < 2:
            return False
        top, bottom = min(w.top for w in real), max(w.bottom for w in real)
        reach = ROW_LEVEL_EM * median(w.size for w in real)  # a bold font's box reaches over a ruling
        if any(t.top < bottom - reach and t.bottom > top + reach for t in ruled):
            return False
        table = _grid_rows(real, min_gap, context)
        if table is None:
            return False
        above = [t for t in ruled if t.bottom <= top + reach]
        for t in above:
            _emit([t], region_id)
        emit_table(table)
        for t in ruled:
            if t not in above:  # (below it: none overlaps)
                _emit([t], region_id)
        return True

    def visit(region: list[Word], region_id: int, context: Sequence[list[Word]] = ()) -> None:
        cut = _column_cut(region, min_gap, context) if len(region) > 1 else None
        if cut is None:
            if not grid(region, region_id, context):
                visit_rows(_rows(region), region_id)
            return
        table = _unruled_table_rows(region, cut)
        if table is not None:
            emit_table(table)
            return
        if grid(region, region_id, context):
            return
        for part in ([w for w in region if (w.x0 + w.x1) / 2 < cut], [w for w in region if (w.x0 + w.x1) / 2 >= cut]):
            counter[0] += 1
            visit(part, counter[0])

    def visit_rows(rows: list[list[Word]], region_id: int) -> None:
        """Rows of a region without a gutter: split at the widest gaps, look for gutters in each part."""
        if len(rows) == 1:
            _emit(rows[0], region_id)
            return
        gaps = [min(w.top for w in b) - max(w.bottom for w in a) for a, b in pairwise(rows)]
        widest = max(gaps)
        groups, start = [], 0
        for i, g in enumerate(gaps):
            if g >= widest - 0.5:
                groups.append(rows[start : i + 1])
                start = i + 1
        groups.append(rows[start:])
        if len(groups) == 1:
            for row in rows:
                _emit(row, region_id)
            return
        groups = _join_table_parts(groups, min_gap, rows)
        for group in groups:
            if len(group) == 1:
                _emit(group[0], region_id)
                continue
            words = [w for r in group for w in r]
            if _column_cut(words, min_gap, rows) is not None:
                visit(words, region_id, rows)
            elif not grid(words, region_id, rows):
                visit_rows(group, region_id)

    def _emit(row: list[Word], region_id: int) -> None:
        """A row's words; a table in the row comes after the words left of it (the last line of a
        label beside the table's first row) and before the rest."""
        pseudo = [w for w in row if id(w) in table_items]
        real = [w for w in row if id(w) not in table_items]
        if pseudo:
            before = [w for w in real if w.x1 <= min(t.x0 for t in pseudo)]
            if before:
                lines.append(Line(before, page, region_id))
                real = [w for w in real if w.x1 > min(t.x0 for t in pseudo)]
        for w in pseudo:
            k = table_items[id(w)]
            inside = [x for x in words if centre_in(x, outer[k].bbox)]
            cells = list(cell_groups(outer[k], nested[k], inside))
            around = [r for _, group in cells for r in _rows(group)]  # the table's other cells show its measures
            for box, group in cells:
                # columns inside a cell (two lists in one merged cell) are read one after the other
                parts = _cell_columns(group, min_gap, around)
                for n, part in enumerate(parts):
                    emit_cell(part, cell_room(box, group) if n == len(parts) - 1 else None)
        if real:
            lines.append(Line(real, page, region_id))

    visit(items, start_region)
    return lines, counter[0] + 1


def _cell_columns(words: list[Word], min_gap: float, context: Sequence[list[Word]] = ()) -> list[list[Word]]:
    """A cell's words split at gutters that run through the cell's whole height, left to right
    (``context``: the rows of the table's cells, whose justified lines show a cell's measure where
    its one full line is justified over a short last line, _gaps)."""
    cut = _vertical_cut(words, min_gap, context) if len(words) > 1 else None
    if cut is None:
        return [words]
    left = [w for w in words if (w.x0 + w.x1) / 2 < cut]
    right = [w for w in words if (w.x0 + w.x1) / 2 >= cut]
    return _cell_columns(left, min_gap, context) + _cell_columns(right, min_gap, context)
