"""Strict F1 of the whole product (PDF -> segment -> align -> evaluate) on the 11 real gold pairs.

Development and validation (held-out publisher, see ``devtools.devdata.gold_split``) side by side;
also the same alignment from gold blocks (perfect segmentation) to separate the aligner from the
segmenter. Segmented documents are cached in OUT (keyed by PDF and segmenting code) so a re-run only aligns.

Usage: python benchmarks/gold_pairs_bench.py [--out bench-out/gold] [--set KEY=VALUE ...] [--json F]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import align_documents
from aligner.evaluation import evaluate_frames, read_links_table
from aligner.io.tabular import alignment_to_frame
from aligner.segmentation.pipeline import segment_pdf
from devtools.devdata import GOLD_PDFS, documents_from_gold, gold_split, shared_data_dir
from devtools.options import add_model_options, embedder_from, parse_option


def segmented(stem: str, out: Path):
    """Both PDFs of a gold pair segmented, kept in OUT/documents by the segmenter's own cache, which is
    keyed by the segmenting code: a changed rule is never measured on a stale segmentation."""
    en_rel, cy_rel = GOLD_PDFS[stem]
    pdf = shared_data_dir() / "pdf"
    return tuple(segment_pdf(pdf / rel, use_cache=True, cache_dir=out) for rel in (en_rel, cy_rel))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("bench-out/gold"))
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--json", type=Path, default=None, help="Write the per-pair scores here.")
    ap.add_argument("--pairs", nargs="*", default=sorted(GOLD_PDFS))
    ap.add_argument("--no-blocks", action="store_true", help="Skip the gold-blocks input.")
    add_model_options(ap)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    params = AlignParams.from_options(dict(parse_option(s) for s in args.set))
    embedder = embedder_from(args)
    gold_dir = shared_data_dir() / "gold"
    rows = {}
    for stem in args.pairs:
        gold_tsv = gold_dir / f"{stem}.gold.tsv"
        gold_df = read_links_table(gold_tsv)
        en, cy = segmented(stem, args.out)
        pdf = evaluate_frames(gold_df, alignment_to_frame(align_documents(en, cy, params=params, embedder=embedder)))
        row = {"split": gold_split(stem), "pdf": round(pdf.strict_f1, 4)}
        if not args.no_blocks:
            gp = documents_from_gold(gold_tsv)
            blk = evaluate_frames(
                gold_df, alignment_to_frame(align_documents(gp.en, gp.cy, params=params, embedder=embedder))
            )
            row["blocks"] = round(blk.strict_f1, 4)
        rows[stem] = row
        print(f"{stem:28s} {row}", flush=True)
    print(f"\n{'pair':28s} {'split':12s} {'pdf F1':>7s} {'blocks F1':>9s}")
    for split in ("development", "validation"):
        for stem, row in rows.items():
            if row["split"] == split:
                print(f"{stem:28s} {split:12s} {row['pdf']:7.4f} {row.get('blocks', float('nan')):9.4f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
