"""Batch processing of a publication archive: pair the PDFs, align every pair, report on the corpus.

from aligner.batch import find_pairs, write_manifest, run_batch
write_manifest(find_pairs("archive/"), "manifest.csv")
summary = run_batch("manifest.csv", "out/", workers=4)     # or scheduler="tcp://host:8786"
"""

from __future__ import annotations

from .pairing import Pair, PairingResult, Unpaired, find_pairs, read_manifest, write_manifest
from .runner import run_batch
from .summary import BatchSummary, PairOutcome

__all__ = [
    "BatchSummary",
    "Pair",
    "PairOutcome",
    "PairingResult",
    "Unpaired",
    "find_pairs",
    "read_manifest",
    "run_batch",
    "write_manifest",
]
