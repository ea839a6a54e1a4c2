"""Read a PDF into positioned words per page, checking first that it is a usable text PDF.

pdfium (pypdfium2, which pdfplumber already depends on) is the reader: it is about ten times faster
than pdfplumber's pdfminer parse and gives the same top-left geometry. Every reader failure becomes
an InputError with one clear message. Long documents are read by a pool of processes over page
ranges (each opens the PDF itself), because grouping characters into words is Python.
"""

from __future__ import annotations

import ctypes
import os
import re
from collections import Counter
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import groupby, pairwise
from pathlib import Path
from typing import NamedTuple

import pypdfium2.raw as pdfium_c

from aligner.errors import InputError
from aligner.pdf.glyphs import (
    BOX_GLYPH,
    BOX_GLYPHS,
    ICON_GLYPH,
    SAME_BASELINE,
    icon_fonts,
    is_private_use,
    join_initials,
    keeps_word,
)
from aligner.pdf.rulings import FRAME_MIN_WIDTH, checkbox, filled_frame, path_edges, tables_from_edges
from aligner.pdf.structure import PageTags, paragraph_tags
from aligner.records import BBox

PARALLEL_MIN_PAGES = 12
"""Below this many pages a process pool costs more than it saves."""
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


class Word(NamedTuple):
    """One printed word. A NamedTuple, not a dataclass: pages travel between processes and
    tuples pickle about five times faster."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    font: str
    tag: int | None = None
    """The structure element (paragraph, heading, cell) of the first/last character in a tagged PDF:
    its marked-content id looked up in the structure tree (aligner.pdf.structure)."""
    tag_end: int | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A ruled table: its box and its cell boxes in row-major order (a cell spanning several rows
    is listed in the row where it starts)."""

    bbox: BBox
    cells: tuple[BBox, ...]


@dataclass(frozen=True, slots=True)
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    words: tuple[Word, ...]
    images: tuple[BBox, ...]
    tables: tuple[Table, ...]
    n_chars: int
    n_bad_chars: int
    checkboxes: tuple[BBox, ...] = ()
    """Small drawn squares, and box characters ("☐"): the tick boxes of a form."""
    frames: tuple[BBox, ...] = ()
    """Single ruled boxes and filled rectangles with words inside: panels, boxes, shaded bands."""
    angled: tuple[str, ...] = ()
    """Text set at an angle that is not read (a margin label, a stamp, a heading turned in a table):
    kept so that nothing disappears unexplained."""
    answer_boxes: tuple[BBox, ...] = ()
    """Empty boxes wide enough for a line of text (a lone ruled box, a box in a ruled column of boxes,
    a filled rectangle): where a form's answers are written."""


