"""Every number that changes an alignment, in one record that the settings signature records whole."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from aligner.alignment.cues import DEFAULT_CUES, CueParams
from aligner.errors import AlignerError


@dataclass(frozen=True)
class SentenceParams:
    """Every number of the sentence aligner inside paragraph links (aligner.alignment.sentences).

    Similarities are z-scores: a cosine minus the mean cosine of each side with all sentences of the
    other document, divided by ``sd`` of those cosines (raw cosines are compressed, ~0.80 for unrelated
    sentences and ~0.88 for translations, so only their distance from that baseline tells anything).
    """

    sem_weight: float = 1.0
    """Gain per unit of z-scored similarity above ``sem_threshold``, times the link's size (sentences / 2)."""
    sem_threshold: float = 0.5
    """z-scored similarity at which pairing sentences is as good as leaving them unaligned (tuned on the
    development NTREX pairs, with and without dropped Welsh sentences, and development gold pairs)."""
    merge_penalty: float = 1.5
    """Fixed cost of a 2-1 or 1-2 sentence link (lower lets untranslated sentences join a neighbour's link)."""
    double_merge_penalty: float = 4.0
    """Fixed cost of a 2-2 sentence link (two merged vectors look closer than their sentences do)."""
    part_threshold: float = 1.5
    """z-similarity each sentence of a merged side should reach with the other side on its own..."""
    part_weight: float = 1.0
    """...and the penalty per unit it falls short."""
    length_ratio: float = 1.06
    """Expected Welsh/English length ratio in characters."""
    length_sigma: float = 0.3
    """Standard deviation of the log length ratio of translated sentences."""
    length_weight: float = 0.5
    """Multiplier on the squared, standardised log length ratio."""
    length_smoothing: float = 10.0
    """Characters added to both lengths so short sentences are not over-penalised."""
    length_huber_k: float = 2.0
    """Standard deviations beyond which the length penalty grows linearly."""
    length_slack: float = 0.5
    """|log length ratio| beyond which a sentence link is flagged "length-ratio"."""
    min_pool: int = 8
    """Sentences a side needs before its document-wide cosine baseline is used; below, the defaults are
    (a short transcript's own baseline, from 17 sentences, was still far better than the defaults)."""
    default_mean: float = 0.80
    """Mean cosine of unrelated sentences (multilingual-e5-small), used for small documents."""
    default_sd: float = 0.03
    """Spread of cosines of unrelated sentences, used for small documents."""
    confidence_link: tuple[float, float, float, float] = (-0.699, 3.078, -8.702, -5.147)
    """Logistic confidence of a two-sided sentence link: intercept, z-similarity (capped), |length
    log-ratio|, non-1-1. Fitted by benchmarks/fit_sentence_confidence.py on the development NTREX pairs;
    refit after changing the sentence scoring."""
    confidence_skip: tuple[float, float] = (8.481, -3.732)
    """Logistic confidence of a one-sided sentence link: intercept, best z-similarity within its link."""
    confidence_sim_cap: float = 5.0
    """z-similarity above this adds nothing to a link's confidence."""


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
    skip_gain: float = -0.05
    """Gain of leaving one block unaligned (1-0 or 0-1). Slightly negative: where a path with an omission
    beside an addition scores about as well as pairing the blocks in order (one-word table cells, whose
    embeddings say little: "Department" / "Adran"), the pairing wins. Every value from -0.04 to -0.06
    gives the same results on the development pairs; from -0.07 the legal aid form (development) loses links from gold blocks."""
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
    """Multiplier on structural-cue evidence (see aligner.alignment.cues)."""
    cue_min_sim: float = 0.2
    """Below this normalised similarity only label cues are looked at (saves time, changes no decision seen)."""
    anchor_min_sim: float = 1.6
    """Normalised similarity a mutual-best pair needs to become an anchor..."""
    anchor_min_sim_with_label: float = 1.0
    """...or this much when its labels or numbered headings match."""
    gap_min_evidence: float = -0.2
    """Similarity plus cues each in-order pair needs when a gap between links leaves as many English as
    Welsh blocks unaligned (aligner.alignment.parts.fill_gaps)..."""
    gap_min_evidence_short: float = -1.5
    """...or this where both texts have at most gap_short_chars characters ("No" / "Nac ydy"): a short
    text's embedding says little, so its position counts for more."""
    gap_short_chars: int = 20
    unmerge_short_cells: bool = True
    """A merge of short blocks near one-sided short blocks of the other side is re-paired 1-1 in order
    when each pair passes the gap test (aligner.alignment.parts.unmerge_short_cells)..."""
    unmerge_window_links: int = 3
    """...taking in at most this many links on each side of the merge (the cells of one table row)."""
    unshift_short_links: bool = True
    """A one-sided short block next to short 1-1 links and a one-sided short block of the other side
    (within unmerge_window_links) is re-paired in order with them when each pair passes the gap test
    (aligner.alignment.parts.unshift_short_links)."""
    split_short_merges: bool = True
    """A merge whose blocks all have at most gap_short_chars characters keeps only its best-supported pair;
    the rest become one-sided (aligner.alignment.parts.split_short_merges)."""
    split_repeated_merges: bool = True
    """A 2-1/1-2/3-1/1-3 link of copies of one text with that text ("£ ¶ £" / "£") is cut into one pair
    and one-sided copies (aligner.alignment.parts.split_repeated_merges)."""
    gap_match_max_blocks: int = 20
    """A gap with unequal counts of unaligned blocks, at most this many on each side, is matched in order
    by the same test (the most passing pairs); larger gaps (a whole untranslated section) stay one-sided."""
    anchor_min_numbering_trust: float = 0.5
    """...but only where the document's numbering agrees with its text this often (see LinkScorer.numbering_trust)."""
    moved_min_evidence: float = 1.0
    """Normalised similarity plus cue evidence for pairing two unaligned blocks at different places (they
    must also be each other's best among the unaligned blocks): about what a translation scores (see
    aligner.alignment.scoring); lower values (down to 0.6) gained a few more form links on the development
    pairs, 2.0 left table cells run over a page break unpaired..."""
    moved_run_min_evidence: float = 0.6
    """...or this much for the unaligned blocks right next to such a pair, in the same order on both sides
    (a section printed elsewhere moves as a whole), and for mutual-best unaligned blocks at most
    moved_near_links links apart (a short crossing: a table read in another order)."""
    moved_near_links: int = 12
    moved_min_link_quantile: float | None = 0.0
    """...and in both passes the pair must be at least as similar as this quantile of the document's
    in-place 1-1 links (0: its weakest; None: no such floor). The aligned links show what a translation
    scores in this document: two leftovers that share a topic or a few words (two headings, two
    testimonials that open alike, an omission and an addition in a short leaflet) score below every
    real link and stay one-sided (aligner.alignment.parts.pair_moved_blocks)..."""
    moved_floor_min_links: int = 5
    """...counting only documents with at least this many in-place 1-1 links (fewer tell nothing)."""
    moved_far_unique_text: bool = True
    """A leftover whose text is printed more than once in its edition (a repeated table header cell) is
    not paired far from its place by moved_min_evidence alone: any copy could be the one whose partner
    is missing (aligner.alignment.parts.pair_moved_blocks)."""
    twin_window: int = 2
    """An unaligned English block is paired with an unaligned Welsh block of the same text at most this
    many positions away in the link sequence (a form's box mark read on either side of a neighbouring
    line; aligner.alignment.parts.pair_near_twins)..."""
    twin_min_cos: float = 0.999
    """...where their embeddings have at least this cosine: the same text."""
    repeat_min_links: int = 3
    """A text printed many times (a table header cell, "Yes") expects the partner text most of its 1-1
    links go to in a first path when at least this many do..."""
    repeat_min_share: float = 0.5
    """...and at least this share of them..."""
    repeat_weight: float = 2.0
    """...and a second path then adds this to a link with the expected partner, subtracts it from a link
    with another (per side that expects one). 0 turns the second path off. On the development pairs
    2.0 to 4.0 score alike (the lowest is taken: usage is a tie-breaker, not an override); 1.0 to 1.5
    keep fewer legal aid form links, 0.5 loses the mark scheme's header cells (development pairs)."""
    verify_merges: bool = True
    """Detach from 2-1/1-2/3-1/1-3 links the edge blocks that no sentence of the other side translates
    and attach unaligned blocks that pass (see aligner.alignment.verify); a few encoder calls per merge..."""
    verify_max_gain: float = 2.0
    """...but only where the DP's gain for or against the merge is under this (the most seen for an
    absorbed untranslated block was 1.7; nine in ten true merges gain more than 1.7)."""
    anchor_slack: int = 3
    """Blocks either side of an anchor the DP may still move a link boundary."""
    band_min: int = 25
    """Smallest half-width of the DP band between anchors."""

    anchor_length_margin: float = 0.3
    """An anchor's |length log-ratio| may exceed length_slack by at most this."""
    anchor_detour_blocks: int = 5
    """An anchor this many blocks off the diagonal of both its chain neighbours (which agree within it)
    is a moved block, not a point of the path (aligner.alignment.dp.split_detours)."""
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
    confidence_link: tuple[float, ...] = (
        1.871,
        0.858,
        -0.075,
        -1.544,
        -4.818,
        0.156,
        -0.091,
        -2.808,
        0.073,
        0.853,
        0.698,
        0.733,
    )
    """Logistic confidence of a two-sided link, on the regressors of
    aligner.alignment.confidence.confidence_x: intercept, normalised similarity (capped), cue evidence,
    |length log-ratio|, non-1-1, log(1 + chars of the shorter side), document clarity, beside a one-sided
    link, similarity capped at 1, short side, clarity x log chars, contradicting cues. Fitted on
    development data only by benchmarks/calibration_bench.py --noise 0.1 --fit (the development gold
    pairs also with a tenth of their blocks merged or cut, as a segmenter that errs leaves them);
    refit after changing the scoring."""
    confidence_skip: tuple[float, ...] = (-1.964, -0.979, 0.695, 1.295, 2.530)
    """Logistic confidence of a one-sided link: intercept, best normalised similarity to a block of the
    other side, log(1 + chars), document clarity, beside a one-sided link."""
    confidence_short_chars: int = 20
    """A link side shorter than this counts as short for the confidence."""
    confidence_sim_cap: float = 3.0
    """Normalised similarity above this adds nothing to a link's confidence."""
    unrelated_max_median_cosine: float = 0.855
    """Two documents are unrelated when an English block's median best cosine is under this (translation
    pairs measured 0.869-0.894, unrelated pairs 0.812-0.860: see aligner.alignment.sanity)..."""
    unrelated_max_mutual_share: float = 0.35
    """...or when under this share of blocks are mutual best matches (pairs 0.49-1.0, unrelated 0.13-0.43)..."""
    unrelated_max_high_margin_share: float = 0.1
    """...and under this share are mutual best with a normalised margin over unrelated_high_margin."""
    unrelated_high_margin: float = 1.3
    """Normalised similarity that counts as a clear mutual-best match for the check above."""
    no_language_max_function_words: float = 0.15
    """A text layer whose share of English/Welsh function words is under this reads as no language
    (real documents 0.37-0.56, the letter-shifted cipher 0.06)..."""
    no_language_min_words: int = 50
    """...judged only with at least this many words."""
    broken_pair_score_cap: float = 0.2
    """Highest link score when the pair is unrelated or one text layer is no language."""
    bilingual_min_share: float = 0.2
    """A file is bilingual when at least this share of its words sits in confidently English blocks and
    as much in confidently Welsh ones (single-language editions: under 0.03)..."""
    bilingual_min_block_words: int = 4
    """...counting blocks of at least this many words..."""
    bilingual_min_confidence: float = 0.5
    """...whose language guess is at least this confident."""
    bilingual_score_cap: float = 0.3
    """Highest score of a link that uses a block in the wrong language of a bilingual file."""
    cues: CueParams = DEFAULT_CUES
    """Weights of the structural cues (see aligner.alignment.cues)."""
    sentences: SentenceParams = SentenceParams()
    """Sentence alignment inside paragraph links (``level="sentence"``)."""
    embed_max_chars: int | None = None
    """Characters of a block that are embedded (its head, cut at a word; None: the whole text). 300 saves
    about a quarter of the encoder's work on long reports with strict F1 unchanged on the 120-page generated
    pair and the leaflets (benchmarks/pipeline_bench.py); off by default until it is re-checked on the
    table/form pairs and the confidence fit. Lengths, cues and the sentence check use the whole text."""

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
        if isinstance(options.get("sentences"), dict):
            options = {**options, "sentences": SentenceParams(**options["sentences"])}
        return cls(**options)
