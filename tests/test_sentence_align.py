"""Sentence alignment inside paragraph links: the DP, the records, the writers, and OmegaT.

The DP and writer tests use a toy embedder (no model); the OmegaT test aligns the demo pair in data/
with the real model and runs OmegaT (Debian package ``omegat``) headless on its English side.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from lxml import etree
from omegat_support import omegat_project, run_omegat
from test_tmx_omegat import TMX14_DTD  # the TMX 1.4b DTD subset, kept in one place

import aligner
from aligner.alignment.params import AlignParams
from aligner.alignment.sentences import align_sentences, block_sentences, sentence_path
from aligner.errors import AlignerError
from aligner.io.tabular import ALIGNMENT_COLUMNS, LEVEL_COLUMNS, write_alignment
from aligner.records import Alignment, Block, BlockKind, Document, Link, LinkFlag, sentence_text

OMEGAT = shutil.which("omegat")

TMX_DTD_SEGTYPES = {"block", "paragraph", "sentence", "phrase"}


class ToyEmbedder:
    """Texts that share their first word are translations: one random unit vector per first word."""

    name = "toy"
    dim = 64

    def encode(self, texts):
        out = []
        for t in texts:
            rng = np.random.default_rng(abs(hash(t.split()[0].strip(".").lower())) % 2**32)
            v = rng.normal(size=self.dim) + 0.3 * np.random.default_rng(len(t)).normal(size=self.dim)
            out.append(v / np.linalg.norm(v))
        return np.array(out, dtype=np.float32)


def _doc(lang: str, texts: list[str]) -> Document:
    blocks = tuple(
        Block(f"p1-b{i + 1}", BlockKind.PARAGRAPH, t, 1, (0, 0, 1, 1), 10.0, False) for i, t in enumerate(texts)
    )
    return Document(f"t.{lang}", lang, 1, blocks)


def _toy_alignment() -> Alignment:
    en = _doc(
        "en",
        [
            "Alpha one is here. Bravo two is there. Charlie three stays. Delta four goes home today.",
            "Echo only.",
            "Foxtrot was never translated at all.",
            "Golf begins. Hotel follows.",
        ],
    )
    cy = _doc(
        "cy",
        [
            "Alpha un yma. Bravo dau yno. Delta pedwar yn mynd adref heddiw.",
            "Echo yn unig.",
            "Golf yn dechrau.",
            "Hotel yn dilyn.",
        ],
    )
    links = (Link((0,), (0,), 0.9), Link((1,), (1,), 0.95), Link((2,), (), 0.4, (LinkFlag.ONE_SIDED,)))
    return Alignment(en, cy, (*links, Link((3,), (2, 3), 0.8)), {"tool": "aligner"})


def test_sentence_path_follows_the_gains() -> None:
    good = {((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))}

    def gain(en, cy):
        return 1.0 if (tuple(en), tuple(cy)) in good else -1.0

    path = sentence_path(4, 3, gain)
    assert [(tuple(e), tuple(c)) for e, c in path] == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    assert sentence_path(2, 0, gain) == [([0], []), ([1], [])]


def test_every_sentence_in_exactly_one_link_and_untranslated_ones_left_out(tmp_path: Path) -> None:
    al = align_sentences(_toy_alignment(), embedder=ToyEmbedder(), use_cache=False)
    assert al.sentence_links is not None
    for side in ("en", "cy"):
        doc = getattr(al, side)
        want = sorted(s for i in range(len(doc.blocks)) for s in block_sentences(doc, (i,)))
        assert sorted(s for sl in al.sentence_links for s in getattr(sl, side)) == want
    texts = [(sl.kind, sentence_text(al.en, sl.en), sentence_text(al.cy, sl.cy), sl.link) for sl in al.sentence_links]
    assert ("1-0", "Charlie three stays.", "", 0) in texts
    assert ("1-1", "Echo only.", "Echo yn unig.", 1) in texts, "one sentence a side: kept as it is"
    assert ("1-0", "Foxtrot was never translated at all.", "", 2) in texts
    assert ("1-1", "Hotel follows.", "Hotel yn dilyn.", 3) in texts, "sentences of a 1-2 link across blocks"
    assert all(0.0 <= sl.score <= 1.0 for sl in al.sentence_links)
    assert next(sl for sl in al.sentence_links if sl.link == 1).score == 0.95


def test_tsv_and_tmx_at_sentence_level_and_both(tmp_path: Path) -> None:
    al = align_sentences(_toy_alignment(), embedder=ToyEmbedder(), use_cache=False)
    write_alignment(al, tmp_path / "s.tsv", level="sentence")
    with open(tmp_path / "s.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert list(rows[0]) == ALIGNMENT_COLUMNS + LEVEL_COLUMNS
    assert len(rows) == len(al.sentence_links)
    hotel = next(r for r in rows if r["en"] == "Hotel follows.")
    assert hotel["en_ids"] == "p1-b4-s2" and hotel["cy_ids"] == "p1-b4-s1" and hotel["paragraph_link"] == "4"
    meta = json.loads((tmp_path / "s.tsv.json").read_text(encoding="utf-8"))
    assert meta["level"] == "sentence" and meta["sentence_links"] == len(rows)

    write_alignment(al, tmp_path / "b.tmx", level="both")
    tree = etree.parse(str(tmp_path / "b.tmx"))
    dtd = etree.DTD(io.StringIO(TMX14_DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    assert tree.find("header").get("segtype") in TMX_DTD_SEGTYPES
    units = tree.findall("body/tu")
    segtypes = [tu.get("segtype") for tu in units]
    two_sided_sentences = [sl for sl in al.sentence_links if sl.en and sl.cy]
    assert segtypes.count("paragraph") == 3 and segtypes.count("sentence") == len(two_sided_sentences)
    hotel_tu = next(tu for tu in units if tu.findtext("tuv/seg") == "Hotel follows.")
    props = {p.get("type"): p.text for p in hotel_tu.findall("prop")}
    assert props["x-paragraph-link"] == "4" and hotel_tu.get("tuid") == "4.2"

    write_alignment(al, tmp_path / "s.tmx", level="sentence")
    tree = etree.parse(str(tmp_path / "s.tmx"))
    assert tree.find("header").get("segtype") == "sentence"
    assert all(tu.get("segtype") is None for tu in tree.findall("body/tu"))
    write_alignment(al, tmp_path / "b.jsonl", level="both")
    lines = [json.loads(x) for x in io.StringIO((tmp_path / "b.jsonl").read_text(encoding="utf-8"))]
    assert [x["level"] for x in lines].count("sentence") == len(al.sentence_links)


def test_sentence_level_needs_sentence_links(tmp_path: Path) -> None:
    with pytest.raises(AlignerError, match="no sentence links"):
        write_alignment(_toy_alignment(), tmp_path / "s.tsv", level="sentence")
    with pytest.raises(AlignerError, match="unknown level"):
        write_alignment(_toy_alignment(), tmp_path / "s.tsv", level="word")
    with pytest.raises(AlignerError, match="unknown level"):
        aligner.align(_toy_alignment().en, _toy_alignment().cy, level="word")


def test_sentence_params_are_recorded_and_read_from_options() -> None:
    params = AlignParams.from_options({"sentences": {"sem_threshold": 0.5}})
    assert params.sentences.sem_threshold == 0.5


# --- OmegaT -----------------------------------------------------------------------------------


OMEGAT_FILTERS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters removeTags="false" removeSpacesNonseg="true" preserveSpaces="false" ignoreFileContext="false">
  <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
    <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}"
      sourceEncoding="UTF-8" targetEncoding="UTF-8"/>
    <option name="segmentOn" value="BREAKS"/>
  </filter>
</filters>
"""
"""OmegaT's plain-text filter joins lines into paragraphs up to an empty line by default, so a heading
(no full stop) would fuse with the next line into one segment; one paragraph per line needs BREAKS."""


