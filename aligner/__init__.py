"""aligner: align English and Welsh editions of a PDF report into a bilingual corpus.

Python API (the CLI is a thin layer over these):

    import aligner
    blocks = aligner.segment("report.en.pdf")            # list[Block]
    result = aligner.align("report.en.pdf", "report.cy.pdf")  # Alignment
    aligner.write_alignment(result, "out.tmx")
"""
from __future__ import annotations

__version__ = "0.1.0"
TOOL_NAME = "aligner"

from .errors import AlignerError, InputError, OutputExistsError  # noqa: E402
from .records import Alignment, Block, BlockKind, Document, Link  # noqa: E402


def segment(path, lang=None, progress=False):
    """Segment one PDF into paragraph blocks in reading order."""
    from .segment import segment_pdf

    return list(segment_pdf(path, lang=lang, progress=progress).blocks)


def align(
    en_path,
    cy_path,
    *,
    model: str = "bundled",
    device: str | None = None,
    batch_size: int | None = None,
    prefix: str | None = None,
    embedder=None,
    cache_dir=None,
    use_cache: bool = True,
    progress: bool = False,
    **thresholds,
):
    """Segment both PDFs and align them; ``thresholds`` as in ``aligner.align.align_pdfs``.

    ``model``: "bundled" (default; CPU, no torch) or a sentence-transformers model name or local folder,
    run on ``device`` ("cpu", "cuda", "mps"; default: the best available) ``batch_size`` texts at a time
    (default 32), with ``prefix`` before every text (default: the model's own prompt). Or pass a ready
    ``embedder`` (see ``aligner.embed.make_embedder``) instead.
    """
    from .align import align_pdfs
    from .embed import DEFAULT_BATCH, make_embedder

    if embedder is not None and (model != "bundled" or device or batch_size is not None or prefix is not None):
        raise AlignerError("give either embedder or model/device/batch_size/prefix, not both")
    if embedder is None:
        size = DEFAULT_BATCH if batch_size is None else batch_size
        embedder = make_embedder(model, device=device, batch_size=size, prefix=prefix)
    return align_pdfs(en_path, cy_path, embedder=embedder, cache_dir=cache_dir, use_cache=use_cache,
                      progress=progress, **thresholds)


def write_alignment(alignment, path, fmt=None, **options):
    """Write an alignment as .tsv, .tmx, .csv or .jsonl (chosen from the extension unless fmt is given)."""
    from .export import write_alignment as _write

    return _write(alignment, path, fmt=fmt, **options)


__all__ = [
    "__version__", "AlignerError", "InputError", "OutputExistsError",
    "Alignment", "Block", "BlockKind", "Document", "Link",
    "segment", "align", "write_alignment",
]
