"""Text-level segmentation rules (issue 8), each on a real example from the shared PDFs where one
exists, and on a small constructed PDF (fpdf2, DejaVu) where none does.

Real PDFs come from devtools.devdata.shared_data_dir(); those tests skip cleanly without it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF

from aligner.pdf.glyphs import ICON_GLYPH, icon_fonts, is_private_use, keeps_word
from aligner.pdf.reader import utf16_chars
from aligner.records import BlockKind
from aligner.segmentation.pipeline import segment_pdf
from aligner.segmentation.textnorm import join_hyphenated, normalise_text
from devtools.devdata import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
PDF = shared_data_dir() / "pdf"
FONTS = ROOT / "devtools" / "synth" / "fonts"
needs_shared = pytest.mark.skipif(not PDF.is_dir(), reason="shared real data not available")


def _texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def _block(doc, start: str):
    hits = [b for b in doc.blocks if b.text.startswith(start)]
    assert hits, f"no block starts with {start!r}"
    return hits[0]


@pytest.fixture(scope="module")
def civ_en():
    if not PDF.is_dir():
        pytest.skip("shared real data not available")
    return segment_pdf(PDF / "laa-forms" / "civ-means-7.en.pdf", lang="en")


# ---- constructed pages ---------------------------------------------------------------------------


class Page:
    """One A4 page written with absolute positions (points), DejaVu Sans plus the core ZapfDingbats."""

    def __init__(self) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.add_page()
        self.pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))

    def text(self, x: float, y: float, s: str, size: float = 11, style: str = "", font: str = "DejaVu") -> float:
        """Write s with its baseline at y; return the x where it ends."""
        self.pdf.set_font(font, style, size)
        self.pdf.text(x, y, s)
        return x + self.pdf.get_string_width(s)

    def lines(self, x: float, y: float, texts: list[str], pitch: float = 14, size: float = 11) -> float:
        for t in texts:
            self.text(x, y, t, size)
            y += pitch
        return y

    def spread(self, left: float, right: float, y: float, line: str, size: float = 11) -> str:
        """Write a line's words justified from left to right; return the line."""
        words = line.split()
        self.pdf.set_font("DejaVu", "", size)
        gap = (right - left - sum(self.pdf.get_string_width(w) for w in words)) / (len(words) - 1)
        x = left
        for w in words:
            x = self.text(x, y, w, size) + gap
        return " ".join(words)

    def save(self, path: Path) -> Path:
        self.pdf.output(str(path))
        return path


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("rules")


def _segment(page: Page, folder: Path, name: str) -> list[str]:
    return _texts(segment_pdf(page.save(folder / f"{name}.pdf"), lang="en"))


# ---- 1. numbered items ---------------------------------------------------------------------------


def test_numbers_set_tight_against_the_text_are_labels(made):
    p = Page()
    p.lines(
        72,
        100,
        [
            "2.1Interim grade applies to all new members of staff who join",
            "2.2Complete the form before the first meeting with the officer",
            "2.3Send it to the office at the end of the month, signed by both",
        ],
    )
    doc = segment_pdf(p.save(made / "tight.pdf"), lang="en")
    assert [b.label for b in doc.blocks] == ["2.1", "2.2", "2.3"]
    assert doc.blocks[0].text.startswith("2.1 Interim grade")


def test_decimal_items_one_per_line_are_separate_units(made):
    items = [
        "1.1 Interim grade applies to all new staff in the first year of work here and",
        "1.2 Complete the form before the meeting with the officer in charge of the case",
        "1.3 Send it to the office at the end of the month so that it arrives in good time",
    ]
    p = Page()
    p.lines(72, 100, items)
    p.lines(72, 200, ["See the rules set out in paragraph", "2.14 of the report for the details of the scheme."])
    texts = _segment(p, made, "decimal")
    assert texts[:3] == items
    assert texts[3] == "See the rules set out in paragraph 2.14 of the report for the details of the scheme."


