"""Synthetic English/Welsh report PDF pairs with exact gold, for benchmarking the aligner.

Real parallel text (NTREX-128 news, the UDHR) is laid out as a report with real furniture (title page,
contents, running header, "Page i of N" footer, numbered sections and paragraphs, lists, footnotes, a
table, a two-column part); the Welsh edition carries omitted, added, merged and split paragraphs and,
optionally, changed numbers. Gold conventions are documented in ``docs/synth.md``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from aligner.files import atomic_output
from aligner.records import PILCROW, BlockKind
from devtools.synth.build import build_doc
from devtools.synth.layout import Measure, layout, new_pdf, render
from devtools.synth.model import Piece, SynthDoc, Unit
from devtools.synth.source import load_corpus

PAGE_WORDS = {"en": ("Page", "of"), "cy": ("Tudalen", "o")}
WORDS_PER_PAGE = 430
"""English body words per page, used to choose how much text a target page count needs."""
GOLD_HEADER = ("en", "cy", "kind", "link", "edit", "en_page", "cy_page")
ENGINES = ("fpdf", "docx", "docx-tagged", "docx-restyled", "docx-columns", "docx-chapters")
"""Layout engines: our own (fpdf2), Word DOCX through LibreOffice, the same exported as a tagged PDF,
the same with each edition in a house style of its own (``docx_engine.draw_house_style``), those
house styles with the running text in one or two columns per edition (``draw_article_style``), and
those with running heads that name each part of the document (``draw_report_style``)."""


@dataclass(frozen=True)
class SynthPair:
    en_pdf: Path
    cy_pdf: Path
    gold_tsv: Path
    problems_json: Path
    n_pages_en: int
    n_pages_cy: int


def generate_pair(
    out_dir: Path,
    *,
    source: str = "ntrex",
    target_pages: int = 20,
    seed: int = 0,
    edits: bool = True,
    plant_number_changes: int = 0,
    data_dir: Path | None = None,
    engine: str = "fpdf",
) -> SynthPair:
    """Write ``{source}-p{target_pages}-s{seed}.{en.pdf,cy.pdf,gold.tsv,problems.json}`` into ``out_dir``.

    The same arguments give byte-identical files. ``udhr`` has a fixed length (the whole Declaration,
    about ten pages); ``target_pages`` is met within about 10% for ``ntrex`` and ``mixed`` (``form``,
    printed by the docx engine only, is not measured by our layout and runs longer).
    ``engine="docx"`` prints the same document (same seed, same content and edits) as Word DOCX
    exported to PDF by LibreOffice (``docx_engine``); its files are named ``…-s{seed}-docx.*`` and keep
    the ``.docx`` sources; pages are LibreOffice's, so page counts differ from the target.
    ``engine="docx-tagged"`` exports the same DOCX as a tagged PDF (a structure tree filing every
    line under its paragraph, as Word writes by default for accessibility): ``…-s{seed}-docx-tagged.*``.
    ``engine="docx-restyled"`` sets each edition in a house style drawn from the seed and the language
    (typeface, size, leading, spacing or first-line indents, justification, margins), as two editions
    set by different hands: ``…-s{seed}-docx-restyled.*``. ``engine="docx-columns"`` draws the same
    house styles and sets each edition's running text in one or two columns of its own:
    ``…-s{seed}-docx-columns.*``. ``engine="docx-chapters"`` sets those with a running head that names
    each part of the document (its first heading) instead of the title: ``…-s{seed}-docx-chapters.*``.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    if source in ("form", "card") and not engine.startswith("docx"):
        raise ValueError(f"{source} pairs are printed by the docx engine only (engine='docx')")
    corpus = load_corpus(data_dir)
    out_dir = Path(out_dir)
    base = out_dir / f"{source}-p{target_pages}-s{seed}{'' if engine == 'fpdf' else '-' + engine}"
    words = max(1, target_pages - 3) * WORDS_PER_PAGE
    doc, pages_en, pdf_en, m_en = _attempt(corpus, source, words, seed, edits, plant_number_changes)
    if source not in ("udhr", "form") and abs(len(pages_en) - target_pages) > max(1, 0.08 * target_pages):
        words = int(words * target_pages / len(pages_en))
        doc, pages_en, pdf_en, m_en = _attempt(corpus, source, words, seed, edits, plant_number_changes)
    en_pdf, cy_pdf = base.with_suffix(".en.pdf"), base.with_suffix(".cy.pdf")
    out_dir.mkdir(parents=True, exist_ok=True)
    if engine.startswith("docx"):
        from devtools.synth.docx_engine import (
            draw_article_style,
            draw_house_style,
            draw_report_style,
            render_docx_pair,
        )

        draws = {
            "docx-restyled": draw_house_style,
            "docx-columns": draw_article_style,
            "docx-chapters": draw_report_style,
        }
        styles = None
        if engine in draws:
            styles = {lang: draws[engine](random.Random(f"{seed}:{lang}:house")) for lang in ("en", "cy")}
        n_en, n_cy = render_docx_pair(doc, base, PAGE_WORDS, tagged=engine == "docx-tagged", styles=styles)
    else:
        pdf_cy = new_pdf("cy", doc.title[1])
        m_cy = Measure(pdf_cy)
        pages_cy = layout(doc, "cy", m_cy)
        render(pdf_en, m_en, pages_en, en_pdf, doc.title[0], PAGE_WORDS["en"])
        render(pdf_cy, m_cy, pages_cy, cy_pdf, doc.title[1], PAGE_WORDS["cy"])
        n_en, n_cy = len(pages_en), len(pages_cy)
    rows = gold_rows(doc)
    gold_tsv, problems_json = base.with_suffix(".gold.tsv"), base.with_suffix(".problems.json")
    with atomic_output(gold_tsv) as fh:
        fh.write("\t".join(GOLD_HEADER) + "\n")
        for r in rows:
            fh.write("\t".join(r[k] for k in GOLD_HEADER) + "\n")
    problems = {
        "source": source,
        "target_pages": target_pages,
        "seed": seed,
        "edits": edits,
        "plant_number_changes": plant_number_changes,
        "engine": engine,
        "en_pdf": en_pdf.name,
        "cy_pdf": cy_pdf.name,
        "n_pages_en": n_en,
        "n_pages_cy": n_cy,
        **problem_lists(rows),
    }
    with atomic_output(problems_json) as fh:
        json.dump(problems, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return SynthPair(en_pdf, cy_pdf, gold_tsv, problems_json, n_en, n_cy)


def _attempt(corpus, source, words, seed, edits, plant_number_changes):
    doc = build_doc(corpus, source, words, random.Random(seed), edits, plant_number_changes)
    pdf = new_pdf("en", doc.title[0])
    m = Measure(pdf)
    return doc, layout(doc, "en", m), pdf, m


def _pages(pieces: list[Piece]) -> str:
    nums = [n for p in pieces for n in (p.pages or [])]
    if not nums:
        return ""
    lo, hi = min(nums), max(nums)
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _row(en: list[Piece], cy: list[Piece], kind: str, link: str, edit: str, u: Unit | None = None) -> dict:
    return {
        "en": PILCROW.join(p.gold for p in en),
        "cy": PILCROW.join(p.gold for p in cy),
        "kind": kind,
        "link": link,
        "edit": edit,
        "en_page": _pages(en),
        "cy_page": _pages(cy),
        "_unit": u,
    }


def _cell_rows(u: Unit) -> list[dict]:
    """A table row is printed as one piece per edition, but each of its cells is a unit (the unit
    definition of the real gold): one 1-1 row per cell, and per further paragraph of a cell (a hint
    under a form question); empty cells (answer boxes) print nothing. A planted number change stays
    with the unit that holds it."""
    en, cy = u.en[0], u.cy[0]
    changed = u.number_change[0] if u.number_change else None
    out = []
    for cell_en, cell_cy in zip(en.cells, cy.cells):
        if not cell_en:
            continue
        for text_en, text_cy in zip(cell_en.split("\n"), cell_cy.split("\n"), strict=True):
            mine = changed is not None and changed in text_en
            if mine:
                changed = None
            e = Piece(BlockKind.TABLE_CELL, text_en, pages=en.pages)
            c = Piece(BlockKind.TABLE_CELL, text_cy, pages=cy.pages)
            out.append(_row([e], [c], BlockKind.TABLE_CELL.value, "1-1", u.edit if mine else "", u if mine else None))
    if changed is not None and out:  # the number was not found as printed: the text cell carries it
        k = min(1, len(out) - 1)
        out[k]["edit"], out[k]["_unit"] = u.edit, u
    return out


def gold_rows(doc: SynthDoc) -> list[dict]:
    """One row per gold unit in reading order of the English edition; a footnote's row comes right
    after the row of the paragraph that cites it (the same point in both editions, wherever their
    pages break), several in number order."""
    rows: list[dict] = []
    for u in doc.front + doc.toc + doc.content_units():
        first = (u.en or u.cy)[0]
        if first.cells and len(u.en) == 1 and len(u.cy) == 1:
            rows.extend(_cell_rows(u))
            continue
        rows.append(_row(u.en, u.cy, first.kind.value, u.link, u.edit, u))
        notes = [(pe.note, pc.note) for pe, pc in zip(u.en, u.cy) if pe.note is not None and pc.note is not None]
        for ne, nc in sorted(notes, key=lambda pair: pair[0].number):
            rows.append(
                {
                    "en": ne.text,
                    "cy": nc.text,
                    "kind": "footnote",
                    "link": "1-1",
                    "edit": "",
                    "en_page": _pages([Piece(first.kind, "", pages=ne.pages)]),
                    "cy_page": _pages([Piece(first.kind, "", pages=nc.pages)]),
                    "_unit": None,
                }
            )
    return rows


def problem_lists(rows: list[dict]) -> dict:
    """The planted differences, each with its 1-based gold data row, so a report can be checked."""
    out: dict[str, list] = {"omissions": [], "additions": [], "merges": [], "splits": [], "number_changes": []}
    names = {
        "omitted": "omissions",
        "added": "additions",
        "merged": "merges",
        "split": "splits",
        "number_changed": "number_changes",
    }
    for i, r in enumerate(rows, start=1):
        if r["edit"] not in names:
            continue
        item = {"row": i, "en": r["en"], "cy": r["cy"], "en_page": r["en_page"], "cy_page": r["cy_page"]}
        u = r["_unit"]
        if u is not None and u.number_change:
            item["en_number"], item["cy_number"] = u.number_change
        out[names[r["edit"]]].append(item)
    return out
