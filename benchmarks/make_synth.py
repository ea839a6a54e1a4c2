"""Write the standard synthetic benchmark set and print what was made and how long it took.

    python benchmarks/make_synth.py OUT_DIR [--data DIR]

Pairs: ntrex ~20 pages, udhr (whole Declaration), mixed ~40 pages, ntrex ~120 pages, and a ~200-page
ntrex report (its English PDF is the input of the segmentation speed benchmark). Each pair has
``*.en.pdf``, ``*.cy.pdf``, ``*.gold.tsv`` and ``*.problems.json`` (see docs/synth.md).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools.synth.generate import generate_pair

STANDARD_SET = [
    {"source": "ntrex", "target_pages": 20, "seed": 0, "plant_number_changes": 4},
    {"source": "udhr", "target_pages": 10, "seed": 0, "plant_number_changes": 2},
    {"source": "mixed", "target_pages": 40, "seed": 0, "plant_number_changes": 6},
    {"source": "ntrex", "target_pages": 120, "seed": 1, "plant_number_changes": 10},
    {"source": "ntrex", "target_pages": 200, "seed": 2, "plant_number_changes": 0},
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    args = ap.parse_args()
    cols = ("pair", "pages en/cy", "gold rows", "1-0", "0-1", "2-1", "1-2", "numbers", "seconds")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    total = 0.0
    for spec in STANDARD_SET:
        t0 = time.perf_counter()
        r = generate_pair(args.out_dir, data_dir=args.data, **spec)
        dt = time.perf_counter() - t0
        total += dt
        p = json.loads(r.problems_json.read_text(encoding="utf-8"))
        n_rows = sum(1 for _ in r.gold_tsv.open(encoding="utf-8")) - 1
        cells = (
            r.gold_tsv.name.removesuffix(".gold.tsv"),
            f"{r.n_pages_en}/{r.n_pages_cy}",
            n_rows,
            len(p["omissions"]),
            len(p["additions"]),
            len(p["merges"]),
            len(p["splits"]),
            len(p["number_changes"]),
            f"{dt:.1f}",
        )
        print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\ntotal {total:.1f} s, peak RSS {peak_mb:.0f} MB, written to {args.out_dir}")


if __name__ == "__main__":
    main()
