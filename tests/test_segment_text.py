"""Character clean-up, line joining and numbering labels, on strings as real PDFs deliver them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from aligner.segmentation.numbering import label_depth, label_kind, split_label
from aligner.segmentation.textnorm import join_hyphenated, normalise_text, strip_bullet


def test_mas_spaces_and_hyphens():
    raw = "brynu\t\r \u00a0blwydd-\u00ad\u2010dal\t\r \u00a0oes"
    assert normalise_text(raw) == "brynu blwydd-dal oes"


def test_ligatures_soft_hyphens_and_welsh_letters():
    assert normalise_text("e\ufb00ect of \ufb01nal o\ufb03ce") == "effect of final office"
    assert normalise_text("infor\u00admation") == "information"
    decomposed = unicodedata.normalize("NFD", "Cymraeg: ŵ ŷ â ê î ô û ï")
    assert normalise_text(decomposed) == "Cymraeg: ŵ ŷ â ê î ô û ï"


@pytest.mark.parametrize(
    "prev,nxt,expected",
    [
        ("a full report on the out-", "come of the pilot", "a full report on the outcome of the pilot"),
        ("bydd dewis blwydd-", "dal sengl", "bydd dewis blwydd-dal sengl"),  # known Welsh prefix
        ("yn yr is-", "adran", "yn yr is-adran"),
        ("presented in pseudo-", "code or flowchart form", "presented in pseudo-code or flowchart form"),
        ("the pre-", "Budget statement", "the pre-Budget statement"),  # capital after the hyphen
        ("in the year 2019-", "20 budget", "in the year 2019-20 budget"),
        ("an ordinary line", "goes on", "an ordinary line goes on"),
        ("cysylltwch drwy e-", "bost neu ffôn", "cysylltwch drwy e-bost neu ffôn"),  # one letter: never a division
        ("send an e-", "mail to us", "send an e-mail to us"),
    ],
)
def test_join_hyphenated(prev, nxt, expected):
    assert join_hyphenated(prev, nxt) == expected


def test_document_usage_decides_hyphens():
    assert join_hyphenated("the co-", "operation", hyphenated=frozenset({"co-operation"})) == "the co-operation"
    assert join_hyphenated("the co-", "operation", joined=frozenset({"cooperation"})) == "the cooperation"


def test_bullets_removed():
    assert strip_bullet("• Repairs were common") == (True, "Repairs were common")
    assert strip_bullet("\uf0b7 A person being detained") == (True, "A person being detained")
    assert strip_bullet("– an aside") == (True, "an aside")
    assert strip_bullet("-20 degrees") == (False, "-20 degrees")


@pytest.mark.parametrize(
    "text,label,rest",
    [
        ("2.14 The board agreed", "2.14", "The board agreed"),
        ("3.4.1 Scope", "3.4.1", "Scope"),
        ("(a) the first case", "(a)", "the first case"),
        ("iv. the fourth", "iv.", "the fourth"),
        ("1. First item", "1.", "First item"),
        ("Recommendation 3: publish the data", "Recommendation 3", "publish the data"),
        ("Argymhelliad 3: cyhoeddi’r data", "Argymhelliad 3", "cyhoeddi’r data"),
        ("Chapter 2 Background", "Chapter 2", "Background"),
        ("Pennod 2 Cefndir", "Pennod 2", "Cefndir"),
        ("Part 1 – Scope", "Part 1", "Scope"),
        ("Rhan 1 – Cwmpas", "Rhan 1", "Cwmpas"),
        ("Section 4 Duties", "Section 4", "Duties"),
        ("Adran 4 Dyletswyddau", "Adran 4", "Dyletswyddau"),
        ("Annex A Data", "Annex A", "Data"),
        ("Atodiad A Data", "Atodiad A", "Data"),
        ("Table 3: Homes by tenure", "Table 3", "Homes by tenure"),
        ("Tabl 3: Cartrefi", "Tabl 3", "Cartrefi"),
        ("Figure 2 Waiting times", "Figure 2", "Waiting times"),
        ("Ffigur 2 Amseroedd aros", "Ffigur 2", "Amseroedd aros"),
        ("2016 was a hard year", None, "2016 was a hard year"),
        ("i gael eich rhyddhau", None, "i gael eich rhyddhau"),
        ("A person being detained", None, "A person being detained"),
    ],
)
def test_split_label(text, label, rest):
    assert split_label(text) == (label, rest)


def test_label_kinds_and_depth():
    assert label_kind("Argymhelliad 3") == label_kind("Recommendation 3") == "named:recommendation"
    assert label_kind("(a)") == "list" and label_kind("2.14") == "decimal"
    assert label_depth("3.4.1") == 3 and label_depth("2") == 1 and label_depth("(a)") is None


def test_unicode_superscripts_are_refs_but_units_are_not(tmp_path):
    from fpdf import FPDF

    from aligner.segmentation.pipeline import segment_pdf

    fonts = Path(__file__).resolve().parents[1] / "aligner" / "fonts" / "DejaVuSans.ttf"
    pdf = FPDF()
    pdf.add_font("Body", "", str(fonts if fonts.exists() else "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("Body", size=11)
    pdf.cell(0, 8, "The site covers 40 m² and rents rose in 2016³.")
    path = tmp_path / "sup.pdf"
    pdf.output(str(path))
    (block,) = segment_pdf(path).blocks
    assert block.text == "The site covers 40 m² and rents rose in 2016." and block.footnote_refs == ("3",)


def test_an_asterisk_is_a_note_mark_not_a_bullet():
    assert strip_bullet("* amounts should be net of housing benefit") == (
        False,
        "* amounts should be net of housing benefit",
    )
    assert strip_bullet("• amounts") == (True, "amounts")
    assert strip_bullet("- amounts") == (True, "amounts")
