"""Paragraph boundaries and block kinds, following the unit definition of the gold data.

A new paragraph starts at: a larger vertical gap than the line pitch of that font size (never much
looser, in proportion, than the body text's: headings one after another show only their spacing); a change
of font size; a bullet or list label (not a number wrapped to the start of a full line mid-sentence,
"Channel / 5."); a TOC entry; another table cell or form column (inside a cell or column the
same rules apply, with the cell rules of aligner.segmentation.tables and the form rules of
aligner.segmentation.forms first); a tick box; a field label ending in a colon that stopped short
(or is followed by another); a change
of indentation not caused by a picture; a switch between all-bold and all-regular lines; a line
after one that stopped short although the next word (with a footnote marker stuck to it) would
have fitted (unless a picture stood in the way, or the lines are a bold header centred in a table
cell). A contents entry wrapped over up to four lines, ending in leaders and a page number, is one
entry; an entry that fills its line may have no leaders, its page number where the other entries'
numbers end.
A paragraph goes on over a column or page break when the style is unchanged, the last line was
full and the sentence had not ended, or the new column's line sits at the text indent of a
numbered paragraph with a hanging number. Lines larger than the body text are headings; a heading
wrapped over lines (or over a column break) is one unit.
Where a tagged PDF's structure tree marks its paragraphs (aligner.pdf.structure), the tags decide what
the page cannot show, as the gold data's unit definition says: a full line that ends a sentence goes
on over a break in the same element, a line that ends its element stops before a capital, a table
row cut by a page break goes on where each cell's element does, and a line of the same element is
no new paragraph where it starts further right (a right-aligned label wrapped) or further left, where
the line before stopped short mid-sentence (a question wrapped at its answer boxes), or where it
starts with a number (a time wrapped to the start of a line).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from aligner.pdf.reader import PageContent
from aligner.records import Block, BlockKind
from aligner.segmentation.forms import form_rule
from aligner.segmentation.items import starts_numbered_item
from aligner.segmentation.layout import SAME_SIZE
from aligner.segmentation.lines import LineInfo, same_element
from aligner.segmentation.numbering import label_depth, label_kind
from aligner.segmentation.panels import loose_leading
from aligner.segmentation.stacks import mark_stacks
from aligner.segmentation.table_pages import join_split_rows
from aligner.segmentation.tables import VALUE_COLUMN_EM, cell_rule, hint_continues, right_under, split_word
from aligner.segmentation.textnorm import RUNS_ON_WORDS, SENTENCE_END, join_hyphenated

HEADING_RATIO = 1.15
"""A line this much larger than the body size is a heading."""
PARAGRAPH_EDGE_PT = 1.0
"""Two lines of one paragraph ending within this many points of each other end at its edge."""
CELL_EDGE_EM = 0.1
"""A line ends at its table cell's edge when it reaches within this many em of the cell's room (a word
broken for want of room fills it to within a fraction of a letter)."""
FIRST_LINE_INDENT_EM = 4.0
"""A paragraph's first line set in from the next by at most this many em is a first-line indent."""
INDENT_TOLERANCE_EM = 0.6
"""Starts of lines within this many em of each other are one indent (a line's first glyph, a quote or a
bracket move its start a little)."""
FOOTNOTE_RATIO = 0.95
"""Footnote text is set smaller than the body, by this share at least: Word's own styles put 10 pt notes
under 11 pt text (0.91), house styles 9 under 10 (0.9) or 10 under 12."""
CENTRE_TOLERANCE = 1.5
"""Points by which the middles of two lines of centred text may differ."""
BOLD_LINE_SHARE = 0.8
"""Share of a line's letters in bold for the line to count as bold (a bold heading, a header cell)."""
STRAY_MARKS = frozenset({".", ","})
"""A line that is only one of these (a stray full stop, often hidden under a drawn box) starts no unit."""
FIELD_LABEL_WORDS = 5
"""A line of at most this many words ending in a colon is a field label ("Date of birth:")."""
_NOTE_MARK = re.compile(r"\*+ ?\w")
"""An asterisk at the start of a line, before a word or a space and a word: the start of a note."""
PITCH_SLACK = 1.2
"""A size's line pitch is at most this much looser, in proportion to the size, than the body text's."""
TOC_NEIGHBOURS = 2
"""A page region with at least this many contents lines with leaders is a contents list."""
GAP_PITCH = 1.3
"""A line more than this many line pitches (plus a point) below the line before starts a paragraph."""
COLUMN_MIN_LINES = 3
"""A paragraph goes on into the next column of the same page only from a column of at least this many
lines: two short lines side by side with two others are cells of a grid (tick-box options), not a
column of text that filled up."""
COLUMN_EDGE_LINES = 3
"""The text of one size in a column (a form column, or a page region outside tables) ends where its
longest line ends when at least this many of its lines end within COLUMN_EDGE_EM of it: wrapped text
shows its own edge, which may lie well inside the region (questions beside answer boxes, while the
instructions run the full width) or a cell's padding short of where the next form column starts."""
COLUMN_EDGE_EM = 1.0
"""... (in ems of the body text's size)..."""
COLUMN_EDGE_WORDS = 4
"""... counting only lines of at least this many words: wrapped text, not a stack of short labels
(which end near each other too, and would run on)."""
MEASURE_SHARE = 0.5
"""A column's lines of one size show a justified measure inside it (a form's question column, set
justified beside its options, under instructions that run the full width) where at least
COLUMN_EDGE_LINES of them start at one x and end at another (each within PARAGRAPH_EDGE_PT; text
after a hanging number), their word gaps stretched by different amounts (MEASURE_STRETCH_PT), and
they are at least this share of the lines ending within COLUMN_EDGE_EM before it: justified lines
pile up at their edge, each stretched by what it lacks; ragged lines spread over the last word's
width, and they and right-aligned lines keep one plain word space. A line ending there is full
(``_short``)."""
MEASURE_STRETCH_PT = 0.5
"""... (the widest and the narrowest median word gap of those lines differ by more than this)."""
TAGS_SAME_SHARE = 0.3
"""A PDF's tags mark paragraphs when at least this share of successive lines of one column carry the
same structure element (not an element per line)..."""
TAGS_GAP_SHARE = 0.8
"""...and at least this share of successive lines set further apart than the line pitch (GAP_PITCH)
carry different ones (not one element for a whole page or document)."""
_OPENING = re.compile(r"^[\s(\[“‘\"']*")
"""Spaces, brackets and opening quotes before a line's first word."""
RUNS_ON_MIN_WORDS = 4
"""...counting only lines of at least this many words (a lone "or" between two tick boxes is an option)."""
LABEL_GAP_PITCH = 1.2
"""A field label (a few words ending in a colon) after a line that ends a sentence starts a unit when
it sits this many times the paragraph's own line pitch below it: the small extra space a form sets
before a label ("... definition." / "Definitions:"), less than a paragraph gap elsewhere."""
SENTENCE_GAP_PITCH = 1.2
"""A line that starts a sentence with a capital after a line that ends one starts a paragraph when it
sits this many times the paragraph's own line pitch below it, measured at the lines' tops and at their
feet (a raised or lowered glyph moves only one): a style that adds a few points after each paragraph
to loose leading (6 pt after 1.5-spaced lines) sets paragraphs less than GAP_PITCH apart."""
WORD_VOWELS = frozenset("aeiouwyáàâäéèêëíìîïóòôöúùûüẃẁŵẅýỳŷÿ")
"""Letters that carry a syllable in English and Welsh (w and y are vowels in Welsh): a word has one."""
ONE_LETTER_WORDS = frozenset("aioy")
"""The lower-case letters that are words on their own in English and Welsh ("a", "i", "o", "y")."""
BESIDE_OVERLAP = 0.5
"""Two lines side by side (no horizontal overlap) that share at least this share of the lower one's
height are never successive lines of one paragraph: a wrapped cell of a tick-box grid ends before the
option printed beside its second line."""
_BARE_TOC_TAIL = re.compile(
    r"(?:\s+[.…][\s.…]*|\s+)(\d{1,4}|[ivxlc]{1,6})$|(?:(?<=[^\W\d_])|(?<=[’”'\")\]])|(?<=[^\W\d_]\.))(\d{1,4})$"
    r"|(?<=[^\W\d_])\.\.(\d{1,4})$",
    re.IGNORECASE,
)
"""A page number ending a line with no leaders: after a space, after a remnant of leaders
(". .41"), or set tight against a word, a closing quote or a word's full stop ("propaganda’15",
"Backed Off.11"; not a decimal's point), or after the two leader dots that fitted ("Brexit..5")."""
_HYPH_WORD = re.compile(r"\b\w+-\w+\b")
_WORD = re.compile(r"\w+")
_HYPHEN_END = re.compile(r"\w[-\u2010\u2011]$")
"""A line that ends in a hyphen joined to its word: the word runs on at the start of the next line."""


