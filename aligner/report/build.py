"""Coverage report: how much of each edition is aligned, and what a reviewer should check.

``build_report`` turns an Alignment into a Report (summary figures, coverage by section or page,
findings); ``write_html`` renders it as one self-contained review page, ``write_json`` as data.
"""

from __future__ import annotations

import json
import os

from aligner.files import atomic_output
from aligner.io.rows import SECTION_SEPARATOR, page_range
from aligner.records import Alignment
from aligner.report.findings import (
    FINDING_KINDS,
    Finding,
    LinkContext,
    ReportSettings,
    count_words,
    find_all,
    link_contexts,
)
from aligner.report.html import render_html
from aligner.report.model import CoverageBar, Report, SideStats

MAX_SECTION_BARS = 40
MAX_PAGE_BARS = 60
MAX_SECTION_SHARE = 0.5
"""A section chart where one bar holds more than this share of the words says little: chart by page instead."""


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
    return ("p. " if span == 1 else "pp. ") + page_range(first, first + span - 1, dash="–")


def _coverage(contexts: list[LinkContext], findings: list[Finding]) -> tuple[list[CoverageBar], str]:
    """Bars by top-level section when the document has a readable number of them, else by pages."""
    per_link: dict[int, int] = {}
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
    return [
        CoverageBar(label=k.split(SECTION_SEPARATOR)[-1], anchor=a, words=w, aligned_words=aw, findings=n)
        for k, (a, w, aw, n) in bars.items()
    ], by


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
        en=en,
        cy=cy,
        aligned_share=(en.aligned_words + cy.aligned_words) / total if total else 1.0,
        findings=findings,
        coverage=coverage,
        coverage_by=by,
        settings=settings,
        alignment_settings=dict(alignment.settings),
        link_kinds=dict(sorted(kinds.items())),
        contexts=contexts,
    )


def write_json(report: Report, path: str | os.PathLike) -> None:
    with atomic_output(path) as fh:
        json.dump(report.to_dict(), fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")


def write_html(report: Report, alignment: Alignment, path: str | os.PathLike) -> None:
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
    "write_html",
    "write_json",
]
