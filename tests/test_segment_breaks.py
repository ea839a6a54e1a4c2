"""Paragraph boundaries at the places the generated benchmark reports showed errors: contents
entries wrapped before the page-number column, numbered paragraphs and headings running over a
column break, footnote markers that take up line width, numbers wrapped to the start of a line,
and a column holding one word.

The small PDFs are placed word by word with fpdf2 so that each line ends exactly where the case
needs; the generated report pair (devtools.synth) needs the shared parallel text and skips without it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

pytest.importorskip("fpdf")

from aligner.records import BlockKind
from aligner.segmentation.pipeline import segment_pdf
from devtools.devdata import shared_data_dir

DATA = shared_data_dir()
LEFT, RIGHT = 20.0, 150.0
"""Text column edges in mm (fpdf units); every test paragraph has a line flush with RIGHT."""
PITCH = 5.0


def _pdf():
    from fpdf import FPDF

    from devtools.synth.layout import add_unicode_fonts

    pdf = FPDF(format="A4")
    add_unicode_fonts(pdf, "Body")
    pdf.set_font("Body", "", 10)
    pdf.add_page()
    return pdf


def _flush(pdf, y: float, text: str, left: float = LEFT, right: float = RIGHT) -> None:
    """A full line: word spaces widened to end exactly at the right edge (justified text)."""
    words = text.split()
    widths = [pdf.get_string_width(w) for w in words]
    gap = (right - left - sum(widths)) / (len(words) - 1)
    assert pdf.get_string_width(" ") <= gap < 2.5, (text, gap)
    x = left
    for word, width in zip(words, widths):
        pdf.text(x, y, word)
        x += width + gap


def _marker(pdf, x: float, y: float, number: str) -> float:
    """A raised footnote number at x; returns its right end."""
    size = pdf.font_size_pt
    pdf.set_font_size(6.5)
    pdf.text(x, y - 1.3, number)
    end = x + pdf.get_string_width(number)
    pdf.set_font_size(size)
    return end


def _blocks(pdf, tmp_path: Path, name: str) -> list:
    path = tmp_path / name
    pdf.output(str(path))
    return list(segment_pdf(path, lang="en").blocks)


def test_footnote_marker_width_keeps_a_full_line_full(tmp_path):
    """'June.⁷' ends a line because the next word did not fit after the marker, and 'Mehefin.⁸'
    wrapped because it did not fit with its marker: neither line is short, though each would be
    without the marker's width."""
    pdf = _pdf()
    space = pdf.get_string_width(" ")
    line2, nxt = "granting asylum to victims of abuse in June.", "“Asylum"
    pdf.text(LEFT, 30 + PITCH, line2)
    end = _marker(pdf, LEFT + pdf.get_string_width(line2), 30 + PITCH, "7")
    right = end + space + pdf.get_string_width(nxt) - 0.4
    _flush(pdf, 30, "Attorney General Sessions told all the judges to stop", right=right)
    pdf.text(LEFT, 30 + 2 * PITCH, f"{nxt} is open,” he said.")
    pdf.add_page()
    line5, first = "asylum to victims of domestic abuse in the month of", "Mehefin."
    pdf.text(LEFT, 30 + PITCH, line5)
    pdf.text(LEFT, 30 + 2 * PITCH, first)
    after = _marker(pdf, LEFT + pdf.get_string_width(first), 30 + 2 * PITCH, "8")
    pdf.text(after + space, 30 + 2 * PITCH, "“Mae lloches ar gael,” meddai.")
    right = LEFT + pdf.get_string_width(line5) + space + (after - LEFT) - 0.4
    _flush(pdf, 30, "The Attorney General told the immigration judges to stop", right=right)
    texts = [b.text for b in _blocks(pdf, tmp_path, "marker.pdf")]
    assert texts == [
        "Attorney General Sessions told all the judges to stop granting asylum to victims of abuse in "
        "June. “Asylum is open,” he said.",
        "The Attorney General told the immigration judges to stop asylum to victims of domestic abuse in the "
        "month of Mehefin. “Mae lloches ar gael,” meddai.",
    ]


