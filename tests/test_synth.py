"""The synthetic benchmark generator: real text, real PDFs read back with pdfplumber, exact gold."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from devtools.devdata import shared_data_dir

pdfplumber = pytest.importorskip("pdfplumber")
pytest.importorskip("fpdf")

DATA = shared_data_dir()
pytestmark = pytest.mark.skipif(not (DATA / "parallel" / "ntrex128").is_dir(), reason="shared data not available")

from devtools.synth.generate import generate_pair  # noqa: E402  (after the fpdf skip above)

HEADER_MAX_TOP, FOOTER_MIN_TOP = 60, 795
"""The running header sits at about y=42 and the footer at y=802 (pdfplumber top)."""


def read_gold(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def pdf_words(path: Path) -> tuple[Counter, list[list[str]], list[str]]:
    """Content words (header/footer, superscript markers, bullets and leader dots dropped), per-page
    word lists, and the footer lines."""
    content: Counter = Counter()
    pages, footers = [], []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["size"])
            footers.append(" ".join(w["text"] for w in words if w["top"] > FOOTER_MIN_TOP))
            kept = [
                w["text"]
                for w in words
                if HEADER_MAX_TOP <= w["top"] <= FOOTER_MIN_TOP
                and w["size"] >= 7
                and not re.fullmatch(r"\.{8,}|•", w["text"])
            ]
            content.update(kept)
            pages.append(kept)
    return content, pages, footers


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return generate_pair(
        tmp_path_factory.mktemp("synth"), source="ntrex", target_pages=10, seed=3, plant_number_changes=2, data_dir=DATA
    )


@pytest.fixture(scope="module")
def gold(pair):
    return read_gold(pair.gold_tsv)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_gold_covers_every_word_of_the_text_layer(pair, gold, lang):
    pdf = pair.en_pdf if lang == "en" else pair.cy_pdf
    content, _, footers = pdf_words(pdf)
    tokens = Counter(t for row in gold for t in row[lang].split() if t not in ("¶", "|"))
    assert content == tokens, (dict(content - tokens), dict(tokens - content))
    n = pair.n_pages_en if lang == "en" else pair.n_pages_cy
    word = ("Page", "of") if lang == "en" else ("Tudalen", "o")
    assert footers[2] == f"{word[0]} 3 {word[1]} {n}"


def test_gold_format_and_furniture_units(gold, pair):
    assert list(gold[0].keys())[:2] == ["en", "cy"]
    kinds = Counter(r["kind"] for r in gold)
    for k in ("heading", "paragraph", "list_item", "footnote", "table_cell", "caption", "toc_entry"):
        assert kinds[k] > 0, k
    assert any(r["en"].startswith("(a) ") for r in gold if r["kind"] == "list_item")
    assert any(re.match(r"\d+\.\d+ ", r["en"]) for r in gold if r["kind"] == "paragraph")
    toc = [r for r in gold if r["kind"] == "toc_entry"]
    heads = {r["en"]: r["en_page"] for r in gold if r["kind"] == "heading"}
    for r in toc:  # "N. Heading P" where P is the heading's page
        text, page = r["en"].rsplit(" ", 1)
        assert heads[text] == page
    assert all(" | " not in r["en"] for r in gold if r["kind"] == "table_cell")  # one unit per cell
    for r in gold:
        assert (r["en"] == "") == (r["link"] == "0-1") and (r["cy"] == "") == (r["link"] == "1-0")


def test_every_edit_kind_is_planted_and_recorded(gold, pair):
    links = Counter((r["link"], r["edit"]) for r in gold)
    for link, edit in (
        ("1-0", "omitted"),
        ("0-1", "added"),
        ("2-1", "merged"),
        ("1-2", "split"),
        ("1-1", "number_changed"),
    ):
        assert links[(link, edit)] >= 1, (link, edit)
    problems = json.loads(pair.problems_json.read_text(encoding="utf-8"))
    assert len(problems["number_changes"]) == 2
    for key, edit in (
        ("omissions", "omitted"),
        ("additions", "added"),
        ("merges", "merged"),
        ("splits", "split"),
        ("number_changes", "number_changed"),
    ):
        for item in problems[key]:
            row = gold[item["row"] - 1]
            assert row["edit"] == edit and row["en"] == item["en"] and row["cy"] == item["cy"]
    for item in problems["number_changes"]:
        assert item["en_number"] != item["cy_number"]
        assert item["en_number"] in item["en"] and item["cy_number"] in item["cy"]
    cy_texts = [r["cy"] for r in gold]
    for item in problems["additions"]:  # a real Welsh sentence, not used anywhere else in the document
        assert sum(item["cy"] in t for t in cy_texts) == 1


def test_welsh_page_breaks_drift(pair, gold):
    _, en_pages, _ = pdf_words(pair.en_pdf)
    _, cy_pages, _ = pdf_words(pair.cy_pdf)
    assert [p[:3] for p in en_pages] != [p[:3] for p in cy_pages]
    assert any(r["en_page"] and r["cy_page"] and r["en_page"] != r["cy_page"] for r in gold)


def test_a_part_is_set_in_two_columns(pair):
    """A two-column page has words right of the gutter and none crossing it."""
    gutter_mid = 595.28 / 2
    two_col = []
    with pdfplumber.open(pair.en_pdf) as pdf:
        for page in pdf.pages:
            words = [w for w in page.extract_words() if HEADER_MAX_TOP <= w["top"] <= FOOTER_MIN_TOP]
            right = sum(w["x0"] > gutter_mid for w in words)
            crossing = sum(w["x0"] < gutter_mid < w["x1"] for w in words)
            two_col.append(right >= 50 and crossing == 0)
    assert any(two_col) and not all(two_col)


def test_same_seed_same_files_other_seed_other_document(tmp_path, pair):
    again = generate_pair(
        tmp_path / "a", source="ntrex", target_pages=10, seed=3, plant_number_changes=2, data_dir=DATA
    )
    for a, b in (
        (pair.en_pdf, again.en_pdf),
        (pair.cy_pdf, again.cy_pdf),
        (pair.gold_tsv, again.gold_tsv),
        (pair.problems_json, again.problems_json),
    ):
        assert a.read_bytes() == b.read_bytes(), a.name
    other = generate_pair(tmp_path / "b", source="ntrex", target_pages=10, seed=4, data_dir=DATA)
    assert other.gold_tsv.read_text(encoding="utf-8") != pair.gold_tsv.read_text(encoding="utf-8")


def test_udhr_keeps_only_known_paragraph_correspondence(tmp_path):
    r = generate_pair(tmp_path, source="udhr", seed=1, data_dir=DATA)
    rows = read_gold(r.gold_tsv)
    heads = [x["en"] for x in rows if x["kind"] == "heading"]
    assert "Preamble" in heads and "Article 30" in heads
    preamble = rows[[x["en"] for x in rows].index("Preamble") + 1]
    assert preamble["en"].startswith("Whereas recognition") and preamble["en"].endswith("jurisdiction.")
    assert preamble["cy"].endswith("rheolaeth.") and preamble["link"] == "1-1"
    content, _, _ = pdf_words(r.cy_pdf)
    assert content == Counter(t for x in rows for t in x["cy"].split() if t not in ("¶", "|"))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_footnote_follows_its_citing_paragraph_in_gold_and_segmentation(pair, gold, lang):
    """Gold and the segmenter both put a footnote right after the paragraph that cites it, so the
    note is at the same point of both editions' reading order wherever their pages break."""
    from aligner.records import BlockKind
    from aligner.segmentation.pipeline import segment_pdf

    notes = [i for i, r in enumerate(gold) if r["kind"] == "footnote"]
    assert notes

    # not the foot of the page: some unit starting on the citing row's page comes after the note
    def page(r):
        return r[f"{lang}_page"].split("-")[0]

    assert any(i + 1 < len(gold) and page(gold[i + 1]) == page(gold[i - 1]) for i in notes)
    want = [(_words(gold[i - 1][lang]), _words(gold[i][lang])) for i in notes]
    blocks = segment_pdf(pair.en_pdf if lang == "en" else pair.cy_pdf, lang=lang).blocks
    got = [(_words(blocks[i - 1].text), _words(b.text)) for i, b in enumerate(blocks) if b.kind == BlockKind.FOOTNOTE]
    assert got == want
    for i, b in enumerate(blocks):
        if b.kind == BlockKind.FOOTNOTE:
            assert b.label in blocks[i - 1].footnote_refs
