"""Benchmark scripts imported as modules, so a test can pin a measure with the benchmark's own code."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_benchmark(name: str) -> ModuleType:
    """``benchmarks/{name}.py`` (not a package: the scripts are run directly), loaded once."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look the module up while the class is built
    spec.loader.exec_module(module)
    return module


def generate_docx_pair(folder: Path, source: str, target_pages: int, seed: int, engine: str = "docx"):
    """A generated pair printed through Word DOCX and LibreOffice (devtools.synth; ``engine``
    "docx-tagged" for tagged PDFs); skips the test without python-docx, LibreOffice or the shared
    parallel text it is made from."""
    from devtools.devdata import shared_data_dir

    pytest.importorskip("docx", reason="python-docx is not installed (extra 'test')")
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh installs libreoffice-writer-nogui")
    if not (shared_data_dir() / "parallel" / "ntrex128").is_dir():
        pytest.skip("shared data not available")
    from devtools.synth.generate import generate_pair

    return generate_pair(folder, source=source, target_pages=target_pages, seed=seed, engine=engine)


def fpdf_page():
    """A new A4 PDF in points with one page begun, Helvetica 10 pt: for pages built to show one
    layout feature."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("helvetica", size=10)
    pdf.add_page()
    return pdf


def segmented_texts(pdf, tmp_path: Path, name: str) -> list[str]:
    """Write ``pdf`` as ``tmp_path/name`` and segment it as English: the blocks' texts."""
    from aligner.segmentation.pipeline import segment_pdf

    path = tmp_path / name
    pdf.output(str(path))
    return [b.text for b in segment_pdf(path, lang="en", use_cache=False).blocks]


def assert_pair_segments(pair, floor: float) -> dict:
    """Segment both editions of a generated pair and check that at least ``floor`` of its gold units
    are exactly one block and of its blocks exactly one unit (segment_gold's exact scores); the
    segmented documents by language."""
    from aligner.segmentation.pipeline import segment_pdf

    bench = load_benchmark("segment_gold")
    docs = {}
    for lang, pdf in (("en", pair.en_pdf), ("cy", pair.cy_pdf)):
        docs[lang] = segment_pdf(pdf, lang=lang, use_cache=False)
        recovered, precision, bad_gold, bad_blocks = bench.exact_scores(
            bench.gold_paragraphs(pair.gold_tsv, lang), [b.text for b in docs[lang].blocks]
        )
        assert recovered >= floor and precision >= floor, (lang, recovered, precision, bad_gold[:5], bad_blocks[:5])
    return docs