def test_number_or_abbreviation_wrapped_to_line_start_is_not_a_list_label(tmp_path):
    pdf = _pdf()
    _flush(pdf, 30, "Unlike anything else on TV, the stories from Washington can decide Roe")
    pdf.text(LEFT, 30 + PITCH, "v. Wade, whether families are reunited, and the economy.")
    _flush(pdf, 60, "The fight was shown live all through the night in the UK on Channel")
    pdf.text(LEFT, 60 + PITCH, "5. At 6am, as the two fighters got ready, viewers were cut off.")
    # a score broken at its hyphen: the line starts "0.", the rest of the word, not a list's number
    _flush(pdf, 75, "He scored after a long pass from the left with his team trailing by 1-")
    pdf.text(LEFT, 75 + PITCH, "0. The ball went in off the far post.")
    pdf.text(LEFT, 90, "The options are these:")
    pdf.text(LEFT, 90 + PITCH, "1. Repair the roof this year.")
    pdf.text(LEFT, 90 + 2 * PITCH, "2. Replace it next year.")
    texts = [b.text for b in _blocks(pdf, tmp_path, "labels.pdf")]
    assert texts == [
        "Unlike anything else on TV, the stories from Washington can decide Roe v. Wade, whether families are "
        "reunited, and the economy.",
        "The fight was shown live all through the night in the UK on Channel 5. At 6am, as the two fighters "
        "got ready, viewers were cut off.",
        "He scored after a long pass from the left with his team trailing by 1-0. The ball went in off the far post.",
        "The options are these:",
        "1. Repair the roof this year.",
        "2. Replace it next year.",
    ]


def test_dash_wrapped_inside_a_heading_is_text_and_a_list_after_a_heading_is_a_list(tmp_path):
    """A heading in large type wrapped before its " - " part ("... Russian energy / - Interior
    Secretary"): the line starts with a dash, but the heading's line was full and the dash is set in
    the heading's size. A dash list in body type after a heading stays a list."""
    pdf = _pdf()
    pdf.set_font("Body", "", 16)
    _flush(pdf, 30, "The Navy could blockade Russian oil and gas")
    pdf.text(LEFT, 30 + 8, "- Interior Secretary")
    pdf.set_font("Body", "", 10)
    _flush(pdf, 50, "Washington can use its Navy to stop Russian energy from reaching")
    _flush(pdf, 50 + PITCH, "the markets of the Middle East if it has to, the Secretary said to")
    pdf.text(LEFT, 50 + 2 * PITCH, "the paper on Sunday.")
    pdf.set_font("Body", "", 16)
    pdf.text(LEFT, 90, "What to bring")
    pdf.set_font("Body", "", 10)
    pdf.text(LEFT, 98, "- your passport")
    pdf.text(LEFT, 98 + PITCH, "- a letter from the council")
    texts = [b.text for b in _blocks(pdf, tmp_path, "dash.pdf")]
    assert texts == [
        "The Navy could blockade Russian oil and gas - Interior Secretary",
        "Washington can use its Navy to stop Russian energy from reaching the markets of the Middle East if it "
        "has to, the Secretary said to the paper on Sunday.",
        "What to bring",
        "your passport",
        "a letter from the council",
    ]


def test_closing_quote_alone_does_not_end_the_sentence_at_a_page_break(tmp_path):
    pdf = _pdf()
    _flush(pdf, 265, "A page from our almanac: 30 September 1882, on the day on which")
    _flush(pdf, 270, 'the German physicist, inventor of the counter, Johannes Wilhelm "Hans"')
    pdf.add_page()
    pdf.text(LEFT, 30, "Geiger was born in Germany.")
    pdf.text(LEFT, 45, "A new paragraph.")
    texts = [b.text for b in _blocks(pdf, tmp_path, "quote.pdf")]
    assert texts[0] == (
        "A page from our almanac: 30 September 1882, on the day on which the German physicist, "
        'inventor of the counter, Johannes Wilhelm "Hans" Geiger was born in Germany.'
    )
    assert texts[1:] == ["A new paragraph."]


