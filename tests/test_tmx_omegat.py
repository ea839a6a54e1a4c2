"""The TMX is a real translation memory: it validates against the TMX 1.4b structure, translate-toolkit
reads it back unchanged, and OmegaT (a real CAT tool, run headless) translates the English leaflet
with it. The alignment is the aligner's own output on the demo pair shipped in data/.

OmegaT comes from Debian (``apt-get install -y omegat``, which brings a Java runtime); without it on
PATH the OmegaT test is skipped.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
import shutil
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from lxml import etree
from omegat_support import omegat_project, run_omegat
from translate.storage import tmx as tt_tmx

import aligner
from aligner.io.provenance import settings_signature
from aligner.io.tabular import read_alignment, write_alignment
from aligner.records import Alignment
from devtools.devdata import shared_data_dir

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"
SHARED_DATA = shared_data_dir()
FIXED_RECALL_GOLD = SHARED_DATA / "gold" / "moj-fixed-recall.gold.tsv"
needs_gold = pytest.mark.skipif(not FIXED_RECALL_GOLD.is_file(), reason=f"shared gold data not found at {SHARED_DATA}")
OMEGAT = shutil.which("omegat")

# The part of the TMX 1.4b DTD (https://www.gala-global.org/tmx-14b) that our files use, verbatim in
# content models and required attributes, so element order and mandatory header attributes are checked.
TMX14_DTD = """
<!ELEMENT tmx (header, body)>
<!ATTLIST tmx version CDATA #FIXED "1.4">
<!ELEMENT header (note|ude|prop)*>
<!ATTLIST header creationtool CDATA #REQUIRED creationtoolversion CDATA #REQUIRED
  segtype (block|paragraph|sentence|phrase) #REQUIRED o-tmf CDATA #REQUIRED adminlang CDATA #REQUIRED
  srclang CDATA #REQUIRED datatype CDATA #REQUIRED o-encoding CDATA #IMPLIED creationdate CDATA #IMPLIED
  creationid CDATA #IMPLIED changedate CDATA #IMPLIED changeid CDATA #IMPLIED>
