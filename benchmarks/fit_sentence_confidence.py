"""Fit the logistic confidence of sentence links (SentenceParams.confidence_link / confidence_skip).

Data: the development NTREX pairs (``ntrex_documents`` seeds 0-5, each also with dropped Welsh lines,
see benchmarks/sentence_align_bench.py), whose sentence gold is exact; the sentence aligner runs on the
gold paragraph links. Examples: every unit the aligner outputs inside a multi-sentence link, plus near
misses around each gold unit (the Welsh side shifted by one, one sentence too many on either side, a
translated sentence left unaligned), labelled right when they are exactly a gold unit. Slopes come from
a logistic regression on all examples; the intercept is then shifted so that the mean confidence of the
aligner's own output units equals their accuracy (near misses are over-represented among examples).
Prints the coefficients to paste into aligner/alignment/params.py.

Usage: python benchmarks/fit_sentence_confidence.py [--seeds 0 1 2 3 4 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import brentq
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.alignment.embed import make_embedder
from aligner.alignment.params import AlignParams
from aligner.alignment.sentences import align_sentences, prepare_sentences, unit_features
from devtools.devdata import ntrex_documents, shared_data_dir
from devtools.sentence_gold import drop_welsh_lines, gold_alignment, ntrex_sentence_gold


def _candidates(n_en: int, n_cy: int, gold: list[tuple[list[int], list[int]]]) -> set[tuple[tuple[int, ...], ...]]:
    """Near misses around each gold unit: shifted, one sentence more on a side, left unaligned."""
    out = set()
    for en, cy in gold:
        if not (en and cy):
            continue
        i, j = en[0], cy[0]
        for e, c in (
            (en, [j + 1]),
            (en, [j - 1]),
            ([i + 1], cy),
            ([i - 1], cy),
            (en + [en[-1] + 1], cy),
            (en, cy + [cy[-1] + 1]),
            (en, []),
            ([], cy),
        ):
            if all(0 <= x < n_en for x in e) and all(0 <= y < n_cy for y in c) and (e or c):
                out.add((tuple(e), tuple(c)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2, 3, 4, 5])
    args = ap.parse_args(argv)
    ntrex = shared_data_dir() / "parallel" / "ntrex128"
    params, embedder = AlignParams(), make_embedder()
    two: list[tuple[list[float], int, bool]] = []  # features, label, is output
    one: list[tuple[list[float], int, bool]] = []
    for seed in args.seeds:
        base = ntrex_documents(ntrex, seed=seed)
        for pair in (base, drop_welsh_lines(base, ntrex, rate=0.3, seed=seed)):
            gold = ntrex_sentence_gold(pair, ntrex)
            paragraphs = gold_alignment(pair)
            prob = prepare_sentences(paragraphs, params, embedder)
            output = align_sentences(paragraphs, params=params, embedder=embedder).sentence_links or ()
            for k, ls in prob.todo.items():
                units = gold.get(k)
                if units is None:
                    continue
                en_pos = {s: i for i, s in enumerate(ls.en)}
                cy_pos = {s: j for j, s in enumerate(ls.cy)}
                local = {(tuple(en_pos[x] for x in e), tuple(cy_pos[y] for y in c)) for e, c in units}
                mine = {(tuple(en_pos[x] for x in s.en), tuple(cy_pos[y] for y in s.cy)) for s in output if s.link == k}
                cands = mine | _candidates(len(ls.en), len(ls.cy), [(list(e), list(c)) for e, c in local])
                for e, c in cands:
                    f = unit_features(ls, prob.scorer, list(e), list(c))
                    label, is_out = int((e, c) in local), (e, c) in mine
                    if e and c:
                        sim = min(f.sim, params.sentences.confidence_sim_cap)
                        two.append(([sim, abs(f.length), float(len(e) + len(c) > 2)], label, is_out))
                    else:
                        one.append(([f.sim], label, is_out))
    for name, rows in (("confidence_link", two), ("confidence_skip", one)):
        x = np.array([r[0] for r in rows])
        y = np.array([r[1] for r in rows])
        out = np.array([r[2] for r in rows])
        model = LogisticRegression(C=10.0).fit(x, y)
        slopes = model.coef_[0]
        z_out = x[out] @ slopes

        def gap(b0: float, z_out: np.ndarray = z_out, acc: float = float(y[out].mean())) -> float:
            return float(np.mean(1 / (1 + np.exp(-(b0 + z_out))))) - acc

        b0 = brentq(gap, -50, 50) if 0 < y[out].mean() < 1 else float(model.intercept_[0])
        coefs = (round(b0, 3), *(round(float(v), 3) for v in slopes))
        print(
            f"{name} = {coefs}  # examples {len(y)}, right {y.mean():.3f}; output units {out.sum()}, "
            f"accuracy {y[out].mean():.3f}"
        )
        conf = 1 / (1 + np.exp(-(b0 + x @ slopes)))
        for lo, hi in ((0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01)):
            sel = out & (conf >= lo) & (conf < hi)
            if sel.any():
                print(
                    f"  output units with confidence {lo:.2f}-{min(hi, 1):.2f}: "
                    f"{sel.sum():4d}, right {y[sel].mean():.3f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