def check_pdf_file(path: str | os.PathLike) -> Path:
    """Fail early, with a message the user can act on, for a path that cannot be a PDF."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a PDF file")
    try:
        with open(p, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if not head:
        raise InputError(f"{p}: the file is empty (0 bytes)")
    if b"%PDF-" not in head:
        raise InputError(f"{p}: not a PDF file (no %PDF header)")
    return p


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except Exception as exc:
        if "password" in str(exc).lower():
            raise InputError(
                f"{path}: the PDF is encrypted (password protected); remove the protection first"
            ) from None
        raise InputError(f"{path}: cannot read the PDF ({exc or type(exc).__name__})") from None


def count_pages(path: str | os.PathLike) -> int:
    p = check_pdf_file(path)
    pdf = _open(p)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _fast(name: str, restype, *argtypes):
    """A pdfium function with plain C argument types: the per-character calls dominate reading time."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    if address is None:
        raise RuntimeError(f"pdfium has no function {name}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_VP, _INT = ctypes.c_void_p, ctypes.c_int
_get_unicode = _fast("FPDFText_GetUnicode", ctypes.c_uint, _VP, _INT)
_text_object = _fast("FPDFText_GetTextObject", _VP, _VP, _INT)
_font_size = _fast("FPDFText_GetFontSize", ctypes.c_double, _VP, _INT)
_mcid = _fast("FPDFPageObj_GetMarkedContentID", _INT, _VP)
_loose_box = _fast("FPDFText_GetLooseCharBox", _INT, _VP, _INT, ctypes.POINTER(pdfium_c.FS_RECTF))


def _words(
    textpage, height: float, width: float = float("inf"), tags: PageTags | None = None
) -> tuple[list[Word], int, int, Counter, list[Word]]:
    """Group pdfium's characters into words: split at spaces, gaps, line changes and size changes.
    Also returns how many characters run in each quarter turn (0: upright; -1: another angle) and
    the runs of text set at an angle, which are not read.

    Font (bold), text scale and marked-content id are read once per text object, not per character;
    ``tags`` maps the page's marked-content ids to their structure elements (none: untagged).
    """
    tags = tags or {}
    tp = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    n = pdfium_c.FPDFText_CountChars(textpage.raw)
    rect = pdfium_c.FS_RECTF()
    rect_p = ctypes.pointer(rect)
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    matrix = pdfium_c.FS_MATRIX()
    objects: dict[int, tuple[bool, str, int | None, float, int]] = {}
    turns: Counter = Counter()
    angled: list[_AngledRun] = []
    words: list[Word] = []
    chars: list[str] = []
    n_chars = n_bad = 0
    # the word being built: box, size, bold count, font, first/last tag
    x0 = top = x1 = bottom = size0 = 0.0
    bold_n = 0
    font0 = ""
    tag0 = tag1 = None
    last_x0 = last_x1 = last_top = last_bottom = last_size = 0.0

    def close() -> None:
        words.append(
            Word("".join(chars), x0, top, x1, bottom, round(size0, 2), bold_n * 2 > len(chars), font0, tag0, tag1)
        )
        chars.clear()

    text_object, loose_box, font_size = _text_object, _loose_box, _font_size
    full: str | list[str] = textpage.get_text_range() if n else ""
    if len(full) != n:  # characters outside the BMP: fall back to one call per character
        full = utf16_chars([_get_unicode(tp, i) for i in range(n)])

    def object_info(i: int, obj: int) -> tuple[bool, str, int | None, float, int]:
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buf, 256, flags)
        font = buf.value.decode("utf-8", "replace")
        weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, i)
        mcid = _mcid(obj) if obj else -1
        scale, turn = 1.0, 0
        if pdfium_c.FPDFText_GetMatrix(textpage.raw, i, matrix):
            scale = (matrix.c**2 + matrix.d**2) ** 0.5 or 1.0
            turn = quarter_turn(matrix.a, matrix.b, matrix.c, matrix.d)
        info = objects[obj] = (
            weight >= 600 or bool(_BOLD.search(font)),
            font,
            tags.get(mcid) if mcid >= 0 else None,
            scale,
            turn,
        )
        return info

    objs = [text_object(tp, i) or 0 for i in range(n)]
    icons = icon_fonts(_font_runs(full, objs, objects, object_info))
    last_ch = ""
    for i in range(n):
        ch = full[i]
        if not ch:  # second half of a surrogate pair: its character was taken at the first half
            continue
        code = ord(ch)
        if code == 2 or code == 0xFFFE:
            code, ch = 0x2D, "-"  # pdfium reports a printed hyphen at a line end as U+0002 / U+FFFE
        if not code or ch.isspace():  # pdfium's generated characters are spaces and line breaks
            if chars:
                close()
            continue
        n_chars += 1
        if 0xE000 <= code <= 0xF8FF or code == 0xFFFD or code < 32:
            n_bad += 1
        obj = objs[i]
        info = objects.get(obj) or object_info(i, obj)
        if info[4]:  # text at an angle (margin labels, stamps) is not part of the reading flow
            turns[info[4]] += 1
            if chars:
                close()
            loose_box(tp, i, rect_p)
            box = (rect.left, height - rect.top, rect.right, height - rect.bottom)
            if not (angled and angled[-1].takes(i, box, full)):
                angled.append(_AngledRun(i, i, *box, font_size(tp, i) * info[3], obj))
            continue
        loose_box(tp, i, rect_p)
        size = font_size(tp, i) * info[3]  # font size times text scale
        cx0, ctop, cx1, cbottom = rect.left, height - rect.top, rect.right, height - rect.bottom
        if cx0 >= width or cx1 <= 0 or ctop >= height or cbottom <= 0:
            continue  # placed outside the page: never printed (and it would widen its column)
        if info[1] in icons or ((0xE000 <= code <= 0xF8FF or code >= 0xF0000) and is_private_use(ch)):
            if chars:  # an icon glyph is a word of its own, whatever it touches
                close()
            words.append(Word(ICON_GLYPH, cx0, ctop, cx1, cbottom, round(size, 2), False, info[1], info[2], info[2]))
            continue
        if ch in BOX_GLYPHS:  # a tick box typed as a character: a box, whatever it touches
            if chars:
                close()
            words.append(Word(BOX_GLYPH, cx0, ctop, cx1, cbottom, round(size, 2), False, info[1], info[2], info[2]))
            continue
        if chars and (
            (abs(ctop - last_top) > 0.5 * size and abs(cbottom - last_bottom) > 0.5 * size)
            or cx0 - last_x1 > 0.2 * min(size, last_size)
            or cx0 < last_x0 - 0.5 * size
            or (
                abs(size - last_size) > 0.05 * max(size, last_size)
                and not keeps_word(last_ch, ch, last_size, size, last_bottom, cbottom, cx0 - last_x1)
            )
        ):
            close()
        if not chars:
            x0, top, x1, bottom, size0, bold_n, font0, tag0 = cx0, ctop, cx1, cbottom, size, 0, info[1], info[2]
        else:
            # plain comparisons: this loop runs once per character and min()/max() calls cost
            x1 = cx1 if cx1 > x1 else x1
            if ctop < top:
                top = ctop
            if cbottom > bottom:
                bottom = cbottom
            if size < size0 and abs(cbottom - last_bottom) <= SAME_BASELINE * size0:
                size0 = size  # small capitals after a larger initial: the word is set in their size
        chars.append(ch)
        bold_n += info[0]
        tag1 = info[2]
        last_x0, last_x1, last_top, last_bottom, last_size, last_ch = cx0, cx1, ctop, cbottom, size, ch
    if chars:
        close()
    runs = [r.word(full, *objects[r.obj][:2]) for r in angled]
    turns[0] = n_chars - sum(turns.values())  # upright: every other character (not counted in the hot loop)
    return join_initials(words), n_chars, n_bad, turns, runs


