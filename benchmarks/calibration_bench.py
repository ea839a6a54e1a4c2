"""Is a link's score a probability? Reliability of link confidences, development against validation.

A link counts as right only when it is exactly a gold link, unit boundaries included (the strict
match of ``aligner.evaluation``). Data:
  development  edited NTREX pairs (``devtools.devdata.ntrex_documents``, seeds 200+) and the
               development gold pairs, both as gold blocks (perfect segmentation) and from the PDFs;
  validation   the held-out publisher's gold pairs (hmcts-*), gold blocks and PDFs: never fitted on.
Prints, per score band, the number of links, their mean score and the share exactly right, the
expected calibration error (ECE: band-size-weighted |mean score - accuracy|) and the accuracy of
links scored >= 0.9, for development and validation side by side.

``--noise R`` adds each development gold pair again with a share R of its blocks merged or cut
(``devtools.devdata.with_segmentation_noise``): the links of a segmenter that errs, as on layouts it
reads less well (the coefficients in AlignParams were fitted with ``--noise 0.1``).

``--synth SOURCE ...`` adds generated documents printed by Word (LibreOffice) and read from their PDFs by
the real segmenter, whose gold is exact by construction: the links of a segmenter that errs for real, on
forms, report cards and guides (``--synth-engine docx-restyled``: each edition in a house style of its own). Seeds ``--synth-dev-seeds`` join the development set (they are the seeds
the layout rules were developed on); ``--synth-held-seeds`` are a third column, never fitted on.

``--fit`` refits the logistic coefficients (``AlignParams.confidence_link`` / ``confidence_skip``) on
the development links only (IRLS with a small L2, the aligner's own output links as samples) and
prints both tables again with them; paste the printed coefficients into AlignParams.

Usage: python benchmarks/calibration_bench.py [--out bench-out/calibration] [--ntrex 4] [--noise 0.1]
       [--synth form card guide [--synth-engine docx-restyled] [--synth-dev-seeds 0 1 2 3]
       [--synth-held-seeds 4 5 6 7]] [--fit]
"""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.alignment.confidence import confidence_x
from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import finished_links, solve
from aligner.evaluation import evaluate_frames, read_links_table
from aligner.io.tabular import alignment_to_frame
from aligner.records import Alignment
from devtools.devdata import (
    GOLD_PDFS,
    documents_from_gold,
    gold_split,
    ntrex_documents,
    shared_data_dir,
    with_segmentation_noise,
)
from devtools.options import add_model_options, embedder_from

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gold_pairs_bench import segmented

SYNTH_PAGES = {"form": 12, "card": 12, "guide": 20}  # as in segment_gold.py's commands (docs/benchmarks.md)
BANDS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001)


@dataclass
class Sample:
    score: float
    right: bool
    two_sided: bool
    x: list[float]
    feat: object = None
    kind: str = ""


def samples_for(en, cy, right_of, embedder, params, cache_dir) -> list[Sample]:
    """Every output link of one pair with its score, whether it is right (``right_of(alignment)`` gives
    the indices of the right links) and the regressors its confidence was computed from."""
    sol = solve(en, cy, embedder, params, cache_dir=cache_dir)
    finished = finished_links(sol, params)
    alignment = Alignment(en, cy, tuple(link for link, _ in finished), {})
    right = right_of(alignment)
    return [
        Sample(
            link.score, k in right, bool(link.en and link.cy), confidence_x(feat, link.kind, params), feat, link.kind
        )
        for k, (link, feat) in enumerate(finished)
    ]


def collect(args, embedder, params) -> dict[str, list[Sample]]:
    data = shared_data_dir()
    gold_dir = data / "gold"
    sets: dict[str, list[Sample]] = {"development": [], "validation": []}
    for seed in range(200, 200 + args.ntrex):
        gp = ntrex_documents(
            data / "parallel" / "ntrex128", seed=seed, paragraphs=80, edit_rate=0.3, numbered=seed % 2 == 0
        )
        gold = set(gp.links)

        def by_index(al, gold=gold):
            return {k for k, link in enumerate(al.links) if (link.en, link.cy) in gold}

        sets["development"] += samples_for(gp.en, gp.cy, by_index, embedder, params, args.cache)
    for stem in sorted(GOLD_PDFS):
        gold_tsv = gold_dir / f"{stem}.gold.tsv"
        gold_df = read_links_table(gold_tsv)

        def strict(al, gold_df=gold_df):
            return set(evaluate_frames(gold_df, alignment_to_frame(al)).strict_rows)

        gp = documents_from_gold(gold_tsv)
        split = gold_split(stem)
        sets[split] += samples_for(gp.en, gp.cy, strict, embedder, params, args.cache)
        if split == "development" and args.noise > 0:
            noisy = with_segmentation_noise(gp, args.noise, seed=len(stem))
            right = set(noisy.links)
            sets[split] += samples_for(
                noisy.en,
                noisy.cy,
                lambda al, right=right: {k for k, lk in enumerate(al.links) if (lk.en, lk.cy) in right},
                embedder,
                params,
                args.cache,
            )
        en, cy = segmented(stem, args.out)
        sets[split] += samples_for(en, cy, strict, embedder, params, args.cache)
        print(f"  {stem}: {split}", file=sys.stderr, flush=True)
    seeds = [("development", s) for s in args.synth_dev_seeds] + [
        ("generated held out", s) for s in args.synth_held_seeds
    ]
    for source in args.synth:
        for split, seed in seeds:
            sets.setdefault(split, [])
            sets[split] += synth_samples(source, seed, args, embedder, params)
    return sets


