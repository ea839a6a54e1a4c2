"""Page images with each block's box, kind and id drawn: to see what the segmenter saw."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from aligner.errors import InputError
from aligner.pdf.reader import check_pdf_file
from aligner.records import Block, BlockKind

COLOURS = {
    BlockKind.HEADING: "#d62728",
    BlockKind.PARAGRAPH: "#1f77b4",
    BlockKind.LIST_ITEM: "#2ca02c",
    BlockKind.FOOTNOTE: "#9467bd",
    BlockKind.TABLE_ROW: "#ff7f0e",
    BlockKind.TABLE_CELL: "#ff7f0e",
    BlockKind.CAPTION: "#8c564b",
    BlockKind.TOC_ENTRY: "#e377c2",
}


def draw_blocks(
    pdf_path: str | os.PathLike, blocks: Iterable[Block], out_dir: str | os.PathLike, resolution: int = 100
) -> list[Path]:
    """Write page-NNN.png per page into out_dir; returns the paths written."""
    import pdfplumber

    path = check_pdf_file(pdf_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    by_page: dict[int, list[Block]] = {}
    for b in blocks:
        by_page.setdefault(b.page, []).append(b)
    written = []
    try:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                image = page.to_image(resolution=resolution)
                for b in by_page.get(number, []):
                    colour = COLOURS.get(b.kind, "#000000")
                    image.draw_rect(b.bbox, stroke=colour, fill=(0, 0, 0, 0), stroke_width=2)
                    image.draw.text(
                        (b.bbox[0] * image.scale, max(0, b.bbox[1] * image.scale - 11)),
                        f"{b.id} {b.kind.value}",
                        fill=colour,
                    )
                target = out / f"page-{number:03d}.png"
                image.save(target)
                written.append(target)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: cannot render pages for --debug ({type(exc).__name__}: {exc})") from None
    return written
