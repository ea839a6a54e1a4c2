"""Sentence-level gold inside paragraph links, for the sentence aligner's benchmark and tests.

NTREX pairs (``devdata.ntrex_documents``) are built by joining NTREX lines, and NTREX is translated
line by line, so the true sentence links are known: the sentences of English line u go with those of
Welsh line u. Each block is cut back into its NTREX lines by matching the line files. Real gold pairs
(``devdata.documents_from_gold``) only know paragraphs: there a two-sided link whose sides split into
the same number of sentences is taken as that many 1-1 links in order (translators keep order and
count when the counts agree), and the few links whose counts differ are left out of the scores
("unresolved").

Sentences are ``aligner.alignment.sentences.block_sentences`` spans, so gold and system units are
compared as sets of the same spans.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from aligner.alignment.sentences import block_sentences
from aligner.records import Alignment, Document, Link, SentenceSpan
from devtools.devdata import GoldPair

SentenceUnit = tuple[tuple[SentenceSpan, ...], tuple[SentenceSpan, ...]]

_KEY = 12
"""Characters of a line's start used to look it up."""


def _line_index(lines: list[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.strip():
            index[line[:_KEY]].append(line)
    return index


def _line_starts(text: str, index: dict[str, list[str]]) -> list[int]:
    """Offsets in ``text`` where an NTREX line starts (greedy, longest line first); [0] if none match."""
    starts, o = [], 0
    while o < len(text):
        found = [ln for ln in index.get(text[o : o + _KEY], []) if text.startswith(ln, o)]
        starts.append(o)
        if not found:
            break
        o += len(max(found, key=len))
        while o < len(text) and text[o] == " ":
            o += 1
    return starts or [0]


def _by_line(doc: Document, blocks: tuple[int, ...], index: dict[str, list[str]]) -> list[list[SentenceSpan]]:
    """The sentences of ``blocks`` grouped by the NTREX line they start in."""
    groups: list[list[SentenceSpan]] = []
    for b in blocks:
        starts = _line_starts(doc.blocks[b].text, index)
        first = len(groups)
        groups += [[] for _ in starts]
        for span in block_sentences(doc, (b,)):
            line = max(u for u, s in enumerate(starts) if s <= span[1]) if span[1] >= starts[0] else 0
            groups[first + line].append(span)
    return [g for g in groups if g]


def _pair_units(en: list[list[SentenceSpan]], cy: list[list[SentenceSpan]]) -> list[SentenceUnit] | None:
    """Line u with line u; a line pair with k > 1 sentences on both sides becomes k 1-1 units."""
    if len(en) != len(cy):
        return None
    units: list[SentenceUnit] = []
    for e, c in zip(en, cy):
        if len(e) == len(c):
            units += [((x,), (y,)) for x, y in zip(e, c)]
        else:
            units.append((tuple(e), tuple(c)))
    return units


def ntrex_sentence_gold(pair: GoldPair, ntrex_dir: str | Path) -> dict[int, list[SentenceUnit] | None]:
    """For each two-sided gold paragraph link (by index in ``pair.links``): its true sentence units."""
    ntrex_dir = Path(ntrex_dir)
    en_index = _line_index((ntrex_dir / "newstest2019-ref.eng-GB.txt").read_text(encoding="utf-8").splitlines())
    cy_index = _line_index((ntrex_dir / "newstest2019-ref.cym.txt").read_text(encoding="utf-8").splitlines())
    gold: dict[int, list[SentenceUnit] | None] = {}
    for k, (e, c) in enumerate(pair.links):
        if e and c:
            gold[k] = _pair_units(_by_line(pair.en, e, en_index), _by_line(pair.cy, c, cy_index))
    return gold


def paragraph_sentence_gold(pair: GoldPair) -> dict[int, list[SentenceUnit] | None]:
    """For each two-sided gold link: 1-1 sentence units in order where both sides have as many sentences,
    else None (unresolved)."""
    gold: dict[int, list[SentenceUnit] | None] = {}
    for k, (e, c) in enumerate(pair.links):
        if e and c:
            es, cs = block_sentences(pair.en, e), block_sentences(pair.cy, c)
            gold[k] = [((x,), (y,)) for x, y in zip(es, cs)] if len(es) == len(cs) else None
    return gold


def gold_alignment(pair: GoldPair) -> Alignment:
    """The gold paragraph links as an Alignment (confidence 1), to run the sentence aligner on alone."""
    return Alignment(pair.en, pair.cy, tuple(Link(e, c, 1.0) for e, c in pair.links))


def sentence_scores(
    system: Alignment, gold: dict[int, list[SentenceUnit] | None], *, multi_only: bool = False
) -> dict[str, float]:
    """Strict P/R/F1 of the system's sentence links inside the resolved gold paragraph links.

    A unit is right when its English and Welsh sentences are exactly a gold unit's. ``multi_only``
    scores only paragraph links with more than one sentence on some side (the others are trivial).
    """
    assert system.sentence_links is not None
    sys_units: dict[int, set[SentenceUnit]] = defaultdict(set)
    for s in system.sentence_links:
        sys_units[s.link].add((s.en, s.cy))
    tp = n_sys = n_gold = 0
    unresolved = 0
    for k, units in gold.items():
        if units is None:
            unresolved += 1
            continue
        if multi_only and all(len(u[0]) == 1 and len(u[1]) == 1 for u in units) and len(units) == 1:
            continue
        g = set(units)
        tp += len(g & sys_units[k])
        n_sys += len(sys_units[k])
        n_gold += len(g)
    p = tp / n_sys if n_sys else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": p, "R": r, "F1": f, "units": n_gold, "unresolved_links": unresolved}
