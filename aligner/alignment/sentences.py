"""Sentence alignment inside the two-sided paragraph links of an alignment.

Translation memories match sentences, not paragraphs: a CAT tool looks up one source sentence at a
time, so a paragraph-level TMX only helps where a whole paragraph recurs. Inside one paragraph link the
order of sentences is almost always kept, so a small monotonic DP over the link's sentences (1-1, 1-2,
2-1, 2-2, 1-0, 0-1) suffices; the paragraph alignment has already fixed where each sentence can go.

Similarity. Raw cosines of multilingual-e5-small are compressed (translations ~0.88, unrelated sentences
~0.80) and their level varies by sentence, so each cosine is rescaled against the document:

    z = (cos(x, y) - (bg(x) + bg(y)) / 2) / sd

where bg(x) is x's mean cosine with every sentence of the other document (``x @ mean(other)``, exact and
cheap, also for the merged vector of two sentences) and sd the spread of cosines between unrelated
sentences. Merged sides are embedded as the normalised mean of their sentences' vectors (no extra
encoder calls). A paragraph link with one sentence on each side keeps its paragraph-level confidence.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from aligner.alignment.embed import Embedder, embed_texts, make_embedder
from aligner.alignment.params import AlignParams, SentenceParams
from aligner.records import Alignment, Document, LinkFlag, SentenceLink, SentenceSpan
from aligner.segmentation.sentences import sentence_spans

SENTENCE_LINK_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))
"""Moves of the sentence DP."""
SD_SAMPLE = 2000
"""Sentences per side (evenly spaced) the cosine spread is measured on: bounds memory on long reports."""


def block_sentences(doc: Document, blocks: tuple[int, ...]) -> list[SentenceSpan]:
    """The sentences of ``blocks`` in order, as (block, start, end) spans; a blank block has none."""
    return [(b, s, e) for b in blocks for s, e in sentence_spans(doc.blocks[b].text, doc.lang)]


def _text(doc: Document, span: SentenceSpan) -> str:
    block, start, end = span
    return " ".join(doc.blocks[block].text[start:end].split())


@dataclass
class SentenceFeatures:
    """What a sentence link's confidence is computed from."""

    sim: float
    """z-scored similarity (two-sided), or the best one of the sentence within its link (one-sided)."""
    length: float
    """Log of the Welsh/English length ratio against the expected one (two-sided links)."""


