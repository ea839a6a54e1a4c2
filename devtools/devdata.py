"""Development data: where the shared real material lives, and documents with a known alignment.

``shared_data_dir`` finds ``../shared/data`` (or ``$ALIGNER_SHARED_DATA``); ``GOLD_PDFS`` names the
real PDF pair behind each hand-checked gold file. Tests and benchmarks use these and skip without them.

``documents_from_gold`` turns a gold TSV (one row per link, `` ¶ `` between paragraphs of one cell)
into two Documents and the true links; ``ntrex_documents`` groups NTREX news sentences into
paragraphs and applies Welsh-side edits (omit, add, merge, split) so every link type occurs.
"""

from __future__ import annotations

import csv
import os
import random
from dataclasses import dataclass
from pathlib import Path

from aligner.records import PILCROW, Block, BlockKind, Document, kind_from_note

GOLD_PDFS = {
    "moj-fixed-recall": (
        "moj-recall-leaflets/Fixed-recall-information-leaflet-English.pdf",
        "moj-recall-leaflets/Fixed-recall-information-leaflet-Welsh.pdf",
    ),
    "moj-standard-recall": (
        "moj-recall-leaflets/Standard-recall-information-leaflet-English.pdf",
        "moj-recall-leaflets/Standard-recall-information-leaflet-Welsh.pdf",
    ),
    "mas-customer-testimonials": (
        "mas-annuity-transcripts/customer-testimonials.en.pdf",
        "mas-annuity-transcripts/customer-testimonials.cy.pdf",
    ),
    "mas-fixed-or-increasing": (
        "mas-annuity-transcripts/fixed-or-increasing.en.pdf",
        "mas-annuity-transcripts/fixed-or-increasing.cy.pdf",
    ),
    "mas-guarantee-period": (
        "mas-annuity-transcripts/guarantee-period.en.pdf",
        "mas-annuity-transcripts/guarantee-period.cy.pdf",
    ),
    "mas-health": ("mas-annuity-transcripts/health.en.pdf", "mas-annuity-transcripts/health.cy.pdf"),
    "mas-single-vs-joint": (
        "mas-annuity-transcripts/single-vs-joint.en.pdf",
        "mas-annuity-transcripts/single-vs-joint.cy.pdf",
    ),
    "hmcts-annex1": ("hmcts-forms/annex1.en.pdf", "hmcts-forms/annex1.cy.pdf"),
    "wjec-cs-as-unit1-ms-2016": (
        "wjec-mark-schemes/cs-as-unit1-ms-2016.en.pdf",
        "wjec-mark-schemes/cs-as-unit1-ms-2016.cy.pdf",
    ),
    "hmcts-et1-claim-form": ("hmcts-tribunal-forms/et1-claim.en.pdf", "hmcts-tribunal-forms/et1-claim.cy.pdf"),
    "laa-civmeans7-form": ("laa-forms/civ-means-7.en.pdf", "laa-forms/civ-means-7.cy.pdf"),
}
"""Gold file stem -> (English PDF, Welsh PDF), relative to ``shared_data_dir() / "pdf"``."""

VALIDATION_PUBLISHERS = frozenset({"hmcts"})
"""Leave one publisher out: rules are developed on the other pairs and never tuned on these; the
benchmarks report them in a separate validation column."""


def gold_split(stem: str) -> str:
    """'validation' for a pair from a held-out publisher (the stem's first word), else 'development'."""
    return "validation" if stem.split("-")[0] in VALIDATION_PUBLISHERS else "development"


