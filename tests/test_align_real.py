"""The whole pipeline (real PDFs -> segment -> embed -> align -> TSV) on real English/Welsh pairs.

The pinned pairs were checked by reading both editions of the leaflet; the scores use the
hand-checked gold in ../shared/data/gold (skipped when that folder is absent).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.api import align as align_pdfs
from aligner.evaluation import evaluate_files
from aligner.io.tabular import write_alignment
from devtools.devdata import GOLD_PDFS, shared_data_dir

REPO = Path(__file__).resolve().parents[1]
SHARED = shared_data_dir()
GOLD = SHARED / "gold"


def _link_with(alignment, en_start: str):
    for link in alignment.links:
        if link.en and alignment.en.blocks[link.en[0]].text.startswith(en_start):
            return link
    raise AssertionError(f"no link starts with {en_start!r}")


def _texts(doc, indices):
    return [doc.blocks[i].text for i in indices]


def test_demo_pair_heading_pairs_with_its_welsh_heading(demo_pair_alignment):
    link = _link_with(demo_pair_alignment, "Can I be released early?")
    assert link.kind == "1-1"
    assert _texts(demo_pair_alignment.cy, link.cy) == ["A allaf gael fy rhyddhau yn gynnar?"]
    block = demo_pair_alignment.cy.blocks[link.cy[0]]
    assert (block.page, block.kind.value) == (2, "heading")


def test_demo_pair_two_english_paragraphs_run_together_in_welsh(demo_pair_alignment):
    link = _link_with(demo_pair_alignment, "The Parole Board and the Secretary of State both have the power")
    assert link.kind == "2-1"
    en = _texts(demo_pair_alignment.en, link.en)
    assert en[1].startswith("The Secretary of State can also release you at any time")
    (cy,) = _texts(demo_pair_alignment.cy, link.cy)
    assert cy.startswith("Mae gan y Bwrdd Parôl a’r Ysgrifennydd Gwladol y pŵer")
    assert "Gall yr Ysgrifennydd Gwladol hefyd eich rhyddhau" in cy


def test_demo_pair_boxed_note_and_list_items(demo_pair_alignment):
    note = _link_with(demo_pair_alignment, "Note: If you have any questions about your recall")
    assert _texts(demo_pair_alignment.cy, note.cy)[0].startswith("Sylwer: Os oes gennych unrhyw gwestiynau")
    item = _link_with(demo_pair_alignment, "Not to release you")
    assert _texts(demo_pair_alignment.cy, item.cy) == ["Peidio â’ch rhyddhau chi"]
    assert demo_pair_alignment.en.blocks[item.en[0]].kind.value == "list_item"


def test_demo_pair_has_every_block_once_and_nothing_one_sided(demo_pair_alignment):
    en_seen = sorted(i for link in demo_pair_alignment.links for i in link.en)
    cy_seen = sorted(i for link in demo_pair_alignment.links for i in link.cy)
    assert en_seen == list(range(len(demo_pair_alignment.en.blocks)))
    assert cy_seen == list(range(len(demo_pair_alignment.cy.blocks)))
    assert all(link.en and link.cy for link in demo_pair_alignment.links)
    assert all(0.0 <= link.score <= 1.0 for link in demo_pair_alignment.links)


TARGET_STRICT_F1 = 0.97
"""The target for every real pair, PDF to alignment."""
STRICT_F1_FLOORS = {
    "hmcts-et1-claim-form": 0.759,
}
"""Pairs below the target, mostly because their tables and forms are not segmented into the gold units yet
(work in progress elsewhere): the strict F1 measured on 2026-11-27 minus 0.01, so a regression still fails.
Raise these as segmentation improves; the target stays TARGET_STRICT_F1."""
COVERAGE_FLOORS = {"hmcts-et1-claim-form": 0.93, "laa-civmeans7-form": 0.97, "wjec-cs-as-unit1-ms-2016": 0.94}
"""Share of gold words found in the output (target 0.99), likewise measured minus 0.01."""


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/data/gold not available")
@pytest.mark.parametrize("name", sorted(GOLD_PDFS))
def test_real_pairs_against_hand_checked_gold(name, tmp_path, embedding_cache):
    en_rel, cy_rel = GOLD_PDFS[name]
    alignment = align_pdfs(SHARED / "pdf" / en_rel, SHARED / "pdf" / cy_rel, cache_dir=embedding_cache)
    system = tmp_path / f"{name}.tsv"  # written and read back: characters outside the BMP included
    write_alignment(alignment, system)
    scores = evaluate_files(GOLD / f"{name}.gold.tsv", system).to_dict()
    assert scores["strict_f1"] >= STRICT_F1_FLOORS.get(name, TARGET_STRICT_F1), scores
    assert min(scores["coverage_en"], scores["coverage_cy"]) >= COVERAGE_FLOORS.get(name, 0.99), scores


def _renumbered_gold_pair(stem: str, omit_at: float = 1 / 3, lose: tuple[int, ...] = (5, 9)):
    """A real gold pair whose 1-1 paragraphs are numbered "N. " on both sides, with one Welsh body
    paragraph omitted and the Welsh numbering continued after it (so every later Welsh number is one
    lower than its English counterpart's), and the labels of a few Welsh paragraphs lost."""
    from dataclasses import replace

    from aligner.records import BlockKind, Document
    from devtools.devdata import documents_from_gold

    gp = documents_from_gold(GOLD / f"{stem}.gold.tsv")
    en, cy = list(gp.en.blocks), list(gp.cy.blocks)
    one_one = [k for k, (e, c) in enumerate(gp.links) if len(e) == 1 and len(c) == 1]
    body = [k for k in one_one if cy[gp.links[k][1][0]].kind is BlockKind.PARAGRAPH]
    omit = body[int(len(body) * omit_at)]
    n_en = n_cy = 0
    links = []
    for k, (e, c) in enumerate(gp.links):
        if k in one_one:
            n_en += 1
            en[e[0]] = replace(en[e[0]], text=f"{n_en}. {en[e[0]].text}")
            if k == omit:
                links.append((e, ()))
                continue
            n_cy += 1
            if n_cy not in lose:
                cy[c[0]] = replace(cy[c[0]], text=f"{n_cy}. {cy[c[0]].text}")
        links.append((e, c))
    dropped = gp.links[omit][1][0]
    new_index = {j: t for t, j in enumerate(j for j in range(len(cy)) if j != dropped)}
    cy_doc = Document(gp.cy.path, "cy", 1, tuple(b for j, b in enumerate(cy) if j != dropped))
    links = [(e, tuple(new_index[j] for j in c)) for e, c in links]
    return Document(gp.en.path, "en", 1, tuple(en)), cy_doc, links, omit


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/data/gold not available")
@pytest.mark.parametrize("stem", ["moj-standard-recall", "moj-fixed-recall"])
def test_renumbered_labels_do_not_split_identical_content(stem, embedding_cache):
    """Labels are evidence, never a veto: after a renumbering every paragraph still finds its translation.

    Before numbering was weighed by trust, the shifted labels pulled every later paragraph onto the
    wrong partner (strict F1 0.46 on fixed recall).
    """
    from aligner.alignment.pipeline import align_documents

    en, cy, gold, _ = _renumbered_gold_pair(stem)
    alignment = align_documents(en, cy, cache_dir=embedding_cache)
    system = {(link.en, link.cy) for link in alignment.links}
    kept = [(e, c) for e, c in gold if len(e) == 1 and len(c) == 1]
    missing = [(e, c) for e, c in kept if (e, c) not in system]
    assert len(missing) <= 1, missing  # the paragraph beside the omission may absorb a short heading
    assert alignment.settings["numbering_trust"] < 0.5


PDF = SHARED / "pdf"


def _two_sided_scores(alignment) -> list[float]:
    return [link.score for link in alignment.links if link.en and link.cy]


@pytest.mark.skipif(not (PDF / "hmcts-forms").is_dir(), reason="../shared/data/pdf not available")
def test_unrelated_documents_are_warned_about_and_scored_low(embedding_cache, tmp_path):
    """A court notice against a recall leaflet: links used to score 0.98-0.99 with no warning."""
    from aligner.report.build import build_report
    from aligner.report.html import render_html

    alignment = align_pdfs(
        PDF / "hmcts-forms/annex1.en.pdf", PDF / GOLD_PDFS["moj-fixed-recall"][1], cache_dir=embedding_cache
    )
    (warning,) = alignment.settings["warnings"]
    assert "do not look like translations" in warning
    assert max(_two_sided_scores(alignment)) <= 0.2
    assert "do not look like translations" in render_html(build_report(alignment), alignment)


@pytest.mark.skipif(not (PDF / "broken-text-layer").is_dir(), reason="../shared/data/pdf not available")
def test_text_layer_that_is_no_language_is_warned_about(embedding_cache):
    """The Welsh ET1 form's fonts map glyphs to shifted letters: say so, do not align garbage confidently."""
    alignment = align_pdfs(
        PDF / "broken-text-layer/et1-v4.en.pdf", PDF / "broken-text-layer/et1-v4.cy.pdf", cache_dir=embedding_cache
    )
    (warning,) = alignment.settings["warnings"]
    assert "et1-v4.cy.pdf" in warning and "does not read as English or Welsh" in warning
    assert max(_two_sided_scores(alignment)) <= 0.2


@pytest.mark.skipif(not (PDF / "hmcts-forms").is_dir(), reason="../shared/data/pdf not available")
def test_bilingual_file_on_one_side_is_warned_about(embedding_cache):
    """c1a.bilingual.pdf interleaves Welsh and English: its English blocks are not translations."""
    alignment = align_pdfs(
        PDF / "hmcts-forms/c1a.en.pdf", PDF / "hmcts-forms/c1a.bilingual.pdf", cache_dir=embedding_cache
    )
    (warning,) = alignment.settings["warnings"]
    assert "c1a.bilingual.pdf is bilingual" in warning
    english_in_welsh = [
        link
        for link in alignment.links
        if link.en and link.cy and alignment.cy.blocks[link.cy[0]].text == alignment.en.blocks[link.en[0]].text
    ]
    assert english_in_welsh and all(link.score <= 0.3 for link in english_in_welsh)


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/data/gold not available")
def test_section_printed_elsewhere_is_linked_and_flagged_moved(embedding_cache):
    """Four consecutive Welsh paragraphs printed half a leaflet later are still linked 1-1, flagged "moved"."""
    from aligner.alignment.pipeline import align_documents
    from aligner.records import Document
    from devtools.devdata import documents_from_gold

    gp = documents_from_gold(GOLD / "moj-standard-recall.gold.tsv")
    m = len(gp.cy.blocks)
    a, b, t = m // 4, m // 4 + 4, 3 * m // 4
    order = [*range(a), *range(b, t), *range(a, b), *range(t, m)]
    new = {old: k for k, old in enumerate(order)}
    cy = Document(gp.cy.path, "cy", 1, tuple(gp.cy.blocks[j] for j in order))
    gold = {(e, tuple(new[j] for j in c)) for e, c in gp.links}
    alignment = align_documents(gp.en, cy, cache_dir=embedding_cache)
    system = {(link.en, link.cy): link for link in alignment.links}
    assert set(system) == gold
    moved = [system[e, c] for e, c in gold if any(new[j] == j2 for j in range(a, b) for j2 in c)]
    assert len(moved) == 4 and all("moved" in link.flags for link in moved)


@pytest.fixture(scope="module")
def wjec_alignment(embedding_cache):
    if not GOLD.is_dir():
        pytest.skip("../shared/data/gold not available")
    en_rel, cy_rel = GOLD_PDFS["wjec-cs-as-unit1-ms-2016"]
    return align_pdfs(SHARED / "pdf" / en_rel, SHARED / "pdf" / cy_rel, cache_dir=embedding_cache)


def test_cell_text_run_over_a_page_break_is_a_moved_link_not_a_detour(wjec_alignment):
    """WJEC Q10: the Welsh answer cell's last line runs over to the next page, after the marks of its
    row and the repeated table header. Its anchor must not steer the path (every repeated cell in
    between would shift by one): it is linked on its own, flagged "moved", and the cells stay 1-1."""
    alignment = wjec_alignment
    link = _link_with(alignment, "Other methods equally acceptable")
    assert _texts(alignment.cy, link.cy) == ["Dulliau eraill yr un mor dderbyniol"] and "moved" in link.flags
    k = alignment.links.index(link)
    after = [(_texts(alignment.en, x.en), _texts(alignment.cy, x.cy)) for x in alignment.links[k + 1 : k + 19]]
    header = list(
        zip(
            ["Q", "Answer", "Marks", "AO1", "AO2", "AO3", "Total"],
            ["Cw", "Ateb", "Marciau", "AA1", "AA2", "AA3", "Cyfanswm"],
        )
    )
    assert after[-7:] == [([e], [c]) for e, c in header]
    assert all(len(e) == len(c) == 1 and e == c for e, c in after[:-7])  # the marks, 1 and 2.1a values


def test_bullets_run_over_a_page_break_are_paired_as_moved(wjec_alignment):
    """WJEC 12a: the Welsh cell's last two bullets are printed on the next page, after an extra repeated
    header row; both are each other's best among the unaligned blocks with about a translation's
    similarity (AlignParams.moved_min_evidence), so they are linked, flagged "moved"."""
    for en_start, cy_start in (
        ("If a part of the new system fails", "Os bydd rhan o'r system newydd"),
        ("Some systems cannot easily", "Nid yw'n rhwydd torri systemau"),
    ):
        link = _link_with(wjec_alignment, en_start)
        assert _texts(wjec_alignment.cy, link.cy)[0].startswith(cy_start) and "moved" in link.flags


def test_repeated_header_cells_keep_their_usual_partner(wjec_alignment):
    """The small encoder puts "Answer" nearer "Cyfanswm" (Total) than "Ateb"; the header row printed on
    every page teaches the document's own usage (AlignParams.repeat_weight), so every "Answer" links
    with "Ateb", and a one-off cell beside a repeated header ("Compatibility") with its translation."""
    partners = {
        tuple(_texts(wjec_alignment.cy, link.cy))
        for link in wjec_alignment.links
        if _texts(wjec_alignment.en, link.en) == ["Answer"]
    }
    assert partners == {("Ateb",)}
    assert _texts(wjec_alignment.cy, _link_with(wjec_alignment, "Compatibility").cy) == ["Cytunedd"]


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/data/gold not available")
def test_one_word_cells_pair_in_order_rather_than_shift(embedding_cache):
    """WJEC Q11 diagram labels: the small model barely knows "Adran" is "Department", and pairing
    "Department" with the next label "Cyrsiau" while leaving two blocks out scored as well as pairing in
    order; leaving a block out now costs a little (AlignParams.skip_gain), so the in-order pairs win."""
    from aligner.alignment.pipeline import align_documents
    from devtools.devdata import documents_from_gold

    gp = documents_from_gold(GOLD / "wjec-cs-as-unit1-ms-2016.gold.tsv")
    alignment = align_documents(gp.en, gp.cy, cache_dir=embedding_cache)
    pairs = [(_texts(alignment.en, x.en), _texts(alignment.cy, x.cy)) for x in alignment.links]
    k = pairs.index((["Department"], ["Adran"]))
    assert pairs[k + 1 : k + 4] == [
        (["Courses"], ["Cyrsiau"]),
        (["Modules"], ["Modiwlau"]),
        (["Students"], ["Myfyrwyr"]),
    ]


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/data/gold not available")
def test_label_split_off_its_paragraph_joins_it(embedding_cache):
    """A Welsh label the segmenter printed as its own block ("5.") still links with its paragraph as 1-2."""
    from dataclasses import replace

    from aligner.alignment.pipeline import align_documents
    from aligner.records import Document
    from devtools.devdata import documents_from_gold

    gp = documents_from_gold(GOLD / "moj-standard-recall.gold.tsv")
    en, cy, links, n = list(gp.en.blocks), [], [], 0
    for e, c in gp.links:
        if len(e) == 1 and len(c) == 1:
            n += 1
            en[e[0]] = replace(en[e[0]], text=f"{n}. {en[e[0]].text}")
            block = gp.cy.blocks[c[0]]
            if n % 5 == 0:
                cy += [replace(block, text=f"{n}."), block]
                links.append((e, (len(cy) - 2, len(cy) - 1)))
            else:
                cy.append(replace(block, text=f"{n}. {block.text}"))
                links.append((e, (len(cy) - 1,)))
        else:
            start = len(cy)
            cy.extend(gp.cy.blocks[j] for j in c)
            links.append((e, tuple(range(start, len(cy)))))
    alignment = align_documents(
        Document(gp.en.path, "en", 1, tuple(en)), Document(gp.cy.path, "cy", 1, tuple(cy)), cache_dir=embedding_cache
    )
    system = {(link.en, link.cy) for link in alignment.links}
    split = [link for link in links if len(link[1]) == 2 and cy[link[1][0]].text.endswith(".")]
    assert sum(link in system for link in split) >= len(split) - 2, [link for link in split if link not in system]


def test_repeated_header_cells_left_over_far_apart_stay_one_sided(embedding_cache):
    """WJEC mark scheme, gold blocks: the Welsh "Cw" of one table's "Q" header and the English "Q" of a
    table 200 links later are removed. The two leftovers translate each other, but belong to different
    tables; they must be reported as one untranslated and one added cell, not linked as a moved pair."""
    if not GOLD.is_dir():
        pytest.skip("../shared/data/gold not available")
    from aligner.alignment.pipeline import align_documents
    from aligner.records import Document
    from devtools.devdata import documents_from_gold

    gp = documents_from_gold(GOLD / "wjec-cs-as-unit1-ms-2016.gold.tsv")
    headers = [(e[0], c[0]) for e, c in gp.links if len(e) == len(c) == 1 and gp.en.blocks[e[0]].text == "Q"]
    assert len(headers) > 5 and all(gp.cy.blocks[c].text == "Cw" for _, c in headers)
    (en_kept, cy_dropped), (en_dropped, cy_kept) = headers[1], next(h for h in headers if h[0] > headers[1][0] + 200)
    en = Document(gp.en.path, "en", 1, tuple(b for i, b in enumerate(gp.en.blocks) if i != en_dropped))
    cy = Document(gp.cy.path, "cy", 1, tuple(b for j, b in enumerate(gp.cy.blocks) if j != cy_dropped))
    cy_kept -= cy_kept > cy_dropped
    alignment = align_documents(en, cy, cache_dir=embedding_cache)
    assert ((en_kept,), ()) in [(link.en, link.cy) for link in alignment.links]
    assert ((), (cy_kept,)) in [(link.en, link.cy) for link in alignment.links]


def test_a_form_label_whose_neighbours_partner_is_missing_is_not_merged_with_it(embedding_cache):
    """Legal aid form, gold blocks: the English "Main home" after "1. Property:" is removed. Its Welsh
    "Prif gartref" must be reported as added, not joined to "1. Eiddo:" in a 1-2 link that hides the
    omission (no translation joins two form labels into one)."""
    if not GOLD.is_dir():
        pytest.skip("../shared/data/gold not available")
    from aligner.alignment.params import AlignParams
    from aligner.alignment.pipeline import align_documents
    from aligner.records import Document
    from devtools.devdata import documents_from_gold

    gp = documents_from_gold(GOLD / "laa-civmeans7-form.gold.tsv")
    label = next(e[0] for e, _ in gp.links if e and gp.en.blocks[e[0]].text == "1. Property:")
    assert gp.en.blocks[label + 1].text == "Main home" and gp.cy.blocks[label + 1].text == "Prif gartref"
    en = Document(gp.en.path, "en", 1, tuple(b for i, b in enumerate(gp.en.blocks) if i != label + 1))

    def fate(params: AlignParams) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        alignment = align_documents(en, gp.cy, params=params, cache_dir=embedding_cache)
        return [(link.en, link.cy) for link in alignment.links if label in link.en or label + 1 in link.cy]

    assert fate(AlignParams()) == [((label,), (label,)), ((), (label + 1,))]
    assert fate(AlignParams(split_short_merges=False)) == [((label,), (label, label + 1))]
