"""aligner: align English and Welsh editions of a PDF report into a bilingual corpus.

Python API (the CLI is a thin layer over these)::

    import aligner
    doc = aligner.segment("report.en.pdf")                       # Document: blocks, pages, language
    result = aligner.align("report.en.pdf", "report.cy.pdf")     # Alignment
    aligner.write_alignment(result, "out.tmx", min_score=0.5)
    report = aligner.build_report(result)                        # coverage findings

Subpackages hold the stages (pdf -> segmentation -> alignment -> io, report); none of their names is
the name of an API function, so importing them never hides one.
"""

from aligner.alignment.params import AlignParams
from aligner.api import (
    align,
    align_sentences,
    build_report,
    evaluate,
    load_alignment,
    read_alignment,
    segment,
    write_alignment,
    write_report,
)
from aligner.errors import AlignerError, InputError, OutputExistsError
from aligner.records import Alignment, Block, BlockKind, Document, Link, LinkFlag, SentenceLink
from aligner.version import __version__

__all__ = [
    "AlignParams",
    "AlignerError",
    "Alignment",
    "Block",
    "BlockKind",
    "Document",
    "InputError",
    "Link",
    "LinkFlag",
    "OutputExistsError",
    "SentenceLink",
    "__version__",
    "align",
    "align_sentences",
    "build_report",
    "evaluate",
    "load_alignment",
    "read_alignment",
    "segment",
    "write_alignment",
    "write_report",
]
