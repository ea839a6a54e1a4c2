"""Link confidence: a logistic on a link's features, meant to read as the probability it is right."""

from __future__ import annotations

import math

from aligner.alignment.params import AlignParams
from aligner.alignment.scoring import LinkFeatures


def link_confidence(feat: LinkFeatures, kind: str, params: AlignParams) -> float:
    """Calibrated probability that a link is right: a logistic on its features.

    Coefficients fitted once by ``benchmarks/fit_confidence.py`` on generated pairs with known gold
    (4 synthetic report pairs read as gold blocks + 4 edited NTREX pairs, none used by the benchmark):
    slopes from the aligner's output links plus near misses (shifted, over-merged and wrongly
    unaligned links) labelled wrong, intercept shifted so the mean confidence of output links equals
    their accuracy. The coefficients are fields of AlignParams; refit after changing the scoring.
    """
    if kind in ("1-0", "0-1"):
        a0, a_sim = params.confidence_skip
        z = a0 + a_sim * feat.sim
    else:
        b0, b_sim, b_cue, b_len, b_merge = params.confidence_link
        z = (
            b0
            + b_sim * min(feat.sim, params.confidence_sim_cap)
            + b_cue * feat.cue
            + b_len * abs(feat.length)
            + b_merge * (kind != "1-1")
        )
    return 1.0 / (1.0 + math.exp(-z))
