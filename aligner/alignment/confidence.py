"""Link confidence: a logistic on a link's features, fitted so that it reads as the probability that the
link is exactly right (unit boundaries included)."""

from __future__ import annotations

import math

from aligner.alignment.params import AlignParams
from aligner.alignment.scoring import LinkFeatures


def confidence_x(feat: LinkFeatures, kind: str, params: AlignParams) -> list[float]:
    """The regressors of the logistic, in the order of AlignParams.confidence_link / confidence_skip
    (benchmarks/calibration_bench.py fits them from the same function)."""
    context = [math.log1p(feat.chars), feat.clarity, feat.beside_one_sided]
    if kind in ("1-0", "0-1"):
        return [1.0, feat.sim, *context]
    log_chars = math.log1p(feat.chars)
    return [
        1.0,
        min(feat.sim, params.confidence_sim_cap),
        feat.cue,
        abs(feat.length),
        float(kind != "1-1"),
        *context,
        min(feat.sim, 1.0),  # below 1 the similarity matters more than above (a second, steeper slope)
        float(feat.chars < params.confidence_short_chars),  # a short side: the embedding says little
        feat.clarity * log_chars,  # in a cleanly pairing document long links are safer still
        min(feat.cue, 0.0),  # contradicting cues weigh differently from supporting ones
    ]


def link_confidence(feat: LinkFeatures, kind: str, params: AlignParams) -> float:
    """Calibrated probability that a link is exactly right: a logistic on its features.

    Coefficients are fitted by ``benchmarks/calibration_bench.py --fit`` on development data only
    (edited NTREX pairs and the development gold pairs, as gold blocks and from the PDFs; the
    held-out publisher's pairs are the validation column) with every output link a sample, labelled
    right only when it is exactly a gold link. They are fields of AlignParams; refit after changing
    the scoring.
    """
    coef = params.confidence_skip if kind in ("1-0", "0-1") else params.confidence_link
    z = sum(w * x for w, x in zip(coef, confidence_x(feat, kind, params), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