def shared_data_dir() -> Path:
    """``../shared/data`` beside the repository, or ``$ALIGNER_SHARED_DATA``."""
    env = os.environ.get("ALIGNER_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"


GoldLink = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class GoldPair:
    en: Document
    cy: Document
    links: tuple[GoldLink, ...]


def _block(
    i: int, text: str, kind: BlockKind = BlockKind.PARAGRAPH, label: str | None = None, level: int | None = None
) -> Block:
    return Block(
        id=f"p1-b{i + 1}",
        kind=kind,
        text=text,
        page=1,
        bbox=(0.0, 0.0, 1.0, 1.0),
        font_size=10.0,
        bold=kind == BlockKind.HEADING,
        level=level,
        label=label,
    )


def documents_from_gold(path: str | Path) -> GoldPair:
    """Blocks and true links from a gold TSV (columns en, cy, ..., note)."""
    en_texts: list[tuple[str, BlockKind]] = []
    cy_texts: list[tuple[str, BlockKind]] = []
    links: list[GoldLink] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            kind = kind_from_note(row.get("kind") or row.get("note") or "")
            en_parts = [t for t in (row["en"] or "").split(PILCROW) if t.strip()]
            cy_parts = [t for t in (row["cy"] or "").split(PILCROW) if t.strip()]
            en_idx = tuple(range(len(en_texts), len(en_texts) + len(en_parts)))
            cy_idx = tuple(range(len(cy_texts), len(cy_texts) + len(cy_parts)))
            en_texts += [(t, kind) for t in en_parts]
            cy_texts += [(t, kind) for t in cy_parts]
            links.append((en_idx, cy_idx))
    name = Path(path).name
    en = Document(f"{name}#en", "en", 1, tuple(_block(i, t, k) for i, (t, k) in enumerate(en_texts)))
    cy = Document(f"{name}#cy", "cy", 1, tuple(_block(i, t, k) for i, (t, k) in enumerate(cy_texts)))
    return GoldPair(en, cy, tuple(links))


def ntrex_documents(
    ntrex_dir: str | Path,
    *,
    seed: int = 0,
    paragraphs: int = 60,
    edit_rate: float = 0.12,
    numbered: bool = True,
    start: int | None = None,
) -> GoldPair:
    """A report-like pair from NTREX sentences with Welsh edits; numbered headings every few paragraphs."""
    ntrex_dir = Path(ntrex_dir)
    en_lines = (ntrex_dir / "newstest2019-ref.eng-GB.txt").read_text(encoding="utf-8").splitlines()
    cy_lines = (ntrex_dir / "newstest2019-ref.cym.txt").read_text(encoding="utf-8").splitlines()
    rng = random.Random(seed)
    pos = rng.randrange(0, len(en_lines) - paragraphs * 3) if start is None else start
    paras: list[tuple[str, str, BlockKind, str | None]] = []
    section = 0
    while len(paras) < paragraphs and pos < len(en_lines) - 4:
        if numbered and (not paras or rng.random() < 0.15):
            section += 1
            title_en, title_cy = en_lines[pos], cy_lines[pos]
            pos += 1
            paras.append((f"{section} {title_en[:80]}", f"{section} {title_cy[:90]}", BlockKind.HEADING, str(section)))
            continue
        k = rng.choice((1, 2, 2, 3))
        paras.append((" ".join(en_lines[pos : pos + k]), " ".join(cy_lines[pos : pos + k]), BlockKind.PARAGRAPH, None))
        pos += k
    en_blocks: list[tuple[str, BlockKind, str | None]] = []
    cy_blocks: list[tuple[str, BlockKind, str | None]] = []
    links: list[GoldLink] = []
    extra = iter(cy_lines[(pos + 300) % len(cy_lines) :] + cy_lines)

    def add(en_items, cy_items):
        ei = tuple(range(len(en_blocks), len(en_blocks) + len(en_items)))
        ci = tuple(range(len(cy_blocks), len(cy_blocks) + len(cy_items)))
        en_blocks.extend(en_items)
        cy_blocks.extend(cy_items)
        links.append((ei, ci))

    k = 0
    while k < len(paras):
        en_t, cy_t, kind, label = paras[k]
        roll = rng.random() if kind == BlockKind.PARAGRAPH and k > 0 else 1.0
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        if roll < edit_rate * 0.25:
            add([(en_t, kind, label)], [])
        elif roll < edit_rate * 0.5:
            add([(en_t, kind, label)], [(cy_t, kind, label)])
            add([], [(" ".join(next(extra) for _ in range(2)), BlockKind.PARAGRAPH, None)])
        elif roll < edit_rate * 0.75 and nxt is not None and nxt[2] == BlockKind.PARAGRAPH:
            add([(en_t, kind, label), (nxt[0], nxt[2], None)], [(cy_t + " " + nxt[1], kind, None)])
            k += 1
        elif roll < edit_rate and nxt is not None and nxt[2] == BlockKind.PARAGRAPH:
            add([(en_t + " " + nxt[0], kind, None)], [(cy_t, kind, label), (nxt[1], nxt[2], None)])
            k += 1
        else:
            add([(en_t, kind, label)], [(cy_t, kind, label)])
        k += 1
    en = Document(
        f"ntrex-{seed}#en",
        "en",
        1,
        tuple(_block(i, t, kd, lb, 1 if kd == BlockKind.HEADING else None) for i, (t, kd, lb) in enumerate(en_blocks)),
    )
    cy = Document(
        f"ntrex-{seed}#cy",
        "cy",
        1,
        tuple(_block(i, t, kd, lb, 1 if kd == BlockKind.HEADING else None) for i, (t, kd, lb) in enumerate(cy_blocks)),
    )
    return GoldPair(en, cy, tuple(links))


def link_scores(system: list[tuple[tuple[int, ...], tuple[int, ...]]], gold: tuple[GoldLink, ...]) -> dict[str, float]:
    """Strict link P/R/F1 on block indices, and recall of gold one-sided links (omissions/additions)."""
    sys_set, gold_set = set(system), set(gold)
    tp = len(sys_set & gold_set)
    p = tp / len(sys_set) if sys_set else 0.0
    r = tp / len(gold_set) if gold_set else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    gold_one = {g for g in gold_set if not g[0] or not g[1]}
    omission = len(gold_one & sys_set) / len(gold_one) if gold_one else 1.0
    return {"P": p, "R": r, "F1": f, "omission_recall": omission}


def with_segmentation_noise(gp: GoldPair, rate: float, seed: int) -> GoldPair:
    """``gp`` as a segmenter that errs would give it: on each side, independently, each block is merged
    with the next one (rate / 2) or cut in two at a sentence boundary (rate / 2, where it has two
    sentences). ``links`` are the gold links that stay exactly right (every block they cover
    untouched), renumbered; a link over a merged or cut block can never be exactly right, as on a real
    page segmented wrongly. Used to calibrate link confidence for documents whose layout the
    segmenter reads less well than the development pairs."""
    from aligner.segmentation.sentences import split_sentences

    rng = random.Random(seed)

    def noisy(doc: Document) -> tuple[Document, dict[int, int]]:
        blocks: list[Block] = []
        intact: dict[int, int] = {}  # original index -> noisy index, for blocks left whole
        i = 0
        while i < len(doc.blocks):
            b, draw = doc.blocks[i], rng.random()
            sentences = split_sentences(b.text, doc.lang) if draw >= 1 - rate / 2 else []
            if draw < rate / 2 and i + 1 < len(doc.blocks):
                text = f"{b.text} {doc.blocks[i + 1].text}"
                blocks.append(_block(len(blocks), text, b.kind))
                i += 2
                continue
            if len(sentences) >= 2:
                cut = rng.randint(1, len(sentences) - 1)
                blocks += [
                    _block(len(blocks), " ".join(sentences[:cut]), b.kind),
                    _block(len(blocks) + 1, " ".join(sentences[cut:]), b.kind),
                ]
            else:
                intact[i] = len(blocks)
                blocks.append(_block(len(blocks), b.text, b.kind, b.label, b.level))
            i += 1
        return Document(f"{doc.path}~noise", doc.lang, doc.n_pages, tuple(blocks)), intact

    en, en_map = noisy(gp.en)
    cy, cy_map = noisy(gp.cy)
    links = tuple(
        (tuple(en_map[i] for i in e), tuple(cy_map[j] for j in c))
        for e, c in gp.links
        if all(i in en_map for i in e) and all(j in cy_map for j in c)
    )
    return GoldPair(en, cy, links)
