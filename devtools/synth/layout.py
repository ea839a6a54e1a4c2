"""Page layout of a synthetic report: wrap, paginate (one or two columns), footnotes at the page foot.

Layout is done by hand rather than with fpdf2's flowing text so that every line's page is known (for the
gold page numbers), a footnote always lands on the page of its marker, and the table of contents can be
filled in with the real page numbers once the body is laid out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from aligner.records import BlockKind
from devtools.synth.model import Note, Piece, SynthDoc, Unit

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
PAGE_W, PAGE_H = 595.28, 841.89
LEFT, RIGHT, TOP, BOTTOM = 72.0, 72.0, 80.0, 772.0
GUTTER = 20.0
SUP_SIZE, SUP_RISE = 6.5, 3.6
NOTE_SEP = 14.0
TOC_NUM_W = 36.0


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    before: float
    after: float


STYLES = {
    "title": Style("B", 24, 30, 0, 16),
    "subtitle": Style("", 14, 19, 0, 0),
    "h0": Style("B", 16, 20, 0, 14),
    "h1": Style("B", 14, 18, 16, 7),
    "h2": Style("B", 12, 16, 10, 5),
    "body": Style("", 10.5, 14, 0, 8),
    "list": Style("", 10.5, 14, 0, 5),
    "caption": Style("I", 9.5, 13, 6, 5),
    "cell": Style("", 9, 11.5, 0, 0),
    "cellhead": Style("B", 9, 11.5, 0, 0),
    "note": Style("", 8, 10, 0, 2),
    "toc": Style("", 10.5, 15, 0, 3),
    "furniture": Style("", 8, 10, 0, 0),
}

Op = tuple  # ("t", x, baseline, font, size, text) | ("l", x1, y1, x2, y2)


class Measure:
    """String widths from the real embedded font, cached per (font, word)."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self._cache: dict[tuple[str, str], float] = {}

    def __call__(self, text: str, font: str, size: float) -> float:
        key = (font, text)
        w = self._cache.get(key)
        if w is None:
            self.pdf.set_font(FAMILY, font, 100)
            w = self._cache[key] = self.pdf.get_string_width(text)
        return w * size / 100


