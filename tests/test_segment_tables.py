"""Tables and forms in real PDFs: each table cell, checkbox option and form field a unit of its own.

Uses the WJEC mark scheme (ruled tables drawn as thin filled rectangles) and the legal aid CIV Means 7
form (tick boxes, label / option / £ columns without rulings) from the shared data folder, and skips
when it is absent. The floor test pins the per-document gold scores of benchmarks/segment_gold.py.
"""

from __future__ import annotations

import pytest
from bench_support import load_benchmark

from aligner.records import BlockKind
from aligner.segmentation.pipeline import segment_pdf
from devtools.devdata import GOLD_PDFS, shared_data_dir

SHARED = shared_data_dir()
needs_shared = pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="shared real data not available")

FLOORS = {
    # (recovered, precision) per language, just below the figures reached with the table and text rules
    "wjec-cs-as-unit1-ms-2016": {"en": (0.99, 0.99), "cy": (0.98, 0.98)},
    "laa-civmeans7-form": {"en": (0.98, 0.98), "cy": (0.97, 0.97)},
}
"""Per-document floors for the table/form development pairs: share of gold paragraphs that are
exactly one block, and share of blocks that are exactly one gold paragraph."""


def _segment_shared(relative: str, lang: str):
    """A PDF of ../shared/data/pdf segmented, or the test skipped where it is not available."""
    path = SHARED / "pdf" / relative
    if not path.is_file():
        pytest.skip(f"{path} not available")
    return segment_pdf(path, lang=lang)


def _doc(stem: str, lang: str):
    en, cy = GOLD_PDFS[stem]
    return _segment_shared(en if lang == "en" else cy, lang)


@pytest.fixture(scope="module")
def wjec_en():
    return _doc("wjec-cs-as-unit1-ms-2016", "en")


@pytest.fixture(scope="module")
def wjec_cy():
    return _doc("wjec-cs-as-unit1-ms-2016", "cy")


@pytest.fixture(scope="module")
def laa_en():
    return _doc("laa-civmeans7-form", "en")


@pytest.fixture(scope="module")
def laa_cy():
    return _doc("laa-civmeans7-form", "cy")


def _form_without_gold(name: str, lang: str):
    """A real form of ../shared/data with no gold (rules found by checking it by hand)."""
    return _segment_shared(f"laa-forms/{name}.{lang}.pdf", lang)


@pytest.fixture(scope="module")
def cw1_en():
    return _form_without_gold("cw1-and-2", "en")


@pytest.fixture(scope="module")
def cw1_cy():
    return _form_without_gold("cw1-and-2", "cy")


def _cells(doc, page: int | None = None) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == BlockKind.TABLE_CELL and (page is None or b.page == page)]


def _after(texts: list[str], first: str, n: int) -> list[str]:
    k = texts.index(first)
    return texts[k : k + n]


@needs_shared
def test_ruled_header_row_is_one_cell_each_on_every_page(wjec_en):
    """The header row is printed on every table page (top margin): table content, not a running header."""
    for page in (3, 4, 12):
        assert _after(_cells(wjec_en, page), "Q", 7) == ["Q", "Answer", "Marks", "AO1", "AO2", "AO3", "Total"]


@needs_shared
def test_bullets_in_an_answer_cell_are_units_and_marks_are_stacked_values(wjec_en):
    cells = _cells(wjec_en, 3)
    assert _after(cells, "1a", 5) == [
        "1a",
        "Award 1 mark per response.",
        "MOD checks if the number is divisible by 2 / calculates the remainder of the inputted number.",
        "If the result of modulus is 0 then the number can be divided by 2 and is an even number.",
        "If the modulus is not exactly 0, then the number is not exactly divisible by 2, hence it will be odd number.",
    ]
    k = cells.index("1a")
    # the Marks column holds three values printed level with the three answer points, then AO2, Total
    assert cells[k + 5 : k + 12] == ["1", "1", "1", "2.1b", "2.1b", "2.1b", "3"]


@needs_shared
def test_code_snippet_in_a_cell_is_one_unit(wjec_en):
    code = [t for t in _cells(wjec_en) if t.startswith("1 Declare MyArray[0 to 6]")]
    assert len(code) == 1
    assert code[0].endswith("31 endif")


