"""Per-pair outcome rows and the batch summary (CSV and the printed table)."""

from __future__ import annotations

import csv
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

STATUS_OK = "ok"
"""Aligned in this run."""
STATUS_SKIPPED = "skipped"
"""Finished by an earlier run (its done marker matched); figures are read from that marker."""
STATUS_FAILED = "failed"
STATUS_NOT_RUN = "not-run"
"""Never started because the batch stopped early (fail_fast)."""
FINISHED = (STATUS_OK, STATUS_SKIPPED)

TABLE_ID_WIDTH = 32
TABLE_ERROR_WIDTH = 60


@dataclass
class PairOutcome:
    """One row of the summary: what happened to one pair and its headline figures."""

    id: str
    status: str
    pages_en: int = 0
    pages_cy: int = 0
    links_1_1: int = 0
    links_1_0: int = 0
    links_0_1: int = 0
    links_merge: int = 0
    """Links with more than one block on a side (2-1, 1-2, 2-2, 3-1, 1-3)."""
    aligned_share: float | None = None
    """Share of all words, both languages, in two-sided links (the coverage report's figure)."""
    mean_confidence: float | None = None
    """Mean confidence over all links, one-sided ones included."""
    findings: int = 0
    warnings: str = ""
    error: str = ""
    seconds: float = 0.0
    en: str = ""
    cy: str = ""

    @property
    def pages(self) -> int:
        return self.pages_en + self.pages_cy

    @property
    def links(self) -> int:
        return self.links_1_1 + self.links_1_0 + self.links_0_1 + self.links_merge

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PairOutcome:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


SUMMARY_COLUMNS = [f.name for f in fields(PairOutcome)]


@dataclass
class BatchSummary:
    outdir: Path
    rows: list[PairOutcome]
    seconds: float
    stopped_early: bool = False
    summary_csv: Path | None = None
    corpus_tmx: Path | None = None
    index_html: Path | None = None
    notes: list[str] = field(default_factory=list)
    """Batch-level remarks (differing settings signatures in the corpus, a worker that died)."""

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def aligned(self) -> int:
        """Pairs actually aligned by this run (not the ones skipped as finished)."""
        return self.count(STATUS_OK)

    @property
    def skipped(self) -> int:
        return self.count(STATUS_SKIPPED)

    @property
    def failed(self) -> int:
        return self.count(STATUS_FAILED)

    @property
    def not_run(self) -> int:
        return self.count(STATUS_NOT_RUN)

    def headline(self) -> str:
        pages = sum(r.pages for r in self.rows if r.status == STATUS_OK)
        rate = f", {pages / self.seconds:.1f} pages/s" if self.seconds > 0 and pages else ""
        stop = " (stopped at the first failure)" if self.stopped_early else ""
        return (
            f"{len(self.rows)} pairs: {self.aligned} aligned, {self.skipped} already done, "
            f"{self.failed} failed"
            + (f", {self.not_run} not run" if self.not_run else "")
            + f" in {self.seconds:.1f} s{rate}{stop} -> {self.outdir}"
        )

    def format_table(self) -> str:
        """The summary as a fixed-width text table, one line per pair, then the headline."""
        head = (
            f"{'id':<{TABLE_ID_WIDTH}} {'status':<8} {'pages':>7} {'1-1':>5} {'1-0':>4} {'0-1':>4} "
            f"{'merge':>5} "
            f"{'aligned':>7} {'conf':>5} {'warn':>4} {'secs':>6}  error"
        )
        lines = [head, "-" * len(head)]
        for r in self.rows:
            share = f"{r.aligned_share:.1%}" if r.aligned_share is not None else "-"
            conf = f"{r.mean_confidence:.2f}" if r.mean_confidence is not None else "-"
            warn = len([w for w in r.warnings.split("; ") if w])
            pages = f"{r.pages_en}/{r.pages_cy}" if r.status in FINISHED else "-"
            error = r.error if len(r.error) <= TABLE_ERROR_WIDTH else r.error[: TABLE_ERROR_WIDTH - 1] + "…"
            lines.append(
                f"{r.id[:TABLE_ID_WIDTH]:<{TABLE_ID_WIDTH}} {r.status:<8} {pages:>7} {r.links_1_1:>5} "
                f"{r.links_1_0:>4} {r.links_0_1:>4} {r.links_merge:>5} {share:>7} {conf:>5} {warn:>4} "
                f"{r.seconds:>6.1f}  {error}".rstrip()
            )
        lines.append(self.headline())
        return "\n".join(lines)


def write_summary_csv(rows: list[PairOutcome], path: str | os.PathLike[str]) -> None:
    """The summary table as CSV (written to a temporary name, then renamed)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in r.to_dict().items()})
    os.replace(tmp, path)