def test_one_word_column_and_heading_over_a_column_break(tmp_path):
    """Column 2 holds only the end of column 1's last sentence; a heading wrapped at the foot of a
    column goes on at the top of the next (Title Case, so the next line starts with a capital)."""
    pdf = _pdf()
    right2 = 195.0
    left_lines = [
        "Our long term climate forecast is now showing",
        "high chances for warm weather in all the states",
        "all the eastern states through the first half of",
    ]
    for i, line in enumerate(left_lines):
        _flush(pdf, 30 + i * PITCH, line, right=105.0)
    pdf.text(110.0, 30, "October.")
    pdf.add_page()
    for i in range(4):
        _flush(pdf, 30 + i * PITCH, "Filler text in the first column is here to stay", right=105.0)
    pdf.set_font("Body", "B", 14)
    pdf.text(LEFT, 260, '7. Warren Takes "Hard Look"')
    pdf.text(LEFT, 267, "At Running In 2020,")
    pdf.text(110.0, 30, "Senator Says")
    pdf.set_font("Body", "", 10)
    _flush(pdf, 40, "Senator Warren said on Saturday she would", left=110.0, right=right2)
    pdf.text(110.0, 40 + PITCH, "take a hard look at running.")
    blocks = _blocks(pdf, tmp_path, "columns.pdf")
    texts = [b.text for b in blocks]
    assert texts[0].endswith("through the first half of October."), texts
    heading = [b for b in blocks if b.text.startswith("7. Warren")]
    assert heading and heading[0].text == '7. Warren Takes "Hard Look" At Running In 2020, Senator Says', texts
    assert heading[0].kind == BlockKind.HEADING


