"""Sub-problems of one alignment: the main text, and floating blocks (footnotes) aligned on their own.

Footnotes sit wherever each edition's page layout puts them, so their place in reading order differs
between the editions and a monotonic alignment over everything would have to give up either the
footnote or the text around it. They are aligned among themselves (they keep their own order) and
put back beside their English position; a footnote link whose Welsh block is out of the Welsh order
is flagged "moved".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.alignment.cues import BlockCues
from aligner.alignment.dp import Anchor, band, banded_dp, find_anchors, split_detours
from aligner.alignment.params import AlignParams
from aligner.alignment.scoring import LinkScorer
from aligner.alignment.verify import verify_merges
from aligner.records import BlockKind, Document

Pair = tuple[tuple[int, ...], tuple[int, ...]]
FLOATING = frozenset({BlockKind.FOOTNOTE})


@dataclass
class Part:
    """One sub-problem: which blocks it covers (global indices) and its path in local indices."""

    en_map: list[int]
    cy_map: list[int]
    scorer: LinkScorer | None
    pairs: list[Pair]
    anchor_set: set[tuple[int, int]] = field(default_factory=set)
    moved: set[Pair] = field(default_factory=set)
    cells: int = 0
    floating: bool = False

    def to_global(self, pair: Pair) -> Pair:
        return tuple(self.en_map[i] for i in pair[0]), tuple(self.cy_map[j] for j in pair[1])


def split_floating(en: Document, cy: Document) -> tuple[tuple[list[int], list[int]], tuple[list[int], list[int]]]:
    """(main en, main cy), (floating en, floating cy) block indices; no split when a side has none."""
    fe = [i for i, b in enumerate(en.blocks) if b.kind in FLOATING]
    fc = [j for j, b in enumerate(cy.blocks) if b.kind in FLOATING]
    if not fe or not fc:
        fe, fc = [], []
    me = [i for i in range(len(en.blocks)) if i not in set(fe)]
    mc = [j for j in range(len(cy.blocks)) if j not in set(fc)]
    return (me, mc), (fe, fc)


def run_texts(texts: list[str], k: int) -> list[str]:
    return [" ".join(texts[i : i + k]) for i in range(len(texts) - k + 1)]


def solve_part(
    en_map: list[int],
    cy_map: list[int],
    en_vecs: np.ndarray,
    cy_vecs: np.ndarray,
    en_cues: list[BlockCues],
    cy_cues: list[BlockCues],
    params: AlignParams,
    floating: bool = False,
    texts: tuple[list[str], list[str]] | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> Part:
    """Align the blocks ``en_map`` x ``cy_map``; ``texts`` and ``embed`` are needed for merge_embedding="concat"."""
    if not en_map or not cy_map:
        pairs: list[Pair] = [((i,), ()) for i in range(len(en_map))] + [((), (j,)) for j in range(len(cy_map))]
        return Part(en_map, cy_map, None, pairs, floating=floating)
    # this part's block texts, in its own numbering (the later steps all read them)
    en_t, cy_t = ([texts[0][i] for i in en_map], [texts[1][j] for j in cy_map]) if texts is not None else ([], [])
    runs = None
    if params.merge_embedding == "concat" and texts is not None and embed is not None:
        runs = (
            {k: embed(run_texts(en_t, k)) for k in (2, 3) if len(en_t) >= k},
            {k: embed(run_texts(cy_t, k)) for k in (2, 3) if len(cy_t) >= k},
        )
    scorer = LinkScorer(
        en_vecs[en_map],
        cy_vecs[cy_map],
        [en_cues[i] for i in en_map],
        [cy_cues[j] for j in cy_map],
        params,
        runs,
        (en_vecs, cy_vecs) if floating else None,
    )
    anchors, detours = split_detours(find_anchors(scorer), params.anchor_detour_blocks)
    lo, hi = band(scorer.n, scorer.m, anchors, params.anchor_slack, params.band_min, params.band_growth)
    pairs = [(r.en, r.cy) for r in banded_dp(scorer, lo, hi)]
    learnt = params.repeat_weight and texts is not None and scorer.set_repeats(en_t, cy_t, pairs)
    if learnt and scorer.repeats_disagree(pairs):
        pairs = [(r.en, r.cy) for r in banded_dp(scorer, lo, hi)]
    if params.verify_merges and texts is not None and embed is not None:
        pairs, *_ = verify_merges(pairs, scorer, en_t, cy_t, embed, params.verify_max_gain)
    if params.split_repeated_merges and texts is not None:
        pairs = split_repeated_merges(pairs, en_t, cy_t)
    if params.unmerge_short_cells:
        pairs = unmerge_short_cells(scorer, pairs)
    if params.split_short_merges:
        pairs = split_short_merges(scorer, pairs)
    pairs = fill_gaps(scorer, pairs)
    if params.unshift_short_links:
        pairs = unshift_short_links(scorer, pairs)
    repeated_texts = (en_t, cy_t) if params.moved_far_unique_text and texts is not None else None
    pairs, moved = pair_moved_blocks(scorer, pairs, detours, repeated_texts)
    pairs, twins = pair_near_twins(scorer, pairs)
    moved |= twins
    return Part(
        en_map, cy_map, scorer, pairs, {(a.en, a.cy) for a in anchors}, moved, int((hi - lo + 1).sum()), floating
    )


def _same_text(text: str) -> str:
    """A block's text as a reader compares copies: spacing and case ignored."""
    return " ".join(text.split()).casefold()