@needs_shared
def test_derivation_in_a_math_font_is_one_unit(wjec_en):
    """Q10: two six-line simplifications set in Cambria Math, each one unit however its lines end."""
    steps = [t for t in _cells(wjec_en, 9) if t.startswith("𝐴. (𝐴 + 𝐶) + 𝐶. (𝐴 + 𝐵)")]
    assert len(steps) == 2
    assert all(t.endswith("𝐴 + 𝐶. 𝐵") and len(t.split(" 𝐴")) >= 6 for t in steps)


@needs_shared
def test_bold_header_centred_in_a_cell_over_two_lines_is_one_unit(wjec_en, wjec_cy):
    """The level table's header "AO1.1b" / "Max 10 marks": the short centred first line is no break."""
    assert "AO1.1b Max 10 marks" in _cells(wjec_en, 15)
    assert "AA1.1b 10 marc ar y mwyaf" in _cells(wjec_cy, 17)


@needs_shared
def test_texts_side_by_side_in_a_cell_are_separate_units(wjec_en, laa_en):
    """A very wide gap inside a cell's row: the labels of two diagram boxes on one baseline (WJEC Q11),
    two tick-box options on one row of a ruled cell (CIV Means 7)."""
    assert _after(_cells(wjec_en, 10), "Department", 4) == ["Department", "Courses", "Modules", "Students"]
    cells = _cells(laa_en, 9)
    assert "Other:" in cells and not any(t.startswith("Bank statement Other") for t in cells)


@needs_shared
def test_words_wrapped_in_a_narrow_header_cell_are_rejoined(wjec_cy):
    cells = _cells(wjec_cy, 4)
    assert "Marciau" in cells and "Cyfanswm" in cells


@needs_shared
def test_nested_truth_table_is_read_inside_its_cell(wjec_en):
    cells = _cells(wjec_en, 3)
    k = cells.index("Award One mark for each correct column.")
    # the four body rows of the nested truth table, row by row, just before the text under it
    assert cells[k - 16 : k] == list("0110000011111010")


@needs_shared
def test_checkbox_options_and_routing_are_separate_units(laa_en):
    texts = [b.text for b in laa_en.blocks if b.page == 1]
    k = texts.index("1. The client is a child under the age of 18:")
    assert texts[k + 1 : k + 5] == [
        "Yes",
        "Go to question 2.",
        "No",
        "Go directly to question 5 to continue assessment.",
    ]


@needs_shared
def test_label_and_amount_columns_are_read_row_by_row(laa_en):
    texts = [b.text for b in laa_en.blocks if b.page == 5]
    assert _after(texts, "Savings (bank, building society, etc)", 4) == [
        "Savings (bank, building society, etc)",
        "£",
        "£",
        "Investments (shares, insurance policies etc)",
    ]


@needs_shared
def test_tick_box_items_in_a_ruled_cell_are_units(laa_en):
    texts = _cells(laa_en, 9)
    for item in ("Wage slips", "Recent bank statements", "Complete financial accounts", "Cash book"):
        assert item in texts


@needs_shared
def test_cover_page_footer_and_section_footer_are_furniture(laa_en, laa_cy):
    """The cover page's footer row adds an edition line to the running footer; the last Welsh pages
    have a footer of their own (three pages, each with its folio)."""
    for doc, words in ((laa_en, ("Page 1", "CCQ Version")), (laa_cy, ("Tudalen", "Gwaith wedi", "Hawlfraint"))):
        assert not [b.text for b in doc.blocks if any(w in b.text for w in words)]
    assert [b.text for b in laa_en.blocks].count("CIVMEANS7") == 1  # the form code at the top stays


@needs_shared
def test_two_field_columns_are_read_row_by_row_and_the_form_code_first(laa_en):
    """Applicant's details: two labels per printed row (the right one with a date field's "/ /" marks,
    which are not words) are read across; the form code printed above the title comes first."""
    texts = [b.text for b in laa_en.blocks if b.page == 1]
    assert texts[:2] == ["CIVMEANS7", "Financial Assessment for Family Mediation"]
    k = texts.index("Surname Mr/Mrs/Miss/Ms")
    assert texts[k + 1 : k + 3] == ["First name(s)", "Surname at birth if different:"]
    assert texts[k + 3 : k + 7] == ["Date of birth:", "/ /", "Address:", "postcode:"]