# ---- 2. superscripts and panels ------------------------------------------------------------------


def test_ordinals_and_citation_markers_stay_with_their_word(made):
    p = Page()
    x = p.text(72, 100, "The hearing is on the 31")
    x = p.text(x, 96, "st", 7)
    p.text(x, 100, " of March and lasts one week.")
    x = p.text(72, 130, "Pupils aged 11-16 spend ten hours a week")
    x = p.text(x, 123, "1", 6)  # raised well above the x-height: a printed row of its own
    p.text(x, 130, ". That is the national figure.")
    doc = segment_pdf(p.save(made / "sup.pdf"), lang="en")
    assert doc.blocks[0].text == "The hearing is on the 31st of March and lasts one week."
    assert doc.blocks[1].text == "Pupils aged 11-16 spend ten hours a week. That is the national figure."
    assert doc.blocks[1].footnote_refs == ("1",)


def test_raised_number_after_a_number_in_a_sum_is_a_power(made):
    """ "0.8125 x 2³ = 6.5": the raised 3 touching the 2 of a sum is its power (kept, as the text layer
    reads it), while a raised number after a year with no sign beside it stays a footnote marker."""
    p = Page()
    x = p.text(72, 100, "Answer = 0.8125 x 2")
    x = p.text(x, 96, "3", 7)
    p.text(x, 100, " = 6.5")
    x = p.text(72, 140, "Rents rose in 2016")
    x = p.text(x, 136, "3", 7)
    p.text(x, 140, ".")
    p.text(72, 180, "Total = 4 x 10³ bytes")  # typed as a superscript character
    doc = segment_pdf(p.save(made / "power.pdf"), lang="en")
    assert doc.blocks[0].text == "Answer = 0.8125 x 23 = 6.5" and doc.blocks[0].footnote_refs == ()
    assert doc.blocks[1].text == "Rents rose in 2016." and doc.blocks[1].footnote_refs == ("3",)
    assert doc.blocks[2].text == "Total = 4 x 10³ bytes" and doc.blocks[2].footnote_refs == ()


def test_raised_ordinal_is_part_of_the_word():
    assert keeps_word("1", "s", 11.0, 7.0, 100.0, 96.0, 0.0)
    assert not keeps_word("k", "1", 11.0, 7.0, 100.0, 96.0, 0.0)  # a footnote marker stays apart
    assert not keeps_word("1", "s", 11.0, 7.0, 100.0, 96.0, 3.0)  # not touching


def test_loosely_leaded_panel_is_one_paragraph(made):
    p = Page()
    p.lines(72, 100, ["Body text set with the normal leading of the document,", "as most of it is."])
    p.lines(72, 140, ["More body text that sets the usual pitch for lines", "of this size in the document."])
    p.lines(
        90,
        200,
        [
            "Text in a coloured panel is often set with more space",
            "between its lines than the body text, and every break",
            "here would look like paragraph spacing to a reader who",
            "compares the gaps with the body alone.",
        ],
        pitch=22,
    )
    texts = _segment(p, made, "panel")
    assert texts[-1].startswith("Text in a coloured panel") and texts[-1].endswith("with the body alone.")


@needs_shared
def test_real_date_marks_beside_a_signature_line_are_no_table_row(civ_en):
    """ "Signed:", "Date:" and the "/ /" of the date set on a row below, "Full name (in block
    capitals):" under them: the marks have no letters or digits, so they start no row of a table
    set without rulings (each "/" was read as a cell of its own, the label as another)."""
    texts = _texts(civ_en)
    assert "Full name (in block capitals):" in texts
    assert "/" not in texts


def test_real_panel_line_breaks_inside_a_sentence(civ_en):
    # CIV Means 7 p10: a privacy-notice item whose second line sits further down than the body pitch
    item = _block(civ_en, "In deciding whether you are eligible for legal aid")
    assert item.text.endswith("collecting those contributions, if appropriate.")


