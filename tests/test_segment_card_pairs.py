"""Report cards as a word processor sets them: shaded panels side by side and data tables.

The generated "card" pairs (devtools.synth, printed by LibreOffice) add to a report rows of two or
three shaded panels under a section's heading (a bold title or a large figure over a sentence) and
data tables, ruled or not, whose first column names an area spanning several rows. Their gold is exact by
construction; they need the shared parallel text and LibreOffice, and skip without them. The small
PDFs built with fpdf2 isolate the page features: level fills side by side, a panel row cut by a
page break, level bars of two text columns, and a table of five columns without rulings.
"""

from __future__ import annotations

import pytest

pytest.importorskip("fpdf")

from bench_support import assert_pair_segments, generate_docx_pair
from bench_support import fpdf_page as _pdf
from bench_support import segmented_texts as _texts

PANEL_TEXT = (
    (
        "Strengths",
        ("Pupils behave well in lessons and", "around the school, and they are", "proud of their community."),
    ),
    (
        "Next steps",
        ("Leaders should check how well", "new plans for reading are working", "in every class this year."),
    ),
    (
        "Summary",
        ("The school has made strong progress", "since the last visit, most of all", "in science and in Welsh."),
    ),
)


REST = (
    "The rest of this report sets out what we found in each area of the school's work, and what",
    "the school has done since our last visit. Each section ends with what we ask the school to do",
    "next, and the school's own plans are set out in the last section, with the dates it has set.",
)


def _panel(pdf, x: float, top: float, width: float, height: float, lines: list[str], centred: bool = False) -> None:
    """A light fill with ``lines`` in it, 12 pt apart, in 9 pt type."""
    pdf.set_fill_color(222, 234, 246)
    pdf.rect(x, top, width, height, style="F")
    pdf.set_font("helvetica", size=9)
    for k, line in enumerate(lines):
        left = x + (width - pdf.get_string_width(line)) / 2 if centred else x + 6
        pdf.text(left, top + 14 + 12 * k, line)
    pdf.set_font("helvetica", size=10)


def test_panels_side_by_side_are_read_one_after_another(tmp_path):
    """Three shaded panels on one level, each a bold title over a sentence wrapped in three lines:
    each title and each sentence is one block. Without the level fills read as one row of cells
    the lines were read across the panels ("Pupils behave well in lessons and Leaders should ...")."""
    pdf = _pdf()
    for k, (title, body) in enumerate(PANEL_TEXT):
        _panel(pdf, 72 + 152 * k, 100, 148, 70, [])
        pdf.set_font("helvetica", style="B", size=11)
        pdf.text(72 + 152 * k + 6, 114, title)
        pdf.set_font("helvetica", size=9)
        for j, line in enumerate(body):
            pdf.text(72 + 152 * k + 6, 100 + 30 + 12 * j, line)
    pdf.set_font("helvetica", size=10)
    for k, line in enumerate(REST):
        pdf.text(72, 220 + 14 * k, line)
    texts = _texts(pdf, tmp_path, "panels.pdf")
    for title, body in PANEL_TEXT:
        assert title in texts and " ".join(body) in texts, texts


def test_panels_with_rounded_corners_are_panels_too(tmp_path):
    """The same three panels drawn as filled rectangles with rounded corners (a path of lines and
    curves, not four sides): each title and each sentence is one block, read panel by panel. A
    rounded fill was no panel at all, and the panels were read across."""
    pdf = _pdf()
    for k, (title, body) in enumerate(PANEL_TEXT):
        pdf.set_fill_color(222, 234, 246)
        pdf.rect(72 + 152 * k, 100, 148, 70, style="F", round_corners=True, corner_radius=8)
        pdf.set_font("helvetica", style="B", size=11)
        pdf.text(72 + 152 * k + 6, 114, title)
        pdf.set_font("helvetica", size=9)
        for j, line in enumerate(body):
            pdf.text(72 + 152 * k + 6, 130 + 12 * j, line)
    pdf.set_font("helvetica", size=10)
    for k, line in enumerate(REST):
        pdf.text(72, 220 + 14 * k, line)
    texts = _texts(pdf, tmp_path, "rounded-panels.pdf")
    order = [t for title, body in PANEL_TEXT for t in (title, " ".join(body))]
    assert [t for t in texts if t in order] == order, texts


@pytest.mark.parametrize("centred", [True, False])
def test_a_panel_cut_by_a_page_break_goes_on_over_the_page(tmp_path, centred):
    """A row of panels cut by a page break: the second panel's sentence ends page 1 at a comma and
    goes on at the top of page 2 with a name ("Xi Jinping," / "China's president."), the first
    panel's part on page 2 is empty. The two parts are one unit: the cell ends in a comma, and a
    centred column is known by the centres of its lines, not by where they start."""
    pdf = _pdf()
    for k, line in enumerate(REST):
        pdf.text(72, 630 + 14 * k, line)
    first = ["The number of pupils who", "joined the school in the year."]
    second = ["The share of pupils who were", "taught science by Mr Jones,"]
    pdf.set_font("helvetica", size=9)
    width = max(pdf.get_string_width(line) for line in first + second) + 14  # full lines: the row was cut
    _panel(pdf, 72, 700, width, 142, first, centred)
    _panel(pdf, 72 + width, 700, width, 142, second, centred)
    pdf.add_page()
    _panel(pdf, 72, 50, width, 20, [])
    _panel(pdf, 72 + width, 50, width, 20, ["Head of Science."], centred)
    for k, line in enumerate(REST):
        pdf.text(72, 120 + 14 * k, line)
    texts = _texts(pdf, tmp_path, "split-panel.pdf")
    assert "The share of pupils who were taught science by Mr Jones, Head of Science." in texts, texts
    assert "The number of pupils who joined the school in the year." in texts, texts


