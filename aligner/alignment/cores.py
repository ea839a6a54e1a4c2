"""What the CPU engines share: how many cores to use, and text every engine can encode."""

from __future__ import annotations

import os


def well_formed(text: str) -> str:
    """``text`` with UTF-16 surrogate pairs joined and lone surrogates replaced (some PDFs' math letters
    come out of extraction as surrogate pairs, which UTF-8 cannot encode)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def default_workers() -> int:
    """One per usable core, or ``$OMP_NUM_THREADS`` where that is lower (a batch worker's share)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        return max(1, min(cores, int(os.environ.get("OMP_NUM_THREADS", cores))))
    except ValueError:
        return cores
