"""Alignment logic with a fake embedder: fast, and independent of the real model's accuracy."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_embedder import FakeEmbedder

from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import align_documents
from aligner.errors import AlignerError
from aligner.records import Block, BlockKind, Document, LinkFlag

EN_WORDS = [
    "the",
    "report",
    "says",
    "that",
    "the",
    "council",
    "will",
    "review",
    "the",
    "plan",
    "and",
    "publish",
    "its",
    "findings",
]
CY_WORDS = [
    "mae'r",
    "adroddiad",
    "yn",
    "dweud",
    "y",
    "bydd",
    "y",
    "cyngor",
    "yn",
    "adolygu'r",
    "cynllun",
    "ac",
    "yn",
    "cyhoeddi",
]


def paragraph(concepts: list[int], words: list[str]) -> str:
    """A paragraph of ordinary words carrying the given concept tokens."""
    body = " ".join(w for k in concepts for w in words[(k * 3) % len(words) : (k * 3) % len(words) + 6])
    return " ".join(f"c{k}" for k in concepts) + " " + body + "."


def doc(lang: str, paragraphs: list[list[int]]) -> Document:
    words = EN_WORDS if lang == "en" else CY_WORDS
    blocks = tuple(
        Block(f"p1-b{i + 1}", BlockKind.PARAGRAPH, paragraph(p, words), 1, (0, i * 20, 100, i * 20 + 15), 10, False)
        for i, p in enumerate(paragraphs)
    )
    return Document(f"{lang}.pdf", lang, 1, blocks)


@pytest.fixture
def run(tmp_path: Path):
    def align(en: list[list[int]], cy: list[list[int]], **params: object):
        return align_documents(
            doc("en", en),
            doc("cy", cy),
            params=AlignParams.from_options(dict(params)),
            embedder=FakeEmbedder(),
            cache_dir=tmp_path,
        )

    return align


def concepts(n: int, start: int = 0) -> list[list[int]]:
    return [[start + 3 * i, start + 3 * i + 1, start + 3 * i + 2] for i in range(n)]


def test_parallel_paragraphs_link_one_to_one(run) -> None:
    paras = concepts(30)
    al = run(paras, paras)
    assert [(link.en, link.cy) for link in al.links] == [((i,), (i,)) for i in range(30)]


def test_every_block_is_in_exactly_one_link(run) -> None:
    en = concepts(25)
    cy = en[:10] + en[11:] + [[900, 901, 902]]
    al = run(en, cy)
    assert sorted(i for link in al.links for i in link.en) == list(range(len(en)))
    assert sorted(j for link in al.links for j in link.cy) == list(range(len(cy)))


def test_an_untranslated_paragraph_becomes_one_sided(run) -> None:
    en = concepts(20)
    cy = en[:7] + en[8:]
    al = run(en, cy)
    one_sided = [link for link in al.links if not link.cy]
    assert [link.en for link in one_sided] == [(7,)]
    assert LinkFlag.ONE_SIDED in one_sided[0].flags


def test_a_welsh_merge_is_a_two_to_one_link(run) -> None:
    en = concepts(20)
    cy = en[:5] + [en[5] + en[6]] + en[7:]
    al = run(en, cy)
    assert ((5, 6), (5,)) in [(link.en, link.cy) for link in al.links]


def test_alignment_is_deterministic(run) -> None:
    en = concepts(15)
    cy = en[:3] + en[4:] + [[700, 701, 702]]
    assert run(en, cy).links == run(en, cy).links


def test_settings_record_every_parameter(run) -> None:
    al = run(concepts(5), concepts(5), sem_weight=3.5)
    params = al.settings["params"]
    assert params["sem_weight"] == 3.5
    assert set(params) == {f for f in AlignParams.__dataclass_fields__}
    assert params["cues"]["label_match"] == AlignParams().cues.label_match


def test_unknown_parameter_is_one_clear_error() -> None:
    with pytest.raises(AlignerError, match="unknown alignment option"):
        AlignParams.from_options({"sem_treshold": 0.3})


def test_signature_names_every_parameter_nested_ones_included(run) -> None:
    from dataclasses import asdict

    from aligner.io.provenance import settings_signature

    al = run(concepts(5), concepts(5))
    signature = settings_signature(al.settings)
    keys = {field.split(":", 1)[0] for field in signature.split("|")}

    def names(d: dict, prefix: str = "") -> set[str]:
        found: set[str] = set()
        for k, v in d.items():
            key = prefix + k.replace("_", "").lower()
            found |= names(v, key + ".") if isinstance(v, dict) else {key}
        return found

    missing = names(asdict(AlignParams())) - keys
    assert not missing, f"parameters missing from the signature: {sorted(missing)}"


class GapScorer:
    """Just what fill_gaps reads from a LinkScorer: similarity, length deviation, cues, text lengths."""

    def __init__(self, en: list[str], cy: list[str], sim: dict[tuple[int, int], float]) -> None:
        from types import SimpleNamespace

        self.p = AlignParams()
        self.en_cues = [SimpleNamespace(chars=len(t)) for t in en]
        self.cy_cues = [SimpleNamespace(chars=len(t)) for t in cy]
        self.sim = sim

    def similarity(self, i, n_en, js, n_cy):
        import numpy as np

        return np.array([self.sim.get((i, int(j)), -3.0) for j in js])

    def pair_similarity(self, en, cy):
        import numpy as np

        return np.array([self.sim.get((int(i), int(j)), -3.0) for i, j in zip(en, cy)])

    def length_dev(self, i, n_en, js, n_cy):
        import numpy as np

        return np.zeros(len(js))

    def cue(self, i, n_en, j, n_cy, sim):
        return (0.0,)


def test_short_cells_beside_an_omission_still_pair_in_order() -> None:
    """A gap with more English than Welsh blocks left unaligned: the translated short cells pair in
    order, the omission stays one-sided (aligner.alignment.parts.fill_gaps)."""
    from aligner.alignment.parts import fill_gaps

    en = ["Yes", "Go to question 2 and give the details asked for there.", "No"]
    cy = ["Ydy", "Nac ydy"]
    sim = {(0, 0): -0.5, (0, 1): -0.9, (2, 0): -0.9, (2, 1): -0.4, (1, 0): -2.5, (1, 1): -2.5}
    pairs = [((0,), ()), ((1,), ()), ((2,), ()), ((), (0,)), ((), (1,))]
    assert fill_gaps(GapScorer(en, cy, sim), pairs) == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    few = AlignParams(gap_match_max_blocks=2)  # a gap larger than this stays one-sided
    scorer = GapScorer(en, cy, sim)
    scorer.p = few
    assert fill_gaps(scorer, pairs) == pairs


def test_a_short_crossing_is_linked_as_moved_only_when_near() -> None:
    """Leftovers a few links apart (a table read in another order) need only plausible evidence."""
    from aligner.alignment.parts import pair_moved_blocks

    en = ["Housing costs, including:", "Client", "Partner", "£"]
    cy = ["Cleient", "Partner", "£", "Costau cadw ty, yn cynnwys:"]
    pairs = [((0,), ()), ((1,), (0,)), ((2,), (1,)), ((3,), (2,)), ((), (3,))]
    scorer = GapScorer(en, cy, {(0, 3): 0.8})  # plausible, below moved_min_evidence
    out, moved = pair_moved_blocks(scorer, pairs)
    assert moved == {((0,), (3,))} and ((0,), (3,)) in out and len(out) == 4
    scorer.p = AlignParams(moved_near_links=3)  # four links apart: too far for position to count
    assert pair_moved_blocks(scorer, pairs) == (pairs, set())


def test_a_header_row_joined_by_the_path_is_paired_cell_by_cell() -> None:
    """ "No. | Extract | Source line" / "Rhif | Dyfyniad | Llinell ffynhonnell": the path left "Rhif" out,
    paired "No." with "Dyfyniad" and joined the last two cells; the row's cells are re-paired in order.
    Long paragraphs in the same shape, or a cell whose pair fails the gap test, stay as they are."""
    from aligner.alignment.parts import unmerge_short_cells

    en = ["Table 1: Selected extracts", "No.", "Extract", "Source line", "1"]
    cy = ["Tabl 1: Detholiad o ddyfyniadau", "Rhif", "Dyfyniad", "Llinell ffynhonnell", "1"]
    pairs = [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2, 3), (3,)), ((4,), (4,))]
    sim = {(1, 1): -1.0, (2, 2): 0.5, (3, 3): 0.8, (1, 2): -0.8}
    assert unmerge_short_cells(GapScorer(en, cy, sim), pairs) == [((k,), (k,)) for k in range(5)]
    long_en = [t if k in (0, 4) else t + " " + "words " * 10 for k, t in enumerate(en)]
    long_cy = [t if k in (0, 4) else t + " " + "geiriau " * 10 for k, t in enumerate(cy)]
    assert unmerge_short_cells(GapScorer(long_en, long_cy, sim), pairs) == pairs
    assert unmerge_short_cells(GapScorer(en, cy, {**sim, (1, 1): -2.5}), pairs) == pairs  # fails the gap test
    far = [((0,), (0,)), ((), (1,)), *[((k,), (k + 1,)) for k in range(1, 5)], ((5, 6), (6,))]
    far_en, far_cy = [*en[:1], *(f"cell {k}" for k in range(1, 7))], [*cy[:1], *(f"cell {k}" for k in range(1, 7))]
    # the one-sided cell is five links from the merge: more than unmerge_window_links
    everything_passes = {(i, j): 0.5 for i in range(7) for j in range(7)}
    assert unmerge_short_cells(GapScorer(far_en, far_cy, everything_passes), far) == far
    near = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((), (3,)), ((3,), (4,)), ((4, 5), (5,))]
    assert unmerge_short_cells(GapScorer(far_en, far_cy, everything_passes), near) == [
        *near[:3],
        ((3,), (3,)),
        ((4,), (4,)),
        ((5,), (5,)),
    ]


def test_options_shifted_by_one_are_paired_in_order() -> None:
    """ "Oes" left out, "Yes" / "Nac oes", "No" left out: the encoder cannot tell the options apart,
    so the path shifted them; in order they pair "Yes" / "Oes" and "No" / "Nac oes". Long paragraphs
    in the same shape (a real omission beside a real addition) and pairs that fail the gap test stay
    as they are (aligner.alignment.parts.unshift_short_links)."""
    from aligner.alignment.parts import unshift_short_links

    en = ["Do you have a partner?", "Yes", "No", "Go on to the next section."]
    cy = ["Oes gennych chi bartner?", "Oes", "Nac oes", "Ewch ymlaen i'r adran nesaf."]
    pairs = [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), ()), ((3,), (3,))]
    sim = {(1, 1): -0.3, (1, 2): -0.2, (2, 2): -0.4, (2, 1): -0.6}
    assert unshift_short_links(GapScorer(en, cy, sim), pairs) == [((k,), (k,)) for k in range(4)]
    long_en = [t if k in (0, 3) else t + " " + "words " * 10 for k, t in enumerate(en)]
    long_cy = [t if k in (0, 3) else t + " " + "geiriau " * 10 for k, t in enumerate(cy)]
    assert unshift_short_links(GapScorer(long_en, long_cy, sim), pairs) == pairs
    assert unshift_short_links(GapScorer(en, cy, {**sim, (2, 2): -2.5}), pairs) == pairs  # fails the gap test


def test_a_merge_of_short_cells_keeps_only_its_best_pair() -> None:
    """ "1. Property:" with "1. Eiddo:" + "Prif gartref": the label keeps its best partner, the other cell is
    one-sided; a merge with a long block, and a 1-1 of short cells, are left alone."""
    from aligner.alignment.parts import split_short_merges

    en = ["1. Property:", "Other property", "A paragraph long enough not to be a cell of a form, surely."]
    cy = ["1. Eiddo:", "Prif gartref", "Eiddo arall", "Paragraff", "sy'n ddigon hir i beidio bod yn gell."]
    sim = {(0, 0): 0.9, (0, 1): 0.2, (1, 2): 0.8, (2, 3): 0.5, (2, 4): 0.5}
    pairs = [((0,), (0, 1)), ((1,), (2,)), ((2,), (3, 4))]
    assert split_short_merges(GapScorer(en, cy, sim), pairs) == [((0,), (0,)), ((), (1,)), *pairs[1:]]
    swapped = {(0, 0): 0.2, (0, 1): 0.9, (1, 2): 0.8}
    assert split_short_merges(GapScorer(en, cy, swapped), pairs)[:2] == [((), (0,)), ((0,), (1,))]


def test_a_moved_pair_must_be_as_similar_as_the_documents_own_links() -> None:
    """In a short leaflet with one paragraph left out on each side, the two leftovers are near each
    other and share a topic: plausible, but weaker than every link the document aligned in place, so
    they stay one-sided; a leftover pair as similar as those links is still linked as moved."""
    from aligner.alignment.parts import pair_moved_blocks

    en, cy = [f"paragraph {k}" for k in range(9)], [f"paragraff {k}" for k in range(9)]
    # CY 0's partner and EN 8's partner are missing; EN k is printed as CY k + 1
    pairs = [((), (0,)), *[((k,), (k + 1,)) for k in range(8)], ((8,), ())]
    in_place = {(k, k + 1): 1.3 + 0.02 * k for k in range(8)}
    scorer = GapScorer(en, cy, {**in_place, (8, 0): 1.1})
    assert pair_moved_blocks(scorer, pairs) == (pairs, set())
    scorer.p = AlignParams(moved_min_link_quantile=None)  # no floor: the plausible pair is linked
    assert pair_moved_blocks(scorer, pairs)[1] == {((8,), (0,))}
    scorer = GapScorer(en, cy, {**in_place, (8, 0): 1.5})  # as similar as a translation here
    assert pair_moved_blocks(scorer, pairs)[1] == {((8,), (0,))}
    few = [((), (0,)), *[((k,), (k + 1,)) for k in range(4)], ((8,), ())]  # too few links to tell
    assert pair_moved_blocks(GapScorer(en, cy, {**in_place, (8, 0): 1.1}), few)[1] == {((8,), (0,))}


def test_a_repeated_cell_is_not_paired_far_away_with_a_different_text() -> None:
    """A mark scheme prints "Q" / "Cw" over every table: with one copy's partner missing on each side,
    the leftover "Q" and "Cw" are translations, but of different rows, so they are not a moved link;
    a distinct text left over far away still is, and so are two copies of one language-neutral mark."""
    from aligner.alignment.parts import pair_moved_blocks

    # EN block 0 and CY block 0 are left over, 40 links apart; the last block of each side is a copy
    far = [((0,), ()), *[((k,), (k,)) for k in range(1, 40)], ((), (0,))]
    en_far, cy_far = ["Q", *[f"row {k}" for k in range(1, 40)], "Q"], ["Cw", *[f"rhes {k}" for k in range(1, 40)], "Cw"]
    scorer = GapScorer(en_far, cy_far, {(0, 0): 1.5})
    assert pair_moved_blocks(scorer, far, texts=(en_far, cy_far)) == (far, set())
    assert pair_moved_blocks(scorer, far)[1] == {((0,), (0,))}  # without the texts: paired on similarity
    unique_en, unique_cy = ["Total marks for the paper", *en_far[1:]], ["Cyfanswm marciau'r papur", *cy_far[1:]]
    scorer = GapScorer(unique_en, unique_cy, {(0, 0): 1.5})
    assert pair_moved_blocks(scorer, far, texts=(unique_en, unique_cy))[1] == {((0,), (0,))}
    marks_en, marks_cy = ["1", *en_far[1:-1], "1"], ["1", *cy_far[1:-1], "1"]
    scorer = GapScorer(marks_en, marks_cy, {(0, 0): 1.5})
    assert pair_moved_blocks(scorer, far, texts=(marks_en, marks_cy))[1] == {((0,), (0,))}


def test_repeated_mark_read_either_side_of_a_neighbour_is_paired(tmp_path: Path) -> None:
    """A form's repeated box mark (here the same word in both editions), read before the next line in
    English and after it in Welsh, twice: a monotonic alignment leaves them one-sided and, being
    identical, they are no one's mutual best; the twin pass links each to the one a link away."""
    en_texts = [paragraph(p, EN_WORDS) for p in concepts(12)]
    cy_texts = [paragraph(p, CY_WORDS) for p in concepts(12)]
    for en_at, cy_at in ((6, 7), (3, 4)):
        en_texts.insert(en_at, "Partner")
        cy_texts.insert(cy_at, "Partner")

    def make(lang: str, texts: list[str]) -> Document:
        blocks = tuple(
            Block(f"p1-b{i + 1}", BlockKind.PARAGRAPH, t, 1, (0, i * 20, 100, i * 20 + 15), 10, False)
            for i, t in enumerate(texts)
        )
        return Document(f"{lang}.pdf", lang, 1, blocks)

    al = align_documents(make("en", en_texts), make("cy", cy_texts), embedder=FakeEmbedder(), cache_dir=tmp_path)
    links = [(link.en, link.cy) for link in al.links]
    assert ((3,), (4,)) in links and ((7,), (8,)) in links
    assert all(link.en and link.cy for link in al.links)


