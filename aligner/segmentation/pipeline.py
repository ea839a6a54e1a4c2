"""PDF -> paragraph blocks: the public entry point ``segment_pdf``.

Pipeline: extract words (pdf.reader) -> drop running headers/footers (layout) -> lines in reading
order, table cells one after another (layout, tables) -> form rows cut at column gaps, tick boxes
(forms) -> line features (lines) -> paragraph boundaries and block kinds (rules).
Reading and per-page layout run in a process pool for long documents; only header/footer detection
and paragraph grouping, which look across pages, run in the main process.

Text convention: Block.text is the paragraph as printed, lines joined with one space, line-end word
division undone, bullet glyphs and icon glyphs (icon fonts, private-use characters) removed,
numbering labels kept (they are also in Block.label),
footnote marker digits left out of the text and kept in Block.footnote_refs. Tables give one
TABLE_CELL block per non-empty cell (per paragraph, list item or stacked value inside a cell), in
row-major order: ruled tables from their rulings (aligner.segmentation.tables), unruled tables and
forms from column gaps that line up (aligner.segmentation.forms). A footnote block's label is its number, which is not
repeated in its text; it comes right after the block that cites it (the same point in both
editions, wherever their pages break), or at the end of its page when no block cites it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from aligner.pdf.reader import (
    PARALLEL_MIN_PAGES,
    PageContent,
    check_pdf_file,
    count_pages,
    extract_pages,
)
from aligner.records import Document
from aligner.segmentation.cache import DocumentCache
from aligner.segmentation.forms import mark_answer_boxes, mark_checkboxes, split_form_columns
from aligner.segmentation.langid import document_language
from aligner.segmentation.layout import find_running_text, reading_order, strip_running_text
from aligner.segmentation.lines import LineInfo, line_info
from aligner.segmentation.panels import frame_limits
from aligner.segmentation.rules import build_blocks

REGIONS_PER_PAGE = 100_000
"""Column region ids are page * REGIONS_PER_PAGE + n, so pages can be laid out independently."""


def segment_pdf(
    path: str | os.PathLike,
    lang: str | None = None,
    progress: bool = False,
    *,
    use_cache: bool = False,
    cache_dir: str | os.PathLike | None = None,
) -> Document:
    """Segment one PDF into paragraph blocks in reading order (raises InputError for unusable input).

    With ``use_cache`` the result is kept in ``cache_dir`` (default: the user's cache folder) and
    reused while the PDF and the segmenting code are unchanged (``aligner.segmentation.cache``).
    """
    if _importing_main():
        # A page worker re-importing an unguarded script: end it quietly (no traceback per worker);
        # the parent sees a broken pool, says so in one line and reads the pages itself.
        raise SystemExit(1)
    p = check_pdf_file(path)
    if not use_cache:
        return _segment_file(p, lang, progress)
    store = DocumentCache(cache_dir)
    entry = store.entry(p, lang)
    doc = store.get(entry, p)
    if doc is None:
        doc = _segment_file(p, lang, progress)
        try:
            store.put(entry, doc)
        except OSError as exc:  # a read-only or full cache folder costs speed, never the result
            print(f"aligner: warning: could not cache the segmented PDF: {exc}", file=sys.stderr)
    return doc


def _segment_file(p: Path, lang: str | None, progress: bool) -> Document:
    n_pages = count_pages(p)
    workers = min(os.cpu_count() or 1, 8)
    in_worker = multiprocessing.parent_process() is not None  # e.g. one pair of a batch: no nested pool
    if n_pages >= PARALLEL_MIN_PAGES and workers > 1 and not in_worker:
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=pool_context()) as pool:
                return _segment(p, lang, progress, pool, workers)
        except BrokenProcessPool:
            print(
                "aligner: warning: page workers could not start (is the calling script missing "
                "`if __name__ == '__main__':`?); reading the pages in this process",
                file=sys.stderr,
            )
    return _segment(p, lang, progress, None, 1)


def _importing_main() -> bool:
    """True in a worker that is still importing the parent's main script (the state in which Python
    itself refuses to start processes); failing fast there keeps an unguarded script from running
    its whole job once per worker."""
    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


def pool_context():
    """fork is fastest to start, but forking a process that already runs threads (an embedding
    model's thread pool, say) can deadlock; then the slower forkserver is used."""
    try:
        status = Path("/proc/self/status").read_text()
        threads = int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))
    except (OSError, StopIteration, ValueError):
        threads = 2
    if threads == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")


def _segment(path: Path, lang: str | None, progress: bool, pool: Executor | None, workers: int) -> Document:
    pages = extract_pages(path, progress=progress, pool=pool, workers=workers)
    running = find_running_text(pages)
    chunks = [pages[i : i + 8] for i in range(0, len(pages), 8)]
    args = [(chunk, {r for r in running if chunk[0].number <= r[0] <= chunk[-1].number}) for chunk in chunks]
    results = pool.map(_lay_out, args) if pool is not None else map(_lay_out, args)
    infos: list[list[LineInfo]] = []
    removed: list[str] = []
    for chunk_infos, chunk_removed in results:
        infos.extend(chunk_infos)
        removed.extend(chunk_removed)
    blocks = build_blocks(pages, infos)
    if lang is None:
        guess = document_language([b.text for b in blocks])
        lang = guess.lang if guess.lang in ("en", "cy") else "en"
    return Document(path=str(path), lang=lang, n_pages=len(pages), blocks=tuple(blocks), removed=tuple(removed))


def _lay_out(arg: tuple[list[PageContent], set]) -> tuple[list[list[LineInfo]], list[str]]:
    """Reading order and line features for some pages (runs in a worker for long documents)."""
    pages, running = arg
    infos, removed = [], []
    for pg in pages:
        words, gone = strip_running_text(pg, running)
        removed.extend(gone)
        removed.extend(pg.angled)  # text set at an angle is not read, but it is not lost either
        lines, _ = reading_order(words, pg.number, pg.tables, start_region=pg.number * REGIONS_PER_PAGE)
        lines = split_form_columns(lines, pg.checkboxes)
        mark_checkboxes(lines, pg.checkboxes)
        mark_answer_boxes(lines, pg.answer_boxes)
        frame_limits(lines, pg.frames)
        infos.append([line_info(line) for line in lines])
    return infos, removed
