"""Whole-document checks that the two inputs are a translation pair at all, and score caps when not.

Link confidences describe links inside a translation pair; they cannot see that the pair itself is
wrong. Three failures are checked here, each from evidence the aligner already has:

* two unrelated documents: a translation pair has most blocks in mutual-best pairs whose margin is
  high, and their cosines sit at the encoder's translation level (about 0.88); unrelated documents
  have few such pairs, or best matches that are only as close as topic-mates (about 0.81-0.86);
* a text layer that is no language (a letter-shifted font cipher): almost no English or Welsh
  function words (aligner.segmentation.langid), where real prose has 35-55 % of them;
* a bilingual file on one side: a large share of its words in each language.

Each failure adds a warning and caps the affected link scores (AlignParams), so nothing from such a
pair is passed on as a confident translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aligner.records import Document
from aligner.segmentation.langid import detect_language
from aligner.segmentation.langid import function_word_share as _text_function_word_share

LANG_NAMES = {"en": "English", "cy": "Welsh"}


@dataclass(frozen=True)
class Sanity:
    """What the checks found: warnings, a cap on every score, and per-side blocks whose scores are capped."""

    warnings: list[str] = field(default_factory=list)
    score_cap: float = 1.0
    capped_blocks: dict[str, frozenset[int]] = field(default_factory=dict)
    block_cap: float = 1.0
    stats: dict[str, float] = field(default_factory=dict)
    no_language: frozenset[str] = frozenset()
    """Sides ("en", "cy") whose text layer reads as no language: language guesses about them mean nothing."""


def function_word_share(doc: Document) -> tuple[float, int]:
    """Share of a document's words that are English or Welsh function words, and its word count."""
    return _text_function_word_share([b.text for b in doc.blocks])


def language_shares(
    doc: Document, min_words: int, min_confidence: float
) -> tuple[dict[str, float], dict[str, set[int]]]:
    """Share of the words in confidently English and in confidently Welsh blocks, and those blocks."""
    words = {"en": 0, "cy": 0}
    blocks: dict[str, set[int]] = {"en": set(), "cy": set()}
    total = 0
    for k, b in enumerate(doc.blocks):
        g = detect_language(b.text)
        total += g.words
        if g.lang in words and g.words >= min_words and g.confidence >= min_confidence:
            words[g.lang] += g.words
            blocks[g.lang].add(k)
    return {lang: n / max(total, 1) for lang, n in words.items()}, blocks


def pair_statistics(en_vecs: np.ndarray, cy_vecs: np.ndarray, knn: int, high_margin: float) -> dict[str, float]:
    """Share of blocks in mutual-best pairs, share in mutual-best pairs with a high normalised margin,
    and the median best cosine of an English block: how a translation pair differs from unrelated files."""
    from aligner.alignment.scoring import neighbourhood

    en_nb, cy_nb = neighbourhood(en_vecs, cy_vecs, knn), neighbourhood(cy_vecs, en_vecs, knn)
    n = min(len(en_vecs), len(cy_vecs))
    mutual = high = 0
    for i in range(len(en_vecs)):
        j = int(en_nb.best[i])
        if j < 0 or int(cy_nb.best[j]) != i:
            continue
        mutual += 1
        bg = (en_nb.background[i] + cy_nb.background[j]) / 2
        spread = (en_nb.knn[i] - en_nb.background[i] + cy_nb.knn[j] - cy_nb.background[j]) / 2
        high += bool((float(en_vecs[i] @ cy_vecs[j]) - bg) / max(float(spread), 1e-3) >= high_margin)
    return {
        "mutual_best_share": round(mutual / max(n, 1), 3),
        "high_margin_share": round(high / max(n, 1), 3),
        "median_best_cosine": round(float(np.median(en_nb.best_cos)), 3),
    }


def check_pair(en: Document, cy: Document, en_vecs: np.ndarray, cy_vecs: np.ndarray, params) -> Sanity:
    """Run the three checks (``params``: AlignParams) and say what to warn about and which scores to cap."""
    p = params
    warnings: list[str] = []
    cap = 1.0
    stats = pair_statistics(en_vecs, cy_vecs, p.knn, p.unrelated_high_margin)
    no_language: set[str] = set()
    for side, doc in (("en", en), ("cy", cy)):
        share, words = function_word_share(doc)
        stats[f"function_word_share_{side}"] = round(share, 3)
        if words >= p.no_language_min_words and share < p.no_language_max_function_words:
            no_language.add(side)
            name = doc.path or f"the {LANG_NAMES[side]} file"
            warnings.append(
                f"{name}: the text layer does not read as English or Welsh (only {share:.0%} function words, "
                "real prose has over 30%); the font may map glyphs to the wrong letters: check the PDF or OCR it"
            )
            cap = min(cap, p.broken_pair_score_cap)
    unrelated = stats["median_best_cosine"] < p.unrelated_max_median_cosine or (
        stats["mutual_best_share"] < p.unrelated_max_mutual_share
        and stats["high_margin_share"] < p.unrelated_max_high_margin_share
    )
    if unrelated and cap == 1.0:
        warnings.append(
            "the two documents do not look like translations of each other: "
            f"{stats['mutual_best_share']:.0%} of blocks pair up as mutual best matches "
            f"({stats['high_margin_share']:.0%} clearly), median best cosine {stats['median_best_cosine']:.2f}"
        )
        cap = min(cap, p.broken_pair_score_cap)
    capped: dict[str, frozenset[int]] = {}
    for side, doc in (("en", en), ("cy", cy)):
        shares, blocks = language_shares(doc, p.bilingual_min_block_words, p.bilingual_min_confidence)
        other = "cy" if side == "en" else "en"
        stats[f"{other}_share_in_{side}"] = round(shares.get(other, 0.0), 3)
        if side not in no_language and min(shares.values()) >= p.bilingual_min_share:
            name = doc.path or f"the {LANG_NAMES[side]} file"
            warnings.append(
                f"{name} is bilingual: {shares['en']:.0%} of its words read as English and {shares['cy']:.0%} as "
                f"Welsh; its {LANG_NAMES[other]} blocks are not translations (scores capped at {p.bilingual_score_cap})"
            )
            other_doc = cy if side == "en" else en
            copies = {" ".join(b.text.split()).lower() for b in other_doc.blocks}
            same = {k for k, b in enumerate(doc.blocks) if " ".join(b.text.split()).lower() in copies}
            capped[side] = frozenset(blocks[other] | same)  # short copies ("Yes", "Name") too
    return Sanity(warnings, cap, capped, p.bilingual_score_cap, stats, frozenset(no_language))
