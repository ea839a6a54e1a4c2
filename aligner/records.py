"""Plain typed records passed between stages (extract -> segment -> cues/embed -> align -> export/report).

Every stage takes and returns these; none keeps global state.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


class BlockKind(StrEnum):
    """What a block is on the page; a table cell, a list item and a footnote are each their own unit."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    FOOTNOTE = "footnote"
    TABLE_ROW = "table_row"
    TABLE_CELL = "table_cell"
    CAPTION = "caption"
    TOC_ENTRY = "toc_entry"


PILCROW = " \u00b6 "
"""Joins the paragraphs of one side of a many-to-one link in a table cell (our TSV, gold files)."""


def kind_from_note(note: str) -> BlockKind:
    """A block kind from a table's ``kind`` value or a gold file's free-text ``note`` ("list item (…)")."""
    note = note.strip().lower()
    if note in {k.value for k in BlockKind}:
        return BlockKind(note)
    if note.startswith(("heading", "title")):
        return BlockKind.HEADING
    if note.startswith("list"):
        return BlockKind.LIST_ITEM
    return BlockKind.PARAGRAPH


BBox = tuple[float, float, float, float]
"""x0, top, x1, bottom in PDF points, origin at the top-left of the page (pdfplumber convention)."""


@dataclass(frozen=True)
class Block:
    """One paragraph as a reader sees it.

    ``id`` is stable for the same PDF: ``p{page}-b{n}`` where n counts blocks starting on that page
    from 1 in reading order. ``bbox`` is on the start page; ``end_page`` differs from ``page`` when the
    paragraph continues over a page break.
    """

    id: str
    kind: BlockKind
    text: str
    page: int
    bbox: BBox
    font_size: float
    bold: bool
    level: int | None = None
    label: str | None = None
    footnote_refs: tuple[str, ...] = ()
    end_page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["kind"] = self.kind.value
        d["bbox"] = [round(v, 2) for v in self.bbox]
        d["footnote_refs"] = list(self.footnote_refs)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Block:
        return cls(
            id=d["id"],
            kind=BlockKind(d["kind"]),
            text=d["text"],
            page=int(d["page"]),
            bbox=tuple(float(v) for v in d["bbox"]),  # type: ignore[arg-type]
            font_size=float(d["font_size"]),
            bold=bool(d["bold"]),
            level=None if d.get("level") in (None, "") else int(d["level"]),
            label=d.get("label") or None,
            footnote_refs=tuple(d.get("footnote_refs") or ()),
            end_page=None if d.get("end_page") in (None, "") else int(d["end_page"]),
        )


@dataclass(frozen=True)
class Document:
    """A segmented PDF: where it came from and its blocks in reading order."""

    path: str
    lang: str  # "en" or "cy"
    n_pages: int
    blocks: tuple[Block, ...]
    removed: tuple[str, ...] = ()
    """Text removed as running header/footer/page number, and text set at an angle that is not read
    (margin labels, stamps), kept so nothing disappears unexplained."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "lang": self.lang,
            "n_pages": self.n_pages,
            "blocks": [{**b.to_dict(), "bbox": list(b.bbox)} for b in self.blocks],  # unrounded: exact round trip
            "removed": list(self.removed),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        return cls(
            path=str(d["path"]),
            lang=str(d["lang"]),
            n_pages=int(d["n_pages"]),
            blocks=tuple(Block.from_dict(b) for b in d["blocks"]),
            removed=tuple(d.get("removed") or ()),
        )


class LinkFlag(StrEnum):
    """Why a link deserves a second look, or how it was found; written into every output."""

    MOVED = "moved"
    """The Welsh side is printed elsewhere in the Welsh edition (out of order)."""
    ONE_SIDED = "one-sided"
    """Untranslated (1-0) or added (0-1) text."""
    ANCHOR = "anchor"
    """A confident pair that fixed the alignment around it."""
    LENGTH_RATIO = "length-ratio"
    """The two sides' lengths differ more than translations usually do."""
    LOW_SIMILARITY = "low-similarity"
    """The texts are barely more alike than unrelated paragraphs."""
    LABEL_MISMATCH = "label-mismatch"
    """The numbering labels differ (evidence against the link, outweighed by the text)."""
    NUMBER_MISMATCH = "number-mismatch"
    """Numbers, dates or amounts on one side are missing from the other."""


@dataclass(frozen=True)
class Link:
    """One alignment unit: indices into the English and Welsh block lists (either may be empty)."""

    en: tuple[int, ...]
    cy: tuple[int, ...]
    score: float
    """Calibrated confidence in 0..1 that this link is right."""
    flags: tuple[LinkFlag, ...] = ()

    @property
    def kind(self) -> str:
        return f"{len(self.en)}-{len(self.cy)}"


SentenceSpan = tuple[int, int, int]
"""One sentence: (block index in its document, start, end) character offsets in that block's text."""


@dataclass(frozen=True)
class SentenceLink:
    """One sentence-level unit inside a paragraph link (1-1, 1-2, 2-1, 2-2, 1-0, 0-1 between sentences).

    Sentences are kept as character spans of the blocks, so the page, block id and section of every
    sentence come from its block, and nothing in the text is re-normalised.
    """

    link: int
    """Index of the paragraph link in ``Alignment.links`` this unit lies in."""
    en: tuple[SentenceSpan, ...]
    cy: tuple[SentenceSpan, ...]
    score: float
    """Calibrated confidence in 0..1 that this sentence link is right."""
    flags: tuple[LinkFlag, ...] = ()

    @property
    def kind(self) -> str:
        return f"{len(self.en)}-{len(self.cy)}"


def sentence_text(doc: Document, spans: tuple[SentenceSpan, ...]) -> str:
    """The sentences' text, whitespace collapsed; sentences of different blocks are joined by ` ¶ `."""
    parts: list[str] = []
    last_block = None
    for block, start, end in spans:
        text = " ".join(doc.blocks[block].text[start:end].split())
        if last_block is None:
            parts.append(text)
        elif block == last_block:
            parts[-1] += " " + text
        else:
            parts.append(text)
        last_block = block
    return PILCROW.join(parts)


@dataclass(frozen=True)
class Alignment:
    en: Document
    cy: Document
    links: tuple[Link, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    """Everything that produced this result (tool version, model, thresholds), written into outputs."""
    sentence_links: tuple[SentenceLink, ...] | None = None
    """Sentence alignment inside the paragraph links, in link order (None: not computed; see
    ``aligner.align_sentences``). Every sentence of every block is in exactly one of them."""

    def to_dataframe(self) -> pd.DataFrame:
        """One row per link with the TSV's columns (texts, link kind, score, ids, pages, section, flags).

        A convenience for pandas users; the rows are built by the output stage (aligner.io), the one
        place that formats links, which is why this is the records module's only import from above.
        """
        from aligner.io.tabular import alignment_to_frame

        return alignment_to_frame(self)
