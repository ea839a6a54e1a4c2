"""Tagged PDFs: the structure tree files each line under its paragraph, and where the page cannot
show a boundary (a paragraph runs over a page break after a full line that ends a sentence) the tags
decide, as the gold data's unit definition says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bench_support import assert_pair_segments, generate_docx_pair

from aligner.pdf.reader import extract_pages
from aligner.pdf.structure import paragraph_tags
from aligner.segmentation.pipeline import segment_pdf

TEXT = (
    "The council met in March to agree the plan for the coming year. Members asked for a shorter report. "
    "The clerk said the figures would be ready by the summer. Several people wrote to the council about the "
    "library. A new bus route will start in the autumn. The school will open a second hall for sport and "
    "music. Residents may comment on the plan until the end of June. The park will close for two weeks in "
    "May. Grants for small businesses are open again this year. The council thanked the volunteers for their "
    "work."
)
AFTER = "After the break, another paragraph follows."
MARGIN_PT = 72


def _write_docx(text: str, path: Path, page_height: float | None = None) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = Pt(MARGIN_PT)
    if page_height:
        section.page_height = Pt(page_height)
    paragraph = doc.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.add_paragraph(AFTER)
    doc.save(str(path))


def _lines(pdf: Path) -> list[list]:
    """The first page's words in lines (a line starts where a word begins left of the one before)."""
    rows: list[list] = [[]]
    for w in extract_pages(pdf)[0].words:
        if rows[-1] and w.x0 < rows[-1][-1].x0:
            rows.append([])
        rows[-1].append(w)
    return rows


@pytest.fixture(scope="module")
def broken_paragraph(tmp_path_factory) -> tuple[Path, Path, str]:
    """One justified paragraph whose page ends after a full line that ends a sentence, printed by
    LibreOffice untagged and tagged, and the paragraph's text. The paragraph is laid out once on a
    full page to find a line (not the first or the last two) ending a sentence; the page is then cut
    just below that line, so the paragraph runs on over a page break the page cannot show."""
    pytest.importorskip("docx", reason="python-docx is not installed (extra 'test')")
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh installs libreoffice-writer-nogui")
    from devtools.synth.docx_engine import convert_to_pdf

    folder = tmp_path_factory.mktemp("tags")
    words = TEXT.split()
    variants = {k: " ".join(words[k:]) for k in range(12)}  # the same text, lines broken elsewhere
    for k, text in variants.items():
        _write_docx(text, folder / f"v{k}.docx")
    convert_to_pdf([folder / f"v{k}.docx" for k in variants], folder)
    for k, text in variants.items():
        rows = _lines(folder / f"v{k}.pdf")
        ends = [i for i, row in enumerate(rows[1:-2], 1) if row[-1].text.endswith(".")]
        if ends:
            i = ends[-1]
            body_end = (max(w.bottom for w in rows[i]) + max(w.bottom for w in rows[i + 1])) / 2
            _write_docx(text, folder / "broken.docx", body_end + MARGIN_PT)
            convert_to_pdf([folder / "broken.docx"], folder / "untagged")
            convert_to_pdf([folder / "broken.docx"], folder / "tagged", tagged=True)
            return folder / "untagged" / "broken.pdf", folder / "tagged" / "broken.pdf", text
    pytest.fail("no layout of the text ends a line inside the paragraph with a sentence end")


def test_tagged_paragraph_runs_over_a_page_break(broken_paragraph):
    untagged, tagged, text = broken_paragraph
    first_page = extract_pages(untagged)[0].words
    assert first_page[-1].text.endswith(".") and len(extract_pages(untagged)) > 1
    # untagged, the page alone decides: a full line ending a sentence at the foot of a page ends the paragraph
    blocks = [b.text for b in segment_pdf(untagged, lang="en", use_cache=False).blocks]
    assert len(blocks) > 2 and blocks[-1] == AFTER
    # tagged, the structure tree says the paragraph goes on: one unit
    assert [b.text for b in segment_pdf(tagged, lang="en", use_cache=False).blocks] == [text, AFTER]


def test_each_line_is_filed_under_its_paragraph(broken_paragraph):
    _, tagged, _ = broken_paragraph
    pages = extract_pages(tagged)
    tags = paragraph_tags(tagged, 0, len(pages))
    assert len(tags) == len(pages) and all(tags)
    words = [w for pg in pages for w in pg.words]
    n_after = len(AFTER.split())
    paragraph, after = {w.tag for w in words[:-n_after]}, {w.tag for w in words[-n_after:]}
    assert len(paragraph) == 1 and None not in paragraph  # one element on every page it runs over
    assert len(after) == 1 and after != paragraph  # the next paragraph is another
    # an untagged PDF has no tags: the reader then goes by the page alone
    untagged = broken_paragraph[0]
    assert paragraph_tags(untagged, 0, 2) == [{}, {}]
    assert all(w.tag is None for w in extract_pages(untagged)[0].words)


def test_a_damaged_file_gives_no_tags(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /StructTreeRoot 9 0 R >> endobj\ntrailer << /Root 1 0 R >>")
    assert paragraph_tags(path, 0, 3) == [{}, {}, {}]


def test_the_tree_is_read_quietly(tmp_path, capfd):
    """A page whose box pdfminer finds invalid: its paragraph is still found, and pdfminer's warning
    about the box does not reach the user's terminal."""
    path = tmp_path / "box.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /StructTreeRoot 4 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0] /StructParents 0 >> endobj\n"
        b"4 0 obj << /Type /StructTreeRoot /ParentTree 5 0 R >> endobj\n"
        b"5 0 obj << /Nums [0 [6 0 R 7 0 R]] >> endobj\n"
        b"6 0 obj << /S /P /P 4 0 R >> endobj\n"
        b"7 0 obj << /S /Link /P 6 0 R >> endobj\n"
        b"trailer << /Root 1 0 R >>\n"
    )
    assert paragraph_tags(path, 0, 1) == [{0: 6, 1: 6}]  # the link's text belongs to its paragraph
    assert capfd.readouterr().err == ""


