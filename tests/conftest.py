"""Fixtures shared across test files: the real demo pair aligned once per session with the real model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"


@pytest.fixture(scope="session", autouse=True)
def private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Calls that use the default cache folder (segmented PDFs, embeddings) write to a session folder,
    never to the user's own cache, unless ``$ALIGNER_CACHE_DIR`` is set."""
    if not os.environ.get("ALIGNER_CACHE_DIR"):
        os.environ["ALIGNER_CACHE_DIR"] = str(tmp_path_factory.mktemp("aligner-cache"))


@pytest.fixture(scope="session")
def embedding_cache(tmp_path_factory: pytest.TempPathFactory, private_cache_dir: None) -> Path:
    """One embedding cache for the session, so the real model embeds each text once (``$ALIGNER_CACHE_DIR``
    when set, so repeated runs on a 2-core machine do not re-embed the 11 gold pairs)."""
    env = os.environ.get("ALIGNER_CACHE_DIR")
    return Path(env) if env else tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def demo_pair_alignment(embedding_cache):
    """The aligner's output on the bundled demo pair (real PDFs, real model)."""
    from aligner.api import align as align_pdfs

    return align_pdfs(DEMO / "fixed-recall.en.pdf", DEMO / "fixed-recall.cy.pdf", cache_dir=embedding_cache)


@pytest.fixture(scope="module")
def demo_texts() -> list[str]:
    """Every block text of the demo pair, English then Welsh (real PDFs, segmented)."""
    from aligner.segmentation.pipeline import segment_pdf

    return [
        b.text for pdf in (DEMO / "fixed-recall.en.pdf", DEMO / "fixed-recall.cy.pdf") for b in segment_pdf(pdf).blocks
    ]


REAL_MODEL_FIXTURES = frozenset({"embedding_cache", "demo_pair_alignment", "real_alignment", "fixed_recall", "cache"})
"""Fixtures that run the real embedding model (or hand out its session cache)."""

SLOW_MODULES = frozenset(
    {
        "test_align_real",
        "test_embed",
        "test_tmx_omegat",
        "test_report_synth",
        "test_segment_docx",
        "test_segment_generated",
        "test_synth",
    }
)
"""Modules that generate PDFs, drive external programs (OmegaT, Chromium, LibreOffice) or align whole real pairs."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tier, decided in one place: the real model, external programs, generated PDFs.

    ``pytest -m "not slow"`` is the fast tier (logic with the fake embedder, parsing, outputs, CLI errors).
    """
    for item in items:
        module = getattr(item, "module", None)
        uses_model = bool(REAL_MODEL_FIXTURES & set(getattr(item, "fixturenames", ())))
        if uses_model or (module is not None and module.__name__ in SLOW_MODULES):
            item.add_marker(pytest.mark.slow)