def synth_samples(source: str, seed: int, args, embedder, params) -> list[Sample]:
    """The links of one generated Word-printed pair, both PDFs through the real segmenter."""
    from aligner.segmentation.pipeline import segment_pdf
    from devtools.synth.generate import generate_pair

    pair = generate_pair(
        args.out / "synth",
        source=source,
        target_pages=SYNTH_PAGES[source],
        seed=seed,
        data_dir=shared_data_dir(),
        engine=args.synth_engine,
    )
    gold_df = read_links_table(pair.gold_tsv)
    en, cy = (segment_pdf(pdf, use_cache=True, cache_dir=args.out) for pdf in (pair.en_pdf, pair.cy_pdf))

    def strict(al):
        return set(evaluate_frames(gold_df, alignment_to_frame(al)).strict_rows)

    print(f"  {source} s{seed}: generated", file=sys.stderr, flush=True)
    return samples_for(en, cy, strict, embedder, params, args.cache)


def reliability(samples: list[Sample]) -> tuple[list[tuple[int, float, float]], float, float]:
    """Per band (count, mean score, accuracy); ECE; accuracy of links scored >= 0.9."""
    p = np.array([s.score for s in samples])
    y = np.array([s.right for s in samples], float)
    rows, ece = [], 0.0
    for lo, hi in pairwise(BANDS):
        sel = (p >= lo) & (p < hi)
        if sel.any():
            rows.append((int(sel.sum()), float(p[sel].mean()), float(y[sel].mean())))
            ece += sel.sum() / len(p) * abs(p[sel].mean() - y[sel].mean())
        else:
            rows.append((0, float("nan"), float("nan")))
    high = p >= 0.9
    return rows, float(ece), float(y[high].mean()) if high.any() else float("nan")


def print_table(title: str, sets: dict[str, list[Sample]]) -> None:
    print(f"\n{title}")
    tables = {name: reliability(s) for name, s in sets.items()}
    head = "".join(f"{'n':>7}{'mean':>7}{'right':>7}  " for _ in tables)
    print(f"{'band':<12}" + "".join(f"{name:^23}" for name in tables))
    print(f"{'':<12}{head}")
    for b, (lo, hi) in enumerate(pairwise(BANDS)):
        cells = []
        for rows, _, _ in tables.values():
            n, mean, acc = rows[b]
            cells.append(f"{n:>7}{mean:>7.3f}{acc:>7.3f}  " if n else f"{0:>7}{'':>7}{'':>7}  ")
        print(f"{lo:.2f}-{min(hi, 1.0):.2f}   " + "".join(cells))
    print(f"{'ECE':<12}" + "".join(f"{ece:>21.3f}  " for _, ece, _ in tables.values()))
    print(f"{'right >=0.9':<12}" + "".join(f"{hi:>21.3f}  " for _, _, hi in tables.values()))
    print(f"{'links':<12}" + "".join(f"{len(s):>21d}  " for s in sets.values()))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, iters: int = 100) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (IRLS); the intercept is not penalised."""
    w = np.zeros(x.shape[1])
    pen = np.full(x.shape[1], l2)
    pen[0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + pen * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(pen) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def rescored(samples: list[Sample], link_w: np.ndarray, skip_w: np.ndarray) -> list[Sample]:
    out = []
    for s in samples:
        w = link_w if s.two_sided else skip_w
        p = 1 / (1 + np.exp(-float(np.dot(w, s.x))))
        out.append(replace(s, score=p))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("bench-out/calibration"))
    ap.add_argument("--cache", type=Path, default=None, help="Embedding cache (default: $ALIGNER_CACHE_DIR).")
    ap.add_argument("--ntrex", type=int, default=4, help="Edited NTREX pairs in the development set.")
    ap.add_argument("--fit", action="store_true", help="Refit the coefficients on development links.")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument(
        "--noise",
        type=float,
        default=0.0,
        help="Also sample each development gold pair with this share of its blocks merged or cut "
        "(devtools.devdata.with_segmentation_noise): links of a segmenter that errs.",
    )
    ap.add_argument("--synth", nargs="*", default=[], choices=sorted(SYNTH_PAGES), help="Generated sources.")
    ap.add_argument(
        "--synth-engine",
        default="docx",
        choices=("docx", "docx-tagged", "docx-restyled", "docx-columns"),
        help="How the generated pairs are printed (docx-restyled: each edition in a house style of its own, "
        "where the segmenter errs most).",
    )
    ap.add_argument("--synth-dev-seeds", type=int, nargs="*", default=[0, 1, 2, 3])
    ap.add_argument("--synth-held-seeds", type=int, nargs="*", default=[4, 5, 6, 7])
    add_model_options(ap)
    args = ap.parse_args(argv)
    if not shared_data_dir().exists():
        print("shared data not found; nothing to do")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    params = AlignParams()
    sets = collect(args, embedder_from(args), params)
    (args.out / "calibration-samples.pkl").write_bytes(pickle.dumps(sets))
    print_table("current AlignParams confidences", sets)
    if args.fit:
        dev = sets["development"]
        ws = []
        for two in (True, False):
            x = np.array([s.x for s in dev if s.two_sided == two])
            y = np.array([s.right for s in dev if s.two_sided == two], float)
            ws.append(fit_logistic(x, y, args.l2))
        print(f"\nconfidence_link = ({', '.join(f'{v:.3f}' for v in ws[0])})")
        print(f"confidence_skip = ({', '.join(f'{v:.3f}' for v in ws[1])})")
        print_table("refitted on development", {k: rescored(v, *ws) for k, v in sets.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