@dataclass(slots=True)
class _AngledRun:
    """Characters of text set at an angle, read one after another and within half an em of each
    other (one line of a turned heading): their index range, box and size."""

    first: int
    last: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    obj: int

    def takes(self, i: int, box: tuple[float, float, float, float], full) -> bool:
        """Add character i (its box) when only spaces lie between and it touches the run."""
        reach = 0.5 * self.size
        x0, top, x1, bottom = box
        if any(c and not c.isspace() for c in full[self.last + 1 : i]):
            return False
        if x0 > self.x1 + reach or x1 < self.x0 - reach or top > self.bottom + reach or bottom < self.top - reach:
            return False
        self.last = i
        self.x0, self.top, self.x1, self.bottom = (
            min(self.x0, x0),
            min(self.top, top),
            max(self.x1, x1),
            max(self.bottom, bottom),
        )
        return True

    def word(self, full, bold: bool, font: str) -> Word:
        text = " ".join("".join(c for c in full[self.first : self.last + 1] if c).split())
        return Word(text, self.x0, self.top, self.x1, self.bottom, round(self.size, 2), bold, font)


def quarter_turn(a: float, b: float, c: float, d: float) -> int:
    """How far (degrees clockwise) the page must turn for text with matrix (a b c d) to read upright:
    0, 90 (text running up the page), 180 (upside down), 270 (running down); -1 for other angles."""
    scale = max((a * a + b * b) ** 0.5, 1e-9)
    a, b = a / scale, b / scale
    if abs(b) < 0.01 and a > 0:
        return 0 if d > 0 else -1
    if abs(a) < 0.01:
        return 90 if b > 0 else 270
    if abs(b) < 0.01 and a < 0:
        return 180
    return -1


