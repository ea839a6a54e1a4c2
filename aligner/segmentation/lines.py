"""Per-line features the paragraph rules need: clean text, footnote markers, bullets, labels, TOC leaders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from aligner.pdf.glyphs import ICON_GLYPH
from aligner.pdf.reader import Word
from aligner.segmentation.forms import marks_only
from aligner.segmentation.layout import WORD_SPACE_EM, Line
from aligner.segmentation.numbering import label_kind, split_label
from aligner.segmentation.scripts import is_power, join_touching, power_after, text_at
from aligner.segmentation.tables import CODE_FONT, MATH_FONT, code_letter_bullet
from aligner.segmentation.textnorm import BULLETS, SOFT_HYPHEN, normalise_text, strip_bullet

_MARKER = re.compile(r"[\d,*†‡]+")
_UNICODE_SUP = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:,[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*(?=[.,;:!?)”’\"']*$)")
_UNIT = re.compile(r"(?:^|\d)(?:m|km|cm|mm|ft|in)$")
"""m², 100km², cm³: exponents of units, not footnote markers."""
_SUP_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_NO_BREAK_BEFORE = re.compile(r"[:;!?,.%)\]}»”’…]+")
"""A word of closing punctuation only: line breaking (Unicode UAX #14) never breaks before it."""
_LEADERS = re.compile(r"\s*(?:\.{3,}|…{2,}|(?:\. ){3,}\.?|_{4,})\s*(?=\S*$)")
_TOC_TAIL = re.compile(r"(?:\.{3,}|…{2,}|(?:\. ?){3,}|_{4,})\s*(\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)


@dataclass
class LineInfo:
    text: str
    refs: tuple[str, ...]
    lead_marker: str | None
    """Footnote number printed raised at the start of the line (footnote texts start like this)."""
    x0: float
    text_x0: float
    """Where the text starts after a bullet or list label (continuation lines align here)."""
    x1: float
    """Right end of the printed line, raised footnote markers included (they take up line width)."""
    top: float
    bottom: float
    size: float
    bold_share: float
    first_word_width: float
    """Width of the first word with a footnote marker stuck to it, or closing marks set after a space
    ("Maryland :"): they wrap as one."""
    bullet: bool
    label: str | None
    list_label: bool
    toc: bool
    soft_break: bool
    """The line ends in a bare soft hyphen: a word division, join without a space."""
    page: int
    region: int
    table_row: tuple[str, ...] | None = None
    zone: str = "body"
    first_bold: bool = False
    last_bold: bool = False
    dash_text: str | None = None
    """The text with its leading dash, when the "bullet" is a dash: it may be a dash that wrapped."""
    first_tag: int | None = None
    last_tag: int | None = None
    space: float = 0.0
    """Width of a word space on this line, measured from its own word gaps."""
    word_gap: float = 0.0
    """The median of the line's word gaps as set: stretched on a justified line, each line by what it
    lacks (0 for a line of one word)."""
    cell: int | None = None
    """Id of the table cell holding the line (None outside tables)."""
    form_col: int | None = None
    """Column of an unruled table or form (None outside one)."""
    checkbox: bool = False
    """A tick box is printed right before the line (a checkbox option)."""
    answer_box: tuple[float, float, float, float] | None = None
    """The empty answer box printed right after the line (it is part of the box's field label)."""
    piece: bool = False
    """Cut from a printed row at a column gap of an unruled table or form (a cell of it), or at a very
    wide gap in a table cell (see aligner.segmentation.layout.Line.piece)."""
    limit: float | None = None
    """Right edge of the room of a form column's piece (the next column's edge), when known."""
    mono: bool = False
    """Every word is set in a monospaced font (code)."""
    math: bool = False
    """Every word is set in a math font (a formula or a line of a derivation)."""
    toc_cont: bool = False
    """A later line of a contents entry wrapped over lines (set by seg_rules, which sees the neighbours)."""
    stack_cont: bool = False
    """A later line of a stack of short lines, an address block (set by segmentation.stacks)."""
    set_width: float = 0.0
    """Width of the line's words set with plain word spaces (layout.WORD_SPACE_EM): what a line that
    justification stretched across its measure ("SY23          3UR") takes unstretched."""

    @property
    def words(self) -> int:
        return len(self.text.split())


def same_element(a: LineInfo, b: LineInfo) -> bool | None:
    """Whether line ``a`` ends in the structure element that line ``b`` starts in (a tagged PDF);
    None where either line is untagged."""
    if a.last_tag is None or b.first_tag is None:
        return None
    return a.last_tag == b.first_tag


def _baseline(words: list[Word], size: float) -> float:
    full = [w.bottom for w in words if w.size >= 0.95 * size]
    return max(full) if full else max(w.bottom for w in words)


def line_info(line: Line) -> LineInfo:
    """Features of one line; superscript digits become footnote refs instead of text."""
    if line.table_row is not None:
        cells = tuple(normalise_text(c) for c in line.table_row)
        x0, top, x1, bottom = line.bbox_override or (0, 0, 0, 0)
        return LineInfo(
            " | ".join(cells),
            (),
            None,
            x0,
            x0,
            x1,
            top,
            bottom,
            0.0,
            0.0,
            0.0,
            False,
            None,
            False,
            False,
            False,
            line.page,
            line.region,
            table_row=cells,
        )
    size = line.size
    words = _icons_as_bullet(line.words)
    base = _baseline(words, size)
    kept: list[Word] = []
    refs: list[str] = []
    markers: list[Word] = []
    lead = None
    for i, w in enumerate(words):
        raised = w.size <= 0.85 * size and w.bottom <= base - 0.12 * size
        marker = _MARKER.fullmatch(w.text) and any(c.isdigit() or c in "*†‡" for c in w.text)
        if raised and marker and not is_power(words, i):
            if i == 0:
                lead = w.text.strip(",")
            else:
                refs.extend(r for r in w.text.split(",") if r)
                markers.append(w)
            continue
        m = _UNICODE_SUP.search(w.text)
        if (
            m
            and m.start() > 0
            and not _UNIT.search(w.text[: m.start()])
            and not power_after(w.text[: m.start()], text_at(words, i - 1), text_at(words, i + 1))
        ):  # "2016¹" typed as superscript characters (not a power: "x 2³ =")
            refs.extend(r.translate(_SUP_DIGITS) for r in m.group().split(",") if r)
            w = w._replace(text=w.text[: m.start()] + w.text[m.end() :])
        kept.append(w)
    if not kept:
        kept = list(words)
        lead, refs, markers = None, [], []
    first_text = kept[0].text.strip()
    if (
        len(kept) > 1
        and first_text
        and not any(c.isalnum() for c in first_text)
        and first_text[0] not in BULLETS
        and kept[1].x0 - kept[0].x1 > 0.5 * size
        and not (line.piece and marks_only(kept))
    ):
        kept = kept[1:]  # a stray mark left of the line (a lone full stop) is not part of the text
        # (but a form field's piece of box marks, the "/ /" of a date, is all field)
    raw = join_touching(kept, words)
    text = normalise_text(raw)
    bullet, text_nb = strip_bullet(text)
    if not bullet and code_letter_bullet(kept):
        bullet, text_nb = True, normalise_text(" ".join(w.text for w in kept[1:]))
    text_x0 = kept[0].x0
    dash_text = text if bullet and text[:1] in "-–—" else None
    if bullet:
        text = text_nb
        if len(kept) > 1 and len(normalise_text(kept[0].text)) <= 1:
            text_x0 = kept[1].x0
    first_word = normalise_text(kept[0].text)
    label, rest = split_label(text)
    after_label = text[len(label) : len(label) + 1] if label else ""
    if label and text.startswith(label) and after_label and (after_label.isalpha() or after_label in "\"“‘'"):
        text = f"{label} {rest}"  # "2.1Interim", "(d)Doctors": the number is set tight against the text
        if first_word.startswith(label) and len(first_word) > len(label):  # its text starts inside the word
            text_x0 = kept[0].x0 + (kept[0].x1 - kept[0].x0) * len(label) / len(first_word)
    kind = label_kind(label)
    list_label = kind == "list"
    if label and len(kept) > 1 and first_word == label:
        text_x0 = kept[1].x0  # hanging indent: wrapped lines align with the text after the number
    toc = bool(_TOC_TAIL.search(text)) and len(text) > 6
    if toc:
        text = normalise_text(_LEADERS.sub(" ", text))
    first = kept[0] if not bullet or len(kept) == 1 else kept[1]
    first_end = max([first.x1] + [m.x1 for m in markers if -0.5 <= m.x0 - first.x1 <= 0.2 * size])
    for w in kept[kept.index(first) + 1 :]:
        if not _NO_BREAK_BEFORE.fullmatch(w.text):
            break
        first_end = w.x1  # "Maryland :": no line break before a closing mark, so they wrap as one
    bold = sum(len(w.text) for w in kept if w.bold) / max(1, sum(len(w.text) for w in kept))
    return LineInfo(
        text,
        tuple(refs),
        lead,
        min(w.x0 for w in kept),
        text_x0,
        max(w.x1 for w in kept + markers),
        min(w.top for w in kept),
        max(w.bottom for w in kept),
        size,
        bold,
        first_end - first.x0,
        bullet,
        label,
        list_label,
        toc,
        kept[-1].text.endswith(SOFT_HYPHEN) and not kept[-1].text.rstrip(SOFT_HYPHEN).endswith("-"),
        line.page,
        line.region,
        first_bold=first.bold,
        last_bold=kept[-1].bold,
        dash_text=dash_text,
        first_tag=kept[0].tag,
        last_tag=kept[-1].tag_end,
        space=_space(kept, size),
        word_gap=_median_gap(kept),
        cell=line.cell,
        form_col=line.form_col,
        checkbox=line.checkbox,
        answer_box=line.answer_box,
        limit=line.limit,
        piece=line.piece,
        mono=all(CODE_FONT.search(w.font) for w in line.words),
        math=all(MATH_FONT.search(w.font) for w in line.words),
        set_width=sum(w.x1 - w.x0 for w in kept) + (len(kept) - 1) * WORD_SPACE_EM * size,
    )


def _icons_as_bullet(words: list[Word]) -> list[Word]:
    """Icon glyphs (see aligner.pdf.glyphs) are furniture: one that starts the line marks it like a
    bullet, the others are dropped."""
    if not any(w.text == ICON_GLYPH for w in words):
        return words
    rest = [w for w in words if w.text != ICON_GLYPH]
    if words[0].text == ICON_GLYPH:
        return [words[0]._replace(text="•")] + rest
    return rest


def _median_gap(words: list[Word]) -> float:
    gaps = sorted(b.x0 - a.x1 for a, b in pairwise(words))
    return gaps[len(gaps) // 2] if gaps else 0.0


def _space(words: list[Word], size: float) -> float:
    gaps = sorted(b.x0 - a.x1 for a, b in pairwise(words) if b.x0 > a.x1)
    return min(0.3 * size, gaps[len(gaps) // 2]) if gaps else 0.3 * size
