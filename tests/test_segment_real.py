"""Segmentation of the real English/Welsh PDFs, pinned against the hand-checked gold paragraphs.

The bundled MoJ fixed-recall pair (data/moj-fixed-recall) always runs; the rest of the real set
(/work/shared/data, or ALIGNER_SHARED_DATA) is skipped when it is absent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from aligner.records import BlockKind
from aligner.segmentation.pipeline import segment_pdf
from devtools.devdata import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "data" / "moj-fixed-recall"
SHARED = shared_data_dir()
needs_shared = pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="shared real data not available")


@pytest.fixture(scope="module")
def fixed_en():
    return segment_pdf(FIXTURE / "fixed-recall.en.pdf")


@pytest.fixture(scope="module")
def fixed_cy():
    return segment_pdf(FIXTURE / "fixed-recall.cy.pdf")


def _texts(doc, kind=None):
    return [b.text for b in doc.blocks if kind is None or b.kind == kind]


def test_cover_title_is_one_heading_over_three_lines(fixed_en, fixed_cy):
    first = fixed_en.blocks[0]
    assert first.kind == BlockKind.HEADING and first.id == "p1-b1"
    assert first.text == "Fixed-Term Recall – This leaflet explains what this means for you"
    assert (
        fixed_cy.blocks[0].text == "Adalw Cyfnod Penodol – Mae’r daflen hon yn esbonio beth mae hyn yn ei olygu i chi"
    )


def test_headings_in_panel_reading_order(fixed_en):
    heads = _texts(fixed_en, BlockKind.HEADING)
    assert heads[:6] == [
        "Fixed-Term Recall – This leaflet explains what this means for you",
        "Why have I been recalled?",
        "What is my recall dossier?",
        "What is a fixed-term recall?",
        "Will I be released again on licence?",
        "Can I be released early?",
    ]
    assert "Who else can write representations for me?" in heads  # heading wrapped over two lines
    levels = {b.text: b.level for b in fixed_en.blocks if b.kind == BlockKind.HEADING}
    assert levels["Why have I been recalled?"] == 2 and levels[heads[0]] == 1


def test_list_items_lose_their_bullets(fixed_en):
    items = _texts(fixed_en, BlockKind.LIST_ITEM)
    assert "A person being detained (held) under the Mental Health Act." in items
    assert not any(t[0] in "•\uf0b7" for t in items)


def test_paragraph_continues_across_the_panel_break(fixed_cy):
    block = next(b for b in fixed_cy.blocks if b.text.startswith("Unigolyn ag euogfarn"))
    assert block.text == (
        "Unigolyn ag euogfarn heb ei disbyddu (trosedd y mae’n rhaid iddo hysbysu ei gyflogwr amdano os yw "
        "wedi’i gynnwys ar ei gofnod troseddol o hyd). Sylwer bod yn rhaid i chi roi eich caniatâd "
        "ysgrifenedig i rywun, ar wahân i’ch cyfreithiwr, lunio cynrychiolaeth ar eich rhan. Os ydych chi’n "
        "ansicr o ran sut i wneud hyn, dylech siarad ag aelod staff y carchar."
    )
    assert block.kind == BlockKind.LIST_ITEM and block.page == 3


def test_text_wrapped_round_a_picture_is_one_paragraph(fixed_en, fixed_cy):
    assert (
        "Yes, you can write your own personal representations. The prison will give you lined paper and they "
        "will send your representations to the PPCS for you. If you find writing difficult, ask a member of "
        "prison staff to help you."
    ) in _texts(fixed_en)
    # the stray full stop at the panel edge is not glued into the Welsh paragraph
    assert any(t.endswith("gallwch ofyn i aelod staff y carchar eich helpu.") for t in _texts(fixed_cy))


def test_a_short_line_ends_a_paragraph(fixed_en):
    texts = _texts(fixed_en)
    assert any(t.endswith("can be managed safely in the community.") for t in texts)
    assert any(t.startswith("The Secretary of State can also release you at any time") for t in texts)


def test_language_ids_and_boxes(fixed_en, fixed_cy):
    assert fixed_en.lang == "en" and fixed_cy.lang == "cy"
    assert fixed_en.n_pages == 4
    for doc in (fixed_en, fixed_cy):
        ids = [b.id for b in doc.blocks]
        assert len(set(ids)) == len(ids)
        for b in doc.blocks:
            x0, top, x1, bottom = b.bbox
            assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 596
            assert b.font_size > 0


def _gold(name: str, lang: str) -> list[str]:
    with open(SHARED / "gold" / f"{name}.gold.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [p for row in rows for p in row[lang].split(" ¶ ")]


MAS = ["customer-testimonials", "fixed-or-increasing", "guarantee-period", "health", "single-vs-joint"]


@needs_shared
@pytest.mark.parametrize("name", MAS)
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_mas_transcripts_match_gold_exactly(name, lang):
    doc = segment_pdf(SHARED / "pdf" / "mas-annuity-transcripts" / f"{name}.{lang}.pdf")
    texts = _texts(doc)
    assert texts == _gold(f"mas-{name}", lang)
    joined = " ".join(texts)
    assert not any(c in joined for c in "\t\r\u00a0\u00ad\u2010")


@needs_shared
def test_mas_real_hyphen_at_line_end_is_kept():
    doc = segment_pdf(SHARED / "pdf" / "mas-annuity-transcripts" / "single-vs-joint.cy.pdf")
    assert "bydd dewis blwydd-dal sengl yn rhoi mwy o incwm" in " ".join(_texts(doc))


@needs_shared
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_hmcts_notice_matches_gold_exactly(lang):
    doc = segment_pdf(SHARED / "pdf" / "hmcts-forms" / f"annex1.{lang}.pdf")
    assert _texts(doc) == _gold("hmcts-annex1", lang)
    assert doc.blocks[0].kind == BlockKind.HEADING


@needs_shared
@pytest.mark.parametrize(
    "lang,pdf",
    [
        ("en", "Standard-recall-information-leaflet-English.pdf"),
        ("cy", "Standard-recall-information-leaflet-Welsh.pdf"),
    ],
)
def test_standard_recall_leaflet_nearly_all_paragraphs_verbatim(lang, pdf):
    doc = segment_pdf(SHARED / "pdf" / "moj-recall-leaflets" / pdf)
    gold = _gold("moj-standard-recall", lang)
    found = set(_texts(doc))
    assert sum(g in found for g in gold) >= 0.95 * len(gold)


def test_debug_pages_show_the_blocks(fixed_en, tmp_path):
    from PIL import Image

    from aligner.pdf.debug import draw_blocks

    written = draw_blocks(FIXTURE / "fixed-recall.en.pdf", fixed_en.blocks, tmp_path, resolution=40)
    assert [p.name for p in written] == [f"page-00{i}.png" for i in range(1, 5)]
    with Image.open(written[0]) as img:
        assert img.size[0] > img.size[1]  # landscape leaflet page
        colours = {c for _, c in img.convert("RGB").getcolors(1 << 20)}
        assert any(r > 170 and g < 100 and b < 100 for r, g, b in colours)  # heading boxes are drawn in red