def _font_runs(full, objs: list[int], objects: dict, object_info) -> list[tuple[str, str]]:
    """(font, text) for each stretch of upright non-space characters in one font, for icon_fonts.

    Consecutive text objects in one font count as one stretch (some PDFs place every glyph in an
    object of its own); characters are taken a text object at a time, which keeps this pass cheap.
    """
    runs: list[tuple[str, str]] = []
    font: str | None = None
    parts: list[str] = []

    def flush() -> None:
        if font is not None:
            runs.extend((font, piece) for piece in "".join(parts).split())
        parts.clear()

    pos = 0
    for obj, group in groupby(objs):
        k = sum(1 for _ in group)
        info = (objects.get(obj) or object_info(pos, obj)) if obj else None
        this = info[1] if info is not None and info[4] == 0 else None  # upright text only
        if this != font:
            flush()
            font = this
        parts.append("".join(full[pos : pos + k]))
        pos += k
    flush()
    return runs


def utf16_chars(units: list[int]) -> list[str]:
    """One string per pdfium character index from its UTF-16 code units.

    pdfium counts characters outside the Basic Multilingual Plane (maths letters such as U+1D468) as
    two indices, a high and a low surrogate. The pair becomes one character at the first index and
    "" at the second, so indices stay aligned with pdfium's boxes; a lone surrogate or a 0 is U+FFFD.
    """
    out = [""] * len(units)
    i = 0
    while i < len(units):
        u = units[i]
        nxt = units[i + 1] if i + 1 < len(units) else 0
        if 0xD800 <= u <= 0xDBFF and 0xDC00 <= nxt <= 0xDFFF:
            out[i] = chr(0x10000 + ((u - 0xD800) << 10) + (nxt - 0xDC00))
            i += 2
            continue
        out[i] = "\ufffd" if not u or 0xD800 <= u <= 0xDFFF else chr(u)
        i += 1
    return out


_TURN = {
    90: lambda w, h: (0.0, -1.0, 1.0, 0.0, 0.0, w),
    180: lambda w, h: (-1.0, 0.0, 0.0, -1.0, w, h),
    270: lambda w, h: (0.0, 1.0, -1.0, 0.0, h, 0.0),
}
"""For each quarter turn clockwise (a /Rotate value), the matrix taking the page's own coordinates
(width w, height h, origin at 0) to those of the page turned that way."""


TURN_MIN_CHARS = 20
"""A page whose text runs mostly in one turned direction (a landscape table printed sideways on a
portrait page) is read turned, when at least this many characters run that way."""


def turn_to_display(page, rotation: int | None = None) -> None:
    """Turn a page in memory by ``rotation`` degrees clockwise (default: its /Rotate entry, for the
    page as shown) and clear its rotation, so that text turned in the page's own coordinates (a
    landscape table on a page turned on its side) reads upright, left to right, like every other page.
    Without this, pdfium reports such text as rotated and the whole page would be lost."""
    rotation = (page.get_rotation() if rotation is None else rotation) % 360
    if rotation not in _TURN:
        return
    box = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDF_GetPageBoundingBox(page.raw, box):
        return
    w, h = box.right - box.left, box.top - box.bottom
    turn = _TURN[rotation](w, h)
    for obj in page.get_objects():
        pdfium_c.FPDFPageObj_Transform(obj.raw, 1.0, 0.0, 0.0, 1.0, -box.left, -box.bottom)
        pdfium_c.FPDFPageObj_Transform(obj.raw, *turn)
    shown_w, shown_h = (h, w) if rotation in (90, 270) else (w, h)
    page.set_mediabox(0, 0, shown_w, shown_h)
    page.set_cropbox(0, 0, shown_w, shown_h)
    page.set_rotation(0)