def _omegat_project(root: Path, tmx: Path, paragraphs: list[str]) -> Path:
    """Sentence segmentation on (OmegaT's default rules); the English side as plain text, one paragraph
    per line (filters.xml makes each line a paragraph)."""
    return omegat_project(root, tmx, "\n".join(paragraphs) + "\n", sentence_seg=True, filters_xml=OMEGAT_FILTERS)


def _omegat_fills(alignment: Alignment, tmx: Path, root: Path) -> tuple[int, int]:
    """(English sentences of two-sided sentence links whose Welsh OmegaT put in the target, all of them)."""
    paragraphs = [" ".join(b.text.split()) for b in alignment.en.blocks]
    project = _omegat_project(root, tmx, paragraphs)
    run = run_omegat(OMEGAT, project, root / "home")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "tm/auto/aligner.tmx" in run.stdout + run.stderr, "OmegaT did not load the TMX"
    target = " ".join((project / "target" / "leaflet.txt").read_text(encoding="utf-8").split())
    links = [sl for sl in alignment.sentence_links or () if sl.en and sl.cy]
    welsh: dict[str, set[str]] = {}
    for sl in links:  # a sentence repeated with two translations gets one of them in every place
        welsh.setdefault(sentence_text(alignment.en, sl.en), set()).add(sentence_text(alignment.cy, sl.cy))
    filled = total = 0
    for sl in links:
        total += len(sl.en)
        options = {cy.replace(" ¶ ", " ") for cy in welsh[sentence_text(alignment.en, sl.en)]}
        filled += len(sl.en) * any(cy in target for cy in options)
    return filled, total


