"""Settle by sentences the merges that block-level scores are unsure of.

A block with no counterpart (an omitted English paragraph, an added Welsh one) next to a translated
neighbour often scores as a 2-1 with it: the two blocks are on the same topic, so the merged vector
is about as close to the neighbour's translation as the neighbour alone, and the DP gains a block.
The converse happens too: a true merge whose extra block is one short sentence scores below leaving
that block out. Block similarity and length cannot tell these apart (measured on 120 generated pairs:
the extra block's similarity and the length ratio overlap fully). Sentences can: in a true merge each
merged block has a sentence that is the mutual best match of a sentence on the other side, within the
link; an untranslated block's sentences only come second to the sentences really translated (241 of
243 true merges pass, 2 of 438 absorbed untranslated blocks do, none of them within the DP's margin).
So where the DP's gain for or against a merge is under ``max_gain``, the sentence test decides:
blocks that fail it are detached from merges, unaligned blocks that pass it are attached. Only links
of the final path and their neighbours are checked: a few encoder calls per merge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from aligner.alignment.cues import BlockCues
from aligner.alignment.scoring import LinkScorer
from aligner.records import BlockKind
from aligner.segmentation.sentences import split_sentences as split_text

Pair = tuple[tuple[int, ...], tuple[int, ...]]

_RUN_IN_BREAK = re.compile(
    r"(?<=[a-zà-ÿŵŷ])\s+(?=(?:The|This|These|That|When|It|In|A|An|We|They|He|She|I|But|And|However"
    r"|Mae|Roedd|Bydd|Yn|Y|Yr|Ond|Pan|Fe|Nid|Dyma|Er|Ar|Os)\s)"
)
"""A sentence start left unpunctuated ("...speak their minds When Momentum's..."), as after a run-in
heading: a word that usually opens an English or Welsh sentence, capitalised after a lower-case word."""
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"”’')\]]*\s*$")
_WORD = re.compile(r"\w+")
"""A shorter block (a label, a number) is too short for a sentence embedding to say anything."""
_ENDS_UNIT = frozenset(
    {BlockKind.HEADING, BlockKind.CAPTION, BlockKind.TOC_ENTRY, BlockKind.TABLE_ROW, BlockKind.TABLE_CELL}
)
"""Kinds whose block ends a unit even without final punctuation (a heading is not cut mid-sentence)."""


def split_sentences(text: str, lang: str, run_in: bool = False) -> list[str]:
    """Sentences (aligner.segmentation.sentences); with ``run_in`` also cut where a sentence starts
    unpunctuated (see _RUN_IN_BREAK).

    Only the single block of a link is cut that finely: there one sentence may hold the translations of
    the end of one merged block and the start of the next. Cutting the merged blocks finely too would let
    a fragment of an untranslated block match by chance.
    """
    pieces = split_text(text, lang)
    if run_in:
        pieces = [f for s in pieces for f in _RUN_IN_BREAK.split(s) if f.strip()]
    return pieces


def _whole_unit_boundary(before: str, before_cues: BlockCues, after: str) -> bool:
    """False where the two blocks may be one sentence cut in two (a paragraph broken by a page or column)."""
    stripped = after.lstrip()
    if stripped[:1].islower():
        return False
    return bool(_ENDS_SENTENCE.search(before)) or before_cues.kind in _ENDS_UNIT


def _explained(parts: list[list[str]], other: list[str], vectors: dict[str, np.ndarray]) -> list[bool]:
    """For each part: does one of its sentences and one sentence of ``other`` pick each other as best match?"""
    flat = [s for p in parts for s in p]
    owner = [k for k, p in enumerate(parts) for _ in p]
    if not flat or not other:
        return [True] * len(parts)
    cos = np.stack([vectors[s] for s in flat]) @ np.stack([vectors[s] for s in other]).T
    best_other, best_flat = cos.argmax(axis=1), cos.argmax(axis=0)
    ok = [False] * len(parts)
    for i, j in enumerate(best_other):
        if best_flat[j] == i:
            ok[owner[i]] = True
    return ok


def verify_merges(
    pairs: list[Pair],
    scorer: LinkScorer,
    en_texts: Sequence[str],
    cy_texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    max_gain: float,
) -> tuple[list[Pair], int, int]:
    """Settle by sentences the merges the block-level scores were unsure of (within ``max_gain`` either way).

    Returns the new path, the number of blocks detached from merges and the number attached to them.
    """
    pairs, detached = detach_unexplained(pairs, scorer, en_texts, cy_texts, embed, max_gain)
    pairs, attached = attach_explained(pairs, scorer, en_texts, cy_texts, embed, max_gain)
    return pairs, detached, attached


def _sentences(link: Pair, en_texts: Sequence[str], cy_texts: Sequence[str]) -> tuple[list[list[str]], list[str]]:
    """The sentences of each block on the link's many side, and the finer-cut sentences of its single block."""
    e, c = link
    if len(e) > 1:
        many, one, many_lang, one_lang = [en_texts[i] for i in e], cy_texts[c[0]], "en", "cy"
    else:
        many, one, many_lang, one_lang = [cy_texts[j] for j in c], en_texts[e[0]], "cy", "en"
    return [split_sentences(t, many_lang) for t in many], split_sentences(one, one_lang, run_in=True)