<!ELEMENT note (#PCDATA)>
<!ELEMENT ude (map+)>
<!ELEMENT map EMPTY>
<!ELEMENT prop (#PCDATA)>
<!ATTLIST prop type CDATA #REQUIRED xml:lang CDATA #IMPLIED o-encoding CDATA #IMPLIED>
<!ELEMENT body (tu*)>
<!ELEMENT tu ((note|prop)*, tuv+)>
<!ATTLIST tu tuid CDATA #IMPLIED o-encoding CDATA #IMPLIED datatype CDATA #IMPLIED usagecount CDATA #IMPLIED
  lastusagedate CDATA #IMPLIED creationtool CDATA #IMPLIED creationtoolversion CDATA #IMPLIED
  creationdate CDATA #IMPLIED creationid CDATA #IMPLIED changedate CDATA #IMPLIED segtype CDATA #IMPLIED
  changeid CDATA #IMPLIED o-tmf CDATA #IMPLIED srclang CDATA #IMPLIED>
<!ELEMENT tuv ((note|prop)*, seg)>
<!ATTLIST tuv xml:lang CDATA #REQUIRED o-encoding CDATA #IMPLIED datatype CDATA #IMPLIED
  usagecount CDATA #IMPLIED lastusagedate CDATA #IMPLIED creationtool CDATA #IMPLIED
  creationtoolversion CDATA #IMPLIED creationdate CDATA #IMPLIED creationid CDATA #IMPLIED
  changedate CDATA #IMPLIED o-tmf CDATA #IMPLIED changeid CDATA #IMPLIED>
<!ELEMENT seg (#PCDATA)>
"""


@pytest.fixture(scope="module")
def real_alignment(demo_pair_alignment) -> Alignment:
    """The aligner's output on the demo pair (real PDFs, real model), computed once per session."""
    return demo_pair_alignment


def _pairs(alignment: Alignment, min_score: float = 0.0) -> list[tuple[str, str]]:
    """What the TMX must hold: two-sided links, each side's paragraphs joined by a space."""

    def text(blocks, idx):
        return " ".join(" ".join(blocks[i].text.split()) for i in idx)

    return [
        (text(alignment.en.blocks, link.en), text(alignment.cy.blocks, link.cy))
        for link in alignment.links
        if link.en and link.cy and link.score >= min_score
    ]


def test_tmx_validates_and_has_the_header(real_alignment: Alignment, tmp_path: Path) -> None:
    out = tmp_path / "fixed-recall.tmx"
    write_alignment(real_alignment, out)
    tree = etree.parse(str(out))
    dtd = etree.DTD(io.StringIO(TMX14_DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    header = tree.find("header").attrib
    assert dict(header) == {
        "creationtool": "aligner",
        "creationtoolversion": aligner.__version__,
        "segtype": "paragraph",
        "o-tmf": "aligner",
        "adminlang": "en-GB",
        "srclang": "en-GB",
        "datatype": "plaintext",
        "creationdate": header["creationdate"],
    }
    assert re.fullmatch(r"20\d{6}T\d{6}Z", header["creationdate"])
    props = {p.get("type"): p.text for p in tree.find("header").findall("prop")}
    assert props["x-aligner-signature"] == settings_signature(real_alignment.settings, 0.0)
    assert props["x-aligner-signature"].startswith(f"aligner:{aligner.__version__}|model:onnxruntime-")
    assert props["x-en-file"] == "fixed-recall.en.pdf"
    assert props["x-cy-sha256"] == hashlib.sha256((DEMO / "fixed-recall.cy.pdf").read_bytes()).hexdigest()
    units = tree.findall("body/tu")
    assert len(units) == len(_pairs(real_alignment)) >= 45
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert {tuple(t.get(xml_lang) for t in tu.findall("tuv")) for tu in units} == {("en-GB", "cy-GB")}
    first = {p.get("type"): p.text for p in units[0].findall("prop")}
    assert first["x-link"] == "1-1" and first["x-en-page"] == "1" and 0 <= float(first["x-score"]) <= 1


def test_translate_toolkit_reads_the_same_units(real_alignment: Alignment, tmp_path: Path) -> None:
    out = tmp_path / "fixed-recall.tmx"
    write_alignment(real_alignment, out)
    store = tt_tmx.tmxfile.parsefile(str(out))
    assert store.getsourcelanguage() == "en-GB"
    assert [(u.source, u.target) for u in store.units] == _pairs(real_alignment)


def test_real_output_round_trips(real_alignment: Alignment, tmp_path: Path) -> None:
    for ext in ("tsv", "jsonl"):
        write_alignment(real_alignment, tmp_path / f"a.{ext}")
        back = read_alignment(tmp_path / f"a.{ext}")
        assert back.links == tuple(
            dataclasses.replace(link, score=round(link.score, 4)) for link in real_alignment.links
        )
        assert back.settings == real_alignment.settings
        for side in ("en", "cy"):
            ours, theirs = getattr(real_alignment, side), getattr(back, side)
            assert [(b.id, b.text, b.kind, b.page) for b in ours.blocks] == [
                (b.id, b.text, b.kind, b.page) for b in theirs.blocks
            ]
            assert theirs.path == str(ours.path) and theirs.n_pages == ours.n_pages
    assert back.en.blocks == tuple(
        dataclasses.replace(b, bbox=tuple(round(v, 2) for v in b.bbox)) for b in real_alignment.en.blocks
    ), "JSONL keeps the full block records"


@needs_gold
def test_real_output_scores_well_against_gold(real_alignment: Alignment, tmp_path: Path) -> None:
    from aligner.evaluation import evaluate_files

    write_alignment(real_alignment, tmp_path / "a.tsv")
    scores = evaluate_files(FIXED_RECALL_GOLD, tmp_path / "a.tsv")
    assert scores.coverage_en > 0.98 and scores.coverage_cy > 0.98
    assert scores.strict_recall > 0.9 and scores.soft_f1 > 0.9


@needs_gold
def test_many_to_one_is_joined_by_a_space_and_min_score_filters_tmx_only(tmp_path: Path) -> None:
    gold = read_alignment(FIXED_RECALL_GOLD)
    scored = dataclasses.replace(
        gold, links=tuple(dataclasses.replace(link, score=(n % 10) / 10) for n, link in enumerate(gold.links))
    )
    write_alignment(scored, tmp_path / "a.tmx", min_score=0.5)
    write_alignment(scored, tmp_path / "a.tsv", min_score=0.5)
    units = tt_tmx.tmxfile.parsefile(str(tmp_path / "a.tmx")).units
    assert [(u.source, u.target) for u in units] == _pairs(scored, 0.5)
    assert len(units) == sum(link.score >= 0.5 for link in scored.links) == 24
    with open(tmp_path / "a.tsv", encoding="utf-8") as fh:
        assert len(list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))) == 1 + len(gold.links)
    write_alignment(gold, tmp_path / "all.tmx")
    sources = [u.source for u in tt_tmx.tmxfile.parsefile(str(tmp_path / "all.tmx")).units]
    three_one = next(link for link in gold.links if link.kind == "3-1")
    joined = " ".join(gold.en.blocks[i].text for i in three_one.en)
    assert joined in sources and "¶" not in "".join(sources)


@needs_gold
def test_markup_is_escaped_and_forbidden_characters_removed(tmp_path: Path) -> None:
    gold = read_alignment(FIXED_RECALL_GOLD)
    nasty = "Tom & Jerry <b>\"quoted\"</b> 'it's' \x00\x01\x0b\x1f\ufffe\uffff\ud800 ok 𝄞 ŵ"
    block = dataclasses.replace(gold.en.blocks[1], text=nasty)
    changed = dataclasses.replace(
        gold, en=dataclasses.replace(gold.en, blocks=(gold.en.blocks[0], block) + gold.en.blocks[2:])
    )
    out = tmp_path / "a.tmx"
    write_alignment(changed, out)
    raw = out.read_bytes()
    assert escape("Tom & Jerry <b>").encode() in raw and b"\x00" not in raw
    etree.parse(str(out))  # strict XML parser: raises on any forbidden character
    units = tt_tmx.tmxfile.parsefile(str(out)).units
    assert units[1].source == "Tom & Jerry <b>\"quoted\"</b> 'it's' ok 𝄞 ŵ"


def _omegat_project(root: Path, tmx: Path, sources: list[str]) -> Path:
    return omegat_project(root, tmx, "\n\n".join(sources) + "\n", sentence_seg=False)


@pytest.mark.slow
@pytest.mark.skipif(OMEGAT is None, reason="OmegaT not installed (Debian: apt-get install -y omegat)")
def test_omegat_translates_the_leaflet_with_our_tmx(real_alignment: Alignment, tmp_path: Path) -> None:
    tmx = tmp_path / "aligner.tmx"
    write_alignment(real_alignment, tmx)
    pairs = _pairs(real_alignment)
    by_source: dict[str, set[str]] = {}
    for en, cy in pairs:
        by_source.setdefault(en, set()).add(cy)
    pairs = [(en, cy) for en, cy in pairs if len(by_source[en]) == 1]  # one translation per source
    assert len(pairs) >= 40
    project = _omegat_project(tmp_path, tmx, [en for en, _ in pairs])
    start = time.perf_counter()
    run = run_omegat(OMEGAT, project, tmp_path / "home")
    elapsed = time.perf_counter() - start
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "tm/auto/aligner.tmx" in run.stdout + run.stderr, "OmegaT did not load our TMX"
    target = (project / "target" / "leaflet.txt").read_text(encoding="utf-8")
    assert [line for line in target.splitlines() if line] == [cy for _, cy in pairs]
    assert elapsed < 120
