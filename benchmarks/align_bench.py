"""Alignment quality and cost: our aligner against Gale–Church and embeddings-only baselines.

Pairs: synthetic report PDFs from ``devtools.synth.generate_pair`` (NTREX/UDHR text with omitted,
added, merged and split Welsh paragraphs; exact gold) and the 8 real gold pairs in the shared data.
Two inputs per pair:
  blocks  the gold paragraphs as blocks (isolates the aligner from segmentation),
  pdf     both PDFs through ``segment_pdf`` (the whole product; scores then also reflect segmentation).
Scores come from ``aligner.evaluate`` (strict/soft P/R/F1, omission recall). Seconds and peak memory
(tracemalloc, Python + numpy allocations, measured in a second run) cover alignment only: the blocks are embedded into the
cache ``OUT/cache`` before the clock starts (use --cold to empty the cache and time embedding too).
The row "all-synthetic-joined" aligns all generated pairs end to end as one long document.

Usage: python benchmarks/align_bench.py [--out bench-out/align] [--pages 10 20] [--sources ntrex udhr mixed]
       [--seeds 0 1] [--inputs blocks pdf] [--methods aligner gale-church embeddings-only] [--no-real]
       [--engine fpdf|docx|docx-tagged|docx-restyled|docx-columns|docx-chapters] [--set KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.alignment.embed import make_embedder
from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import align_documents, embed_documents
from aligner.evaluation import evaluate_frames, read_links_table
from aligner.io.tabular import alignment_to_frame
from aligner.records import Document
from devtools.baselines import embeddings_only, gale_church
from devtools.devdata import GOLD_PDFS, documents_from_gold
from devtools.devdata import shared_data_dir as shared_data
from devtools.options import parse_option, synth_engines

OPTIONS: dict[str, object] = {}
"""AlignParams overrides for the aligner methods (--set)."""


def run_method(method: str, en, cy, embedder, cache_dir: Path):
    if method == "aligner":
        return align_documents(en, cy, params=AlignParams.from_options(OPTIONS), embedder=embedder, cache_dir=cache_dir)
    if method == "aligner-concat":
        return align_documents(
            en,
            cy,
            params=AlignParams.from_options({**OPTIONS, "merge_embedding": "concat"}),
            embedder=embedder,
            cache_dir=cache_dir,
        )
    if method == "embeddings-only":
        return embeddings_only(en, cy, embedder=embedder, cache_dir=cache_dir)
    if method == "gale-church":
        return gale_church(en, cy)
    raise SystemExit(f"unknown method {method}")


def measure(
    name: str, pages: int, inputs: str, gold: pd.DataFrame, docs, methods, embedder, cache_dir, cold: bool = False
) -> list[dict]:
    en, cy = docs
    if not cold:
        embed_documents(en, cy, embedder, cache_dir=cache_dir)
    rows = []
    for method in methods:
        t0 = time.perf_counter()
        result = run_method(method, en, cy, embedder, cache_dir)
        seconds = time.perf_counter() - t0
        tracemalloc.start()  # a second run: tracing allocations slows Python code several times
        run_method(method, en, cy, embedder, cache_dir)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        s = evaluate_frames(gold, alignment_to_frame(result))
        rows.append(
            {
                "pair": name,
                "input": inputs,
                "pages": pages,
                "blocks": f"{len(en.blocks)}/{len(cy.blocks)}",
                "method": method,
                "P": s.strict_precision,
                "R": s.strict_recall,
                "F1": s.strict_f1,
                "soft_F1": s.soft_f1,
                "omission_R": s.omission_recall,
                "seconds": seconds,
                "peak_MB": peak / 2**20,
            }
        )
        print(
            f"  {name} {inputs} {method}: F1 {s.strict_f1:.3f} omission {s.omission_recall:.3f} {seconds:.1f}s",
            file=sys.stderr,
        )
    return rows


def pdf_docs(en_pdf: Path, cy_pdf: Path):
    from aligner.segmentation.pipeline import segment_pdf

    return segment_pdf(en_pdf, lang="en"), segment_pdf(cy_pdf, lang="cy")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("bench-out/align"))
    ap.add_argument("--pages", type=int, nargs="*", default=[10, 20])
    ap.add_argument("--sources", nargs="*", default=["ntrex", "udhr", "mixed"])
    ap.add_argument("--seeds", type=int, nargs="*", default=[0])
    ap.add_argument("--inputs", nargs="*", default=["blocks", "pdf"])
    ap.add_argument("--methods", nargs="*", default=["aligner", "gale-church", "embeddings-only"])
    ap.add_argument(
        "--engine",
        choices=synth_engines(),
        default="fpdf",
        help="Layout engine of the generated pairs: our own (fpdf), Word DOCX through LibreOffice (docx), "
        "or the same exported as a tagged PDF (docx-tagged), or each edition in a house style of its own (docx-restyled), its running text in one or two columns (docx-columns), with running heads naming each part (docx-chapters).",
    )
    ap.add_argument("--no-real", action="store_true", help="Skip the 8 real gold pairs.")
    ap.add_argument("--cold", action="store_true", help="Empty the embedding cache first.")
    ap.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="KEY=VALUE",
        help="Alignment options for the aligner methods, e.g. verify_merges=false part_weight=1.5.",
    )
    args = ap.parse_args(argv)
    OPTIONS.update(parse_option(o) for o in args.set)

    data = shared_data()
    if not data.exists():
        print(f"shared data not found at {data} (set ALIGNER_SHARED_DATA); nothing to do")
        return 0
    cache_dir = args.out / "cache"
    if args.cold and cache_dir.exists():
        shutil.rmtree(cache_dir)
    embedder = make_embedder()
    rows: list[dict] = []
    joined: list = []
    from devtools.synth.generate import generate_pair

    for source in args.sources:
        for pages in args.pages if source != "udhr" else args.pages[:1]:
            for seed in args.seeds:
                pair = generate_pair(
                    args.out / "synth", source=source, target_pages=pages, seed=seed, data_dir=data, engine=args.engine
                )
                name = f"{source}-p{pages}-s{seed}{'' if args.engine == 'fpdf' else '-' + args.engine}"
                for inputs in args.inputs:
                    if inputs == "blocks":
                        gp = documents_from_gold(pair.gold_tsv)
                        docs = (gp.en, gp.cy)
                    else:
                        docs = pdf_docs(pair.en_pdf, pair.cy_pdf)
                    gold = read_links_table(pair.gold_tsv)
                    rows += measure(
                        name, pair.n_pages_en, inputs, gold, docs, args.methods, embedder, cache_dir, args.cold
                    )
                    if inputs == "blocks":
                        joined.append((pair.n_pages_en, docs, gold))
    if len(joined) > 1 and "blocks" in args.inputs:
        # All generated pairs end to end: a long document, to show how time and memory scale.
        en = Document("joined.en", "en", 0, tuple(b for _, (e, _c), _g in joined for b in e.blocks))
        cy = Document("joined.cy", "cy", 0, tuple(b for _, (_e, c), _g in joined for b in c.blocks))
        gold = pd.concat([g for _, _, g in joined], ignore_index=True)
        rows += measure(
            "all-synthetic-joined",
            sum(p for p, _, _ in joined),
            "blocks",
            gold,
            (en, cy),
            args.methods,
            embedder,
            cache_dir,
            args.cold,
        )
    if not args.no_real:
        for name, (en_rel, cy_rel) in GOLD_PDFS.items():
            gold_tsv = data / "gold" / f"{name}.gold.tsv"
            for inputs in args.inputs:
                if inputs == "blocks":
                    gp = documents_from_gold(gold_tsv)
                    docs = (gp.en, gp.cy)
                else:
                    docs = pdf_docs(data / "pdf" / en_rel, data / "pdf" / cy_rel)
                pages = max(docs[0].n_pages, 1) if inputs == "pdf" else 0
                rows += measure(
                    name, pages, inputs, read_links_table(gold_tsv), docs, args.methods, embedder, cache_dir, args.cold
                )
    frame = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(frame.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        group = frame["pair"].map(
            lambda p: (
                "joined"
                if p.startswith("all-")
                else "generated"
                if p.split("-")[0] in ("ntrex", "udhr", "mixed")
                else "real"
            )
        )
        summary = frame.groupby([group.rename("set"), "input", "method"])[
            ["F1", "soft_F1", "omission_R", "seconds", "peak_MB"]
        ].mean()
        print("\nmeans per set (generated: synthetic pairs; joined: all of them as one document; real: gold pairs)")
        print(summary.to_string(float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
