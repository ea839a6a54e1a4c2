"""Batch benchmark: an archive of N pairs, paired, aligned, killed half way, resumed, and timed per worker count.

    python benchmarks/batch_bench.py [--n 200] [--synth 10] [--workers 1 2 4] [--work DIR] [--data DIR]

The archive is built from the real pairs in shared/data/pdf (copied under different names and naming
conventions, in folders of 25) plus ``--synth`` generated pairs (devtools.synth) and one corrupt PDF
(a truncated English file). Steps: ``find_pairs`` on the archive; a first ``aligner batch`` run
(cold embedding cache) killed with SIGKILL once half the pairs are done; a re-run that must align only
the rest; then, with the cache warm, one full run per worker count into a fresh folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligner.batch import find_pairs, run_batch, write_manifest
from aligner.batch.runner import MARKER_NAME, PAIRS_DIR
from devtools.devdata import shared_data_dir

REPO = Path(__file__).resolve().parents[1]
REAL_PAIRS = [  # (name, English, Welsh) under shared/data/pdf; the bad-input folders are left out
    (
        "annuity-testimonials",
        "mas-annuity-transcripts/customer-testimonials.en.pdf",
        "mas-annuity-transcripts/customer-testimonials.cy.pdf",
    ),
    (
        "annuity-fixed",
        "mas-annuity-transcripts/fixed-or-increasing.en.pdf",
        "mas-annuity-transcripts/fixed-or-increasing.cy.pdf",
    ),
    (
        "annuity-guarantee",
        "mas-annuity-transcripts/guarantee-period.en.pdf",
        "mas-annuity-transcripts/guarantee-period.cy.pdf",
    ),
    ("annuity-health", "mas-annuity-transcripts/health.en.pdf", "mas-annuity-transcripts/health.cy.pdf"),
    (
        "annuity-joint",
        "mas-annuity-transcripts/single-vs-joint.en.pdf",
        "mas-annuity-transcripts/single-vs-joint.cy.pdf",
    ),
    ("notice-annex1", "hmcts-forms/annex1.en.pdf", "hmcts-forms/annex1.cy.pdf"),
    (
        "recall-fixed",
        "moj-recall-leaflets/Fixed-recall-information-leaflet-English.pdf",
        "moj-recall-leaflets/Fixed-recall-information-leaflet-Welsh.pdf",
    ),
    (
        "recall-standard",
        "moj-recall-leaflets/Standard-recall-information-leaflet-English.pdf",
        "moj-recall-leaflets/Standard-recall-information-leaflet-Welsh.pdf",
    ),
    ("tribunal-et1", "hmcts-tribunal-forms/et1-claim.en.pdf", "hmcts-tribunal-forms/et1-claim.cy.pdf"),
    ("legal-aid-cw1", "laa-forms/cw1-and-2.en.pdf", "laa-forms/cw1-and-2.cy.pdf"),
]
CONVENTIONS = [  # (English name, Welsh name) from a stem
    ("{}.en.pdf", "{}.cy.pdf"),
    ("{}.pdf", "{}-cy.pdf"),
    ("{}_english.pdf", "{}_welsh.pdf"),
    ("EN_{}.pdf", "CY_{}.pdf"),
    ("{}-English.pdf", "{}-Welsh.pdf"),
    ("{}-e.pdf", "{}-w.pdf"),
    ("{}.pdf", "{}-cymraeg.pdf"),
]
PAIRS_PER_FOLDER = 25
SYNTH_PAGES = 3
KILL_AT = 0.5
"""Share of the pairs done when the first run is killed."""
POLL_S = 0.2
CORRUPT_BYTES = 2000


def build_archive(root: Path, n: int, n_synth: int, data: Path) -> list[tuple[str, Path, Path]]:
    """Copies of the real pairs (and generated ones) under rotating naming conventions, one corrupt."""
    sources = [
        (name, data / "pdf" / en, data / "pdf" / cy) for name, en, cy in REAL_PAIRS if (data / "pdf" / en).is_file()
    ]
    if n_synth:
        from devtools.synth import generate_pair

        synth_dir = root.parent / "synth"
        for seed in range(n_synth):
            r = generate_pair(synth_dir, source="ntrex", target_pages=SYNTH_PAGES, seed=seed)
            stem = r.gold_tsv.name.removesuffix(".gold.tsv")
            sources.append((f"synth-{seed}", synth_dir / f"{stem}.en.pdf", synth_dir / f"{stem}.cy.pdf"))
    if not sources:
        raise SystemExit(f"no source pairs: {data / 'pdf'} is missing and --synth is 0")
    made = []
    for i in range(n - 1):
        name, en, cy = sources[i % len(sources)]
        en_pat, cy_pat = CONVENTIONS[i % len(CONVENTIONS)]
        folder = root / f"box{i // PAIRS_PER_FOLDER:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{name}-{i:03d}"
        made.append(
            (stem, shutil.copyfile(en, folder / en_pat.format(stem)), shutil.copyfile(cy, folder / cy_pat.format(stem)))
        )
    name, en, cy = sources[0]
    bad = root / "corrupt" / "damaged-report.en.pdf"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(en.read_bytes()[:CORRUPT_BYTES])
    made.append(("damaged-report", bad, shutil.copyfile(cy, bad.parent / "damaged-report.cy.pdf")))
    return made


def count_done(outdir: Path) -> int:
    return len(list((outdir / PAIRS_DIR).glob(f"*/{MARKER_NAME}")))


def killed_run(manifest: Path, outdir: Path, cache: Path, workers: int, n: int) -> tuple[int, float]:
    """Run the CLI and SIGKILL its whole process group once KILL_AT of the pairs are done."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [
        sys.executable,
        "-m",
        "aligner",
        "batch",
        str(manifest),
        "-o",
        str(outdir),
        "--workers",
        str(workers),
        "--cache-dir",
        str(cache),
        "-q",
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    target = int(n * KILL_AT)
    while proc.poll() is None and count_done(outdir) < target:
        time.sleep(POLL_S)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return count_done(outdir), time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="pairs in the archive, the corrupt one included")
    ap.add_argument("--synth", type=int, default=10, help="generated pairs among the sources")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--resume-workers", type=int, default=2, help="workers for the killed run and the re-run")
    ap.add_argument("--work", type=Path, default=Path("/tmp/aligner-batch-bench"))
    ap.add_argument("--data", type=Path, default=shared_data_dir())
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    archive, cache = args.work / "archive", args.work / "cache"
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; Python {sys.version.split()[0]}")

    t0 = time.perf_counter()
    made = build_archive(archive, args.n, args.synth, args.data)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = find_pairs(archive)
    t_pair = time.perf_counter() - t0
    manifest = args.work / "manifest.csv"
    write_manifest(result, manifest)
    print(
        f"archive: {len(made)} pairs built in {t_build:.1f} s; find_pairs: {len(result.pairs)} pairs, "
        f"{len(result.unpaired)} unpaired in {t_pair:.2f} s"
    )
    methods: dict[str, int] = {}
    for p in result.pairs:
        methods[p.method] = methods.get(p.method, 0) + 1
    print("  methods: " + ", ".join(f"{k} {v}" for k, v in sorted(methods.items())))
    n = len(result.pairs)

    resumed = args.work / "resumed"
    done_at_kill, t_kill = killed_run(manifest, resumed, cache, args.resume_workers, n)
    print(
        f"\nkilled run ({args.resume_workers} workers, cold cache): SIGKILL after {t_kill:.1f} s "
        f"with {done_at_kill} of {n} pairs done"
    )
    rerun = run_batch(manifest, resumed, workers=args.resume_workers, cache_dir=cache, progress=False)
    print(
        f"re-run: {rerun.aligned} aligned, {rerun.skipped} skipped (finished before the kill), "
        f"{rerun.failed} failed in {rerun.seconds:.1f} s; {rerun.aligned} + {rerun.skipped} + {rerun.failed} = "
        f"{rerun.aligned + rerun.skipped + rerun.failed} of {n}"
    )
    failed = [r for r in rerun.rows if r.status == "failed"]
    for r in failed:
        print(f"  failed: {r.id}: {r.error}")

    print("\nwarm cache, full runs into a fresh folder:")
    print("| workers | seconds | pairs/s | pages/s | aligned | failed | speed-up |")
    print("|---|---|---|---|---|---|---|")
    base = None
    for w in args.workers:
        out = args.work / f"w{w}"
        shutil.rmtree(out, ignore_errors=True)
        s = run_batch(manifest, out, workers=w, cache_dir=cache, progress=False)
        pages = sum(r.pages for r in s.rows if r.status == "ok")
        base = base or s.seconds
        print(
            f"| {w} | {s.seconds:.1f} | {len(s.rows) / s.seconds:.2f} | {pages / s.seconds:.1f} | {s.aligned} | "
            f"{s.failed} | {base / s.seconds:.2f}x |",
            flush=True,
        )
    print(
        f"\npages per run: {pages} (EN + CY); load average at the end {os.getloadavg()[0]:.1f}; "
        f"{os.cpu_count()} cores, so more than {os.cpu_count()} workers cannot add speed"
    )


if __name__ == "__main__":
    main()
