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

import random
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from aligner.alignment.sentences import block_sentences
from aligner.records import Alignment, Document, Link, SentenceSpan
from devtools.devdata import GoldPair

SentenceUnit = tuple[tuple[SentenceSpan, ...], tuple[SentenceSpan, ...]]

_KEY = 12
"""Characters of a line's start used to look it up."""

LineIndex = dict[str, list[tuple[str, int]]]

MIN_LINES_TO_DROP = 3
"""NTREX lines a Welsh block needs before ``drop_welsh_lines`` removes one of them."""


def _line_index(lines: list[str]) -> LineIndex:
    """Line start -> (line, line number); NTREX line u of one language translates line u of the other."""
    index: LineIndex = defaultdict(list)
    for n, line in enumerate(lines):
        if line.strip():
            index[line[:_KEY]].append((line, n))
    return index


def _lines_of(text: str, index: LineIndex) -> list[tuple[int, int | None]]:
    """(offset, NTREX line number) of each line of ``text`` (greedy, longest match first); text that is
    not an NTREX line (a numbered heading) is one piece with number None."""
    pieces: list[tuple[int, int | None]] = []
    o = 0
    while o < len(text):
        found = [(ln, n) for ln, n in index.get(text[o : o + _KEY], []) if text.startswith(ln, o)]
        if not found:
            pieces.append((o, None))
            break
        line, n = max(found, key=lambda f: len(f[0]))
        pieces.append((o, n))
        o += len(line)
        while o < len(text) and text[o] == " ":
            o += 1
    return pieces or [(0, None)]


def _by_line(doc: Document, blocks: tuple[int, ...], index: LineIndex) -> list[tuple[int | None, list[SentenceSpan]]]:
    """The sentences of ``blocks`` grouped by the NTREX line they start in, with its number."""
    groups: list[tuple[int | None, list[SentenceSpan]]] = []
    for b in blocks:
        lines = _lines_of(doc.blocks[b].text, index)
        first = len(groups)
        groups += [(n, []) for _, n in lines]
        for span in block_sentences(doc, (b,)):
            u = max(k for k, (o, _) in enumerate(lines) if o <= span[1]) if span[1] >= lines[0][0] else 0
            groups[first + u][1].append(span)
    return [g for g in groups if g[1]]


def _pair_units(
    en: list[tuple[int | None, list[SentenceSpan]]], cy: list[tuple[int | None, list[SentenceSpan]]]
) -> list[SentenceUnit] | None:
    """English line u with Welsh line u; a line pair with k > 1 sentences on both sides becomes k 1-1
    units; a line with no counterpart gives one-sided units. Pieces that are no NTREX line (headings)
    pair in order where both sides have as many; otherwise the link is unresolved (None)."""
    if any(n is None for n, _ in en + cy):
        if len(en) != len(cy) or any((a is None) != (b is None) for (a, _), (b, _) in zip(en, cy)):
            return None
        en = [(-1 - k if n is None else n, g) for k, (n, g) in enumerate(en)]
        cy = [(-1 - k if n is None else n, g) for k, (n, g) in enumerate(cy)]
    cy_by = dict(cy)
    en_nums = {n for n, _ in en}
    units: list[SentenceUnit] = []
    for n, e in en:
        c = cy_by.get(n)
        if c is None:
            units += [((x,), ()) for x in e]
        elif len(e) == len(c):
            units += [((x,), (y,)) for x, y in zip(e, c)]
        else:
            units.append((tuple(e), tuple(c)))
    units += [((), (y,)) for n, c in cy if n not in en_nums for y in c]
    return units


def _ntrex_indexes(ntrex_dir: str | Path) -> tuple[LineIndex, LineIndex]:
    ntrex_dir = Path(ntrex_dir)
    en = (ntrex_dir / "newstest2019-ref.eng-GB.txt").read_text(encoding="utf-8").splitlines()
    cy = (ntrex_dir / "newstest2019-ref.cym.txt").read_text(encoding="utf-8").splitlines()
    return _line_index(en), _line_index(cy)


