"""Coverage report benchmark: detection of planted problems, and speed/size on a 200-page-sized alignment.

    python benchmarks/report_bench.py [--trials 200] [--copies 40] [--synth-seeds 0 1] [--data DIR]

Table 1 plants one problem of each kind (omission, addition, changed number, English pasted into the
Welsh, Welsh pasted into the English) in random rows of the hand-checked gold pairs, many times, and
counts how many are reported at the right link (recall) and what else is reported (false findings).
Table 2 repeats the standard-recall gold until it has the size of a ~200-page report and times
build_report and write_html, and Chromium's load of the page when Chromium is installed.
Table 4 (with --aligner) runs the real aligner: omissions and additions planted in the gold pairs
(read as gold blocks: perfect segmentation) and in edited NTREX pairs, and measures the untranslated
and added findings for precision as well as recall, development and validation pairs apart.
Table 3 (only with --synth-seeds) generates report PDFs with planted problems and runs the real
aligner; it is slow (tens of seconds per pair). Skips (exit 0) when the shared data folder is absent.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import report_support as gold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.alignment.params import AlignParams
from aligner.report.build import build_report, write_html
from aligner.report.numbers import extract_numbers

_DIGITS = re.compile(r"(?<![\d.,])\d+(?![\d])")


def _change_number(text: str, rng: random.Random) -> str | None:
    found = list(_DIGITS.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    new = str(int(m.group()) + rng.randint(1, 9))
    return text[: m.start()] + new + text[m.end() :]


def plant(rows: list[dict], rng: random.Random) -> tuple[list[dict], set[tuple[str, int]]]:
    """One problem of each kind in distinct random rows; returns the rows and the expected (kind, row)."""
    rows = [dict(r) for r in rows]
    order = list(range(len(rows)))
    rng.shuffle(order)
    expected: set[tuple[str, int]] = set()
    used: set[int] = set()

    def take(ok) -> int | None:
        for i in order:
            if i not in used and all(abs(i - j) > 1 for j in used) and ok(rows[i]):
                used.add(i)
                return i
        return None

    def long_enough(r: dict[str, str]) -> bool:
        return len(r["en"].split()) >= 8 and " ¶ " not in r["en"] + r["cy"]

    if (i := take(lambda r: True)) is not None:
        rows[i]["cy"] = ""
        expected.add(("untranslated", i))
    if (i := take(lambda r: True)) is not None:
        rows[i]["en"] = ""
        expected.add(("added", i))
    if (i := take(lambda r: bool(extract_numbers(r["cy"])))) is not None:
        rows[i]["cy"] = _change_number(rows[i]["cy"], rng)
        expected.add(("number_mismatch", i))
    if (i := take(long_enough)) is not None:
        rows[i]["cy"] = rows[i]["en"]
        expected.add(("english_in_welsh", i))
    if (i := take(long_enough)) is not None:
        rows[i]["en"] = rows[i]["cy"]
        expected.add(("welsh_in_english", i))
    return rows, expected


def detection_table(trials: int) -> None:
    planted, found, elsewhere, false = Counter(), Counter(), Counter(), Counter()
    clean_findings = 0
    files = gold.gold_files()
    baseline: dict[Path, set[tuple[str, int]]] = {}
    for path in files:
        found_clean = build_report(gold.gold_alignment(path)).findings
        clean_findings += len(found_clean)
        # What the unplanted pair already shows (its true one-sided rows, source errors, known false
        # findings) is measured on the clean pairs; a trial counts only what the planting changed.
        baseline[path] = {(f.kind, f.link_index) for f in found_clean}
    rng = random.Random(0)
    for t in range(trials):
        path = files[t % len(files)]
        rows, expected = plant(gold.gold_rows(path), rng)
        got = {(f.kind, f.link_index) for f in build_report(gold.alignment_from_rows(rows)).findings}
        planted_rows = {i for _, i in expected}
        for kind, i in expected:
            planted[kind] += 1
            if (kind, i) in got:
                found[kind] += 1
            elif any(j == i for _, j in got):
                elsewhere[kind] += 1
        for kind, i in got:
            false[kind] += i not in planted_rows and (kind, i) not in baseline[path]
    print(
        f"\n## Planted problems in gold pairs ({trials} trials over {len(files)} pairs; "
        f"findings on the {len(files)} clean pairs: {clean_findings})\n"
    )
    print("| planted | n | reported as planted | reported as another kind | missed | new findings on unplanted rows |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in sorted(planted):
        missed = planted[kind] - found[kind] - elsewhere[kind]
        print(f"| {kind} | {planted[kind]} | {found[kind]} | {elsewhere[kind]} | {missed} | {false[kind]} |")
    n, hit, other, fp = sum(planted.values()), sum(found.values()), sum(elsewhere.values()), sum(false.values())
    recall = (hit + other) / n
    precision = (hit + other) / (hit + other + fp) if hit + other else 0.0
    print(f"| **all** | {n} | {hit} | {other} | {n - hit - other} | {fp} |")
    print(
        f"\nrow-level recall {recall:.3f}, precision {precision:.3f}, "
        f"F1 {2 * precision * recall / (precision + recall):.3f}"
    )


def scale_table(copies: int) -> None:
    base = gold.gold_rows(gold.GOLD_DIR / "moj-standard-recall.gold.tsv")
    rng = random.Random(1)
    rows = []
    for c in range(copies):
        part, _ = plant(base, rng) if c % 4 == 0 else (base, None)
        rows.extend(
            {**r, "en_page": str(int(r["en_page"]) + 5 * c), "cy_page": str(int(r["cy_page"]) + 5 * c)} for r in part
        )
    alignment = gold.alignment_from_rows(rows, "scale")
    tracemalloc.start()
    t0 = time.perf_counter()
    report = build_report(alignment)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        write_html(report, alignment, page)
        t2 = time.perf_counter()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = page.stat().st_size
        chromium = shutil.which("chromium")
        load = float("nan")
        if chromium:
            t3 = time.perf_counter()
            subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    f"--user-data-dir={tmp}/profile",
                    f"--screenshot={tmp}/shot.png",
                    "--window-size=1280,2000",
                    page.as_uri(),
                ],
                capture_output=True,
                timeout=300,
                check=False,
            )
            load = time.perf_counter() - t3
    words = report.en.words + report.cy.words
    print(f"\n## Scale: standard-recall gold x{copies} (~{alignment.en.n_pages} EN pages)\n")
    print(
        "| links | words | findings | build_report s | write_html s | page MB | Python peak MB | "
        "process max RSS MB | chromium load+screenshot s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"| {len(alignment.links)} | {words} | {len(report.findings)} | {t1 - t0:.2f} | {t2 - t1:.2f} | "
        f"{size / 1e6:.2f} | {peak / 1e6:.1f} | {rss:.0f} | {load:.1f} |"
    )


def synth_table(seeds: list[int], pages: int) -> None:
    import json

    from aligner.api import load_alignment as load_alignment_for_report
    from devtools.synth.generate import generate_pair

    word = re.compile(r"\w+")

    def overlap(a: str, b: str) -> float:
        wa = set(word.findall(a.lower()))
        return len(wa & set(word.findall(b.lower()))) / max(1, len(wa))

    print(f"\n## Generated {pages}-page pairs through the real aligner\n")
    print("| seed | align s | omissions found | additions found | number changes found | other findings |")
    print("|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            pair = generate_pair(
                Path(tmp),
                source="ntrex",
                target_pages=pages,
                seed=seed,
                plant_number_changes=3,
                data_dir=gold.SHARED_DATA,
            )
            problems = json.loads(pair.problems_json.read_text(encoding="utf-8"))
            t0 = time.perf_counter()
            report = build_report(load_alignment_for_report([pair.en_pdf, pair.cy_pdf], cache_dir=Path(tmp) / "c"))
            dt = time.perf_counter() - t0
            used = set()

            def hits(items, kind, side, report=report, used=used):
                n = 0
                for p in items:
                    match = [
                        f
                        for f in report.findings
                        if f.kind == kind and overlap(p[side], f.en_text if side == "en" else f.cy_text) > 0.8
                    ]
                    if kind == "number_mismatch":
                        match = [f for f in match if any(p["cy_number"] in m for m in f.cy_marks)]
                    used.update(f.id for f in match)
                    n += bool(match)
                return f"{n}/{len(items)}"

            om = hits(problems["omissions"], "untranslated", "en")
            ad = hits(problems["additions"], "added", "cy")
            nu = hits(problems["number_changes"], "number_mismatch", "en")
            print(
                f"| {seed} | {dt:.1f} | {om} | {ad} | {nu} | {len([f for f in report.findings if f.id not in used])} |"
            )


def _planted_pair(stem: str, rng: random.Random, rate: float):
    """A gold pair with about ``rate`` of its 1-1 links made one-sided (Welsh dropped: untranslated,
    English dropped: added), never two neighbours; returns the documents and the true links."""
    from aligner.records import Document
    from devtools.devdata import documents_from_gold

    gp = documents_from_gold(gold.GOLD_DIR / f"{stem}.gold.tsv")
    one_one = [k for k, (e, c) in enumerate(gp.links) if len(e) == 1 and len(c) == 1]
    picked: list[int] = []
    for k in rng.sample(one_one, len(one_one)):
        if len(picked) >= max(2, round(rate * len(one_one))):
            break
        if all(abs(k - q) > 1 for q in picked):
            picked.append(k)
    drop_en, drop_cy = set(), set()
    for n, k in enumerate(picked):
        e, c = gp.links[k]
        (drop_cy if n % 2 == 0 else drop_en).add(c[0] if n % 2 == 0 else e[0])
    keep_en = [i for i in range(len(gp.en.blocks)) if i not in drop_en]
    keep_cy = [j for j in range(len(gp.cy.blocks)) if j not in drop_cy]
    new_en, new_cy = {i: t for t, i in enumerate(keep_en)}, {j: t for t, j in enumerate(keep_cy)}
    links = []
    for e, c in gp.links:
        e2, c2 = tuple(new_en[i] for i in e if i in new_en), tuple(new_cy[j] for j in c if j in new_cy)
        if e2 or c2:
            links.append((e2, c2))
    en = Document(gp.en.path, "en", 1, tuple(gp.en.blocks[i] for i in keep_en))
    cy = Document(gp.cy.path, "cy", 1, tuple(gp.cy.blocks[j] for j in keep_cy))
    return en, cy, links


def _runs(blocks) -> list[int]:
    """Run id per block: consecutive blocks with the same text ("£", "£") share one, as no reader (and no
    aligner) can tell which copy of a repeated cell is the one left out."""
    ids: list[int] = []
    for k, b in enumerate(blocks):
        same = k > 0 and " ".join(b.text.split()).casefold() == " ".join(blocks[k - 1].text.split()).casefold()
        ids.append(ids[-1] if same else k)
    return ids


def _one_sided_scores(alignment, true_links) -> Counter:
    """Counts of untranslated/added findings that are right (the block is one-sided in truth) and wrong,
    and of true one-sided blocks reported: at the exact block ("untranslated_tp"...), and with a finding
    on another copy of a run of identical cells counting for it ("copies_untranslated_tp"...)."""
    out: Counter = Counter()
    findings = build_report(alignment).findings
    for kind, side in (("untranslated", 0), ("added", 1)):
        truth = {(e, c)[side][0] for e, c in true_links if (e, c)[side] and not (e, c)[1 - side]}
        run = _runs((alignment.en, alignment.cy)[side].blocks)
        true_runs = {run[t] for t in truth}
        reported: list[int] = []
        for f in findings:
            if f.kind != kind:
                continue
            link_blocks = (alignment.links[f.link_index].en, alignment.links[f.link_index].cy)[side]
            out[f"{kind}_tp" if set(link_blocks) & truth else f"{kind}_fp"] += 1
            out[f"copies_{kind}_tp" if {run[k] for k in link_blocks} & true_runs else f"copies_{kind}_fp"] += 1
            reported.extend(link_blocks)
        out[f"{kind}_true"] += len(truth)
        out[f"copies_{kind}_true"] += len(truth)
        out[f"{kind}_found"] += len(truth & set(reported))
        per_run_true, per_run_reported = Counter(run[t] for t in truth), Counter(run[k] for k in set(reported))
        out[f"copies_{kind}_found"] += sum(min(n, per_run_reported[r]) for r, n in per_run_true.items())
    return out


def aligner_table(trials: int, ntrex: int, params: AlignParams | None = None) -> None:
    """Untranslated/added findings through the real aligner: precision and recall."""
    from aligner.alignment.pipeline import align_documents
    from devtools.devdata import GOLD_PDFS, gold_split, ntrex_documents

    rng = random.Random(7)
    counts: dict[str, Counter] = {"development": Counter(), "validation": Counter()}
    for stem in sorted(GOLD_PDFS):
        for _ in range(trials):
            en, cy, links = _planted_pair(stem, rng, 0.05)
            counts[gold_split(stem)] += _one_sided_scores(align_documents(en, cy, params=params), links)
    for seed in range(300, 300 + ntrex):
        gp = ntrex_documents(gold.SHARED_DATA / "parallel" / "ntrex128", seed=seed, paragraphs=80, edit_rate=0.3)
        counts["development"] += _one_sided_scores(align_documents(gp.en, gp.cy, params=params), gp.links)
    print(f"\n## Omissions and additions through the real aligner ({trials} plantings per gold pair, {ntrex} NTREX)\n")
    print("(copies_*: a finding on another copy of a run of identical cells, such as one of two adjacent '£',")
    print("counts for the copy that was removed: no reader can tell which of them is missing)\n")
    print("| split | finding | true one-sided | found | recall | reported | right | precision |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for split, c in counts.items():
        for kind in ("untranslated", "added", "copies_untranslated", "copies_added"):
            n, found = c[f"{kind}_true"], c[f"{kind}_found"]
            rep, tp = c[f"{kind}_tp"] + c[f"{kind}_fp"], c[f"{kind}_tp"]
            recall, precision = found / max(n, 1), tp / max(rep, 1)
            print(f"| {split} | {kind} | {n} | {found} | {recall:.3f} | {rep} | {tp} | {precision:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--synth-seeds", type=int, nargs="*", default=[])
    parser.add_argument("--synth-pages", type=int, default=6)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--aligner", action="store_true", help="Table 4: the real aligner (embeds; slow cold).")
    parser.add_argument("--aligner-trials", type=int, default=3)
    parser.add_argument("--ntrex", type=int, default=4)
    parser.add_argument("--only-aligner", action="store_true", help="Run table 4 only.")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="AlignParams for table 4.")
    args = parser.parse_args()
    if args.data is not None:
        gold.SHARED_DATA, gold.GOLD_DIR = args.data, args.data / "gold"
    if not gold.gold_files():
        print(f"skipped: no gold files in {gold.GOLD_DIR}")
        return
    if args.aligner or args.only_aligner:
        from devtools.options import parse_option

        aligner_table(
            args.aligner_trials, args.ntrex, AlignParams.from_options(dict(parse_option(o) for o in args.set))
        )
    if args.only_aligner:
        return
    detection_table(args.trials)
    scale_table(args.copies)
    if args.synth_seeds:
        synth_table(args.synth_seeds, args.synth_pages)


if __name__ == "__main__":
    main()