@dataclass
class Stats:
    body_size: float
    pitch: dict[float, float]
    region_box: dict[tuple[int, int], tuple[float, float]]
    hyphenated: frozenset[str]
    joined: Counter
    """How often each word occurs in the document (line-end hyphens: aligner.segmentation.hyphens)."""
    images: dict[int, list[tuple[float, float, float, float]]]
    paragraph_tags: bool
    """The PDF's structure tags mark its paragraphs (TAGS_SAME_SHARE, TAGS_GAP_SHARE), so they can
    break ties the page cannot."""
    starts: dict[tuple[int, int], Counter]
    """How many lines of each column start at each x (left-aligned text shares its start)."""
    region_lines: Counter = field(default_factory=Counter)
    """How many lines each column (page, region) holds."""
    page_height: dict[int, float] = field(default_factory=dict)
    hanging_bullets: frozenset[int] = frozenset()
    """Bulleted lines (by id) of a list whose earlier items wrapped under their text, not under their
    bullet: a line under such an item's bullet is no wrapped line of it (``_hanging_bullets``)."""
    hanging_text: frozenset[int] = frozenset()
    """x (rounded) where the text of numbered paragraphs with a hanging number starts, seen twice or more."""
    column_edge: dict[tuple[int, int, int], dict[int, float]] = field(default_factory=dict)
    """Right edge of the wrapped text of each type size (rounded) in each column (page, region, form
    column or -1), where its lines show one (COLUMN_EDGE_LINES)."""
    text_edge: dict[tuple[int, int, int, int], float] = field(default_factory=dict)
    """Right edge of the wrapped lines whose text starts at one x (rounded) in each column (page,
    region, form column or -1, x), where they show one (COLUMN_EDGE_LINES): a ragged question column
    set narrower than the column's full-width paragraphs ends where its own lines end."""
    measures: dict[tuple[int, int, int, int], tuple[float, ...]] = field(default_factory=dict)
    """x where justified lines of each column and type size (page, region, form column or -1, size
    rounded) end together (MEASURE_SHARE), the widest and any inside it."""

    def line_pitch(self, size: float) -> float:
        return self.pitch.get(round(size), 1.2 * size + 2)


@dataclass
class Draft:
    lines: list[LineInfo] = field(default_factory=list)
    kind: BlockKind | None = None
    reason: str = "start"
    """Why this paragraph started (the boundary rule that fired), for debugging."""

    @property
    def first(self) -> LineInfo:
        return self.lines[0]


def _stats(pages: list[PageContent], infos: list[list[LineInfo]]) -> Stats:
    sizes: Counter = Counter()
    pitches: dict[float, list[float]] = defaultdict(list)
    box: dict[tuple[int, int], tuple[float, float]] = {}
    words: list[str] = []
    starts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    region_lines: Counter = Counter()
    ends: dict[tuple[int, int, int, int], list[float]] = defaultdict(list)
    """Right ends of the wrapped lines of each column and size (see column_edge)."""
    spans: dict[tuple[int, int, int, int], list[tuple[float, float, float]]] = defaultdict(list)
    """(text start, right end, median word gap) of the same lines (see measures)."""
    text_ends: dict[tuple[int, int, int, int], list[float]] = defaultdict(list)
    """Right ends of the same lines by where their text starts (see text_edge)."""
    hanging: Counter = Counter()
    for lines in infos:
        for a, b in pairwise(lines):
            if a.region == b.region and a.table_row is None and abs(a.size - b.size) < 0.5:
                p = b.top - a.top
                if 0.8 * a.size < p < 3 * a.size:
                    pitches[round(a.size)].append(p)
        for li in lines:
            if li.table_row is not None:
                continue
            sizes[round(li.size, 1)] += len(li.text)
            if label_kind(li.label) == "decimal" and li.text_x0 - li.x0 > INDENT_TOLERANCE_EM * li.size:
                hanging[round(li.text_x0)] += 1
            key = (li.page, li.region)
            region_lines[key] += 1
            for x in (round(li.x0) - 1, round(li.x0), round(li.x0) + 1):
                starts[key][x] += 1
            lo, hi = box.get(key, (li.x0, li.x1))
            if li.cell is not None and li.limit is not None:
                hi = max(hi, li.limit)  # a cell's text may fill it up to its ruling
            box[key] = (min(lo, li.x0), max(hi, li.x1))
            words.append(li.text)
            if li.cell is None and li.words >= COLUMN_EDGE_WORDS:  # per size: a wider paragraph in
                ends[li.page, li.region, _col(li), round(li.size)].append(li.x1)  # other type may share it
                spans[li.page, li.region, _col(li), round(li.size)].append((li.text_x0, li.x1, li.word_gap))
                text_ends[li.page, li.region, _col(li), round(li.text_x0)].append(li.x1)
    text = " ".join(words).lower()
    # the smallest common pitch is the line pitch; larger ones are paragraph spacing
    pitch = {s: _line_pitch(v) for s, v in pitches.items()}
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    body_pitch = pitch.get(round(body_size))
    if body_pitch:
        # a size whose lines never wrap (headings one after another) shows only the spacing between
        # them: no line pitch is much looser, in proportion to the size, than the body text's
        ratio = PITCH_SLACK * body_pitch / body_size
        pitch = {s: min(p, ratio * s) for s, p in pitch.items()}
    column_edge: dict[tuple[int, int, int], dict[int, float]] = defaultdict(dict)
    for (page, region, col, size), xs in ends.items():
        if (edge := _shown_edge(xs, body_size)) is not None:
            column_edge[page, region, col][size] = edge
    measures = {key: _measures(lines, body_size) for key, lines in spans.items()}
    text_edge = {key: edge for key, xs in text_ends.items() if (edge := _shown_edge(xs, body_size)) is not None}
    images = {
        pg.number: [b for b in pg.images if (b[2] - b[0]) * (b[3] - b[1]) < 0.4 * pg.width * pg.height] for pg in pages
    }
    st = Stats(
        body_size=body_size,
        pitch=pitch,
        region_box=box,
        hyphenated=frozenset(_HYPH_WORD.findall(text)),
        joined=Counter(_WORD.findall(text)),
        images=images,
        paragraph_tags=False,  # set below, from the line pitches
        starts=starts,
        region_lines=region_lines,
        column_edge=dict(column_edge),
        measures={key: xs for key, xs in measures.items() if xs},
        text_edge=text_edge,
        page_height={pg.number: pg.height for pg in pages},
        hanging_text=frozenset(x for x, n in hanging.items() if n >= 2),
        hanging_bullets=_hanging_bullets(infos),
    )
    st.paragraph_tags = _tags_mark_paragraphs(st, infos)
    return st