@needs_shared
def test_real_text_placed_off_the_page_is_not_read(civ_en):
    # CIV Means 7 p10: "s)" of "Provider(s)" sits beyond the right page edge; read, it widened the
    # column so that every full line of it looked short
    item = _block(civ_en, "In assessing claims from your legal aid Provider( for payment")
    assert item.text.endswith("on your behalf.")
    assert _block(civ_en, "The tasks are those set out in the Legal Aid,").text.endswith("in the following ways:")


_TURNED_LINES = [
    "Table 4: calls answered by quarter on a page turned on its side.",
    "Every quarter the service answered more calls.",
]


def _turned_page(made: Path, rotation: int, entry: bool, label: str = "") -> Path:
    """_TURNED_LINES drawn turned by ``rotation`` degrees anticlockwise on a portrait page, with the
    page's /Rotate entry turning them back (``entry``) or not (a table printed sideways), and an
    optional upright ``label`` in the top margin."""
    import pypdfium2 as pdfium

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    for k, line in enumerate(_TURNED_LINES):  # fpdf's y grows downwards; rotation() turns anticlockwise
        x, y = {90: (80 + 40 * k, 780), 180: (520, 780 - 40 * k), 270: (515 - 40 * k, 60)}[rotation]
        with pdf.rotation(rotation, x, y):
            pdf.text(x, y, line)
    if label:
        pdf.set_font("DejaVu", "", 8)
        pdf.text(250, 30, label)
    name = f"turned-{rotation}-{entry}-{bool(label)}"
    pdf.output(str(made / f"{name}-source.pdf"))
    if not entry:
        return made / f"{name}-source.pdf"
    doc = pdfium.PdfDocument(made / f"{name}-source.pdf")
    page = doc[0]
    page.set_rotation(rotation)
    page.close()
    doc.save(made / f"{name}.pdf")
    doc.close()
    return made / f"{name}.pdf"


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_page_turned_by_its_rotate_entry_is_read_upright(made, rotation):
    """A landscape table on a portrait page: the text is drawn turned in the page's own coordinates and
    the page's /Rotate entry turns it back for the reader. pdfium reports such text as rotated, so the
    whole page was dropped; read in the coordinates of the page as shown, it is ordinary text."""
    assert _texts(segment_pdf(_turned_page(made, rotation, entry=True), lang="en")) == _TURNED_LINES


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_table_printed_sideways_is_read_turned(made, rotation):
    """The same page without a /Rotate entry: its text runs up, down or upside down on the page as
    shown. Most of the page's letters run one way, so the page is read turned that way (an upright
    label in the margin, set at an angle to the page so read, is kept in Document.removed)."""
    doc = segment_pdf(_turned_page(made, rotation, entry=False, label="Form X1"), lang="en")
    assert [b.text for b in doc.blocks] == _TURNED_LINES
    assert "Form X1" in doc.removed


