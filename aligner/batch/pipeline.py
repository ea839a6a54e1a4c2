"""The batch package's only door into the rest of aligner.

Everything ``aligner.batch`` needs from the aligner itself (align a pair, write TSV/TMX, build the
coverage report, guess a PDF's language, the error types) is imported here and nowhere else, so that
when the package is reorganised only this file has to be re-pointed.
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import aligner
from aligner import AlignerError, Alignment, InputError, OutputExistsError

__all__ = [
    "DETECT_MIN_CONFIDENCE",
    "DETECT_PAGES",
    "AlignerError",
    "Alignment",
    "InputError",
    "OutputExistsError",
    "ReportFigures",
    "align_pair",
    "aligner_version",
    "detect_language",
    "write_alignment",
    "write_report",
]

Lang = Literal["en", "cy"]

DETECT_PAGES = 2
"""Pages read from the start of a PDF to guess its language when its name does not tell."""
DETECT_MIN_CONFIDENCE = 0.5
"""Below this langid confidence a document's language counts as unknown (no pairing on a guess)."""


def aligner_version() -> str:
    return str(aligner.__version__)


def _align_function() -> Callable[..., Alignment]:
    """``aligner.align``, the function.

    Importing the submodule ``aligner.align`` (which ``aligner.align(...)`` itself does) rebinds the
    package attribute ``align`` to that module, so after the first call ``aligner.align`` is a module.
    """
    fn: Any = aligner.align
    if isinstance(fn, types.ModuleType):
        fn = fn.align_pdfs
    return fn  # type: ignore[no-any-return]


def align_pair(
    en_path: str | os.PathLike[str],
    cy_path: str | os.PathLike[str],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Alignment:
    """Segment and align one English/Welsh pair (no progress bars: the batch has its own)."""
    return _align_function()(en_path, cy_path, cache_dir=cache_dir, progress=False, **options)


def write_alignment(alignment: Alignment, path: str | os.PathLike[str], min_score: float = 0.0) -> None:
    """TSV (plus its ``.json`` sidecar) or TMX, chosen from the extension."""
    aligner.write_alignment(alignment, path, min_score=min_score)


@dataclass(frozen=True)
class ReportFigures:
    """What the batch summary takes from a pair's coverage report."""

    aligned_share: float
    findings: int


def write_report(
    alignment: Alignment, html_path: str | os.PathLike[str], json_path: str | os.PathLike[str] | None = None
) -> ReportFigures:
    """Build the pair's coverage report, write it as HTML (and JSON), return its headline figures."""
    from aligner.report import build_report, write_html, write_json

    report = build_report(alignment)
    write_html(report, alignment, html_path)
    if json_path is not None:
        write_json(report, json_path)
    return ReportFigures(aligned_share=float(report.aligned_share), findings=len(report.findings))


def first_pages_text(path: str | os.PathLike[str], pages: int = DETECT_PAGES) -> str:
    """Text of the first ``pages`` pages, read with the aligner's own extractor (no layout work)."""
    from aligner.extract import _read_range, check_pdf_file, count_pages

    p = check_pdf_file(path)
    n = min(pages, count_pages(p))
    return "\n".join(" ".join(w.text for w in page.words) for page in _read_range(str(p), 0, n))


def detect_language(path: str | os.PathLike[str]) -> Lang | None:
    """'en' or 'cy' from the first pages' function words; None when unsure or unreadable.

    Unreadable files give None rather than an error because pairing lists them as unpaired with a
    reason; the batch run reports the real error if such a file is ever aligned.
    """
    from aligner.langid import document_language

    try:
        text = first_pages_text(path)
    except AlignerError:
        return None
    guess = document_language([text])
    if guess.lang in ("en", "cy") and guess.confidence >= DETECT_MIN_CONFIDENCE:
        return "en" if guess.lang == "en" else "cy"
    return None


def pdf_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be read as a PDF (one line), or None if it opens."""
    from aligner.extract import count_pages

    try:
        count_pages(Path(path))
    except AlignerError as exc:
        return str(exc)
    return None
