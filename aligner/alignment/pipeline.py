"""Align the blocks of an English and a Welsh document.

Pipeline: embed every block (cached) -> margin statistics -> structural cues -> anchors (mutual
best, high margin or matching label, heaviest monotonic chain) -> banded dynamic programme over
link types 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1, 1-3 (run again when the first path shows how the
document translates its repeated texts, see LinkScorer.set_repeats) -> merges the DP was unsure of settled sentence
by sentence (aligner.alignment.verify) -> leftover blocks that moved (footnotes, boxes)
paired out of order -> calibrated confidence and flags per link. Footnotes are aligned separately
(see aligner.alignment.parts). Links follow English document order; Welsh order is kept too except for
links flagged "moved".
Merged candidates are embedded as the normalised sum of their blocks' vectors, which needs no
extra encoder calls; embedding their joined text instead (merge_embedding="concat") costs about four
times the encoder calls and was no better (benchmarks/align_bench.py --methods aligner aligner-concat).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from aligner.alignment.confidence import link_confidence
from aligner.alignment.cues import extract_cues, strip_leading_label
from aligner.alignment.embed import Embedder, embed_texts, head, make_embedder
from aligner.alignment.params import AlignParams
from aligner.alignment.parts import Pair, Part, merge_in_order, solve_part, split_floating
from aligner.alignment.sanity import Sanity, check_pair
from aligner.alignment.scoring import LINK_TYPES, LinkFeatures, LinkScorer
from aligner.records import Alignment, Document, Link, LinkFlag
from aligner.segmentation.langid import document_language


def language_warnings(en: Document, cy: Document) -> list[str]:
    """Warn when the two files look like the same language or like each other's language."""
    en_guess = document_language([b.text for b in en.blocks])
    cy_guess = document_language([b.text for b in cy.blocks])
    if en_guess.lang == "cy" and cy_guess.lang == "en":
        return [
            f"the languages look swapped: {en.path or 'the English file'} reads as Welsh and "
            f"{cy.path or 'the Welsh file'} as English"
        ]
    if en_guess.lang != "unknown" and en_guess.lang == cy_guess.lang:
        name = {"en": "English", "cy": "Welsh"}[en_guess.lang]
        return [f"both files look {name}: {en.path or 'first file'} and {cy.path or 'second file'}"]
    warnings = []
    if en_guess.lang == "cy":
        warnings.append(f"{en.path or 'the English file'} reads as Welsh")
    if cy_guess.lang == "en":
        warnings.append(f"{cy.path or 'the Welsh file'} reads as English")
    return warnings


def alignment_settings(
    embedder: Embedder, params: AlignParams, method: str, warnings: list[str], extra: dict[str, Any]
) -> dict[str, Any]:
    """What ``Alignment.settings`` holds: tool, version, method, model, every parameter, warnings."""
    from aligner.version import TOOL_NAME, __version__

    return {
        "tool": TOOL_NAME,
        "version": __version__,
        "method": method,
        "model": embedder.name,
        "params": json.loads(json.dumps(asdict(params))),  # plain JSON values, as read back from outputs
        "link_types": [f"{a}-{b}" for a, b in LINK_TYPES],
        **extra,
        "warnings": warnings,
    }


def one_sided_links(en: Document, cy: Document) -> tuple[Link, ...]:
    """Every block as its own 1-0 / 0-1 link: the alignment when one side has no blocks."""
    return tuple(
        [Link((i,), (), 0.5, (LinkFlag.ONE_SIDED,)) for i in range(len(en.blocks))]
        + [Link((), (j,), 0.5, (LinkFlag.ONE_SIDED,)) for j in range(len(cy.blocks))]
    )


def embedding_text(text: str) -> str:
    """A block's text without its leading label: numbering is weighed as a cue (by how far the document's
    numbering can be trusted), so the embedding should compare content only, else a renumbered
    footnote or paragraph looks closer to the wrong one that kept its number."""
    text = _join_surrogates(text)
    stripped = strip_leading_label(text)
    return stripped if stripped.strip() else text