@pytest.fixture(scope="module")
def synth_pair(tmp_path_factory):
    if not (DATA / "parallel" / "ntrex128").is_dir():
        pytest.skip("shared data not available")
    from devtools.synth.generate import generate_pair

    return generate_pair(tmp_path_factory.mktemp("synth"), source="ntrex", target_pages=10, seed=1, data_dir=DATA)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_generated_report_contents_and_numbered_paragraphs(synth_pair, lang):
    """Every contents entry (the first, wrapped after the "Contents" heading, included) and every
    numbered paragraph (6.6 runs over a column break after a full stop) is exactly one block."""
    with open(synth_pair.gold_tsv, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    pdf = synth_pair.en_pdf if lang == "en" else synth_pair.cy_pdf
    blocks = segment_pdf(pdf, lang=lang).blocks
    by_text = {b.text: b for b in blocks}
    toc = [r[lang] for r in rows if r["kind"] == "toc_entry" and r[lang]]
    numbered = [p for r in rows if r["kind"] == "paragraph" for p in r[lang].split(" ¶ ") if re.match(r"\d+\.\d+ ", p)]
    assert len(toc) >= 5 and len(numbered) >= 10
    assert [t for t in toc if t not in by_text or by_text[t].kind != BlockKind.TOC_ENTRY] == []
    assert [p for p in numbered if p not in by_text] == []


def test_numbered_paragraph_runs_on_to_a_page_holding_only_its_text(tmp_path):
    """2.2 ends a full line with a full stop at the foot of page 1; page 2 starts at the hanging
    text position of the numbered paragraphs, with no number left of it: the paragraph runs on."""
    pdf = _pdf()
    right = 155.0
    for y, label, text in (
        (30, "2.1", "The committee met four times during the year and agreed its plan."),
        (270, "2.2", "It published its findings in the spring and the council accepted them."),
    ):
        pdf.text(LEFT, y, label)
        _flush(pdf, y, text, left=LEFT + 12, right=right)
    pdf.add_page()
    pdf.text(LEFT + 12, 30, "Members of the panel then met again.")
    texts = [b.text for b in _blocks(pdf, tmp_path, "hanging.pdf")]
    assert texts == [
        "2.1 The committee met four times during the year and agreed its plan.",
        "2.2 It published its findings in the spring and the council accepted them. "
        "Members of the panel then met again.",
    ]


def test_running_header_printed_lower_on_some_pages_is_still_furniture(tmp_path):
    """ "OFFICIAL" in 16 pt bold heads every page near the top edge; on one page it sits lower, alone,
    and on another lower still, over the first body line (one printed row with it). Both are furniture;
    the body line under it stays whole, and the same word in another size (a cover title) is text."""
    from fpdf import FPDF

    openings = [
        "The tribunal met in Cardiff on a wet morning in March.",
        "Each claim was read by two members of the panel.",
        "Several claimants asked for their hearing in Welsh.",
        "The respondent did not attend the first day at all.",
        "Costs were reserved until the written reasons came out.",
        "A further hearing was listed for the following month.",
        "Both parties agreed the facts set out in the bundle.",
        "The claim for unfair dismissal was upheld in full.",
    ]
    pdf = FPDF(unit="pt", format="A4")
    for page, opening in enumerate(openings):
        pdf.add_page()
        header_y = {5: 40.0, 6: 52.0}.get(page, 22.0)
        pdf.set_font("helvetica", style="B", size=16)
        pdf.text(260, header_y, "OFFICIAL")
        if page == 7:  # a title in the top margin band, clear of the body text
            pdf.set_font("helvetica", style="B", size=28)
            pdf.text(200, 90, "OFFICIAL")
        pdf.set_font("helvetica", size=11)
        pdf.text(72, 130 if page == 7 else 54 + 3 * page, opening)
        pdf.text(72, 200, f"Another paragraph on page {page + 1}.")
    texts = [b.text for b in _blocks(pdf, tmp_path, "official.pdf")]
    assert texts.count("OFFICIAL") == 1  # the 28 pt cover-style title
    assert all(opening in texts for opening in openings)


def test_running_heads_that_change_with_the_chapter_are_furniture(tmp_path):
    """A report's running heads: the title on even pages (half the pages), the chapter on odd ones,
    each chapter's head on only two of twelve pages: too few to count as repeated on their own, they
    stand where the title stands, in its type, and go as furniture too (they were blocks). A heading
    of the body set at the head's height in another type stays."""
    from fpdf import FPDF

    chapters = ("Chapter 1: Our approach", "Chapter 2: What we found", "Chapter 3: Next steps")
    body = (
        "The council set out its plans for the coming year after a long consultation with residents and "
        "explained how the money raised would be spent on local services across the county. "
    )
    pdf = FPDF(unit="pt", format="A4")
    for page in range(1, 13):
        pdf.add_page()
        pdf.set_font("helvetica", size=8)
        pdf.text(297, 810, str(page))
        if page == 12:  # the last page: no running head, a heading of the body where it would stand
            pdf.set_font("helvetica", style="B", size=14)
            pdf.text(72, 40, "Chapter 3: Next steps")
        else:
            head = "Annual Report 2023" if page % 2 == 0 else chapters[(page - 1) // 4]
            pdf.text(72 if page % 2 == 0 else 400, 40, head)
        pdf.set_font("helvetica", size=10)
        pdf.set_xy(72, 80)
        for _ in range(5):
            pdf.multi_cell(450, 14, body * 3)
            pdf.ln(8)
    texts = [b.text for b in _blocks(pdf, tmp_path, "chapters.pdf")]
    assert not [t for t in texts if "Annual Report" in t]
    assert texts.count("Chapter 3: Next steps") == 1  # the bold 14 pt heading, not the 8 pt heads


def test_real_running_header_printed_lower_on_three_pages_is_removed():
    """The CW1&2 form's 16 pt "OFFICIAL" sits 4-10 pt from the top on ten pages, lower on three (over
    the first body line on two of them): no block keeps it."""
    path = DATA / "pdf" / "laa-forms" / "cw1-and-2.en.pdf"
    if not path.is_file():
        pytest.skip(f"{path} not available")
    doc = segment_pdf(path, lang="en")
    assert not [b for b in doc.blocks if "OFFICIAL" in b.text]
    assert doc.removed.count("OFFICIAL") == 13
