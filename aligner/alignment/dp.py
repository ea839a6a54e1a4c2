"""Anchors and the banded dynamic programme that turns link gains into a monotonic alignment.

Anchors are mutual-best pairs with a high margin (or a matching label), reduced to the heaviest
monotonic chain (weighted longest increasing subsequence) so that one misleading pair cannot pull the
alignment off course; an anchor far off the diagonals of both its neighbours is a moved block and is
paired after the DP instead (split_detours). Between consecutive anchors the DP may only visit cells
inside the rectangle they span, widened by a few blocks so that a merge touching an anchor is still
possible; long stretches without anchors are further limited to a diagonal band. The number of cells therefore
grows about linearly with document length.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

from aligner.alignment.scoring import LINK_TYPES, LinkScorer, PairScorer

NEG = -1e18


@dataclass(frozen=True)
class Anchor:
    en: int
    cy: int
    weight: float


def find_anchors(scorer: LinkScorer) -> list[Anchor]:
    """High-confidence 1-1 pairs, consistent with each other in order."""
    p = scorer.p
    en_nb, cy_nb = scorer.en_nb, scorer.cy_nb
    candidates: list[Anchor] = []
    for i in range(scorer.n):
        j = int(en_nb.best[i])
        if j < 0 or int(cy_nb.best[j]) != i:
            continue
        sim = float(scorer.similarity(i, 1, np.array([j]), 1)[0])
        cue, _ = scorer.cue(i, 1, j, 1, sim)
        dev = abs(float(scorer.length_dev(i, 1, np.array([j]), 1)[0]))
        if dev > p.length_slack + p.anchor_length_margin:
            continue
        labelled = scorer.en_cues[i].label is not None and scorer.en_cues[i].label == scorer.cy_cues[j].label
        labelled = labelled or bool(scorer.en_cues[i].units & scorer.cy_cues[j].units)
        labelled = labelled and scorer.numbering_trust >= p.anchor_min_numbering_trust
        # Contradicting cues (a renumbered label, a missing number) raise the bar, never veto.
        if sim + min(cue, 0.0) >= p.anchor_min_sim or (labelled and sim + min(cue, 0.0) >= p.anchor_min_sim_with_label):
            candidates.append(Anchor(i, j, sim + max(cue, 0.0)))
    return _heaviest_chain(candidates, p.anchor_chain_lookback)


def _heaviest_chain(anchors: list[Anchor], lookback: int) -> list[Anchor]:
    """Heaviest subsequence increasing in both coordinates (anchors come sorted by ``en``)."""
    if not anchors:
        return []
    best = [a.weight for a in anchors]
    back = [-1] * len(anchors)
    for k, a in enumerate(anchors):  # O(a^2) in anchors only, with an early stop on distance
        for q in range(k - 1, max(-1, k - lookback), -1):
            b = anchors[q]
            if b.en < a.en and b.cy < a.cy and best[q] + a.weight > best[k]:
                best[k], back[k] = best[q] + a.weight, q
    k = int(np.argmax(best))
    chain = []
    while k >= 0:
        chain.append(anchors[k])
        k = back[k]
    return chain[::-1]


def split_detours(chain: list[Anchor], max_shift: int) -> tuple[list[Anchor], list[Anchor]]:
    """The chain without its detours, and the detours: anchors whose diagonal (Welsh minus English
    position) is more than ``max_shift`` blocks off the diagonals of both neighbours (the last anchor
    kept, the next in the chain), which agree with each other within it. Such a pair is a block one
    edition prints elsewhere (a cell's text run over past a page break and a repeated table header):
    steering the path through it would push the blocks between it and its neighbours out of line, so
    it is paired afterwards as a moved block (aligner.alignment.parts.pair_moved_blocks)."""
    kept: list[Anchor] = []
    detours: list[Anchor] = []
    for k, a in enumerate(chain):
        if kept and k < len(chain) - 1:
            before, after = kept[-1].cy - kept[-1].en, chain[k + 1].cy - chain[k + 1].en
            here = a.cy - a.en
            if abs(before - after) <= max_shift and min(abs(here - before), abs(here - after)) > max_shift:
                detours.append(a)
                continue
        kept.append(a)
    return kept, detours


def band(
    n: int, m: int, anchors: list[Anchor], slack: int, band_min: int, growth: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """Allowed CY state range [lo[r], hi[r]] for every EN state r in 0..n (states count consumed blocks)."""
    pts = [(0, 0)] + [(a.en, a.cy) for a in anchors] + [(n, m)]
    lo = np.zeros(n + 1, np.int64)
    hi = np.zeros(n + 1, np.int64)
    starts = [p[0] for p in pts]
    for r in range(n + 1):
        k = max(0, bisect_left(starts, r + 1) - 1)  # last point with en <= r
        (ai, aj) = pts[k]
        (bi, bj) = pts[min(k + 1, len(pts) - 1)]
        rect_lo, rect_hi = aj - slack, bj + 1 + slack
        if bi > ai and (bi - ai) > 2 * band_min:
            gap_en, gap_cy = bi - ai, bj - aj
            centre = aj + (r - ai) * gap_cy / gap_en
            width = max(band_min, 2 * abs(gap_cy - gap_en) + growth * max(gap_en, gap_cy)) + slack
            rect_lo, rect_hi = max(rect_lo, int(centre - width)), min(rect_hi, int(centre + width) + 1)
        lo[r], hi[r] = max(0, rect_lo), min(m, rect_hi)
    lo = np.maximum.accumulate(lo)
    hi = np.minimum.accumulate(hi[::-1])[::-1]
    lo[0], hi[n] = 0, m
    hi = np.maximum(hi, lo)
    for r in range(1, n + 1):  # keep consecutive rows overlapping so a path always exists
        lo[r] = min(lo[r], hi[r - 1])
    return lo, hi


@dataclass(frozen=True)
class RawLink:
    en: tuple[int, ...]
    cy: tuple[int, ...]
    gain: float


def banded_dp(
    scorer: PairScorer,
    lo: np.ndarray,
    hi: np.ndarray,
    use_cues: bool = True,
    link_types: tuple[tuple[int, int], ...] = LINK_TYPES,
) -> list[RawLink]:
    """Best monotonic sequence of links through the band; every block ends up in exactly one link."""
    n, m = scorer.n, scorer.m
    score: list[np.ndarray] = []
    move: list[np.ndarray] = []
    pairs = [t for t in link_types if t[0] and t[1]]
    en_skip = (1, 0) in link_types
    cy_skip = (0, 1) in link_types
    for r in range(n + 1):
        cols = np.arange(lo[r], hi[r] + 1)
        best = np.full(cols.shape[0], NEG)
        arg = np.full(cols.shape[0], -1, np.int64)
        if r == 0:
            best[cols == 0] = 0.0
        moves = pairs + ([(1, 0)] if en_skip else [])
        for di, dj in moves:
            if r - di < 0:
                continue
            prev_lo, prev_hi = lo[r - di], hi[r - di]
            src = cols - dj
            ok = (src >= prev_lo) & (src <= prev_hi)
            if not ok.any():
                continue
            prev = np.full(cols.shape[0], NEG)
            prev[ok] = score[r - di][src[ok] - prev_lo]
            ok &= prev > NEG / 2
            if not ok.any():
                continue
            gain = np.full(cols.shape[0], NEG)
            if dj == 0:
                gain[ok] = scorer.en_skip[r - 1]
            else:
                gain[ok] = scorer.gains(r - di, di, src[ok], dj, use_cues=use_cues)
            total = prev + gain
            better = ok & (total > best)
            best[better] = total[better]
            arg[better] = link_types.index((di, dj))
        if cy_skip and cols.shape[0] > 1:
            # Same-row 0-1 moves: best[c] = max(best[c], best[c-1] + skip), as a running maximum.
            steps = np.zeros(cols.shape[0])
            steps[1:] = scorer.cy_skip[cols[:-1]]
            offset = np.cumsum(steps)
            shifted = np.maximum.accumulate(best - offset) + offset
            from_left = shifted > best + 1e-12
            best = np.where(from_left, shifted, best)
            arg = np.where(from_left, link_types.index((0, 1)), arg)
        score.append(best)
        move.append(arg)
    return _backtrack(n, m, lo, score, move, link_types)


def _backtrack(
    n: int,
    m: int,
    lo: np.ndarray,
    score: list[np.ndarray],
    move: list[np.ndarray],
    link_types: tuple[tuple[int, int], ...],
) -> list[RawLink]:
    links: list[RawLink] = []
    r, c = n, m
    while r > 0 or c > 0:
        t = int(move[r][c - lo[r]])
        if t < 0:
            raise RuntimeError(f"alignment band left no path at ({r}, {c})")
        di, dj = link_types[t]
        before = score[r - di][c - dj - lo[r - di]]
        links.append(RawLink(tuple(range(r - di, r)), tuple(range(c - dj, c)), float(score[r][c - lo[r]] - before)))
        r, c = r - di, c - dj
    return links[::-1]
