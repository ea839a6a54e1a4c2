"""Forms as a word processor sets them, and the page features behind their rules.

The generated "form" pairs (devtools.synth, printed by LibreOffice) hold numbered questions in tables:
ruled cells (number, question, answer box or two tick-box options) in some documents, and in others no
rulings, the number hanging before the question and shaded answer boxes beside it; now and then a
hint in small italics under a question, and instruction paragraphs between the tables. Their gold is
exact by construction. They need the shared parallel text and LibreOffice, and skip without them. The
small PDFs built with fpdf2 isolate one feature each: a ruled row alone on a page, a comb field, and
a contents list whose entries are set larger than the body text.
"""

from __future__ import annotations

import pytest

pytest.importorskip("fpdf")

from bench_support import assert_pair_segments, generate_docx_pair
from bench_support import fpdf_page as _pdf
from bench_support import segmented_texts as _texts

from aligner.records import BlockKind


def _grid_row(pdf, top: float, edges: tuple[float, ...], cells: tuple[str, ...], height: float = 20.0) -> None:
    """One ruled row: vertical rulings at ``edges``, each cell's text on one line."""
    pdf.line(edges[0], top, edges[-1], top)
    pdf.line(edges[0], top + height, edges[-1], top + height)
    for x in edges:
        pdf.line(x, top, x, top + height)
    for x, text in zip(edges, cells):
        if text:
            pdf.text(x + 4, top + 14, text)


QUESTION_EDGES = (72.0, 110.0, 400.0, 520.0)


def test_one_ruled_row_alone_on_a_page_is_a_row_of_cells(tmp_path):
    """A question table cut by a page break leaves its last row alone at the top of page 2: a grid of
    one row, with text in two cells side by side. Its cells are units as on page 1 (it was read as
    one paragraph, "3 Pretty moderate stuff.", when a table needed two rows)."""
    pdf = _pdf()
    for i, question in enumerate(("What is your full name?", "Where do you live now?")):
        _grid_row(pdf, 600 + 20 * i, QUESTION_EDGES, (str(i + 1), question, ""))
    pdf.add_page()
    _grid_row(pdf, 60, QUESTION_EDGES, ("3", "Pretty moderate stuff.", ""))
    pdf.text(72, 120, "Please go on to the next section of this form when you have answered every question.")
    texts = _texts(pdf, tmp_path, "one-row.pdf")
    assert "3" in texts and "Pretty moderate stuff." in texts, texts
    assert "1" in texts and "What is your full name?" in texts, texts


def test_a_row_of_one_letter_boxes_is_a_comb_field_not_cells(tmp_path):
    """Boxes of one character each (D D / M M / Y Y Y Y, where a date is written) form one ruled row,
    but they are a field to write into, not a table: no letter becomes a unit of its own."""
    pdf = _pdf()
    pdf.text(72, 70, "Date of birth")
    edges = tuple(200.0 + 16 * k for k in range(9))
    _grid_row(pdf, 56, edges, ("D", "D", "M", "M", "Y", "Y", "Y", "Y"))
    pdf.text(72, 140, "Please go on to the next section of this form when you have answered every question.")
    texts = _texts(pdf, tmp_path, "comb.pdf")
    assert not any(t in ("D", "M", "Y") for t in texts), texts


def test_a_contents_entry_wrapped_in_type_larger_than_the_body_is_one_entry(tmp_path):
    """Where the body is small type (a form's 10 pt questions), the 12 pt contents list is
    heading-sized throughout: the first line of a wrapped entry is still part of the entry (it was
    cut off as a heading), while the bold "Contents" above it stays a heading."""
    pdf = _pdf()
    pdf.set_font("helvetica", style="B", size=16)
    pdf.text(72, 80, "Contents")
    pdf.set_font("helvetica", size=12)
    first = "1. Hurricane Rosa Threatening Phoenix, Las Vegas, Salt Lake City With Flash"
    pdf.text(72, 110, first)
    entries = (("Flooding (Drought Areas May Benefit)", "3"), ("2. Health secretary writes to EU workers", "4"))
    for k, (text, page) in enumerate(entries):
        y = 125 + 20 * k
        pdf.text(72, y, text + " " + "." * 60)
        pdf.text(510, y, page)
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    body = "The council published its plan for the coming year after a long consultation with residents"
    for k in range(40):  # the body text: 10 pt lines filling a page
        pdf.text(72, 60 + 14 * k, body)
    texts = _texts(pdf, tmp_path, "contents.pdf")
    assert f"{first} Flooding (Drought Areas May Benefit) 3" in texts, texts[:4]
    assert "Contents" in texts


