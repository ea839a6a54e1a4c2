"""Segmentation of a small generated report with the furniture the real set lacks.

The PDF is laid out line by line with fpdf2 so every line break is known: running header, "Page N
of M" footer, a dotted table of contents, numbered headings, a paragraph that crosses the page
break, line-end hyphenation (one word division, one real Welsh hyphen), a bullet list, a footnote
marker and footnote text, and a ruled table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.records import BlockKind
from aligner.segmentation.pipeline import segment_pdf
from devtools.synth.layout import add_unicode_fonts

LINE = 6.0


def _font(pdf) -> None:
    add_unicode_fonts(pdf, "Body")


def _lines(pdf, lines: list[str], size: float = 11, style: str = "", gap_after: float = 3.0) -> None:
    pdf.set_font("Body", style, size)
    for text in lines:
        pdf.cell(0, LINE, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap_after)


def build(path: Path) -> None:
    from fpdf import FPDF

    class Report(FPDF):
        def header(self):
            self.set_font("Body", "", 8)
            self.cell(0, 6, "Housing Review 2024 – Example Council", align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(6)

        def footer(self):
            self.set_y(-12)
            self.set_font("Body", "", 8)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Report(format="A4")
    _font(pdf)
    pdf.set_auto_page_break(False)
    pdf.alias_nb_pages()
    pdf.add_page()
    _lines(pdf, ["Contents"], size=16, style="B", gap_after=4)
    _lines(pdf, ["1 Introduction " + "." * 70 + " 2", "2 Findings " + "." * 76 + " 3"], gap_after=8)
    _lines(pdf, ["1 Introduction"], size=16, style="B", gap_after=3)
    _lines(pdf, ["1.1 Background"], size=13, style="B", gap_after=3)
    _lines(
        pdf,
        [
            "The council asked residents about the condition of their homes and the help they",
            "receive from the housing team. This review reports what they said.",
        ],
    )
    pdf.set_font("Body", "", 11)
    pdf.write(LINE, "Rents rose faster than incomes in 2016")
    pdf.char_vpos = "SUP"
    pdf.write(LINE, "1")
    pdf.char_vpos = "LINE"
    pdf.write(LINE, " and the gap has not closed since then.")
    pdf.ln(LINE + 3)
    _lines(pdf, ["Arrears doubled in 2019² according to the council."])
    _lines(
        pdf,
        [
            "The survey covered every ward and was run by an independent organisation which",
            "also ran the pilot in the previous year and then wrote a full report on the out-",
            "come. Welsh speakers answered about their blwydd-",
            "dal and the is-adran that deals with it.",
        ],
    )
    for item in ("• Repairs were the most common concern.", "• Most tenants were satisfied overall."):
        pdf.set_x(pdf.l_margin + 5)
        pdf.set_font("Body", "", 11)
        pdf.cell(0, LINE, item, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_y(250)
    _lines(
        pdf,
        [
            "This paragraph starts near the bottom of the first page and it goes on over the",
        ],
        gap_after=0,
    )
    pdf.set_y(275)
    pdf.set_font("Body", "", 8)
    pdf.cell(0, 4, "1 Office for National Statistics, rents and earnings series.", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    _lines(pdf, ["page break to the second page, where it ends with a full stop."], gap_after=6)
    _lines(pdf, ["2 Findings"], size=16, style="B", gap_after=3)
    _lines(pdf, ["Table 1: Homes by condition"], size=11, style="B", gap_after=2)
    pdf.set_font("Body", "", 11)
    with pdf.table(col_widths=(60, 30, 30), width=120, text_align="LEFT") as table:
        for row in (("Condition", "2023", "2024"), ("Good", "1,204", "1,310"), ("Poor", "87", "64")):
            r = table.row()
            for cell in row:
                r.cell(cell)
    pdf.ln(4)
    _lines(pdf, ["Most homes were in good condition and the number in poor condition fell."])
    pdf.output(str(path))


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("gen") / "report.pdf"
    build(path)
    return segment_pdf(path)


def _find(doc, start: str):
    hits = [b for b in doc.blocks if b.text.startswith(start)]
    assert hits, f"no block starts with {start!r}: {[b.text[:40] for b in doc.blocks]}"
    return hits[0]


def test_running_header_and_page_numbers_removed(doc):
    texts = " ".join(b.text for b in doc.blocks)
    assert "Housing Review 2024" not in texts
    assert "Page 1 of 2" not in texts and "Page 2 of 2" not in texts
    assert "Page 1 of 2" in doc.removed and "Housing Review 2024 – Example Council" in doc.removed


def test_toc_entries(doc):
    toc = [b for b in doc.blocks if b.kind == BlockKind.TOC_ENTRY]
    assert [b.text for b in toc] == ["1 Introduction 2", "2 Findings 3"]


def test_headings_with_labels_and_levels(doc):
    heads = [(b.text, b.label, b.level) for b in doc.blocks if b.kind == BlockKind.HEADING]
    assert ("1 Introduction", "1", 1) in heads
    assert ("1.1 Background", "1.1", 2) in heads
    assert ("2 Findings", "2", 1) in heads


def test_paragraph_and_hyphenation(doc):
    b = _find(doc, "The survey covered every ward")
    assert b.kind == BlockKind.PARAGRAPH
    assert "on the outcome. Welsh speakers" in b.text  # word division undone
    assert "their blwydd-dal and the is-adran" in b.text  # real hyphen kept


def test_footnote_marker_is_a_reference_not_text(doc):
    b = _find(doc, "Rents rose faster")
    assert b.text == "Rents rose faster than incomes in 2016 and the gap has not closed since then."
    assert b.footnote_refs == ("1",)
    note = [x for x in doc.blocks if x.kind == BlockKind.FOOTNOTE]
    assert len(note) == 1 and note[0].label == "1"
    assert note[0].text == "Office for National Statistics, rents and earnings series."
    # placed right after the paragraph citing it, not at the end of the page (same point in both editions)
    i = doc.blocks.index(b)
    assert doc.blocks[i + 1] is note[0] and doc.blocks[i + 2].text.startswith("Arrears doubled")


def test_unicode_superscript_marker_is_a_reference(doc):
    b = _find(doc, "Arrears doubled")
    assert b.text == "Arrears doubled in 2019 according to the council." and b.footnote_refs == ("2",)


def test_paragraph_over_page_break_is_one_block(doc):
    b = _find(doc, "This paragraph starts near the bottom")
    assert b.text.endswith("where it ends with a full stop.")
    assert b.page == 1 and b.end_page == 2


def test_list_items(doc):
    items = [b for b in doc.blocks if b.kind == BlockKind.LIST_ITEM]
    assert [b.text for b in items] == ["Repairs were the most common concern.", "Most tenants were satisfied overall."]


def test_table_cells_and_caption(doc):
    cells = [b.text for b in doc.blocks if b.kind == BlockKind.TABLE_CELL]
    assert cells == ["Condition", "2023", "2024", "Good", "1,204", "1,310", "Poor", "87", "64"]
    caption = _find(doc, "Table 1")
    assert caption.kind == BlockKind.CAPTION and caption.label == "Table 1"


def test_ids_and_reading_order(doc):
    assert doc.blocks[0].id == "p1-b1" and doc.blocks[0].text == "Contents"
    ids = [b.id for b in doc.blocks]
    assert len(ids) == len(set(ids))
    assert doc.blocks[-1].text.startswith("Most homes were in good condition")
    assert doc.lang == "en"


def test_rotated_margin_text_is_not_in_the_reading_flow(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Upright text here.")
    with pdf.rotation(90, x=20, y=200):
        pdf.text(20, 200, "ROTATED MARGIN LABEL")
    path = tmp_path / "rotated.pdf"
    pdf.output(str(path))
    assert [b.text for b in segment_pdf(path).blocks] == ["Upright text here."]


def _wrap(pdf, text: str, width: float) -> list[str]:
    """Greedy line filling, as a word processor does: a line ends only when the next word would not fit."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and pdf.get_string_width(trial) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + [line]


def test_two_columns_read_column_by_column(tmp_path):
    """A full-width heading over two columns; the second paragraph runs on from column 1 into column 2."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    _font(pdf)
    pdf.add_page()
    pdf.set_font("Body", "B", 16)
    pdf.cell(0, 10, "Two column section", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "", 10)
    paras = [
        "Alpha paragraph one sits at the top of the left column and ends after a few lines of text.",
        (
            "Beta paragraph starts lower in the left column and carries on without a break into the right "
            "column, where it goes on for a while longer and then finally ends with a full stop."
        ),
        "Gamma paragraph closes the page.",
    ]
    slots = [(10.0, 30.0 + 5 * i) for i in range(6)] + [(110.0, 30.0 + 5 * i) for i in range(20)]
    k = 0
    for n, para in enumerate(paras):
        if n and slots[k][1] > 30.0:
            k += 1  # blank line between paragraphs within a column
        for line in _wrap(pdf, para, 85):
            x, y = slots[k]
            pdf.text(x, y, line)
            k += 1
    path = tmp_path / "columns.pdf"
    pdf.output(str(path))
    assert [b.text for b in segment_pdf(path).blocks] == ["Two column section", *paras]
