"""Writers for blocks and alignments (TSV, CSV, JSONL, TMX), and the reader for our own outputs.

Alignment formats (chosen from the extension):

* **TSV** - the corpus. One row per link in link order, columns ``ALIGNMENT_COLUMNS``: ``en``,
  ``cy`` (the paragraphs of a many-to-one side joined by `` ¶ ``, the gold files' convention;
  empty for a one-sided link), ``link`` (``2-1``), ``score``, ``en_ids``/``cy_ids`` (block ids
  joined by ``,``), ``en_page``/``cy_page`` (``N`` or ``N-M``), ``section`` (the enclosing
  headings, English side unless the link is Welsh-only, joined by `` > ``), ``kind`` (block kinds
  of that side), ``en_kinds``/``cy_kinds`` (one per block), ``flags``. No quoting at all: tabs and
  line breaks in a text become spaces, so ``cut``, ``awk`` and spreadsheet imports read it as is
  and a text starting with ``#`` or ``"`` stays intact (pandas: ``quoting=csv.QUOTE_NONE``).
  Every block of both documents is in exactly one row (``aligner.io.rows.check_alignment``); ``min_score`` never
  removes a row.
* **CSV** - the same columns with standard CSV quoting.
* **JSONL** - the richest: one object per link with the full block records of both sides
  (ids, pages, kinds, levels, labels, bbox, font size).
* **TMX** - see ``aligner.io.tmx``: two-sided links scoring at least ``min_score``.

Provenance is not written as ``#`` comment lines inside the TSV (naive readers would take them
for data). TSV, CSV and JSONL get a sidecar ``OUT.EXT.json`` with the settings signature (see
``aligner.io.provenance``), the full ``Alignment.settings``, the input file names, sha256 and pages,
and the link counts; the TMX carries the same in its header.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from aligner.errors import AlignerError
from aligner.files import atomic_output
from aligner.io.provenance import provenance
from aligner.io.rows import LinkRow, SentenceRow, check_alignment, link_rows, one_line, page_span, sentence_rows
from aligner.io.tmx import write_tmx
from aligner.records import (
    PILCROW,
    Alignment,
    Block,
    BlockKind,
    Document,
    Link,
    LinkFlag,
    SentenceLink,
    kind_from_note,
)

BLOCK_COLUMNS = [
    "id",
    "kind",
    "level",
    "label",
    "page",
    "end_page",
    "x0",
    "top",
    "x1",
    "bottom",
    "font_size",
    "bold",
    "footnote_refs",
    "text",
]


def blocks_to_frame(blocks: Iterable[Block]) -> pd.DataFrame:
    rows = []
    for b in blocks:
        x0, top, x1, bottom = b.bbox
        rows.append(
            {
                "id": b.id,
                "kind": b.kind.value,
                "level": b.level,
                "label": b.label,
                "page": b.page,
                "end_page": b.end_page if b.end_page is not None else b.page,
                "x0": round(x0, 1),
                "top": round(top, 1),
                "x1": round(x1, 1),
                "bottom": round(bottom, 1),
                "font_size": round(b.font_size, 1),
                "bold": b.bold,
                "footnote_refs": " ".join(b.footnote_refs),
                "text": b.text,
            }
        )
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


# --- alignments -------------------------------------------------------------------------------

"""Joins the paragraphs of one side of a many-to-one link in a cell (as in the gold files)."""

ALIGNMENT_COLUMNS = [
    "en",
    "cy",
    "link",
    "score",
    "en_ids",
    "cy_ids",
    "en_page",
    "cy_page",
    "section",
    "kind",
    "en_kinds",
    "cy_kinds",
    "flags",
]
ALIGNMENT_FORMATS = ("tsv", "tmx", "csv", "jsonl")
LEVELS = ("paragraph", "sentence", "both")
"""What an output holds: paragraph links, the sentence links inside them, or both (paragraphs first)."""
LEVEL_COLUMNS = ["level", "paragraph_link"]
"""Added after ``ALIGNMENT_COLUMNS`` at sentence level and both: the row's level, and the 1-based row
number of its paragraph link among the paragraph links (the paragraph TMX unit's ``tuid``)."""
SIDECAR_SUFFIX = ".json"


def _kinds(blocks: tuple[Block, ...]) -> list[str]:
    return [b.kind.value for b in blocks]


def _record(
    link: Link | SentenceLink,
    texts: tuple[str, str],
    ids: tuple[str, str],
    blocks: tuple[tuple[Block, ...], tuple[Block, ...]],
    section: str,
) -> dict[str, object]:
    """The columns a paragraph row and a sentence row share, in ALIGNMENT_COLUMNS order."""
    en, cy = blocks
    return {
        "en": texts[0],
        "cy": texts[1],
        "link": link.kind,
        "score": round(float(link.score), 4),
        "en_ids": ids[0],
        "cy_ids": ids[1],
        "en_page": page_span(en),
        "cy_page": page_span(cy),
        "section": section,
        "kind": ",".join(dict.fromkeys(_kinds(en or cy))),
        "en_kinds": ",".join(_kinds(en)),
        "cy_kinds": ",".join(_kinds(cy)),
        "flags": ",".join(link.flags),
    }


def row_record(row: LinkRow) -> dict[str, object]:
    """The flat TSV/CSV record of one link."""
    texts = (PILCROW.join(one_line(b.text) for b in row.en), PILCROW.join(one_line(b.text) for b in row.cy))
    ids = (",".join(b.id for b in row.en), ",".join(b.id for b in row.cy))
    return _record(row.link, texts, ids, (row.en, row.cy), row.section)


def alignment_to_frame(alignment: Alignment) -> pd.DataFrame:
    """One row per link in link order; every block of both documents is in exactly one row."""
    return pd.DataFrame([row_record(r) for r in link_rows(alignment)], columns=ALIGNMENT_COLUMNS)


def _jsonl_record(row: LinkRow) -> dict[str, object]:
    return {
        "n": row.index + 1,
        "link": row.link.kind,
        "score": round(float(row.link.score), 4),
        "flags": list(row.link.flags),
        "section": row.section,
        "en": [b.to_dict() for b in row.en],
        "cy": [b.to_dict() for b in row.cy],
    }


def sentence_record(row: SentenceRow) -> dict[str, object]:
    """The flat TSV/CSV record of one sentence link: sentence texts, sentence ids (``BLOCKID-sN``)."""
    record = _record(row.link, (row.en_text, row.cy_text), (row.en_ids, row.cy_ids), (row.en, row.cy), row.section)
    return {**record, "level": "sentence", "paragraph_link": row.paragraph + 1}


def _sentence_jsonl_record(row: SentenceRow) -> dict[str, object]:
    return {
        "level": "sentence",
        "n": row.index + 1,
        "paragraph_link": row.paragraph + 1,
        "link": row.link.kind,
        "score": round(float(row.link.score), 4),
        "flags": list(row.link.flags),
        "section": row.section,
        "en": row.en_text,
        "cy": row.cy_text,
        "en_ids": row.en_ids.split(",") if row.en_ids else [],
        "cy_ids": row.cy_ids.split(",") if row.cy_ids else [],
        "en_page": page_span(row.en),
        "cy_page": page_span(row.cy),
    }


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise AlignerError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")


def _format_of(path: Path, fmt: str | None) -> str:
    name = (fmt or path.suffix).lower().lstrip(".")
    if name not in ALIGNMENT_FORMATS:
        shown = f"'.{name}'" if name else "a file without extension"
        raise AlignerError(f"cannot write an alignment as {shown}: use .tsv, .tmx, .csv or .jsonl")
    return name


def sidecar_path(path: str | os.PathLike) -> Path:
    """Where the settings of a TSV/CSV/JSONL output are kept: ``OUT.tsv.json``."""
    return Path(f"{path}{SIDECAR_SUFFIX}")


def write_alignment(
    alignment: Alignment,
    path: str | os.PathLike,
    fmt: str | None = None,
    min_score: float = 0.0,
    level: str = "paragraph",
) -> None:
    """Write ``alignment`` as TSV, CSV, JSONL or TMX (from ``fmt`` or the extension), atomically.

    TSV, CSV and JSONL keep every link, whatever its score, and get a sidecar ``OUT.EXT.json`` with
    the provenance; the TMX keeps the two-sided links scoring at least ``min_score`` and carries the
    provenance in its header. ``level`` "sentence" writes the sentence links instead of the paragraph
    links, "both" the paragraph links then the sentence links (with ``LEVEL_COLUMNS``; in a TMX each
    ``<tu>`` has its own ``segtype``); both need ``alignment.sentence_links``.
    """
    path = Path(path)
    kind = _format_of(path, fmt)
    _check_level(level)
    rows = link_rows(alignment) if level != "sentence" else []
    srows = sentence_rows(alignment) if level != "paragraph" else []
    meta = provenance(alignment, min_score)
    if kind == "tmx":
        with atomic_output(path, "wb", encoding=None) as fh:
            write_tmx(rows, fh, meta, min_score=min_score, sentence_rows=srows, level=level)
        return
    columns = ALIGNMENT_COLUMNS if level == "paragraph" else ALIGNMENT_COLUMNS + LEVEL_COLUMNS
    paragraph_extra = {"level": "paragraph"} if level == "both" else {}
    if kind == "jsonl":
        with atomic_output(path) as fh:
            for row in rows:
                record = {**paragraph_extra, **_jsonl_record(row)}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            for srow in srows:
                fh.write(json.dumps(_sentence_jsonl_record(srow), ensure_ascii=False) + "\n")
    else:
        records = [
            {**row_record(r), **({"level": "paragraph", "paragraph_link": r.index + 1} if paragraph_extra else {})}
            for r in rows
        ] + [sentence_record(r) for r in srows]
        frame = pd.DataFrame(records, columns=columns)
        with atomic_output(path) as fh:
            if kind == "csv":
                frame.to_csv(fh, index=False, lineterminator="\n")
            else:
                _write_tsv(frame, fh)
    counts = Counter(r.link.kind for r in rows)
    meta.update(
        {
            "format": kind,
            "file": path.name,
            "columns": columns if kind != "jsonl" else None,
            "links": len(rows),
            "link_counts": dict(sorted(counts.items())),
        }
    )
    if level != "paragraph":
        meta["level"] = level
        meta["sentence_links"] = len(srows)
        meta["sentence_link_counts"] = dict(sorted(Counter(r.link.kind for r in srows).items()))
    with atomic_output(sidecar_path(path)) as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")


def _write_tsv(frame: pd.DataFrame, fh) -> None:
    """Plain TSV with no quoting at all: cells never hold a tab or newline (see ``aligner.io.rows.one_line``)."""
    fh.write("\t".join(frame.columns) + "\n")
    for values in frame.itertuples(index=False):
        fh.write("\t".join("" if v is None else f"{v:.4f}" if isinstance(v, float) else str(v) for v in values) + "\n")


# --- reading back -----------------------------------------------------------------------------

_BLOCK_ID = re.compile(r"^p(\d+)-b(\d+)$")


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a TSV (no quoting, as we and the gold files write it) or a CSV into a frame of strings."""
    path = Path(path)
    if not path.is_file():
        raise AlignerError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in (".tsv", ".csv", ".txt"):
        raise AlignerError(f"{path}: not an alignment table: give a .tsv or .csv file (or our .jsonl output)")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise AlignerError(f"{path}: cannot be read as a table ({reason})") from exc
    missing = [c for c in ("en", "cy") if c not in frame.columns]
    if missing:
        raise AlignerError(f"{path}: no {' or '.join(missing)} column (found: {', '.join(map(str, frame.columns))})")
    return frame


class _SideReader:
    """Collects one language's blocks from the cells of a table, remembering which row made them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.blocks: list[Block] = []
        self.per_page: Counter[int] = Counter()

    def add_cell(self, row: dict[str, str], line: int) -> list[int]:
        ids = [i for i in row.get(f"{self.lang}_ids", "").replace(" ", ",").split(",") if i]
        cell = row[self.lang]
        texts = [t.strip() for t in cell.split(PILCROW)] if cell.strip() else [""] * len(ids)
        if not texts:
            return []
        kinds = [k for k in row.get(f"{self.lang}_kinds", "").split(",") if k]
        if ids and len(ids) != len(texts):
            raise AlignerError(f"line {line}: {len(ids)} {self.lang} ids but {len(texts)} paragraphs")
        pages = row.get(f"{self.lang}_page", "").strip()
        first, _, last = pages.partition("-")
        start = int(first) if first.isdigit() else 1
        end = int(last) if last.isdigit() else start
        out = []
        for n, text in enumerate(texts):
            if ids:
                block_id = ids[n]
                parsed = _BLOCK_ID.match(block_id)
                page = int(parsed.group(1)) if parsed else start
            else:
                page = start
                self.per_page[page] += 1
                block_id = f"p{page}-b{self.per_page[page]}"
            if len(kinds) == len(texts):
                kind = BlockKind(kinds[n])
            elif row.get("kind") and len(texts) == 1 and "," not in row["kind"]:
                kind = BlockKind(row["kind"])
            else:
                kind = kind_from_note(row.get("note", "")) if len(texts) == 1 else BlockKind.PARAGRAPH
            last_page = end if n == len(texts) - 1 and end != page else None
            self.blocks.append(
                Block(
                    id=block_id,
                    kind=kind,
                    text=text,
                    page=page,
                    bbox=(0.0, 0.0, 0.0, 0.0),
                    font_size=0.0,
                    bold=False,
                    end_page=last_page,
                )
            )
            out.append(len(self.blocks) - 1)
        return out

    def reading_order(self) -> list[int]:
        """Block positions sorted into reading order when every id is ``p{page}-b{n}``, else as read."""
        keys = [_BLOCK_ID.match(b.id) for b in self.blocks]
        if all(keys) and len({b.id for b in self.blocks}) == len(self.blocks):
            found = [k for k in keys if k is not None]
            return sorted(range(len(self.blocks)), key=lambda i: (int(found[i].group(1)), int(found[i].group(2))))
        return list(range(len(self.blocks)))


def _document(lang: str, blocks: list[Block], info: dict) -> Document:
    pages = max((b.end_page or b.page for b in blocks), default=0)
    return Document(
        path=info.get("path", ""),
        lang=lang,
        n_pages=int(info.get("n_pages") or pages),
        blocks=tuple(blocks),
        removed=tuple(info.get("removed") or ()),
    )


def _read_sidecar(path: Path) -> dict:
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        return json.loads(side.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AlignerError(f"{side}: unreadable settings sidecar ({exc})") from exc


def _flags(values: Iterable[str], path: Path) -> tuple[LinkFlag, ...]:
    known = {f.value for f in LinkFlag}
    unknown = sorted({v for v in values if v and v not in known})
    if unknown:
        raise AlignerError(f"{path}: unknown link flag(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return tuple(LinkFlag(v) for v in values if v)


def _remap(indices: list[int], order: list[int]) -> tuple[int, ...]:
    position = {old: new for new, old in enumerate(order)}
    return tuple(sorted(position[i] for i in indices))


def _read_jsonl(path: Path) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise AlignerError(f"{path}:{line_no}: not JSON ({exc})") from exc
    return records


def read_alignment(path: str | os.PathLike) -> Alignment:
    """Read an alignment written by ``write_alignment`` (TSV, CSV or JSONL, with its sidecar if present).

    Also reads a gold TSV (``en``, ``cy``, ``en_page``, ``cy_page``, ``note``): blocks then get ids
    ``p{page}-b{n}`` in row order and their kind from the note. TSV/CSV blocks have no geometry
    (bbox zero, font size 0); JSONL keeps the full block records. Of a file written with level "both"
    the paragraph rows are read (sentence links are not read back); a sentence-level file is refused.
    """
    path = Path(path)
    meta = _read_sidecar(path)
    if meta.get("level") == "sentence":
        raise AlignerError(f"{path}: a sentence-level file cannot be read back; write level 'paragraph' or 'both'")
    inputs = meta.get("inputs", {})
    sides = {"en": _SideReader("en"), "cy": _SideReader("cy")}
    raw_links: list[tuple[list[int], list[int], float, tuple[LinkFlag, ...]]] = []
    if path.suffix.lower() == ".jsonl":
        if not path.is_file():
            raise AlignerError(f"{path}: no such file")
        for rec in _read_jsonl(path):
            if rec.get("level") == "sentence":
                continue
            idx: dict[str, list[int]] = {}
            for lang in ("en", "cy"):
                reader = sides[lang]
                idx[lang] = []
                for d in rec.get(lang, []):
                    reader.blocks.append(Block.from_dict(d))
                    idx[lang].append(len(reader.blocks) - 1)
            raw_links.append((idx["en"], idx["cy"], float(rec.get("score", 1.0)), _flags(rec.get("flags", []), path)))
    else:
        frame = read_table(path)
        for line, row in enumerate(frame.to_dict("records"), 2):
            if row.get("level") == "sentence":
                continue
            try:
                cells = {str(k): str(v) for k, v in row.items()}
                en_idx, cy_idx = sides["en"].add_cell(cells, line), sides["cy"].add_cell(cells, line)
                score = float(row["score"]) if row.get("score", "").strip() else 1.0
            except ValueError as exc:
                raise AlignerError(f"{path}: line {line}: {exc}") from exc
            if en_idx or cy_idx:
                raw_links.append((en_idx, cy_idx, score, _flags(row.get("flags", "").split(","), path)))
    orders = {lang: reader.reading_order() for lang, reader in sides.items()}
    docs = {
        lang: _document(lang, [sides[lang].blocks[i] for i in orders[lang]], inputs.get(lang, {})) for lang in sides
    }
    links = tuple(
        Link(_remap(en, orders["en"]), _remap(cy, orders["cy"]), score, flags) for en, cy, score, flags in raw_links
    )
    alignment = Alignment(docs["en"], docs["cy"], links, dict(meta.get("settings") or {}))
    check_alignment(alignment)
    return alignment
