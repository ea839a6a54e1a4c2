"""Segmentation against the hand-checked gold paragraphs (the unit definition of gold/README.md).

For each gold pair and language: segment the PDF, then match the word streams of gold paragraphs and
blocks (difflib on lower-cased word tokens) and report
  para_exact: share of gold paragraphs that come out as exactly one block
              (>= 90% of the paragraph's words in one block and >= 90% of that block's words from it),
  block_exact: share of blocks (with words) that are exactly one gold paragraph (same test).

Every pair of devtools.devdata.GOLD_PDFS is scored; the table shows English and Welsh side by side,
development pairs and validation pairs (a held-out publisher, devdata.gold_split) in separate sections.

Usage: python benchmarks/segment_gold.py [--json] [--data DIR] [--synth PAGES [--synth-engine fpdf|docx|docx-tagged|docx-restyled|docx-columns|docx-chapters]
       [--synth-seeds 0 1] [--synth-out DIR]] [-v] [--only STEM ... | none]
Skips (exit 0 with a message) when the shared data folder is absent.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.segmentation.pipeline import segment_pdf
from devtools.devdata import GOLD_PDFS, gold_split
from devtools.devdata import shared_data_dir as shared_data
from devtools.options import synth_engines

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def gold_paragraphs(gold_tsv: Path, column: str) -> list[str]:
    with open(gold_tsv, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [part for row in rows for part in row[column].split(" ¶ ") if part.strip()]


@dataclass
class Score:
    doc: str
    lang: str
    gold: int
    blocks: int
    para_exact: float
    block_exact: float
    seconds: float
    bad_paras: list[str]
    bad_blocks: list[str]


def exact_scores(gold: list[str], blocks: list[str]) -> tuple[float, float, list[str], list[str]]:
    """Both shares, plus the offending paragraphs and blocks (abbreviated) for inspection."""
    g_tok, g_own = [], []
    for i, p in enumerate(gold):
        t = tokens(p)
        g_tok += t
        g_own += [i] * len(t)
    b_tok, b_own = [], []
    for j, b in enumerate(blocks):
        t = tokens(b)
        b_tok += t
        b_own += [j] * len(t)
    pair = Counter()
    sm = difflib.SequenceMatcher(None, g_tok, b_tok, autojunk=False)
    for m in sm.get_matching_blocks():
        for k in range(m.size):
            pair[g_own[m.a + k], b_own[m.b + k]] += 1
    g_len = Counter(g_own)
    b_len = Counter(b_own)

    def exact(i: int, j: int) -> bool:
        n = pair[i, j]
        return n >= 0.9 * g_len[i] and n >= 0.9 * b_len[j]

    by_gold: dict[int, list[int]] = {}
    by_block: dict[int, list[int]] = {}
    for i, j in pair:
        by_gold.setdefault(i, []).append(j)
        by_block.setdefault(j, []).append(i)
    good_g = {i for i in g_len if any(exact(i, j) for j in by_gold.get(i, []))}
    good_b = {j for j in b_len if any(exact(i, j) for i in by_block.get(j, []))}
    bad_g = [gold[i][:70] for i in sorted(set(g_len) - good_g)]
    bad_b = [blocks[j][:70] for j in sorted(set(b_len) - good_b)]
    return len(good_g) / max(1, len(g_len)), len(good_b) / max(1, len(b_len)), bad_g, bad_b


def run(data: Path, only: list[str] | None = None) -> list[Score]:
    scores = []
    for name, pdfs in GOLD_PDFS.items():
        if only and name not in only:
            continue
        gold_tsv = data / "gold" / f"{name}.gold.tsv"
        for lang, rel in zip(("en", "cy"), pdfs):
            t0 = time.perf_counter()
            doc = segment_pdf(data / "pdf" / rel, lang=lang)
            seconds = time.perf_counter() - t0
            gold = gold_paragraphs(gold_tsv, lang)
            blocks = [b.text for b in doc.blocks]
            pe, be, bad_g, bad_b = exact_scores(gold, blocks)
            scores.append(Score(name, lang, len(gold), len(blocks), pe, be, seconds, bad_g, bad_b))
    return scores


def run_synth(
    folder: Path,
    pages: int,
    engine: str = "fpdf",
    seeds: tuple[int, ...] = (0,),
    sources: tuple[str, ...] = ("ntrex", "udhr", "mixed"),
) -> list[Score]:
    """The same measures on generated report pairs (devtools.synth), whose gold is exact by construction;
    ``engine="docx"`` prints them through Word DOCX and LibreOffice instead of our own layout."""
    from devtools.synth.generate import generate_pair

    scores = []
    tag = "" if engine == "fpdf" else f"-{engine}"
    for source in sources:
        for seed in seeds:
            pair = generate_pair(folder, source=source, target_pages=pages, seed=seed, engine=engine)
            name = f"synth-{source}-p{pages}-s{seed}{tag}"
            for lang, pdf in (("en", pair.en_pdf), ("cy", pair.cy_pdf)):
                t0 = time.perf_counter()
                doc = segment_pdf(pdf, lang=lang)
                seconds = time.perf_counter() - t0
                gold = gold_paragraphs(pair.gold_tsv, lang)
                pe, be, bad_g, bad_b = exact_scores(gold, [b.text for b in doc.blocks])
                scores.append(Score(name, lang, len(gold), len(doc.blocks), pe, be, seconds, bad_g, bad_b))
    return scores


def print_table(scores: list[Score], verbose: bool = False) -> None:
    """One line per document, English and Welsh side by side, development pairs then validation
    pairs (held-out publisher: never tuned on), each section with its worst measure."""
    cols = ("blocks", "recov", "prec")
    by_doc: dict[str, dict[str, Score]] = {}
    for s in scores:
        by_doc.setdefault(s.doc, {})[s.lang] = s
    side = "{:>7} {:>6} {:>6} {:>6}"
    head = f"{'document':28} | {side.format('EN gold', *cols)} | {side.format('CY gold', *cols)}"
    for split in ("development", "validation", "synthetic"):
        docs = [d for d in by_doc if _split(d) == split]
        if not docs:
            continue
        print(f"== {split} ==")
        print(head)
        for d in docs:
            cells = []
            for lang in ("en", "cy"):
                s = by_doc[d].get(lang)
                cells.append(f"{s.gold:7d} {s.blocks:6d} {s.para_exact:6.3f} {s.block_exact:6.3f}" if s else " " * 28)
            print(f"{d:28} | {cells[0]} | {cells[1]}")
            if verbose:
                for lang in ("en", "cy"):
                    s = by_doc[d].get(lang)
                    for p in s.bad_paras if s else ():
                        print(f"    {lang} gold  ✗ {_printable(p)}")
                    for b in s.bad_blocks if s else ():
                        print(f"    {lang} block ✗ {_printable(b)}")
        worst = min(min(by_doc[d][lang].para_exact, by_doc[d][lang].block_exact) for d in docs for lang in by_doc[d])
        print(f"worst measure over {split} documents: {worst:.3f} (target >= 0.95)")
        print()


def _printable(text: str) -> str:
    """Lone surrogates (non-BMP characters split by the PDF reader) cannot be printed as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _split(doc: str) -> str:
    return "synthetic" if doc.startswith("synth-") else gold_split(doc)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the paragraphs and blocks that miss")
    ap.add_argument(
        "--synth",
        type=int,
        default=0,
        metavar="PAGES",
        help="also score generated pairs of about PAGES pages (needs devtools.synth and its corpora)",
    )
    ap.add_argument(
        "--synth-engine",
        choices=synth_engines(),
        default="fpdf",
        help="layout engine of the generated pairs: our own (fpdf), Word DOCX through LibreOffice (docx), "
        "the same as a tagged PDF (docx-tagged), or each edition in a house style of its own (docx-restyled), its running text in one or two columns (docx-columns), with running heads naming each part (docx-chapters)",
    )
    ap.add_argument(
        "--synth-seeds", type=int, nargs="+", default=[0], metavar="SEED", help="seeds of the generated pairs"
    )
    ap.add_argument(
        "--synth-sources",
        nargs="+",
        default=["ntrex", "udhr", "mixed"],
        choices=("ntrex", "udhr", "mixed", "guide", "form", "card"),
        help="kinds of generated pairs (guide: with shaded boxes, contact blocks and tables without rulings; "
        "form: questions in ruled or shaded tables, tick boxes, hints; card: panels side by side, data tables "
        "ruled or not with cells spanning rows; form and card: docx engine only)",
    )
    ap.add_argument("--synth-out", type=Path, default=None, help="keep the generated pairs in this folder")
    ap.add_argument("--only", nargs="+", metavar="STEM", help="score only these gold pairs (none: only generated ones)")
    args = ap.parse_args()
    data = args.data or shared_data()
    if not (data / "gold").is_dir():
        print(f"skipped: no gold data at {data}")
        return 0
    scores = [] if args.only == ["none"] else run(data, args.only)
    if args.synth:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="segment-synth-") as folder:
            out = args.synth_out or Path(folder)
            scores += run_synth(out, args.synth, args.synth_engine, tuple(args.synth_seeds), tuple(args.synth_sources))
    if args.json:
        print(json.dumps([asdict(s) | {"split": _split(s.doc)} for s in scores], ensure_ascii=False, indent=2))
        return 0
    print_table(scores, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