class _Scorer:
    """z-scored similarities and length statistics for the sentences of one document pair."""

    def __init__(
        self, en_vecs: np.ndarray, cy_vecs: np.ndarray, en_lens: np.ndarray, cy_lens: np.ndarray, p: SentenceParams
    ) -> None:
        self.p = p
        self.en_vecs, self.cy_vecs, self.en_lens, self.cy_lens = en_vecs, cy_vecs, en_lens, cy_lens
        enough = min(len(en_vecs), len(cy_vecs)) >= p.min_pool
        if enough:
            self.en_mean, self.cy_mean = cy_vecs.mean(axis=0), en_vecs.mean(axis=0)
            step_en, step_cy = max(1, len(en_vecs) // SD_SAMPLE), max(1, len(cy_vecs) // SD_SAMPLE)
            self.sd = max(float((en_vecs[::step_en] @ cy_vecs[::step_cy].T).std()), 1e-3)
        else:
            self.en_mean = self.cy_mean = None
            self.sd = p.default_sd

    def _merged(self, vecs: np.ndarray, idx: list[int]) -> np.ndarray:
        v = vecs[idx].mean(axis=0)
        return v / max(float(np.linalg.norm(v)), 1e-12)

    def sim(self, en: list[int], cy: list[int]) -> float:
        x, y = self._merged(self.en_vecs, en), self._merged(self.cy_vecs, cy)
        if self.en_mean is None:
            bg = self.p.default_mean
        else:
            bg = (float(x @ self.en_mean) + float(y @ self.cy_mean)) / 2
        return (float(x @ y) - bg) / self.sd

    def length(self, en: list[int], cy: list[int]) -> float:
        k = self.p.length_smoothing
        le, lc = float(self.en_lens[en].sum()), float(self.cy_lens[cy].sum())
        return math.log((lc + k) / (le * self.p.length_ratio + k))

    def features(self, en: list[int], cy: list[int]) -> SentenceFeatures:
        return SentenceFeatures(self.sim(en, cy), self.length(en, cy))

    def gain(self, en: list[int], cy: list[int]) -> float:
        """Evidence for linking these sentences rather than leaving them unaligned (gain 0)."""
        p = self.p
        f = self.features(en, cy)
        d = abs(f.length) / p.length_sigma
        length_pen = d * d if d <= p.length_huber_k else p.length_huber_k * (2 * d - p.length_huber_k)
        merge = p.double_merge_penalty if len(en) > 1 and len(cy) > 1 else p.merge_penalty * (len(en) + len(cy) > 2)
        size = (len(en) + len(cy)) / 2
        gain = p.sem_weight * (f.sim - p.sem_threshold) * size - p.length_weight * length_pen - merge
        return gain - p.part_weight * self._part_shortfall(en, cy) if merge else gain

    def _part_shortfall(self, en: list[int], cy: list[int]) -> float:
        """How far the weakest sentence of a merged side falls below ``part_threshold`` with the other side.

        A merged vector hides a sentence that translates nothing (an untranslated sentence next to a
        translated one scores almost as well merged as alone), so each sentence is checked on its own.
        """
        parts = [self.sim([i], cy) for i in en] if len(en) > 1 else []
        parts += [self.sim(en, [j]) for j in cy] if len(cy) > 1 else []
        return max(0.0, self.p.part_threshold - min(parts))


def sentence_path(
    n_en: int, n_cy: int, gain: Callable[[list[int], list[int]], float]
) -> list[tuple[list[int], list[int]]]:
    """Best monotonic path of sentence links over n_en x n_cy sentences (``gain(en, cy)`` per link)."""
    neg = -math.inf
    best = [[neg] * (n_cy + 1) for _ in range(n_en + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (n_cy + 1) for _ in range(n_en + 1)]
    best[0][0] = 0.0
    for i in range(n_en + 1):
        for j in range(n_cy + 1):
            if best[i][j] == neg:
                continue
            for a, b in SENTENCE_LINK_TYPES:
                ni, nj = i + a, j + b
                if ni > n_en or nj > n_cy:
                    continue
                g = gain(list(range(i, ni)), list(range(j, nj))) if a and b else 0.0
                if best[i][j] + g > best[ni][nj]:
                    best[ni][nj] = best[i][j] + g
                    back[ni][nj] = (a, b)
    path: list[tuple[list[int], list[int]]] = []
    i, j = n_en, n_cy
    while i or j:
        a, b = back[i][j]  # type: ignore[misc]
        path.append((list(range(i - a, i)), list(range(j - b, j))))
        i, j = i - a, j - b
    return path[::-1]


def sentence_confidence(feat: SentenceFeatures, kind: str, p: SentenceParams) -> float:
    """Calibrated probability that a sentence link is right: a logistic on its features (see params)."""
    if kind in ("1-0", "0-1"):
        a0, a_sim = p.confidence_skip
        z = a0 + a_sim * feat.sim
    else:
        b0, b_sim, b_len, b_merge = p.confidence_link
        z = b0 + b_sim * min(feat.sim, p.confidence_sim_cap) + b_len * abs(feat.length) + b_merge * (kind != "1-1")
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _flags(feat: SentenceFeatures, two_sided: bool, p: SentenceParams) -> tuple[LinkFlag, ...]:
    if not two_sided:
        return (LinkFlag.ONE_SIDED,)
    flags = []
    if abs(feat.length) > p.length_slack:
        flags.append(LinkFlag.LENGTH_RATIO)
    if feat.sim < p.sem_threshold:
        flags.append(LinkFlag.LOW_SIMILARITY)
    return tuple(flags)


@dataclass
class _LinkSentences:
    en: list[SentenceSpan]
    cy: list[SentenceSpan]
    en_rows: list[int]
    """Row of each English sentence in the scorer's matrices."""
    cy_rows: list[int]


@dataclass
class SentenceProblem:
    """The sentences of every paragraph link and the scorer over those that need the DP."""

    per_link: list[tuple[list[SentenceSpan], list[SentenceSpan]]]
    todo: dict[int, _LinkSentences]
    """Paragraph links with sentences on both sides and more than one on some side."""
    scorer: _Scorer


def prepare_sentences(
    alignment: Alignment,
    params: AlignParams,
    embedder: Embedder,
    *,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    progress: bool = False,
) -> SentenceProblem:
    """Split every link's blocks into sentences and embed those of the links the DP will look at."""
    en_doc, cy_doc = alignment.en, alignment.cy
    per_link = [(block_sentences(en_doc, lk.en), block_sentences(cy_doc, lk.cy)) for lk in alignment.links]
    todo: dict[int, _LinkSentences] = {}
    en_texts: list[str] = []
    cy_texts: list[str] = []
    for k, (es, cs) in enumerate(per_link):
        if es and cs and (len(es) > 1 or len(cs) > 1):
            en_rows = list(range(len(en_texts), len(en_texts) + len(es)))
            cy_rows = list(range(len(cy_texts), len(cy_texts) + len(cs)))
            en_texts += [_text(en_doc, s) for s in es]
            cy_texts += [_text(cy_doc, s) for s in cs]
            todo[k] = _LinkSentences(es, cs, en_rows, cy_rows)
    vecs = embed_texts(
        en_texts + cy_texts,
        embedder,
        cache_dir=cache_dir,
        use_cache=use_cache,
        progress=progress,
        desc="embedding sentences",
    )
    scorer = _Scorer(
        vecs[: len(en_texts)],
        vecs[len(en_texts) :],
        np.array([len(t) for t in en_texts], dtype=np.float64),
        np.array([len(t) for t in cy_texts], dtype=np.float64),
        params.sentences,
    )
    return SentenceProblem(per_link, todo, scorer)


def align_sentences(
    alignment: Alignment,
    *,
    params: AlignParams | None = None,
    embedder: Embedder | None = None,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    progress: bool = False,
) -> Alignment:
    """``alignment`` with ``sentence_links`` filled in: every sentence of every block in exactly one.

    One-sided paragraph links give one one-sided sentence link per sentence (with the paragraph link's
    confidence); a two-sided link with one sentence a side is one 1-1 sentence link with the paragraph
    link's confidence; other two-sided links are aligned by the sentence DP.
    """
    params = params or AlignParams()
    embedder = embedder or make_embedder()
    prob = prepare_sentences(alignment, params, embedder, cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    out: list[SentenceLink] = []
    for k, (lk, (es, cs)) in enumerate(zip(alignment.links, prob.per_link)):
        if k not in prob.todo:
            if es and cs:
                out.append(SentenceLink(k, tuple(es), tuple(cs), lk.score, lk.flags))
            else:
                out += [SentenceLink(k, (s,), (), lk.score, (LinkFlag.ONE_SIDED,)) for s in es]
                out += [SentenceLink(k, (), (s,), lk.score, (LinkFlag.ONE_SIDED,)) for s in cs]
            continue
        out += _align_link(k, prob.todo[k], prob.scorer)
    settings = {
        **alignment.settings,
        "sentence_level": {"splitter": "aligner.segmentation.sentences", "sentence_links": len(out)},
    }
    return replace(alignment, sentence_links=tuple(out), settings=settings)


def unit_features(ls: _LinkSentences, scorer: _Scorer, en: list[int], cy: list[int]) -> SentenceFeatures:
    """Features of a candidate unit of one link (indices into the link's sentences); see SentenceFeatures."""

    def rows(e: list[int], c: list[int]) -> tuple[list[int], list[int]]:
        return [ls.en_rows[i] for i in e], [ls.cy_rows[j] for j in c]

    if en and cy:
        return scorer.features(*rows(en, cy))
    if en:  # an unaligned sentence: its best similarity with any sentence of the other side
        return SentenceFeatures(max(scorer.sim(*rows(en, [j])) for j in range(len(ls.cy))), 0.0)
    return SentenceFeatures(max(scorer.sim(*rows([i], cy)) for i in range(len(ls.en))), 0.0)


def _align_link(k: int, ls: _LinkSentences, scorer: _Scorer) -> list[SentenceLink]:
    """The DP over one paragraph link's sentences, with confidences and flags."""
    p = scorer.p

    def gain(en: list[int], cy: list[int]) -> float:
        return scorer.gain([ls.en_rows[i] for i in en], [ls.cy_rows[j] for j in cy])

    out = []
    for en, cy in sentence_path(len(ls.en), len(ls.cy), gain):
        feat = unit_features(ls, scorer, en, cy)
        kind = f"{len(en)}-{len(cy)}"
        out.append(
            SentenceLink(
                k,
                tuple(ls.en[i] for i in en),
                tuple(ls.cy[j] for j in cy),
                round(sentence_confidence(feat, kind, p), 4),
                _flags(feat, bool(en and cy), p),
            )
        )
    return out