def split_repeated_merges(pairs: list[Pair], en_texts: list[str], cy_texts: list[str]) -> list[Pair]:
    """A merge of copies of one text with that same text ("£ ¶ £" with "£") becomes one pair and the
    rest one-sided: a translation never prints a repeated mark once for two."""

    out: list[Pair] = []
    for e, c in pairs:
        many, one = (e, c) if len(e) > 1 else (c, e)
        many_texts, one_texts = (en_texts, cy_texts) if many is e else (cy_texts, en_texts)
        if (
            len(one) != 1
            or len(many) < 2
            or {_same_text(many_texts[k]) for k in many} != {_same_text(one_texts[one[0]])}
        ):
            out.append((e, c))
            continue
        out.append((many[:1], one) if many is e else (one, many[:1]))
        out.extend(((k,), ()) if many is e else ((), (k,)) for k in many[1:])
    return out


def fill_gaps(scorer: LinkScorer, pairs: list[Pair]) -> list[Pair]:
    """Pair in order the unaligned blocks of a gap with as many English as Welsh blocks.

    Between two links, k English and k Welsh blocks left unaligned are usually k translations whose
    texts the margin cannot tell apart (a form's repeated "Yes" / "Ydy", "No" / "Nac ydy"), not k
    omissions beside k additions: position is evidence too. Each pair still needs similarity plus cues
    of at least gap_min_evidence and a plausible length ratio, so an omission beside an unrelated
    addition stays one-sided.
    """
    p = scorer.p
    out: list[Pair] = []
    k = 0
    while k < len(pairs):
        if pairs[k][0] and pairs[k][1]:
            out.append(pairs[k])
            k += 1
            continue
        end = k
        while end < len(pairs) and not (pairs[end][0] and pairs[end][1]):
            end += 1
        gap = pairs[k:end]
        en = [e[0] for e, _ in gap if e]
        cy = [c[0] for _, c in gap if c]
        if en and len(en) == len(cy):
            for i, j in zip(en, cy, strict=True):  # each in-order pair on its own evidence
                ok = _gap_pair_ok(scorer, i, j, _gap_evidence(scorer, i, j))
                out.extend([((i,), (j,))] if ok else [((i,), ()), ((), (j,))])
        elif en and cy and max(len(en), len(cy)) <= p.gap_match_max_blocks:
            out.extend(_match_uneven_gap(scorer, en, cy))
        else:
            out.extend(gap)
        k = end
    return out


