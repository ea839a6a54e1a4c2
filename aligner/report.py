"""Coverage report: how much of each edition is aligned, and what a reviewer should check.

``build_report`` turns an Alignment into a Report (summary figures, coverage by section or page,
findings); ``write_html`` renders it as one self-contained review page, ``write_json`` as data.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AlignerError, InputError
from .files import atomic_output
from .records import Alignment
from .report_findings import (
    FINDING_KINDS,
    SECTION_SEPARATOR,
    Finding,
    LinkContext,
    ReportSettings,
    count_words,
    find_all,
    link_contexts,
)

if TYPE_CHECKING:
    from .embed import Embedder

MAX_SECTION_BARS = 40
MAX_PAGE_BARS = 60
MAX_SECTION_SHARE = 0.5
"""A section chart where one bar holds more than this share of the words says little: chart by page instead."""


@dataclass(frozen=True)
class SideStats:
    blocks: int
    words: int
    aligned_blocks: int
    aligned_words: int

    @property
    def aligned_share(self) -> float:
        return self.aligned_words / self.words if self.words else 1.0


@dataclass(frozen=True)
class CoverageBar:
    """Aligned share of the words in one section (or run of pages); ``anchor`` is its first row."""

    label: str
    anchor: str
    words: int
    aligned_words: int
    findings: int

    @property
    def share(self) -> float:
        return self.aligned_words / self.words if self.words else 1.0


@dataclass
class Report:
    en: SideStats
    cy: SideStats
    aligned_share: float
    """Share of all words, both languages together, that sit in two-sided links."""
    findings: list[Finding]
    coverage: list[CoverageBar]
    coverage_by: str
    """'section' or 'page'."""
    settings: ReportSettings
    alignment_settings: dict[str, Any]
    link_kinds: dict[str, int]
    contexts: list[LinkContext] = field(repr=False, default_factory=list)

    def counts(self) -> dict[str, int]:
        """Findings per kind, every kind present (zero when none)."""
        counts = {k: 0 for k in FINDING_KINDS}
        for f in self.findings:
            counts[f.kind] += 1
        return counts

    def summary_line(self) -> str:
        found = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.counts().items() if n) or "no findings"
        return (f"aligned {self.aligned_share:.1%} of words "
                f"(EN {self.en.aligned_share:.1%} of {self.en.words}, CY {self.cy.aligned_share:.1%} of {self.cy.words}); "
                f"{found}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "aligned_share": round(self.aligned_share, 4),
            "en": {**asdict(self.en), "aligned_share": round(self.en.aligned_share, 4)},
            "cy": {**asdict(self.cy), "aligned_share": round(self.cy.aligned_share, 4)},
            "link_kinds": self.link_kinds,
            "counts": self.counts(),
            "coverage_by": self.coverage_by,
            "coverage": [{**asdict(c), "share": round(c.share, 4)} for c in self.coverage],
            "findings": [f.to_dict() for f in self.findings],
            "report_settings": self.settings.to_dict(),
            "alignment_settings": self.alignment_settings,
        }


def load_alignment_for_report(inputs: list[Path], cache_dir: str | os.PathLike | None = None,
                              progress: bool = False, embedder: Embedder | None = None) -> Alignment:
    """EN.pdf CY.pdf are aligned now; a single file is read as an alignment TSV written by ``aligner align``."""
    inputs = [Path(p) for p in inputs]
    for p in inputs:
        if not p.is_file():
            raise InputError(f"{p}: no such file")
    if len(inputs) == 2:
        from .align import align_pdfs

        return align_pdfs(inputs[0], inputs[1], embedder=embedder, cache_dir=cache_dir, progress=progress)
    if len(inputs) == 1:
        if inputs[0].suffix.lower() == ".pdf":
            raise AlignerError("a report needs two PDFs (EN.pdf CY.pdf) or one alignment .tsv, not one PDF")
        from .export import read_alignment

        return read_alignment(inputs[0])
    raise AlignerError(f"a report needs EN.pdf CY.pdf or one alignment .tsv; got {len(inputs)} inputs")


def _side_stats(blocks: int, contexts: list[LinkContext], lang: str) -> SideStats:
    words = aligned_words = aligned_blocks = 0
    for ctx in contexts:
        n = ctx.en_words if lang == "en" else ctx.cy_words
        k = len(ctx.link.en if lang == "en" else ctx.link.cy)
        words += n
        if ctx.two_sided:
            aligned_words += n
            aligned_blocks += k
    return SideStats(blocks=blocks, words=words, aligned_blocks=aligned_blocks, aligned_words=aligned_words)


def _section_keys(contexts: list[LinkContext]) -> list[str] | None:
    """Section labels at the shallowest heading depth that splits the document into a readable number of
    runs, none holding most of the words; None when no depth does (the chart then goes by page)."""
    total = sum(c.en_words + c.cy_words for c in contexts) or 1
    for depth in (1, 2, 3):
        keys = [SECTION_SEPARATOR.join(ctx.section[:depth]) or "(start of the document)" for ctx in contexts]
        runs = sum(1 for i, k in enumerate(keys) if i == 0 or k != keys[i - 1])
        words: dict[str, int] = {}
        for key, ctx in zip(keys, contexts):
            words[key] = words.get(key, 0) + ctx.en_words + ctx.cy_words
        if len(words) > MAX_SECTION_BARS:
            return None
        if len(words) >= 2 and runs == len(words) and max(words.values()) <= MAX_SECTION_SHARE * total:
            return keys
    return None


def _page_label(first: int, span: int) -> str:
    return f"p. {first}" if span == 1 else f"pp. {first}–{first + span - 1}"


def _coverage(contexts: list[LinkContext], findings: list[Finding]) -> tuple[list[CoverageBar], str]:
    """Bars by top-level section when the document has a readable number of them, else by pages."""
    per_link = {}
    for f in findings:
        per_link[f.link_index] = per_link.get(f.link_index, 0) + 1
    keys, by = _section_keys(contexts), "section"
    if keys is None:
        pages, last = [], None
        for ctx in contexts:
            if ctx.en_pages:
                last = ctx.en_pages[0]
            pages.append(last if last is not None else (ctx.cy_pages or (1,))[0])
        span = max(1, -(-max(pages, default=1) // MAX_PAGE_BARS))
        keys = [_page_label((p - 1) // span * span + 1, span) for p in pages]
        by = "page"
    bars: dict[str, list] = {}
    for ctx, key in zip(contexts, keys):
        bar = bars.setdefault(key, [ctx.anchor, 0, 0, 0])
        words = ctx.en_words + ctx.cy_words
        bar[1] += words
        bar[2] += words if ctx.two_sided else 0
        bar[3] += per_link.get(ctx.index, 0)
    return [CoverageBar(label=k.split(SECTION_SEPARATOR)[-1], anchor=a, words=w, aligned_words=aw, findings=n)
            for k, (a, w, aw, n) in bars.items()], by


def build_report(alignment: Alignment, settings: ReportSettings | None = None) -> Report:
    settings = settings or ReportSettings()
    contexts = link_contexts(alignment)
    findings = find_all(contexts, settings)
    en = _side_stats(len(alignment.en.blocks), contexts, "en")
    cy = _side_stats(len(alignment.cy.blocks), contexts, "cy")
    total = en.words + cy.words
    coverage, by = _coverage(contexts, findings)
    kinds: dict[str, int] = {}
    for ctx in contexts:
        kinds[ctx.link.kind] = kinds.get(ctx.link.kind, 0) + 1
    return Report(
        en=en, cy=cy, aligned_share=(en.aligned_words + cy.aligned_words) / total if total else 1.0,
        findings=findings, coverage=coverage, coverage_by=by, settings=settings,
        alignment_settings=dict(alignment.settings), link_kinds=dict(sorted(kinds.items())), contexts=contexts,
    )


def write_json(report: Report, path: str | os.PathLike) -> None:
    with atomic_output(path) as fh:
        json.dump(report.to_dict(), fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")


def write_html(report: Report, alignment: Alignment, path: str | os.PathLike) -> None:
    from .report_html import render_html

    page = render_html(report, alignment)
    with atomic_output(path) as fh:
        fh.write(page)


__all__ = [
    "FINDING_KINDS",
    "CoverageBar",
    "Finding",
    "Report",
    "ReportSettings",
    "SideStats",
    "build_report",
    "count_words",
    "load_alignment_for_report",
    "write_html",
    "write_json",
]