@pytest.mark.slow
@pytest.mark.skipif(OMEGAT is None, reason="OmegaT not installed (Debian: apt-get install -y omegat)")
def test_omegat_fills_the_sentences_from_the_sentence_tmx(demo_pair_alignment, embedding_cache, tmp_path) -> None:
    al = aligner.align_sentences(demo_pair_alignment, cache_dir=embedding_cache)
    results = {}
    for level in ("sentence", "paragraph"):
        tmx = tmp_path / level / "aligner.tmx"
        tmx.parent.mkdir()
        write_alignment(al, tmx, level=level)
        results[level] = _omegat_fills(al, tmx, tmp_path / level)
    for level, (filled, total) in results.items():
        print(f"OmegaT, {level}-level TMX: Welsh filled in for {filled} of {total} English sentences")
    filled, total = results["sentence"]
    assert total >= 60 and filled >= 0.95 * total
    assert filled >= results["paragraph"][0]


def test_cli_level_both_writes_paragraph_and_sentence_units(demo_pair_alignment, embedding_cache, tmp_path) -> None:
    """`aligner align --level both`: one TMX with segtype on each unit, a TSV with the level columns."""
    demo = Path(__file__).resolve().parents[1] / "data" / "moj-fixed-recall"
    tmx, tsv = tmp_path / "both.tmx", tmp_path / "both.tsv"
    proc = subprocess.run(
        [sys.executable, "-m", "aligner", "align", str(demo / "fixed-recall.en.pdf"), str(demo / "fixed-recall.cy.pdf")]
        + ["-o", str(tmx), "-o", str(tsv), "--level", "both", "--cache-dir", str(embedding_cache), "-q"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    segtypes = [tu.get("segtype") for tu in etree.parse(str(tmx)).findall("body/tu")]
    n_paragraph = sum(1 for link in demo_pair_alignment.links if link.en and link.cy)
    assert segtypes.count("paragraph") == n_paragraph and segtypes.count("sentence") > n_paragraph
    with open(tsv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert {r["level"] for r in rows} == {"paragraph", "sentence"}
    assert sum(r["level"] == "paragraph" for r in rows) == len(demo_pair_alignment.links)


def test_both_level_files_read_back_as_their_paragraph_links(tmp_path: Path) -> None:
    al = align_sentences(_toy_alignment(), embedder=ToyEmbedder(), use_cache=False)
    for ext in ("tsv", "jsonl"):
        write_alignment(al, tmp_path / f"b.{ext}", level="both")
        back = aligner.read_alignment(tmp_path / f"b.{ext}")
        assert [(lk.en, lk.cy) for lk in back.links] == [(lk.en, lk.cy) for lk in al.links]
    write_alignment(al, tmp_path / "s.tsv", level="sentence")
    with pytest.raises(AlignerError, match="sentence-level"):
        aligner.read_alignment(tmp_path / "s.tsv")