def turn_as_read(page, tags: PageTags | None = None) -> tuple[list[Word], int, int, Counter, list[Word]]:
    """Turn a page the way the reader reads it (by its /Rotate entry, then a quarter turn more where
    most of its text runs that way) and return its words as _words does."""
    turn_to_display(page)
    read = _page_words(page, tags)
    turns = read[3]
    quarter = max((90, 180, 270), key=lambda t: turns[t])
    if turns[quarter] >= TURN_MIN_CHARS and turns[quarter] > turns[0]:
        turn_to_display(page, quarter)  # most of the page's text runs that way: read it turned
        read = _page_words(page, tags)
    return read


def _read_page(pdf, index: int, tags: PageTags | None = None) -> PageContent:
    page = pdf[index]
    try:
        words, n_chars, n_bad, _, angled = turn_as_read(page, tags)
        width, height = page.get_size()
        images, edges, boxes, fills = [], [], [], []
        l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        for obj in page.get_objects():
            if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                if pdfium_c.FPDFPageObj_GetBounds(obj.raw, l, b, r, t):
                    images.append((l.value, height - t.value, r.value, height - b.value))
            elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                edges.extend(path_edges(obj.raw, height))
                box = checkbox(obj.raw, height)
                if box:
                    boxes.append(box)
                fill = filled_frame(obj.raw, height)
                if fill:
                    fills.append(fill)
        boxes.extend((w.x0, w.top, w.x1, w.bottom) for w in words if w.text == BOX_GLYPH)
        words = [w for w in words if w.text != BOX_GLYPH]
        grids = tables_from_edges(edges)
        tables = _tables(grids, words)
        tables += _panel_rows(fills, tables, words)
        in_cells = [w for w in angled if any(centre_in(w, c) for tb in tables for c in tb.cells)]
        words.extend(in_cells)  # a heading turned in a table cell is the cell's text, read as one word
        angled = [w for w in angled if w not in in_cells]
        lone = [g[0][0] for g in grids if len(g) == 1 and len(g[0]) == 1] + fills
        stacked = [row[0] for g in grids if len(g) > 1 and max(len(row) for row in g) == 1 for row in g]
        holds_text = {b: any(centre_in(w, b) for w in words) for b in lone + stacked}
        frames = tuple(b for b in lone if holds_text[b])  # boxes, panels, shaded bands round text
        answer_boxes = tuple(b for b in lone + stacked if not holds_text[b] and b[2] - b[0] >= FRAME_MIN_WIDTH)
    finally:
        page.close()
    return PageContent(
        index + 1,
        float(width),
        float(height),
        tuple(words),
        tuple(images),
        tables,
        n_chars,
        n_bad,
        tuple(boxes),
        frames,
        tuple(w.text for w in angled),
        answer_boxes,
    )


def _page_words(page, tags: PageTags | None = None) -> tuple[list[Word], int, int, Counter, list[Word]]:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        return _words(textpage, height, width, tags)
    finally:
        textpage.close()