def _vectors(
    groups: list[tuple[list[list[str]], list[str]]], embed: Callable[[list[str]], np.ndarray]
) -> dict[str, np.ndarray]:
    unique = list(dict.fromkeys(s for parts, other in groups for s in [*(x for part in parts for x in part), *other]))
    return dict(zip(unique, embed(unique))) if unique else {}


def detach_unexplained(
    pairs: list[Pair],
    scorer: LinkScorer,
    en_texts: Sequence[str],
    cy_texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    max_gain: float,
) -> tuple[list[Pair], int]:
    """Split off the edge blocks of 2-1, 1-2, 3-1 and 1-3 links that no sentence of the other side translates.

    A block is only detached where the link gained less than ``max_gain`` from it (the block-level
    evidence was weak), where it is a whole unit (see _whole_unit_boundary) with at least
    ``AlignParams.verify_min_words`` words, and never the last one of its side.
    """
    sentences = {
        k: _sentences(link, en_texts, cy_texts)
        for k, link in enumerate(pairs)
        if link[0] and link[1] and (len(link[0]) > 1) != (len(link[1]) > 1)
    }
    if not sentences:
        return pairs, 0
    vectors = _vectors(list(sentences.values()), embed)
    out: list[Pair] = []
    detached = 0
    for k, (e, c) in enumerate(pairs):
        if k not in sentences:
            out.append((e, c))
            continue
        ok = _explained(*sentences[k], vectors)
        edge = _Edges(scorer, e, c, en_texts if len(e) > 1 else cy_texts, max_gain)
        lo, hi = 0, len(edge.blocks)
        while hi - lo > 1 and not ok[lo] and edge.detachable(lo, hi, lo):
            lo += 1
        while hi - lo > 1 and not ok[hi - 1] and edge.detachable(lo, hi, hi - 1):
            hi -= 1
        if (lo, hi) == (0, len(edge.blocks)):
            out.append((e, c))
            continue
        out.extend(edge.split(lo, hi))
        detached += len(edge.blocks) - (hi - lo)
    return out, detached


def _gain(scorer: LinkScorer, link: Pair) -> float:
    e, c = link
    return float(scorer.gains(e[0], len(e), np.array([c[0]]), len(c))[0])