def test_headings_turned_in_ruled_table_cells_are_the_cells_text(made):
    """Column headings set running up the page in a ruled table (a statistics table's narrow columns)
    are read as their cells' text, one unit each, in row order; turned text outside any table (a
    margin reference, a heading beyond the grid) is not read but kept in Document.removed."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    pdf.text(72, 80, "Table 3 shows the calls answered in each quarter of the year.")
    xs, ys = [72, 200, 260, 320], [100, 200, 225]
    for x in xs:
        pdf.line(x, ys[0], x, ys[-1])
    for y in ys:
        pdf.line(xs[0], y, xs[-1], y)
    pdf.text(76, 190, "Office")
    for x, heading in zip((235, 295, 355), ("Quarter one", "Quarter two", "Whole year")):
        with pdf.rotation(90, x, 195):
            pdf.text(x, 195, heading)  # the third runs past the grid's right edge (x 320)
    for x, value in zip((76, 206, 266), ("Cardiff", "1,200", "1,350")):
        pdf.text(x, 217, value)
    pdf.set_font("DejaVu", "", 7)
    with pdf.rotation(90, 30, 600):
        pdf.text(30, 600, "Reference CS-2023-04")
    pdf.output(str(made / "turned-headings.pdf"))
    doc = segment_pdf(made / "turned-headings.pdf", lang="en")
    assert _texts(doc)[1:] == ["Office", "Quarter one", "Quarter two", "Cardiff", "1,200", "1,350"]
    assert set(doc.removed) == {"Whole year", "Reference CS-2023-04"}


@needs_shared
def test_real_landscape_page_of_a_court_form_is_read():
    """HMCTS C1A (English) prints its page 3 table on a page turned by /Rotate 90: its cells are read."""
    doc = segment_pdf(PDF / "hmcts-forms" / "c1a.en.pdf", lang="en")
    page3 = [b.text for b in doc.blocks if b.page == 3]
    assert "Nature of behaviour/what happened" in page3 and "If you have sought help, please say who from" in page3
    bilingual = segment_pdf(PDF / "hmcts-forms" / "c1a.bilingual.pdf")  # the same table printed sideways
    page6 = [b.text for b in bilingual.blocks if b.page == 6]
    assert "Natur yr ymddygiad / beth ddigwyddodd" in page6 and "Nature of behaviour / what happened" in page6


@needs_shared
def test_real_letter_in_a_smaller_size_touching_its_word():
    # ET1a (Welsh) p17: "Str" + a smaller "ê" + "t", printed as one word
    doc = segment_pdf(PDF / "hmcts-tribunal-forms" / "et1a-multiple-claim.cy.pdf", lang="cy")
    assert any("Heterorywiol/Strêt" in t for t in _texts(doc))


# ---- 3. icon glyphs ------------------------------------------------------------------------------


@needs_shared
def test_real_webdings_arrows_are_bullets_not_text(civ_en):
    texts = _texts(civ_en)
    assert not any(ICON_GLYPH in t or "\uf034" in t for t in texts)
    assert not any(t.startswith("4") and t[1:2].isalpha() for t in texts)  # "4Multiply"
    item = _block(civ_en, "Multiply answer to question 4 by answer to question 3.")
    assert item.kind == BlockKind.LIST_ITEM


@needs_shared
def test_real_sub_bullet_letters_of_a_lone_glyph_font_are_dropped():
    # WJEC mark scheme p12: Courier New "o" sub-bullets inside an answer cell
    doc = segment_pdf(PDF / "wjec-mark-schemes" / "cs-as-unit1-ms-2016.en.pdf", lang="en")
    joined = " ".join(_texts(doc))
    assert "database table designs" in joined
    assert "database o table" not in joined
    # the running footer "© WJEC CBAC Ltd. <folio>" is furniture on the cover pages too, without its folio
    assert not any("WJEC CBAC Ltd" in t for t in _texts(doc))


def test_dingbat_glyph_does_not_glue_a_heading_to_the_next_line(made):
    p = Page()
    p.text(72, 100, "Next steps", 12, "B")
    p.text(72, 116, "n", 10, font="ZapfDingbats")
    p.text(86, 116, "Questions to ask your provider:")
    texts = _segment(p, made, "dingbat")
    assert texts == ["Next steps", "Questions to ask your provider:"]


def test_icon_fonts_by_name_and_by_use():
    runs = [("Webdings", "4"), ("ABCDEE+Calibri", "Next"), ("XYZ+Icons2", "n"), ("Calibri", "steps")]
    assert icon_fonts(runs) == {"Webdings", "XYZ+Icons2"}
    # letters set alone in a font whose family also sets words are text (a decorated initial)
    assert icon_fonts([("Calibri-Bold", "D"), ("Calibri", "EVELOPMENT")]) == frozenset()
    # maths and italic fonts set single letters as text
    assert icon_fonts([("Cambria Math", "x"), ("Arial-ItalicMT", "y"), ("Arial", "where")]) == frozenset()
    assert is_private_use("\uf034") and not is_private_use("\uf0b7")  # Symbol's bullet is a bullet
    assert normalise_text(f"a {ICON_GLYPH} b") == "a b"
    assert not is_private_use("\uf001") and normalise_text("\uf001nal") == "final"  # a legacy ligature


# ---- 4. address blocks ---------------------------------------------------------------------------


@needs_shared
def test_real_address_block_is_one_unit(civ_en):
    texts = _texts(civ_en)
    assert (
        "Information Commissioner's Office Wycliffe House Water Lane Wilmslow Cheshire SK9 5AF "
        "Tel: 0303 123 1113 www.ico.org.uk" in texts
    )
    assert "Disclosure Team - Post point 10.25 Ministry of Justice 102 Petty France London SW1H 9AJ" in texts
    assert "Data.access@justice.gov.uk" in texts  # set apart by spacing: its own unit


def test_short_lines_after_a_sentence_are_not_an_address(made):
    p = Page()
    body = "A paragraph of body text that runs across the whole width of the column, as text does."
    p.lines(72, 80, [body])
    p.lines(72, 120, ["Write to us at:", "Legal Aid Agency", "102 Petty France", "London", "SW1H 9AJ"])
    p.lines(72, 220, ["Yes.", "No.", "Not sure."])
    texts = _segment(p, made, "address")
    assert texts[1:3] == ["Write to us at:", "Legal Aid Agency 102 Petty France London SW1H 9AJ"]
    assert texts[3:] == ["Yes.", "No.", "Not sure."]


# ---- 5. line-end hyphens -------------------------------------------------------------------------


@needs_shared
def test_real_hyphen_in_a_url_is_kept(civ_en):
    assert "https://www.gov.uk/government/publications/record-retention-and-disposition-schedules" in _texts(civ_en)


@pytest.mark.parametrize(
    "prev,nxt,expected",
    [
        ("see www.example.gov.uk/do-you-", "need-legal-aid", "see www.example.gov.uk/do-you-need-legal-aid"),
        ("write to help@legal-", "aid.gov.uk today", "write to help@legal-aid.gov.uk today"),
        ("a state-of-the-", "art system", "a state-of-the-art system"),  # already a compound
        ("the legal-", "aid-forms page", "the legal-aid-forms page"),
        ("a full report on the out-", "come of the pilot", "a full report on the outcome of the pilot"),
    ],
)
def test_hyphens_in_urls_and_compounds(prev, nxt, expected):
    assert join_hyphenated(prev, nxt) == expected


def test_both_parts_words_of_the_document_keep_the_hyphen():
    from collections import Counter

    words = Counter({"decision": 3, "making": 2, "infor": 1, "mation": 1})
    assert join_hyphenated("shared decision-", "making", joined=words) == "shared decision-making"
    assert join_hyphenated("more infor-", "mation", joined=words) == "more information"


# ---- 6. spaced and decorated capitals ------------------------------------------------------------


def test_small_capitals_after_a_larger_initial_are_one_word(made):
    p = Page()
    x = p.text(72, 100, "D", 16, "B")
    x = p.text(x + 4, 100, "EVELOPMENT OF THE ONLINE ", 12, "B")  # pdfium sees a space after the D
    x = p.text(x, 100, "‘R", 16, "B")
    p.text(x, 100, "EGISTER’", 12, "B")  # touching: a size change inside the word
    x = p.text(72, 140, "A", 16, "B")  # a one-letter word: the next word starts with its own initial
    x = p.text(x + 4, 140, "T", 16, "B")
    x = p.text(x, 140, "ITLE OF ", 12, "B")
    x = p.text(x, 140, "O", 16, "B")
    p.text(x, 140, "NE", 12, "B")
    texts = _segment(p, made, "smallcaps")
    assert texts == ["DEVELOPMENT OF THE ONLINE ‘REGISTER’", "A TITLE OF ONE"]


# ---- 7. characters outside the BMP ---------------------------------------------------------------


def test_surrogate_pairs_become_one_character():
    assert utf16_chars([0x41, 0xD835, 0xDC68, 0x42]) == ["A", "\U0001d468", "", "B"]
    assert utf16_chars([0xD835, 0x41]) == ["\ufffd", "A"]  # a lone surrogate cannot be text


@needs_shared
def test_real_maths_letters_segment_and_write(tmp_path):
    pdf = PDF / "wjec-mark-schemes" / "cs-as-unit1-ms-2016.en.pdf"
    out = tmp_path / "blocks.tsv"
    proc = subprocess.run(
        [sys.executable, "-m", "aligner", "segment", str(pdf), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "𝑨 + 𝑩.𝑪" in text and "𝐴. (𝐴 + 𝐶)" in text
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def test_heading_that_wraps_after_a_colon_is_one_heading(made):
    """A heading-size line ending in a colon is a field label only if it stopped short; a full line wrapped."""
    p = Page()
    body = "Body text of the report runs across the whole width of the column, as body text does here."
    right = p.text(72, 80, body)
    head, rest = "12. Long Lartin prison:", "Officers hurt in disorder"
    p.pdf.set_font("DejaVu", "B", 30)
    assert p.pdf.get_string_width(f"{head} Officers") > right - 72  # the next word did not fit: a wrap
    p.text(72, 130, head, 30, "B")
    p.text(72, 165, rest, 30, "B")
    p.lines(72, 200, [body, "Closing line of the paragraph."])
    p.text(72, 260, "Address:", 30, "B")  # a short heading-size label: the next line is another unit
    p.text(72, 295, "Petty France", 30, "B")
    texts = _segment(p, made, "colon-heading")
    assert f"{head} {rest}" in texts, texts
    assert texts[-2:] == ["Address:", "Petty France"]


FILLER = ("on", "the", "last", "day", "of", "play", "as", "the", "crowds", "went", "home", "in", "the", "rain")
"""Words to fill a line of a constructed page up to its right edge."""


def test_contents_entry_that_fills_its_line_has_no_leaders(made):
    """A word processor prints no leaders (or a remnant of them) when the entry fills the line: a line
    ending in a number where the other entries' page numbers end is an entry, not the start of the next,
    also when the number is set tight after a closing quote or a title's full stop ("Off.11")."""
    p = Page()
    left, edge = 72.0, 520.0
    p.pdf.set_font("DejaVu", "", 11)
    width = p.pdf.get_string_width

    def justified(y: float, title: str, tail: str) -> str:
        """Title words, filler as far as it fits, and the tail (page number) spread from margin to edge."""
        filler = iter(FILLER)
        words = title.split()
        while width(" ".join([*words, "xxxx", tail])) < edge - left:
            words.append(next(filler))
        return p.spread(left, edge, y, " ".join([*words, tail]))

    def leadered(y: float, title: str, page: str) -> str:
        dots = "." * int((edge - left - width(f"{title}  {page}")) / width("."))
        p.text(left, y, f"{title} {dots}")
        p.text(edge - width(page), y, page)
        return f"{title} {page}"

    entries = [
        leadered(100, "1. Hurricane threatens the coast", "3"),
        justified(116, "2. Police arrest a man after a woman was stabbed", "19"),
        leadered(132, "3. Ryder Cup: Europe ahead", "21"),
        justified(148, "4. Ambassador accuses them of bullying with", "‘propaganda’25"),
        justified(164, "5. Menga strike gives Livingston a win over Rangers.", ".41"),
        leadered(180, "6. Tough talk and then we fell in love", "44"),
        justified(196, "7. U.S. Weighed Penalising El Salvador, Then", "Off.11"),
        leadered(212, "8. Grieving women post cards on a bridge", "11"),
    ]
    expected = [e.replace("’25", "’ 25").replace(" .41", " 41").replace("Off.11", "Off. 11") for e in entries]
    assert _segment(p, made, "bare-toc") == expected


