"""Alignments built from the hand-checked gold TSVs, with problems planted where a test needs them.

The gold pairs are clean (every paragraph has its counterpart), so a report on them must be quiet,
and anything a test plants is the only thing it should find.
"""

from __future__ import annotations

import csv
from pathlib import Path

from aligner.records import Alignment, Block, BlockKind, Document, Link
from devtools.devdata import shared_data_dir

SHARED_DATA = shared_data_dir()
GOLD_DIR = SHARED_DATA / "gold"
PILCROW = " ¶ "


def gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.gold.tsv")) if GOLD_DIR.is_dir() else []


def _kind(note: str) -> tuple[BlockKind, int | None]:
    if note.startswith("title"):
        return BlockKind.HEADING, 1
    if note.startswith("heading"):
        return BlockKind.HEADING, 2
    if note.startswith("toc"):
        return BlockKind.TOC_ENTRY, None
    if note.startswith("list item"):
        return BlockKind.LIST_ITEM, None
    return BlockKind.PARAGRAPH, None


class _Side:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.per_page: dict[int, int] = {}

    def add(self, text: str, page: int, kind: BlockKind, level: int | None) -> int:
        n = self.per_page[page] = self.per_page.get(page, 0) + 1
        self.blocks.append(
            Block(
                id=f"p{page}-b{n}",
                kind=kind,
                text=text,
                page=page,
                bbox=(50.0, 50.0 + 20 * n, 500.0, 65.0 + 20 * n),
                font_size=11.0,
                bold=kind is BlockKind.HEADING,
                level=level,
            )
        )
        return len(self.blocks) - 1


def gold_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def alignment_from_rows(rows: list[dict[str, str]], name: str = "gold") -> Alignment:
    """One block per paragraph, one link per row; an empty cell makes a one-sided link."""
    en, cy = _Side(), _Side()
    links = []
    for row in rows:
        kind, level = _kind(row.get("note", ""))
        if "merge" in row.get("note", ""):
            kind, level = BlockKind.PARAGRAPH, None
        en_idx = tuple(
            en.add(t, int(str(row["en_page"]).split("-")[0] or 1), kind, level) for t in row["en"].split(PILCROW) if t
        )
        cy_idx = tuple(
            cy.add(t, int(str(row["cy_page"]).split("-")[0] or 1), kind, level) for t in row["cy"].split(PILCROW) if t
        )
        links.append(Link(en=en_idx, cy=cy_idx, score=float(row.get("score", 1.0))))
    pages = lambda side: max((b.page for b in side.blocks), default=1)
    return Alignment(
        en=Document(path=f"{name}.en.pdf", lang="en", n_pages=pages(en), blocks=tuple(en.blocks)),
        cy=Document(path=f"{name}.cy.pdf", lang="cy", n_pages=pages(cy), blocks=tuple(cy.blocks)),
        links=tuple(links),
        settings={"source": name, "built_by": "tests/report_support.py"},
    )


def gold_alignment(path: Path) -> Alignment:
    return alignment_from_rows(gold_rows(path), name=path.name.removesuffix(".gold.tsv"))


def split_row(rows: list[dict[str, str]], i: int) -> list[dict[str, str]]:
    """Row i becomes an English-only row followed by a Welsh-only row (the aligner failed to pair them)."""
    row = rows[i]
    return [*rows[:i], {**row, "cy": ""}, {**row, "en": ""}, *rows[i + 1 :]]


def drop_side(rows: list[dict[str, str]], i: int, side: str) -> list[dict[str, str]]:
    """Plant an omission (side='cy': English paragraph left untranslated) or an addition (side='en')."""
    return [*rows[:i], {**rows[i], side: ""}, *rows[i + 1 :]]


def set_cell(rows: list[dict[str, str]], i: int, side: str, text: str) -> list[dict[str, str]]:
    return [*rows[:i], {**rows[i], side: text}, *rows[i + 1 :]]


__all__ = [
    "GOLD_DIR",
    "SHARED_DATA",
    "alignment_from_rows",
    "drop_side",
    "gold_alignment",
    "gold_files",
    "gold_rows",
    "set_cell",
    "split_row",
]