def _tables(grids: list[list[list[BBox]]], words: list[Word]) -> tuple[Table, ...]:
    """Ruled tables: grids of two columns at least (a single ruled box is a frame, not a table) with
    text in two rows, or a single row of cells with text in two of them side by side (a table's row
    cut off by a page break, a form's one-line question). Boxes holding one character each are a
    comb field to write into (D D / M M), not cells of text."""
    out = []
    for grid in grids:
        if max(len(row) for row in grid) < 2:
            continue  # a frame, or a column of boxes
        filled = [[c for c in row if any(centre_in(w, c) for w in words)] for row in grid]
        if len(grid) == 1:
            texts = ["".join(w.text for w in words if centre_in(w, c)) for c in filled[0]]
            if len(texts) < 2 or all(len(t) == 1 for t in texts):
                continue
        elif sum(1 for row in filled if row) < 2:
            continue
        cells = tuple(c for row in grid for c in row)
        bbox = (
            min(c[0] for c in cells),
            min(c[1] for c in cells),
            max(c[2] for c in cells),
            max(c[3] for c in cells),
        )
        out.append(Table(bbox, cells))
    return tuple(out)


PANEL_ROW_TOLERANCE = 3.0
"""Points by which the tops of shaded panels set side by side may differ."""
PANEL_ROW_GAP_SHARE = 0.5
"""Panels of one row stand close: the gap between two is at most this share of the narrower one's
width (a small badge far from a box on the same level is no row of panels)."""
PANEL_ROW_CROSSING_LINES = 3
"""Lines of text outside a row of panels that must run across each gap between them (a centred page
number or a running title alone may cross a column gutter)."""


def _panel_rows(fills: list[BBox], tables: tuple[Table, ...], words: list[Word]) -> tuple[Table, ...]:
    """Shaded panels side by side: two or more filled rectangles whose tops are level
    (``PANEL_ROW_TOLERANCE``), which do not overlap across and stand close (``PANEL_ROW_GAP_SHARE``),
    outside any ruled table, are the cells of one table row, read panel by panel (a report card's key
    facts, a row of coloured boxes), when one of them holds text (the rest of a row a page break cut
    may hold text in one panel only) and text above or below them runs across each gap between them
    (``_text_across``): on a page set in columns, fills level in two columns (a badge, a shaded
    heading bar in each) belong to their columns, which are read one after the other."""
    boxes = sorted(
        {b for b in {_rounded(f) for f in fills} if not any(centre_in(_probe(b), t.bbox) for t in tables)},
        key=lambda b: (b[1], b[0]),
    )
    rows: list[list[BBox]] = []
    for box in boxes:
        for row in rows:
            if abs(row[0][1] - box[1]) <= PANEL_ROW_TOLERANCE and all(box[0] >= c[2] or box[2] <= c[0] for c in row):
                row.append(box)
                break
        else:
            rows.append([box])
    out = []
    for row in rows:
        row.sort()
        if len(row) < 2 or not any(centre_in(w, b) for b in row for w in words):
            continue
        top, bottom = min(c[1] for c in row), max(c[3] for c in row)
        outside = [w for w in words if w.bottom <= top or w.top >= bottom]
        if all(
            b[0] - a[2] <= PANEL_ROW_GAP_SHARE * min(a[2] - a[0], b[2] - b[0]) and _text_across(outside, a[2], b[0])
            for a, b in pairwise(row)
        ):
            cells = tuple(row)
            bbox = (cells[0][0], min(c[1] for c in cells), cells[-1][2], max(c[3] for c in cells))
            out.append(Table(bbox, cells))
    return tuple(out)


def _text_across(words: list[Word], x0: float, x1: float) -> bool:
    """Text runs across the gap from ``x0`` to ``x1``: ``PANEL_ROW_CROSSING_LINES`` lines cross its
    middle and no strip of it is left clear by every word (a page set in columns has its gutter there)."""
    middle = (x0 + x1) / 2
    if len({round(w.top) for w in words if w.x0 < middle < w.x1}) < PANEL_ROW_CROSSING_LINES:
        return False
    reach = x0
    for w in sorted((w for w in words if w.x1 > x0 and w.x0 < x1), key=lambda w: w.x0):
        if w.x0 > reach:
            return False
        reach = max(reach, w.x1)
    return reach >= x1


def _rounded(box: BBox) -> BBox:
    """A box to a tenth of a point: one fill drawn twice is one box."""
    return (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))