def _join_surrogates(text: str) -> str:
    """Characters outside the BMP that reached us as UTF-16 surrogate halves (some PDF text layers), made whole."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def embed_documents(
    en: Document,
    cy: Document,
    embedder: Embedder,
    *,
    cache_dir=None,
    use_cache: bool = True,
    progress: bool = False,
    max_chars: int | None = AlignParams.embed_max_chars,
) -> tuple[np.ndarray, np.ndarray]:
    """Vectors for both documents' blocks (the text without its leading label, and only its first
    ``max_chars`` characters, see ``AlignParams.embed_max_chars``), embedded in one pass so the progress
    bar covers both."""
    texts = [head(embedding_text(b.text), max_chars) for b in en.blocks] + [
        head(embedding_text(b.text), max_chars) for b in cy.blocks
    ]
    vecs = embed_texts(texts, embedder, cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    return vecs[: len(en.blocks)], vecs[len(en.blocks) :]


def align_documents(
    en: Document,
    cy: Document,
    *,
    params: AlignParams | None = None,
    embedder: Embedder | None = None,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    progress: bool = False,
) -> Alignment:
    """Align two segmented documents with ``params`` (default: ``AlignParams()``)."""
    params = params or AlignParams()
    embedder = embedder or make_embedder()
    warnings = language_warnings(en, cy)
    if not en.blocks or not cy.blocks:
        return Alignment(
            en, cy, one_sided_links(en, cy), alignment_settings(embedder, params, "aligner", warnings, {"anchors": 0})
        )
    sol = solve(en, cy, embedder, params, cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    links = tuple(link for link, _ in finished_links(sol, params))
    if sol.sanity.no_language:  # a cipher "reads as" some language by chance; say what is wrong instead
        warnings = []
    warnings = warnings + [w for w in sol.sanity.warnings if w not in warnings]
    extra = {
        "anchors": sum(len(p.anchor_set) for p in sol.parts),
        "dp_cells": sum(p.cells for p in sol.parts),
        "moved": len(sol.out_of_order),
        "footnotes_aligned_separately": len(sol.parts) > 1,
        "pair_checks": sol.sanity.stats,
        "numbering_trust": round(min((p.scorer.numbering_trust for p in sol.parts if p.scorer), default=1.0), 3),
    }
    return Alignment(en, cy, links, alignment_settings(embedder, params, "aligner", warnings, extra))


@dataclass
class Solution:
    """The paths before confidences are attached (kept separate so calibration can read the features)."""

    parts: list[Part]
    order: list[tuple[int, Pair]]
    """(part index, local pair) in output order."""
    out_of_order: set[Pair]
    """Global pairs whose Welsh side breaks the Welsh order."""
    sanity: Sanity = field(default_factory=Sanity)
    """Whole-pair checks (unrelated files, no-language text layer, bilingual file)."""


def solve(
    en: Document,
    cy: Document,
    embedder: Embedder,
    params: AlignParams,
    *,
    cache_dir=None,
    use_cache: bool = True,
    progress: bool = False,
) -> Solution:
    """Embed, score, anchor and run the banded DP on the main text and on the footnotes."""
    en_vecs, cy_vecs = embed_documents(
        en, cy, embedder, cache_dir=cache_dir, use_cache=use_cache, progress=progress, max_chars=params.embed_max_chars
    )
    en_cues, cy_cues = [extract_cues(b) for b in en.blocks], [extract_cues(b) for b in cy.blocks]
    (me, mc), (fe, fc) = split_floating(en, cy)
    texts = ([b.text for b in en.blocks], [b.text for b in cy.blocks])

    def embed(batch: list[str]) -> np.ndarray:
        return embed_texts(
            batch,
            embedder,
            cache_dir=cache_dir,
            use_cache=use_cache,
            progress=progress,
            desc="embedding sentences of merged links",
        )

    parts = [solve_part(me, mc, en_vecs, cy_vecs, en_cues, cy_cues, params, texts=texts, embed=embed)]
    if fe:
        parts.append(
            solve_part(fe, fc, en_vecs, cy_vecs, en_cues, cy_cues, params, floating=True, texts=texts, embed=embed)
        )
    main = [parts[0].to_global(pr) for pr in parts[0].pairs]
    extra = [pt.to_global(pr) for pt in parts[1:] for pr in pt.pairs]
    merged, out_of_order = merge_in_order(main, extra)
    where = {pt.to_global(pr): (k, pr) for k, pt in enumerate(parts) for pr in pt.pairs}
    out_of_order |= {pt.to_global(pr) for pt in parts for pr in pt.moved}
    sanity = check_pair(en, cy, en_vecs, cy_vecs, params)
    return Solution(parts, [where[g] for g in merged], out_of_order, sanity)


def capped_score(score: float, en: tuple[int, ...], cy: tuple[int, ...], sanity: Sanity) -> float:
    """A link's score under the whole-pair checks' caps (see aligner.alignment.sanity)."""
    score = min(score, sanity.score_cap)
    if any(i in sanity.capped_blocks.get("en", ()) for i in en) or any(
        j in sanity.capped_blocks.get("cy", ()) for j in cy
    ):
        score = min(score, sanity.block_cap)
    return score


def finished_links(sol: Solution, params: AlignParams) -> list[tuple[Link, LinkFeatures]]:
    """The output links in order with their confidences and flags, and the features the confidence read."""
    pairs = [sol.parts[k].to_global(pair) for k, pair in sol.order]
    one_sided = [not e or not c for e, c in pairs]
    clarity = sol.sanity.stats.get("high_margin_share", 1.0)
    out = []
    for n, ((k, pair), (e, c)) in enumerate(zip(sol.order, pairs, strict=True)):
        part = sol.parts[k]
        beside = (n > 0 and one_sided[n - 1]) or (n + 1 < len(pairs) and one_sided[n + 1])
        link, feat = finish_link(
            part.scorer,
            pair[0],
            pair[1],
            part.anchor_set,
            params,
            moved=(e, c) in sol.out_of_order,
            clarity=clarity,
            beside_one_sided=float(beside),
        )
        out.append((Link(e, c, capped_score(link.score, e, c, sol.sanity), link.flags), feat))
    return out


def link_features(scorer: LinkScorer | None, en: tuple[int, ...], cy: tuple[int, ...]) -> LinkFeatures:
    if scorer is None:  # nothing on the other side to compare with
        return LinkFeatures(0.0, 0.0, 0.0)
    return scorer.features(en, cy) if en and cy else _skip_features(scorer, en, cy)


def finish_link(
    scorer: LinkScorer | None,
    en: tuple[int, ...],
    cy: tuple[int, ...],
    anchor_set: set[tuple[int, int]],
    params: AlignParams,
    moved: bool = False,
    clarity: float = 1.0,
    beside_one_sided: float = 0.0,
) -> tuple[Link, LinkFeatures]:
    """Confidence and flags for one link of the final path (local indices), and its features;
    ``clarity`` and ``beside_one_sided``: LinkFeatures fields only the whole path knows."""
    kind = f"{len(en)}-{len(cy)}"
    flags: list[LinkFlag] = [LinkFlag.MOVED] if moved else []
    feat = link_features(scorer, en, cy)
    feat = replace(feat, chars=_chars(scorer, en, cy), clarity=clarity, beside_one_sided=beside_one_sided)
    if not en or not cy:
        flags.append(LinkFlag.ONE_SIDED)
    else:
        flags.extend(feat.flags)
        if any((i, j) in anchor_set for i in en for j in cy):
            flags.append(LinkFlag.ANCHOR)
        if scorer is not None and abs(feat.length) > scorer.p.length_slack:
            flags.append(LinkFlag.LENGTH_RATIO)
        if scorer is not None and feat.sim < scorer.p.sem_threshold:
            flags.append(LinkFlag.LOW_SIMILARITY)
    return Link(en, cy, round(link_confidence(feat, kind, params), 4), tuple(dict.fromkeys(flags))), feat


def _chars(scorer: LinkScorer | None, en: tuple[int, ...], cy: tuple[int, ...]) -> float:
    """Characters of the shorter side of a link (of its only side when one-sided)."""
    if scorer is None:
        return 0.0
    sides = [sum(scorer.en_cues[i].chars for i in en)] if en else []
    sides += [sum(scorer.cy_cues[j].chars for j in cy)] if cy else []
    return float(min(sides))


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