def test_level_shaded_bars_of_two_text_columns_stay_in_their_columns(tmp_path):
    """A page set in two columns (a bilingual form: Welsh left, English right) with a shaded heading
    bar at the top of each: the bars are level but no text runs across the gutter between them, so
    each column is read whole, bar first, not the two bars as one row of cells."""
    pdf = _pdf()
    columns = (
        (
            "I'w lenwi gan y llys",
            (
                "Mae'r ffurflen hon ar gyfer y llys",
                "yn unig, a dylech ei gadael yn wag",
                "os nad ydych yn gweithio yno.",
            ),
        ),
        (
            "To be completed by the court",
            ("This part of the form is for the", "court only, and you should leave", "it blank unless you work there."),
        ),
    )
    for k, (bar, lines) in enumerate(columns):
        x = 72 + 240 * k
        _panel(pdf, x, 100, 220, 18, [])
        pdf.set_font("helvetica", style="B", size=10)
        pdf.text(x + 6, 113, bar)
        pdf.set_font("helvetica", size=10)
        for j, line in enumerate(lines):
            pdf.text(x, 140 + 13 * j, line)
    pdf.text(300, 800, "1")
    texts = _texts(pdf, tmp_path, "two-columns.pdf")
    order = [t for bar, lines in columns for t in (bar, " ".join(lines))]
    assert [t for t in texts if t in order] == order, texts


GRID = (
    ("Governance", ("She is not a racist.",), "58.4%", "48.8%", "Adequate"),
    ("", ("Your newborn baby?",), "45.3%", "87.6%", "Met"),
    ("Staffing", ("You are going to go after", "someone like that?"), "88.7%", "65.1%", "Not met"),
    ("", ("Here is where to begin.",), "62.5%", "", "Met"),
)
GRID_X = (72.0, 157.0, 380.0, 442.0, 500.0)


def test_a_table_without_rulings_is_read_row_by_row(tmp_path):
    """A data table of five columns with no rulings: an area named once over the rows of its
    measures, a measure wrapped over two lines, a missing figure. Every cell is one block, in row
    order; before, each column was read down the page as one paragraph ("Governance Staffing",
    "She is not a racist. Your newborn baby? ...")."""
    pdf = _pdf()
    for k, line in enumerate(REST):
        pdf.text(72, 80 + 14 * k, line)
    top = 150.0
    for area, measure, first, second, status in GRID:
        for x, text in zip(GRID_X, (area, measure[0], first, second, status), strict=True):
            if text:
                pdf.text(x, top, text)
        for j, line in enumerate(measure[1:], start=1):
            pdf.text(GRID_X[1], top + 12 * j, line)
        top += 12 * len(measure) + 8
    for k, line in enumerate(REST):
        pdf.text(72, top + 20 + 14 * k, line)
    texts = _texts(pdf, tmp_path, "plain-grid.pdf")
    cells = [" ".join(c) if isinstance(c, tuple) else c for row in GRID for c in row if c]
    assert [t for t in texts if t in cells] == cells, texts


def test_a_badge_level_with_a_distant_box_is_no_row_of_panels(tmp_path):
    """A small shaded badge ("C1A") over a form's title and a shaded bar heading a box far to its right,
    level with it: panels of one row stand close, so the two stay in their columns (badge, title, then
    the box), not paired as one row read across."""
    pdf = _pdf()
    pdf.set_fill_color(222, 240, 222)
    pdf.rect(72, 60, 36, 14, style="F")
    pdf.set_font("helvetica", style="B", size=9)
    pdf.text(78, 70, "C1A")
    pdf.set_fill_color(220, 220, 220)
    pdf.rect(330, 60, 190, 14, style="F")
    pdf.text(334, 70, "To be completed by the court")
    pdf.set_font("helvetica", style="B", size=16)
    pdf.text(72, 96, "Allegations of harm")
    pdf.set_font("helvetica", size=10)
    pdf.text(334, 92, "The Family Court sitting at")
    for k, line in enumerate(REST):
        pdf.text(72, 160 + 14 * k, line)
    texts = _texts(pdf, tmp_path, "badge.pdf")
    assert texts.index("C1A") < texts.index("Allegations of harm") < texts.index("To be completed by the court")


@pytest.fixture(scope="module")
def card_pairs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("card")
    return {seed: generate_docx_pair(folder, "card", 8, seed) for seed in (0, 3)}


@pytest.mark.parametrize("seed", [0, 3])
def test_a_word_processor_report_card(card_pairs, seed):
    """Panels side by side, large figures, data tables ruled or not with an area spanning rows: ≥ 0.98
    of units exactly one block in each edition (0.77–0.99 on the 12-page development seeds before
    level fills were read as a row of cells and tables without rulings row by row)."""
    assert_pair_segments(card_pairs[seed], floor=0.98)
