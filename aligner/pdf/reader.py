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
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pypdfium2.raw as pdfium_c

from aligner.errors import InputError
from aligner.pdf.rulings import checkbox, path_edges, tables_from_edges
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
    mcid: int | None = None
    """Marked-content id of the first/last character: tagged PDFs give each paragraph its own."""
    mcid_end: int | None = None


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
    """Small drawn squares: the tick boxes of a form."""


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
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_VP, _INT = ctypes.c_void_p, ctypes.c_int
_get_unicode = _fast("FPDFText_GetUnicode", ctypes.c_uint, _VP, _INT)
_text_object = _fast("FPDFText_GetTextObject", _VP, _VP, _INT)
_font_size = _fast("FPDFText_GetFontSize", ctypes.c_double, _VP, _INT)
_mcid = _fast("FPDFPageObj_GetMarkedContentID", _INT, _VP)
_loose_box = _fast("FPDFText_GetLooseCharBox", _INT, _VP, _INT, ctypes.POINTER(pdfium_c.FS_RECTF))


def _words(textpage, height: float) -> tuple[list[Word], int, int]:
    """Group pdfium's characters into words: split at spaces, gaps, line changes and size changes.

    Font (bold), text scale and marked-content id are read once per text object, not per character.
    """
    tp = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    n = pdfium_c.FPDFText_CountChars(textpage.raw)
    rect = pdfium_c.FS_RECTF()
    rect_p = ctypes.pointer(rect)
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    matrix = pdfium_c.FS_MATRIX()
    objects: dict[int, tuple[bool, str, int | None, float, bool]] = {}
    words: list[Word] = []
    chars: list[str] = []
    n_chars = n_bad = 0
    # the word being built: box, size, bold count, font, first/last mcid
    x0 = top = x1 = bottom = size0 = 0.0
    bold_n = 0
    font0 = ""
    mcid0 = mcid1 = None
    last_x0 = last_x1 = last_top = last_bottom = last_size = 0.0

    def close() -> None:
        words.append(
            Word("".join(chars), x0, top, x1, bottom, round(size0, 2), bold_n * 2 > len(chars), font0, mcid0, mcid1)
        )
        chars.clear()

    text_object, loose_box, font_size = _text_object, _loose_box, _font_size
    full = textpage.get_text_range() if n else ""
    if len(full) != n:  # characters outside the BMP: fall back to one call per character
        full = "".join(chr(_get_unicode(tp, i) or 0xFFFD) for i in range(n))
    for i in range(n):
        ch = full[i]
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
        obj = text_object(tp, i) or 0
        info = objects.get(obj)
        if info is None:
            pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buf, 256, flags)
            font = buf.value.decode("utf-8", "replace")
            weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, i)
            mcid = _mcid(obj) if obj else -1
            scale, upright = 1.0, True
            if pdfium_c.FPDFText_GetMatrix(textpage.raw, i, matrix):
                scale = (matrix.c**2 + matrix.d**2) ** 0.5 or 1.0
                upright = abs(matrix.b) < 0.01 * scale and matrix.d > 0
            info = objects[obj] = (
                weight >= 600 or bool(_BOLD.search(font)),
                font,
                mcid if mcid >= 0 else None,
                scale,
                upright,
            )
        if not info[4]:  # rotated text (margin labels, stamps) is not part of the reading flow
            if chars:
                close()
            continue
        loose_box(tp, i, rect_p)
        size = font_size(tp, i) * info[3]  # font size times text scale
        cx0, ctop, cx1, cbottom = rect.left, height - rect.top, rect.right, height - rect.bottom
        if chars and (
            (abs(ctop - last_top) > 0.5 * size and abs(cbottom - last_bottom) > 0.5 * size)
            or cx0 - last_x1 > 0.2 * min(size, last_size)
            or cx0 < last_x0 - 0.5 * size
            or abs(size - last_size) > 0.05 * max(size, last_size)
        ):
            close()
        if not chars:
            x0, top, x1, bottom, size0, bold_n, font0, mcid0 = cx0, ctop, cx1, cbottom, size, 0, info[1], info[2]
        else:
            # plain comparisons: this loop runs once per character and min()/max() calls cost
            x1 = cx1 if cx1 > x1 else x1
            if ctop < top:
                top = ctop
            if cbottom > bottom:
                bottom = cbottom
        chars.append(ch)
        bold_n += info[0]
        mcid1 = info[2]
        last_x0, last_x1, last_top, last_bottom, last_size = cx0, cx1, ctop, cbottom, size
    if chars:
        close()
    return words, n_chars, n_bad


def _read_page(pdf, index: int) -> PageContent:
    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            words, n_chars, n_bad = _words(textpage, height)
        finally:
            textpage.close()
        images, edges, boxes = [], [], []
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
        tables = _tables(edges, words)
    finally:
        page.close()
    return PageContent(
        index + 1, float(width), float(height), tuple(words), tuple(images), tables, n_chars, n_bad, tuple(boxes)
    )


def _tables(edges: list[dict], words: list[Word]) -> tuple[Table, ...]:
    """Ruled tables (two rows and two columns at least: a single ruled box is a frame, not a table)
    with text in two rows at least."""
    out = []
    for grid in tables_from_edges(edges):
        filled_rows = sum(1 for row in grid if any(any(_centre_in(w, c) for w in words) for c in row))
        if filled_rows < 2:
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


def _centre_in(w: Word, box: BBox) -> bool:
    x0, top, x1, bottom = box
    return x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1 and top - 1 <= (w.top + w.bottom) / 2 <= bottom + 1


def _read_range(path: str, first: int, last: int) -> list[PageContent]:
    """Pages first..last-1 (0-based); runs in a worker process, so it opens the PDF itself."""
    pdf = _open(Path(path))
    try:
        return [_read_page(pdf, i) for i in range(first, last)]
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
    except InputError:
        raise
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