FOOTER = "Form X1 Notice of appeal (04.26) © Crown copyright 2026"


@pytest.fixture(scope="module")
def one_off_footer(tmp_path_factory) -> tuple[Path, Path]:
    """Two pages of paragraphs under a title set high on the first page, with a footer (a form's code
    and edition) printed on the first page only; untagged and tagged."""
    pytest.importorskip("docx", reason="python-docx is not installed (extra 'test')")
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh installs libreoffice-writer-nogui")
    from docx import Document
    from docx.shared import Pt

    from devtools.synth.docx_engine import convert_to_pdf

    folder = tmp_path_factory.mktemp("artifacts")
    doc = Document()
    section = doc.sections[0]
    section.top_margin = Pt(36)
    section.different_first_page_header_footer = True
    section.first_page_footer.paragraphs[0].text = FOOTER
    doc.add_paragraph("Appeal to the tribunal")
    for _ in range(9):
        doc.add_paragraph(TEXT)
    doc.save(str(folder / "form.docx"))
    convert_to_pdf([folder / "form.docx"], folder / "untagged")
    convert_to_pdf([folder / "form.docx"], folder / "tagged", tagged=True)
    return folder / "untagged" / "form.pdf", folder / "tagged" / "form.pdf"


def test_untagged_margin_text_of_a_tagged_pdf_is_furniture(one_off_footer):
    untagged, tagged = one_off_footer
    assert len(extract_pages(tagged)) >= 2
    # printed once, the footer does not repeat: untagged, the page alone keeps it as a unit
    assert FOOTER in [b.text for b in segment_pdf(untagged, lang="en", use_cache=False).blocks]
    # tagged, it lies outside the structure tree (an artifact): furniture; the title set as high stays
    texts = [b.text for b in segment_pdf(tagged, lang="en", use_cache=False).blocks]
    assert FOOTER not in texts and texts[0] == "Appeal to the tribunal" and texts.count(TEXT) == 9


def test_lines_of_one_element_in_a_form_are_one_unit(tmp_path):
    """A generated form whose details labels stand flush right against shaded boxes: the second line
    of "National Insurance / number" starts right of the first, which the page alone reads as an
    indent. A question beside its answer boxes wraps at the boxes, mid-sentence, before a capital
    ("... to compare / Waters' reaction ..."), which the page alone reads as a line that stopped short.
    In a tagged PDF the lines of each are one element, so one unit."""
    pair = generate_docx_pair(tmp_path, "form", 8, 6, engine="docx-tagged")
    docs = assert_pair_segments(pair, floor=0.97)
    texts = [b.text for b in docs["en"].blocks]
    assert "National Insurance number" in texts and "number" not in texts
    question = next(row.split("\t")[0] for row in pair.gold_tsv.read_text().splitlines() if "to compare Waters" in row)
    assert question in texts


BROKEN_LINES = [
    ['The clerk asked whether the hall was free,"', "Hale said, and the members agreed."],
    ["The first line of this note is set at the margin,", "\tthe second is set in by a tab,", "and the third is back."],
]


def test_lines_broken_by_hand_inside_one_element_are_one_unit(tmp_path):
    """Paragraphs whose lines the author broke by hand, mid-sentence: after a comma inside closing
    quotes, before a capital; and a line set in by a tab. The page shows a line that stopped short and
    an indent; the tags show one element each, so one unit each."""
    pytest.importorskip("docx", reason="python-docx is not installed (extra 'test')")
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh installs libreoffice-writer-nogui")
    from docx import Document

    from devtools.synth.docx_engine import convert_to_pdf

    doc = Document()
    doc.add_paragraph(TEXT)
    for parts in BROKEN_LINES:
        paragraph = doc.add_paragraph()
        for k, part in enumerate(parts):
            run = paragraph.add_run(part)
            if k < len(parts) - 1:
                run.add_break()
        doc.add_paragraph(TEXT)
    doc.save(str(tmp_path / "lines.docx"))
    convert_to_pdf([tmp_path / "lines.docx"], tmp_path, tagged=True)
    texts = [b.text for b in segment_pdf(tmp_path / "lines.pdf", lang="en", use_cache=False).blocks]
    assert texts == [TEXT, " ".join(BROKEN_LINES[0]), TEXT, " ".join(p.strip() for p in BROKEN_LINES[1]), TEXT]


@pytest.mark.parametrize(("seed", "words"), [(11, "11.15 BST"), (8, "dwy awr yng nghanol y ddinas")])
def test_a_generated_card_keeps_lines_of_one_element_together(tmp_path, seed, words):
    """Tagged generated report cards (Welsh): a time that starts a line after "am" ("at") is the
    sentence's, not a numbered item (seed 11); a table cell's line that starts left of the one before
    is no new paragraph in the same element (seed 8)."""
    pair = generate_docx_pair(tmp_path, "card", 12, seed, engine="docx-tagged")
    unit = next(row.split("\t")[1] for row in pair.gold_tsv.read_text().splitlines() if words in row)
    texts = [b.text for b in segment_pdf(pair.cy_pdf, lang="cy", use_cache=False).blocks]
    assert unit in texts