QUESTIONS = (
    (
        "3.3",
        "Last week a senior official told",
        "Parliament that the agency had arrested",
        "dozens of people who applied to sponsor",
        "children who were in their care.",
    ),
    (
        "3.4",
        "The agency later confirmed that most of",
        "those arrested did not have any criminal",
        "records at all, and that the checks would",
        "go on for every new application.",
    ),
)


def test_questions_wrapped_narrower_than_the_page_show_their_own_edge(tmp_path):
    """Questions in 10 pt wrap well inside the page (an answer box, drawn or not, takes the rest of
    the line), while instructions in 12 pt run the full width. A question's first line stops before
    "Parliament", which would not have fitted within the questions' edge: the question runs on (it
    was cut there as a short line, measured against the instructions' edge)."""
    pdf = _pdf()
    pdf.set_font("helvetica", size=12)
    for k in range(3):
        pdf.text(72, 70 + 16 * k, "Please answer every question in this section and give as much detail as you can.")
    pdf.set_font("helvetica", size=10)
    y = 130.0
    for number, *lines in QUESTIONS:
        pdf.text(72, y, number)
        for line in lines:
            pdf.text(106, y, line)
            y += 13
        y += 6
    edge = max(106 + pdf.get_string_width(line) for q in QUESTIONS for line in q[1:])
    first_end = 106 + pdf.get_string_width(QUESTIONS[0][1])
    assert edge - first_end < pdf.get_string_width(" Parliament") < 440 - first_end  # full only at the edge
    texts = _texts(pdf, tmp_path, "edge.pdf")
    assert " ".join(QUESTIONS[0]) in texts, texts


def test_a_number_after_a_line_that_ends_mid_phrase_is_the_sentences(tmp_path):
    """In a document whose body is small type, a 12 pt paragraph is heading-sized; a line of it that
    ends in "of" goes on with "16.5 to 10.5 ...": that number is in the sentence, not a numbered
    paragraph's label (it was cut there as a label after a heading line)."""
    pdf = _pdf()
    pdf.set_font("helvetica", size=12)
    lines = (
        "Team Europe has won the Ryder Cup defeating Team USA by a final score of",
        "16.5 to 10.5 at Le Golf National outside Paris. The US has now lost six times",
        "on European soil since the last win there.",
    )
    for k, line in enumerate(lines):
        pdf.text(72, 70 + 16 * k, line)
    pdf.set_font("helvetica", size=10)
    body = "The council published its plan for the coming year after a long consultation with residents"
    for k in range(40):
        pdf.text(72, 140 + 14 * k, body)
    texts = _texts(pdf, tmp_path, "mid-phrase.pdf")
    assert " ".join(lines) in texts, texts[:3]


def test_box_characters_are_tick_boxes(tmp_path):
    """Options typed after a box character ("☐ Yes   ☐ No"), as Word users make forms: each option is
    a unit without its box, and the box ends the question on its line. A numbered question after a
    short option line starts a unit (it was joined to the option: "No 1.4 ..."), and so does a full
    line under a question with its options beside it (the boxes' column edge does not bound a line
    that runs past it). Before box characters were read as tick boxes: "☐ Yes How often are you
    paid?", "☐ Weekly ☐ Monthly"."""
    from devtools.synth.layout import add_unicode_fonts

    pdf = _pdf()
    family = add_unicode_fonts(pdf)
    pdf.set_font(family, size=11)
    rows = (
        (72, "Are you employed at the moment?"),
        (100, "☐ Yes      ☐ No"),
        (72, "How often are you paid?"),
        (100, "☐ Weekly"),
        (100, "☐ Monthly"),
        (72, "Do you have a partner?     ☐ Yes    ☐ No"),
        (72, "Please go on to the next section when you are ready."),
        (72, "Are you married?"),
        (100, "☐ Yes"),
        (100, "☐ No"),
        (100, "The agency later confirmed that most of those arrested did not have any"),
        (100, "criminal records at all, and that the checks would go on for every application."),
    )
    for k, (x, text) in enumerate(rows):
        pdf.text(x, 70 + 16 * k, text)
    pdf.text(72, 70 + 16 * (len(rows) - 2), "1.4")  # the number hangs before the question
    texts = _texts(pdf, tmp_path, "boxes.pdf")
    assert texts[:6] == ["Are you employed at the moment?", "Yes", "No", "How often are you paid?", "Weekly", "Monthly"]
    assert texts[6:9] == ["Do you have a partner?", "Yes", "No"]  # the next line runs past the boxes: its own unit
    assert texts[9] == rows[6][1], texts[9]
    assert "1.4 " + " ".join(t for _, t in rows[-2:]) in texts, texts[6:]
    assert not any("☐" in t for t in texts)


