"""A second layout engine: the same parallel document written as Word DOCX and exported to PDF by LibreOffice.

Real government PDFs mostly come from a word processor, so segmentation rules tuned only on our own
fpdf2 layout (``layout.py``) may fit that generator. Here every unit of a ``SynthDoc`` becomes what a
Word author would make of it: Title/Subtitle and Heading styles, typed paragraph numbers on a hanging
indent, real Word list numbering (bullets, ``(a)``, ``1.``), real footnotes (a footnotes part; python-docx
has none), a "Table Grid" table, a running header and a "Page X of Y" footer from PAGE/NUMPAGES fields,
a contents list whose page numbers are PAGEREF fields to bookmarked headings, two-column sections.

LibreOffice decides the pages, so they are read back from the exported PDF (the text of each page's body
area, matched token by token to the gold pieces with the evaluator's matcher) and every piece and note
gets its pages, as the fpdf2 layout gives them. A piece whose words are not found raises: the gold must
describe what is printed. The PDFs are not byte-identical between runs (LibreOffice stamps dates); the
gold is.
"""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from aligner.evaluation import match_tokens, tokenize
from aligner.records import BlockKind
from devtools.synth.layout import _units_pieces as _pieces
from devtools.synth.model import BULLET, Note, Piece, SynthDoc

FONT = "Arial"
"""What UK government templates use; LibreOffice prints it with the metric-compatible Liberation Sans."""
BODY_PT = 12
MARGIN_MM = 25.4
FURNITURE_MM = 21.0
"""Header and footer lie within this distance of the page edge; the body never does."""
_LIST_FORMATS = {"bullet": ("bullet", "\uf0b7"), "letter": ("lowerLetter", "(%1)"), "number": ("decimal", "%1.")}
"""Word's own bullet is U+F0B7 in the Symbol font, as in real Word exports."""


@dataclass(frozen=True)
class HouseStyle:
    """How one edition is typeset. The two editions of a real pair are often set by different hands, in
    different templates: another typeface and size, justified or ragged, paragraphs spaced apart or
    marked by a first-line indent with no space between them (``first_line_indent_mm`` > 0; the first
    paragraph after a heading is not indented, as typesetters do)."""

    font: str = FONT
    body_pt: float = BODY_PT
    line_spacing: float = 1.15
    space_after_pt: float = 8
    first_line_indent_mm: float = 0.0
    justified: bool = False
    margin_mm: float = MARGIN_MM
    section_heads: bool = False
    """The running head names the part of the document (its first heading) instead of the title, as
    reports print their chapter in the header: each part's head is on a few pages only."""
    columns: int = 1
    """Columns of the running text (an article set in two): sections of paragraphs, headings and lists
    only; tables, panels and forms keep the full measure."""
    column_gap_mm: float = 10.0

    @property
    def text_mm(self) -> float:
        return 210 - 2 * self.margin_mm


HOUSE_FONTS = ("Arial", "Times New Roman", "DejaVu Sans", "DejaVu Serif")
"""Typefaces a house style draws from (LibreOffice prints Arial and Times New Roman with the
metric-compatible Liberation fonts; DejaVu Sans is as wide as Verdana)."""


def draw_house_style(rng: random.Random) -> HouseStyle:
    """A house style at random: three in ten indent their paragraphs instead of spacing them, four in
    ten justify."""
    indented = rng.random() < 0.3
    return HouseStyle(
        font=rng.choice(HOUSE_FONTS),
        body_pt=rng.choice((10, 11, 12)),
        line_spacing=rng.choice((1.0, 1.15, 1.3)),
        space_after_pt=0 if indented else rng.choice((6, 8, 12)),
        first_line_indent_mm=rng.choice((5.0, 8.0)) if indented else 0.0,
        justified=rng.random() < 0.4,
        margin_mm=rng.choice((22.0, MARGIN_MM, 30.0)),
    )


