"""Fixtures shared across test files: the real demo pair aligned once per session with the real model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"


@pytest.fixture(scope="session")
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the session, so the real model embeds each text once (``$ALIGNER_CACHE_DIR``
    when set, so repeated runs on a 2-core machine do not re-embed the 11 gold pairs)."""
    env = os.environ.get("ALIGNER_CACHE_DIR")
    return Path(env) if env else tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def demo_pair_alignment(embedding_cache):
    """The aligner's output on the bundled demo pair (real PDFs, real model)."""
    from aligner.api import align as align_pdfs

    return align_pdfs(DEMO / "fixed-recall.en.pdf", DEMO / "fixed-recall.cy.pdf", cache_dir=embedding_cache)