def _wrap(p: Page, text: str, width: float, size: float) -> list[str]:
    """Greedy line breaks of text in a column of width points."""
    p.pdf.set_font("DejaVu", "", size)
    lines = [""]
    for word in text.split():
        trial = f"{lines[-1]} {word}".strip()
        if lines[-1] and p.pdf.get_string_width(trial) > width:
            lines.append(word)
        else:
            lines[-1] = trial
    return lines


def test_narrow_text_columns_on_one_line_grid_are_columns(made):
    """Two narrow columns of wrapped text whose lines share a grid look like a form's rows (few words
    a line, tops level); the left column runs on below the right one (columns not balanced), and the
    numbers of its paragraphs hang in a margin of their own. Still two columns, read one after the other."""
    size, pitch, width, gutter = 12.0, 16.0, 210.0, 30.0
    hang = 42.0
    long = (
        "Internationally recognised organisations representing independent governmental "
        "departments acknowledged responsibilities concerning environmental considerations "
    )
    columns = {
        72.0: [
            ("Article 10", ""),
            ("", long),
            ("Article 11", ""),
            ("10.1", long * 2),
            ("Article 12", ""),
            ("", long * 2),
        ],
        72.0 + width + gutter: [("Article 13", ""), ("13.1", long), ("13.2", long)],
    }
    p = Page()
    expected = []
    for x, parts in columns.items():
        y = 100.0
        for label, text in parts:
            if not text:
                p.text(x, y, label, 15, "B")
                expected.append(label)
                y += 2 * pitch
                continue
            indent = hang if label else 0.0
            if label:
                p.text(x, y, label, size)
            lines = _wrap(p, text, width - indent, size)
            y = p.lines(x + indent, y, lines, pitch, size) + pitch / 2
            expected.append(f"{label} {' '.join(lines)}".strip())
    assert _segment(p, made, "text-columns") == expected


