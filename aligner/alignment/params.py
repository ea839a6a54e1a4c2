"""Every number that changes an alignment, in one record that the settings signature records whole."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from aligner.alignment.cues import DEFAULT_CUES, CueParams
from aligner.errors import AlignerError


@dataclass(frozen=True)
class AlignParams:
    """Every threshold and weight of the aligner; all are recorded in Alignment.settings."""

    knn: int = 4
    """Neighbours averaged for the margin."""
    merge_embedding: str = "mean"
    """How a merged candidate (2-1, 3-1...) is embedded: "mean" of its blocks' vectors (no extra encoder
    calls) or "concat": the joined text embedded (about 4x the encoder calls); see benchmarks/align_bench.py."""
    sem_weight: float = 4.0
    """Gain per unit of normalised similarity, times the link's size (blocks on both sides / 2)."""
    sem_threshold: float = 0.2
    """Normalised similarity at which pairing a block is as good as leaving it unaligned."""
    skip_gain: float = 0.0
    """Gain of leaving one block unaligned (1-0 or 0-1)."""
    merge_penalty: float = 0.6
    """Fixed cost of a link with more than one block on one side (2-1, 1-2, 3-1, 1-3)."""
    double_merge_penalty: float = 4.0
    """Fixed cost of a 2-2 link."""
    length_ratio: float = 1.06
    """Expected Welsh/English length ratio in characters (median over the gold and generated pairs)."""
    length_variance: float = 2.5
    """Variance of the Gale–Church length statistic, measured on the same links."""
    length_weight: float = 0.3
    """Multiplier on the length log-likelihood penalty."""
    length_slack: float = 0.35
    """Log length ratio beyond which a link is flagged "length-ratio" (and cannot be an anchor)."""
    part_threshold: float = 0.8
    """Normalised similarity every block of a merge should reach with some block on the other side..."""
    part_weight: float = 3.0
    """...and the penalty per unit it falls short."""
    cue_weight: float = 1.0
    """Multiplier on structural-cue evidence (see aligner.cues)."""
    cue_min_sim: float = 0.2
    """Below this normalised similarity only label cues are looked at (saves time, changes no decision seen)."""
    anchor_min_sim: float = 1.6
    """Normalised similarity a mutual-best pair needs to become an anchor..."""
    anchor_min_sim_with_label: float = 1.0
    """...or this much when its labels or numbered headings match."""
    moved_min_evidence: float = 2.0
    """Normalised similarity plus cue evidence for pairing two unaligned blocks at different places."""
    verify_merges: bool = True
    """Detach from 2-1/1-2/3-1/1-3 links the edge blocks that no sentence of the other side translates
    and attach unaligned blocks that pass (see aligner.align_verify); a few encoder calls per merge..."""
    verify_max_gain: float = 2.0
    """...but only where the DP's gain for or against the merge is under this (the most seen for an
    absorbed untranslated block was 1.7; nine in ten true merges gain more than 1.7)."""
    anchor_slack: int = 3
    """Blocks either side of an anchor the DP may still move a link boundary."""
    band_min: int = 25
    """Smallest half-width of the DP band between anchors."""

    anchor_length_margin: float = 0.3
    """An anchor's |length log-ratio| may exceed length_slack by at most this."""
    anchor_chain_lookback: int = 400
    """Anchors looked back over when chaining them (keeps the chain search linear in practice)."""
    band_growth: float = 0.05
    """Extra DP band half-width per block of the gap between two anchors."""
    length_smoothing: float = 15.0
    """Characters added to both sides of a length ratio so short headings are not over-penalised."""
    length_huber_k: float = 2.0
    """Standard deviations beyond which the length penalty grows linearly, not quadratically."""
    verify_min_words: int = 3
    """Words a detached or attached block needs before the merge check acts on it."""
    confidence_link: tuple[float, float, float, float, float] = (1.827, 4.549, 0.440, -5.938, -3.507)
    """Logistic confidence of a two-sided link: intercept, normalised similarity (capped), cue evidence,
    |length log-ratio|, non-1-1. Fitted by benchmarks/fit_confidence.py; refit after changing scoring."""
    confidence_skip: tuple[float, float] = (7.572, -4.046)
    """Logistic confidence of a one-sided link: intercept, best normalised similarity to a neighbour."""
    confidence_sim_cap: float = 3.0
    """Normalised similarity above this adds nothing to a link's confidence."""
    cues: CueParams = DEFAULT_CUES
    """Weights of the structural cues (see aligner.alignment.cues)."""
    embed_max_chars: int | None = 300
    """Characters of a block that are embedded (its head, cut at a word; None: the whole text). Saves
    about a quarter of the encoder's work on long reports; strict F1 unchanged on the 120-page generated
    pair (benchmarks/pipeline_bench.py). Lengths, cues and the sentence check of merges use the whole text."""

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> AlignParams:
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - names)
        if unknown:
            raise AlignerError(f"unknown alignment option(s): {', '.join(unknown)}; known: {', '.join(sorted(names))}")
        if options.get("merge_embedding", "mean") not in ("mean", "concat"):
            raise AlignerError("merge_embedding must be 'mean' or 'concat'")
        limit = options.get("embed_max_chars")
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise AlignerError("embed_max_chars must be a positive whole number or null")
        if isinstance(options.get("cues"), dict):
            options = {**options, "cues": CueParams(**options["cues"])}
        return cls(**options)