def _match_uneven_gap(scorer: LinkScorer, en: list[int], cy: list[int]) -> list[Pair]:
    """Unequal counts (an omission beside translated "Yes" / "Ydy" cells): the most in-order pairs that
    each pass the gap test (ties: the most evidence); the blocks left over stay one-sided, in order.
    (Also requiring pairs to be mutually best in the gap was measured: fewer planted omissions missed,
    more false ones; not kept.)"""
    n, m = len(en), len(cy)
    evidence = np.array([[_gap_evidence(scorer, i, j) for j in cy] for i in en])
    ok = [[_gap_pair_ok(scorer, en[a], cy[b], float(evidence[a, b])) for b in range(m)] for a in range(n)]
    # best[a][b]: (pairs, evidence) over en[a:], cy[b:]
    best = [[(0, 0.0)] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            options = [best[a + 1][b], best[a][b + 1]]
            if ok[a][b]:
                pairs, total = best[a + 1][b + 1]
                options.append((pairs + 1, total + float(evidence[a, b])))
            best[a][b] = max(options)
    out: list[Pair] = []
    a = b = 0
    while a < n or b < m:
        if a < n and b < m and ok[a][b]:
            pairs, total = best[a + 1][b + 1]
            if (pairs + 1, total + float(evidence[a, b])) == best[a][b]:
                out.append(((en[a],), (cy[b],)))
                a, b = a + 1, b + 1
                continue
        if a < n and (b == m or best[a + 1][b] == best[a][b]):
            out.append(((en[a],), ()))
            a += 1
        else:
            out.append(((), (cy[b],)))
            b += 1
    return out


def _all_short(scorer: LinkScorer, link: Pair) -> bool:
    """Every block of the link has at most gap_short_chars characters (a cell, a label, "No" / "Nac ydy")."""
    limit = scorer.p.gap_short_chars
    return all(scorer.en_cues[i].chars <= limit for i in link[0]) and all(
        scorer.cy_cues[j].chars <= limit for j in link[1]
    )


def _short_merge(scorer: LinkScorer, link: Pair) -> bool:
    """One block against two or more, all short: a merge no translation makes (unmerge_short_cells,
    split_short_merges)."""
    return min(len(link[0]), len(link[1])) == 1 and max(len(link[0]), len(link[1])) >= 2 and _all_short(scorer, link)


def unmerge_short_cells(scorer: LinkScorer, pairs: list[Pair]) -> list[Pair]:
    """A merge of short blocks near one-sided short blocks of the other side is re-paired 1-1 in order,
    with the links between them, when each new pair passes the gap test (fill_gaps).

    A table's header row "No. | Extract | Source line" against "Rhif | Dyfyniad | Llinell ffynhonnell":
    the encoder cannot tell "No." from "Rhif", so the path may leave "Rhif" out, pair "No." with
    "Dyfyniad" and join "Extract" to "Source line". The cells of a row are printed in the same order in
    both editions, so position is the evidence the text lacks: the smallest run of links around the
    merge (at most unmerge_window_links on each side) that holds as many English as Welsh blocks, all
    short (gap_short_chars) and none in a link of more than one block but the merge, is paired in
    order. Only short blocks: a long paragraph merged beside a one-sided one is a real merge next to a
    real omission far more often.
    """
    out = list(pairs)
    k = 0
    while k < len(out):
        window = _balanced_window(scorer, out, k) if _short_merge(scorer, out[k]) else None
        if window is None:
            k += 1
            continue
        start, end, en, cy = window
        if not all(_gap_pair_ok(scorer, i, j, _gap_evidence(scorer, i, j)) for i, j in zip(en, cy, strict=True)):
            k += 1
            continue
        out[start:end] = [((i,), (j,)) for i, j in zip(en, cy, strict=True)]
        k = start + len(en)
    return out


def unshift_short_links(scorer: LinkScorer, pairs: list[Pair]) -> list[Pair]:
    """Short links shifted by one are re-paired in order: "Oes" left out, "Yes" / "Nac oes", "No" left
    out becomes "Yes" / "Oes", "No" / "Nac oes".

    The encoder cannot tell apart texts this short ("Yes" is as close to "Nac oes" as to "Oes"), so
    the path may pair each option with its neighbour's translation and leave one block out on each
    side. Options and cells are printed in the same order in both editions: the smallest run of
    links around a one-sided short block (unmerge_window_links on each side) that holds as many
    English as Welsh blocks, all short and in 1-1 or one-sided links, is paired in order when each
    pair passes the gap test (fill_gaps), as unmerge_short_cells does round a merge.
    """
    out = list(pairs)
    k = 0
    while k < len(out):
        link = out[k]
        one_sided = not (link[0] and link[1])
        window = _balanced_window(scorer, out, k) if one_sided and _all_short(scorer, link) else None
        if window is None:
            k += 1
            continue
        start, end, en, cy = window
        paired = [((i,), (j,)) for i, j in zip(en, cy, strict=True)]
        if paired == out[start:end] or not all(
            _gap_pair_ok(scorer, i, j, _gap_evidence(scorer, i, j)) for i, j in zip(en, cy, strict=True)
        ):
            k += 1
            continue
        out[start:end] = paired
        k = start + len(paired)
    return out


def _balanced_window(scorer: LinkScorer, links: list[Pair], k: int) -> tuple[int, int, list[int], list[int]] | None:
    """The smallest run links[start:end] around the merge links[k], at most unmerge_window_links on each
    side, whose other links are short 1-1 or one-sided links and which holds as many English as Welsh
    blocks: (start, end, English blocks, Welsh blocks), or None."""
    reach = scorer.p.unmerge_window_links
    for size in range(2, 2 * reach + 2):
        for start in range(max(0, k - size + 1, k - reach), min(k, len(links) - size, k + reach + 1 - size) + 1):
            run = links[start : start + size]
            others = (x for q, x in enumerate(run, start) if q != k)
            if not all(len(x[0]) <= 1 and len(x[1]) <= 1 and _all_short(scorer, x) for x in others):
                continue
            en = sorted(i for x in run for i in x[0])
            cy = sorted(j for x in run for j in x[1])
            if len(en) == len(cy):
                return start, start + size, en, cy
    return None


def split_short_merges(scorer: LinkScorer, pairs: list[Pair]) -> list[Pair]:
    """A merge in which every block is short (gap_short_chars) keeps only its best-supported 1-1 pair;
    the other blocks become one-sided, in order.

    Translators do not join two table cells or form labels into one ("1. Property:" / "1. Eiddo:" +
    "Prif gartref", where "Main home" was left out): no merge in the hand-checked gold has blocks that
    short, while the path, for which a short text's embedding says little, joins a cell whose partner
    is missing to its neighbour and so hides the omission.
    """
    out: list[Pair] = []
    for e, c in pairs:
        if not _short_merge(scorer, (e, c)):
            out.append((e, c))
        elif len(e) > 1:
            keep = max(e, key=lambda i: _gap_evidence(scorer, i, c[0]))
            out.extend(((i,), c) if i == keep else ((i,), ()) for i in e)
        else:
            keep = max(c, key=lambda j: _gap_evidence(scorer, e[0], j))
            out.extend((e, (j,)) if j == keep else ((), (j,)) for j in c)
    return out


def _gap_evidence(scorer: LinkScorer, i: int, j: int) -> float:
    sim = float(scorer.similarity(i, 1, np.array([j]), 1)[0])
    return sim + scorer.cue(i, 1, j, 1, sim)[0]


def _gap_pair_ok(scorer: LinkScorer, i: int, j: int, evidence: float) -> bool:
    """Whether EN i and CY j, with similarity plus cues ``evidence`` (_gap_evidence), pass the gap test."""
    p = scorer.p
    dev = abs(float(scorer.length_dev(i, 1, np.array([j]), 1)[0]))
    need = p.gap_min_evidence_short if _all_short(scorer, ((i,), (j,))) else p.gap_min_evidence
    return evidence >= need and dev <= p.length_slack + p.anchor_length_margin


def pair_moved_blocks(
    scorer: LinkScorer,
    pairs: list[Pair],
    detours: Sequence[Anchor] = (),
    texts: tuple[list[str], list[str]] | None = None,
) -> tuple[list[Pair], set[Pair]]:
    """Pair unaligned blocks that are clearly each other's translation but sit at different places.

    Boxes, captions and footnotes the segmenter did not recognise float too. Leftover blocks that are
    mutual best among the leftovers, whose similarity plus cue evidence (contradicting cues count
    against, they do not forbid) is strong, become one link placed at the English block's position
    (flag "moved"); so do the anchors left out of the path as detours (dp.split_detours) whose blocks
    are both still unaligned. With ``texts`` (each side's block texts), a leftover whose text is printed
    more than once in its edition (a table's "Q" or "AO2" header cell) is paired far from its place
    only with a copy of its own text (a mark such as "1"), otherwise only near its place or beside a
    moved pair: any copy of it could be the one whose partner is missing, so its text says nothing
    about where it belongs (AlignParams.moved_far_unique_text).
    """
    p = scorer.p
    en_left = [e[0] for e, c in pairs if e and not c]
    cy_left = [c[0] for e, c in pairs if c and not e]
    if not en_left or not cy_left:
        return pairs, set()
    sims = np.array([scorer.similarity(i, 1, np.array(cy_left), 1) for i in en_left])
    far_sims = sims
    if texts is not None:
        en_same, cy_same = ([_same_text(t) for t in side] for side in texts)
        en_copies, cy_copies = Counter(en_same), Counter(cy_same)
        en_key = np.array([en_same[i] for i in en_left], dtype=object)
        cy_key = np.array([cy_same[j] for j in cy_left], dtype=object)
        en_repeated = np.array([en_copies[k] > 1 for k in en_key])
        cy_repeated = np.array([cy_copies[k] > 1 for k in cy_key])
        unsure = (en_repeated[:, None] | cy_repeated[None, :]) & (en_key[:, None] != cy_key[None, :])
        far_sims = np.where(unsure, -np.inf, sims)

    def evidence(a: int, b: int) -> float | None:
        """Similarity plus cues of leftovers en_left[a], cy_left[b]; None when their lengths rule them out."""
        i, j = en_left[a], cy_left[b]
        dev = abs(float(scorer.length_dev(i, 1, np.array([j]), 1)[0]))
        if dev > p.length_slack + p.anchor_length_margin:
            return None
        return float(sims[a, b]) + scorer.cue(i, 1, j, 1, float(sims[a, b]))[0]

    matched: dict[int, int] = {}
    seeds: list[tuple[int, int]] = []
    en_pos = {i: a for a, i in enumerate(en_left)}
    cy_pos = {j: b for b, j in enumerate(cy_left)}
    taken: set[int] = set()
    for d in detours:
        if d.en in en_pos and d.cy in cy_pos:
            matched[d.en] = d.cy
            taken.add(d.cy)
            seeds.append((en_pos[d.en], cy_pos[d.cy]))

    def pair_mutual_best(scores: np.ndarray, min_evidence: float) -> None:
        """Pair the leftovers that are each other's best by ``scores`` (-inf: not a candidate)."""
        for a in range(len(en_left)):
            if en_left[a] in matched or not np.isfinite(scores[a]).any():
                continue
            b = int(np.argmax(scores[a]))
            if cy_left[b] in taken or int(np.argmax(scores[:, b])) != a:
                continue
            ev = evidence(a, b)
            if ev is not None and ev >= min_evidence:
                matched[en_left[a]] = cy_left[b]
                taken.add(cy_left[b])
                seeds.append((a, b))

    floor = _in_place_floor(scorer, pairs)
    as_strong = sims >= floor if floor is not None else np.ones_like(sims, dtype=bool)
    pair_mutual_best(np.where(as_strong, far_sims, -np.inf), p.moved_min_evidence)
    # A short crossing (a table read row by row in one edition and column by column in the other):
    # leftovers a few links apart that are mutual best among the leftovers near them need only be
    # plausible, as position is evidence too.
    slot = {("en", e[0]) if e and not c else ("cy", c[0]): k for k, (e, c) in enumerate(pairs) if bool(e) != bool(c)}
    en_slot = np.array([slot["en", i] for i in en_left])
    cy_slot = np.array([slot["cy", j] for j in cy_left])
    near = np.abs(en_slot[:, None] - cy_slot[None, :]) <= p.moved_near_links
    pair_mutual_best(np.where(near & as_strong, sims, -np.inf), p.moved_run_min_evidence)
    # A section moves as a whole: leftovers next to a moved pair, in the same order on both sides, are
    # its neighbours' translations when they are merely plausible (moved_run_min_evidence).
    while seeds:
        a, b = seeds.pop()
        for step in (-1, 1):
            i, j = en_left[a] + step, cy_left[b] + step
            if i not in en_pos or j not in cy_pos or i in matched or j in taken:
                continue
            na, nb = en_pos[i], cy_pos[j]
            ev = evidence(na, nb)
            if ev is not None and ev >= p.moved_run_min_evidence:
                matched[i] = j
                taken.add(j)
                seeds.append((na, nb))
    if not matched:
        return pairs, set()
    out: list[Pair] = []
    for e, c in pairs:
        if e and not c and e[0] in matched:
            out.append((e, (matched[e[0]],)))
        elif not (c and not e and c[0] in taken):
            out.append((e, c))
    return out, {((i,), (j,)) for i, j in matched.items()}


def _in_place_floor(scorer: LinkScorer, pairs: list[Pair]) -> float | None:
    """The similarity a moved pair must reach: AlignParams.moved_min_link_quantile of the in-place 1-1
    links' similarities; None when the floor is off or the document has too few such links."""
    p = scorer.p
    one_one = [(e[0], c[0]) for e, c in pairs if len(e) == 1 and len(c) == 1]
    if p.moved_min_link_quantile is None or len(one_one) < p.moved_floor_min_links:
        return None
    en, cy = (np.array(side) for side in zip(*one_one))
    return float(np.quantile(scorer.pair_similarity(en, cy), p.moved_min_link_quantile))


def pair_near_twins(scorer: LinkScorer, pairs: list[Pair]) -> tuple[list[Pair], set[Pair]]:
    """Pair an unaligned English block with an unaligned Welsh block of the very same text a link or
    so away (flag "moved").

    A form's box marks ("£", "%") carry no words to align by, and where a box sits between two lines
    of the label column each edition's layout may read it before or after the line beside it: the
    same box then lands on either side of its neighbour's link, where no monotonic alignment can
    pair it.
    """
    p = scorer.p
    en_vecs, cy_vecs = scorer.en_runs[1], scorer.cy_runs[1]
    out = list(pairs)
    moved: set[Pair] = set()
    for k, (e, c) in enumerate(out):
        if not e or c:
            continue
        lo, hi = max(0, k - p.twin_window), min(len(out), k + p.twin_window + 1)
        for t in range(lo, hi):
            e2, c2 = out[t]
            if e2 or not c2 or float(cy_vecs[c2[0]] @ en_vecs[e[0]]) < p.twin_min_cos:
                continue
            out[k], out[t] = (e, c2), ((), ())
            moved.add((e, c2))
            break
    return [pr for pr in out if pr[0] or pr[1]], moved


def merge_in_order(main: list[Pair], extra: list[Pair]) -> tuple[list[Pair], set[Pair]]:
    """Insert the floating links into the main sequence by English position (Welsh position if one-sided).

    Returns the merged list and the inserted links that break the Welsh order.
    """
    if not extra:
        return main, set()
    slots: list[list[Pair]] = [[] for _ in range(len(main) + 1)]
    main_en = [min(e) if e else None for e, _ in main]
    main_cy_max = [max(c) if c else None for _, c in main]
    for e, c in extra:
        if e:
            pos = next((k for k, v in enumerate(main_en) if v is not None and v > e[0]), len(main))
        else:
            before = [k for k, v in enumerate(main_cy_max) if v is not None and v < c[0]]
            pos = before[-1] + 1 if before else 0
        slots[pos].append((e, c))
    out: list[Pair] = []
    out_of_order: set[Pair] = set()
    last_cy = -1
    for k in range(len(main) + 1):
        next_cy = next((min(c) for _, c in main[k:] if c), None)
        for e, c in slots[k]:
            if c and (min(c) < last_cy or (next_cy is not None and max(c) > next_cy)):
                out_of_order.add((e, c))
            out.append((e, c))
        if k < len(main):
            out.append(main[k])
            if main[k][1]:
                last_cy = max(main[k][1])
    return out, out_of_order