def test_unruled_table_of_one_line_cells_is_read_row_by_row(made):
    """A two-column table without rulings whose cells are all one line long: no cell wraps, so no
    row spacing stands out from a line pitch, but even the closest rows are 1.6 em apart (more than a
    line's leading), so every printed row is a row of the table, read across (a cell a unit). Two sections side by
    side, each a larger heading over a line of text, stay two columns (rows of one type size only)."""
    rows = [
        ("Who will care for the dog?", "His mother called police to report the alleged attack."),
        ("Have that plan in place.", "The case is currently before the veterans' court."),
        ("Sims was 20 years old.", "His girlfriend had alleged that he punched her in the face."),
    ]
    p = Page()
    for k, (left, right) in enumerate(rows):
        p.text(72, 300 + 16 * k, left, 10)
        p.text(230, 300 + 16 * k, right, 10)
    assert _segment(p, made, "one-line-cells") == [cell for row in rows for cell in row]
    if PDF.is_dir():  # two sections side by side, each a 14 pt heading over an 11 pt line (ET1a, Welsh)
        doc = segment_pdf(PDF / "hmcts-tribunal-forms" / "et1a-multiple-claim.cy.pdf", lang="cy")
        texts = [b.text for b in doc.blocks if b.page == 16]
        k = texts.index("Math o hawliad")
        assert texts[k + 1].startswith("Nodwch y math o hawliad") and texts[k + 2] == "Ethnigrwydd"


