"""Links with both sides' blocks resolved: what every writer and the report format.

Also the checks every writer runs (each block in exactly one link) and the helpers they share
(page spans, section paths, one-line cells), so no two outputs spell these differently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from aligner.errors import AlignerError
from aligner.records import Alignment, Block, BlockKind, Document, Link, SentenceLink, SentenceSpan, sentence_text

SECTION_SEPARATOR = " > "
"""Joins the enclosing headings of a block into its section path (TSV ``section`` column, report)."""

_CONTROL = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """One line of text, so a TSV cell never needs quoting."""
    return _CONTROL.sub(" ", text).strip()


@dataclass(frozen=True)
class LinkRow:
    """One link with both sides' blocks resolved; every writer formats these."""

    index: int
    link: Link
    en: tuple[Block, ...]
    cy: tuple[Block, ...]
    section: str

    @property
    def two_sided(self) -> bool:
        return bool(self.en) and bool(self.cy)


def check_alignment(alignment: Alignment) -> None:
    """Raise unless every block of both documents is in exactly one link (nothing dropped or doubled)."""
    for side, doc in (("en", alignment.en), ("cy", alignment.cy)):
        seen = Counter(i for link in alignment.links for i in getattr(link, side))
        n = len(doc.blocks)
        missing = [i for i in range(n) if seen[i] == 0]
        doubled = sorted(i for i, c in seen.items() if c > 1)
        outside = sorted(i for i in seen if not 0 <= i < n)
        if missing or doubled or outside:
            problems = [
                f"{label} {values[:5]}{'...' if len(values) > 5 else ''}"
                for label, values in (("missing", missing), ("in several links", doubled), ("out of range", outside))
                if values
            ]
            raise AlignerError(
                f"invalid alignment: {side} blocks "
                + "; ".join(problems)
                + f" (each of the {n} blocks must be in exactly one link)"
            )


def section_paths(doc: Document) -> list[str]:
    """For each block, the texts of its enclosing headings by level, joined with ' > '."""
    stack: list[tuple[int, str]] = []
    paths = []
    for block in doc.blocks:
        if block.kind is BlockKind.HEADING:
            level = block.level or 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            paths.append(SECTION_SEPARATOR.join(text for _, text in stack))
            stack.append((level, one_line(block.text)))
        else:
            paths.append(SECTION_SEPARATOR.join(text for _, text in stack))
    return paths


def link_rows(alignment: Alignment) -> list[LinkRow]:
    check_alignment(alignment)
    en_sections, cy_sections = section_paths(alignment.en), section_paths(alignment.cy)
    rows = []
    for n, link in enumerate(alignment.links):
        section = en_sections[link.en[0]] if link.en else cy_sections[link.cy[0]] if link.cy else ""
        rows.append(
            LinkRow(
                n,
                link,
                tuple(alignment.en.blocks[i] for i in link.en),
                tuple(alignment.cy.blocks[i] for i in link.cy),
                section,
            )
        )
    return rows


def pages_of(blocks: Iterable[Block]) -> tuple[int, ...]:
    """Every page the blocks are printed on, in order (a block may run over a page break)."""
    pages: set[int] = set()
    for b in blocks:
        pages.update(range(b.page, (b.end_page or b.page) + 1))
    return tuple(sorted(pages))


def page_range(first: int, last: int, dash: str = "-") -> str:
    """'N', or 'N-M' (``dash`` between) for a run of pages: the one spelling of a page span."""
    return str(first) if first == last else f"{first}{dash}{last}"


def page_span(blocks: Iterable[Block]) -> str:
    """'N', or 'N-M' when the blocks start and end on different pages; '' for no blocks."""
    pages = pages_of(blocks)
    return page_range(pages[0], pages[-1]) if pages else ""


# --- sentence level ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceRow:
    """One sentence link with its blocks resolved; keeps the paragraph link's row so each unit can be
    traced back to its paragraph (``paragraph`` = that link's 0-based row, as ``LinkRow.index``)."""

    index: int
    paragraph: int
    link: SentenceLink
    en_text: str
    cy_text: str
    en: tuple[Block, ...]
    cy: tuple[Block, ...]
    en_ids: str
    """Sentence ids ``BLOCKID-sN`` (N counts the block's sentences from 1), comma-separated."""
    cy_ids: str
    section: str

    @property
    def two_sided(self) -> bool:
        return bool(self.en_text) and bool(self.cy_text)


def _sentence_ids(doc: Document, spans: tuple[SentenceSpan, ...], numbers: dict[SentenceSpan, int]) -> str:
    return ",".join(f"{doc.blocks[b].id}-s{numbers[(b, s, e)]}" for b, s, e in spans)


def sentence_rows(alignment: Alignment) -> list[SentenceRow]:
    """Rows of ``alignment.sentence_links`` (raises if they were not computed)."""
    if alignment.sentence_links is None:
        raise AlignerError("this alignment has no sentence links: align with level='sentence' or 'both'")
    paragraphs = link_rows(alignment)
    numbers: dict[str, dict[SentenceSpan, int]] = {"en": {}, "cy": {}}
    for side in ("en", "cy"):
        spans = sorted({sp for s in alignment.sentence_links for sp in getattr(s, side)})
        count: Counter[int] = Counter()
        for sp in spans:
            count[sp[0]] += 1
            numbers[side][sp] = count[sp[0]]
    rows = []
    for n, s in enumerate(alignment.sentence_links):
        rows.append(
            SentenceRow(
                n,
                s.link,
                s,
                sentence_text(alignment.en, s.en),
                sentence_text(alignment.cy, s.cy),
                tuple(alignment.en.blocks[b] for b in dict.fromkeys(sp[0] for sp in s.en)),
                tuple(alignment.cy.blocks[b] for b in dict.fromkeys(sp[0] for sp in s.cy)),
                _sentence_ids(alignment.en, s.en, numbers["en"]),
                _sentence_ids(alignment.cy, s.cy, numbers["cy"]),
                paragraphs[s.link].section,
            )
        )
    return rows