def add_unicode_fonts(pdf: FPDF, family: str = FAMILY) -> str:
    """Register the bundled DejaVu family (fpdf2's core fonts lack ŵ and ŷ); returns the family name."""
    pdf.add_font(family, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(family, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font(family, "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
    return family


def new_pdf(lang: str, title: str) -> FPDF:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    add_unicode_fonts(pdf)
    pdf.set_lang(lang)
    pdf.set_title(title)
    pdf.set_creator("devtools.synth")
    pdf.set_creation_date(datetime(2024, 1, 1, tzinfo=UTC))
    return pdf


def wrap(widths: list[float], space: float, width: float) -> list[tuple[int, int]]:
    """Greedy line breaking: ranges of word indices, never breaking inside a word."""
    lines, start, cur = [], 0, 0.0
    for i, w in enumerate(widths):
        if i > start and cur + space + w > width:
            lines.append((start, i))
            start, cur = i, w
        else:
            cur = w if i == start else cur + space + w
    if start < len(widths):
        lines.append((start, len(widths)))
    return lines


@dataclass(eq=False)
class _Page:
    number: int
    ops: list[Op] = field(default_factory=list)
    notes: list[tuple[Note, list[str]]] = field(default_factory=list)
    note_h: float = 0.0


class Flow:
    """Fills pages column by column; knows how much room the page's footnotes take."""

    def __init__(self, m: Measure, first_page: int) -> None:
        self.m = m
        self.pages: list[_Page] = []
        self.first_page = first_page
        self.columns = 1
        self.col = 0
        self.y = TOP
        self._fresh = True
        self._after_table = False

    # -- geometry
    @property
    def col_w(self) -> float:
        return (PAGE_W - LEFT - RIGHT - GUTTER * (self.columns - 1)) / self.columns

    @property
    def x0(self) -> float:
        return LEFT + self.col * (self.col_w + GUTTER)

    @property
    def limit(self) -> float:
        return BOTTOM - (self.pages[-1].note_h if self.pages else 0.0)

    def new_page(self) -> None:
        self.pages.append(_Page(self.first_page + len(self.pages)))
        self.col, self.y, self._fresh = 0, TOP, True

    def next_column(self) -> None:
        if self.col + 1 < self.columns:
            self.col, self.y, self._fresh = self.col + 1, TOP, True
        else:
            self.new_page()

    def set_columns(self, n: int) -> None:
        if not self.pages or not (self._fresh and self.col == 0):
            self.new_page()
        self.columns = n

    def ensure(self, h: float) -> None:
        if not self.pages:
            self.new_page()
        if self.y + h > self.limit and not self._fresh:
            self.next_column()

    def space(self, h: float) -> None:
        if not self._fresh:
            self.y += h

    def emit(self, op: Op) -> None:
        self.pages[-1].ops.append(op)
        self._fresh = False

    # -- content
    def text_block(self, piece: Piece, st: Style, label_x: float = 0.0, text_x: float = 0.0, keep: float = 0.0) -> None:
        """A wrapped paragraph; ``label`` hangs at ``label_x``, text lines start at ``text_x``."""
        m = self.m
        words = piece.text.split()
        if piece.kind == BlockKind.HEADING and piece.label:
            words = [piece.label] + words
        widths = [m(w, st.font, st.size) for w in words]
        if piece.label and piece.kind != BlockKind.HEADING and text_x:
            text_x = max(text_x, label_x + m(piece.label, st.font, st.size) + 8)
        note = piece.note
        if note is not None:
            widths[note.after_word] += m(str(note.number), "", SUP_SIZE)
        lines = wrap(widths, m(" ", st.font, st.size), self.col_w - text_x)
        self.space(st.before)
        kept_together = lines if piece.kind == BlockKind.HEADING else lines[:2]  # headings never break
        self.ensure(len(kept_together) * st.leading + keep)
        for li, (a, b) in enumerate(lines):
            note_here = note is not None and a <= note.after_word < b
            note_lines, note_h = self._note_lines(note) if note_here else ([], 0.0)
            if self.y + st.leading > self.limit - note_h:
                self.next_column()
                if note_here:
                    note_lines, note_h = self._note_lines(note)
            base = self.y + st.size
            if li == 0 and piece.label and piece.kind != BlockKind.HEADING:
                self.emit(("t", self.x0 + label_x, base, st.font, st.size, piece.label))
            self._line(words, a, b, self.x0 + text_x, base, st, note if note_here else None)
            if note_here:
                pg = self.pages[-1]
                pg.notes.append((note, note_lines))
                pg.note_h += note_h
                note.pages.append(pg.number)
            self._mark(piece)
            self.y += st.leading
        self.y += st.after

    def _line(self, words: list[str], a: int, b: int, x: float, base: float, st: Style, note: Note | None) -> None:
        if note is None:
            self.emit(("t", x, base, st.font, st.size, " ".join(words[a:b])))
            return
        k = note.after_word + 1
        head = " ".join(words[a:k])
        self.emit(("t", x, base, st.font, st.size, head))
        x += sum(self.m(w, st.font, st.size) for w in words[a:k]) + (k - a - 1) * self.m(" ", st.font, st.size)
        self.emit(("t", x, base - SUP_RISE, "", SUP_SIZE, str(note.number)))
        if k < b:
            x += self.m(str(note.number), "", SUP_SIZE)
            self.emit(("t", x, base, st.font, st.size, " " + " ".join(words[k:b])))

    def _note_lines(self, note: Note) -> tuple[list[str], float]:
        st = STYLES["note"]
        words = note.text.split()
        widths = [self.m(w, st.font, st.size) for w in words]
        lines = [" ".join(words[a:b]) for a, b in wrap(widths, self.m(" ", st.font, st.size), self.col_w - 10)]
        sep = NOTE_SEP if not self.pages[-1].notes else 0.0
        return lines, sep + len(lines) * st.leading + st.after

    def _mark(self, piece: Piece) -> None:
        n = self.pages[-1].number
        if not piece.pages or piece.pages[-1] != n:
            piece.pages.append(n)

    def table_row(self, piece: Piece) -> None:
        st = STYLES["cellhead" if piece.header_row else "cell"]
        pad = 4.0
        fixed = [30.0, 76.0]
        cws = [fixed[0], self.col_w - sum(fixed), fixed[1]]
        cells = []
        for text, cw in zip(piece.cells, cws):
            words = text.split()
            widths = [self.m(w, st.font, st.size) for w in words]
            cells.append([" ".join(words[a:b]) for a, b in wrap(widths, self.m(" ", st.font, st.size), cw - 2 * pad)])
        h = max(len(c) for c in cells) * st.leading + 2 * pad
        self.ensure(h)
        if self.y + h > self.limit:
            self.next_column()
        x = self.x0
        self.emit(("l", x, self.y, x + sum(cws), self.y))
        self.emit(("l", x, self.y + h, x + sum(cws), self.y + h))
        for lines, cw in zip(cells, cws):
            self.emit(("l", x, self.y, x, self.y + h))
            for i, line in enumerate(lines):
                self.emit(("t", x + pad, self.y + pad + st.size + i * st.leading, st.font, st.size, line))
            x += cw
        self.emit(("l", x, self.y, x, self.y + h))
        self._mark(piece)
        self.y += h

    def toc_entry(self, piece: Piece, page: int) -> None:
        st = STYLES["toc"]
        m = self.m
        words = ([piece.label] if piece.label else []) + piece.text.split()
        widths = [m(w, st.font, st.size) for w in words]
        lines = wrap(widths, m(" ", st.font, st.size), self.col_w - TOC_NUM_W - 40)
        self.space(st.before)
        self.ensure(len(lines) * st.leading)
        for li, (a, b) in enumerate(lines):
            base = self.y + st.size
            x = self.x0 + (0 if li == 0 else 18)
            text = " ".join(words[a:b])
            self.emit(("t", x, base, st.font, st.size, text))
            if li == len(lines) - 1:
                num = str(page)
                x_num = self.x0 + self.col_w - m(num, st.font, st.size)
                x_dots = x + m(text, st.font, st.size) + 6
                n_dots = int((x_num - 6 - x_dots) / m(".", st.font, st.size))
                if n_dots > 0:
                    self.emit(("t", x_dots, base, st.font, st.size, "." * n_dots))
                self.emit(("t", x_num, base, st.font, st.size, num))
            self._mark(piece)
            self.y += st.leading
        self.y += st.after

    def piece(self, piece: Piece) -> None:
        k = piece.kind
        if self._after_table and k != BlockKind.TABLE_ROW:
            self.space(10)
        self._after_table = k == BlockKind.TABLE_ROW
        if k == BlockKind.HEADING:
            st = STYLES["h1" if piece.level <= 1 else "h2"]
            self.text_block(piece, st, keep=2 * STYLES["body"].leading)
        elif k == BlockKind.LIST_ITEM:
            self.text_block(piece, STYLES["list"], label_x=12, text_x=32)
        elif k == BlockKind.CAPTION:
            self.text_block(piece, STYLES["caption"], keep=40)
        elif k == BlockKind.TABLE_ROW:
            self.table_row(piece)
        elif piece.label:
            self.text_block(piece, STYLES["body"], label_x=0, text_x=36)
        else:
            self.text_block(piece, STYLES["body"])


def _units_pieces(units: list[Unit], lang: str) -> list[Piece]:
    return [p for u in units for p in (u.en if lang == "en" else u.cy)]


def layout(doc: SynthDoc, lang: str, m: Measure) -> list[_Page]:
    """All pages of one edition: title page, contents, body (zones), with footnotes placed."""
    title = _Page(1)
    y = 250.0
    for piece, st in (
        (_units_pieces(doc.front[:1], lang)[0], STYLES["title"]),
        (_units_pieces(doc.front[1:], lang)[0], STYLES["subtitle"]),
    ):
        words = piece.text.split()
        widths = [m(w, st.font, st.size) for w in words]
        for a, b in wrap(widths, m(" ", st.font, st.size), PAGE_W - LEFT - RIGHT):
            title.ops.append(("t", LEFT, y + st.size, st.font, st.size, " ".join(words[a:b])))
            y += st.leading
        y += st.after
        piece.pages[:] = [1]

    toc_pieces = _units_pieces(doc.toc, lang)

    def toc_flow() -> Flow:
        f = Flow(m, 2)
        f.new_page()
        for p in toc_pieces:
            p.pages.clear()
            if p.kind == BlockKind.TOC_ENTRY:
                f.toc_entry(p, p.target.pages[0] if p.target and p.target.pages else 999)
            else:
                f.text_block(p, STYLES["h0"])
        return f

    n_toc = len(toc_flow().pages)
    body = Flow(m, 2 + n_toc)
    for zone in doc.zones:
        body.set_columns(zone.columns)
        for p in _units_pieces(zone.units, lang):
            body.piece(p)
    toc = toc_flow()
    assert len(toc.pages) == n_toc, "table of contents changed length"
    return [title] + toc.pages + body.pages


def render(pdf: FPDF, m: Measure, pages: list[_Page], out: Path, title: str, page_word: tuple[str, str]) -> None:
    """Write the pages, adding the running header, the footnotes and "Page i of N" footers."""
    n = len(pages)
    fst, nst = STYLES["furniture"], STYLES["note"]
    for pg in pages:
        pdf.add_page()
        font = None
        for op in pg.ops:
            if op[0] == "t":
                _, x, y, f, size, text = op
                if font != (f, size):
                    pdf.set_font(FAMILY, f, size)
                    font = (f, size)
                pdf.text(x, y, text)
            else:
                pdf.set_line_width(0.5)
                pdf.line(*op[1:])
        if pg.notes:
            y = BOTTOM - pg.note_h + 4
            pdf.set_line_width(0.5)
            pdf.line(LEFT, y, LEFT + 120, y)
            y += NOTE_SEP - 4
            for note, lines in pg.notes:
                pdf.set_font(FAMILY, "", SUP_SIZE)
                pdf.text(LEFT, y + nst.size - SUP_RISE + 1, str(note.number))
                pdf.set_font(FAMILY, nst.font, nst.size)
                for line in lines:
                    pdf.text(LEFT + 10, y + nst.size, line)
                    y += nst.leading
                y += nst.after
        if pg.number > 1:
            foot = f"{page_word[0]} {pg.number} {page_word[1]} {n}"
            foot_x = (PAGE_W - m(foot, fst.font, fst.size)) / 2
            pdf.set_text_color(90)
            pdf.set_font(FAMILY, fst.font, fst.size)
            pdf.text(LEFT, 50, title)
            pdf.set_line_width(0.3)
            pdf.line(LEFT, 56, PAGE_W - RIGHT, 56)
            pdf.text(foot_x, 810, foot)
            pdf.set_text_color(0)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
