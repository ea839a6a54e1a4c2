"""The coverage report's records: per-language totals, coverage bars and the report itself."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from aligner.report.findings import FINDING_KINDS, Finding, FindingKind, LinkContext, ReportSettings


@dataclass(frozen=True)
class SideStats:
    blocks: int
    words: int
    aligned_blocks: int
    aligned_words: int

    @property
    def aligned_share(self) -> float:
        return self.aligned_words / self.words if self.words else 1.0


@dataclass(frozen=True)
class CoverageBar:
    """Aligned share of the words in one section (or run of pages); ``anchor`` is its first row."""

    label: str
    anchor: str
    words: int
    aligned_words: int
    findings: int

    @property
    def share(self) -> float:
        return self.aligned_words / self.words if self.words else 1.0


@dataclass
class Report:
    en: SideStats
    cy: SideStats
    aligned_share: float
    """Share of all words, both languages together, that sit in two-sided links."""
    findings: list[Finding]
    coverage: list[CoverageBar]
    coverage_by: str
    """'section' or 'page'."""
    settings: ReportSettings
    alignment_settings: dict[str, Any]
    link_kinds: dict[str, int]
    contexts: list[LinkContext] = field(repr=False, default_factory=list)

    def counts(self) -> dict[FindingKind, int]:
        """Findings per kind, every kind present (zero when none)."""
        counts = {k: 0 for k in FINDING_KINDS}
        for f in self.findings:
            counts[f.kind] += 1
        return counts

    def summary_line(self) -> str:
        found = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.counts().items() if n) or "no findings"
        return (
            f"aligned {self.aligned_share:.1%} of words "
            f"(EN {self.en.aligned_share:.1%} of {self.en.words}, CY {self.cy.aligned_share:.1%} of {self.cy.words}); "
            f"{found}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "aligned_share": round(self.aligned_share, 4),
            "en": {**asdict(self.en), "aligned_share": round(self.en.aligned_share, 4)},
            "cy": {**asdict(self.cy), "aligned_share": round(self.cy.aligned_share, 4)},
            "link_kinds": self.link_kinds,
            "counts": self.counts(),
            "coverage_by": self.coverage_by,
            "coverage": [{**asdict(c), "share": round(c.share, 4)} for c in self.coverage],
            "findings": [f.to_dict() for f in self.findings],
            "report_settings": self.settings.to_dict(),
            "alignment_settings": self.alignment_settings,
        }
