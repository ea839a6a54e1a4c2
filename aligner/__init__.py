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


def align(en_path, cy_path, **options):
    """Segment both PDFs and align them; see ``aligner.align.align_pdfs`` for the options."""
    from .align import align_pdfs

    return align_pdfs(en_path, cy_path, **options)


def write_alignment(alignment, path, fmt=None, **options):
    """Write an alignment as .tsv, .tmx, .csv or .jsonl (chosen from the extension unless fmt is given)."""
    from .export import write_alignment as _write

    return _write(alignment, path, fmt=fmt, **options)


__all__ = [
    "__version__", "AlignerError", "InputError", "OutputExistsError",
    "Alignment", "Block", "BlockKind", "Document", "Link",
    "segment", "align", "write_alignment",
]