FIELDS = ("Title", "First name(s)", "Surname", "Date of birth", "Postcode")


@pytest.mark.parametrize("boxes", [True, False])
def test_labels_beside_empty_boxes_are_units_not_an_address(tmp_path, boxes):
    """Field labels one under another, each with an empty ruled box well to its right (the labels set
    in a column of their own): each is a unit. The same short lines with no boxes beside them are an
    address-like stack, one unit (segmentation.stacks), as before."""
    pdf = _pdf()
    for k, label in enumerate(FIELDS):
        top = 80 + 18 * k
        pdf.text(72, top + 12, label)
        if boxes:
            pdf.rect(200, top, 250, 16)
    texts = _texts(pdf, tmp_path, "fields.pdf")
    assert (texts == list(FIELDS)) is boxes, texts


@pytest.fixture(scope="module")
def form_pairs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("form")
    return {seed: generate_docx_pair(folder, "form", 8, seed) for seed in (0, 1)}


@pytest.mark.parametrize("seed", [1, 0])
def test_a_word_processor_form_with_question_tables(form_pairs, seed):
    """Seed 1 sets its questions in ruled cells, seed 0 beside shaded boxes with no rulings: ≥ 0.98 of
    units exactly one block, in reading order (what is left: rows that a page break splits). Ruled
    forms were at 0.96–0.98 before one-row grids counted as tables and contents entries set larger
    than the body were rejoined; shaded ones at 0.84–0.86 before wrapped text gave its own edge (a
    cell's padding short of the next column, or well inside the page), and at 0.93 before a hint under
    a question came before the options."""
    pair = form_pairs[seed]
    body = pair.gold_tsv.read_text(encoding="utf-8")
    assert ("\n2.1\t2.1\t" in body) is (seed == 1)  # the ruled form's numbers are cells of their own
    docs = assert_pair_segments(pair, floor=0.98)
    if seed == 1:
        assert all(any(b.kind == BlockKind.TABLE_CELL for b in doc.blocks) for doc in docs.values())


@pytest.mark.slow
def test_the_options_of_a_generated_form_align_in_order(form_pairs, tmp_path):
    """From the gold blocks of a generated form, with the bundled model: every link exactly right.
    The encoder cannot tell "Yes" from "Nac oes", so without re-pairing shifted short links in order
    a fifth of the options were paired with their neighbour's translation (strict F1 0.81 on a
    17-page form)."""
    from aligner.alignment.params import AlignParams
    from aligner.alignment.pipeline import align_documents
    from devtools.devdata import documents_from_gold

    gold = documents_from_gold(form_pairs[0].gold_tsv)
    truth = {(tuple(e), tuple(c)) for e, c in gold.links}

    def wrong(params: AlignParams) -> int:
        al = align_documents(gold.en, gold.cy, cache_dir=tmp_path, params=params)
        return sum((tuple(lk.en), tuple(lk.cy)) not in truth for lk in al.links)

    assert wrong(AlignParams()) == 0
    assert wrong(AlignParams(unshift_short_links=False)) > 0


def test_a_label_beside_a_tables_first_row_is_read_before_the_table(tmp_path):
    """A question wrapped in three lines left of a table, its last line level with the table's
    header row ("Tick any of the following kinds of / abuse that you or the child(ren) / have
    experienced:" beside "Physical | Emotional | ..."): the row is read left to right, so the label
    stays one unit. It was cut in two, its last line read after the header row."""
    pdf = _pdf()
    pdf.text(72, 80, "Please answer every question in this section of the form, then go on to the next one.")
    label = ("Tick any of the following kinds of", "abuse that you or the child(ren)", "have experienced:")
    for k, line in enumerate(label):
        pdf.text(72, 114 + 12 * k, line)
    edges = (260.0, 330.0, 400.0, 470.0)
    _grid_row(pdf, 124, edges, ("Physical", "Emotional", "Sexual"), height=18)
    _grid_row(pdf, 142, edges, ("Often", "Sometimes", "Never"), height=18)
    texts = _texts(pdf, tmp_path, "label-beside-table.pdf")
    assert " ".join(label) in texts, texts
    assert texts.index(" ".join(label)) < texts.index("Physical"), texts
