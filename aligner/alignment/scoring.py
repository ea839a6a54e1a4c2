"""Scores for candidate links: margin-normalised similarity, length ratio and structural cues.

Raw cosines from a multilingual encoder are compressed (true pairs ~0.88, unrelated ~0.80) and
their level varies from block to block, so a cosine is never thresholded directly. Each block's
cosine is rescaled against its own neighbourhood in the other document (Vecalign/LASER margin):

    s = (cos - background) / (nearest-neighbour mean - background)

where background is the block's mean cosine to all blocks of the other document and the
nearest-neighbour mean averages its k best. s is about 0 for an unrelated pair and about 1 or more
for a translation, whatever the encoder's scale.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from aligner.alignment.cues import BlockCues, CueEvidence, CueWeights, cue_evidence
from aligner.alignment.params import AlignParams
from aligner.records import LinkFlag

LINK_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))


@dataclass
class Neighbourhood:
    """Per-block background and nearest-neighbour cosine levels, and each block's best partner."""

    background: np.ndarray
    knn: np.ndarray
    best: np.ndarray
    best_cos: np.ndarray


def neighbourhood(
    a: np.ndarray, b: np.ndarray, k: int, context: np.ndarray | None = None, chunk: int = 512
) -> Neighbourhood:
    """Statistics of each row of ``a`` against ``b``, computed in row chunks (no n x m matrix kept).

    ``context`` (default ``b``) is what the background and nearest-neighbour levels are measured
    against: a small sub-problem (a few footnotes) has too few rows of its own to estimate them.
    """
    ctx = b if context is None else context
    n = a.shape[0]
    bg = np.zeros(n, np.float32)
    knn = np.zeros(n, np.float32)
    best = np.full(n, -1, np.int64)
    best_cos = np.zeros(n, np.float32)
    if b.shape[0] == 0 or ctx.shape[0] == 0:
        return Neighbourhood(bg, knn + 1.0, best, best_cos)
    kk = max(1, min(k, ctx.shape[0] // 4))  # in a tiny document the k-th neighbour is already unrelated
    for start in range(0, n, chunk):
        rows = a[start : start + chunk]
        sims = rows @ ctx.T
        bg[start : start + chunk] = sims.mean(axis=1)
        top = -np.partition(-sims, kk - 1, axis=1)[:, :kk]
        knn[start : start + chunk] = top.mean(axis=1)
        own = sims if context is None else rows @ b.T
        best[start : start + chunk] = own.argmax(axis=1)
        best_cos[start : start + chunk] = own.max(axis=1)
    return Neighbourhood(bg, knn, best, best_cos)


def _huber(z: np.ndarray, k: float) -> np.ndarray:
    """Negative Gaussian log-likelihood, linear beyond k so one odd length cannot dominate."""
    a = np.abs(z)
    return np.where(a <= k, a * a / 2, k * a - k * k / 2)


def _runs(vectors: np.ndarray, k: int) -> np.ndarray:
    """Normalised sums of k consecutive vectors: the embedding of a merged candidate."""
    n = vectors.shape[0]
    if n < k:
        return np.zeros((0, vectors.shape[1]), np.float32)
    total = sum(vectors[i : n - k + 1 + i] for i in range(k))
    return total / np.maximum(np.linalg.norm(total, axis=1, keepdims=True), 1e-12)


class PairScorer(Protocol):
    """What the dynamic programme needs: sizes, gains of two-sided links and of leaving a block out."""

    n: int
    m: int
    en_skip: np.ndarray
    cy_skip: np.ndarray

    def gains(self, i0: int, di: int, j0: np.ndarray, dj: int, use_cues: bool = True) -> np.ndarray: ...


@dataclass
class LinkFeatures:
    """What the gain and the confidence of a link are computed from."""

    sim: float
    cue: float
    length: float
    flags: tuple[LinkFlag, ...] = field(default_factory=tuple)
    chars: float = 0.0
    """Characters of the link's shorter side (of its one side when one-sided): short form fragments err more."""
    clarity: float = 1.0
    """Share of the document's blocks in clear mutual-best pairs (aligner.alignment.sanity): how cleanly
    this pair of documents pairs up at all, which bounds how reliable any one link is."""
    beside_one_sided: float = 0.0
    """1 when a neighbouring link in the output is one-sided: boundaries are least sure there."""


class LinkScorer:
    """Gains of candidate links for the dynamic programme (higher is better, 0 = leave unaligned)."""

    def __init__(
        self,
        en_vecs: np.ndarray,
        cy_vecs: np.ndarray,
        en_cues: list[BlockCues],
        cy_cues: list[BlockCues],
        params: AlignParams,
        run_vectors: tuple[dict[int, np.ndarray], dict[int, np.ndarray]] | None = None,
        context: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """``run_vectors``: embeddings of the joined text of 2 and 3 consecutive blocks per side, used
        instead of the normalised sum of their vectors (params.merge_embedding == "concat").
        ``context``: all block vectors of both documents, to measure margins against when these
        blocks are only a part of them (see neighbourhood)."""
        self.p = params
        self.n, self.m = en_vecs.shape[0], cy_vecs.shape[0]
        self.en_runs = {k: _runs(en_vecs, k) for k in (1, 2, 3)}
        self.cy_runs = {k: _runs(cy_vecs, k) for k in (1, 2, 3)}
        if run_vectors is not None:
            self.en_runs.update(run_vectors[0])
            self.cy_runs.update(run_vectors[1])
        # Each link shape gets its own margin statistics: averaging vectors raises cosines, so a merged
        # candidate is only compared with other merged candidates of the same shape.
        self.en_stats: dict[tuple[int, int], Neighbourhood] = {}
        self.cy_stats: dict[tuple[int, int], Neighbourhood] = {}
        for di, dj in LINK_TYPES:
            if di and dj:
                ctx_en = None if context is None else _runs(context[0], di)
                ctx_cy = None if context is None else _runs(context[1], dj)
                self.en_stats[di, dj] = neighbourhood(self.en_runs[di], self.cy_runs[dj], params.knn, ctx_cy)
                self.cy_stats[di, dj] = neighbourhood(self.cy_runs[dj], self.en_runs[di], params.knn, ctx_en)
        self.en_nb, self.cy_nb = self.en_stats[1, 1], self.cy_stats[1, 1]
        self.en_skip = np.full(self.n, params.skip_gain)
        self.cy_skip = np.full(self.m, params.skip_gain)
        self.en_len = np.array([c.chars for c in en_cues], np.float64)
        self.cy_len = np.array([c.chars for c in cy_cues], np.float64)
        self.en_cum = np.concatenate([[0.0], np.cumsum(self.en_len)])
        self.cy_cum = np.concatenate([[0.0], np.cumsum(self.cy_len)])
        self.en_cues, self.cy_cues = en_cues, cy_cues
        self.weights = CueWeights.fit([*en_cues, *cy_cues], params.cues.short_number_weight)
        self._en_label = np.array([bool(c.label or c.units) for c in en_cues], bool)
        self._cy_label = np.array([bool(c.label or c.units) for c in cy_cues], bool)
        self._en_has = [bool(c.label or c.units or c.tokens) for c in en_cues]
        self._cy_has = [bool(c.label or c.units or c.tokens) for c in cy_cues]
        self._cy_bare = np.array([c.bare_label for c in cy_cues], bool)
        self.numbering_trust = self._measure_numbering_trust()
        """How far this document's numbering can be believed: see _measure_numbering_trust."""
        self.repeats: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        """Text class and expected partner class per block, each side (see set_repeats)."""

    def set_repeats(
        self, en_text: list[str], cy_text: list[str], pairs: list[tuple[tuple[int, ...], tuple[int, ...]]]
    ) -> bool:
        """Learn from a first path how this document translates its repeated texts: a text printed many
        times (a table header cell, "Yes", a mark) whose 1-1 links mostly go to one text of the other
        side expects that partner; gains then favour it and count against any other partner (the small
        encoder barely tells one-word cells apart). Returns whether anything was learnt."""
        p = self.p
        en_ids: dict[str, int] = {}
        cy_ids: dict[str, int] = {}
        en_class = np.array([en_ids.setdefault(t, len(en_ids)) for t in en_text], np.int64)
        cy_class = np.array([cy_ids.setdefault(t, len(cy_ids)) for t in cy_text], np.int64)
        partners: dict[tuple[str, int], Counter] = defaultdict(Counter)
        for e, c in pairs:
            if len(e) == 1 and len(c) == 1:
                partners["en", int(en_class[e[0]])][int(cy_class[c[0]])] += 1
                partners["cy", int(cy_class[c[0]])][int(en_class[e[0]])] += 1
        expect: dict[tuple[str, int], int] = {}
        for key, counts in partners.items():
            (best, n), total = counts.most_common(1)[0], sum(counts.values())
            if n >= p.repeat_min_links and n >= p.repeat_min_share * total:
                expect[key] = best
        if not expect:
            return False
        en_expect = np.array([expect.get(("en", int(k)), -1) for k in en_class], np.int64)
        cy_expect = np.array([expect.get(("cy", int(k)), -1) for k in cy_class], np.int64)
        self.repeats = (en_class, cy_class, en_expect, cy_expect)
        return True

    def repeats_disagree(self, pairs: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> bool:
        """Whether some block with an expected partner (set_repeats) is not in a 1-1 link with one. If
        none is, the path already earns every repeat bonus and stays optimal: no second DP is needed."""
        if self.repeats is None:
            return False
        en_class, cy_class, en_expect, cy_expect = self.repeats
        for e, c in pairs:
            if len(e) == 1 and len(c) == 1:
                i, j = e[0], c[0]
                if (en_expect[i] >= 0 and cy_class[j] != en_expect[i]) or (
                    cy_expect[j] >= 0 and en_class[i] != cy_expect[j]
                ):
                    return True
            elif any(en_expect[i] >= 0 for i in e) or any(cy_expect[j] >= 0 for j in c):
                return True
        return False

    def repeat_evidence(self, i0: int, j0: np.ndarray) -> np.ndarray:
        """Evidence for 1-1 links (EN i0, CY j0[k]) from the repeated texts' usual partners (set_repeats)."""
        if self.repeats is None:
            return np.zeros(np.shape(j0))
        en_class, cy_class, en_expect, cy_expect = self.repeats
        w = self.p.repeat_weight
        out = np.zeros(np.shape(j0))
        if en_expect[i0] >= 0:
            out += np.where(cy_class[j0] == en_expect[i0], w, -w)
        want = cy_expect[j0]
        out += np.where(want < 0, 0.0, np.where(want == en_class[i0], w, -w))
        return out

    def similarity(self, i0: int, di: int, j0: np.ndarray, dj: int) -> np.ndarray:
        """Normalised similarity of EN blocks i0..i0+di-1 with CY blocks j0..j0+dj-1 for each j0."""
        return self._normalised(self.cy_runs[dj][j0] @ self.en_runs[di][i0], i0, di, j0, dj)

    def pair_similarity(self, en: np.ndarray, cy: np.ndarray) -> np.ndarray:
        """similarity() of single blocks en[k] and cy[k], for each k."""
        return self._normalised(np.einsum("kd,kd->k", self.en_runs[1][en], self.cy_runs[1][cy]), en, 1, cy, 1)

    def _normalised(self, cos: np.ndarray, en: int | np.ndarray, di: int, cy: np.ndarray, dj: int) -> np.ndarray:
        """Cosine against the blocks' background (0) and their nearest neighbours (1)."""
        es, cs = self.en_stats[di, dj], self.cy_stats[di, dj]
        bg = (es.background[en] + cs.background[cy]) / 2
        spread = (es.knn[en] - es.background[en] + cs.knn[cy] - cs.background[cy]) / 2
        return (cos - bg) / np.maximum(spread, 1e-3)

    def weakest_part(self, i0: int, di: int, j0: np.ndarray, dj: int) -> np.ndarray:
        """For a merge: the lowest, over its blocks, of a block's best 1-1 similarity inside the link.

        A real merge relates every part to the other side; an unrelated block absorbed into a
        neighbouring link (an omission hidden as a 2-1) has one part with no partner.
        """
        sims = [[self.similarity(i0 + a, 1, j0 + t, 1) for t in range(dj)] for a in range(di)]
        # A bare label ("2.6" split off its paragraph) has no content to be explained: not a part to check.
        per_en = [np.max(row, axis=0) for a, row in enumerate(sims) if not self.en_cues[i0 + a].bare_label]
        per_cy = [
            np.where(self._cy_bare[j0 + t], np.inf, np.max([sims[a][t] for a in range(di)], axis=0)) for t in range(dj)
        ]
        parts = per_en + per_cy
        return np.min(parts, axis=0) if parts else np.full(np.shape(j0), np.inf)

    def length_z(self, i0: int, di: int, j0: np.ndarray, dj: int) -> np.ndarray:
        """Gale–Church length statistic: difference from the expected Welsh length, in standard deviations."""
        en = self.en_cum[i0 + di] - self.en_cum[i0]
        cy = self.cy_cum[j0 + dj] - self.cy_cum[j0]
        r = self.p.length_ratio
        return (cy - r * en) / np.sqrt(self.p.length_variance * np.maximum((en + cy / r) / 2, 1.0))

    def length_dev(self, i0: int, di: int, j0: np.ndarray, dj: int) -> np.ndarray:
        """log(CY chars / expected CY chars), smoothed so that short headings are not over-penalised."""
        en = self.en_cum[i0 + di] - self.en_cum[i0]
        cy = self.cy_cum[j0 + dj] - self.cy_cum[j0]
        k = self.p.length_smoothing
        return np.log((cy + k) / (self.p.length_ratio * en + k))

    def cue(self, i0: int, di: int, j0: int, dj: int, sim: float | None = None) -> tuple[float, tuple[LinkFlag, ...]]:
        """Cue evidence for one candidate link, numbering weighed by trust and by the texts' similarity ``sim``."""
        if not (any(self._en_has[i0 : i0 + di]) or any(self._cy_has[j0 : j0 + dj])):
            if di == 1 and dj == 1 and self.en_cues[i0].kind != self.cy_cues[j0].kind:
                ev = cue_evidence(self.en_cues[i0 : i0 + 1], self.cy_cues[j0 : j0 + 1], self.weights, self.p.cues)
                return ev.score, ev.flags
            return 0.0, ()
        ev = cue_evidence(self.en_cues[i0 : i0 + di], self.cy_cues[j0 : j0 + dj], self.weights, self.p.cues)
        if not (ev.numbering_match or ev.numbering_conflict):
            return ev.score, ev.flags
        if sim is None:
            sim = float(self.similarity(i0, di, np.array([j0]), dj)[0])
        return ev.score + self._numbering_adjustment(ev, sim), ev.flags

    def _numbering_adjustment(self, ev: CueEvidence, sim: float) -> float:
        """Change to ``ev.score`` that weighs numbering by the document's trust in it (both ways) and a
        match by how alike the texts are: a matching label on unrelated texts is what a renumbering
        (or a shifted pair) looks like, not evidence."""
        c = self.p.cues
        ramp = (sim - c.label_match_sim_low) / max(c.label_match_sim_high - c.label_match_sim_low, 1e-6)
        ramp = c.label_match_floor + (1.0 - c.label_match_floor) * min(1.0, max(0.0, ramp))
        scaled = self.numbering_trust * (ev.numbering_match * ramp + ev.numbering_conflict)
        return scaled - ev.numbering_match - ev.numbering_conflict

    def _measure_numbering_trust(self) -> float:
        """Share of the pairs the text alone is sure of (mutual best, normalised similarity over
        anchor_min_sim) whose labels or numbered units agree, with pseudo-counts from CueParams."""
        c = self.p.cues
        agree = conflict = 0
        for i in range(self.n):
            j = int(self.en_nb.best[i])
            if j < 0 or int(self.cy_nb.best[j]) != i:
                continue
            if not (self._en_label[i] and self._cy_label[j]):
                continue
            if float(self.similarity(i, 1, np.array([j]), 1)[0]) < self.p.anchor_min_sim:
                continue
            ev = cue_evidence(self.en_cues[i : i + 1], self.cy_cues[j : j + 1], self.weights, c)
            agree += ev.numbering_match > 0 and ev.numbering_conflict == 0
            conflict += ev.numbering_conflict < 0
        prior = c.numbering_prior_agree + c.numbering_prior_conflict
        return (agree + c.numbering_prior_agree) / (agree + conflict + prior)

    def gains(self, i0: int, di: int, j0: np.ndarray, dj: int, use_cues: bool = True) -> np.ndarray:
        """Gain of each candidate link (EN i0.., CY j0[k]..) of type di-dj, both sides non-empty."""
        p = self.p
        sim = self.similarity(i0, di, j0, dj)
        size = (di + dj) / 2
        gain = p.sem_weight * size * (sim - p.sem_threshold)
        gain -= p.length_weight * _huber(self.length_z(i0, di, j0, dj), p.length_huber_k)
        if di > 1 or dj > 1:
            gain -= p.double_merge_penalty if (di > 1 and dj > 1) else p.merge_penalty * (max(di, dj) - 1)
            weakest = self.weakest_part(i0, di, j0, dj)
            gain -= p.part_weight * np.maximum(0.0, p.part_threshold - weakest)
        if di == 1 and dj == 1 and self.repeats is not None:
            gain += self.repeat_evidence(i0, j0)
        if use_cues and p.cue_weight:
            # Token cues only matter where the texts are already somewhat alike; labels count everywhere.
            ask = (sim > p.cue_min_sim) | (self._en_label[i0] & self._cy_label[j0])
            for k in np.flatnonzero(ask):
                gain[k] += p.cue_weight * self.cue(i0, di, int(j0[k]), dj, float(sim[k]))[0]
        return gain

    def features(self, en: tuple[int, ...], cy: tuple[int, ...]) -> LinkFeatures:
        if not en or not cy:
            return LinkFeatures(0.0, 0.0, 0.0)
        j0 = np.array([cy[0]])
        sim = float(self.similarity(en[0], len(en), j0, len(cy))[0])
        length = float(self.length_dev(en[0], len(en), j0, len(cy))[0])
        cue, flags = self.cue(en[0], len(en), cy[0], len(cy), sim)
        return LinkFeatures(sim, cue, length, flags)