def _tags_mark_paragraphs(st: Stats, infos: list[list[LineInfo]]) -> bool:
    """The structure tags follow the paragraphs: successive lines of a column often share one
    (TAGS_SAME_SHARE) and lines set apart by more than the line pitch mostly do not (TAGS_GAP_SHARE)."""
    pairs = same = apart = apart_same = 0
    for lines in infos:
        for a, b in pairwise(lines):
            shared = same_element(a, b)
            if shared is None or (a.page, a.region) != (b.page, b.region):
                continue
            pairs += 1
            same += shared
            if _spaced_apart(st, a, b):
                apart += 1
                apart_same += shared
    return pairs > 0 and same >= TAGS_SAME_SHARE * pairs and apart - apart_same >= TAGS_GAP_SHARE * apart


def _line_pitch(values: list[float]) -> float:
    values = sorted(values)
    low = values[: max(1, len(values) // 2 + 1)]
    return median(low)


def _picture_beside(st: Stats, li: LineInfo, side: str) -> float | None:
    """The inner edge of a picture beside the line (text wraps round it), within about a line's height."""
    lo, hi = st.region_box.get((li.page, li.region), (li.x0, li.x1))
    pad = li.size
    edges = []
    for x0, top, x1, bottom in st.images.get(li.page, ()):
        if min(bottom + pad, li.bottom) - max(top - pad, li.top) <= 0:
            continue
        if side == "right" and x0 >= li.x1 - 2 and x0 < hi + 40:
            edges.append(x0)
        if side == "left" and x1 <= li.x0 + 2 and x1 > lo - 40:
            edges.append(-x1)
    if not edges:
        return None
    return abs(min(edges))


def _is_heading_line(st: Stats, li: LineInfo) -> bool:
    return li.size >= HEADING_RATIO * st.body_size


def _heads_toc(a: LineInfo, b: LineInfo) -> bool:
    """Line a, of the same size as the contents line b under it, is set bold where b is not: a heading
    over the contents ("Contents"), not the first line of a wrapped entry. (The type size alone says
    nothing here: where the body is small type, the whole contents list is heading-sized.)"""
    return a.bold_share >= BOLD_LINE_SHARE > b.bold_share


def _centred(st: Stats, li: LineInfo) -> bool:
    left, right = st.region_box.get((li.page, li.region), (li.x0, li.x1))
    ls, rs = li.x0 - left, right - li.x1
    return not li.bullet and ls > 2 and rs > 2 and abs(ls - rs) <= max(3.0, 0.08 * (ls + rs))


def _first_letter(li: LineInfo) -> str:
    """The line's first character after opening brackets and quotes ("" for an empty line)."""
    return li.text.lstrip("([“‘\"'")[:1]


def _leaves_centre(st: Stats, a: LineInfo, b: LineInfo) -> bool:
    """a is centred in its region, set in from its left edge by more than a first-line indent
    (FIRST_LINE_INDENT_EM), and b, starting with a capital, starts at the region's left edge without
    being centred: a centred title line over a flush-left heading or paragraph. Centred text wraps to
    centred lines; where the alignment changes, so does the unit."""
    if a.cell is not None or b.cell is not None or not _centred(st, a) or _centred(st, b):
        return False
    left, _ = st.region_box.get((b.page, b.region), (b.x0, b.x1))
    starts = _first_letter(b)
    return (
        a.x0 - left > FIRST_LINE_INDENT_EM * a.size
        and _near(b.x0, left)
        and (starts.isupper() or starts.isdigit())
        and not _ends_mid_phrase(a)
    )


def _centred_header(a: LineInfo, b: LineInfo) -> bool:
    """a and b are lines of one bold heading centred in a table cell (a column header wrapped over
    two lines, "AO1.1b" / "Max 10 marks"): centred lines stop short of the cell's edges by design,
    so a short line there is no forced break. Centred: the lines share their middle, not their start."""
    bold = min(a.bold_share, b.bold_share) >= BOLD_LINE_SHARE
    middles = abs((a.x0 + a.x1) - (b.x0 + b.x1)) / 2
    return a.cell is not None and bold and middles <= CENTRE_TOLERANCE and not _near(a.x0, b.x0)


def _near(x: float, y: float) -> bool:
    return abs(x - y) <= 1.5


def _left_aligned(st: Stats, d: Draft | None, a: LineInfo, b: LineInfo) -> bool:
    """Line a starts at the column edge, or where a neighbouring line starts (not centred/ragged), or
    it is a paragraph's first line set in by a first-line indent, the next line at the edge."""
    left, _ = st.region_box.get((a.page, a.region), (a.x0, a.x1))
    if a.bullet or a.list_label or _near(a.x0, left) or _near(a.x0, b.x0):
        return True
    if d is None:
        return False
    if d.first is a and a.x0 > b.x0 and _first_line_indent(d, a, b) and _near(b.x0, left):
        return True
    return (d.first is not a and _near(d.first.text_x0, a.x0)) or any(
        _near(li.x0, a.x0) for li in d.lines if li is not a
    )


def _first_line_indent(d: Draft, a: LineInfo, b: LineInfo) -> bool:
    """a is the paragraph's only line so far, set in from b by at most FIRST_LINE_INDENT_EM: a
    first-line indent, not a change of indentation."""
    first = d.first
    return (
        len(d.lines) == 1 and not first.bullet and not first.list_label and a.x0 - b.x0 <= FIRST_LINE_INDENT_EM * a.size
    )


def _spaced_apart(st: Stats, a: LineInfo, b: LineInfo) -> bool:
    """b sits further below a than the document's line spacing allows (GAP_PITCH)."""
    return b.top - a.top > GAP_PITCH * st.line_pitch(a.size) + 1


def _ran_past(d: Draft, a: LineInfo, limit: float) -> bool:
    """An earlier line of the paragraph, in a's column, ran on past ``limit``: the paragraph spans the
    form's column edge there (full-width text above a grid of options), so that edge does not bound it."""
    return any(li.x1 > limit for li in d.lines if li is not a and (li.page, li.region) == (a.page, a.region))


def _shown_edge(ends: list[float], body_size: float) -> float | None:
    """Where wrapped lines ending at ``ends`` show their edge: the longest one's end, where at least
    COLUMN_EDGE_LINES of them end within COLUMN_EDGE_EM of it."""
    edge = max(ends)
    return edge if sum(1 for x in ends if x >= edge - COLUMN_EDGE_EM * body_size) >= COLUMN_EDGE_LINES else None


def _measures(spans: list[tuple[float, float, float]], body_size: float) -> tuple[float, ...]:
    """The x where lines spanning ``spans`` (text start, right end, median word gap) end together as
    justified lines do (MEASURE_SHARE)."""
    out: list[float] = []
    for x in sorted(end for _, end, _ in spans):
        if out and x - out[-1] <= PARAGRAPH_EDGE_PT:
            continue
        at = [(start, gap) for start, end, gap in spans if abs(end - x) <= PARAGRAPH_EDGE_PT]
        near = sum(1 for _, end, _ in spans if x - COLUMN_EDGE_EM * body_size <= end <= x + PARAGRAPH_EDGE_PT)
        if len(at) < MEASURE_SHARE * near:
            continue
        for start, _ in at:
            gaps = [gap for y, gap in at if abs(y - start) <= PARAGRAPH_EDGE_PT]
            if len(gaps) >= COLUMN_EDGE_LINES and max(gaps) - min(gaps) > MEASURE_STRETCH_PT:
                out.append(x)
                break
    return tuple(out)


def _at_measure(st: Stats, a: LineInfo) -> bool:
    """Line a ends where justified lines of its column and size end together (``Stats.measures``)."""
    return any(
        abs(a.x1 - x) <= PARAGRAPH_EDGE_PT for x in st.measures.get((a.page, a.region, _col(a), round(a.size)), ())
    )


def _short(st: Stats, d: Draft | None, a: LineInfo, b: LineInfo) -> bool:
    """Line a stopped although b's first word would have fitted after it (or, centred, beside it); not
    where an earlier line of the paragraph starts and ends where a does (PARAGRAPH_EDGE_PT; its text
    after a hanging number): both edges shared are the paragraph's own measure, full (justified text
    in a form's question column, which the column's full-width paragraphs make look narrow).
    Right-aligned lines share only their ends. Nor where a ends at a measure its column's justified
    lines show (``_at_measure``)."""
    if _at_measure(st, a):
        return False
    if d is not None and any(
        li is not a
        and (li.page, li.region) == (a.page, a.region)
        and abs(li.x1 - a.x1) <= PARAGRAPH_EDGE_PT
        and min(abs(li.x0 - a.x0), abs(li.text_x0 - a.x0)) <= PARAGRAPH_EDGE_PT
        for li in d.lines
    ):
        return False
    left, right = st.region_box.get((a.page, a.region), (a.x0, a.x1))
    if a.limit is not None and b.x1 <= a.limit and not (d is not None and _ran_past(d, a, a.limit)):
        right = min(right, a.limit)  # a form column ends where the next one starts (unless b runs past it)
    if a.cell is None and a.table_row is None:  # or where its wrapped lines show its edge
        right = min(right, _column_edge(st, a) or right)
    if a.form_col is not None:  # a form's question column ends where its own lines end
        right = min(right, _text_edge(st, a) or right)
    picture = _picture_beside(st, a, "right")
    if picture is not None:
        right = min(right, picture - 0.5 * a.size)
    slack = right - a.x1
    if picture is None and not _left_aligned(st, d, a, b) and _picture_beside(st, a, "left") is None:
        slack += a.x0 - left
    return slack > a.space + b.first_word_width + 0.5


def _numbered_sentence(li: LineInfo) -> bool:
    """The line starts with a section number and a capitalised word ("1.14 Meanwhile"), not a
    reference that wrapped ("paragraph" / "2.14 of the report")."""
    if not li.label or label_kind(li.label) != "decimal":
        return False
    return _OPENING.sub("", li.text[len(li.label) :], count=1)[:1].isupper()


def _col(li: LineInfo) -> int:
    return -1 if li.form_col is None else li.form_col


def _column_edge(st: Stats, a: LineInfo) -> float | None:
    """Where the wrapped text of a's size ends in a's column; for a size too rare there to show an edge
    (a hint in small type under a question), the nearest edge of a larger size in the column."""
    edges = st.column_edge.get((a.page, a.region, _col(a)), {})
    own = edges.get(round(a.size))
    if own is not None:
        return own
    larger = [(size, x) for size, x in edges.items() if size > a.size]
    return min(larger)[1] if larger else None


def _text_edge(st: Stats, a: LineInfo) -> float | None:
    """Where the wrapped lines whose text starts where a's text starts end (``Stats.text_edge``)."""
    x = round(a.text_x0)
    edges = [e for k in (x - 1, x, x + 1) if (e := st.text_edge.get((a.page, a.region, _col(a), k))) is not None]
    return max(edges) if edges else None


def _in_column(d: Draft, a: LineInfo) -> list[LineInfo]:
    """The paragraph's lines in a's column (page and region): its own spacing and indents there."""
    return [li for li in d.lines if (li.page, li.region) == (a.page, a.region)]


def _opens_gap(st: Stats, d: Draft, a: LineInfo, b: LineInfo) -> bool:
    """b sits lower under a than the paragraph's own lines sit under each other, by LABEL_GAP_PITCH
    (the document's line pitch for a's size where the paragraph has one line so far)."""
    column = _in_column(d, a)
    own = [p for p in (y.top - x.top for x, y in pairwise(column)) if p > 0]
    pitch = median(own) if own else st.line_pitch(a.size)
    return b.top - a.top > LABEL_GAP_PITCH * pitch


def _sentence_gap(d: Draft, a: LineInfo, b: LineInfo) -> bool:
    """a ends a sentence, b starts one with a capital, and b sits lower under a than the paragraph's
    own lines (two at least in this column) sit under each other, by SENTENCE_GAP_PITCH at the tops and
    at the feet: the few points a style adds after each paragraph."""
    if not SENTENCE_END.search(a.text) or not _first_letter(b).isupper():
        return False
    column = _in_column(d, a)
    tops = [y.top - x.top for x, y in pairwise(column)]
    feet = [y.bottom - x.bottom for x, y in pairwise(column)]
    if not tops or min(tops) <= 0 or min(feet) <= 0:
        return False
    return b.top - a.top > SENTENCE_GAP_PITCH * max(tops) and b.bottom - a.bottom > SENTENCE_GAP_PITCH * max(feet)


def _ends_mid_phrase(li: LineInfo) -> bool:
    """A line of running text that ends in an article, preposition or conjunction (RUNS_ON_WORDS):
    the sentence goes on, however short the line (a hard return before a capitalised name)."""
    words = li.text.split()
    return len(words) >= RUNS_ON_MIN_WORDS and words[-1] in RUNS_ON_WORDS


def _ends_in_word(li: LineInfo) -> bool:
    """The line ends in a lower-case word or a comma (inside closing quotes too: 'his life,"'):
    mid-sentence, not after a title, an address or a closing bracket."""
    last = li.text.rsplit(" ", 1)[-1].rstrip("\"'”’")
    return last.endswith(",") or (last.isalpha() and last.islower())


def _field_label(li: LineInfo) -> bool:
    """A few words ending in a colon: a form's field label ("Date of birth:")."""
    return li.text.endswith(":") and li.words <= FIELD_LABEL_WORDS


def _beside(a: LineInfo, b: LineInfo) -> bool:
    """Line b sits beside line a, not under it (see BESIDE_OVERLAP)."""
    if a.page != b.page or _share_x(a, b):
        return False
    shared = min(a.bottom, b.bottom) - max(a.top, b.top)
    return shared >= BESIDE_OVERLAP * min(a.bottom - a.top, b.bottom - b.top)


def _boundary(st: Stats, d: Draft, a: LineInfo, b: LineInfo) -> str | None:
    """Why line b starts a new paragraph after line a (None: it continues the paragraph)."""
    if len(d.lines) == 1 and a.text in STRAY_MARKS and a.page == b.page:
        return None  # a full stop alone on a line (hidden under a box) is no unit: it goes with what follows
    if a.cell != b.cell:
        return "cell"
    if _beside(a, b):
        return "beside"
    if a.cell is not None:
        lo, hi = st.region_box.get((a.page, a.region), (a.x0, a.x1))
        decided = cell_rule(a, b, hi - lo)
        if decided == "join":
            return None
        if decided:
            return decided
    if b.checkbox:
        return "checkbox"
    if a.answer_box is not None and b.answer_box is not None and a.answer_box != b.answer_box:
        return "field"  # labels of two answer boxes (a label wrapped beside one box stays whole)
    if _field_label(a) and b.text[:1].isupper() and (_short(st, d, a, b) or _field_label(b)):
        return "colon"  # a form's field label ends its line: what follows is another unit (a full line wrapped)
    if a.form_col is None and _field_label(a) and hint_continues(a, b):
        return None  # a field label's bracketed hint right under it, also where no form columns were cut
    if a.form_col is not None:
        decided = form_rule(a, b)
        if decided == "hint" or _label_note(st, d, a, b):
            return None
        if decided:
            return decided
    if b.toc_cont:
        return None
    if (
        b.toc
        and not any(li.toc for li in d.lines)
        and a.size == b.size
        and not _heads_toc(a, b)
        and (
            d.reason == "table/toc"
            or not _short(st, d, a, b)
            or (not SENTENCE_END.search(a.text) and b.text.lstrip("‘“'\"(")[:1].islower())
        )
    ):
        return None  # a contents entry wrapped over two lines: the page number ends the second
    if a.table_row is not None or b.table_row is not None or a.toc or b.toc:
        return "table/toc"
    if a.zone != b.zone:
        return "zone"
    if b.stack_cont:
        return None  # a line of an address block (segmentation.stacks)
    if b.dash_text and not a.dash_text and not SENTENCE_END.search(a.text) and _dash_runs_on(st, d, a, b):
        pass  # a dash that wrapped to the start of a line inside a sentence, not a list bullet
    elif b.list_label and _wrapped_number(st, d, a, b):
        pass  # "Channel 5." or "Roe v. Wade" wrapped to the start of a line, not a list label
    elif b.bullet or b.list_label:
        return "bullet"
    elif _NOTE_MARK.match(b.text):
        return "note"  # "*if there are ...": an asterisk note starts a line of its own, like a bullet
    if b.zone == a.zone == "body" and starts_numbered_item(d.first, a, b) and not _same_tag(st, a, b):
        return "number"  # (a number that starts a line inside its element is the sentence's: "at / 11.15")
    if b.zone == "footnote":
        return "footnote" if (b.lead_marker or re.match(r"\d{1,3}\s", b.text)) else None
    if abs(a.size - b.size) > 0.12 * max(a.size, b.size):
        return "size"
    if (a.page, a.region) != (b.page, b.region):
        return None if _continues(st, d, a, b) else "column"
    pitch = b.top - a.top
    if pitch < 0 or (
        _spaced_apart(st, a, b) and not loose_leading(d.lines, a, b, st.line_pitch(a.size), _short(st, d, a, b))
    ):
        return "gap"
    if _field_label(b) and SENTENCE_END.search(a.text) and _opens_gap(st, d, a, b):
        return "colon"  # a field label after a finished sentence, set off by a little extra space
    if _sentence_gap(d, a, b):
        return "gap"
    if _leaves_centre(st, a, b):
        return "align"
    if _is_heading_line(st, a):  # a number after a line that ends mid-phrase is the sentence's ("... of / 16.5")
        return "label" if b.label and label_kind(b.label) != "bare" and not _ends_mid_phrase(a) else None
    if a.last_bold != b.first_bold and abs(a.bold_share - b.bold_share) >= 0.6:
        return "weight"
    starts = _first_letter(b)
    if (
        _short(st, d, a, b)
        and not _centred_header(a, b)
        and (
            SENTENCE_END.search(a.text)
            or starts.isupper()
            or (a.cell is not None and starts.isdigit())
            or _numbered_sentence(b)  # "1.14 Meanwhile ..." after a short option "No"
        )
        and not _ends_mid_phrase(a)
        and not (_same_tag(st, a, b) and _ends_in_word(a))
    ):
        return "short"  # (a forced line break in mid-sentence is never a boundary, nor one inside an element)
    if _same_tag(st, a, b) is False and SENTENCE_END.search(a.text) and b.text[:1].isupper():
        return "tagged"  # the page cannot show it; the PDF's own paragraph tags decide
    if (
        not _left_aligned(st, d, a, b)
        or _centred(st, b)
        or _picture_beside(st, a, "right") is not None
        or _picture_beside(st, b, "right") is not None
    ):
        return None
    tol = INDENT_TOLERANCE_EM * a.size
    column = _in_column(d, a)
    if column[0] is not d.first:
        expected = column[0].x0  # continued from another column: its lines start at this column's edge
    else:
        expected = a.x0 if len(d.lines) > 1 else d.first.text_x0
    if b.x0 > expected + tol:
        if _picture_beside(st, b, "left") is not None or _same_tag(st, a, b) or _right_aligned_wrap(a, b):
            return None  # text wrapped round a picture; or a right-aligned label's second line
        return "indent"
    if (
        len(d.lines) == 1
        and (d.first.bullet or d.first.list_label)
        and abs(b.x0 - d.first.x0) <= tol
        and id(d.first) not in st.hanging_bullets
    ):
        return None  # list item wrapped back under its bullet (in a list that does not hang)
    if b.x0 < expected - tol:
        if _first_line_indent(d, a, b):
            return None
        if _picture_beside(st, a, "left") is not None or _same_tag(st, a, b):
            return None  # a's start was pushed right by a picture; or b goes on in a's element
        return "outdent"
    return None


def _right_aligned_wrap(a: LineInfo, b: LineInfo) -> bool:
    """b, set in from a, ends where a ends (PARAGRAPH_EDGE_PT), both short lines (fewer than
    COLUMN_EDGE_WORDS words) and a ending no sentence: a label set flush right beside its box, wrapped
    ("National Insurance" / "number"), not a paragraph's indented first line, which runs on."""
    return (
        a.cell is None
        and abs(a.x1 - b.x1) <= PARAGRAPH_EDGE_PT
        and max(a.words, b.words) < COLUMN_EDGE_WORDS
        and not SENTENCE_END.search(a.text)
        and any(c.isalpha() for c in a.text)
        and any(c.isalpha() for c in b.text)
    )


def _hanging_bullets(infos: list[list[LineInfo]]) -> frozenset[int]:
    """Bulleted lines whose list hangs: an earlier item of the same run of items, in the same column,
    went on in its next line under its text, right of its bullet. A first-line indent after such a
    list may fall where the bullets stand, and is no wrapped line of the last item. Any other line
    ends the run, a line under a bullet too (wrapped back, or the next paragraph: it shows no hang)."""
    out = set()
    for lines in infos:
        hangs: dict[tuple[int, int], bool] = {}
        item: dict[tuple[int, int], LineInfo] = {}
        for li in lines:
            col = (li.page, li.region)
            if li.bullet:
                hangs.setdefault(col, False)
                if hangs[col]:
                    out.add(id(li))
                item[col] = li
                continue
            first = item.get(col)
            tol = INDENT_TOLERANCE_EM * li.size
            if first is not None and li.x0 > first.x0 + tol and abs(li.x0 - first.text_x0) <= tol and not li.list_label:
                hangs[col] = True
            else:
                hangs.pop(col, None)
                item.pop(col, None)
    return frozenset(out)


def _label_note(st: Stats, d: Draft, a: LineInfo, b: LineInfo) -> bool:
    """In a form column, a note in footnote-size type right under a label in body type with no closing
    punctuation belongs to the label ("Any other income" / "For example ..." / "(Do not include ...)"),
    all of it while it stays in its own type."""
    f = d.first
    if _is_heading_line(st, f) or not b.size < FOOTNOTE_RATIO * st.body_size <= f.size:
        return False
    if b.bullet or b.list_label or b.label or _NOTE_MARK.match(b.text) or not right_under(a, b):
        return False
    return not SENTENCE_END.search(a.text) if a is f else abs(a.size - b.size) < 0.5


def _dash_runs_on(st: Stats, d: Draft, a: LineInfo, b: LineInfo) -> bool:
    """After body text, a dash at the start of a line is one that wrapped; after a heading line only
    when b is set in the heading's size and the heading's line was full ("... Rwsia / - Ysgrifennydd
    Cartref"): a list in body type, or after a short heading line, starts with it."""
    if not _is_heading_line(st, a):
        return True
    return abs(a.size - b.size) < 0.5 and not _short(st, d, a, b)


def _wrapped_number(st: Stats, d: Draft, a: LineInfo, b: LineInfo) -> bool:
    """A list label mid-sentence: inside a paragraph that is not a list item, the line before ends
    in a word with no punctuation, or in a hyphen joined to its word ("1-" / "0. He ..."), and was
    full, and b starts where it did, with no gap."""
    if d.first.bullet or d.first.list_label or b.bullet or not (a.text[-1:].isalnum() or _HYPHEN_END.search(a.text)):
        return False
    if (a.page, a.region) != (b.page, b.region) or abs(a.size - b.size) > 0.5 or _is_heading_line(st, a):
        return False
    return b.top > a.top and not _spaced_apart(st, a, b) and _near(a.x0, b.x0) and not _short(st, d, a, b)


def _continues(st: Stats, d: Draft, a: LineInfo, b: LineInfo) -> bool:
    """A paragraph broken by a column or page break: same style, full last line, and the sentence
    had not ended or b sits where the paragraph's text hangs after its number.

    A closing quote or bracket alone does not end a sentence (`... called "Hans"` runs on). A
    heading goes on in its own size, unnumbered, with a lower-case word or from the foot of a
    column (typesetters keep a heading with the text after it, so it never ends a column).
    Where the PDF's tags mark paragraphs (Stats.paragraph_tags), they decide what the page cannot
    show: a line that ends a sentence on a full line goes on in the same element, and a line that
    does not ends its element before one that starts with a capital."""
    same_tag = _same_tag(st, a, b)
    if _is_heading_line(st, a):
        foot = a.bottom >= 0.75 * st.page_height.get(a.page, 842.0)
        return (
            abs(a.size - b.size) < 0.5
            and abs(a.bold_share - b.bold_share) <= 0.5
            and not b.label
            and not SENTENCE_END.search(a.text)
            and (b.text[:1].islower() or (foot and same_tag is not False))
        )
    if abs(a.bold_share - b.bold_share) > 0.5:
        return False
    if _short(st, d, a, b) or (a.page == b.page and st.region_lines[a.page, a.region] < COLUMN_MIN_LINES):
        return False
    if a.page == b.page and _spaced_apart(st, a, b):
        return False  # a block of the page set lower down after a gap, not the next column's top
    if b.text[:1].islower():
        return True
    if same_tag is not None:
        return same_tag
    return not SENTENCE_END.search(a.text) or _under_hanging_text(st, d, b)


def _same_tag(st: Stats, a: LineInfo, b: LineInfo) -> bool | None:
    """Whether a ends in the structure element b starts in; None where the tags do not tell."""
    return same_element(a, b) if st.paragraph_tags else None


def _under_hanging_text(st: Stats, d: Draft, b: LineInfo) -> bool:
    """In numbered paragraphs with a hanging number (``2.14`` in the margin, text indented), a
    paragraph starts with its number at the column edge; an unnumbered line at the text indent
    of the new column continues the paragraph. The new column shows both positions, or holds
    nothing left of b, which starts where numbered paragraphs' text starts elsewhere."""
    f = d.first
    tol = INDENT_TOLERANCE_EM * f.size
    hang = f.text_x0 - f.x0
    if not f.label or f.bullet or f.list_label or hang <= tol or b.label or b.bullet:
        return False
    left_f, _ = st.region_box.get((f.page, f.region), (f.x0, f.x1))
    left_b, _ = st.region_box.get((b.page, b.region), (b.x0, b.x1))
    if not _near(f.x0, left_f):
        return False
    if _near(b.x0, left_b):
        return any(abs(b.x0 - x) <= 1.5 for x in st.hanging_text) and any(
            abs(f.text_x0 - x) <= 1.5 for x in st.hanging_text
        )
    return abs((b.x0 - left_b) - hang) <= tol


def _mark_footnotes(st: Stats, infos: list[list[LineInfo]]) -> None:
    """Small-type lines at the bottom of a page, starting with a number, are footnotes. They sit below
    all the body text and tables of their column (the lines they share any x with: a page set in two
    columns has its notes at the foot of each): a small caption above a table is no footnote."""
    for lines in infos:
        body = [
            li
            for li in lines
            if li.table_row is not None or li.cell is not None or li.size >= FOOTNOTE_RATIO * st.body_size
        ]
        tail = [
            li
            for li in lines
            if li.table_row is None
            and li.cell is None
            and li.size < FOOTNOTE_RATIO * st.body_size
            and all(b.bottom <= li.top + 1 for b in body if _share_x(b, li))
        ]
        if tail and any(li.lead_marker or re.match(r"\d{1,3}\s", li.text) for li in tail):
            for li in tail:
                li.zone = "footnote"


def _share_x(a: LineInfo, b: LineInfo) -> bool:
    """The two lines overlap in x: one is above the other in a column."""
    return a.x0 < b.x1 and b.x0 < a.x1


def _mark_bare_toc_lines(lines: list[LineInfo]) -> None:
    """A contents entry that fills its line gets no leaders (or a remnant of them) before its page
    number: next to a contents line of the same column, a line ending in a number right where the
    contents lines' page numbers end is an entry too."""
    by_region: defaultdict[tuple[int, int], list[LineInfo]] = defaultdict(list)
    for li in lines:
        if li.table_row is None and li.zone == "body":
            by_region[(li.page, li.region)].append(li)
    for column in by_region.values():
        leadered = [li for li in column if li.toc]
        if len(leadered) < TOC_NEIGHBOURS:
            continue
        edge = median(li.x1 for li in leadered)
        size = median(li.size for li in leadered)
        for k, li in enumerate(column):
            m = _BARE_TOC_TAIL.search(li.text)
            if li.toc or not m or not _near(li.x1, edge) or abs(li.size - size) > SAME_SIZE:
                continue
            if not any(0 <= j < len(column) and column[j].toc for j in (k - 1, k + 1)):
                continue
            li.text = f"{li.text[: m.start()].rstrip()} {m.group(1) or m.group(2) or m.group(3)}"
            li.toc = True


def _mark_toc_wraps(st: Stats, lines: list[LineInfo], most: int = 3) -> None:
    """Contents entries wrap before the page-number column, so their lines stop short: the lines
    before a line with leaders and page number, up to the entry's number (or the previous entry,
    a gap or a size change), none set left of the entry's first line, are one entry."""
    for k, li in enumerate(lines):
        if not li.toc or li.label or li.bullet:
            continue
        j = k
        while j > 0 and k - j <= most:
            p, c = lines[j - 1], lines[j]
            if (
                p.toc
                or p.table_row is not None
                or p.zone != c.zone
                or (p.page, p.region) != (c.page, c.region)
                or abs(p.size - c.size) > 0.5
                or _heads_toc(p, c)
                or not c.top > p.top
                or _spaced_apart(st, p, c)
            ):
                break
            j -= 1
            if p.label or p.bullet:
                break
        if j == k or k - j > most:
            continue
        start = lines[j]
        if all(c.x0 >= start.x0 - INDENT_TOLERANCE_EM * start.size for c in lines[j + 1 : k + 1]):
            for c in lines[j + 1 : k + 1]:
                c.toc_cont = True


def _kind(st: Stats, d: Draft) -> BlockKind:
    f = d.first
    if f.table_row is not None:
        return BlockKind.TABLE_ROW
    if any(li.toc for li in d.lines):
        return BlockKind.TOC_ENTRY
    if f.cell is not None or (f.piece and not _is_heading_line(st, f)):
        return BlockKind.TABLE_CELL  # a ruled cell, or a piece of an unruled table or form row
    if f.zone == "footnote":
        return BlockKind.FOOTNOTE
    n_words = sum(li.words for li in d.lines)
    if _is_heading_line(st, f) and n_words <= 40 and not f.bullet:
        return BlockKind.HEADING
    if f.bullet or f.list_label:
        return BlockKind.LIST_ITEM
    kind = label_kind(f.label)
    if kind in ("named:table", "named:figure") and n_words <= 40:
        return BlockKind.CAPTION
    text = d.lines[-1].text
    bold = all(li.bold_share >= BOLD_LINE_SHARE for li in d.lines)
    if bold and n_words <= 15 and len(d.lines) <= 2 and not re.search(r"[.,;]$", text):
        return BlockKind.HEADING
    return BlockKind.PARAGRAPH


def _narrow(st: Stats, li: LineInfo) -> bool:
    lo, hi = st.region_box.get((li.page, li.region), (li.x0, li.x1))
    return hi - lo < VALUE_COLUMN_EM * li.size


def _word_wider_than_cell(li: LineInfo, more: str) -> bool:
    """A table cell's line that is one word reaching the edge of the cell's room (within
    CELL_EDGE_EM), the next line going on in lower case: a word too wide for its cell, broken where
    the cell ended, with no hyphen ("Llywodraeth" / "u"). Text wrapped at a space ends where its last
    word ends, short of the edge but by chance."""
    word = li.text.strip()
    if li.cell is None or li.limit is None or " " in word or not word.isalpha():
        return False
    return li.x1 >= li.limit - CELL_EDGE_EM * li.size and more[:1].islower() and more.split()[0].isalpha()


def _word_tail(li: LineInfo, more: str) -> bool:
    """A form or table line that is one word, the next line starting with lower-case letters that
    cannot be a word of their own (no vowel, WORD_VOWELS, or one letter not in ONE_LETTER_WORDS): the
    end of a word too wide for its narrow column, broken with no hyphen ("Wythnoso" / "l",
    "Safeguardin" / "g"), where no ruling shows the column's edge."""
    word = li.text.strip()
    tail = re.match(r"[^\W\d_]+(?=[\s.,;:!?)’”]|$)", more)
    if (li.cell is None and li.form_col is None) or not word.isalpha() or tail is None:
        return False
    frag = tail.group()
    return frag.islower() and (not set(frag) & WORD_VOWELS or (len(frag) == 1 and frag not in ONE_LETTER_WORDS))


def _join(st: Stats, lines: list[LineInfo]) -> str:
    text = lines[0].text
    for prev, li in pairwise(lines):
        more = li.dash_text or li.text  # a dash inside the paragraph is text, not a bullet
        if (
            prev.soft_break
            or (prev.cell is not None and _narrow(st, prev) and split_word(text, more, st.joined))
            or _word_wider_than_cell(prev, more)
            or _word_tail(prev, more)
        ):
            text = text + more
        else:
            text = join_hyphenated(text, more, st.hyphenated, st.joined)
    return text


def _add_line(st: Stats, current: Draft | None, line: LineInfo, out: list[Draft]) -> Draft:
    """Continue ``current`` with ``line``, or start (and append to ``out``) a new paragraph at a boundary."""
    reason = "start" if current is None else _boundary(st, current, current.lines[-1], line)
    if not reason and current is not None:
        current.lines.append(line)
        return current
    started = Draft([line], reason=reason or "start")
    out.append(started)
    return started


def draft_paragraphs(pages: list[PageContent], infos: list[list[LineInfo]]) -> tuple[Stats, list[Draft]]:
    """Group the lines of all pages (in reading order) into paragraphs, each footnote after the
    paragraph that cites it."""
    st = _stats(pages, infos)
    _mark_footnotes(st, infos)
    join_split_rows(infos, st.paragraph_tags)
    for lines in infos:
        _mark_bare_toc_lines(lines)
        _mark_toc_wraps(st, lines)
    mark_stacks(infos, st.line_pitch, st.region_box)
    drafts: list[Draft] = []
    notes: list[Draft] = []
    cur: Draft | None = None
    cur_note: Draft | None = None
    columns: dict[int, Draft] = {}
    """The open paragraph of each column of the form region being read (forms.split_form_columns)."""
    form_region: int | None = None
    """Region ids are unique across pages; lines carried over a page break keep their row's region."""
    for lines in infos:
        if cur_note is not None and not _note_runs_on(cur_note, lines):
            cur_note = None
        for li in lines:
            if li.zone == "footnote":
                cur_note = _add_line(st, cur_note, li, notes)
            elif li.form_col is not None:
                if form_region != li.region:
                    form_region, columns = li.region, {}
                # each column is a paragraph stream of its own; paragraphs are output in the order
                # they start (row by row, left to right); the label column may continue the text before
                start = columns.get(li.form_col, cur if li.form_col == 0 else None)
                cur = columns[li.form_col] = _add_line(st, start, li, drafts)
            else:
                cur = _add_line(st, cur, li, drafts)
    drafts = _hints_with_their_question(st, drafts)
    for d in drafts + notes:
        d.kind = _kind(st, d)
    return st, _place_notes(drafts, notes)


def _hints_with_their_question(st: Stats, drafts: list[Draft]) -> list[Draft]:
    """A form's paragraphs come out in the order they start, row by row; but a hint set under a
    question (right under its last line, starting within it), in type smaller than the body's and
    than the question's, is part of the question's cell: it comes straight after the question,
    before the options beside it."""
    out: list[Draft] = []
    last_first_col: int | None = None
    """Index in ``out`` of the latest paragraph of the current form region's first column."""
    for d in drafts:
        f = d.first
        if last_first_col is not None and (f.page, f.region) != (
            out[last_first_col].first.page,
            out[last_first_col].first.region,
        ):
            last_first_col = None
        if f.form_col != 0:
            out.append(d)
            continue
        if last_first_col is not None:
            above = out[last_first_col].lines[-1]
            under = above.x0 - 1 <= f.x0 < above.x1 and not _spaced_apart(st, above, f)
            if under and f.size < min(above.size, st.body_size) - SAME_SIZE:
                last_first_col += 1
                out.insert(last_first_col, d)
                continue
        out.append(d)
        last_first_col = len(out) - 1
    return out


def _note_runs_on(note: Draft, lines: list[LineInfo]) -> bool:
    """A footnote that ended mid-sentence at the foot of a page may run on at the foot of the next
    (word processors carry long notes over); an unnumbered first note line there continues it."""
    last = note.lines[-1]
    return bool(lines) and lines[0].page == last.page + 1 and not SENTENCE_END.search(last.text)


def note_label(d: Draft) -> str | None:
    f = d.first
    if f.lead_marker:
        return f.lead_marker
    m = re.match(r"(\d{1,3})\s", f.text)
    return m.group(1) if m else None


def _place_notes(drafts: list[Draft], notes: list[Draft]) -> list[Draft]:
    """Each footnote goes right after the paragraph that cites it, several in label order; a note
    whose marker is in no paragraph stays at the end of its page.

    Page breaks fall at different places in the two editions, so "end of the page" puts a note at a
    different point of each reading order; after its citing paragraph it is at the same point in
    both. (The generated benchmark pairs of devtools.synth use the same convention.)
    """
    after: defaultdict[int, list[Draft]] = defaultdict(list)
    orphans: list[Draft] = []
    cited = _citations(drafts)
    for note in notes:
        i = _citing(cited, note)
        (orphans if i is None else after[i]).append(note)
    orphans.sort(key=lambda d: d.first.page)
    out: list[Draft] = []
    k = 0
    for i, d in enumerate(drafts):
        while k < len(orphans) and orphans[k].first.page < d.first.page:
            out.append(orphans[k])
            k += 1
        out.append(d)
        out.extend(sorted(after.get(i, ()), key=_note_order))
    return out + orphans[k:]


def _citations(drafts: list[Draft]) -> dict[str, list[tuple[int, int]]]:
    """Footnote label -> (paragraph index, page of the marker) for every marker, in reading order."""
    out: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, d in enumerate(drafts):
        for li in d.lines:
            for r in li.refs:
                out[_norm_label(r)].append((i, li.page))
    return out


def _citing(cited: dict[str, list[tuple[int, int]]], note: Draft) -> int | None:
    """The paragraph citing ``note``: marker on the note's page, else on the page before (a long note
    runs on), else on the page after (a paragraph running over a page break may have its note at
    the foot of its first page)."""
    label = note_label(note)
    if label is None:
        return None
    page = note.first.page
    hits = cited.get(_norm_label(label), [])
    for want in (page, page - 1, page + 1):
        for i, marker_page in hits:
            if marker_page == want:
                return i
    return None


def _norm_label(label: str) -> str:
    return label.strip().lstrip("0") or label.strip()


def _note_order(d: Draft) -> tuple[int, int, str]:
    label = note_label(d) or ""
    return d.first.page, int(label) if label.isdigit() else 10**9, label


def build_blocks(pages: list[PageContent], infos: list[list[LineInfo]]) -> list[Block]:
    """Blocks with ids, kinds, labels and levels from the lines of all pages in reading order."""
    st, ordered = draft_paragraphs(pages, infos)
    levels = _heading_levels(st, [d for d in ordered if d.kind == BlockKind.HEADING])
    blocks = []
    per_page: Counter = Counter()
    for d in ordered:
        text = _join(st, d.lines)
        if not text.strip():
            continue
        f = d.first
        per_page[f.page] += 1
        on_first = [li for li in d.lines if li.page == f.page]
        bbox = (
            min(li.x0 for li in on_first),
            min(li.top for li in on_first),
            max(li.x1 for li in on_first),
            max(li.bottom for li in on_first),
        )
        label = f.label
        if d.kind == BlockKind.FOOTNOTE:
            label = note_label(d)
            if not f.lead_marker and label:
                text = text[len(label) :].lstrip()
        elif d.kind in (BlockKind.TABLE_ROW, BlockKind.TOC_ENTRY) and label_kind(label) == "bare":
            label = None
        sizes: Counter[float] = Counter()
        for li in d.lines:
            sizes[li.size] += len(li.text)
        refs = tuple(r for li in d.lines for r in li.refs)
        last_page = d.lines[-1].page
        blocks.append(
            Block(
                id=f"p{f.page}-b{per_page[f.page]}",
                kind=d.kind or BlockKind.PARAGRAPH,
                text=text,
                page=f.page,
                bbox=bbox,
                font_size=sizes.most_common(1)[0][0],
                bold=all(li.bold_share >= 0.5 for li in d.lines if li.table_row is None),
                level=levels.get(id(d)),
                label=label,
                footnote_refs=refs,
                end_page=last_page if last_page != f.page else None,
            )
        )
    return blocks


def _heading_levels(st: Stats, heads: list[Draft]) -> dict[int, int]:
    """Level from section-number depth when numbered, else from the rank of the heading's size."""
    sizes = sorted({round(d.first.size) for d in heads}, reverse=True)
    rank = {s: i + 1 for i, s in enumerate(sizes)}
    out = {}
    for d in heads:
        depth = label_depth(d.first.label)
        out[id(d)] = depth if depth else rank[round(d.first.size)]
    return out