def draw_article_style(rng: random.Random) -> HouseStyle:
    """A house style as ``draw_house_style`` draws it (the same draws first, so the same seed gives the
    same typeface, leading and spacing), with the running text in two columns two times in three and a
    gutter of 6 or 10 mm: an article whose editions may differ in columns too."""
    house = draw_house_style(rng)
    return dataclasses.replace(house, columns=rng.choice((1, 2, 2)), column_gap_mm=rng.choice((6.0, 10.0)))


def draw_report_style(rng: random.Random) -> HouseStyle:
    """An article style (``draw_article_style``, the same draws first) whose running head names the
    part of the document on each page, as reports print their chapter."""
    return dataclasses.replace(draw_article_style(rng), section_heads=True)


BOX_CHAR = "☐"
"""A tick box typed as a character, as Word users insert one (U+2610 BALLOT BOX)."""
_FORM_GRID_MM = (16, 0, 22, 8, 22, 8)
"""Column widths of a form question table: number, question (the rest of the text width), option, box,
option, box."""
_FULL_MEASURE_STYLES = ("panel", "option-inline", "option-stacked", "hint")
"""Pieces that keep a zone at the full measure when a house style sets running text in columns."""
_PANEL_FILLS = ("DEEAF6", "E2EFD9", "FFF2CC")
"""Light fills of side-by-side panels (blue, green, amber), in turn."""
_SOFFICE_TIMEOUT = 600
_TAGGED_EXPORT = ':writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
_TOC_NUMBER = re.compile(r"[^\d,\-–](\d+)\s*$", re.MULTILINE)
"""A number that ends a line: a contents page number after leader dots, or after the text (with or
without a space) when the entry fills the line and no dots fit; a title ending in a number also ends
a line sometimes, so the page numbers must be a subsequence of these."""


