"""Reference aligners for the benchmark: Gale–Church (length only) and embeddings only.

Both use the same banded dynamic programme as the real aligner (a diagonal band, no anchors), so the
comparison isolates what the margin normalisation, the structural cues and the anchors add.
"""

from __future__ import annotations

import math
import os
from dataclasses import replace
from typing import Any

import numpy as np

from aligner.alignment.cues import extract_cues
from aligner.alignment.dp import band, banded_dp
from aligner.alignment.embed import Embedder, make_embedder
from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import alignment_settings, embed_documents, language_warnings, one_sided_links
from aligner.alignment.scoring import LINK_TYPES, LinkScorer
from aligner.records import Alignment, Document, Link

# Gale & Church (1993): priors of each link type and the variance of the length difference.
GC_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
    (2, 2): 0.011,
    (3, 1): 0.001,
    (1, 3): 0.001,
}
GC_VARIANCE = 6.8
GC_RATIO = 1.1
"""Welsh characters per English character (Gale & Church used 1 for their language pairs)."""


def _log_tail(delta: np.ndarray) -> np.ndarray:
    """log of the two-sided normal tail probability 2 * (1 - Phi(|delta|))."""
    tail = np.array([math.erfc(abs(float(d)) / math.sqrt(2.0)) for d in np.ravel(delta)])
    return np.log(np.maximum(tail, 1e-300)).reshape(np.shape(delta))


class GaleChurchScorer:
    """Gain = log prior(link type) + log P(length difference | link): the classic length model."""

    def __init__(self, en_len: np.ndarray, cy_len: np.ndarray) -> None:
        self.n, self.m = len(en_len), len(cy_len)
        self.en_cum = np.concatenate([[0.0], np.cumsum(en_len)])
        self.cy_cum = np.concatenate([[0.0], np.cumsum(cy_len)])
        self.en_skip = np.log(GC_PRIORS[1, 0]) + _log_tail(self._delta(np.asarray(en_len, float), 0.0))
        self.cy_skip = np.log(GC_PRIORS[0, 1]) + _log_tail(self._delta(0.0, np.asarray(cy_len, float)))

    @staticmethod
    def _delta(l1, l2):
        mean = (np.asarray(l1, float) + np.asarray(l2, float) / GC_RATIO) / 2
        return (np.asarray(l2, float) - np.asarray(l1, float) * GC_RATIO) / np.sqrt(np.maximum(mean, 1.0) * GC_VARIANCE)

    def gains(self, i0: int, di: int, j0: np.ndarray, dj: int, use_cues: bool = True) -> np.ndarray:
        l1 = self.en_cum[i0 + di] - self.en_cum[i0]
        l2 = self.cy_cum[j0 + dj] - self.cy_cum[j0]
        return np.log(GC_PRIORS[di, dj]) + _log_tail(self._delta(l1, l2))


def _links(raw) -> tuple[Link, ...]:
    return tuple(Link(r.en, r.cy, 0.5, ("one-sided",) if not r.en or not r.cy else ()) for r in raw)


def gale_church(en: Document, cy: Document, **_: Any) -> Alignment:
    """Length-only alignment on characters."""
    scorer = GaleChurchScorer(
        np.array([len(b.text) for b in en.blocks], float), np.array([len(b.text) for b in cy.blocks], float)
    )
    lo, hi = band(scorer.n, scorer.m, [], 0, 25)
    raw = banded_dp(scorer, lo, hi) if scorer.n and scorer.m else []
    links = _links(raw) if raw else one_sided_links(en, cy)
    from aligner.version import TOOL_NAME, __version__

    settings = {
        "tool": TOOL_NAME,
        "version": __version__,
        "method": "gale-church",
        "priors": {f"{a}-{b}": p for (a, b), p in GC_PRIORS.items()},
        "variance": GC_VARIANCE,
        "length_ratio": GC_RATIO,
        "warnings": language_warnings(en, cy),
    }
    return Alignment(en, cy, links, settings)


def embeddings_only(
    en: Document,
    cy: Document,
    *,
    embedder: Embedder | None = None,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    progress: bool = False,
) -> Alignment:
    """Margin-normalised embedding similarity in the same DP, without cues, length or anchors."""
    embedder = embedder or make_embedder()
    params = replace(AlignParams(), cue_weight=0.0, length_weight=0.0)
    if not en.blocks or not cy.blocks:
        return Alignment(
            en, cy, one_sided_links(en, cy), alignment_settings(embedder, params, "embeddings-only", [], {})
        )
    en_vecs, cy_vecs = embed_documents(en, cy, embedder, cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    scorer = LinkScorer(
        en_vecs, cy_vecs, [extract_cues(b) for b in en.blocks], [extract_cues(b) for b in cy.blocks], params
    )
    lo, hi = band(scorer.n, scorer.m, [], 0, params.band_min)
    raw = banded_dp(scorer, lo, hi, use_cues=False) if scorer.n and scorer.m else []
    return Alignment(
        en,
        cy,
        _links(raw),
        alignment_settings(embedder, params, "embeddings-only", language_warnings(en, cy), {"anchors": 0}),
    )


__all__ = ["LINK_TYPES", "GaleChurchScorer", "embeddings_only", "gale_church"]