def test_repeated_texts_expect_the_partner_most_of_their_links_have() -> None:
    """A table header printed four times: three first-path links pair "Answer" with "Ateb", one with
    "Cyfanswm" (the encoder's mistake); the second path favours "Ateb" and counts against "Cyfanswm"."""
    import numpy as np

    from aligner.alignment.cues import extract_cues
    from aligner.alignment.scoring import LinkScorer

    en_t, cy_t = ["Q", "Answer", "Total"] * 4, ["Cw", "Ateb", "Cyfanswm"] * 4
    en_doc, cy_doc = _cells("en", en_t), _cells("cy", cy_t)
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((24, 8)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    params = AlignParams()
    scorer = LinkScorer(
        vecs[:12], vecs[12:], [extract_cues(b) for b in en_doc.blocks], [extract_cues(b) for b in cy_doc.blocks], params
    )
    path = [((i,), (i,)) for i in range(9)] + [((9,), (9,)), ((10,), (11,)), ((11,), (10,))]
    assert scorer.set_repeats(en_t, cy_t, path)
    w = params.repeat_weight
    assert scorer.repeat_evidence(10, np.array([10, 11])).tolist() == [2 * w, -2 * w]
    assert scorer.repeat_evidence(0, np.array([0, 1])).tolist() == [2 * w, -2 * w]


def _cells(lang: str, texts: list[str]) -> Document:
    blocks = tuple(
        Block(f"p1-b{i + 1}", BlockKind.TABLE_CELL, t, 1, (0, i * 20, 100, i * 20 + 15), 10, False)
        for i, t in enumerate(texts)
    )
    return Document(f"{lang}.pdf", lang, 1, blocks)


def test_second_path_only_when_a_repeated_text_misses_its_usual_partner() -> None:
    """set_repeats' bonus cannot change a path that already links every such block to its partner."""
    from types import SimpleNamespace

    import numpy as np

    from aligner.alignment.scoring import LinkScorer

    # EN classes: 0 = "Yes" (expects CY class 0 "Ydy"), 1 = other; CY classes likewise
    repeats = (np.array([0, 1, 0]), np.array([0, 1, 0]), np.array([0, -1, 0]), np.array([0, -1, 0]))
    scorer = SimpleNamespace(repeats=repeats)
    agree = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert not LinkScorer.repeats_disagree(scorer, agree)  # type: ignore[arg-type]
    assert LinkScorer.repeats_disagree(scorer, [((0,), (1,)), ((1,), (0,)), ((2,), (2,))])  # type: ignore[arg-type]
    assert LinkScorer.repeats_disagree(scorer, [((0, 1), (0,)), ((), (1,)), ((2,), (2,))])  # type: ignore[arg-type]


def test_a_merge_of_copies_of_one_mark_is_split() -> None:
    from aligner.alignment.parts import split_repeated_merges

    en, cy = ["Savings", "£", "£", "Total"], ["Cynilion", "£", "Cyfanswm", "£ "]
    pairs = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2, 3))]
    assert split_repeated_merges(pairs, en, cy) == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2, 3))]
    assert split_repeated_merges([((), (1,)), ((1,), (1, 3))], en, cy) == [((), (1,)), ((1,), (1,)), ((), (3,))]