def test_headings_one_after_another_are_separate(made):
    """Headings with nothing between them: the only pitch their size shows is their spacing, which is
    no line pitch (much looser than the body text's in proportion), so they are not one wrapped heading."""
    p = Page()
    body = "Body text of the article runs across the whole width of the column as body text does here and"
    y = p.lines(72, 100, [body, body, "ends on a short line."], pitch=14)
    heads = ["Article 5", "Article 6", "Article 7"]
    for head in heads:
        y += 38
        p.text(72, y, head, 15, "B")
    p.lines(72, y + 28, [body, "ends on a short line."], pitch=14)
    texts = _segment(p, made, "headings-in-a-row")
    assert texts[1:4] == heads, texts


def test_full_line_ending_in_a_colon_wraps(made):
    """A line of a few words ending in a colon is a field label only if it stopped short, or the next
    line is a label too; a full line (the next word would not have fitted) wrapped mid-paragraph."""
    p = Page()
    lead = "Hammer out your legal documents:"
    p.pdf.set_font("DejaVu", "", 11)
    rest = _wrap(
        p, "Head off legal battles at the pass and get a health-care proxy in place.", p.pdf.get_string_width(lead), 11
    )
    labels = ["Surname at birth if different:", "Address:"]  # the second would not fit after the first
    p.lines(72, 100, [lead, *rest])
    p.lines(72, 200, labels)
    texts = _segment(p, made, "colon-wrap")
    assert texts == [" ".join([lead, *rest]), *labels], texts