@needs_shared
def test_asterisk_notes_set_without_spacing_are_a_unit_each(laa_en):
    texts = [b.text for b in laa_en.blocks if b.page == 6]
    k = texts.index("* amounts should be net of housing benefit")  # the note keeps its star, spaced or not
    assert texts[k + 1].startswith("*if there are any shared ownership scheme properties")


@needs_shared
def test_bracketed_hints_right_under_a_label_belong_to_it(laa_cy):
    """A smaller bracketed note with only a few points of space under its label, and a second
    bracketed hint right under the first (set further left), are part of the label's unit."""
    texts = [b.text for b in laa_cy.blocks if b.page == 5]
    assert any(t.startswith("Budd-daliadau a Chredydau Treth (Peidiwch â chynnwys") for t in texts)
    assert any(
        t.startswith("Defnyddiwch ffigurau misol")
        and t.endswith("(os telir fesul pedair wythnos, lluoswch â 13 a rhannwch â 12)")
        for t in texts
    )


@needs_shared
def test_rows_of_box_marks_between_labels_are_read_across(laa_en):
    """The "£  £" boxes sit half a line below their labels, beside a column header: still a form (read
    row by row), and a row of marks is cut into its boxes (a "£" is no bullet)."""
    texts = [b.text for b in laa_en.blocks if b.page == 6]
    assert texts[:3] == ["Less monthly allowances:", "Client", "Partner"]
    k = texts.index("Mortgage installment* (capped if client has no dependents)")
    assert texts[k + 1 : k + 7] == [
        "£",
        "£",
        "Rent* (capped if client has no dependents)",
        "£",
        "£",
        "* amounts should be net of housing benefit",
    ]


@needs_shared
def test_a_field_labels_box_marks_are_cut_from_it_and_a_dates_slashes_kept_together(laa_en, laa_cy):
    assert [b.text for b in laa_cy.blocks].count("/ /") == 4  # also where the slashes sit at column edges
    texts = [b.text for b in laa_en.blocks]
    k = texts.index("Date of birth:")
    assert texts[k + 1] == "/ /"
    assert texts.count("/ /") == 4  # the four date fields, each with both its slashes
    k = texts.index("3. Client's share of property for assessment:")
    assert texts[k + 1 : k + 3] == ["%", "%"]


@needs_shared
def test_field_label_between_the_left_rows_is_still_read_across(laa_cy):
    """ "Cod post:" sits level with no label of the left side (its row there is a write-in line), but as a
    field label it marks the block as a form, read row by row."""
    texts = [b.text for b in laa_cy.blocks if b.page == 1]
    k = texts.index("Cyfenw gwreiddiol os yw'n wahanol:")
    assert texts[k + 1 : k + 7] == [
        "Dyddiad geni:",
        "/ /",
        "Cyfeiriad:",
        "Cod post:",
        "Rhif Yswiriant Gwladol:",
        "Swydd:",
    ]


@needs_shared
def test_a_row_of_box_marks_cut_from_its_label_is_a_unit_per_box(laa_en):
    texts = [b.text for b in laa_en.blocks if b.page == 5]
    k = next(i for i, t in enumerate(texts) if t.startswith("Pensions (Include the total value"))
    assert texts[k + 1 : k + 4] == ["£", "£", next(t for t in texts if t.startswith("Student Finance"))]


@needs_shared
def test_small_type_note_under_a_form_label_belongs_to_it(laa_en, laa_cy):
    """A 9 pt note (a sentence, then a bracketed one) right under a 12 pt label is one unit with it."""
    for doc, label, last in (
        (laa_en, "Any other income For example", "(Do not include any disregarded compensation"),
        (laa_cy, "Unrhyw incwm arall Er enghraifft", "(Peidiwch â chynnwys unrhyw iawndal"),
    ):
        hits = [b.text for b in doc.blocks if b.text.startswith(label)]
        assert len(hits) == 1 and last in hits[0]


