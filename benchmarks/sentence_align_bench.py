"""Sentence alignment inside paragraph links: strict P/R/F1 per document, development and validation apart.

Pairs:
  ntrex-S       ``devdata.ntrex_documents(seed=S)``: NTREX news lines grouped into paragraphs, Welsh
                paragraphs omitted, added, merged and split; NTREX is translated line by line, so the
                sentence gold is exact (``devtools.sentence_gold.ntrex_sentence_gold``).
  ntrex-S-drop  the same with one Welsh line removed from 30% of the two-sided links: untranslated
                sentences inside a paragraph, which must come out as 1-0.
  <gold stem>   the real gold pairs (``documents_from_gold``); a two-sided link whose sides split into
                as many sentences is taken as that many 1-1 links in order, other links are left out.
Development: NTREX seeds 0-5 and the non-HMCTS gold pairs (SentenceParams were tuned on these);
validation: NTREX seeds 100-103 and the HMCTS pairs (never tuned on).

Two inputs: ``gold-para`` runs the sentence aligner on the gold paragraph links (the sentence level
alone); ``e2e`` runs the paragraph aligner first (``align_documents``) and scores the sentence links it
leads to against the same gold, so paragraph errors cost their sentences. Columns: sentences per side,
gold units, P/R/F1 over all units, F1 over the units of multi-sentence links only (F1-multi), seconds.

Usage: python benchmarks/sentence_align_bench.py [--dev-seeds 0 1 2 3 4 5] [--val-seeds 100 101 102 103]
       [--inputs gold-para e2e] [--no-real]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.alignment.embed import make_embedder
from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import align_documents
from aligner.alignment.sentences import align_sentences, block_sentences
from devtools.devdata import GoldPair, documents_from_gold, gold_split, ntrex_documents, shared_data_dir
from devtools.sentence_gold import (
    SentenceUnit,
    drop_welsh_lines,
    gold_alignment,
    ntrex_sentence_gold,
    paragraph_sentence_gold,
    sentence_scores,
)

DROP_RATE = 0.3
"""Share of two-sided NTREX links that lose one Welsh line in the ``-drop`` variants."""


def _pairs(
    data: Path, dev_seeds: list[int], val_seeds: list[int], real: bool
) -> list[tuple[str, str, GoldPair, dict[int, list[SentenceUnit] | None]]]:
    ntrex = data / "parallel" / "ntrex128"
    out = []
    for split, seeds in (("development", dev_seeds), ("validation", val_seeds)):
        for seed in seeds:
            pair = ntrex_documents(ntrex, seed=seed)
            out.append((split, f"ntrex-{seed}", pair, ntrex_sentence_gold(pair, ntrex)))
            dropped = drop_welsh_lines(pair, ntrex, rate=DROP_RATE, seed=seed)
            out.append((split, f"ntrex-{seed}-drop", dropped, ntrex_sentence_gold(dropped, ntrex)))
    if real:
        for path in sorted((data / "gold").glob("*.gold.tsv")):
            stem = path.name.removesuffix(".gold.tsv")
            pair = documents_from_gold(path)
            out.append((gold_split(stem), stem, pair, paragraph_sentence_gold(pair)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev-seeds", type=int, nargs="*", default=[0, 1, 2, 3, 4, 5])
    ap.add_argument("--val-seeds", type=int, nargs="*", default=[100, 101, 102, 103])
    ap.add_argument("--inputs", nargs="*", default=["gold-para", "e2e"], choices=["gold-para", "e2e"])
    ap.add_argument("--no-real", action="store_true", help="Skip the real gold pairs.")
    args = ap.parse_args(argv)
    data = shared_data_dir()
    if not (data / "parallel" / "ntrex128").is_dir():
        print(f"shared data not found at {data} (set ALIGNER_SHARED_DATA); nothing to do")
        return 0
    embedder = make_embedder()
    params = AlignParams()
    rows = []
    for split, name, pair, gold in _pairs(data, args.dev_seeds, args.val_seeds, not args.no_real):
        n_en = sum(len(block_sentences(pair.en, (i,))) for i in range(len(pair.en.blocks)))
        n_cy = sum(len(block_sentences(pair.cy, (i,))) for i in range(len(pair.cy.blocks)))
        for inp in args.inputs:
            start = time.perf_counter()
            if inp == "gold-para":
                paragraphs = gold_alignment(pair)
            else:
                paragraphs = align_documents(pair.en, pair.cy, params=params, embedder=embedder)
            result = align_sentences(paragraphs, params=params, embedder=embedder)
            seconds = time.perf_counter() - start
            s = sentence_scores(result, pair, gold)
            m = sentence_scores(result, pair, gold, multi_only=True)
            rows.append(
                {
                    "split": split,
                    "document": name,
                    "input": inp,
                    "en_sent": n_en,
                    "cy_sent": n_cy,
                    "units": s["units"],
                    "unresolved": s["unresolved_links"],
                    "P": s["P"],
                    "R": s["R"],
                    "F1": s["F1"],
                    "F1_multi": m["F1"],
                    "multi_units": m["units"],
                    "seconds": seconds,
                }
            )
            print(f"{split:11} {name:32} {inp:9} F1 {s['F1']:.3f} multi {m['F1']:.3f}", file=sys.stderr, flush=True)
    frame = pd.DataFrame(rows)
    for split in ("development", "validation"):
        part = frame[frame.split == split].drop(columns="split")
        if part.empty:
            continue
        print(f"\n== {split} ==")
        print(part.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        means = part.groupby("input")[["P", "R", "F1", "F1_multi"]].mean()
        print(f"\nmean per input ({split})")
        print(means.to_string(float_format=lambda v: f"{v:.3f}"))
        print(f"worst strict F1 ({split}): {part.F1.min():.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
