"""The parallel document model of a synthetic report: what is printed in each edition, unit by unit.

A ``Unit`` is one gold row: the pieces (printed blocks) it covers in English and in Welsh. The layout
fills in the pages each piece lands on, so the gold can carry page numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aligner.records import BlockKind

BULLET = "•"
"""Bullets are printed but are not content: gold leaves them out (as the real gold files do)."""


@dataclass(eq=False)
class Note:
    """A footnote: the superscript number follows word ``after_word`` of the piece's text."""

    number: int
    after_word: int
    text: str
    pages: list[int] = field(default_factory=list)


@dataclass(eq=False)
class Piece:
    """One printed block in one language."""

    kind: BlockKind
    text: str
    label: str = ""
    level: int = 1
    note: Note | None = None
    cells: tuple[str, ...] = ()
    """A table row's cells; an empty cell is an answer box (nothing printed), a newline in a cell starts
    a further paragraph of it (a hint in smaller type), which is a unit of its own."""
    spans: tuple[int, ...] = ()
    """For a table row: how many rows each cell covers (a cell spanning rows is printed once, in the
    row where it starts; the rows it covers below hold "" there). Empty means one row each."""
    header_row: bool = False
    target: Piece | None = None
    """For a TOC entry: the heading it points to (its page is printed after the leader dots)."""
    style: str = ""
    """How the piece is set where it differs from its kind's usual look: ``panel`` (in a shaded, ruled
    box), ``contact`` (``lines`` set as short lines with no space between them, one unit), ``plain`` (a
    table row without rulings), ``form`` / ``formshade`` (a form question row: ruled cells, or no rulings
    and shaded answer boxes), ``panels`` / ``figures`` (one row of shaded panels side by side: a title
    or a large figure, then text, each a further paragraph of its cell), ``grid`` / ``gridplain`` (a data
    table, ruled or not, whose first column may span rows)."""
    lines: tuple[str, ...] = ()
    pages: list[int] = field(default_factory=list)

    @property
    def gold(self) -> str:
        """The text as printed, label included, bullets, footnote markers and leader dots left out."""
        if self.cells:
            return " | ".join(c.replace("\n", " ") for c in self.cells if c)
        body = f"{self.label} {self.text}" if self.label and self.label != BULLET else self.text
        if self.target is not None:
            body = f"{body} {self.target.pages[0] if self.target.pages else 0}"
        return body


@dataclass(eq=False)
class Unit:
    """One gold row. ``edit`` names what the Welsh edition did here (empty for a faithful 1-1)."""

    en: list[Piece]
    cy: list[Piece]
    edit: str = ""
    number_change: tuple[str, str] | None = None

    @property
    def link(self) -> str:
        return f"{len(self.en)}-{len(self.cy)}"


@dataclass(eq=False)
class Zone:
    """A run of units set in ``columns`` columns; a new zone starts on a new page."""

    columns: int
    units: list[Unit]


@dataclass(eq=False)
class SynthDoc:
    title: tuple[str, str]
    front: list[Unit]
    """Title-page units (title, subtitle)."""
    toc: list[Unit]
    """The "Contents" heading, then one unit per TOC line (filled in once the page numbers are known)."""
    zones: list[Zone]

    def content_units(self) -> list[Unit]:
        return [u for z in self.zones for u in z.units]