@needs_shared
@pytest.mark.parametrize("stem", sorted(FLOORS))
def test_table_and_form_pairs_stay_above_their_floors(stem):
    bench = load_benchmark("segment_gold")
    for lang in ("en", "cy"):
        doc = _doc(stem, lang)
        gold = bench.gold_paragraphs(SHARED / "gold" / f"{stem}.gold.tsv", lang)
        recovered, precision, _, _ = bench.exact_scores(gold, [b.text for b in doc.blocks])
        floor_r, floor_p = FLOORS[stem][lang]
        assert recovered >= floor_r and precision >= floor_p, (stem, lang, recovered, precision)


def _built_page_texts(pdf, folder) -> list[str]:
    """The block texts of a page built with fpdf."""
    path = folder / "form.pdf"
    pdf.output(str(path))
    return [b.text for b in segment_pdf(path).blocks]


def test_generated_form_rows_are_cut_into_their_columns(tmp_path):
    """Without the shared data: a form whose options and routing text share lines with a wide gap
    that lines up from row to row, and a label with its amount box decorations to the right."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.text(50, 80, "1. Does the client receive any benefits?")
    for y, option, route in ((110, "Yes", "Go to question 2."), (135, "No", "Go directly to question 5.")):
        pdf.rect(80, y - 9, 9, 9)  # the tick box
        pdf.text(95, y, option)
        pdf.text(150, y, route)
    for y, label in ((180, "Savings (bank, building society, etc)"), (205, "Investments (shares etc)")):
        pdf.text(50, y, label)
        pdf.text(380, y, "£")
        pdf.text(470, y, "£")
    texts = _built_page_texts(pdf, tmp_path)
    assert texts == [
        "1. Does the client receive any benefits?",
        "Yes",
        "Go to question 2.",
        "No",
        "Go directly to question 5.",
        "Savings (bank, building society, etc)",
        "£",
        "£",
        "Investments (shares etc)",
        "£",
        "£",
    ]


def test_options_parted_by_tick_boxes_and_fields_set_far_apart_are_units(tmp_path):
    """Without the shared data: a row of options with a tick box in each gap (the gaps all alike, so
    no gap stands out from the others), a row of field labels set about 3 em apart with write-in
    lines, and (on the next page) a justified line whose stretched spaces stay word spaces."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.text(50, 60, "Marital status:")
    x = 50.0
    for option in ("Single", "Divorced/dissolved CP", "Widowed"):
        pdf.rect(x, 71, 10, 10)  # its tick box, before it
        pdf.text(x + 14, 80, option)
        x += 14 + pdf.get_string_width(option) + 16
    x = 50.0
    for label in ("Title:", "Initials:", "Surname:"):
        pdf.text(x, 130, label)
        end = x + pdf.get_string_width(label)
        pdf.line(end + 3, 131, end + 30, 131)  # the write-in line
        x = end + 34  # about 3 em
    words = ["we", "will", "write", "to", "you", "within", "ten", "working", "days"]
    pdf.add_page()  # on a page of its own: no column edge of the form rows for its words to meet
    x = 57.0
    for word in words:  # one justified line: each space stretched to about 1.3 em
        pdf.text(x, 180, word)
        x += pdf.get_string_width(word) + 14.5
    texts = _built_page_texts(pdf, tmp_path)
    assert texts == [
        "Marital status:",
        "Single",
        "Divorced/dissolved CP",
        "Widowed",
        "Title:",
        "Initials:",
        "Surname:",
        " ".join(words),
    ]


@needs_shared
def test_real_rows_of_far_apart_cells_are_a_unit_each(cw1_en):
    """The CW1&2 form (no gold): a row of field labels with write-in lines, options parted by their
    tick boxes, and a disbursements table whose rows are a label and two "£" boxes."""
    texts = [b.text for b in cw1_en.blocks]
    assert _after(texts, "Title:", 3) == ["Title:", "Initials:", "Surname:"]
    assert _after(texts, "Separated", 3) == ["Separated", "Divorced/dissolved CP", "Widowed"]
    assert _after(texts, "Disbursements", 9) == [
        "Disbursements",
        "Amount",
        "Vat",
        "Mileage",
        "£",
        "£",
        "Other disbursements",
        "£",
        "£",
    ]