def test_closing_mark_after_a_space_wraps_with_its_word(made):
    """No line break comes before a colon set after a space ("Maryland :", French spacing): the line
    before stopped where "Maryland" alone would have fitted, but "Maryland :" would not, so it is full."""
    p = Page()
    p.pdf.set_font("DejaVu", "", 11)
    width = p.pdf.get_string_width
    short = "said Professor Jay Berzofsky of the Institute in Bethesda,"
    right = 72 + width(f"{short} Maryland :") - 0.5 * width(" :")  # "Maryland" fits, "Maryland :" does not
    first = p.spread(72, right, 100, "The method takes immune cells from a patient, alters them,")
    p.text(72, 114, short)
    last = "Maryland : “Our results are very promising.”"
    p.text(72, 128, last)
    assert _segment(p, made, "closing-mark") == [f"{first} {short} {last}"]


def test_footnote_carried_over_to_the_next_page_is_one_note(made):
    """A long footnote that ends mid-sentence at the foot of a page runs on at the foot of the next,
    above that page's own notes: the unnumbered line there continues it."""
    p = Page()
    body = "Body text of the report runs across the whole width of the column, as body text does here."
    note = "The festival is an annual event with an impressive list of stars and a message that is just as"
    p.lines(72, 200, [body, body, "Closing line of the paragraph."])
    p.text(72, 790, f"1 {note}", 8)
    p.pdf.add_page()
    p.lines(72, 200, [body, body, "Closing line of the second paragraph."])
    p.text(72, 778, "striking: to end poverty.", 8)
    p.text(72, 790, "2 The second note of the report.", 8)
    doc = segment_pdf(p.save(made / "note-carried.pdf"), lang="en")
    notes = [(b.label, b.text) for b in doc.blocks if b.kind == BlockKind.FOOTNOTE]
    assert notes == [("1", f"{note} striking: to end poverty."), ("2", "The second note of the report.")], notes


def test_small_caption_above_a_table_is_no_footnote(made):
    """Footnotes sit below the page's body text and tables; a small caption above a ruled table does not."""
    p = Page()
    body = "Body text of the report runs across the whole width of the column, as body text does here."
    p.lines(72, 80, [body, "and ends on this line.1"], size=12, pitch=16)
    p.text(72, 140, "Table 1: Selected extracts from the sources", 10)
    for row, (a, b) in enumerate([("No.", "Extract"), ("1", "He is the director."), ("2", "Sims was 20.")]):
        top = 150 + row * 18
        p.pdf.rect(72, top, 60, 18)
        p.pdf.rect(132, top, 300, 18)
        p.text(76, top + 13, a, 10)
        p.text(136, top + 13, b, 10)
    p.pdf.line(72, 760, 200, 760)
    p.text(72, 775, "1 President Trump begins a flurry of campaign rallies tonight.", 9)
    doc = segment_pdf(p.save(made / "caption.pdf"), lang="en")
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds["Table 1: Selected extracts from the sources"] != BlockKind.FOOTNOTE, kinds
    assert kinds["President Trump begins a flurry of campaign rallies tonight."] == BlockKind.FOOTNOTE, kinds