def ntrex_sentence_gold(pair: GoldPair, ntrex_dir: str | Path) -> dict[int, list[SentenceUnit] | None]:
    """For each two-sided gold paragraph link (by index in ``pair.links``): its true sentence units."""
    en_index, cy_index = _ntrex_indexes(ntrex_dir)
    gold: dict[int, list[SentenceUnit] | None] = {}
    for k, (e, c) in enumerate(pair.links):
        if e and c:
            gold[k] = _pair_units(_by_line(pair.en, e, en_index), _by_line(pair.cy, c, cy_index))
    return gold


def drop_welsh_lines(pair: GoldPair, ntrex_dir: str | Path, *, rate: float, seed: int) -> GoldPair:
    """``pair`` with one NTREX line removed from the Welsh side of a share ``rate`` of the two-sided
    links: untranslated sentences inside a paragraph (1-0). Only Welsh blocks of at least
    ``MIN_LINES_TO_DROP`` lines lose one, so most of the paragraph is still translated (a paragraph
    that loses half its text is a partial translation at paragraph level, another matter)."""
    _, cy_index = _ntrex_indexes(ntrex_dir)
    rng = random.Random(seed)
    blocks = list(pair.cy.blocks)
    for e, c in pair.links:
        if not (e and c) or rng.random() >= rate:
            continue
        b = rng.choice(c)
        text = blocks[b].text
        lines = [(o, n) for o, n in _lines_of(text, cy_index)]
        if len(lines) < MIN_LINES_TO_DROP or any(n is None for _, n in lines):
            continue
        u = rng.randrange(len(lines))
        start = lines[u][0]
        end = lines[u + 1][0] if u + 1 < len(lines) else len(text)
        blocks[b] = replace(blocks[b], text=(text[:start] + text[end:]).strip())
    return GoldPair(pair.en, replace(pair.cy, blocks=tuple(blocks)), pair.links)


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
    system: Alignment, pair: GoldPair, gold: dict[int, list[SentenceUnit] | None], *, multi_only: bool = False
) -> dict[str, float]:
    """Strict P/R/F1 of the system's sentence links against the gold units, over the whole document.

    A unit is right when its English and Welsh sentences are exactly a gold unit's (so a wrong paragraph
    link costs its sentences too). Gold one-sided paragraph links count as one one-sided unit per
    sentence. Sentences of unresolved gold links are left out of both sides. ``multi_only`` scores only
    the sentences of gold links with more than one sentence on some side (the others are trivial).
    """
    assert system.sentence_links is not None
    gold_units: set[SentenceUnit] = set()
    excluded: set[tuple[str, SentenceSpan]] = set()
    trivial: set[tuple[str, SentenceSpan]] = set()
    for k, (e, c) in enumerate(pair.links):
        es, cs = block_sentences(pair.en, e), block_sentences(pair.cy, c)
        spans = {("en", x) for x in es} | {("cy", y) for y in cs}
        units = gold.get(k) if e and c else [((x,), ()) for x in es] + [((), (y,)) for y in cs]
        if units is None:
            excluded |= spans
            continue
        if len(es) <= 1 and len(cs) <= 1:
            trivial |= spans
        gold_units |= set(units)
    skip = excluded | (trivial if multi_only else set())

    def kept(unit: SentenceUnit) -> bool:
        return not any(("en", x) in skip for x in unit[0]) and not any(("cy", y) in skip for y in unit[1])

    sys_units = {(s.en, s.cy) for s in system.sentence_links if kept((s.en, s.cy))}
    gold_units = {u for u in gold_units if kept(u)}
    tp = len(sys_units & gold_units)
    p = tp / len(sys_units) if sys_units else 1.0
    r = tp / len(gold_units) if gold_units else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    unresolved = sum(1 for v in gold.values() if v is None)
    return {"P": p, "R": r, "F1": f, "units": len(gold_units), "unresolved_links": unresolved}
