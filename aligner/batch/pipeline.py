"""The batch package's only door into the rest of aligner.

Everything ``aligner.batch`` needs from the aligner itself (align a pair, write TSV/TMX, build the
coverage report, guess a PDF's language, the error types) is imported here and nowhere else, so that
when the package is reorganised only this file has to be re-pointed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from aligner import api
from aligner.alignment.embed import DEFAULT_DTYPE, make_embedder
from aligner.alignment.params import AlignParams
from aligner.errors import AlignerError, InputError, OutputExistsError
from aligner.records import Alignment
from aligner.version import __version__

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
    return str(__version__)


def align_pair(
    en_path: str | os.PathLike[str],
    cy_path: str | os.PathLike[str],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    model: str = "bundled",
    device: str | None = None,
    batch_size: int | None = None,
    dtype: str = DEFAULT_DTYPE,
    **options: Any,
) -> Alignment:
    """Segment and align one English/Welsh pair (no progress bars: the batch has its own).

    ``options`` are AlignParams fields as plain values, as recorded in each pair's done marker.
    """
    params = AlignParams.from_options(dict(options))
    return api.align(
        en_path,
        cy_path,
        params=params,
        model=model,
        device=device,
        batch_size=batch_size,
        dtype=dtype,
        cache_dir=cache_dir,
        progress=False,
    )


def check_model(model: str, device: str | None, batch_size: int | None, dtype: str = DEFAULT_DTYPE) -> None:
    """Fail at once, in one line, for a model that cannot be found, before any pair starts."""
    make_embedder(model, device=device, batch_size=batch_size, dtype=dtype)


def write_alignment(alignment: Alignment, path: str | os.PathLike[str], min_score: float = 0.0) -> None:
    """TSV (plus its ``.json`` sidecar) or TMX, chosen from the extension."""
    api.write_alignment(alignment, path, min_score=min_score)


@dataclass(frozen=True)
class ReportFigures:
    """What the batch summary takes from a pair's coverage report."""

    aligned_share: float
    findings: int


def write_report(
    alignment: Alignment, html_path: str | os.PathLike[str], json_path: str | os.PathLike[str] | None = None
) -> ReportFigures:
    """Build the pair's coverage report, write it as HTML (and JSON), return its headline figures."""
    report = api.build_report(alignment)
    api.write_report(report, alignment, html=html_path, json_path=json_path)
    return ReportFigures(aligned_share=float(report.aligned_share), findings=len(report.findings))


def first_pages_text(path: str | os.PathLike[str], pages: int = DETECT_PAGES) -> str:
    """Text of the first ``pages`` pages, read with the aligner's own extractor (no layout work)."""
    from aligner.pdf.reader import read_first_pages

    return "\n".join(" ".join(w.text for w in page.words) for page in read_first_pages(path, pages))


def detect_language(path: str | os.PathLike[str]) -> Lang | None:
    """'en' or 'cy' from the first pages' function words; None when unsure or unreadable.

    Unreadable files give None rather than an error because pairing lists them as unpaired with a
    reason; the batch run reports the real error if such a file is ever aligned.
    """
    from aligner.segmentation.langid import document_language

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
    from aligner.pdf.reader import count_pages

    try:
        count_pages(Path(path))
    except AlignerError as exc:
        return str(exc)
    return None