def soffice() -> str | None:
    """The LibreOffice binary, or None (the docx engine and its tests need it)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_docx_pair(
    doc: SynthDoc,
    base: Path,
    page_words: dict[str, tuple[str, str]],
    tagged: bool = False,
    styles: dict[str, HouseStyle] | None = None,
) -> tuple[int, int]:
    """Write ``base.{en,cy}.docx`` and ``base.{en,cy}.pdf``, fill in every piece's pages; page counts.
    ``tagged``: PDFs with a structure tree, as Word exports them by default. ``styles``: each
    edition's house style (default: both the same, ``HouseStyle()``).

    The contents page numbers are PAGEREF fields that LibreOffice updates; their cached values are
    still set from the previous pass and checked against the read-back pages, and a pass is repeated
    (at most twice) if a printed number differs from the heading's page.
    """
    guess: dict[str, dict[int, int]] = {"en": {}, "cy": {}}
    for _ in range(3):
        pdfs = {}
        for lang in ("en", "cy"):
            path = base.with_suffix(f".{lang}.docx")
            house = (styles or {}).get(lang, HouseStyle())
            _write_docx(doc, lang, guess[lang], page_words[lang], house).save(str(path))
            pdfs[lang] = base.with_suffix(f".{lang}.pdf")
        convert_to_pdf([base.with_suffix(f".{lang}.docx") for lang in ("en", "cy")], base.parent, tagged)
        wrong = {lang: _read_back(doc, lang, pdfs[lang]) for lang in ("en", "cy")}
        if not any(wrong.values()):
            return _n_pages(pdfs["en"]), _n_pages(pdfs["cy"])
        for lang in ("en", "cy"):
            guess[lang] = {id(p.target): p.target.pages[0] for p in _pieces(doc.toc, lang) if p.target is not None}
    raise RuntimeError(f"{base}: contents page numbers do not settle: {wrong}")


def convert_to_pdf(paths: list[Path], out_dir: Path, tagged: bool = False) -> None:
    """One LibreOffice run for all files, with a private profile so parallel runs do not collide;
    ``tagged`` writes the structure tree (LibreOffice's UseTaggedPDF export option)."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="synth-soffice-") as profile:
        cmd = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
        target = "pdf" + (_TAGGED_EXPORT if tagged else "")
        cmd += ["--convert-to", target, "--outdir", str(out_dir), *map(str, paths)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=_SOFFICE_TIMEOUT)
    for p in paths:
        if not (out_dir / p.with_suffix(".pdf").name).is_file():
            raise RuntimeError(f"LibreOffice did not convert {p}")


# -- writing the DOCX ------------------------------------------------------------------------------


def _write_docx(
    doc: SynthDoc, lang: str, toc_pages: dict[int, int], page_word: tuple[str, str], house: HouseStyle
) -> DocxDocument:
    d = new_docx()
    _styles(d, "cy-GB" if lang == "cy" else "en-GB", house)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Mm(house.margin_mm)
    sec.header_distance = sec.footer_distance = Mm(12.5)
    sec.different_first_page_header_footer = True
    title = doc.title[0 if lang == "en" else 1]
    _furniture(sec, title, page_word)
    toc = _pieces(doc.toc, lang)
    w = _Writer(d, {id(p.target): f"_Toc{i:06d}" for i, p in enumerate(toc[1:], start=1)}, house)

    front = _pieces(doc.front, lang)
    d.add_paragraph(front[0].text, style="Title").paragraph_format.space_before = Pt(180)
    d.add_paragraph(front[1].text, style="Subtitle")
    head = d.add_paragraph(toc[0].text, style="TOC Heading")
    head.paragraph_format.page_break_before = True
    for p in toc[1:]:
        w.toc_entry(p, toc_pages.get(id(p.target), 0))
    for zone in doc.zones:
        s = d.add_section(WD_SECTION.NEW_PAGE)
        s.different_first_page_header_footer = False
        pieces = _pieces(zone.units, lang)
        head = next((p for p in pieces if p.kind == BlockKind.HEADING), None)
        if house.section_heads and head is not None:
            s.header.is_linked_to_previous = False
            _running_head(s, f"{head.label} {head.text}".strip())
        if house.columns > zone.columns and _running_text_only(pieces):
            _columns(s, house.columns, house.column_gap_mm)
        else:
            _columns(s, zone.columns)
        for p in pieces:
            w.piece(p)
    w.finish()
    return d


def _styles(d: DocxDocument, lang: str, house: HouseStyle) -> None:
    """The house style's typeface throughout (the template's theme fonts removed), Word-like sizes and
    spacing."""
    st = d.styles
    for name, size, bold, italic, before, after in (
        ("Normal", house.body_pt, False, False, 0, house.space_after_pt),
        ("Title", 26, True, False, 0, 12),
        ("Subtitle", 15, False, False, 0, 0),
        ("Heading 1", 15, True, False, 18, 8),
        ("Heading 2", 13, True, False, 12, 6),
        ("TOC Heading", 15, True, False, 0, 12),
        ("Caption", 10, False, True, 6, 4),
        ("List Paragraph", house.body_pt, False, False, 0, 4),
        ("Header", 9, False, False, 0, 0),
        ("Footer", 9, False, False, 0, 0),
    ):
        s = st[name]
        _font(s.element.get_or_add_rPr(), house.font)
        s.font.size, s.font.bold, s.font.italic = Pt(size), bold, italic
        s.font.color.rgb = RGBColor(0, 0, 0) if name not in ("Header", "Footer") else RGBColor(0x59, 0x59, 0x59)
        pf = s.paragraph_format
        pf.space_before, pf.space_after = Pt(before), Pt(after)
        if name == "Normal":
            pf.line_spacing = house.line_spacing
            if house.justified:
                pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            s.element.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{lang}"/>'))
        for border in s.element.pPr.findall(qn("w:pBdr")) if s.element.pPr is not None else ():
            s.element.pPr.remove(border)  # the template's Title has a rule under it
    toc1 = st.add_style("toc 1", 1)
    toc1.base_style = st["Normal"]
    toc1.paragraph_format.space_after = Pt(4)
    toc1.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    toc1.paragraph_format.tab_stops.add_tab_stop(Mm(house.text_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _shading(fill: str):
    """A clear shading of colour ``fill`` (hex), for a paragraph's or a cell's properties."""
    return parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')


def _font(rpr, name: str) -> None:
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rpr.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{name}" w:hAnsi="{name}" w:cs="{name}"/>'))


def _field(paragraph: Paragraph, instr: str, cached: str) -> None:
    """A complex field (begin, instruction, separate, cached result, end), as Word writes them."""
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r><w:t>{cached}</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))


def _furniture(sec, title: str, page_word: tuple[str, str]) -> None:
    """Running title with a rule under it; centred "Page X of Y" footer. Later sections inherit both."""
    _running_head(sec, title)
    fp = sec.footer.paragraphs[0]
    fp.style = "Footer"
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run(f"{page_word[0]} ")
    _field(fp, "PAGE", "1")
    fp.add_run(f" {page_word[1]} ")
    _field(fp, "NUMPAGES", "1")


def _running_head(sec, text: str) -> None:
    """The section's header: ``text`` with a rule under it."""
    hp = sec.header.paragraphs[0]
    hp.text = text
    hp.style = "Header"
    hp._p.get_or_add_pPr().append(
        parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="4" w:color="808080"/></w:pBdr>')
    )


def _columns(sec, n: int, gap_mm: float = 10.0) -> None:
    sect_pr = sec._sectPr
    for old in sect_pr.findall(qn("w:cols")):
        sect_pr.remove(old)
    sect_pr.append(parse_xml(f'<w:cols {nsdecls("w")} w:num="{n}" w:space="{round(gap_mm * 1440 / 25.4)}"/>'))


def _running_text_only(units: list[Piece]) -> bool:
    """No table, panel or form piece: a zone a house style may set in its own number of columns."""
    return all(p.kind != BlockKind.TABLE_ROW and p.style not in _FULL_MEASURE_STYLES for p in units)


class _Writer:
    """Adds the body pieces; owns the list numbering and the footnotes part. ``marks``: the bookmark
    name of each heading the contents point to, by ``id`` of its piece."""

    def __init__(self, d: DocxDocument, marks: dict[int, str], house: HouseStyle) -> None:
        self.d, self.marks, self.house = d, marks, house
        self.after_heading = True
        self.numbering = d.part.numbering_part.element
        self.abstract: dict[str, int] = {}
        self.current: dict[str, int] = {}
        self.next_num = 1000
        self.footnotes = parse_xml(
            f"<w:footnotes {nsdecls('w')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            "<w:r><w:separator/></w:r></w:p></w:footnote>"
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>"
        )
        self.table_rows: list[Piece] = []
        self.inline_options: list[Piece] = []

    # -- pieces
    def piece(self, p: Piece) -> None:
        if p.style == "option-inline":
            self.inline_options.append(p)
            return
        self._flush_options()
        if p.kind == BlockKind.TABLE_ROW:
            if self.table_rows and self.table_rows[-1].style != p.style:
                self._flush_table()
            self.table_rows.append(p)
            return
        self._flush_table()
        if p.style == "panel":
            self._panel(p)
        elif p.style in ("hint", "option-stacked"):
            para = self.d.add_paragraph()
            para.paragraph_format.left_indent = Mm(15)
            para.paragraph_format.space_after = Pt(4)
            run = para.add_run(p.text if p.style == "hint" else f"{BOX_CHAR} {p.text}")
            if p.style == "hint":
                run.italic, run.font.size = True, Pt(9)
        elif p.style == "contact":
            para = self.d.add_paragraph()
            for i, line in enumerate(p.lines):
                run = para.add_run(line)
                if i + 1 < len(p.lines):
                    run.add_break()
        elif p.kind == BlockKind.HEADING:
            para = self.d.add_paragraph(style="Heading 1" if p.level <= 1 else "Heading 2")
            mark = self.marks.get(id(p))
            if mark is not None:
                para._p.append(parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{int(mark[4:])}" w:name="{mark}"/>'))
            self._text(para, p.text, p.note, f"{p.label} " if p.label else "")
            if p.style == "band":
                para._p.get_or_add_pPr().append(_shading("1F4E79"))
                for run in para.runs:
                    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            if mark is not None:
                para._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{int(mark[4:])}"/>'))
        elif p.kind == BlockKind.LIST_ITEM:
            para = self.d.add_paragraph(style="List Paragraph")
            self._number(para, p.label)
            self._text(para, p.text, p.note)
        elif p.kind == BlockKind.CAPTION:
            para = self.d.add_paragraph(style="Caption")
            para.paragraph_format.keep_with_next = True
            self._text(para, p.text, p.note)
        elif p.label:
            para = self.d.add_paragraph()
            pf = para.paragraph_format
            pf.left_indent, pf.first_line_indent = Mm(15), Mm(-15)
            pf.tab_stops.add_tab_stop(Mm(15))
            self._text(para, p.text, p.note, f"{p.label}\t")
        else:
            self._text(self._indented(self.d.add_paragraph()), p.text, p.note)
        self.after_heading = p.kind == BlockKind.HEADING

    def _indented(self, para: Paragraph) -> Paragraph:
        """A body paragraph of a house style that marks paragraphs by a first-line indent; not the first
        after a heading."""
        if self.house.first_line_indent_mm and not self.after_heading:
            para.paragraph_format.first_line_indent = Mm(self.house.first_line_indent_mm)
        return para

    def toc_entry(self, p: Piece, page: int) -> None:
        para = self.d.add_paragraph(f"{p.label} {p.text}\t" if p.label else f"{p.text}\t", style="toc 1")
        _field(para, f"PAGEREF {self.marks[id(p.target)]} \\h", str(page))

    def finish(self) -> None:
        self._flush_options()
        self._flush_table()
        if len(self.footnotes) > 2:
            part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self.footnotes, self.d.part.package)
            self.d.part.relate_to(part, RT.FOOTNOTES)

    # -- helpers
    def _text(self, para: Paragraph, text: str, note: Note | None, prefix: str = "") -> None:
        """``prefix`` (a typed label) and the text, with a footnote reference after word ``note.after_word``."""
        if note is None:
            para.add_run(prefix + text)
            return
        words = text.split(" ")
        k = note.after_word + 1
        para.add_run(prefix + " ".join(words[:k]))
        para._p.append(
            parse_xml(
                f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{note.number}"/></w:r>'
            )
        )
        if k < len(words):
            para.add_run(" " + " ".join(words[k:]))
        fn = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{note.number}"><w:p><w:pPr><w:spacing w:after="40" w:line="240"'
            ' w:lineRule="auto"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="18"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"></w:t></w:r></w:p></w:footnote>'
        )
        fn.findall(f".//{qn('w:t')}")[-1].text = " " + note.text  # Word's own: the number, a space, the note
        self.footnotes.append(fn)

    def _panel(self, p: Piece) -> None:
        """A paragraph in a shaded box: Word draws one box round consecutive paragraphs with the same
        borders, as leaflets set their "key points"."""
        para = self.d.add_paragraph()
        sides = "".join(
            f'<w:{side} w:val="single" w:sz="6" w:space="6" w:color="2F5496"/>'
            for side in ("top", "left", "bottom", "right")
        )
        ppr = para._p.get_or_add_pPr()
        ppr.append(parse_xml(f"<w:pBdr {nsdecls('w')}>{sides}</w:pBdr>"))
        ppr.append(_shading("DEEAF6"))
        pf = para.paragraph_format
        pf.left_indent = pf.right_indent = Mm(3)
        if p.kind == BlockKind.HEADING:
            pf.keep_with_next = True
            run = para.add_run(p.text)
            run.bold, run.font.size = True, Pt(13)
        else:
            self._text(self._indented(para), p.text, p.note)

    def _number(self, para: Paragraph, label: str) -> None:
        """Word list numbering: one abstract list per format, a fresh (restarted) list at ``1.``/``(a)``."""
        fmt = "bullet" if label == BULLET else "letter" if label.startswith("(") else "number"
        if fmt not in self.abstract:
            self._add_abstract(fmt)
        if fmt not in self.current or label in ("1.", "(a)"):
            self.next_num += 1
            self.current[fmt] = self.next_num
            self.numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{self.next_num}"><w:abstractNumId w:val="{self.abstract[fmt]}"/>'
                    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
                )
            )
        para._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{self.current[fmt]}"/></w:numPr>')
        )
        if fmt == "bullet":
            self.current.pop(fmt)  # each bullet list is its own list, like the rest

    def _add_abstract(self, fmt: str) -> None:
        num_fmt, text = _LIST_FORMATS[fmt]
        aid = 900 + len(self.abstract)
        self.abstract[fmt] = aid
        font = (
            '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr>' if fmt == "bullet" else ""
        )
        node = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{num_fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>{font}</w:lvl></w:abstractNum>'
        )
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(node)  # the schema wants every abstractNum before the nums
        else:
            self.numbering.append(node)

    def _flush_options(self) -> None:
        """Options side by side on one line, each after a box character, a tab between them."""
        options, self.inline_options = self.inline_options, []
        if options:
            para = self.d.add_paragraph()
            para.paragraph_format.left_indent = Mm(15)
            para.add_run("\t".join(f"{BOX_CHAR} {p.text}" for p in options))

    def _flush_table(self) -> None:
        rows, self.table_rows = self.table_rows, []
        if not rows:
            return
        if rows[0].style in ("form", "formshade"):
            self._form_table(rows)
        elif rows[0].style.endswith("-fields"):
            self._fields_table(rows)
        elif rows[0].style in ("panels", "figures"):
            for row in rows:
                self._panel_table(row)
        elif rows[0].style in ("grid", "gridplain"):
            self._grid_table(rows)
        else:
            self._report_table(rows)
        self.d.add_paragraph().paragraph_format.space_after = Pt(0)  # Word needs a paragraph after a table

    def _table(self, n_rows: int, widths: list, ruled: bool):
        """A left-aligned table with fixed column widths, set on the grid (which LibreOffice follows)
        and on every cell (which Word follows); ``ruled``: Word's "Table Grid" (the default style
        draws no rulings)."""
        table = self.d.add_table(rows=n_rows, cols=len(widths))
        if ruled:
            table.style = self.d.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
        return table

    def _report_table(self, rows: list[Piece]) -> None:
        """A report's table: number, text and source columns ruled, or a term and its description
        without rulings (``plain``, the term in bold)."""
        plain = rows[0].style == "plain"
        widths = [Mm(50), Mm(self.house.text_mm - 50)] if plain else [Mm(14), Mm(self.house.text_mm - 14 - 32), Mm(32)]
        table = self._table(len(rows), widths, ruled=not plain)
        for row, piece in zip(table.rows, rows):
            for k, (cell, text) in enumerate(zip(row.cells, piece.cells)):
                para = cell.paragraphs[0]
                para.paragraph_format.space_after = Pt(2)
                run = para.add_run(text)
                run.font.size, run.bold = Pt(10), piece.header_row or (plain and k == 0) or None

    def _form_table(self, rows: list[Piece]) -> None:
        """Form questions in a grid: the number, the question, then either one answer box over the
        last four columns or two options each followed by a tick box. ``form``: every cell ruled;
        ``formshade``: no rulings, the boxes shaded grey (the look of many online-made forms), the
        number hanging before the question in its cell. A hint (a further paragraph of the question
        cell) is set smaller, in italics."""
        shaded = rows[0].style == "formshade"
        grid = _FORM_GRID_MM[1:] if shaded else _FORM_GRID_MM
        table = self._table(
            len(rows), [Mm(w or (self.house.text_mm - sum(_FORM_GRID_MM))) for w in grid], ruled=not shaded
        )
        for row, piece in zip(table.rows, rows):
            cells = list(row.cells)
            n_head = len(grid) - 4
            targets = cells if len(piece.cells) == len(cells) else [*cells[:n_head], cells[n_head].merge(cells[-1])]
            for k, (cell, text) in enumerate(zip(targets, piece.cells, strict=True)):
                if not text and shaded:
                    cell._tc.get_or_add_tcPr().append(_shading("D9D9D9"))
                hanging = shaded and k == 0
                for j, part in enumerate(text.split("\n") if text else []):
                    para = cell.paragraphs[0] if j == 0 else cell.add_paragraph()
                    pf = para.paragraph_format
                    pf.space_after = Pt(3)
                    if hanging:
                        pf.left_indent, pf.first_line_indent = Mm(12), Mm(-12) if j == 0 else None
                        pf.tab_stops.add_tab_stop(Mm(12))
                        part = part.replace(" ", "\t", 1) if j == 0 else part
                    run = para.add_run(part)
                    run.font.size = Pt(10 if j == 0 else 8.5)
                    run.italic = j > 0 or None

    def _panel_table(self, row: Piece) -> None:
        """Panels side by side, as report cards set their key facts: one table row, each cell shaded
        in a light colour, white rulings between them as gutters; the first paragraph of a cell is a
        bold title (``panels``) or a large figure (``figures``, centred), the rest regular text."""
        n = len(row.cells)
        table = self._table(1, [Mm(self.house.text_mm / n)] * n, ruled=False)
        gutter = (
            f"<w:tcBorders {nsdecls('w')}>"
            + "".join(f'<w:{side} w:val="single" w:sz="36" w:color="FFFFFF"/>' for side in ("left", "right"))
            + "</w:tcBorders>"
        )
        figures = row.style == "figures"
        for k, (cell, text) in enumerate(zip(table.rows[0].cells, row.cells, strict=True)):
            tc_pr = cell._tc.get_or_add_tcPr()
            tc_pr.append(parse_xml(gutter))
            tc_pr.append(_shading(_PANEL_FILLS[k % len(_PANEL_FILLS)]))
            for j, part in enumerate(text.split("\n")):
                para = cell.paragraphs[0] if j == 0 else cell.add_paragraph()
                para.paragraph_format.space_after = Pt(4)
                para.paragraph_format.space_before = Pt(4) if j == 0 else None
                if figures:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = para.add_run(part)
                if j == 0:
                    run.bold, run.font.size = True, Pt(22 if figures else 11)
                else:
                    run.font.size = Pt(10)

    def _grid_table(self, rows: list[Piece]) -> None:
        """A data table, ruled (``grid``) or not (``gridplain``): the header row bold on a light fill,
        figures centred, a cell that spans rows merged down over them (its text at the top, where it
        starts)."""
        widths = [Mm(30), Mm(self.house.text_mm - 30 - 2 * 22 - 32), Mm(22), Mm(22), Mm(32)]
        table = self._table(len(rows), widths, ruled=rows[0].style == "grid")
        for row, piece in zip(table.rows, rows):
            for k, (cell, text) in enumerate(zip(row.cells, piece.cells, strict=True)):
                if piece.header_row:
                    cell._tc.get_or_add_tcPr().append(_shading("D9E2F3"))
                if not text:
                    continue
                para = cell.paragraphs[0]
                para.paragraph_format.space_after = Pt(2)
                if k >= 2 and not piece.header_row:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = para.add_run(text)
                run.font.size, run.bold = Pt(10), piece.header_row or k == 0 or None
        for r, piece in enumerate(rows):
            for k, span in enumerate(piece.spans):
                if span > 1:
                    table.cell(r, k).merge(table.cell(r + span - 1, k))

    def _fields_table(self, rows: list[Piece]) -> None:
        """Field labels beside empty answer boxes, one or two pairs to a row, no rulings between: in
        ruled forms each box is ruled round, in shaded forms it is shaded grey and its label is set
        flush right against it."""
        shaded = rows[0].style.startswith("formshade")
        n = max(len(r.cells) for r in rows)
        table = self._table(len(rows), [Mm(w) for w in ((40, self.house.text_mm / 2 - 40) * (n // 2))], ruled=False)
        ruled_box = (
            f"<w:tcBorders {nsdecls('w')}>"
            + "".join(
                f'<w:{side} w:val="single" w:sz="6" w:color="000000"/>' for side in ("top", "left", "bottom", "right")
            )
            + "</w:tcBorders>"
        )
        for row, piece in zip(table.rows, rows):
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            cells = list(row.cells)
            if len(piece.cells) < n:  # one pair in a row of two: its box takes the rest of the row
                cells = [cells[0], cells[1].merge(cells[-1])]
            for cell, text in zip(cells, piece.cells, strict=True):
                para = cell.paragraphs[0]
                para.paragraph_format.space_after = Pt(3)
                if text:
                    para.add_run(text).font.size = Pt(10)
                    if shaded:
                        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                else:
                    cell._tc.get_or_add_tcPr().append(_shading("D9D9D9") if shaded else parse_xml(ruled_box))


# -- reading the pages back --------------------------------------------------------------------------


def _n_pages(pdf: Path) -> int:
    with closing(pdfium.PdfDocument(str(pdf))) as doc:
        return len(doc)


def _body_tokens(pdf: Path) -> Iterator[tuple[int, str]]:
    """(page number, token) of each page's text between header and footer (where the body lies)."""
    with closing(pdfium.PdfDocument(str(pdf))) as doc:
        for i, page in enumerate(doc, start=1):
            for tok in tokenize(_body_text(page)):
                yield i, tok


def _body_text(page: pdfium.PdfPage) -> str:
    margin = FURNITURE_MM / 25.4 * 72
    width, height = page.get_size()
    return page.get_textpage().get_text_bounded(0, margin, width, height - margin)


def _read_back(doc: SynthDoc, lang: str, pdf: Path) -> list[str]:
    """Give every piece and note of ``lang`` the pages its words were printed on; the contents lines
    whose printed page number is not their heading's page (empty when all agree)."""
    pieces = _pieces(doc.front + doc.toc, lang) + _pieces(doc.content_units(), lang)
    items: list[Piece | Note] = []
    for p in pieces:
        items.append(p)
        if p.note is not None:
            items.append(p.note)
    gold: list[str] = []
    spans = []
    for item in items:
        if isinstance(item, Note):
            text = item.text
        elif item.target is not None or item.cells:
            text = f"{item.label} {item.text}" if item.target is not None else item.gold
        else:
            text = item.gold
        start = len(gold)
        gold += tokenize(text)
        spans.append((start, len(gold)))
    body = list(_body_tokens(pdf))
    matched = dict(match_tokens(gold, [t for _, t in body], [s for s, _ in spans]))
    lost = []
    for item, (a, b) in zip(items, spans):
        hits = [matched[i] for i in range(a, b) if i in matched]
        item.pages[:] = sorted({body[j][0] for j in hits})
        if len(hits) < 0.8 * (b - a) or not hits:
            lost.append(f"{item.text[:50]!r} ({len(hits)}/{b - a} words)")
    if lost:
        raise RuntimeError(f"{pdf.name}: {len(lost)} pieces not found as printed, e.g. {lost[:3]}")
    entries = [p for p in items if isinstance(p, Piece) and p.target is not None]
    with closing(pdfium.PdfDocument(str(pdf))) as pdf_doc:
        pages = sorted({n for p in entries for n in p.pages})
        printed = [int(n) for i in pages for n in _TOC_NUMBER.findall(_body_text(pdf_doc[i - 1]))]
    expected = [p.target.pages[0] for p in entries if p.target is not None]
    numbers = iter(printed)
    return [] if all(n in numbers for n in expected) else [f"printed {printed}, headings on {expected}"]
