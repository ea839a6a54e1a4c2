"""Segmentation speed on a long generated report (default 200 pages).

The report is laid out with fpdf2 here (running header, "Page N of M" footer, a table of contents
with dot leaders, numbered headings, paragraphs, bullet lists, footnotes with raised markers, a
ruled table), so the benchmark needs no shared data. Prints pages, seconds, ms/page, peak memory
(this process and its worker processes), and blocks by kind.

Usage: python benchmarks/segment_speed.py [--pages 200] [--runs 2] [--keep DIR] [--pdf FILE]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ is in the source tree, not the wheel

from aligner.segmentation.pipeline import pool_context, segment_pdf
from devtools.synth.layout import add_unicode_fonts

SENTENCES = [
    "The council reviewed the delivery of local services during the year and agreed a new plan.",
    "Most people who responded to the consultation supported the proposals set out in this report.",
    "Funding for the programme rose by twelve per cent compared with the previous financial year.",
    "We will publish a progress update every six months so that residents can follow the work.",
    "Further information is available from the team, who can also provide the data in other formats.",
    "The independent panel made several recommendations, and the board accepted all of them.",
    "Waiting times fell in three of the four regions, although demand continued to increase.",
    "Partners across the public sector contributed staff, buildings and expertise to the scheme.",
]


def _font(pdf) -> str:
    return add_unicode_fonts(pdf, "Body")


def build_report(path: Path, pages: int, seed: int = 0) -> None:
    """A report of about ``pages`` pages with the furniture real reports have."""
    from fpdf import FPDF

    rng = random.Random(seed)

    class Report(FPDF):
        def header(self):
            self.set_font(font, "", 8)
            self.cell(0, 6, "Annual Report 2024 – Example Council", align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self):
            self.set_y(-12)
            self.set_font(font, "", 8)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Report(format="A4")
    pdf.set_auto_page_break(True, margin=28)
    font = _font(pdf)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(font, "B", 18)
    pdf.multi_cell(0, 10, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 10)
    for i in range(1, 13):
        pdf.cell(0, 7, f"{i} Section title number {i} " + "." * 60 + f" {i * 3}", new_x="LMARGIN", new_y="NEXT")
    section = 0
    note = 0
    while pdf.page_no() < pages:
        section += 1
        pdf.set_font(font, "B", 15)
        pdf.multi_cell(0, 9, f"{section} Section title number {section}", new_x="LMARGIN", new_y="NEXT")
        for sub in range(1, 4):
            pdf.set_font(font, "B", 12)
            pdf.ln(2)
            pdf.multi_cell(0, 7, f"{section}.{sub} Subsection about topic {sub}", new_x="LMARGIN", new_y="NEXT")
            for _ in range(3):
                pdf.set_font(font, "", 10)
                pdf.ln(2)
                text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 6)))
                pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            for _ in range(3):
                pdf.set_x(pdf.l_margin + 4)
                pdf.multi_cell(0, 5, "• " + rng.choice(SENTENCES), new_x="LMARGIN", new_y="NEXT")
            if sub == 2:
                pdf.ln(2)
                with pdf.table(col_widths=(50, 30, 30), width=110, text_align="LEFT") as table:
                    for row in (("Region", "2023", "2024"), ("North", "1,204", "1,310"), ("South", "987", "1,002")):
                        r = table.row()
                        for cell in row:
                            r.cell(cell)
            if pdf.page_no() >= pages:
                break
        note += 1
        pdf.set_font(font, "", 10)
        pdf.ln(2)
        pdf.write(5, "Spending on the programme was higher than planned in 2016")
        pdf.char_vpos = "SUP"
        pdf.write(5, str(note))
        pdf.char_vpos = "LINE"
        pdf.write(5, " and is explained below.")
        pdf.ln(8)
    pdf.output(str(path))


def _cpu_seconds() -> float:
    """User+system CPU time of this process and its finished worker processes."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peak_memory_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its (finished) worker processes, in MB."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--runs", type=int, default=2, help="timed runs (the best is reported)")
    ap.add_argument("--keep", type=Path, default=None, help="folder to keep the generated PDF in")
    ap.add_argument("--pdf", type=Path, default=None, help="time this PDF instead of a generated report")
    args = ap.parse_args()
    if args.pdf:
        pdf = args.pdf
    else:
        folder = args.keep or Path(tempfile.mkdtemp(prefix="segment-speed-"))
        folder.mkdir(parents=True, exist_ok=True)
        pdf = folder / f"report-{args.pages}p.pdf"
        if not pdf.exists():
            # built in a separate process: fpdf2 leaves threads behind, and a threaded process
            # makes segment_pdf start its workers with the slower forkserver
            import multiprocessing

            builder = multiprocessing.get_context("spawn").Process(target=build_report, args=(pdf, args.pages))
            builder.start()
            builder.join()
    times = []
    doc = None
    c0 = _cpu_seconds()
    for _ in range(args.runs):
        t0 = time.perf_counter()
        doc = segment_pdf(pdf)
        times.append(time.perf_counter() - t0)
    cpu = (_cpu_seconds() - c0) / args.runs  # workers are counted once reaped, so average over runs
    assert doc is not None
    me, kids = peak_memory_mb()
    best = min(times)
    kinds = Counter(b.kind.value for b in doc.blocks)
    print(
        f"{'pages':>6} {'seconds':>8} {'ms/page':>8} {'CPU s/run (all procs)':>22} {'peak MB (main)':>15} "
        f"{'peak MB (worker)':>17} {'blocks':>7}"
    )
    print(
        f"{doc.n_pages:6d} {best:8.2f} {1000 * best / doc.n_pages:8.1f} {cpu:22.2f} {me:15.0f} {kids:17.0f} "
        f"{len(doc.blocks):7d}"
    )
    method = pool_context().get_start_method()
    if method != "fork":
        print(
            f"worker start method: {method} (its workers are not this process's children: CPU and worker memory "
            "columns miss them)"
        )
    print(
        f"load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(wall time is inflated when other jobs share the cores; CPU time is not)"
    )
    print("blocks by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"running headers/footers removed: {len(doc.removed)}")
    print(f"target: <= 6 s for 200 pages -> {'OK' if best * 200 / doc.n_pages <= 6 else 'TOO SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
