"""Writers for blocks and alignments (TSV, CSV, JSONL, TMX)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

import pandas as pd

from .errors import AlignerError
from .files import atomic_output
from .records import Block

BLOCK_COLUMNS = ["id", "kind", "level", "label", "page", "end_page", "x0", "top", "x1", "bottom",
                 "font_size", "bold", "footnote_refs", "text"]


def blocks_to_frame(blocks: Iterable[Block]) -> pd.DataFrame:
    rows = []
    for b in blocks:
        x0, top, x1, bottom = b.bbox
        rows.append({
            "id": b.id, "kind": b.kind.value, "level": b.level, "label": b.label, "page": b.page,
            "end_page": b.end_page if b.end_page is not None else b.page,
            "x0": round(x0, 1), "top": round(top, 1), "x1": round(x1, 1), "bottom": round(bottom, 1),
            "font_size": round(b.font_size, 1), "bold": b.bold,
            "footnote_refs": " ".join(b.footnote_refs), "text": b.text,
        })
    return pd.DataFrame(rows, columns=BLOCK_COLUMNS).astype({"level": "Int64"})


def write_blocks(blocks: Iterable[Block], path: str | os.PathLike) -> None:
    """Write blocks as .tsv or .jsonl, chosen from the extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".tsv":
        frame = blocks_to_frame(blocks)
        with atomic_output(path) as fh:
            frame.to_csv(fh, sep="\t", index=False, lineterminator="\n")
    elif suffix == ".jsonl":
        with atomic_output(path) as fh:
            for b in blocks:
                fh.write(json.dumps(b.to_dict(), ensure_ascii=False) + "\n")
    else:
        raise AlignerError(f"cannot write blocks as {suffix or 'a file without extension'}: use .tsv or .jsonl")