def attach_explained(
    pairs: list[Pair],
    scorer: LinkScorer,
    en_texts: Sequence[str],
    cy_texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    max_gain: float,
) -> tuple[list[Pair], int]:
    """The converse: join an unaligned block to the neighbouring link when the merge lost by less than
    ``max_gain`` and every block of the merged link has a mutual-best sentence on the other side.

    A true merge whose extra block is a short sentence scores below the block left out and its
    neighbour linked alone (the merged vector dilutes the longer block's match).
    """
    options: list[tuple[float, int, int, Pair]] = []
    for k, (e, c) in enumerate(pairs):
        if (e and c) or len(_WORD.findall(en_texts[e[0]] if e else cy_texts[c[0]])) < scorer.p.verify_min_words:
            continue
        for nb in (k - 1, k + 1):
            link = _attached(pairs, k, nb)
            if link is not None:
                skip = scorer.en_skip[e[0]] if e else scorer.cy_skip[c[0]]
                loss = _gain(scorer, pairs[nb]) + skip - _gain(scorer, link)
                if loss < max_gain:
                    options.append((loss, k, nb, link))
    if not options:
        return pairs, 0
    sentences = {link: _sentences(link, en_texts, cy_texts) for *_, link in options}
    vectors = _vectors(list(sentences.values()), embed)
    replace: dict[int, Pair] = {}
    drop: set[int] = set()
    for _loss, k, nb, link in sorted(options):
        if k in drop or nb in replace or k in replace or nb in drop or not all(_explained(*sentences[link], vectors)):
            continue
        replace[nb], drop = link, drop | {k}
    return [replace.get(k, link) for k, link in enumerate(pairs) if k not in drop], len(drop)


def _attached(pairs: list[Pair], k: int, nb: int) -> Pair | None:
    """Link ``nb`` with the one-sided block of link ``k`` joined, if the neighbours are contiguous and
    the result is one of the link types (2-1, 3-1, 1-2, 1-3)."""
    if not 0 <= nb < len(pairs):
        return None
    (e, c), (ne, nc) = pairs[k], pairs[nb]
    if not ne or not nc:
        return None
    if e:
        if len(nc) != 1 or len(ne) > 2 or e[0] != (ne[-1] + 1 if nb < k else ne[0] - 1):
            return None
        return (ne + e, nc) if nb < k else (e + ne, nc)
    if len(ne) != 1 or len(nc) > 2 or c[0] != (nc[-1] + 1 if nb < k else nc[0] - 1):
        return None
    return (ne, nc + c) if nb < k else (ne, c + nc)


class _Edges:
    """The blocks on the many side of one merge link, and what detaching some of them costs."""

    def __init__(
        self, scorer: LinkScorer, en: tuple[int, ...], cy: tuple[int, ...], texts: Sequence[str], max_gain: float
    ) -> None:
        self.scorer, self.en, self.cy, self.texts, self.max_gain = scorer, en, cy, texts, max_gain
        self.en_many = len(en) > 1
        self.blocks = en if self.en_many else cy
        self.cues = scorer.en_cues if self.en_many else scorer.cy_cues

    def _link(self, lo: int, hi: int) -> Pair:
        return (self.blocks[lo:hi], self.cy) if self.en_many else (self.en, self.blocks[lo:hi])

    def _gain(self, lo: int, hi: int) -> float:
        return _gain(self.scorer, self._link(lo, hi))

    def detachable(self, lo: int, hi: int, k: int) -> bool:
        """Whether block ``k`` (the first or last of blocks[lo:hi]) may leave the link."""
        block = self.blocks[k]
        if len(_WORD.findall(self.texts[block])) < self.scorer.p.verify_min_words:
            return False
        before, after = (block, self.blocks[k + 1]) if k == lo else (self.blocks[k - 1], block)
        if not _whole_unit_boundary(self.texts[before], self.cues[before], self.texts[after]):
            return False
        skip = (self.scorer.en_skip if self.en_many else self.scorer.cy_skip)[block]
        rest = (k + 1, hi) if k == lo else (lo, k)
        return self._gain(lo, hi) - self._gain(*rest) - skip < self.max_gain

    def split(self, lo: int, hi: int) -> list[Pair]:
        alone = [((b,), ()) if self.en_many else ((), (b,)) for b in self.blocks]
        return [*alone[:lo], self._link(lo, hi), *alone[hi:]]