@needs_shared
def test_real_grid_cells_side_by_side_are_not_one_paragraph_over_a_column(cw1_en, laa_cy):
    """Tick-box options in two columns of two lines each ("Learning disability/difficulty" over
    "Mobility impairment", beside "Long-standing physical illness or health" / "condition"): a
    column of two short lines is a grid's cells, so nothing runs on from its foot into the next
    column (rules.COLUMN_MIN_LINES). Likewise the Welsh legal aid form's option "cyfryngu ar gyfer pob
    mater" and the instruction in the column beside it (gold: two units)."""
    texts = [b.text for b in cw1_en.blocks]
    assert "Mobility impairment" in texts
    assert "Long-standing physical illness or health condition" in texts
    welsh = [b.text for b in laa_cy.blocks]
    assert "cyfryngu ar gyfer pob mater" in welsh
    assert "Os ydych chi wedi ticio un o'r blychau, rhowch y dyddiad y cychwynnodd y cyfryngu:" in welsh


@needs_shared
def test_real_full_width_paragraph_above_a_grid_is_not_bounded_by_its_columns(cw1_en):
    """Above a row of three options (CW1&2, page 2) a paragraph runs the full width; its last line,
    "... must be carried out.", ends before the third option's column edge, and the instruction
    "Please tick one box only:" follows. The edge bounds lines of the grid, not a paragraph whose
    earlier lines ran past it (rules._ran_past): the short last line ends the paragraph."""
    texts = [b.text for b in cw1_en.blocks]
    assert any(t.endswith("for the criteria determining when means assessment must be carried out.") for t in texts)
    assert "Please tick one box only:" in texts


@needs_shared
def test_real_field_label_after_a_sentence_and_a_little_space_is_its_own_unit(cw1_en):
    """ "... please select the most appropriate definition." then "Definitions:" 16.6 pt lower, where
    the form's lines sit 12.6 pt apart: no paragraph gap by the page's usual measure, but a field
    label after a finished sentence, set off by extra space, starts a unit (rules.LABEL_GAP_PITCH)."""
    texts = [b.text for b in cw1_en.blocks]
    assert any(t.endswith("please select the most appropriate definition.") for t in texts)
    assert "Definitions:" in texts


@needs_shared
def test_real_line_ending_in_a_function_word_runs_on(laa_en, cw1_cy):
    """A sentence broken by a hard return before a capitalised name, the line stopping short: "...
    such as the Department of" / "Work and Pensions ...", "... yr Achos a" / "Theilyngdod ar dudalen
    4.", "... o GDPR y" / "DU – Rhesymau ...". No sentence ends with an article, a preposition or a
    conjunction (rules.RUNS_ON_WORDS), so each is one unit, as the legal aid gold has it."""
    english = [b.text for b in laa_en.blocks]
    assert any("such as the Department of Work and Pensions and the HM Revenue" in t for t in english)
    welsh = [b.text for b in cw1_cy.blocks]
    assert any(t.endswith("Adran Manylion yr Achos a Theilyngdod ar dudalen 4.") for t in welsh)
    assert any("Erthygl 9(g) o GDPR y DU – Rhesymau o fudd cyhoeddus sylweddol." in t for t in welsh)


@needs_shared
def test_real_line_after_a_gap_in_the_block_below_is_a_new_unit(cw1_cy):
    """An instruction "(Ticiwch bob lefel a hawlir)" and, 20 pt lower (lines 12.7 pt apart), a row of
    tick-box options that the layout reads as another block: the gap ends the unit whichever block
    the next line sits in; only a line at the top of the next column can carry a paragraph on."""
    texts = [b.text for b in cw1_cy.blocks]
    assert "(Ticiwch bob lefel a hawlir)" in texts
    assert "Achos iechyd meddwl Lefel 1" in texts


