"""Page images with each block's box, kind and id drawn: to see what the segmenter saw."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from aligner.errors import InputError
from aligner.pdf.reader import check_pdf_file, turn_as_read
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
    """Write page-NNN.png per page into out_dir; returns the paths written. Each page is turned as the
    reader turned it (aligner.pdf.reader.turn_as_read), so the boxes sit on the text they hold."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    path = check_pdf_file(pdf_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    by_page: dict[int, list[Block]] = {}
    for b in blocks:
        by_page.setdefault(b.page, []).append(b)
    written = []
    scale = resolution / 72
    try:
        pdf = pdfium.PdfDocument(path)
        try:
            for number in range(1, len(pdf) + 1):
                page = pdf[number - 1]
                try:
                    turn_as_read(page)
                    image = page.render(scale=scale).to_pil().convert("RGB")
                finally:
                    page.close()
                draw = ImageDraw.Draw(image)
                for b in by_page.get(number, []):
                    colour = COLOURS.get(b.kind, "#000000")
                    x0, top, x1, bottom = (v * scale for v in b.bbox)
                    draw.rectangle((x0, top, x1, bottom), outline=colour, width=2)
                    draw.text((x0, max(0, top - 11)), f"{b.id} {b.kind.value}", fill=colour)
                target = out / f"page-{number:03d}.png"
                image.save(target)
                written.append(target)
        finally:
            pdf.close()
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: cannot render pages for --debug ({type(exc).__name__}: {exc})") from None
    return written