def _probe(box: BBox) -> Word:
    """A stand-in word covering ``box``, to test where its centre lies."""
    return Word("", *box, 0.0, False, "")


def read_first_pages(path: str | os.PathLike, pages: int) -> list[PageContent]:
    """The first ``pages`` pages as positioned words, with no layout work (e.g. to guess a language)."""
    p = check_pdf_file(path)
    return _read_range(str(p), 0, min(pages, count_pages(p)))


def centre_in(w: Word, box: BBox) -> bool:
    """The word's centre lies in the box (a point's leeway for the width of rulings)."""
    x0, top, x1, bottom = box
    return x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1 and top - 1 <= (w.top + w.bottom) / 2 <= bottom + 1


def _read_range(path: str, first: int, last: int) -> list[PageContent]:
    """Pages first..last-1 (0-based); runs in a worker process, so it opens the PDF itself."""
    pdf = _open(Path(path))
    tags = paragraph_tags(path, first, last)
    try:
        return [_read_page(pdf, i, tags[i - first]) for i in range(first, last)]
    finally:
        pdf.close()


def page_ranges(n_pages: int, workers: int) -> list[tuple[int, int]]:
    """Chunks of pages for a pool: several per worker so a slow chunk does not leave a core idle."""
    step = max(4, -(-n_pages // (workers * 4)))
    return [(i, min(n_pages, i + step)) for i in range(0, n_pages, step)]


def extract_pages(
    path: str | os.PathLike, progress: bool = False, pool: Executor | None = None, workers: int = 1
) -> list[PageContent]:
    """All pages of a PDF as positioned words, validated as a usable text PDF.

    With a process pool, page ranges are read in parallel (``workers`` sizes the ranges).
    """
    p = check_pdf_file(path)
    n_pages = count_pages(p)
    if n_pages == 0:
        raise InputError(f"{p}: the PDF has no pages")
    try:
        if pool is None:
            pages = _with_progress([(0, n_pages)], lambda r: _read_range(str(p), *r), n_pages, progress)
        else:
            ranges = page_ranges(n_pages, workers)
            results = pool.map(_read_range, [str(p)] * len(ranges), [a for a, _ in ranges], [b for _, b in ranges])
            pages = _with_progress(ranges, None, n_pages, progress, results=results)
    except (InputError, BrokenProcessPool):
        raise  # a pool that could not start is the caller's to handle, not a fault of the PDF
    except Exception as exc:
        raise InputError(f"{p}: cannot extract text ({type(exc).__name__}: {exc})") from None
    check_text_layer(p, pages)
    return pages


def _with_progress(ranges, fn, n_pages, progress, results=None) -> list[PageContent]:
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: a threaded process cannot fork its workers safely

    bar = Bar(total=n_pages, unit="page", desc="reading PDF", disable=not (progress and n_pages >= 20), leave=False)
    out: list[PageContent] = []
    try:
        chunks = results if results is not None else (fn(r) for r in ranges)
        for chunk in chunks:
            out.extend(chunk)
            bar.update(len(chunk))
    finally:
        bar.close()
    return out


def check_text_layer(path: Path, pages: list[PageContent]) -> None:
    """Refuse PDFs with no text, or whose glyphs have no Unicode mapping (they need OCR)."""
    n_chars = sum(pg.n_chars for pg in pages)
    n_bad = sum(pg.n_bad_chars for pg in pages)
    n_images = sum(len(pg.images) for pg in pages)
    good = n_chars - n_bad
    if n_chars == 0 and n_images == 0:
        raise InputError(f"{path}: the PDF contains no text")
    if n_bad > 0.3 * n_chars or (n_images > 0 and good < 20 * len(pages)):
        raise InputError(
            f"{path}: the PDF has no usable text layer ({good} readable characters on {len(pages)} pages; "
            "scanned pages or glyphs without Unicode mapping): run OCR on it first"
        )