def test_real_table_header_beside_a_wrapped_header_is_its_own_cell():
    """A court form's header row (HMCTS C1A, no gold): "Current Yes/No" is read, then "Name of court",
    whose line sits beside it at the same height; lines side by side are never successive lines of one
    paragraph (rules.BESIDE_OVERLAP)."""
    texts = [b.text for b in _segment_shared("hmcts-forms/c1a.en.pdf", "en").blocks]
    assert "Current Yes/No" in texts and "Name of court" in texts


@needs_shared
def test_real_asterisk_notes_keep_their_asterisk(cw1_en):
    """A note set as "* amounts ..." (a bold asterisk, a space, the note) answers an asterisk above it:
    the asterisk is part of the note, not a bullet glyph to drop."""
    texts = [b.text for b in cw1_en.blocks]
    assert "* amounts should be net of housing benefit" in texts
    assert any(t.startswith("* if there are any shared ownership scheme properties") for t in texts)


@needs_shared
def test_real_bracketed_hint_under_a_field_label_outside_form_columns_belongs_to_it(cw1_en):
    """ "(if different)" in 9 pt, centred right under the 11 pt "Surname at birth:", which sits in a
    layout column of its own (no form columns cut there): one unit."""
    texts = [b.text for b in cw1_en.blocks]
    assert "Surname at birth: (if different)" in texts


def test_the_same_field_text_on_row_after_row_is_a_unit_per_row(tmp_path):
    """Without the shared data: a costs table whose rows are a label, "hrs @ £" and "p/h = £" with
    write-in lines between them; the repeated pieces stack in their columns but no paragraph repeats
    its line, so each is a unit, read row by row."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    labels = ["Travel & waiting:", "Advocacy:", "Attendance:", "Preparation:"]
    for n, label in enumerate(labels):
        y = 100 + 17 * n
        pdf.text(42, y, label)
        pdf.line(150, y + 1, 210, y + 1)
        pdf.text(214, y, "hrs @ £")
        pdf.line(260, y + 1, 335, y + 1)
        pdf.text(339, y, "p/h = £")
        pdf.line(385, y + 1, 450, y + 1)
    texts = _built_page_texts(pdf, tmp_path)
    assert texts == [t for label in labels for t in (label, "hrs @ £", "p/h = £")]


@needs_shared
def test_real_costs_table_pieces_are_a_unit_each_row_by_row(cw1_en):
    texts = [b.text for b in cw1_en.blocks]
    assert _after(texts, "Travel & waiting:", 6) == [
        "Travel & waiting:",
        "hrs @ £",
        "p/h = £",
        "Advocacy:",
        "hrs @ £",
        "p/h = £",
    ]


@needs_shared
def test_a_stray_full_stop_alone_on_a_line_goes_with_the_next_unit(laa_cy):
    """A "." hidden under the corner of a tick box is read as a line of its own: it starts no unit and
    stays with the item after it, as the gold keeps it."""
    texts = [b.text for b in laa_cy.blocks]
    assert "." not in texts
    assert ". Hysbysiad am Ddyfarniad Credyd Treth (mwyaf diweddar)." in texts


@needs_shared
def test_real_hint_under_the_second_label_of_a_row_is_not_the_first_labels(cw1_cy):
    """Welsh CW1&2: "(os yn wahanol)" in 8 pt lies wholly under "Cyfenw adeg geni:", the second label of
    its row, about 200 pt right of the first label "Enw cyntaf:": right under a label means under it."""
    texts = [b.text for b in cw1_cy.blocks]
    assert "Enw cyntaf:" in texts
    assert not any(t.startswith("Enw cyntaf:") and "(os yn wahanol)" in t for t in texts)


def test_real_centred_title_lines_end_where_a_flush_left_heading_starts(cw1_cy):
    """Welsh CW1&2, the privacy notice: two centred title lines, then the section heading "Pwrpas" at
    the body's left edge, all three 14 pt bold and 25 pt apart (the English sets the heading further
    down). Centred text wraps to centred lines: where the alignment changes, the unit does."""
    texts = [b.text for b in cw1_cy.blocks]
    assert "Pwrpas" in texts
    assert not any(t.startswith("ASIANTAETH CYMORTH CYFREITHIOL") and t.endswith("Pwrpas") for t in texts)
